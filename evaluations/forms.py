"""Forms of the star-rating pages. They parse and shape input; the services decide what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from evaluations.choices import EvidenceSource, IndicatorEffect
from evaluations.schemas import (
    AppraisalEntrySchema,
    CycleStartSchema,
    DimensionInput,
    EvidenceSchema,
    FollowUpSchema,
    RectificationPlanSchema,
    SchemeSchema,
    StarRuleInput,
    SummaryReportSchema,
    TransitionSchema,
)
from portal import schemas

SCHEME_HELP = (
    "每个维度一行“# 维度名称 | 满分”，其下每个指标一行“- 指标名称 | 分值 | 评分指引 | 佐证材料 | 平台数据 | 计分方式”。"
    "平台数据可填“证明”“准入”“拒绝”或留空；计分方式留空即按得分计分。指标分值合计须等于维度满分，维度满分合计须等于总分。"
)
RULES_HELP = "一星至五星各一行：“星级 | 总分不低于 | 每个维度得分率不低于（%）”，如“5 | 450 | 80”。"

SOURCE_WORDS = {
    "证明": EvidenceSource.CERTIFICATES,
    "准入": EvidenceSource.ADMITTED_TASKS,
    "拒绝": EvidenceSource.REFUSALS,
    "核查": EvidenceSource.REFUSALS,
}
EFFECT_WORDS = [
    ("清零", IndicatorEffect.ZERO_TOTAL),
    ("限定星级", IndicatorEffect.CAP_STARS),
    ("限星", IndicatorEffect.CAP_STARS),
    ("不合格", IndicatorEffect.FAIL),
    ("否决", IndicatorEffect.FAIL),
]


def _effect(text: str) -> str:
    """The 计分方式 column in the schema's values (an unknown word is passed on, for the schema to refuse)."""
    text = text.strip()
    if not text or text in ("计分", "加分", "按得分计分", IndicatorEffect.ADD):
        return IndicatorEffect.ADD
    for word, effect in EFFECT_WORDS:
        if word in text:
            return effect
    return text


def _source(text: str) -> str:
    """The 平台数据 column in the schema's values (an unknown word is passed on, for the schema to refuse)."""
    text = text.strip()
    if not text or text in ("—", "无"):
        return ""
    for word, source in SOURCE_WORDS.items():
        if word in text:
            return source
    return text


def parse_dimensions(text: str) -> list[dict[str, Any]]:
    """The scheme editor's lines as the rows of ``SchemeSchema.dimensions``. A line of the wrong shape raises
    ``forms.ValidationError`` naming the line; the values are checked by the schema."""
    dims: list[dict[str, Any]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line[1:].split("|")] if line[0] in "#-" else []
        if line.startswith("#"):
            if len(parts) != 2:
                raise forms.ValidationError(f"第{n}行：维度行应为“# 维度名称 | 满分”。")
            dims.append({"name": parts[0], "max_points": parts[1], "indicators": []})
        elif line.startswith("-"):
            if not dims:
                raise forms.ValidationError(f"第{n}行：指标行之前须先写维度行（# 开头）。")
            if len(parts) < 2:
                raise forms.ValidationError(f"第{n}行：指标行至少应为“- 指标名称 | 分值”。")
            parts += [""] * (6 - len(parts))
            dims[-1]["indicators"].append(
                {
                    "name": parts[0],
                    "max_points": parts[1],
                    "guidance": parts[2],
                    "evidence_expected": parts[3],
                    "evidence_source": _source(parts[4]),
                    "effect": _effect(parts[5]),
                }
            )
        else:
            raise forms.ValidationError(f"第{n}行：应以 # （维度）或 - （指标）开头。")
    return dims


def parse_star_rules(text: str) -> list[dict[str, Any]]:
    """The star-rule lines (“5 | 450 | 80”) as the rows of ``SchemeSchema.star_rules``."""
    rules = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise forms.ValidationError(f"第{n}行：应为“星级 | 总分不低于 | 维度得分率”。")
        rules.append(
            {"stars": parts[0].rstrip("星"), "min_total": parts[1], "min_dimension_pct": parts[2].rstrip("%")}
        )
    return rules


def dimensions_text(dims: list[DimensionInput]) -> str:
    source_word = {str(v): k for k, v in SOURCE_WORDS.items() if k != "核查"}
    lines = []
    for d in dims:
        lines.append(f"# {d.name} | {d.max_points}")
        for i in d.indicators:
            cols = [
                i.name,
                str(i.max_points),
                i.guidance,
                i.evidence_expected,
                source_word.get(i.evidence_source, ""),
            ]
            lines.append("- " + " | ".join(cols).rstrip(" |"))
    return "\n".join(lines)


def rules_text(rules: list[StarRuleInput]) -> str:
    return "\n".join(
        f"{r.stars} | {r.min_total} | {r.min_dimension_pct}" for r in sorted(rules, key=lambda r: -r.stars)
    )


#: the star rules a new scheme starts with
DEFAULT_RULES = "5 | 450 | 80\n4 | 400 | 70\n3 | 350 | 60\n2 | 300 | 50\n1 | 250 | 40"


class SchemeForm(SchemeSchema):
    """The scheme page: ``SchemeSchema`` with its dimensions and star rules edited as lines of text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, parse, render, rows, help_text in (
            ("dimensions", parse_dimensions, dimensions_text, 24, SCHEME_HELP),
            ("star_rules", parse_star_rules, rules_text, 6, RULES_HELP),
        ):
            field = cast(schemas.RowsField, self.fields[name])
            field.widget = forms.Textarea(attrs={"rows": rows, "class": "mono"})
            field.parse_text, field.render_text, field.help_text = parse, render, help_text


CycleStartForm = CycleStartSchema


class EvidenceForm(EvidenceSchema):
    """The evidence form of the assessment page: ``EvidenceSchema``, the indicator as a choice and the upload."""

    file = forms.FileField(label="上传文件（PDF、图片、Word、Excel，5 MB 以内）", required=False)

    def __init__(self, *args: Any, indicators: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "（综合材料）")] + [(i.pk, i.name) for i in indicators]
        self.fields["indicator_id"].widget = forms.Select(choices=choices)
        self.order_fields(["indicator_id", "title", "file", "link"])


TransitionForm = TransitionSchema


RectificationPlanForm = RectificationPlanSchema


FollowUpForm = FollowUpSchema


AppraisalEntryForm = AppraisalEntrySchema


class SummaryReportForm(SummaryReportSchema):
    """The summary form of the star-rating index: the user's districts and the published years as choices."""

    def __init__(
        self, *args: Any, districts: Iterable[Any] = (), years: Iterable[int] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].widget = forms.Select(choices=[(d.code, d.name) for d in districts])
        self.fields["year"].widget = forms.Select(choices=[(y, f"{y}年") for y in years])
