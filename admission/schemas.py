"""The inputs of the admission services, each declared once (``portal.schemas``): the pages' forms are built
from them, the API parses its bodies with them, the services take their typed values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from portal import schemas

#: Limits of a request's numbers: a month has at most 744 hours.
MAX_WORKLOAD_HOURS = 744


@dataclass(frozen=True, kw_only=True)
class TaskRequestInput:
    """The fields of a draft request, as the department writes them (create and edit)."""

    title: str
    description: str
    legal_basis: str
    target_orgs: list[str]
    start_date: date
    end_date: date
    workload_hours_per_month: Decimal
    funding_amount: Decimal | None
    funding_total: Decimal | None
    funding_source: str
    working_conditions: str
    purchase_service: bool
    service_provider: str
    service_budget: Decimal | None

    #: the fields stored on the request as they are (the targets are resolved by the service)
    STORED = (
        "title",
        "description",
        "legal_basis",
        "start_date",
        "end_date",
        "workload_hours_per_month",
        "funding_amount",
        "funding_total",
        "funding_source",
        "working_conditions",
        "purchase_service",
        "service_provider",
        "service_budget",
    )

    def stored(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.STORED}


class TaskRequestSchema(schemas.Schema[TaskRequestInput]):
    """A department's request for a new community task (draft): what, where, when, workload and funding."""

    message = "申请内容不完整或有误，请检查标出的字段。"

    title = schemas.text("事项名称", required=True, max_length=200)
    description = schemas.text(
        "事项内容", required=True, widget=forms.Textarea, help_text="要求社区做什么、怎么做、交付什么"
    )
    legal_basis = schemas.text(
        "依据",
        label="依据（如有）",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="法律、法规、规章或文件，写明条款",
    )
    target_orgs = schemas.codes(
        "实施范围",
        required=True,
        help_text="可选全区、若干街道或若干社区",
        messages={"required": "请选择事项的实施范围（全区、街道或社区）。"},
    )
    start_date = schemas.day("开始日期", help_text="须在提交后至少 30 个工作日")
    end_date = schemas.day("结束日期")
    workload_hours_per_month = schemas.decimal(
        "工作量",
        label="工作量（小时/社区/月）",
        required=True,
        max_value=MAX_WORKLOAD_HOURS,
        decimal_places=1,
        messages={"max_value": f"工作量不能超过每月 {MAX_WORKLOAD_HOURS} 小时。"},
    )
    funding_amount = schemas.decimal("每社区经费", label="经费（元/社区）", decimal_places=2)
    funding_total = schemas.decimal(
        "经费总额", label="经费总额（元）", decimal_places=2, help_text="不填则按社区数计算"
    )
    funding_source = schemas.text("经费来源", max_length=200)
    working_conditions = schemas.text(
        "工作条件",
        label="为社区提供的工作条件",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="设备、系统账号、培训、人员支持等（费随事转）",
    )
    purchase_service = schemas.boolean("采取政府购买服务方式")
    service_provider = schemas.text("服务承接方", label="服务承接方（社会组织）", max_length=200)
    service_budget = schemas.decimal("购买服务预算", label="购买服务预算（元）", decimal_places=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期不能早于开始日期。")
        return data


@dataclass(frozen=True, kw_only=True)
class LegalOpinionInput:
    """The named legal reviewer's opinion on a request under review."""

    opinion: str


class LegalOpinionSchema(schemas.Schema[LegalOpinionInput]):
    opinion = schemas.text(
        "合法性审查意见", required=True, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
