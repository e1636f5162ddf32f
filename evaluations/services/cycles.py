"""The year's cycle: start, publication of the results, reminders of stage deadlines."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from evaluations.choices import (
    NOTICE_RESULT,
    STAGE_EDITOR,
    TODO_RECTIFY,
    TODO_SELF,
    CycleStatus,
    Stage,
)
from evaluations.models import (
    Assessment,
    Cycle,
    Indicator,
    Rectification,
    Scheme,
    Score,
)
from evaluations.schemas import CycleStartInput
from portal import history
from portal.audit import audit
from portal.choices import OrgLevel, Role
from portal.errors import ConflictError, NotFoundError
from portal.models import OrgUnit, User

from .base import _deadline_dt, _require_city_admin
from .stars import assign_ranks, compute_stars


def cycle_start(*, actor: User, scheme_id: int, data: CycleStartInput) -> Cycle:
    """Open the year's cycle under a published scheme (``CycleStartSchema`` put the deadlines in order): one
    assessment per community, to-dos for community staff."""
    _require_city_admin(actor)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().filter(pk=scheme_id).first()
        if scheme is None:
            raise NotFoundError("未找到该方案。")
        if not scheme.is_locked:
            raise ConflictError("方案发布后才能启动评星周期。")
        if Cycle.objects.filter(year=scheme.year).exists():
            raise ConflictError(f"{scheme.year}年度评星周期已经启动。")
        cycle = Cycle.objects.create(
            scheme=scheme,
            year=scheme.year,
            self_deadline=data.self_deadline,
            street_deadline=data.street_deadline,
            district_deadline=data.district_deadline,
            city_deadline=data.city_deadline,
            started_by=actor,
        )
        communities = list(
            OrgUnit.objects.filter(
                level=OrgLevel.COMMUNITY,
                parent__level=OrgLevel.STREET,
                parent__parent__level=OrgLevel.DISTRICT,
            ).select_related("parent")
        )
        assessments = history.bulk_create(
            Assessment,
            [
                Assessment(cycle=cycle, community=c, street_id=c.parent_id, district_id=c.parent.parent_id)
                for c in communities
            ],
            batch_size=1000,
        )
        if not assessments or assessments[0].pk is None:  # backends without RETURNING
            assessments = list(Assessment.objects.filter(cycle=cycle))
        indicators = list(Indicator.objects.filter(dimension__scheme=scheme))
        history.bulk_create(
            Score,
            [Score(assessment=a, indicator=i) for a in assessments for i in indicators],
            batch_size=2000,
        )
        audit(
            "evaluation.cycle_start",
            obj=cycle,
            after={"year": cycle.year, "communities": len(assessments), "self_deadline": data.self_deadline},
        )
        _notify_community_staff(cycle, assessments)
    return cycle


def _notify_community_staff(cycle: Cycle, assessments: list[Assessment]) -> None:
    from portal.models import RoleAssignment
    from portal.services.notifications import notify

    by_org: dict[int, list] = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        role=Role.COMMUNITY_STAFF, org_id__in=[a.community_id for a in assessments]
    ).select_related("user"):
        by_org[ra.org_id].append(ra.user)
    deadline = _deadline_dt(cycle.self_deadline)
    for a in assessments:
        if by_org.get(a.community_id):
            notify(
                users=by_org[a.community_id],
                kind=TODO_SELF,
                title=f"{cycle.year}年度评星定级：请完成社区自评",
                url=f"/evaluations/assessments/{a.pk}/",
                deadline=deadline,
                todo=True,
                source=a,
                email=False,
            )


def cycle_publish(*, actor, cycle_id: int) -> Cycle:
    """Publish the year's results: stars from confirmed scores, rankings, award marks, rectification list."""
    from portal.services.notifications import notify

    _require_city_admin(actor)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().filter(pk=cycle_id).select_related("scheme").first()
        if cycle is None:
            raise NotFoundError("未找到该评星周期。")
        if cycle.status == CycleStatus.PUBLISHED:
            raise ConflictError("该年度结果已经发布。")
        pending = cycle.assessments.exclude(stage=Stage.CONFIRMED).count()
        if pending:
            raise ConflictError(f"尚有 {pending} 个社区未完成市级确认，不能发布结果。")
        assessments = list(cycle.assessments.select_for_update(of=("self",)).select_related("community"))
        dim_max = {d.pk: d.max_points for d in cycle.scheme.dimensions.all()}
        rules = list(cycle.scheme.star_rules.all())
        for a in assessments:
            a.stars = compute_stars(
                total=a.total_score, dimension_scores=a.dimension_scores, dimension_max=dim_max, rules=rules
            )
            a.award = a.stars == 5
            a.stage = Stage.PUBLISHED
        assign_ranks(assessments)
        history.bulk_update(
            Assessment,
            assessments,
            ["stars", "award", "stage", "rank_city", "rank_district", "rank_street"],
            batch_size=1000,
        )
        now = timezone.now()
        cycle.status = CycleStatus.PUBLISHED
        cycle.published_at = now
        cycle.save(update_fields=["status", "published_at"])
        no_star = [a for a in assessments if a.stars == 0]
        history.bulk_create(
            Rectification,
            [
                Rectification(
                    assessment=a, community_id=a.community_id, deadline=(now + timedelta(days=90)).date()
                )
                for a in no_star
            ],
        )
        audit(
            "evaluation.cycle_publish",
            obj=cycle,
            after={
                "year": cycle.year,
                "communities": len(assessments),
                "no_star": len(no_star),
                "distribution": {s: sum(1 for a in assessments if a.stars == s) for s in range(6)},
            },
        )
        if (
            len(assessments) <= 500
        ):  # inbox notices for demo-sized cycles; at city scale the result page is the notice
            from portal.models import RoleAssignment

            staff: dict[int, list] = defaultdict(list)
            street_staff: dict[int, list] = defaultdict(list)
            for ra in RoleAssignment.objects.filter(
                role__in=[Role.COMMUNITY_STAFF, Role.STREET_STAFF],
                org_id__in={a.community_id for a in assessments} | {a.street_id for a in assessments},
            ).select_related("user"):
                (staff if ra.role == Role.COMMUNITY_STAFF else street_staff)[ra.org_id].append(ra.user)
            rect_by_assessment = {
                r.assessment_id: r for r in Rectification.objects.filter(assessment__cycle=cycle)
            }
            for a in assessments:
                r = rect_by_assessment.get(a.pk)
                if r is not None:
                    # The community writes the plan; its street supervises (and writes it where the community has
                    # no account yet).
                    notify(
                        users=staff.get(a.community_id) or street_staff.get(a.street_id, []),
                        kind=TODO_RECTIFY,
                        title=f"{cycle.year}年度评星定级未达到一星：{a.community.name}请制定治理整顿方案",
                        url=f"/evaluations/rectification/{r.pk}/",
                        deadline=_deadline_dt(r.deadline),
                        todo=True,
                        source=r,
                        email=False,
                    )
                elif staff.get(a.community_id):
                    notify(
                        users=staff[a.community_id],
                        kind=NOTICE_RESULT,
                        title=f"{cycle.year}年度评星定级结果已发布：{a.stars}星",
                        url=f"/evaluations/assessments/{a.pk}/",
                        source=a,
                        email=False,
                    )
    return cycle


def cycle_send_reminders(*, today: date | None = None, days_before: int = 3) -> int:
    """Remind the handler of every assessment whose stage deadline is near or passed (once a day at most)."""
    from portal.services.notifications import notify

    today = today or timezone.localdate()
    sent = 0
    for cycle in Cycle.objects.filter(status=CycleStatus.OPEN):
        for stage, role in STAGE_EDITOR.items():
            deadline = cycle.deadline_for(stage)
            if deadline is None or deadline - timedelta(days=days_before) > today:
                continue
            due = list(
                Assessment.objects.filter(cycle=cycle, stage=stage)
                .exclude(last_reminded_on=today)
                .select_related("community", "street", "district")[:2000]
            )
            if not due:
                continue
            holders: dict[str, list] = defaultdict(list)
            from portal.models import RoleAssignment

            codes = {c for a in due for c in a.community.path.split("/") if c}
            for ra in RoleAssignment.objects.filter(role=role, org__code__in=codes).select_related(
                "user", "org"
            ):
                holders[ra.org.code].append(ra.user)
            for a in due:
                users = [u for c in a.community.path.split("/") if c for u in holders.get(c, [])]
                if not users:
                    continue
                overdue = deadline < today
                notify(
                    users=users,
                    kind="evaluation_reminder",
                    title=f"{'已逾期' if overdue else '即将到期'}：{a.community.name}{Stage(stage).label}"
                    f"（截止 {deadline:%Y-%m-%d}）",
                    url=f"/evaluations/assessments/{a.pk}/",
                    deadline=_deadline_dt(deadline),
                    source=a,
                    email=True,
                )
                sent += 1
            Assessment.objects.filter(pk__in=[a.pk for a in due]).update(last_reminded_on=today)
    return sent
