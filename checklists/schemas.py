"""The inputs of the checklists services, each declared once (``portal.schemas``): the pages' forms are these
schemas, the services take their typed values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from checklists.choices import CATEGORIES_BY_LIST, ListType, PlaqueKind, Requirement
from portal import schemas

#: at most this many keywords (common phrasings) per item or register entry, each at most 40 characters
MAX_KEYWORDS = 30
KEYWORD_LENGTH = 40

CATEGORY_CHOICES = [
    (ListType(lt).label, [(c.value, c.label) for c in cats]) for lt, cats in CATEGORIES_BY_LIST.items()
]


def keywords(label: str = "关键词", **kwargs: Any) -> schemas.CodeListField:
    return schemas.codes(
        "关键词",
        label=label,
        max_items=MAX_KEYWORDS,
        max_item_length=KEYWORD_LENGTH,
        widget=forms.TextInput,
        messages={"max_items": f"关键词最多{MAX_KEYWORDS}个。"},
        **kwargs,
    )


@dataclass(frozen=True, kw_only=True)
class ItemInput:
    """An item of a list as its editor writes it (its legal bases come as rows of their own)."""

    list_type: str
    category: str
    title: str
    content: str
    department: str
    keywords: list[str]


class ItemSchema(schemas.Schema[ItemInput]):
    """An item of the autonomy or assistance list: which list and category, what, which department assists."""

    list_type = schemas.choice(
        "清单", ListType.choices, messages={"invalid_choice": "请选择清单类型（自治职责或依法协助）。"}
    )
    category = schemas.choice("类别", CATEGORY_CHOICES)
    title = schemas.text("事项名称", required=True, max_length=200)
    content = schemas.text("事项内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    department = schemas.text(
        "协助部门", max_length=200, help_text="依法协助事项必填，如“区统计局、街道办事处”。"
    )
    keywords = keywords(
        "常见说法（关键词）", help_text="用逗号或顿号分隔，供任务核查识别，如“人口普查、入户登记”。"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        list_type, category = data.get("list_type"), data.get("category")
        if (
            list_type
            and category
            and category not in [c.value for c in CATEGORIES_BY_LIST[ListType(list_type)]]
        ):
            self.add_error("category", "所选类别不属于该清单。")
        if (
            list_type == ListType.ASSISTANCE
            and not data.get("department")
            and "department" not in self.errors
        ):
            self.add_error("department", "请填写协助部门。")
        return data


@dataclass(frozen=True, kw_only=True)
class PublishInput:
    """Publishing the draft: from when, and what changed."""

    effective_from: date | None
    note: str


class PublishSchema(schemas.Schema[PublishInput]):
    effective_from = schemas.day("生效日期", required=False, help_text="留空为今天；不能早于今天。")
    note = schemas.text("修订说明", required=True, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


@dataclass(frozen=True, kw_only=True)
class LedgerInput:
    """A ledger of a district's catalogue."""

    name: str
    legal_basis: str
    merged_from: str
    retention: str
    department: str
    keywords: list[str]


class LedgerSchema(schemas.Schema[LedgerInput]):
    name = schemas.text("台账名称", required=True, max_length=200)
    legal_basis = schemas.text("依据", required=True, max_length=300)
    merged_from = schemas.text("合并的原台账", max_length=400)
    retention = schemas.text("保存期限", required=True, max_length=40, help_text="如“3年”“长期”。")
    department = schemas.text("主管部门", max_length=100)
    keywords = keywords()


@dataclass(frozen=True, kw_only=True)
class OrganisationInput:
    """An organisation a community may be asked to set up, with its requirement and basis."""

    name: str
    requirement: str
    mandate: str
    legal_basis: str
    keywords: list[str]


class OrganisationSchema(schemas.Schema[OrganisationInput]):
    name = schemas.text("组织机构名称", required=True, max_length=200)
    requirement = schemas.choice(
        "设立要求",
        Requirement.choices,
        label="要求",
        messages={"invalid_choice": "请选择设立要求。"},
    )
    mandate = schemas.text(
        "职责与要求", required=True, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = schemas.text("依据", required=True, max_length=300)
    keywords = keywords()


@dataclass(frozen=True, kw_only=True)
class PlaqueInput:
    """A plaque hanging outside a community's service centre."""

    kind: str
    text: str
    requested_by: str


class PlaqueSchema(schemas.Schema[PlaqueInput]):
    kind = schemas.choice("牌子类型", PlaqueKind.choices, messages={"invalid_choice": "请选择牌子类型。"})
    text = schemas.text("牌子全称", required=True, max_length=200)
    requested_by = schemas.text("要求悬挂的单位", max_length=200)
