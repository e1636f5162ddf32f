"""The one spreadsheet export of the portal (openpyxl).

Every table a page shows can be downloaded as the same table in Excel through :func:`xlsx_bytes` /
:func:`xlsx_response` (titled sheets) or :func:`spreadsheet_response` / :func:`csv_response` (a plain table as
Excel or CSV). Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return
at the start — CSV/formula injection) is written as literal text (:func:`safe_cell`), in every export of any app.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What a cell holds once escaped: text, or a number that stays a number.
Cell = str | int | float


def safe_cell(value: object) -> Cell:
    """The value as a spreadsheet cell: numbers stay numbers, text never becomes a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


@dataclass
class Sheet:
    """One worksheet: a title, optional lines above the table (scope, period, notes), headers and rows."""

    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(title=_sheet_title(sheet.title))
        ws.append([safe_cell(sheet.title)])
        ws["A1"].font = Font(bold=True, size=14)
        for note in sheet.notes:
            ws.append([safe_cell(note)])
        ws.append([safe_cell(h) for h in sheet.headers])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="EEF2F7")
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
        for i, header in enumerate(sheet.headers, start=1):
            width = max([len(str(header))] + [len(str(r[i - 1])) for r in sheet.rows[:200] if len(r) >= i])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width * 2 + 2))
        for row in ws.iter_rows(min_row=header_row + 1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"


def xlsx_response(*, filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def safe_row(values: Iterable[object]) -> list[Cell]:
    return [safe_cell(v) for v in values]


def _csv_text(value: object) -> str:
    value = safe_cell(value)
    return value if isinstance(value, str) else str(value)


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(filename: str, header: Iterable[object], rows: Iterable[Iterable[object]]) -> HttpResponse:
    """A UTF-8 CSV download (with a BOM, so Excel opens Chinese text correctly), every cell escaped."""
    import csv

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_csv_text(h) for h in header])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return response


def table_xlsx_bytes(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """A one-sheet workbook: the header in row 1, one row per record, every cell escaped."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(safe_row(header))
    for row in rows:
        ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def spreadsheet_response(
    name: str, header: Iterable[object], rows: Iterable[Iterable[object]], *, fmt: str
) -> HttpResponse:
    """``name.xlsx`` (a plain one-sheet table) when ``fmt`` is ``"xlsx"``, else ``name.csv``."""
    if fmt == "xlsx":
        response = HttpResponse(table_xlsx_bytes(header, rows), content_type=XLSX_TYPE)
        response["Content-Disposition"] = _disposition(f"{name}.xlsx")
        return response
    return csv_response(f"{name}.csv", header, rows)
