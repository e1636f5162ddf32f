"""Tianjin-scale data: 50,000 approved admitted tasks spread over every community (bulk inserts)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from admission.choices import Action, Status, TargetMode
from admission.models import AdmissionCounter, HistoryEntry, TaskRequest, TaskTarget
from admission.services import format_admission_no
from portal.choices import ApprovalBodyKind, DepartmentKind, OrgLevel
from portal.models import ApprovalBody, Department, OrgUnit

TOTAL = 50_000  # at Tianjin scale (DEFAULT_COMMUNITIES); fewer communities get proportionally fewer
BATCH = 2_000
TITLES = [
    "居民健康档案信息核对",
    "重点人群随访协助",
    "住户调查样本户联络",
    "退役军人信息采集协助",
    "防汛物资台账核对",
    "老年人能力评估协助",
    "残疾人需求调查协助",
    "社区消防安全宣传",
    "垃圾分类入户宣传",
    "食品安全宣传周活动协助",
]
SCALE_MARK = "【规模】"


def generate(*, stdout) -> None:
    if TaskRequest.objects.filter(title__startswith=SCALE_MARK).exists():
        stdout.write("admission: 规模数据已存在，跳过。\n")
        return
    communities = list(
        OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code").values_list("pk", "path")
    )
    if not communities:
        stdout.write("admission: 没有社区，跳过。\n")
        return
    from portal.scale import DEFAULT_COMMUNITIES

    # The same density as at Tianjin scale: a small-scale database gets proportionally fewer tasks.
    total = round(TOTAL * min(1.0, len(communities) / DEFAULT_COMMUNITIES))
    orgs = {o.code: o for o in OrgUnit.objects.filter(level__in=[OrgLevel.CITY, OrgLevel.DISTRICT])}
    city = next(o for o in orgs.values() if o.level == OrgLevel.CITY)
    depts: dict[int, Department] = {}
    for d in Department.objects.filter(kind=DepartmentKind.LINE).order_by("code"):
        depts.setdefault(d.org_id, d)
    bodies = {}
    for b in ApprovalBody.objects.order_by("kind"):
        if b.kind == ApprovalBodyKind.GOVERNMENT or b.org_id not in bodies:
            bodies[b.org_id] = b
    if city.pk not in depts or city.pk not in bodies:
        stdout.write("admission: 缺少市级部门或审批机关，跳过。\n")
        return
    year = timezone.localdate().year
    today = timezone.localdate()
    now = timezone.now()
    counters = {c.body_id: c.last for c in AdmissionCounter.objects.filter(year=year)}
    counters_start = dict(counters)
    created = 0
    with transaction.atomic():
        for start in range(0, total, BATCH):
            rows, targets = [], []
            for i in range(start, min(start + BATCH, total)):
                community_pk, path = communities[i % len(communities)]
                district = orgs.get(path.split("/")[1]) if path.count("/") > 2 else None
                requester = district if district and district.pk in depts and district.pk in bodies else city
                dept, body = depts[requester.pk], bodies[requester.pk]
                counters[body.pk] = counters.get(body.pk, 0) + 1
                rows.append(
                    TaskRequest(
                        title=f"{SCALE_MARK}{TITLES[i % len(TITLES)]}（{i + 1}）",
                        description="规模测试数据：经准入的社区协助事项。",
                        department=dept,
                        requester_org=requester,
                        status=Status.APPROVED,
                        target_mode=TargetMode.COMMUNITIES,
                        start_date=today - timedelta(days=30),
                        end_date=today + timedelta(days=335 + i % 30),
                        valid_until=today + timedelta(days=335 + i % 30),
                        workload_hours_per_month=Decimal("2"),
                        funding_amount=Decimal("1000"),
                        funding_total=Decimal("1000"),
                        funding_source="区级财政",
                        working_conditions="提供系统账号与培训。",
                        approval_body=body,
                        approved_at=now,
                        submitted_at=now,
                        admission_no=format_admission_no(body.short_name, year, counters[body.pk]),
                    )
                )
                targets.append(community_pk)
            TaskRequest.objects.bulk_create(rows, batch_size=BATCH)
            if rows[0].pk is None:  # a backend that does not return ids
                first = TaskRequest.objects.aggregate(m=Max("pk"))["m"] - len(rows) + 1
                for n, r in enumerate(rows):
                    r.pk = first + n
            TaskTarget.objects.bulk_create(
                [TaskTarget(request_id=r.pk, community_id=c) for r, c in zip(rows, targets, strict=True)],
                batch_size=BATCH,
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
                        comment=r.admission_no or "",
                    )
                    for r in rows
                ],
                batch_size=BATCH,
            )
            created += len(rows)
            stdout.write(f"admission: {created}/{total} 条已准入事项\n")
        for body_id, last in counters.items():
            if body_id in counters_start:
                AdmissionCounter.objects.filter(body_id=body_id, year=year).update(last=last)
            else:
                AdmissionCounter.objects.create(body_id=body_id, year=year, last=last)
    stdout.write(f"admission: 完成，共 {created} 条。\n")
