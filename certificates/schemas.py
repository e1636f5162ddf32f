"""The inputs of the certificates services, each declared once (``portal.schemas``): the pages' forms are these
schemas, the services take their typed values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from certificates.choices import PLEDGE_TEXT, BarredSource
from certificates.personal import NAME_PATTERN, id_number_validate
from portal import schemas
from portal.errors import DomainError

#: the sort order of catalogue entries (``PositiveSmallIntegerField``)
MAX_ORDER = 32767

LEGAL_BASIS_MISSING = "证明事项必须写明法律、法规、规章或政策依据；依据未核实的请如实注明“待核实”。"


def order() -> schemas.IntegerField:
    return schemas.integer(
        "排序", required=True, min_value=0, max_value=MAX_ORDER, initial=50, help_text="数字小的在前。"
    )


@dataclass(frozen=True, kw_only=True)
class CertificateTypeInput:
    """A certificate of the catalogue: what it is, on which legal basis, for whom, how it is worded."""

    code: str
    name: str
    legal_basis: str
    legal_basis_verified: bool
    required_materials: list[str]
    eligible_applicants: str
    validity_days: int
    wording_template: str
    notes: str
    active: bool
    order: int


class CertificateTypeSchema(schemas.Schema[CertificateTypeInput]):
    """A catalogue entry. A certificate a community issues needs its legal basis written out (三（一））."""

    code = schemas.text(
        "代码",
        required=True,
        max_length=40,
        validators=[RegexValidator(r"^[-a-zA-Z0-9_]+$", "代码只能由字母、数字、下划线和连字符组成。")],
    )
    name = schemas.text("名称", required=True, max_length=100)
    legal_basis = schemas.text(
        "法规依据",
        required=True,
        label="法律、法规、规章或政策依据",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=4,
        messages={"required": LEGAL_BASIS_MISSING, "min_length": LEGAL_BASIS_MISSING},
    )
    legal_basis_verified = schemas.boolean("法规依据已核实")
    required_materials = schemas.lines("所需材料", label="所需材料（每行一项）", max_item_length=200)
    eligible_applicants = schemas.text("申请人范围", required=True, max_length=300)
    validity_days = schemas.integer(
        "有效期", label="有效期（天）", required=True, min_value=1, max_value=3650, initial=90
    )
    wording_template = schemas.text("证明文字模板", required=True, widget=forms.Textarea(attrs={"rows": 4}))
    notes = schemas.text("说明", widget=forms.Textarea(attrs={"rows": 2}))
    active = schemas.boolean("启用", initial=True)
    order = order()


@dataclass(frozen=True, kw_only=True)
class BarredInput:
    """A certificate communities must not issue, and the agency a resident is sent to instead."""

    name: str
    keywords: str
    source: str
    agency: str
    guidance: str
    active: bool
    order: int


class BarredSchema(schemas.Schema[BarredInput]):
    """An entry of the barred list (民发〔2020〕20号, 天津市取消和禁入的75项证明): a resident who asks for it is
    told where to go instead."""

    name = schemas.text("证明名称", required=True, max_length=100)
    keywords = schemas.text(
        "检索词", max_length=300, help_text="以顿号或逗号分隔的同义词，居民这样问时也能找到本条。"
    )
    source = schemas.choice("来源", BarredSource.choices)
    agency = schemas.text("责任部门", required=True, max_length=200)
    guidance = schemas.text("办理指引", required=True, widget=forms.Textarea(attrs={"rows": 3}))
    active = schemas.boolean("启用", initial=True)
    order = order()


# ── Review, supplement, revocation ────────────────────────────────────────────────────────────────────

REVIEW_CHOICES = [("approve", "通过并出具证明"), ("need_more", "要求补充材料"), ("reject", "不予出具")]


@dataclass(frozen=True, kw_only=True)
class ReviewInput:
    """The community staff's decision on an application and its reason."""

    decision: str
    comment: str


class ReviewSchema(schemas.Schema[ReviewInput]):
    """审核：approve（出具）、need_more（要求补充，写明材料）或 reject（不予出具，写明理由）。"""

    decision = schemas.choice(
        "审核结论",
        REVIEW_CHOICES,
        widget=forms.RadioSelect,
        messages={"invalid_choice": "审核结论应为 approve、reject 或 need_more。"},
    )
    comment = schemas.text(
        "意见",
        label="意见（不予出具或要求补充时必填）",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if (
            decision in ("reject", "need_more")
            and len(data.get("comment") or "") < 2
            and "comment" not in self.errors
        ):
            self.add_error(
                "comment", "不予出具时必须写明理由。" if decision == "reject" else "请写明需要补充的材料。"
            )
        return data


@dataclass(frozen=True, kw_only=True)
class SupplementInput:
    """The applicant's note on the material added (the files come with it as uploads)."""

    comment: str


class SupplementSchema(schemas.Schema[SupplementInput]):
    comment = schemas.text("补充说明", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


@dataclass(frozen=True, kw_only=True)
class RevokeInput:
    """Why an issued certificate is revoked (the applicant and the public verification see it)."""

    reason: str


class RevokeSchema(schemas.Schema[RevokeInput]):
    """撤销已出具的证明，须写明原因。"""

    reason = schemas.text(
        "撤销原因",
        required=True,
        min_length=2,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        messages={"required": "撤销证明必须写明原因。", "min_length": "撤销证明必须写明原因。"},
    )


# ── A resident's application ──────────────────────────────────────────────────────────────────────────

NAME_MESSAGE = "请填写与身份证一致的真实姓名（2至30个字）。"
REASON_MESSAGE = "请填写申请事由（2至1000字）。"
PURPOSE_MESSAGE = "请填写证明用途（2至200字）。"


@dataclass(frozen=True, kw_only=True)
class ApplicationInput:
    """A resident's application: which certificate (a catalogue code or name), from which community, for whom
    and why (the files come with it as uploads). ``id_number`` is the normalised, checked number."""

    type: str
    community: str
    applicant_name: str
    id_number: str
    reason: str
    purpose: str
    pledge: bool


class ApplicationSchema(schemas.Schema[ApplicationInput]):
    """证明申请：证明类型与社区由服务对照目录核对（居委会不出具的证明会指明责任部门）。"""

    type = schemas.text("证明类型", required=True, max_length=100, messages={"required": "请选择证明类型。"})
    community = schemas.text(
        "出具证明的社区", required=True, max_length=32, messages={"required": "请选择有效的社区。"}
    )
    applicant_name = schemas.text(
        "真实姓名",
        required=True,
        max_length=30,
        validators=[RegexValidator(NAME_PATTERN, NAME_MESSAGE)],
        messages={"required": NAME_MESSAGE, "max_length": NAME_MESSAGE},
    )
    id_number = schemas.text(
        "公民身份号码",
        required=True,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    reason = schemas.text(
        "申请事由",
        required=True,
        min_length=2,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        messages={"required": REASON_MESSAGE, "min_length": REASON_MESSAGE, "max_length": REASON_MESSAGE},
    )
    purpose = schemas.text(
        "证明用途",
        required=True,
        min_length=2,
        max_length=200,
        help_text="例如：办理子女入学、向法院申请缓交诉讼费",
        messages={"required": PURPOSE_MESSAGE, "min_length": PURPOSE_MESSAGE, "max_length": PURPOSE_MESSAGE},
    )
    pledge = schemas.boolean("承诺", label=PLEDGE_TEXT)

    def clean_id_number(self) -> str:
        try:
            return id_number_validate(self.cleaned_data.get("id_number") or "")
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code="invalid_id_number") from None

    def clean_pledge(self) -> bool:
        if self.cleaned_data.get("pledge") is not True:
            raise forms.ValidationError("请阅读并勾选材料真实性承诺。", code="pledge")
        return True

    def refusal(self) -> DomainError:
        """One wrong field is its own sentence; several, one sentence with every field marked."""
        refusal = super().refusal()
        if len(refusal.fields) > 1:
            return DomainError("申请信息不完整或有误，请按提示修改。", fields=refusal.fields)
        return refusal
