"""Fixtures of the admission tests: valid request data and helpers that walk a request through its states."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from admission import services
from admission.models import TaskRequest
from admission.schemas import TaskRequestInput, TaskRequestSchema
from portal.models import User


def request_data(**overrides) -> dict:
    start = timezone.localdate() + timedelta(days=90)
    data = {
        "title": "社区老年人健康随访信息核对",
        "description": "每季度协助核对辖区老年人健康随访信息。",
        "legal_basis": "",
        "target_orgs": ["120103001000"],
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=365)).isoformat(),
        "workload_hours_per_month": "4",
        "funding_amount": "2000",
        "funding_source": "区级财政专项资金",
        "working_conditions": "提供移动终端和业务系统账号。",
        "purchase_service": False,
    }
    data.update(overrides)
    return data


def request_input(**overrides) -> TaskRequestInput:
    """The typed value of :func:`request_data` (as the page and the API hand it to the services)."""
    return TaskRequestSchema.parse(request_data(**overrides))


@pytest.fixture
def u(users):
    return users


@pytest.fixture
def flow(users):
    """Helpers that move a request to a given state through the services."""

    class Flow:
        def create(self, username="hexi_health", **overrides) -> TaskRequest:
            return services.task_request_create(actor=users[username], data=request_input(**overrides))

        def submitted(self, username="hexi_health", **overrides) -> TaskRequest:
            req = self.create(username, **overrides)
            return services.task_request_submit(actor=users[username], request_id=req.pk)

        def answer_all(self, req, opinion="agree"):
            from admission.models import ConsultationInvite
            from portal.models import RoleAssignment

            for inv in ConsultationInvite.objects.filter(request=req, opinion=""):
                ra = RoleAssignment.objects.filter(
                    org_id=inv.org_id, role__in=["street_staff", "community_staff"]
                ).first()
                actor = ra.user if ra else _staff_for(inv.org)
                services.task_request_opinion(
                    actor=actor,
                    request_id=req.pk,
                    opinion=opinion,
                    comment="" if opinion == "agree" else "理由",
                    org_code=inv.org.code,
                )
            return TaskRequest.objects.get(pk=req.pk)

        def in_review(self, username="hexi_health", **overrides) -> TaskRequest:
            req = self.submitted(username, **overrides)
            return self.answer_all(req)

        def in_decision(self, username="hexi_health", reviewer="hexi_official", **overrides) -> TaskRequest:
            req = self.in_review(username, **overrides)
            return services.task_request_review(
                actor=users[reviewer], request_id=req.pk, legality="pass", reasonableness="pass", comment=""
            )

        def approved(
            self, username="hexi_health", reviewer="hexi_official", approver="hexi_approver", **overrides
        ) -> TaskRequest:
            req = self.in_decision(username, reviewer, **overrides)
            return services.task_request_decide(actor=users[approver], request_id=req.pk, decision="approve")

    return Flow()


def _staff_for(org) -> User:
    """A throwaway staff account for an org without demo staff (e.g. other communities of the street)."""
    from portal.models import RoleAssignment

    role = "street_staff" if org.level == "street" else "community_staff"
    user, _ = User.objects.get_or_create(
        username=f"staff_{org.code}", defaults={"real_name": f"{org.name}工作人员"}
    )
    RoleAssignment.objects.get_or_create(user=user, role=role, org=org)
    return user
