"""Writes of the star rating: schemes, the cycle's transitions, scores, publication, rectification,
the appraisal whitelist and report jobs. Views, the API and tasks call these; nothing else writes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from evaluations.choices import (
    ASSESSMENT_WORKFLOW,
    CLAUSE,
    NOTICE_RESULT,
    REASON_REQUIRED,
    RECTIFICATION_WORKFLOW,
    STAGE_EDITOR,
    TODO_RECTIFY,
    TODO_REVIEW,
    TODO_SELF,
    AppraisalKind,
    AuthorityLevel,
    CycleStatus,
    EvidenceSource,
    IndicatorEffect,
    RectificationAction,
    SchemeStatus,
    Stage,
)
from evaluations.models import (
    AppraisalEntry,
    Assessment,
    Cycle,
    Dimension,
    Evidence,
    Indicator,
    Rectification,
    RectificationNote,
    Scheme,
    Score,
    ScoreChange,
    StageEvent,
    StarRule,
)
from evaluations.rules import VETO
from portal import history, uploads
from portal.audit import audit
from portal.choices import OrgLevel, Role
from portal.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from portal.models import OrgUnit, User
from portal.scope import covers, is_city_admin

# Veto wording in indicator texts: a scheme must not fail, zero or cap a community on one item.
VETO_WORDING = re.compile(
    VETO.pattern
    + r"|一项不达标|单项不合格即|不合格的?不得|取消.{0,4}星级|降为.{0,3}星|降低.{0,2}星级|总分(记为|计为|按)?零|"
    r"总分清零|不得参评|最高(只能|不超过|仅)?评?为?.{0,2}星"
)
ONE_DECIMAL = Decimal("0.1")
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


# ————————————————————————————— helpers —————————————————————————————


def _name(user) -> str:
    return (getattr(user, "real_name", "") or getattr(user, "username", ""))[:60]


def _decimal(value, *, field: str, label: str) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}应为数字。", fields={field: "应为数字。"})
    if not d.is_finite():
        raise DomainError(f"{label}应为数字。", fields={field: "应为数字。"})
    if d != d.quantize(ONE_DECIMAL):
        raise DomainError(f"{label}最多保留一位小数。", fields={field: "最多保留一位小数。"})
    return d.quantize(ONE_DECIMAL)


def _require_city_admin(actor) -> None:
    if not is_city_admin(actor):
        raise PermissionDeniedError("只有市民政局管理员可以进行此操作。")


def users_with_role_over(org: OrgUnit, role: str):
    """Users holding ``role`` at ``org`` or one of its ancestors (one query)."""
    codes = [c for c in org.path.split("/") if c]
    return User.objects.filter(is_active=True, roles__role=role, roles__org__code__in=codes).distinct()


# ————————————————————————————— schemes —————————————————————————————


@dataclass
class IndicatorIn:
    name: str
    max_points: Decimal | str | int
    guidance: str = ""
    evidence_expected: str = ""
    evidence_source: str = ""
    effect: str = IndicatorEffect.ADD


@dataclass
class DimensionIn:
    name: str
    max_points: Decimal | str | int
    indicators: list[IndicatorIn]


@dataclass
class StarRuleIn:
    stars: int
    min_total: Decimal | str | int
    min_dimension_pct: int = 0


def _as_dimension(d) -> DimensionIn:
    if isinstance(d, DimensionIn):
        return d
    return DimensionIn(
        name=d.get("name", ""),
        max_points=d.get("max_points", ""),
        indicators=[i if isinstance(i, IndicatorIn) else IndicatorIn(**i) for i in d.get("indicators", [])],
    )


def _as_rule(r) -> StarRuleIn:
    return r if isinstance(r, StarRuleIn) else StarRuleIn(**r)


def scheme_validate(*, title: str, total_points, dimensions: list, star_rules: list) -> tuple[list, list]:
    """Check a scheme before anything is saved. Refuses points that do not add up, any veto indicator (by its
    effect or by its wording) and incomplete or inconsistent star thresholds. Returns the normalised input."""
    errors: list[str] = []
    dims = [_as_dimension(d) for d in dimensions]
    rules = [_as_rule(r) for r in star_rules]
    if not (title or "").strip():
        errors.append("请填写方案名称。")
    total = _decimal(total_points, field="total_points", label="总分")
    if total <= 0:
        errors.append("总分应大于 0。")
    if not dims:
        errors.append("方案至少要有一个评价维度。")
    dim_sum = Decimal(0)
    for di, d in enumerate(dims, start=1):
        where = f"第{di}个维度“{d.name or '（未命名）'}”"
        if not d.name.strip():
            errors.append(f"第{di}个维度缺少名称。")
        d.max_points = _decimal(d.max_points, field="dimensions", label=f"{where}的满分")
        dim_sum += d.max_points
        if not d.indicators:
            errors.append(f"{where}没有指标。")
        ind_sum = Decimal(0)
        for ii, ind in enumerate(d.indicators, start=1):
            iwhere = f"{where}第{ii}项指标“{ind.name or '（未命名）'}”"
            if not ind.name.strip():
                errors.append(f"{where}第{ii}项指标缺少名称。")
            ind.max_points = _decimal(ind.max_points, field="dimensions", label=f"{iwhere}的分值")
            if ind.max_points <= 0:
                errors.append(f"{iwhere}的分值应大于 0。")
            ind_sum += ind.max_points
            if ind.effect not in IndicatorEffect.values:
                errors.append(f"{iwhere}的计分方式无效。")
            elif ind.effect != IndicatorEffect.ADD:
                errors.append(
                    f"{iwhere}设置了“{IndicatorEffect(ind.effect).label}”，属于“一票否决”，"
                    f"不得对社区设置（{CLAUSE}）。请改为按得分计分。"
                )
            if ind.evidence_source not in EvidenceSource.values:
                errors.append(f"{iwhere}的平台数据来源无效。")
            for label, text in (
                ("名称", ind.name),
                ("评分指引", ind.guidance),
                ("佐证材料", ind.evidence_expected),
            ):
                m = VETO_WORDING.search(re.sub(r"\s+", "", text or ""))
                if m:
                    errors.append(
                        f"{iwhere}的{label}含有否决性表述“{m.group(0)}”，属于“一票否决”，不得对社区设置（{CLAUSE}）。"
                    )
        if ind_sum != d.max_points:
            errors.append(f"{where}的指标分值合计 {ind_sum} 分，与维度满分 {d.max_points} 分不一致。")
        if VETO_WORDING.search(d.name or ""):
            errors.append(f"{where}的名称含有否决性表述，不得对社区设置“一票否决”（{CLAUSE}）。")
    if dims and dim_sum != total:
        errors.append(f"各维度满分合计 {dim_sum} 分，与方案总分 {total} 分不一致。")
    stars_seen = sorted(r.stars for r in rules)
    if stars_seen != [1, 2, 3, 4, 5]:
        errors.append("星级标准须为一星至五星各一条。")
    else:
        by_star = {}
        for r in rules:
            r.min_total = _decimal(r.min_total, field="star_rules", label=f"{r.stars}星的总分线")
            try:
                r.min_dimension_pct = int(r.min_dimension_pct)
            except (TypeError, ValueError):
                errors.append(f"{r.stars}星的维度得分率应为整数。")
                continue
            if not 0 <= r.min_dimension_pct <= 100:
                errors.append(f"{r.stars}星的维度得分率应在 0 到 100 之间。")
            if r.min_total <= 0 or r.min_total > total:
                errors.append(f"{r.stars}星的总分线应大于 0 且不超过总分 {total} 分。")
            by_star[r.stars] = r
        if len(by_star) == 5:
            for s in range(2, 6):
                hi, lo = by_star[s], by_star[s - 1]
                if hi.min_total <= lo.min_total or hi.min_dimension_pct < lo.min_dimension_pct:
                    errors.append(f"{s}星的标准应高于{s - 1}星（总分线更高，维度得分率不低于{s - 1}星）。")
    if errors:
        raise DomainError(
            "方案未保存：" + errors[0] + (f"（另有 {len(errors) - 1} 处问题）" if len(errors) > 1 else ""),
            code="scheme_invalid",
            fields={"scheme": "\n".join(errors)},
        )
    return dims, rules


def _write_structure(scheme: Scheme, dims: list[DimensionIn], rules: list[StarRuleIn]) -> None:
    scheme.dimensions.all().delete()
    scheme.star_rules.all().delete()
    dim_rows = history.bulk_create(
        Dimension,
        [
            Dimension(scheme=scheme, order=i, name=d.name.strip(), max_points=d.max_points)
            for i, d in enumerate(dims, 1)
        ],
    )
    history.bulk_create(
        Indicator,
        [
            Indicator(
                dimension=row,
                order=j,
                name=ind.name.strip(),
                max_points=ind.max_points,
                guidance=ind.guidance.strip(),
                evidence_expected=ind.evidence_expected.strip(),
                evidence_source=ind.evidence_source,
                effect=ind.effect,
            )
            for row, d in zip(dim_rows, dims, strict=True)
            for j, ind in enumerate(d.indicators, 1)
        ],
    )
    history.bulk_create(
        StarRule,
        [
            StarRule(
                scheme=scheme, stars=r.stars, min_total=r.min_total, min_dimension_pct=r.min_dimension_pct
            )
            for r in rules
        ],
    )


def scheme_save(
    *,
    actor,
    year: int,
    title: str,
    total_points,
    dimensions: list,
    star_rules: list,
    scheme_id: int | None = None,
) -> Scheme:
    """Create a draft scheme, or replace a draft's content. Published schemes are locked (409)."""
    _require_city_admin(actor)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError("年度应为四位数字。", fields={"year": "年度应为四位数字。"})
    if not 2000 <= year <= 2100:
        raise DomainError("年度应在 2000 至 2100 之间。", fields={"year": "年度应在 2000 至 2100 之间。"})
    dims, rules = scheme_validate(
        title=title, total_points=total_points, dimensions=dimensions, star_rules=star_rules
    )
    with transaction.atomic():
        if scheme_id is not None:
            scheme = Scheme.objects.select_for_update().filter(pk=scheme_id).first()
            if scheme is None:
                raise NotFoundError("未找到该方案。")
            if scheme.is_locked:
                raise ConflictError("方案已发布并锁定，不能修改；请复制为下一年度的新方案。")
            if scheme.year != year and Scheme.objects.filter(year=year).exists():
                raise DomainError(f"{year}年度已有方案。", fields={"year": f"{year}年度已有方案。"})
            before = {"year": scheme.year, "title": scheme.title, "total_points": scheme.total_points}
            scheme.year, scheme.title, scheme.total_points = (
                year,
                title.strip(),
                int(Decimal(str(total_points))),
            )
            scheme.save()
            action = "evaluation.scheme_update"
        else:
            if Scheme.objects.filter(year=year).exists():
                raise DomainError(
                    f"{year}年度已有方案，请编辑该方案。", fields={"year": f"{year}年度已有方案。"}
                )
            before = None
            scheme = Scheme.objects.create(
                year=year, title=title.strip(), total_points=int(Decimal(str(total_points))), created_by=actor
            )
            action = "evaluation.scheme_create"
        _write_structure(scheme, dims, rules)
        audit(
            action,
            obj=scheme,
            before=before,
            after={
                "year": year,
                "title": scheme.title,
                "total_points": scheme.total_points,
                "dimensions": [d.name for d in dims],
                "indicators": sum(len(d.indicators) for d in dims),
            },
        )
    return scheme


def scheme_as_input(scheme: Scheme) -> tuple[list[DimensionIn], list[StarRuleIn]]:
    """The scheme's content in the shape :func:`scheme_save` takes (for copies and the edit form)."""
    dims = [
        DimensionIn(
            name=d.name,
            max_points=d.max_points,
            indicators=[
                IndicatorIn(
                    name=i.name,
                    max_points=i.max_points,
                    guidance=i.guidance,
                    evidence_expected=i.evidence_expected,
                    evidence_source=i.evidence_source,
                    effect=i.effect,
                )
                for i in d.indicators.all()
            ],
        )
        for d in scheme.dimensions.prefetch_related("indicators").order_by("order", "id")
    ]
    rules = [
        StarRuleIn(stars=r.stars, min_total=r.min_total, min_dimension_pct=r.min_dimension_pct)
        for r in scheme.star_rules.order_by("-stars")
    ]
    return dims, rules


def scheme_publish(*, actor, scheme_id: int) -> Scheme:
    """Publish and lock a draft scheme (validated once more)."""
    _require_city_admin(actor)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().filter(pk=scheme_id).first()
        if scheme is None:
            raise NotFoundError("未找到该方案。")
        if scheme.status != SchemeStatus.DRAFT:
            raise ConflictError("该方案已发布。")
        dims, rules = scheme_as_input(scheme)
        scheme_validate(
            title=scheme.title, total_points=scheme.total_points, dimensions=dims, star_rules=rules
        )
        scheme.status = SchemeStatus.PUBLISHED
        scheme.published_at = timezone.now()
        scheme.published_by = actor
        scheme.save(update_fields=["status", "published_at", "published_by"])
        audit(
            "evaluation.scheme_publish",
            obj=scheme,
            before={"status": SchemeStatus.DRAFT},
            after={"status": SchemeStatus.PUBLISHED},
        )
    return scheme


def scheme_copy(*, actor, scheme_id: int, year: int | None = None) -> Scheme:
    """Start next year's scheme as a draft copy."""
    _require_city_admin(actor)
    source = Scheme.objects.filter(pk=scheme_id).first()
    if source is None:
        raise NotFoundError("未找到该方案。")
    year = year or source.year + 1
    if Scheme.objects.filter(year=year).exists():
        raise ConflictError(f"{year}年度已有方案。")
    dims, rules = scheme_as_input(source)
    title = source.title.replace(str(source.year), str(year))
    with transaction.atomic():
        scheme = scheme_save(
            actor=actor,
            year=year,
            title=title,
            total_points=source.total_points,
            dimensions=dims,
            star_rules=rules,
        )
        scheme.based_on = source
        scheme.save(update_fields=["based_on"])
        audit("evaluation.scheme_copy", obj=scheme, after={"from": source.year, "to": year})
    return scheme


# ————————————————————————————— stars —————————————————————————————


def compute_stars(*, total: Decimal, dimension_scores: dict, dimension_max: dict, rules) -> int:
    """The highest star level whose thresholds are met (0 when none: the community goes to rectification)."""
    for rule in sorted(rules, key=lambda r: -r.stars):
        if Decimal(str(total)) < Decimal(str(rule.min_total)):
            continue
        ok = True
        for dim_id, max_points in dimension_max.items():
            got = Decimal(str(dimension_scores.get(str(dim_id), 0) or 0))
            if max_points and got * 100 < Decimal(rule.min_dimension_pct) * Decimal(str(max_points)):
                ok = False
                break
        if ok:
            return rule.stars
    return 0


def _recompute(assessment: Assessment, scores: list[Score], scheme: Scheme) -> None:
    dims: dict[str, Decimal] = defaultdict(Decimal)
    dim_max = {d.pk: d.max_points for d in scheme.dimensions.all()}
    for s in scores:
        dims[str(s.indicator.dimension_id)] += s.value or Decimal(0)
    total = sum(dims.values(), Decimal(0))
    assessment.dimension_scores = {k: str(v) for k, v in dims.items()}
    assessment.total_score = total
    assessment.stars = compute_stars(
        total=total,
        dimension_scores=assessment.dimension_scores,
        dimension_max=dim_max,
        rules=list(scheme.star_rules.all()),
    )


# ————————————————————————————— the cycle —————————————————————————————


def cycle_start(
    *,
    actor,
    scheme_id: int,
    self_deadline: date,
    street_deadline: date,
    district_deadline: date,
    city_deadline: date,
) -> Cycle:
    """Open the year's cycle under a published scheme: one assessment per community, to-dos for community staff."""
    _require_city_admin(actor)
    if not (self_deadline < street_deadline < district_deadline < city_deadline):
        raise DomainError(
            "各环节截止日期应依次排列：社区自评 < 街道审核 < 区级复核 < 市级确认。",
            fields={"street_deadline": "截止日期顺序不正确。"},
        )
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
            self_deadline=self_deadline,
            street_deadline=street_deadline,
            district_deadline=district_deadline,
            city_deadline=city_deadline,
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
            after={"year": cycle.year, "communities": len(assessments), "self_deadline": self_deadline},
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


def _deadline_dt(d: date | None):
    if d is None:
        return None
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(d, time(23, 59)))


def _lock_assessment(assessment_id: int) -> Assessment:
    a = Assessment.objects.select_for_update().filter(pk=assessment_id).first()
    if a is None:
        raise NotFoundError("未找到该评星记录。")
    a = Assessment.objects.select_related("cycle__scheme", "community", "street", "district").get(pk=a.pk)
    return a


def _check_in_scope(actor, assessment: Assessment) -> None:
    if not Assessment.objects.for_user(actor, "view").filter(pk=assessment.pk).exists():
        raise NotFoundError("未找到该评星记录，或您无权访问。")


def can_edit_scores(actor, assessment: Assessment) -> bool:
    role = STAGE_EDITOR.get(assessment.stage)
    return bool(role) and covers(actor, assessment.community, roles={role})


def assessment_scores_update(
    *,
    actor,
    assessment_id: int,
    values: dict,
    reasons: dict | None = None,
    notes: dict | None = None,
    summary: str | None = None,
) -> Assessment:
    """Set indicator scores at the current stage. Every change is kept (who, stage, why, before → after);
    reviewers (street, district, city) must give a reason for each score they change."""
    reasons = reasons or {}
    notes = notes or {}
    with transaction.atomic():
        a = _lock_assessment(assessment_id)
        _check_in_scope(actor, a)
        if not can_edit_scores(actor, a):
            raise PermissionDeniedError(f"当前环节为“{a.get_stage_display()}”，您不能修改得分。")
        scores = list(
            a.scores.select_related("indicator__dimension").order_by(
                "indicator__dimension__order", "indicator__order"
            )
        )
        by_ind = {s.indicator_id: s for s in scores}
        errors: dict[str, str] = {}
        changes: list[tuple[Score, Decimal | None, Decimal | None, str]] = []
        for key, raw in values.items():
            try:
                ind_id = int(key)
            except (TypeError, ValueError):
                raise DomainError("指标不存在。")
            s = by_ind.get(ind_id)
            if s is None:
                raise DomainError("指标不属于本年度方案。", fields={f"score_{key}": "指标不存在。"})
            field = f"score_{ind_id}"
            raw = "" if raw is None else str(raw).strip()
            if raw == "":
                new = None
                if a.stage != Stage.SELF and s.value is not None:
                    errors[field] = "审核环节不能清空得分。"
                    continue
            else:
                try:
                    new = _decimal(raw, field=field, label=f"“{s.indicator.name}”的得分")
                except DomainError as exc:
                    errors[field] = exc.message
                    continue
                if not Decimal(0) <= new <= s.indicator.max_points:
                    errors[field] = f"得分应在 0 到 {s.indicator.max_points} 分之间。"
                    continue
            if new == s.value:
                continue
            reason = (reasons.get(key) or reasons.get(ind_id) or "").strip()
            if a.stage in REASON_REQUIRED and not reason:
                errors[f"reason_{ind_id}"] = "调整得分须说明理由。"
                continue
            changes.append((s, s.value, new, reason[:500]))
        if errors:
            raise DomainError("得分未保存：" + next(iter(errors.values())), fields=errors)
        now_stage = a.stage
        for s, _before, after, _reason in changes:
            s.value = after
            if now_stage == Stage.SELF:
                s.self_value = after
        for key, note in notes.items():
            s = by_ind.get(int(key)) if str(key).isdigit() else None
            if s is not None and now_stage == Stage.SELF:
                s.note = (note or "").strip()[:500]
        history.bulk_update(Score, scores, ["value", "self_value", "note"])
        history.bulk_create(
            ScoreChange,
            [
                ScoreChange(
                    assessment=a,
                    indicator=s.indicator,
                    stage=now_stage,
                    actor=actor,
                    actor_name=_name(actor),
                    before=before,
                    after=after,
                    reason=reason,
                )
                for s, before, after, reason in changes
            ],
        )
        if summary is not None and now_stage == Stage.SELF:
            a.self_summary = summary.strip()[:5000]
        before_total = a.total_score
        _recompute(a, scores, a.cycle.scheme)
        a.save(update_fields=["dimension_scores", "total_score", "stars", "self_summary", "updated_at"])
        for s, before, after, reason in changes:
            audit(
                "evaluation.score_change",
                obj=a,
                before={"indicator": s.indicator.name, "score": before},
                after={"indicator": s.indicator.name, "score": after, "stage": now_stage},
                detail=reason,
            )
        if changes:
            audit(
                "evaluation.total_recomputed",
                obj=a,
                before={"total": before_total},
                after={"total": a.total_score, "stars": a.stars},
            )
        _check_in_scope(actor, a)
    return a


def assessment_refresh_figures(*, actor, assessment_id: int) -> Assessment:
    """Pull the figures the portal already has (admission, certificates, task-check refusals): no retyping."""
    with transaction.atomic():
        a = _lock_assessment(assessment_id)
        _check_in_scope(actor, a)
        if not can_edit_scores(actor, a):
            raise PermissionDeniedError("只有当前环节的办理人可以更新平台数据。")
        a.figures = collect_figures(community=a.community, year=a.cycle.year)
        a.figures_at = timezone.now()
        a.save(update_fields=["figures", "figures_at", "updated_at"])
        audit("evaluation.figures_refresh", obj=a, after=a.figures)
    return a


def collect_figures(*, community, year: int) -> dict:
    """Figures from other apps' selectors (their contracts); a missing source is simply absent."""
    from admission.selectors import admission_stats_for_community
    from certificates.selectors import certificate_stats_for_community

    figures: dict = {}
    figures["admission"] = dict(admission_stats_for_community(community=community, year=year) or {})
    figures["certificates"] = dict(certificate_stats_for_community(community=community, year=year) or {})
    try:
        from taskcheck import selectors as taskcheck_selectors
    except ImportError:
        taskcheck_selectors = None
    if taskcheck_selectors is not None and hasattr(taskcheck_selectors, "refusal_counts"):
        try:
            counts = taskcheck_selectors.refusal_counts(
                org=community, date_from=date(year, 1, 1), date_to=date(year, 12, 31)
            )
        except TypeError:  # a different signature: leave the figure out rather than fail the assessment
            counts = None
        if counts:
            figures["refusals"] = {
                "refused": counts.get("total", 0),
                "prohibited": counts.get("prohibited", 0),
                "not_admitted": counts.get("not_admitted", 0),
            }
    from supervision.selectors import community_evidence

    burden = community_evidence(community=community, year=year)
    figures["complaints"] = {
        "complaints": burden["complaints"],
        "substantiated": burden["substantiated"],
    }
    figures["appeals"] = {
        "appeals": burden["appeals"],
        "appeals_answered": burden["appeals_answered"],
        "appeals_on_time": burden["appeals_on_time"],
        **({"appeals_rating": burden["appeals_rating"]} if burden["appeals_rating"] is not None else {}),
    }
    return figures


def assessment_evidence_add(
    *, actor, assessment_id: int, title: str, indicator_id: int | None = None, upload=None, link: str = ""
) -> Evidence:
    """Attach a file or a link to a portal record as evidence (at the self-assessment stage)."""
    title = (title or "").strip()
    link = (link or "").strip()
    if not title:
        raise DomainError("请填写材料名称。", fields={"title": "请填写材料名称。"})
    if not upload and not link:
        raise DomainError("请上传文件或填写平台记录链接。", fields={"file": "请上传文件或填写链接。"})
    if (
        link
        and not (link.startswith("/") and not link.startswith("//"))
        and not re.match(r"^https?://", link)
    ):
        raise DomainError(
            "链接应为平台内地址（以 / 开头）或 http(s) 地址。", fields={"link": "链接格式不正确。"}
        )
    checked = None
    if upload is not None:
        checked = uploads.check_upload(
            upload,
            label="佐证材料",
            accept=uploads.IMAGES_AND_PDF + uploads.OFFICE,
            max_bytes=EVIDENCE_MAX_BYTES,
            field="file",
        )
    with transaction.atomic():
        a = _lock_assessment(assessment_id)
        _check_in_scope(actor, a)
        if a.stage != Stage.SELF or not can_edit_scores(actor, a):
            raise PermissionDeniedError("只有社区在自评环节可以上传佐证材料。")
        indicator = None
        if indicator_id:
            indicator = Indicator.objects.filter(pk=indicator_id, dimension__scheme=a.cycle.scheme).first()
            if indicator is None:
                raise DomainError("指标不属于本年度方案。", fields={"indicator": "指标不存在。"})
        ev = Evidence(assessment=a, indicator=indicator, title=title[:200], link=link[:300], added_by=actor)
        if checked is not None:
            stem = checked.original_name.rsplit(".", 1)[0][-60:]
            ev.file.save(f"{stem}.{checked.extension}", checked.as_file(), save=False)
        ev.save()
        audit(
            "evaluation.evidence_add", obj=a, after={"title": ev.title, "link": ev.link, "file": ev.file.name}
        )
    return ev


def assessment_transition(*, actor, assessment_id: int, action: str, comment: str = "") -> Assessment:
    """Move an assessment along the transition table (lock, check stage and role, history, audit, to-dos)."""
    from portal.services.notifications import notify, todos_done

    if action not in ASSESSMENT_WORKFLOW.actions():
        raise DomainError("无效的操作。", fields={"action": "无效的操作。"})
    step = ASSESSMENT_WORKFLOW.transition(action)
    comment = (comment or "").strip()[:500]
    if step.needs_reason and not comment:
        raise DomainError("退回须说明理由。", fields={"comment": "请填写退回理由。"})
    with transaction.atomic():
        a = _lock_assessment(assessment_id)
        _check_in_scope(actor, a)
        from_stage = a.stage
        to_stage = ASSESSMENT_WORKFLOW.check(a, action)
        if not covers(actor, a.community, roles=set(step.roles)):
            raise PermissionDeniedError("您不是该环节的办理人。")
        if action == "submit":
            missing = a.scores.filter(value__isnull=True).count()
            if missing:
                raise DomainError(
                    f"还有 {missing} 项指标未打分，不能提交。",
                    fields={"scores": "请完成全部指标的自评打分。"},
                )
            a.figures = collect_figures(community=a.community, year=a.cycle.year)
            a.figures_at = timezone.now()
            a.submitted_at = timezone.now()
        if to_stage == Stage.CONFIRMED:
            scores = list(a.scores.select_related("indicator"))
            _recompute(a, scores, a.cycle.scheme)
            a.confirmed_at = timezone.now()
        a.stage = to_stage
        a.last_reminded_on = None
        a.save()
        StageEvent.objects.create(
            assessment=a,
            action=action,
            from_stage=from_stage,
            to_stage=to_stage,
            actor=actor,
            actor_name=_name(actor),
            comment=comment,
        )
        audit(
            f"evaluation.{action}",
            obj=a,
            before={"stage": from_stage},
            after={"stage": to_stage},
            detail=comment,
        )
        todos_done(source=a)
        next_role = STAGE_EDITOR.get(to_stage)
        if next_role:
            kind = TODO_SELF if to_stage == Stage.SELF else TODO_REVIEW
            verb = "请修改社区自评" if to_stage == Stage.SELF else f"请完成{Stage(to_stage).label}"
            notify(
                users=list(users_with_role_over(a.community, next_role)),
                kind=kind,
                title=f"{a.cycle.year}年度评星定级：{a.community.name}{verb}",
                url=f"/evaluations/assessments/{a.pk}/",
                deadline=_deadline_dt(a.cycle.deadline_for(to_stage)),
                todo=True,
                source=a,
                body=comment,
                email=False,
            )
    return a


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


def assign_ranks(assessments: list) -> None:
    """Competition ranking (1, 2, 2, 4 …) by total score within the city, each district and each street."""

    def rank(group: list, attr: str) -> None:
        ordered = sorted(group, key=lambda a: -Decimal(str(a.total_score)))
        prev, prev_rank = None, 0
        for i, a in enumerate(ordered, start=1):
            score = Decimal(str(a.total_score))
            if score != prev:
                prev, prev_rank = score, i
            setattr(a, attr, prev_rank)

    rank(assessments, "rank_city")
    by_district: dict = defaultdict(list)
    by_street: dict = defaultdict(list)
    for a in assessments:
        by_district[a.district_id].append(a)
        by_street[a.street_id].append(a)
    for group in by_district.values():
        rank(group, "rank_district")
    for group in by_street.values():
        rank(group, "rank_street")


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


# ————————————————————————————— rectification —————————————————————————————


def _lock_rectification(actor, rectification_id: int) -> Rectification:
    r = Rectification.objects.select_for_update().filter(pk=rectification_id).first()
    if r is None or not Rectification.objects.for_user(actor, "view").filter(pk=r.pk).exists():
        raise NotFoundError("未找到该整改记录，或您无权访问。")
    return Rectification.objects.select_related("community").get(pk=r.pk)


def rectification_plan_save(
    *, actor, rectification_id: int, plan: str, deadline: date | None = None
) -> Rectification:
    """The community (or its street) writes the rectification plan; the district may move the deadline."""
    from portal.services.notifications import todos_done

    plan = (plan or "").strip()
    if len(plan) < 10:
        raise DomainError(
            "整改方案至少写 10 个字：问题、措施、责任人、时限。", fields={"plan": "整改方案过短。"}
        )
    with transaction.atomic():
        r = _lock_rectification(actor, rectification_id)
        step = RECTIFICATION_WORKFLOW.transition(RectificationAction.PLAN)
        to_status = RECTIFICATION_WORKFLOW.check(r, step.action)
        if not covers(actor, r.community, roles=set(step.roles)):
            raise PermissionDeniedError("您不能修改该整改方案。")
        before = {"plan": r.plan, "deadline": r.deadline, "status": r.status}
        if deadline is not None and deadline != r.deadline:
            if not covers(actor, r.community, roles={Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN}):
                raise PermissionDeniedError("整改期限由区民政局确定。")
            if deadline < timezone.localdate():
                raise DomainError("整改期限不能早于今天。", fields={"deadline": "整改期限不能早于今天。"})
            r.deadline = deadline
        r.plan = plan[:5000]
        r.status = to_status
        r.save()
        audit(
            "evaluation.rectification_plan",
            obj=r,
            before=before,
            after={"plan": r.plan, "deadline": r.deadline, "status": r.status},
        )
        todos_done(source=r, kind=TODO_RECTIFY)
    return r


def rectification_follow_up(*, actor, rectification_id: int, text: str, close: bool = False) -> Rectification:
    """Street, district or city record the follow-up; the district (or city) closes the rectification."""
    text = (text or "").strip()
    if not text:
        raise DomainError("请填写跟踪记录。", fields={"text": "请填写跟踪记录。"})
    with transaction.atomic():
        r = _lock_rectification(actor, rectification_id)
        follow = RECTIFICATION_WORKFLOW.transition(RectificationAction.FOLLOW_UP)
        if not covers(actor, r.community, roles=set(follow.roles)):
            raise PermissionDeniedError("跟踪督导由街道、区民政局或市民政局记录。")
        RECTIFICATION_WORKFLOW.check(r, follow.action)
        RectificationNote.objects.create(
            rectification=r, text=text[:1000], actor=actor, actor_name=_name(actor)
        )
        before = r.status
        if close:
            closing = RECTIFICATION_WORKFLOW.transition(RectificationAction.CLOSE)
            to_status = RECTIFICATION_WORKFLOW.check(r, closing.action)
            if not covers(actor, r.community, roles=set(closing.roles)):
                raise PermissionDeniedError("整改验收由区民政局确认。")
            r.status = to_status
            r.closed_at = timezone.now()
            r.save(update_fields=["status", "closed_at"])
        audit(
            "evaluation.rectification_follow_up",
            obj=r,
            before={"status": before},
            after={"status": r.status},
            detail=text[:500],
        )
    return r


# ————————————————————————————— appraisal whitelist —————————————————————————————


def appraisal_entry_save(
    *,
    actor,
    name: str,
    kind: str,
    authority: str,
    authority_level: str,
    document_no: str = "",
    document_title: str = "",
    keywords: str = "",
    needs_review: bool = False,
    active: bool = True,
    entry_id: int | None = None,
) -> AppraisalEntry:
    """Add or edit a whitelist entry. Only campaigns mandated by the centre, a ministry or the city Party
    committee / government may be listed (三（四））."""
    _require_city_admin(actor)
    name = (name or "").strip()
    authority = (authority or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写名称。"
    if not authority:
        errors["authority"] = "请填写部署机关。"
    if kind not in AppraisalKind.values:
        errors["kind"] = "类别无效。"
    if authority_level not in AuthorityLevel.values:
        errors["authority_level"] = "只有中央、国家有关部委和市委、市政府部署的项目可以列入白名单。"
    if VETO.search(name + keywords):
        errors["name"] = "白名单项目不得设置“一票否决”。"
    if errors:
        raise DomainError("白名单未保存：" + next(iter(errors.values())), fields=errors)
    with transaction.atomic():
        if entry_id:
            entry = AppraisalEntry.objects.select_for_update().filter(pk=entry_id).first()
            if entry is None:
                raise NotFoundError("未找到该条目。")
        else:
            entry = AppraisalEntry(order=(AppraisalEntry.objects.count() + 1))
        if AppraisalEntry.objects.filter(name=name).exclude(pk=entry.pk).exists():
            raise DomainError("已有同名条目。", fields={"name": "已有同名条目。"})
        before = (
            None
            if entry.pk is None
            else {
                "name": entry.name,
                "authority": entry.authority,
                "document_no": entry.document_no,
                "active": entry.active,
            }
        )
        entry.name, entry.kind, entry.authority, entry.authority_level = (
            name,
            kind,
            authority,
            authority_level,
        )
        entry.document_no, entry.document_title = document_no.strip()[:100], document_title.strip()[:200]
        entry.keywords, entry.needs_review, entry.active = keywords.strip()[:300], needs_review, active
        entry.save()
        audit(
            "evaluation.whitelist_save",
            obj=entry,
            before=before,
            after={
                "name": entry.name,
                "authority": entry.authority,
                "document_no": entry.document_no,
                "active": entry.active,
            },
        )
    return entry


# ————————————————————————————— reports —————————————————————————————


def evaluation_report_request(
    *, actor, kind: str, assessment_id: int | None = None, district_code: str = "", year: int | None = None
):
    """Queue a PDF: ``sheet`` (a community's evaluation sheet) or ``summary`` (a district's results summary)."""
    from portal.jobs import enqueue, job_create

    if kind == "sheet":
        a = (
            Assessment.objects.for_user(actor, "view")
            .select_related("community", "cycle")
            .filter(pk=assessment_id)
            .first()
        )
        if a is None:
            raise NotFoundError("未找到该评星记录，或您无权访问。")
        title, org, params = (
            f"{a.cycle.year}年度评星定级测评表：{a.community.name}",
            a.community,
            {"assessment_id": a.pk},
        )
    elif kind == "summary":
        district = OrgUnit.objects.filter(code=district_code, level=OrgLevel.DISTRICT).first()
        if district is None:
            raise DomainError("区代码不存在。", fields={"district": "区代码不存在。"})
        if not covers(actor, district, roles={Role.DISTRICT_OFFICIAL, Role.CITY_ADMIN}):
            raise NotFoundError("未找到该区，或您无权访问。")
        if not Cycle.objects.filter(year=year, status=CycleStatus.PUBLISHED).exists():
            raise DomainError(f"{year}年度结果尚未发布。", fields={"year": "该年度结果尚未发布。"})
        title, org, params = (
            f"{district.name}{year}年度评星定级结果汇总",
            district,
            {"district": district.code, "year": year},
        )
    else:
        raise DomainError("报告类型无效。", fields={"kind": "报告类型无效。"})
    with transaction.atomic():
        job = job_create(kind=f"evaluations.{kind}", title=title, requested_by=actor, org=org, params=params)
        enqueue("evaluations.tasks.render_report", args=[str(job.pk)])
        audit("evaluation.report_request", obj=org, after={"kind": kind, "job": str(job.pk), **params})
    return job


def assessments_prefetch_scores():
    return Prefetch("scores", queryset=Score.objects.select_related("indicator__dimension"))
