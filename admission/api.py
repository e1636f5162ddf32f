"""API endpoints of the admission app (mounted under /api/v1/ by portal.api.root)."""

from ninja import Router

router = Router(tags=["社区工作事项准入"])
