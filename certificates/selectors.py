"""Read side of certificates (CONTRACT used by evaluations — keep signatures).

The certificates app owns this module; the body below is a placeholder until its models land.
"""

from __future__ import annotations


def certificate_stats_for_community(*, community, year: int) -> dict:
    """Figures for the star-rating evidence: ``{"issued": n, "on_time": n}``."""
    return {"issued": 0, "on_time": 0}
