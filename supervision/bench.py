"""What ``make bench`` measures for supervision: the public complaint form and statistics, the district
bureau's complaint queue and one complaint, the department's page, and the residents' appeals (page and API)."""

from __future__ import annotations

DISTRICT = "120103"  # 河西区: the demo district official handles its complaints


def _complaint_pk() -> int:
    """A complaint the district official handles (the demo's closed one: the most steps on its page)."""
    try:
        from supervision.models import Complaint

        pk = (
            Complaint.objects.filter(handling_org__code=DISTRICT, status="closed")
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        return pk or 1
    except Exception:  # no database at import time
        return 1


def _endpoints() -> list[dict]:
    pk = _complaint_pk()
    return [
        dict(name="file_form", method="GET", path="/supervision/file/"),
        dict(name="public_page", method="GET", path="/supervision/"),
        dict(name="complaint_list", method="GET", path="/supervision/complaints/", user="hexi_official"),
        dict(
            name="complaint_list_all",
            method="GET",
            path="/supervision/complaints/?status=",
            user="hexi_official",
        ),
        dict(
            name="complaint_detail", method="GET", path=f"/supervision/complaints/{pk}/", user="hexi_official"
        ),
        dict(name="criticisms_page", method="GET", path="/supervision/criticisms/", user="hexi_official"),
        dict(name="department_page", method="GET", path="/supervision/department/", user="hexi_health"),
        dict(name="appeals_resident", method="GET", path="/supervision/appeals/", user="resident"),
        dict(name="appeals_api_resident", method="GET", path="/api/v1/appeals", user="resident"),
        dict(
            name="appeals_community_staff", method="GET", path="/supervision/appeals/", user="community_staff"
        ),
        dict(name="appeals_district", method="GET", path="/supervision/appeals/", user="hexi_official"),
    ]


def __getattr__(name: str):
    # ENDPOINTS is computed when asked for, so that the detail page is a real complaint of the bench database.
    if name == "ENDPOINTS":
        return _endpoints()
    raise AttributeError(name)
