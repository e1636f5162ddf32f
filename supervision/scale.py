"""Tianjin-scale activity for supervision: a year of complaints in every state spread over every community
(with their steps, the complainants' identity rows, rectification orders and published criticisms), and the
residents' appeals of every community with one resident account each (bulk inserts).

The density follows the number of communities, so the small-scale bench database (~1% of Tianjin) gets ~1% of
the rows. Generated rows are recognisable by :data:`SCALE_MARK` (complaint and appeal texts, criticism numbers)
and the residents by their username ``r_<community code>``; ``reset()`` removes exactly those.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.choices import DepartmentKind, OrgLevel, Role
from portal.models import Department, OrgUnit, RoleAssignment, User
from portal.scope import stamp_access
from supervision.choices import AppealCategory, Category

SCALE_MARK = "【规模】"
COMPLAINTS_PER_COMMUNITY = 2
APPEALS_PER_COMMUNITY = 3
RESIDENT_PREFIX = "r_"
BATCH = 2000
#: Share of each complaint state (a working year: most finished, some still open).
STATES = [
    ("submitted", 0.08),
    ("investigating", 0.17),
    ("declined", 0.10),
    ("unsubstantiated", 0.30),
    ("rectifying", 0.12),
    ("closed", 0.20),
    ("merged", 0.03),
]
APPEAL_STATES = [("open", 0.08), ("escalated", 0.02), ("answered", 0.30), ("closed", 0.60)]
TITLES = [
    "入户核对居民健康档案",
    "悬挂工作站牌子",
    "报送专项工作台账",
    "开具无犯罪记录证明",
    "代收城市管理罚款",
]
CATEGORIES = list(Category.values)
APPEAL_CATEGORIES = list(AppealCategory.values)
DEPARTMENT_TEXTS = ["区城管委", "区卫健委", "区应急局", "区市场监管局", "区住建委"]


@contextmanager
def _own_timestamps(*fields):
    """Let ``bulk_create`` keep the times we give instead of stamping ``auto_now_add`` fields with now."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _ in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _pick(rng: random.Random, table):
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _residents(communities: list[tuple[int, str]], password: str) -> dict[int, int]:
    """One resident account per community (``r_<code>``), with its resident role there: ``{org pk: user pk}``."""
    usernames = {f"{RESIDENT_PREFIX}{code}": pk for pk, code in communities}
    have = set(User.objects.filter(username__in=list(usernames)).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=u, password=password, real_name="规模居民", email=f"{u}@scale.jianfu.local")
            for u in usernames
            if u not in have
        ],
        batch_size=BATCH,
    )
    ids = dict(User.objects.filter(username__in=list(usernames)).values_list("username", "id"))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=ids[u], role=Role.RESIDENT, org_id=org) for u, org in usernames.items()],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    stamp_access(
        ids.values()
    )  # a bulk insert sends no signal: the accounts' cached roles (portal.scope) go now
    return {org: ids[u] for u, org in usernames.items()}


def generate(*, stdout) -> None:
    from certificates import personal
    from supervision.models import (
        Appeal,
        AppealEvent,
        ComplainantIdentity,
        Complaint,
        ComplaintEvent,
        Criticism,
        Rectification,
    )

    if Complaint.objects.filter(description__startswith=SCALE_MARK).exists():
        stdout.write("supervision: 规模数据已存在，跳过。\n")
        return
    rows = list(
        OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code").values_list("pk", "code", "path")
    )
    if not rows:
        stdout.write("supervision: 没有社区，跳过。\n")
        return
    rng = random.Random(2026)
    orgs = {
        o.code: o
        for o in OrgUnit.objects.filter(level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]).only("pk", "code")
    }
    city = next(o for o in orgs.values() if len(o.code) == 6 and o.code.endswith("0000"))
    departments: dict[int, list[int]] = {}
    for d in Department.objects.filter(kind=DepartmentKind.LINE).values("pk", "org_id"):
        departments.setdefault(d["org_id"], []).append(d["pk"])
    password = (
        User.objects.filter(username__startswith="c_").values_list("password", flat=True).first()
        or "!unusable"
    )
    now = timezone.now()
    today = timezone.localdate()

    complaints, plans = [], []
    for pk, _code, path in rows:
        district = orgs.get(path.split("/")[1]) if path.count("/") > 2 else None
        for _ in range(COMPLAINTS_PER_COMMUNITY):
            status = _pick(rng, STATES)
            created = now - timedelta(days=rng.randint(1, 364), hours=rng.randint(0, 23))
            department_id, text, handling = None, "", district or city
            if rng.random() < 0.2 and departments.get(city.pk):
                department_id, handling = rng.choice(departments[city.pk]), city
            elif district is not None and departments.get(district.pk):
                department_id = rng.choice(departments[district.pk])
            else:
                text = rng.choice(DEPARTMENT_TEXTS)
            verdict_at = created + timedelta(days=rng.randint(5, 25))
            finished = status in ("declined", "unsubstantiated", "closed")
            complaints.append(
                Complaint(
                    tracking_code=personal.verify_code_new(),
                    category=rng.choice(CATEGORIES),
                    department_id=department_id,
                    department_text=text,
                    community_id=pk,
                    handling_org_id=handling.pk,
                    description=f"{SCALE_MARK}有关部门未经准入要求社区{rng.choice(TITLES)}，请核查。",
                    task_title=rng.choice(TITLES),
                    anonymous=rng.random() < 0.3,
                    status=status,
                    accept_due=(created + timedelta(days=5)).date(),
                    decline_reason="不属于减负投诉受理范围。" if status == "declined" else "",
                    verdict_reason="经调查核实。"
                    if status in ("unsubstantiated", "rectifying", "closed")
                    else "",
                    verdict_at=verdict_at if status in ("unsubstantiated", "rectifying", "closed") else None,
                    finished_at=verdict_at + timedelta(days=10) if finished else None,
                    created_at=created,
                )
            )
            plans.append(status)
    with (
        transaction.atomic(),
        _own_timestamps(
            Complaint._meta.get_field("created_at"),
            ComplaintEvent._meta.get_field("at"),
            Rectification._meta.get_field("created_at"),
            Appeal._meta.get_field("created_at"),
            AppealEvent._meta.get_field("at"),
        ),
    ):
        Complaint.objects.bulk_create(complaints, batch_size=BATCH)
        ComplainantIdentity.objects.bulk_create(
            [ComplainantIdentity(complaint=c) for c in complaints], batch_size=BATCH
        )
        events, rects, criticisms = [], [], []
        serial = 0
        for c in complaints:
            events.append(
                ComplaintEvent(
                    complaint=c,
                    role="complainant",
                    action="file",
                    to_status="submitted",
                    public_note="投诉已提交，等待受理。",
                    at=c.created_at,
                )
            )
            if c.status in ("submitted", "merged"):
                continue
            if c.status == "declined":
                events.append(
                    ComplaintEvent(
                        complaint=c,
                        actor_name="规模数据",
                        role=Role.DISTRICT_OFFICIAL,
                        action="decline",
                        from_status="submitted",
                        to_status="declined",
                        public_note=c.decline_reason,
                        at=c.created_at + timedelta(days=2),
                    )
                )
                continue
            events.append(
                ComplaintEvent(
                    complaint=c,
                    actor_name="规模数据",
                    role=Role.DISTRICT_OFFICIAL,
                    action="accept",
                    from_status="submitted",
                    to_status="investigating",
                    public_note="已受理，正在调查核实。",
                    at=c.created_at + timedelta(days=2),
                )
            )
            if c.status == "investigating":
                continue
            verdict_at = c.verdict_at or c.created_at + timedelta(days=10)
            substantiated = c.status in ("rectifying", "closed")
            events.append(
                ComplaintEvent(
                    complaint=c,
                    actor_name="规模数据",
                    role=Role.DISTRICT_OFFICIAL,
                    action="substantiate" if substantiated else "unsubstantiate",
                    from_status="investigating",
                    to_status=c.status if c.status != "closed" else "rectifying",
                    public_note=c.verdict_reason,
                    at=verdict_at,
                )
            )
            if not substantiated:
                continue
            due = (verdict_at + timedelta(days=21)).date()
            closed = c.status == "closed"
            rects.append(
                Rectification(
                    complaint=c,
                    department_id=c.department_id,
                    department_name=c.department_text or "被投诉部门",
                    org_id=c.handling_org_id,
                    requirements="立即停止向社区摊派，报送整改情况。",
                    due_date=due,
                    status="closed" if closed else ("ordered" if due >= today else "reported"),
                    report="已撤回相关要求。" if closed else "",
                    closed_at=c.finished_at if closed else None,
                    on_time=(rng.random() < 0.85) if closed else None,
                    created_at=verdict_at,
                )
            )
            if rng.random() < 0.5:
                serial += 1
                year = verdict_at.year
                criticisms.append(
                    Criticism(
                        complaint=c,
                        department_id=c.department_id,
                        department_name=c.department_text or "被投诉部门",
                        org_id=c.handling_org_id,
                        title=f"{SCALE_MARK}关于违规向社区摊派工作任务的通报",
                        body="经调查核实，该部门未经准入向社区摊派工作任务，现予通报批评。",
                        status="published",
                        number=f"{SCALE_MARK}津民减通〔{year}〕{serial}号",
                        public_code=personal.verify_code_new(),
                        published_at=verdict_at + timedelta(days=3),
                    )
                )
        ComplaintEvent.objects.bulk_create(events, batch_size=BATCH)
        Rectification.objects.bulk_create(rects, batch_size=BATCH)
        Criticism.objects.bulk_create(criticisms, batch_size=BATCH)

        residents = _residents([(pk, code) for pk, code, _ in rows], password)
        appeals = []
        for pk, _code, _path in rows:
            for _ in range(APPEALS_PER_COMMUNITY):
                status = _pick(rng, APPEAL_STATES)
                created = now - timedelta(days=rng.randint(1, 364), hours=rng.randint(0, 23))
                answered = status in ("answered", "closed")
                appeals.append(
                    Appeal(
                        community_id=pk,
                        resident_id=residents[pk],
                        category=rng.choice(APPEAL_CATEGORIES),
                        text=f"{SCALE_MARK}楼道照明损坏，请社区协调维修。",
                        status=status,
                        due_date=(created + timedelta(days=7)).date(),
                        answer="已联系物业维修。" if answered else "",
                        answered_by_org="社区居委会" if answered else "",
                        answered_at=created + timedelta(hours=rng.randint(2, 120)) if answered else None,
                        escalated_at=created + timedelta(days=8) if status == "escalated" else None,
                        rating=rng.randint(3, 5) if status == "closed" else None,
                        rated_at=created + timedelta(days=6) if status == "closed" else None,
                        created_at=created,
                    )
                )
        Appeal.objects.bulk_create(appeals, batch_size=BATCH)
        AppealEvent.objects.bulk_create(
            [
                AppealEvent(
                    appeal=a, action="submit", to_status="open", actor_name="规模居民", at=a.created_at
                )
                for a in appeals
            ],
            batch_size=BATCH,
        )
    from portal.caching import bump

    bump("supervision")
    stdout.write(
        f"supervision: {len(complaints)} 件投诉（{len(events)} 条办理记录，{len(rects)} 件整改，"
        f"{len(criticisms)} 份通报），{len(appeals)} 件居民诉求，{len(residents)} 名居民。\n"
    )


def reset(*, stdout) -> None:
    """Remove the generated complaints, appeals and resident accounts (before the scale orgs go)."""
    from supervision.models import (
        Appeal,
        AppealEvent,
        AppealPhoto,
        ComplainantIdentity,
        Complaint,
        ComplaintEvent,
        Criticism,
        Evidence,
        Rectification,
    )

    with transaction.atomic():
        complaints = Complaint.objects.filter(description__startswith=SCALE_MARK)
        appeals = Appeal.objects.filter(text__startswith=SCALE_MARK)
        Criticism.objects.filter(complaint__in=complaints).delete()
        Rectification.objects.filter(complaint__in=complaints).delete()
        ComplaintEvent.objects.filter(complaint__in=complaints)._raw_delete(ComplaintEvent.objects.db)
        Evidence.objects.filter(complaint__in=complaints).delete()
        ComplainantIdentity.objects.filter(complaint__in=complaints).delete()
        n, _ = complaints.delete()
        AppealEvent.objects.filter(appeal__in=appeals)._raw_delete(AppealEvent.objects.db)
        AppealPhoto.objects.filter(appeal__in=appeals).delete()
        a, _ = appeals.delete()
        users = User.objects.filter(username__regex=rf"^{RESIDENT_PREFIX}12\d{{10}}$")
        RoleAssignment.objects.filter(user__in=users).delete()
        users.delete()
    stdout.write(f"supervision: removed {n} complaints and {a} appeals\n")
