"""Import of the org tree from a CSV or Excel sheet, as the bureaus keep it.

Columns (header row, Chinese or English): 代码/code, 名称/name, 层级/level, 上级代码/parent, 类型/kind.
All rows are checked first; any bad row is reported with its line number and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.db import transaction

from portal.audit import audit
from portal.choices import PARENT_LEVEL, CommunityKind, OrgLevel
from portal.errors import DomainError
from portal.models import OrgUnit

HEADERS = {
    "code": {"code", "代码", "区划代码", "统计用区划代码"},
    "name": {"name", "名称", "单位名称"},
    "level": {"level", "层级", "级别"},
    "parent": {"parent", "parent_code", "上级代码", "上级"},
    "kind": {"kind", "类型"},
}
LEVEL_WORDS = {
    "city": OrgLevel.CITY,
    "市": OrgLevel.CITY,
    "district": OrgLevel.DISTRICT,
    "区": OrgLevel.DISTRICT,
    "县": OrgLevel.DISTRICT,
    "street": OrgLevel.STREET,
    "街道": OrgLevel.STREET,
    "乡镇": OrgLevel.STREET,
    "镇": OrgLevel.STREET,
    "乡": OrgLevel.STREET,
    "community": OrgLevel.COMMUNITY,
    "社区": OrgLevel.COMMUNITY,
    "村": OrgLevel.COMMUNITY,
}
KIND_WORDS = {
    "": "",
    "community": CommunityKind.COMMUNITY,
    "社区": CommunityKind.COMMUNITY,
    "village": CommunityKind.VILLAGE,
    "村": CommunityKind.VILLAGE,
}
CODE_RE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")


@dataclass
class ImportResult:
    created: int
    updated: int


def _rows_from_upload(name: str, data: bytes) -> list[list[str]]:
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise DomainError("无法读取该 Excel 文件，请确认是 .xlsx 格式。")
        ws = wb.worksheets[0]
        return [["" if c is None else str(c).strip() for c in row] for row in ws.iter_rows(values_only=True)]
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DomainError("无法识别 CSV 文件的编码，请使用 UTF-8 或 GB18030。")
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise DomainError("只支持 CSV 或 Excel（.xlsx）文件。")


def org_import(*, actor, file_name: str, data: bytes) -> ImportResult:
    """Validate every row, then create or update the org units in one transaction."""
    rows = _rows_from_upload(file_name, data)
    if not rows:
        raise DomainError("文件是空的。")
    header = [h.strip().lower() for h in rows[0]]
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
    missing = [k for k in ("code", "name", "level") if k not in columns]
    if missing:
        raise DomainError(
            "表头缺少必需的列："
            + "、".join({"code": "代码", "name": "名称", "level": "层级"}[m] for m in missing)
        )

    def cell(row, key):
        i = columns.get(key)
        return row[i].strip() if i is not None and i < len(row) and row[i] is not None else ""

    errors: list[str] = []
    parsed = []
    seen: dict[str, str] = {}
    existing = {o.code: o.level for o in OrgUnit.objects.only("code", "level")}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(c for c in row):
            continue
        code, name, level_word = cell(row, "code"), cell(row, "name"), cell(row, "level")
        parent_code, kind_word = cell(row, "parent"), cell(row, "kind")
        problems = []
        if not CODE_RE.match(code):
            problems.append(f"代码“{code}”不是6、9或12位数字")
        if not name or len(name) > 100:
            problems.append("名称为空或过长")
        level = LEVEL_WORDS.get(level_word.lower() if level_word else "")
        if level is None:
            problems.append(f"层级“{level_word}”无法识别（应为 市/区/街道/社区）")
        kind = KIND_WORDS.get(kind_word.lower(), None)
        if kind is None:
            problems.append(f"类型“{kind_word}”无法识别（应为 社区 或 村）")
        if code in seen:
            problems.append(f"代码“{code}”在文件中重复")
        if level and level != OrgLevel.CITY:
            parent_level = seen.get(parent_code) or existing.get(parent_code)
            if not parent_code:
                problems.append("缺少上级代码")
            elif parent_level is None:
                problems.append(f"上级代码“{parent_code}”不存在")
            elif parent_level != PARENT_LEVEL[level]:
                problems.append(f"上级“{parent_code}”的层级不符")
        if problems:
            errors.append(f"第 {line_no} 行：" + "；".join(problems))
        else:
            seen[code] = level
            parsed.append(
                (
                    code,
                    name,
                    level,
                    parent_code,
                    kind or (CommunityKind.COMMUNITY if level == OrgLevel.COMMUNITY else ""),
                )
            )
    if errors:
        raise DomainError(
            "导入未执行，以下行有错误：\n" + "\n".join(errors[:200]),
            code="import_errors",
            fields={"rows": "\n".join(errors[:200])},
        )
    created = updated = 0
    with transaction.atomic():
        nodes = {o.code: o for o in OrgUnit.objects.all()}
        for code, name, level, parent_code, kind in parsed:
            parent = nodes.get(parent_code) if parent_code else None
            node = nodes.get(code)
            if node is None:
                node = OrgUnit(code=code)
                created += 1
            else:
                updated += 1
            node.name, node.level, node.parent, node.kind = name, level, parent, kind
            node.save()
            nodes[code] = node
        audit(
            "org_import",
            actor=actor,
            detail=f"{file_name}: 新增 {created}，更新 {updated}",
            after={"created": created, "updated": updated},
        )
    return ImportResult(created=created, updated=updated)
