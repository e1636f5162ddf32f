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
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from evaluations.choices import (
    ASSESSMENT_WORKFLOW,
    AppraisalKind,
    AuthorityLevel,
    EvidenceSource,
    IndicatorEffect,
)
from evaluations.rules import VETO
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


# ── The year's cycle ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class CycleStartInput:
    """The deadlines of the four stages, in order."""

    self_deadline: date
    street_deadline: date
    district_deadline: date
    city_deadline: date


class CycleStartSchema(schemas.Schema[CycleStartInput]):
    self_deadline = schemas.day("社区自评截止")
    street_deadline = schemas.day("街道审核截止")
    district_deadline = schemas.day("区级复核截止")
    city_deadline = schemas.day("市级确认截止")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = ("self_deadline", "street_deadline", "district_deadline", "city_deadline")
        days: list[date] = [data[n] for n in names if data.get(n)]
        if len(days) == len(names) and days != sorted(set(days)):
            raise forms.ValidationError(
                "各环节截止日期应依次排列：社区自评 < 街道审核 < 区级复核 < 市级确认。"
            )
        return data


# ── Rectification ─────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class RectificationPlanInput:
    """The community's plan; the deadline only the district may move (``None``: unchanged)."""

    plan: str
    deadline: date | None


class RectificationPlanSchema(schemas.Schema[RectificationPlanInput]):
    plan = schemas.text(
        "整改方案",
        required=True,
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        messages={
            "required": "整改方案至少写 10 个字：问题、措施、责任人、时限。",
            "min_length": "整改方案至少写 10 个字：问题、措施、责任人、时限。",
        },
    )
    deadline = schemas.day("整改期限", label="整改期限（区民政局确定）", required=False)


@dataclass(frozen=True, kw_only=True)
class FollowUpInput:
    """A follow-up note, and whether it closes the rectification."""

    text: str
    close: bool


class FollowUpSchema(schemas.Schema[FollowUpInput]):
    text = schemas.text(
        "跟踪督导记录",
        required=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        messages={"required": "请填写跟踪记录。"},
    )
    close = schemas.boolean("验收销号", label="整改已完成，验收销号（区民政局）")


# ── The appraisal whitelist ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class AppraisalEntryInput:
    """An appraisal or model-creation campaign communities may take part in, and who mandated it."""

    name: str
    kind: str
    authority: str
    authority_level: str
    document_no: str
    document_title: str
    keywords: str
    needs_review: bool
    active: bool


class AppraisalEntrySchema(schemas.Schema[AppraisalEntryInput]):
    """Only campaigns mandated by the centre, a ministry or the city Party committee / government may be listed
    (三（四）), and none may veto a community's result."""

    name = schemas.text("名称", required=True, max_length=100)
    kind = schemas.choice("类别", AppraisalKind.choices)
    authority = schemas.text("部署机关", required=True, max_length=200)
    authority_level = schemas.choice(
        "部署层级",
        AuthorityLevel.choices,
        messages={"invalid_choice": "只有中央、国家有关部委和市委、市政府部署的项目可以列入白名单。"},
    )
    document_no = schemas.text("文号", max_length=100, help_text="不确定时留空，显示“文号待核实”。")
    document_title = schemas.text("文件名称", max_length=200)
    keywords = schemas.text("匹配关键词", max_length=300, help_text="以顿号分隔的别称。")
    needs_review = schemas.boolean("待市民政局核定")
    active = schemas.boolean("有效", initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if VETO.search((data.get("name") or "") + (data.get("keywords") or "")):
            self.add_error("name", "白名单项目不得设置“一票否决”。")
        return data


# ── One assessment's stage and evidence ───────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class TransitionInput:
    """A step of the assessment's workflow and the comment that goes with it (a return needs its reason)."""

    action: str
    comment: str = ""


class TransitionSchema(schemas.Schema[TransitionInput]):
    action = schemas.choice(
        "操作",
        [(a, a) for a in ASSESSMENT_WORKFLOW.actions()],
        messages={"invalid_choice": "无效的操作。", "required": "无效的操作。"},
    )
    comment = schemas.text("意见", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action and ASSESSMENT_WORKFLOW.transition(action).needs_reason and not data.get("comment"):
            self.add_error("comment", "退回须说明理由。")
        return data


def platform_link(value: str) -> None:
    """A link to a record of the portal (``/…``) or an http(s) address; ``//host`` and ``javascript:`` are not."""
    if not ((value.startswith("/") and not value.startswith("//")) or re.match(r"^https?://", value)):
        raise forms.ValidationError("链接应为平台内地址（以 / 开头）或 http(s) 地址。", code="link")


@dataclass(frozen=True, kw_only=True)
class EvidenceInput:
    """Evidence of the self-assessment: a title, the indicator it supports (``None``: general) and a link to a
    portal record when no file is uploaded (the file comes with it as an upload)."""

    title: str
    indicator_id: int | None = None
    link: str = ""


class EvidenceSchema(schemas.Schema[EvidenceInput]):
    title = schemas.text("材料名称", required=True, max_length=200)
    indicator_id = schemas.integer("对应指标", label="对应指标", min_value=1)
    link = schemas.text(
        "平台记录链接",
        label="或填写平台记录链接",
        max_length=300,
        validators=[platform_link],
        help_text="如已办结的居民诉求、已出具证明的平台页面地址（以 / 开头）。",
    )


# ── Reports ───────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class SummaryReportInput:
    """A district's results summary of one published year."""

    district: str
    year: int


class SummaryReportSchema(schemas.Schema[SummaryReportInput]):
    district = schemas.text("区", required=True, max_length=12, messages={"required": "请选择区。"})
    year = schemas.integer(
        "年度",
        required=True,
        min_value=2000,
        max_value=2100,
        messages={
            "invalid": "年度无效。",
            "min_value": "年度无效。",
            "max_value": "年度无效。",
            "required": "请选择年度。",
        },
    )
