"""The inputs of the star-rating services, each declared once (``portal.schemas``): the pages' forms are built
from them, the services take their typed values.

A scheme is nested input: its dimensions (each with its indicators) and its star rules are rows
(:func:`portal.schemas.rows`), so a wrong number is named by its place (第2个维度“为民服务”的满分应为数字。). The
schemas check each value on its own; whether the points add up, whether an indicator vetoes the result and whether
the star rules rise are the scheme's rules, checked by ``evaluations.services.scheme_validate`` (which also checks
a stored scheme before it is published).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms

from evaluations.choices import EvidenceSource, IndicatorEffect
from portal import schemas
from portal.errors import DomainError

#: Points are kept with one decimal (the models' ``decimal_places=1``) and below 10,000 (``max_digits=6``).
MAX_POINTS = 9999


def points(
    name: str,
    *,
    required: bool = True,
    max_value: Decimal | int = MAX_POINTS,
    messages: dict[str, str] | None = None,
) -> schemas.DecimalField:
    """Points: not negative, at most one decimal, given with one (``20`` → ``20.0``, as stored)."""
    return schemas.decimal(
        name,
        required=required,
        max_value=max_value,
        decimal_places=1,
        fixed=True,
        messages={"max_decimal_places": f"{name}最多保留一位小数。", **(messages or {})},
    )


# ── The yearly scheme ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class IndicatorInput:
    """One indicator of a dimension: what is scored, how many points, how the reviewers judge it."""

    name: str
    max_points: Decimal
    guidance: str = ""
    evidence_expected: str = ""
    evidence_source: str = EvidenceSource.NONE
    effect: str = IndicatorEffect.ADD


class IndicatorSchema(schemas.Schema[IndicatorInput]):
    name = schemas.text("名称", required=True, max_length=120)
    max_points = points("分值")
    guidance = schemas.text("评分指引", max_length=2000)
    evidence_expected = schemas.text("佐证材料", max_length=300)
    evidence_source = schemas.choice("平台数据来源", EvidenceSource.choices, required=False)
    # Every effect but ``add`` is a veto: valid input here, refused by the scheme's rules with the legal reason.
    effect = schemas.choice("计分方式", IndicatorEffect.choices, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("effect"):
            data["effect"] = IndicatorEffect.ADD
        return data


@dataclass(frozen=True, kw_only=True)
class DimensionInput:
    """One dimension of the scheme and its indicators."""

    name: str
    max_points: Decimal
    indicators: list[IndicatorInput] = field(default_factory=list)


class DimensionSchema(schemas.Schema[DimensionInput]):
    name = schemas.text("名称", required=True, max_length=60)
    max_points = points("满分")
    indicators = schemas.rows("指标", IndicatorSchema, position="第{n}项指标", named_by="name")


@dataclass(frozen=True, kw_only=True)
class StarRuleInput:
    """What a community needs for ``stars`` stars: a total and a share of every dimension's points."""

    stars: int
    min_total: Decimal
    min_dimension_pct: int = 0


class StarRuleSchema(schemas.Schema[StarRuleInput]):
    stars = schemas.integer("星级", required=True, min_value=1, max_value=5)
    min_total = points("总分线")
    min_dimension_pct = schemas.integer(
        "维度得分率",
        required=True,
        min_value=0,
        max_value=100,
        messages={
            "min_value": "维度得分率应在 0 到 100 之间。",
            "max_value": "维度得分率应在 0 到 100 之间。",
        },
    )


@dataclass(frozen=True, kw_only=True)
class SchemeInput:
    """A year's scheme as the city administrator writes it (create, edit, copy)."""

    year: int
    title: str
    total_points: int
    dimensions: list[DimensionInput]
    star_rules: list[StarRuleInput]


class SchemeSchema(schemas.Schema[SchemeInput]):
    """The yearly scheme: its dimensions with their indicators, and the thresholds of one to five stars."""

    year = schemas.integer(
        "年度",
        required=True,
        min_value=2000,
        max_value=2100,
        messages={
            "invalid": "年度应为四位数字。",
            "min_value": "年度应在 2000 至 2100 之间。",
            "max_value": "年度应在 2000 至 2100 之间。",
        },
    )
    title = schemas.text("方案名称", required=True, max_length=200)
    total_points = schemas.integer("总分", required=True, min_value=1, max_value=9999, initial=500)
    dimensions = schemas.rows(
        "维度和指标",
        DimensionSchema,
        position="第{n}个维度",
        named_by="name",
        messages={"required": "请至少填写一个维度和它的指标。"},
        required=True,
    )
    star_rules = schemas.rows(
        "星级标准",
        StarRuleSchema,
        position="第{n}条星级标准",
        messages={"required": "请填写一星至五星的星级标准。"},
        required=True,
    )


# ── One assessment's scores ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class ScoreInput:
    """A score given to one indicator (``None``: cleared) and the reviewer's reason for changing it."""

    indicator_id: int
    value: Decimal | None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ScoresInput:
    """The scores of one save, only for the indicators the input names; ``summary`` is ``None`` when absent."""

    scores: list[ScoreInput]
    summary: str | None = None


SCORE_KEY = re.compile(r"^score_(\d+)$")


class ScoresSchema(schemas.Schema[ScoresInput]):
    """The score sheet of one assessment: ``score_<indicator id>`` (blank clears it), ``reason_<id>`` (a
    reviewer's reason for a change) and the self-assessment's ``summary``.

    The fields come from the scheme's indicators (``indicators=``, context of the schema), so every message
    names the indicator and its maximum. Which stage may clear a score or must give a reason is the service's."""

    summary = schemas.text("自评说明", max_length=5000)

    def __init__(self, *args: Any, indicators: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator_ids: list[int] = []
        for indicator in indicators:
            pk, top = indicator.pk, indicator.max_points
            name = f"“{indicator.name}”的得分"
            between = f"{name}应在 0 到 {top} 分之间。"
            self.indicator_ids.append(pk)
            self.fields[f"score_{pk}"] = points(
                name, required=False, max_value=top, messages={"min_value": between, "max_value": between}
            )
            self.fields[f"reason_{pk}"] = schemas.text("调整理由", max_length=500)

    def refusal(self) -> DomainError:
        """The page shows one sentence (it has no marked fields): the first wrong score, with every wrong field
        kept in ``fields``."""
        refusal = super().refusal()
        first = next(iter(refusal.fields.values()), None) if not self.non_field_errors() else None
        return DomainError("得分未保存：" + (first or refusal.message), fields=refusal.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = [m.group(1) for key in self.data for m in [SCORE_KEY.match(str(key))] if m]
        if any(int(pk) not in self.indicator_ids for pk in named):
            raise forms.ValidationError("指标不属于本年度方案。")
        data["scores"] = [
            ScoreInput(
                indicator_id=pk,
                value=data.get(f"score_{pk}"),
                reason=data.get(f"reason_{pk}", ""),
            )
            for pk in self.indicator_ids
            if f"score_{pk}" in self.data
        ]
        if "summary" not in self.data:
            data["summary"] = None
        return data
