"""Endpoints ``make bench`` drives for admission. The demo's approved request is the first one created (id 1)."""

from urllib.parse import quote

from django.utils import timezone

_NO = quote(f"津河西准〔{timezone.localdate().year}〕1号")

ENDPOINTS = [
    dict(name="request_list_page", method="GET", path="/admission/", user="hexi_official"),
    dict(name="request_list_overdue_page", method="GET", path="/admission/?overdue=on", user="hexi_official"),
    dict(name="inbox_page", method="GET", path="/admission/inbox/", user="hexi_official"),
    dict(name="request_detail_page", method="GET", path="/admission/1/", user="hexi_official"),
    dict(name="api_request_list", method="GET", path="/api/v1/task-requests", user="hexi_official"),
    dict(name="api_inbox", method="GET", path="/api/v1/task-requests/inbox", user="hexi_official"),
    dict(name="api_request_detail", method="GET", path="/api/v1/task-requests/1", user="hexi_official"),
    dict(name="api_admission_verify", method="GET", path=f"/api/v1/admissions/{_NO}"),
    dict(name="verify_page", method="GET", path=f"/admission/verify/{_NO}/"),
    dict(name="community_inbox_page", method="GET", path="/admission/inbox/", user="community_staff"),
]
