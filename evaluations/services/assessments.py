"""One community's assessment: scores, figures from the other apps, evidence and the stage transitions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from evaluations.choices import (
    ASSESSMENT_WORKFLOW,
    REASON_REQUIRED,
    STAGE_EDITOR,
    TODO_REVIEW,
    TODO_SELF,
    Stage,
)
from evaluations.models import (
    Assessment,
    Evidence,
    Indicator,
    Score,
    ScoreChange,
    StageEvent,
)
from evaluations.schemas import EvidenceInput, ScoresInput, TransitionInput
from portal import history, uploads
from portal.audit import audit
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.models import User
from portal.scope import allows, recheck, require_right

from .base import _deadline_dt, _name, users_with_role_over
from .stars import _recompute

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


def _lock_assessment(assessment_id: int) -> Assessment:
    a = Assessment.objects.select_for_update().filter(pk=assessment_id).first()
    if a is None:
        raise NotFoundError("未找到该评星记录。")
    a = Assessment.objects.select_related("cycle__scheme", "community", "street", "district").get(pk=a.pk)
    return a


def _check_in_scope(actor, assessment: Assessment) -> None:
    """The assessment lies in ``actor``'s scope, else 404 (audited) — the one guard of services."""
    require_right(Assessment, actor, assessment.pk, "view", "该评星记录")


def can_edit_scores(actor, assessment: Assessment) -> bool:
    """Whether ``actor`` is the editor of the assessment's current stage (the ``score`` right)."""
    return allows(actor, "score", assessment)


def assessment_scores_update(*, actor: User, assessment_id: int, data: ScoresInput) -> Assessment:
    """Set indicator scores at the current stage. Every change is kept (who, stage, why, before → after);
    reviewers (street, district, city) must give a reason for each score they change and may not clear one.
    The values were checked by ``ScoresSchema`` against the scheme's indicators (number, range)."""
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
        for given in data.scores:
            s = by_ind.get(given.indicator_id)
            field = f"score_{given.indicator_id}"
            if s is None:
                raise DomainError("指标不属于本年度方案。", fields={field: "指标不存在。"})
            new = given.value
            if new is None and a.stage != Stage.SELF and s.value is not None:
                errors[field] = "审核环节不能清空得分。"
                continue
            if new == s.value:
                continue
            if a.stage in REASON_REQUIRED and not given.reason:
                errors[f"reason_{given.indicator_id}"] = "调整得分须说明理由。"
                continue
            changes.append((s, s.value, new, given.reason))
        if errors:
            raise DomainError("得分未保存：" + next(iter(errors.values())), fields=errors)
        now_stage = a.stage
        for s, _before, after, _reason in changes:
            s.value = after
            if now_stage == Stage.SELF:
                s.self_value = after
        history.bulk_update(Score, scores, ["value", "self_value"])
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
        if data.summary is not None and now_stage == Stage.SELF:
            a.self_summary = data.summary
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
        recheck(a, actor, "view", noun="该评星记录")
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
    from taskcheck.selectors import refusal_counts

    counts = refusal_counts(org=community, date_from=date(year, 1, 1), date_to=date(year, 12, 31))
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


def assessment_evidence_add(*, actor: User, assessment_id: int, data: EvidenceInput, upload=None) -> Evidence:
    """Attach a file (``upload``, checked by its content) or a link to a portal record as evidence (at the
    self-assessment stage). ``EvidenceSchema`` checked the title and the link's form."""
    title, link, indicator_id = data.title, data.link, data.indicator_id
    if not upload and not link:
        raise DomainError("请上传文件或填写平台记录链接。", fields={"file": "请上传文件或填写链接。"})
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
                raise DomainError("指标不属于本年度方案。", fields={"indicator_id": "指标不存在。"})
        ev = Evidence(assessment=a, indicator=indicator, title=title, link=link, added_by=actor)
        if checked is not None:
            stem = checked.original_name.rsplit(".", 1)[0][-60:]
            ev.file.save(f"{stem}.{checked.extension}", checked.as_file(), save=False)
        ev.save()
        audit(
            "evaluation.evidence_add", obj=a, after={"title": ev.title, "link": ev.link, "file": ev.file.name}
        )
    return ev


def assessment_transition(*, actor: User, assessment_id: int, data: TransitionInput) -> Assessment:
    """Move an assessment along the transition table (lock, check stage and role, history, audit, to-dos);
    ``TransitionSchema`` checked the step and that a return gives its reason."""
    from portal.services.notifications import notify, todos_done

    action, comment = data.action, data.comment
    step = ASSESSMENT_WORKFLOW.transition(action)
    with transaction.atomic():
        a = _lock_assessment(assessment_id)
        _check_in_scope(actor, a)
        from_stage = a.stage
        to_stage = ASSESSMENT_WORKFLOW.check(a, action)
        require_right(Assessment, actor, a.pk, step.action, "该评星记录", denied="您不是该环节的办理人。")
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
