"""The inputs of the supervision services, each declared once (``portal.schemas``): the pages' forms are built
from them, the API parses its bodies with them, the services take their typed values.

Uploads (evidence, photos) are no part of a schema: the services check them by content (``portal.uploads``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from portal import schemas
from portal.choices import OrgLevel
from portal.models import OrgUnit
from supervision.choices import RECTIFICATION_WORKDAYS, STATEMENT_WORKDAYS, AppealCategory, Category

#: a complaint says what happened in at least this many characters
DESCRIPTION_MIN = 10

TEXTAREA = forms.Textarea(attrs={"rows": 3})

#: The bureau's actions on a complaint's page are small forms whose refusal is shown as one message above the
#: page (not beside the fields): it names every wrong field.
BUREAU_PREFIX = "请检查填写的内容："


# ── complaints ─────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class ComplaintInput:
    """A complaint as its author files it (anyone, anonymously too). ``target_department`` is a department's
    code or exact name, or the name typed when it is not registered; ``community`` a community code;
    ``refusal_id`` the refusal notice it follows (one click from the notice)."""

    category: str
    target_department: str
    description: str
    community: str = ""
    happened_on: date | None = None
    task_title: str = ""
    contact: str = ""
    name: str = ""
    anonymous: bool = False
    refusal_id: int | None = None


class ComplaintSchema(schemas.Schema[ComplaintInput]):
    """A complaint about a department that pushed work onto a community: which department, what happened."""

    refusal_prefix = "投诉未提交："

    category = schemas.choice(
        "投诉类别", Category.choices, messages={"invalid_choice": "投诉类别不在允许范围内。"}
    )
    target_department = schemas.text(
        "被投诉部门",
        required=True,
        max_length=100,
        help_text="部门代码或名称",
        messages={"required": "请选择或填写被投诉的部门。"},
    )
    community = schemas.text(
        "社区代码",
        label="涉及社区代码",
        max_length=16,
        help_text="12 位社区代码，社区工作人员已自动填写",
        messages={"max_length": "未找到该社区代码。"},
    )
    task_title = schemas.text("涉及事项", label="涉及的事项", max_length=200)
    happened_on = schemas.day("发生日期", required=False)
    description = schemas.text(
        "投诉内容",
        label="发生了什么",
        required=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="谁、何时、要求社区做什么、如何要求的",
    )
    anonymous = schemas.boolean("匿名投诉", label="匿名投诉（不留姓名和联系方式）")
    name = schemas.text("姓名", max_length=50)
    contact = schemas.text("联系方式", max_length=100, help_text="仅办理机关可见，被投诉部门永远看不到")
    refusal_id = schemas.integer("拒绝承接登记", widget=forms.HiddenInput)

    def clean_community(self) -> str:
        code = self.cleaned_data.get("community", "")
        if code and not OrgUnit.objects.filter(code=code, level=OrgLevel.COMMUNITY).exists():
            raise forms.ValidationError("未找到该社区代码。")
        return str(code)

    def clean_happened_on(self) -> date | None:
        day = self.cleaned_data.get("happened_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("发生时间不能晚于今天。")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        description = data.get("description")
        if description and len(description) < DESCRIPTION_MIN:
            self.add_error("description", f"请具体说明发生了什么（至少 {DESCRIPTION_MIN} 个字）。")
        return data


@dataclass(frozen=True, kw_only=True)
class AcceptInput:
    comment: str = ""


class AcceptSchema(schemas.Schema[AcceptInput]):
    refusal_prefix = BUREAU_PREFIX

    comment = schemas.text("受理意见", label="意见", widget=TEXTAREA)


@dataclass(frozen=True, kw_only=True)
class DeclineInput:
    reason: str


class DeclineSchema(schemas.Schema[DeclineInput]):
    refusal_prefix = BUREAU_PREFIX

    reason = schemas.text("不予受理理由", label="理由", required=True, widget=TEXTAREA)


@dataclass(frozen=True, kw_only=True)
class NoteInput:
    """An investigation note of the bureau (the evidence it collected is uploaded beside it)."""

    comment: str


class NoteSchema(schemas.Schema[NoteInput]):
    refusal_prefix = BUREAU_PREFIX

    comment = schemas.text("调查记录", required=True, widget=TEXTAREA)


@dataclass(frozen=True, kw_only=True)
class StatementRequestInput:
    """What the department is asked to explain, and in how many working days."""

    summary: str
    workdays: int = STATEMENT_WORKDAYS


class StatementRequestSchema(schemas.Schema[StatementRequestInput]):
    refusal_prefix = BUREAU_PREFIX

    summary = schemas.text(
        "送被投诉部门的事项摘要",
        required=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="部门只看到这段摘要，看不到投诉原文、证据和投诉人。请勿写入可识别投诉人的信息。",
    )
    workdays = schemas.integer(
        "说明期限",
        label="说明期限（工作日）",
        min_value=1,
        max_value=30,
        initial=STATEMENT_WORKDAYS,
        messages={
            "min_value": "说明期限应为 1 至 30 个工作日。",
            "max_value": "说明期限应为 1 至 30 个工作日。",
        },
    )

    def clean_workdays(self) -> int:
        value = self.cleaned_data.get("workdays")
        return STATEMENT_WORKDAYS if value is None else int(value)


@dataclass(frozen=True, kw_only=True)
class VerdictInput:
    """The bureau's verdict; when substantiated, what the department must change and by when."""

    substantiated: bool
    reason: str
    requirements: str = ""
    workdays: int = RECTIFICATION_WORKDAYS


class VerdictSchema(schemas.Schema[VerdictInput]):
    refusal_prefix = BUREAU_PREFIX

    substantiated = schemas.choice("查证结论", [("yes", "属实"), ("no", "不属实")], widget=forms.RadioSelect)
    reason = schemas.text("查证结论及理由", label="结论及理由", required=True, widget=TEXTAREA)
    requirements = schemas.text("整改要求", label="整改要求（属实时必填）", widget=TEXTAREA)
    workdays = schemas.integer(
        "整改期限",
        label="整改期限（工作日）",
        min_value=1,
        max_value=60,
        initial=RECTIFICATION_WORKDAYS,
        messages={
            "min_value": "整改期限应为 1 至 60 个工作日。",
            "max_value": "整改期限应为 1 至 60 个工作日。",
        },
    )

    def clean_substantiated(self) -> bool:
        return self.cleaned_data.get("substantiated") == "yes"

    def clean_workdays(self) -> int:
        value = self.cleaned_data.get("workdays")
        return RECTIFICATION_WORKDAYS if value is None else int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("substantiated") and not data.get("requirements") and "requirements" not in self.errors:
            self.add_error("requirements", "请填写整改要求。")
        return data


@dataclass(frozen=True, kw_only=True)
class MergeInput:
    """The complaint this one is merged into."""

    into: int
    comment: str = ""


class MergeSchema(schemas.Schema[MergeInput]):
    refusal_prefix = BUREAU_PREFIX

    into = schemas.integer(
        "并入的投诉", required=True, widget=forms.HiddenInput, messages={"required": "请选择并入的投诉。"}
    )
    comment = schemas.text("并案说明", max_length=500)


@dataclass(frozen=True, kw_only=True)
class StatementInput:
    """The department's written statement."""

    text: str


class StatementSchema(schemas.Schema[StatementInput]):
    text = schemas.text("书面说明", required=True, widget=forms.Textarea(attrs={"rows": 6}))


@dataclass(frozen=True, kw_only=True)
class RatingInput:
    """A complainant's or a resident's rating of the outcome (1–5)."""

    score: int
    comment: str = ""


class RatingSchema(schemas.Schema[RatingInput]):
    score = schemas.integer(
        "评分",
        required=True,
        min_value=1,
        max_value=5,
        widget=forms.RadioSelect(choices=[(str(i), f"{i} 分") for i in range(5, 0, -1)]),
        messages={
            "required": "请选择评分。",
            "invalid": "评分应为 1 至 5。",
            "min_value": "评分应为 1 至 5。",
            "max_value": "评分应为 1 至 5。",
        },
    )
    comment = schemas.text("评价意见", max_length=1000)


@dataclass(frozen=True, kw_only=True)
class ReopenInput:
    reason: str


class ReopenSchema(schemas.Schema[ReopenInput]):
    reason = schemas.text("重新办理理由", label="理由", required=True, widget=TEXTAREA)


# ── criticisms and rectifications ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class CriticismInput:
    """The circulated criticism's draft as the bureau words it."""

    title: str
    body: str


class CriticismSchema(schemas.Schema[CriticismInput]):
    title = schemas.text("标题", required=True, max_length=200)
    body = schemas.text("通报内容", required=True, widget=forms.Textarea(attrs={"rows": 8}))


@dataclass(frozen=True, kw_only=True)
class CriticismDecisionInput:
    """The approver's decision: ``approve`` (published) or ``return`` (back to the bureau, with a reason)."""

    decision: str
    comment: str = ""

    @property
    def approve(self) -> bool:
        return self.decision == "approve"


class CriticismDecisionSchema(schemas.Schema[CriticismDecisionInput]):
    decision = schemas.choice(
        "审批结论", [("approve", "批准发布"), ("return", "退回修改")], label="审批", widget=forms.RadioSelect
    )
    comment = schemas.text("审批意见", label="意见（退回时必填）", widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not data.get("comment") and "comment" not in self.errors:
            self.add_error("comment", "请填写审批意见。")
        return data


@dataclass(frozen=True, kw_only=True)
class RectificationReportInput:
    """What the department changed."""

    report: str


class RectificationReportSchema(schemas.Schema[RectificationReportInput]):
    report = schemas.text(
        "整改情况",
        required=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明已采取的措施，如撤回事项、摘除牌子、取消台账。",
    )


@dataclass(frozen=True, kw_only=True)
class VerifyInput:
    """The bureau's verification of a report: ``accept`` (closed) or ``return`` (rectify again, with a reason)."""

    decision: str
    comment: str = ""

    @property
    def accept(self) -> bool:
        return self.decision == "accept"


class VerifySchema(schemas.Schema[VerifyInput]):
    refusal_prefix = BUREAU_PREFIX

    decision = schemas.choice(
        "核验结论",
        [("accept", "核验通过，办结"), ("return", "未通过，退回继续整改")],
        label="核验",
        widget=forms.RadioSelect,
    )
    comment = schemas.text(
        "核验意见", label="核验意见（退回时必填）", widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not data.get("comment") and "comment" not in self.errors:
            self.add_error("comment", "请填写核验意见。")
        return data


# ── appeals ────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, kw_only=True)
class AppealInput:
    """A resident's appeal or suggestion to their own community (photos are uploaded beside it)."""

    category: str
    text: str
    location: str = ""


class AppealSchema(schemas.Schema[AppealInput]):
    """A resident's appeal or suggestion to their own community."""

    refusal_prefix = "诉求未提交："

    category = schemas.choice(
        "类别", AppealCategory.choices, messages={"invalid_choice": "类别不在允许范围内。"}
    )
    text = schemas.text(
        "诉求内容",
        label="诉求或建议",
        required=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    location = schemas.text("位置", label="位置（可选）", max_length=200)


@dataclass(frozen=True, kw_only=True)
class AnswerInput:
    answer: str


class AnswerSchema(schemas.Schema[AnswerInput]):
    answer = schemas.text(
        "答复内容", label="答复", required=True, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
