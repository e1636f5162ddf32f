"""Schemes: validation (points add up, no veto indicator), saving, publishing and copying."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from evaluations.choices import (
    CLAUSE,
    EvidenceSource,
    IndicatorEffect,
    SchemeStatus,
)
from evaluations.models import (
    Dimension,
    Indicator,
    Scheme,
    StarRule,
)
from evaluations.rules import VETO
from portal import history
from portal.audit import audit
from portal.errors import ConflictError, DomainError, NotFoundError

from .base import _decimal, _require_city_admin

# Veto wording in indicator texts: a scheme must not fail, zero or cap a community on one item.
VETO_WORDING = re.compile(
    VETO.pattern
    + r"|一项不达标|单项不合格即|不合格的?不得|取消.{0,4}星级|降为.{0,3}星|降低.{0,2}星级|总分(记为|计为|按)?零|"
    r"总分清零|不得参评|最高(只能|不超过|仅)?评?为?.{0,2}星"
)


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
