"""API endpoints of the checklists app (mounted under /api/v1/ by portal.api.root)."""

from ninja import Router

router = Router(tags=["工作事项清单"])
