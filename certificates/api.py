"""API endpoints of the certificates app (mounted under /api/v1/ by portal.api.root)."""

from ninja import Router

router = Router(tags=["社区证明"])
