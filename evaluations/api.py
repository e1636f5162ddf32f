"""API endpoints of the evaluations app (mounted under /api/v1/ by portal.api.root)."""

from ninja import Router

router = Router(tags=["评星定级"])
