"""Benchmark-only pieces for ``scripts/bench.py`` (``make bench``).

Nothing here is loaded by the portal's own settings: ``bench.settings`` (production settings plus a
query-count header and the bare baseline view) is used only by the gunicorn that ``scripts/bench.py``
starts with ``JIANFU_BENCH=1``. ``bench.load`` is the load generator (standard library only) that runs in a
second process; ``bench.stats`` and ``bench.discovery`` are the statistics and the endpoint list.
"""
