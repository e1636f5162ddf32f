"""The density section of ``make bench``: one community carrying many admitted tasks beside one carrying few.

``prepare(counts=(1000, 10))`` picks generated communities (the last ones by code, which no other endpoint
uses), tops each up with approved admitted tasks (bulk inserts, like ``admission.scale``) until it carries
exactly that many currently valid ones, and returns ``[{"community", "tasks"}]``. ``endpoints(community)``
are the three requests whose cost must not grow with a community's admitted tasks: its list page, its
checklist API and a task check against it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone

TITLE = "协助开展人口普查入户登记"


def endpoints(code: str) -> list[dict]:
    return [
        dict(name="list page", method="GET", path=f"/lists/community/{code}/"),
        dict(name="checklist API", method="GET", path=f"/api/v1/communities/{code}/checklist"),
        dict(
            name="task check API",
            method="POST",
            path="/api/v1/task-check",
            json={
                "community": code,
                "title": TITLE,
                "description": "请各社区协助普查员做好辖区住户摸底和入户登记，10月底前完成。",
            },
        ),
        dict(name="task check page", method="GET", path=f"/check/?community={code}&title={quote(TITLE)}"),
    ]


def _valid_count(community) -> int:
    from admission.models import TaskRequest

    return (
        TaskRequest.objects.currently_valid(timezone.localdate()).filter(targets__community=community).count()
    )


def prepare(*, counts=(1000, 10)) -> list[dict]:
    from admission.choices import Action, Status, TargetMode
    from admission.models import AdmissionCounter, HistoryEntry, TaskRequest, TaskTarget
    from admission.scale import SCALE_MARK, TITLES
    from admission.services import format_admission_no
    from portal.choices import ApprovalBodyKind, DepartmentKind, OrgLevel
    from portal.models import ApprovalBody, Department, OrgUnit
    from portal.scale import SCALE_CODE_RE

    candidates = [
        o
        for o in OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("-code")[:50]
        if SCALE_CODE_RE.match(o.code)
    ]
    if len(candidates) < len(counts):
        raise RuntimeError("density: not enough generated communities")
    city = OrgUnit.objects.get(level=OrgLevel.CITY)
    dept = Department.objects.filter(org=city, kind=DepartmentKind.LINE).order_by("code").first()
    body = (
        ApprovalBody.objects.filter(org=city, kind=ApprovalBodyKind.GOVERNMENT).first()
        or ApprovalBody.objects.filter(org=city).first()
    )
    if dept is None or body is None:
        raise RuntimeError("density: no city department or approval body")
    today, now = timezone.localdate(), timezone.now()
    year = today.year
    prepared = []
    with transaction.atomic():
        counter, _ = AdmissionCounter.objects.select_for_update().get_or_create(
            body=body, year=year, defaults={"last": 0}
        )
        for community, wanted in zip(candidates, counts, strict=False):
            missing = max(0, wanted - _valid_count(community))
            rows = []
            for i in range(missing):
                counter.last += 1
                rows.append(
                    TaskRequest(
                        title=f"{SCALE_MARK}{TITLES[i % len(TITLES)]}（密度{i + 1}）",
                        description="规模测试数据：同一社区承接大量经准入事项。",
                        department=dept,
                        requester_org=city,
                        status=Status.APPROVED,
                        target_mode=TargetMode.COMMUNITIES,
                        start_date=today - timedelta(days=30),
                        end_date=today + timedelta(days=335),
                        valid_until=today + timedelta(days=335),
                        workload_hours_per_month=Decimal("1"),
                        funding_amount=Decimal("500"),
                        funding_total=Decimal("500"),
                        funding_source="市级财政",
                        working_conditions="提供系统账号与培训。",
                        approval_body=body,
                        approved_at=now,
                        submitted_at=now,
                        admission_no=format_admission_no(body.short_name, year, counter.last),
                    )
                )
            TaskRequest.objects.bulk_create(rows, batch_size=1000)
            TaskTarget.objects.bulk_create(
                [TaskTarget(request_id=r.pk, community=community) for r in rows], batch_size=1000
            )
            HistoryEntry.objects.bulk_create(
                [
                    HistoryEntry(
                        request_id=r.pk,
                        actor_name="规模数据",
                        role="system",
                        action=Action.APPROVE,
                        from_status=Status.DECISION,
                        to_status=Status.APPROVED,
                        comment=r.admission_no,
                    )
                    for r in rows
                ],
                batch_size=1000,
            )
            prepared.append({"community": community.code, "tasks": _valid_count(community)})
        counter.save(update_fields=["last"])
    return prepared
