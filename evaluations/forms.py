"""Forms of the star-rating pages. They parse and shape input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from evaluations.choices import AppraisalKind, AuthorityLevel, EvidenceSource, IndicatorEffect
from evaluations.services import DimensionIn, IndicatorIn, StarRuleIn

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
    text = text.strip()
    if not text or text in ("计分", "加分", "按得分计分", IndicatorEffect.ADD):
        return IndicatorEffect.ADD
    if text in IndicatorEffect.values:
        return text
    for word, effect in EFFECT_WORDS:
        if word in text:
            return effect
    return "invalid"


def _source(text: str) -> str:
    text = text.strip()
    if not text or text in ("—", "无"):
        return ""
    if text in EvidenceSource.values:
        return text
    for word, source in SOURCE_WORDS.items():
        if word in text:
            return source
    return "invalid"


def parse_dimensions(text: str) -> list[DimensionIn]:
    """Parse the scheme editor's text. Raises ``forms.ValidationError`` naming the line."""
    dims: list[DimensionIn] = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line[1:].split("|")] if line[0] in "#-" else []
        if line.startswith("#"):
            if len(parts) != 2:
                raise forms.ValidationError(f"第{n}行：维度行应为“# 维度名称 | 满分”。")
            dims.append(DimensionIn(name=parts[0], max_points=parts[1], indicators=[]))
        elif line.startswith("-"):
            if not dims:
                raise forms.ValidationError(f"第{n}行：指标行之前须先写维度行（# 开头）。")
            if len(parts) < 2:
                raise forms.ValidationError(f"第{n}行：指标行至少应为“- 指标名称 | 分值”。")
            parts += [""] * (6 - len(parts))
            dims[-1].indicators.append(
                IndicatorIn(
                    name=parts[0],
                    max_points=parts[1],
                    guidance=parts[2],
                    evidence_expected=parts[3],
                    evidence_source=_source(parts[4]),
                    effect=_effect(parts[5]),
                )
            )
        else:
            raise forms.ValidationError(f"第{n}行：应以 # （维度）或 - （指标）开头。")
    if not dims:
        raise forms.ValidationError("请至少填写一个维度和它的指标。")
    return dims


def parse_star_rules(text: str) -> list[StarRuleIn]:
    rules = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise forms.ValidationError(f"第{n}行：应为“星级 | 总分不低于 | 维度得分率”。")
        try:
            stars = int(parts[0].rstrip("星"))
        except ValueError:
            raise forms.ValidationError(f"第{n}行：星级应为 1 到 5。")
        rules.append(StarRuleIn(stars=stars, min_total=parts[1], min_dimension_pct=parts[2].rstrip("%")))
    return rules


def dimensions_text(dims: list[DimensionIn]) -> str:
    source_word = {v: k for k, v in SOURCE_WORDS.items() if k != "核查"}
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


def rules_text(rules: list[StarRuleIn]) -> str:
    return "\n".join(
        f"{r.stars} | {r.min_total} | {r.min_dimension_pct}" for r in sorted(rules, key=lambda r: -r.stars)
    )


class SchemeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="方案名称", max_length=200)
    total_points = forms.IntegerField(label="总分", min_value=1, max_value=10000, initial=500)
    dimensions = forms.CharField(
        label="维度和指标", widget=forms.Textarea(attrs={"rows": 24, "class": "mono"}), help_text=SCHEME_HELP
    )
    star_rules = forms.CharField(
        label="星级标准", widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}), help_text=RULES_HELP
    )

    def clean_dimensions(self):
        return parse_dimensions(self.cleaned_data["dimensions"])

    def clean_star_rules(self):
        return parse_star_rules(self.cleaned_data["star_rules"])


class CycleStartForm(forms.Form):
    self_deadline = forms.DateField(label="社区自评截止", widget=forms.DateInput(attrs={"type": "date"}))
    street_deadline = forms.DateField(label="街道审核截止", widget=forms.DateInput(attrs={"type": "date"}))
    district_deadline = forms.DateField(label="区级复核截止", widget=forms.DateInput(attrs={"type": "date"}))
    city_deadline = forms.DateField(label="市级确认截止", widget=forms.DateInput(attrs={"type": "date"}))


class EvidenceForm(forms.Form):
    indicator = forms.TypedChoiceField(
        label="对应指标", coerce=int, required=False, empty_value=None, choices=()
    )
    title = forms.CharField(label="材料名称", max_length=200)
    file = forms.FileField(label="上传文件（PDF、图片、Word、Excel，5 MB 以内）", required=False)
    link = forms.CharField(
        label="或填写平台记录链接",
        max_length=300,
        required=False,
        help_text="如已办结的居民诉求、已出具证明的平台页面地址（以 / 开头）。",
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "（综合材料）")] + [(i.pk, i.name) for i in indicators]


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=32)
    comment = forms.CharField(
        label="意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RectificationPlanForm(forms.Form):
    plan = forms.CharField(label="整改方案", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    deadline = forms.DateField(
        label="整改期限（区民政局确定）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(label="跟踪督导记录", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    close = forms.BooleanField(label="整改已完成，验收销号（区民政局）", required=False)


class AppraisalEntryForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=AppraisalKind.choices)
    authority = forms.CharField(label="部署机关", max_length=200)
    authority_level = forms.ChoiceField(label="部署层级", choices=AuthorityLevel.choices)
    document_no = forms.CharField(
        label="文号", max_length=100, required=False, help_text="不确定时留空，显示“文号待核实”。"
    )
    document_title = forms.CharField(label="文件名称", max_length=200, required=False)
    keywords = forms.CharField(
        label="匹配关键词", max_length=300, required=False, help_text="以顿号分隔的别称。"
    )
    needs_review = forms.BooleanField(label="待市民政局核定", required=False)
    active = forms.BooleanField(label="有效", required=False, initial=True)


class SummaryReportForm(forms.Form):
    district = forms.ChoiceField(label="区", choices=())
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, *args, districts=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [(d.code, d.name) for d in districts]
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
