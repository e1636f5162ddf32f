"""The tables of a burden report, built once from :class:`reports.selectors.BurdenFigures` and shown the same
way on the dashboard, in the PDF and in Excel."""

from __future__ import annotations

from portal.charts import bar_chart_svg, column_chart_svg
from portal.exports import Sheet
from reports.metrics import BY_KEY, METRICS, SERVICE_KEYS, TABLE_KEYS, TREND_KEYS, grouped
from reports.selectors import REGISTER_COLUMNS, REGISTERS, BurdenFigures, compare


def fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def fmt_delta(value) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "持平"
    return ("+" if value > 0 else "") + fmt(value)


def summary_rows(current: BurdenFigures, previous: BurdenFigures) -> list[dict]:
    """Per group, per metric: label, this period, previous period, change, what is counted."""
    cmp = compare(current, previous)
    out = []
    for key, label, metrics in grouped():
        out.append(
            {
                "group": label,
                "key": key,
                "rows": [
                    {
                        "key": m.key,
                        "label": m.label,
                        "unit": m.unit,
                        "now": "待统计" if m.pending else fmt(cmp[m.key]["now"]),
                        "before": "待统计" if m.pending else fmt(cmp[m.key]["before"]),
                        "delta": "" if m.pending else fmt_delta(cmp[m.key]["delta"]),
                        "explain": m.explain,
                        "pending": m.pending,
                        "raw": cmp[m.key]["now"],
                    }
                    for m in metrics
                ],
            }
        )
    return out


CHILD_LEVEL_NAMES = {"city": "区", "district": "街道", "street": "社区", "community": "社区"}


def child_table(figures: BurdenFigures, keys: list[str] = TABLE_KEYS) -> dict:
    """One row per child unit, then the node's own row when something was counted for it and for no child
    (so the rows add up to the total), then the total."""
    headers = [BY_KEY[k] for k in keys]
    rows = [
        {
            "org": c["org"],
            "name": c["org"].name,
            "cells": [(BY_KEY[k].label, fmt(c["values"].get(k))) for k in keys],
        }
        for c in figures.children
    ]
    own = figures.unattributed or {}
    has_own = any(k in own for k in keys)
    if has_own:
        level = CHILD_LEVEL_NAMES[figures.org.level]
        rows.append(
            {
                "org": None,
                "name": f"{figures.org.name}本级及未指明{level}",
                "cells": [(BY_KEY[k].label, fmt(own[k]) if k in own else "—") for k in keys],
            }
        )
    total = [fmt(figures.total.get(k)) for k in keys]
    return {"headers": headers, "rows": rows, "total": total, "own": has_own}


def service_child_table(figures: BurdenFigures) -> dict:
    return child_table(figures, SERVICE_KEYS)


def month_table(figures: BurdenFigures, keys: list[str] = TREND_KEYS) -> dict:
    headers = [BY_KEY[k] for k in keys]
    rows = [
        {
            "label": f"{m['month']:%Y-%m}",
            "cells": [(BY_KEY[k].label, fmt(m["values"].get(k))) for k in keys],
        }
        for m in figures.months
    ]
    return {"headers": headers, "rows": rows}


def service_month_table(figures: BurdenFigures) -> dict:
    return month_table(figures, SERVICE_KEYS)


def charts(current: BurdenFigures, previous: BurdenFigures) -> dict:
    """Refusals per month against the previous period, and the admitted workload per child unit."""
    level = {"city": "各区", "district": "各街道", "street": "各社区", "community": "本社区"}[
        current.org.level
    ]
    trend = column_chart_svg(
        [(f"{m['month'].month}月", m["values"].get("refusals")) for m in current.months],
        previous=[m["values"].get("refusals") for m in previous.months],
        title=f"拒绝承接登记（件）：{current.period.label}与上期",
        unit="件",
        chart_id="trend-refusals",
    )
    hours = column_chart_svg(
        [(f"{m['month'].month}月", m["values"].get("workload_hours")) for m in current.months],
        previous=[m["values"].get("workload_hours") for m in previous.months],
        title="准入事项工作量（小时/月）：本期与上期",
        unit="小时",
        chart_id="trend-hours",
    )
    bars = bar_chart_svg(
        [(c["org"].name, c["values"].get("workload_hours")) for c in current.children],
        title=f"{level}准入事项工作量（小时/月）",
        unit="小时",
        chart_id="children-hours",
    )
    refusals = bar_chart_svg(
        [(c["org"].name, c["values"].get("refusals")) for c in current.children],
        title=f"{level}拒绝承接登记（件）",
        unit="件",
        chart_id="children-refusals",
    )
    return {"trend": trend, "hours": hours, "bars": bars, "refusal_bars": refusals}


def burden_sheets(current: BurdenFigures, previous: BurdenFigures) -> list[Sheet]:
    """The same tables as the page, for Excel (through the core export, formulas escaped)."""
    notes = [
        f"范围：{current.org.full_name or current.org.name}",
        f"期间：{current.period.label}（上期 {previous.period.label}）",
    ]
    summary = Sheet(
        title="减负成效汇总",
        notes=notes,
        headers=["类别", "指标", "单位", "本期", "上期", "变化", "统计口径"],
        rows=[
            [g["group"], r["label"], r["unit"], r["now"], r["before"], r["delta"], r["explain"]]
            for g in summary_rows(current, previous)
            for r in g["rows"]
        ],
    )
    sheets = [summary]
    for title, table in (
        ("下级单位", child_table(current)),
        ("下级单位·投诉与诉求", service_child_table(current)),
    ):
        sheets.append(
            Sheet(
                title=title,
                notes=notes,
                headers=["单位"] + [f"{m.label}（{m.unit}）" for m in table["headers"]],
                rows=[[r["name"]] + [v for _, v in r["cells"]] for r in table["rows"]]
                + [["合计"] + table["total"]],
            )
        )
    for title, months in (("逐月", month_table(current)), ("逐月·投诉与诉求", service_month_table(current))):
        sheets.append(
            Sheet(
                title=title,
                notes=notes,
                headers=["月份"] + [f"{m.label}（{m.unit}）" for m in months["headers"]],
                rows=[[r["label"]] + [v for _, v in r["cells"]] for r in months["rows"]],
            )
        )
    departments = Sheet(
        title="拒绝承接按交办部门",
        notes=notes,
        headers=["交办部门", "拒绝承接", "禁止下派事项", "未经准入事项"],
        rows=[
            [d["department"] or "（未填写）", d["n"], d["prohibited"], d["not_admitted"]]
            for d in current.departments
        ],
    )
    return [*sheets, departments]


def register_sheet(*, kind: str, org, period, rows: list[dict]) -> Sheet:
    cols = REGISTER_COLUMNS[kind]
    return Sheet(
        title=REGISTERS[kind],
        notes=[f"范围：{org.full_name or org.name}", f"期间：{period.label}", f"共 {len(rows)} 条"],
        headers=[label for _, label in cols],
        rows=[[r[key] for key, _ in cols] for r in rows],
    )


__all__ = [
    "METRICS",
    "burden_sheets",
    "charts",
    "child_table",
    "month_table",
    "register_sheet",
    "service_child_table",
    "service_month_table",
    "summary_rows",
]
