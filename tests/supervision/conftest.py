"""Fixtures of the supervision tests: complaints filed and moved along through the services."""

from __future__ import annotations

import pytest

HEALTH = "12010302"  # 河西区卫生健康委员会
CITY_STATS = "12000002"  # 天津市统计局
COMMUNITY = "120103001001"  # 新华南路社区 (community_staff, resident)


@pytest.fixture
def file_complaint(users):
    """``file_complaint(actor=…, **overrides)`` files a complaint about 河西区卫健委 through the service."""
    from supervision import services
    from supervision.schemas import ComplaintSchema

    def make(actor="community_staff", files=(), **kw):
        data = {
            "category": "unapproved_task",
            "target_department": HEALTH,
            "description": "卫健委要求社区每周入户统计居民健康档案，未出示准入编号。",
            "community": COMMUNITY,
            "contact": "13800000001",
        }
        data.update(kw)
        return services.complaint_file(
            actor=users[actor] if isinstance(actor, str) else actor,
            data=ComplaintSchema.parse(data),
            files=files,
        )

    return make


@pytest.fixture
def substantiated(users, file_complaint):
    """A complaint accepted, explained by the department and found substantiated (rectification ordered)."""
    from supervision import schemas as sv
    from supervision import services

    def make(**kw):
        c = file_complaint(**kw)
        official = users["hexi_official"]
        services.complaint_accept(actor=official, complaint_id=c.pk)
        services.complaint_request_statement(
            actor=official,
            complaint_id=c.pk,
            data=sv.StatementRequestSchema.parse({"summary": "社区反映贵委下派健康档案入户统计。"}),
        )
        services.complaint_statement(
            actor=users["hexi_health"],
            complaint_id=c.pk,
            data=sv.StatementSchema.parse({"text": "确有此事，系工作疏漏。"}),
        )
        services.complaint_verdict(
            actor=official,
            complaint_id=c.pk,
            data=sv.VerdictSchema.parse(
                {
                    "substantiated": "yes",
                    "reason": "未经准入下派入户统计任务。",
                    "requirements": "撤回该任务并书面告知社区。",
                }
            ),
        )
        c.refresh_from_db()
        return c

    return make
