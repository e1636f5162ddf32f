"""Settings per environment: ``base`` (embedded default and demo), ``test`` and ``production``."""
