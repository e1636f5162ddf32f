"""Excel export of a district's or a community's current lists (openpyxl; cells escaped by the core)."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from checklists.choices import LIST_TYPE_LABELS
from portal.exports import safe_cell

#: The header row (row 3); rows 4… hold one item each, in the order of the API.
HEADERS = [
    "编号",
    "清单",
    "类别",
    "事项名称",
    "事项内容",
    "法律依据",
    "协助/提出部门",
    "准入编号",
    "有效期至",
]
HEADER_ROW = 3
WIDTHS = [12, 22, 20, 36, 60, 60, 26, 18, 12]


def checklist_workbook(*, org, items, page_url: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "工作事项清单"
    ws["A1"] = safe_cell(f"{org.full_name}居委会工作事项清单")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}　在线查看：{page_url}"
    for col, name in enumerate(HEADERS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
    for r, it in enumerate(items, start=HEADER_ROW + 1):
        values = [
            it.id,
            LIST_TYPE_LABELS.get(it.list_type, it.list_type),
            it.category,
            it.title,
            it.content,
            "\n".join(it.legal_basis),
            it.department,
            it.admission_no,
            it.valid_until.isoformat() if it.valid_until else "",
        ]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=safe_cell(v))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
