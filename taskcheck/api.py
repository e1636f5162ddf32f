"""API endpoints of the taskcheck app (mounted under /api/v1/ by portal.api.root)."""

from ninja import Router

router = Router(tags=["任务核查"])
