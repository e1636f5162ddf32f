"""Schemes: validation (points add up, no veto indicator), saving, publishing and copying."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.utils import timezone

from evaluations.choices import CLAUSE, IndicatorEffect, SchemeStatus
from evaluations.models import (
    Dimension,
    Indicator,
    Scheme,
    StarRule,
)
from evaluations.rules import VETO
from evaluations.schemas import DimensionInput, IndicatorInput, SchemeInput, StarRuleInput
from portal import history
from portal.audit import audit
from portal.errors import ConflictError, DomainError, NotFoundError
from portal.models import User

from .base import _require_city_admin

# Veto wording in indicator texts: a scheme must not fail, zero or cap a community on one item.
VETO_WORDING = re.compile(
    VETO.pattern
    + r"|一项不达标|单项不合格即|不合格的?不得|取消.{0,4}星级|降为.{0,3}星|降低.{0,2}星级|总分(记为|计为|按)?零|"
    r"总分清零|不得参评|最高(只能|不超过|仅)?评?为?.{0,2}星"
)


def scheme_validate(*, data: SchemeInput) -> None:
    """The scheme's rules, checked before anything is saved and again before it is published: the points add
    up (indicators to their dimension, dimensions to the total), no indicator vetoes the result (by its effect
    or by its wording, 津民发〔2019〕35号 三（四）) and one to five stars each have a rising threshold. Every
    problem is named (第2个维度“为民服务”…); the values themselves were checked by ``SchemeSchema``."""
    errors: list[str] = []
    total = Decimal(data.total_points)
    if not data.dimensions:
        errors.append("方案至少要有一个评价维度。")
    dim_sum = Decimal(0)
    for di, d in enumerate(data.dimensions, start=1):
        where = f"第{di}个维度“{d.name}”"
        dim_sum += d.max_points
        if not d.indicators:
            errors.append(f"{where}没有指标。")
        ind_sum = Decimal(0)
        for ii, ind in enumerate(d.indicators, start=1):
            iwhere = f"{where}第{ii}项指标“{ind.name}”"
            if ind.max_points <= 0:
                errors.append(f"{iwhere}的分值应大于 0。")
            ind_sum += ind.max_points
            if ind.effect != IndicatorEffect.ADD:
                errors.append(
                    f"{iwhere}设置了“{IndicatorEffect(ind.effect).label}”，属于“一票否决”，"
                    f"不得对社区设置（{CLAUSE}）。请改为按得分计分。"
                )
            for label, text in (
                ("名称", ind.name),
                ("评分指引", ind.guidance),
                ("佐证材料", ind.evidence_expected),
            ):
                m = VETO_WORDING.search(re.sub(r"\s+", "", text))
                if m:
                    errors.append(
                        f"{iwhere}的{label}含有否决性表述“{m.group(0)}”，属于“一票否决”，不得对社区设置（{CLAUSE}）。"
                    )
        if ind_sum != d.max_points:
            errors.append(f"{where}的指标分值合计 {ind_sum} 分，与维度满分 {d.max_points} 分不一致。")
        if VETO_WORDING.search(d.name):
            errors.append(f"{where}的名称含有否决性表述，不得对社区设置“一票否决”（{CLAUSE}）。")
    if data.dimensions and dim_sum != total:
        errors.append(f"各维度满分合计 {dim_sum} 分，与方案总分 {total} 分不一致。")
    by_star = {r.stars: r for r in data.star_rules}
    if sorted(r.stars for r in data.star_rules) != [1, 2, 3, 4, 5]:
        errors.append("星级标准须为一星至五星各一条。")
    else:
        for r in data.star_rules:
            if r.min_total <= 0 or r.min_total > total:
                errors.append(f"{r.stars}星的总分线应大于 0 且不超过总分 {total} 分。")
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


def _write_structure(scheme: Scheme, data: SchemeInput) -> None:
    scheme.dimensions.all().delete()
    scheme.star_rules.all().delete()
    dim_rows = cast(
        "list[Dimension]",
        history.bulk_create(
            Dimension,
            [
                Dimension(scheme=scheme, order=i, name=d.name, max_points=d.max_points)
                for i, d in enumerate(data.dimensions, 1)
            ],
        ),
    )
    history.bulk_create(
        Indicator,
        [
            Indicator(
                dimension=row,
                order=j,
                name=ind.name,
                max_points=ind.max_points,
                guidance=ind.guidance,
                evidence_expected=ind.evidence_expected,
                evidence_source=ind.evidence_source,
                effect=ind.effect,
            )
            for row, d in zip(dim_rows, data.dimensions, strict=True)
            for j, ind in enumerate(d.indicators, 1)
        ],
    )
    history.bulk_create(
        StarRule,
        [
            StarRule(
                scheme=scheme, stars=r.stars, min_total=r.min_total, min_dimension_pct=r.min_dimension_pct
            )
            for r in data.star_rules
        ],
    )


def scheme_save(*, actor: User, data: SchemeInput, scheme_id: int | None = None) -> Scheme:
    """Create a draft scheme, or replace a draft's content. Published schemes are locked (409)."""
    _require_city_admin(actor)
    scheme_validate(data=data)
    year = data.year
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
            scheme.year, scheme.title, scheme.total_points = year, data.title, data.total_points
            scheme.save()
            action = "evaluation.scheme_update"
        else:
            if Scheme.objects.filter(year=year).exists():
                raise DomainError(
                    f"{year}年度已有方案，请编辑该方案。", fields={"year": f"{year}年度已有方案。"}
                )
            before = None
            scheme = Scheme.objects.create(
                year=year, title=data.title, total_points=data.total_points, created_by=actor
            )
            action = "evaluation.scheme_create"
        _write_structure(scheme, data)
        audit(
            action,
            obj=scheme,
            before=before,
            after={
                "year": year,
                "title": scheme.title,
                "total_points": scheme.total_points,
                "dimensions": [d.name for d in data.dimensions],
                "indicators": sum(len(d.indicators) for d in data.dimensions),
            },
        )
    return scheme


def scheme_as_input(scheme: Scheme) -> SchemeInput:
    """The scheme's content as the input :func:`scheme_save` takes (for copies, publication and the edit form)."""
    dims = [
        DimensionInput(
            name=d.name,
            max_points=d.max_points,
            indicators=[
                IndicatorInput(
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
        StarRuleInput(stars=r.stars, min_total=r.min_total, min_dimension_pct=r.min_dimension_pct)
        for r in scheme.star_rules.order_by("-stars")
    ]
    return SchemeInput(
        year=scheme.year,
        title=scheme.title,
        total_points=scheme.total_points,
        dimensions=dims,
        star_rules=rules,
    )


def scheme_publish(*, actor: User, scheme_id: int) -> Scheme:
    """Publish and lock a draft scheme (validated once more)."""
    _require_city_admin(actor)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().filter(pk=scheme_id).first()
        if scheme is None:
            raise NotFoundError("未找到该方案。")
        if scheme.status != SchemeStatus.DRAFT:
            raise ConflictError("该方案已发布。")
        scheme_validate(data=scheme_as_input(scheme))
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


def scheme_copy(*, actor: User, scheme_id: int, year: int | None = None) -> Scheme:
    """Start next year's scheme as a draft copy."""
    _require_city_admin(actor)
    source = Scheme.objects.filter(pk=scheme_id).first()
    if source is None:
        raise NotFoundError("未找到该方案。")
    year = year or source.year + 1
    if Scheme.objects.filter(year=year).exists():
        raise ConflictError(f"{year}年度已有方案。")
    data = dataclasses.replace(
        scheme_as_input(source), year=year, title=source.title.replace(str(source.year), str(year))
    )
    with transaction.atomic():
        scheme = scheme_save(actor=actor, data=data)
        scheme.based_on = source
        scheme.save(update_fields=["based_on"])
        audit("evaluation.scheme_copy", obj=scheme, after={"from": source.year, "to": year})
    return scheme
