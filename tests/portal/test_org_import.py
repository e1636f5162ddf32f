"""Org tree import from CSV and Excel: bad rows reported by line, nothing half-imported."""

import io

import pytest
from openpyxl import Workbook

from portal.errors import DomainError
from portal.models import AuditEntry, OrgUnit
from portal.services.org_import import org_import

GOOD = """代码,名称,层级,上级代码,类型
120103005000,马场街道,街道,120103,
120103005001,友谊路社区,社区,120103005000,社区
120103005002,马场村,社区,120103005000,村
"""


def test_csv_import_creates_the_nodes_with_paths(users):
    result = org_import(actor=users["city_admin"], file_name="河西区.csv", data=GOOD.encode("utf-8"))
    assert (result.created, result.updated) == (3, 0)
    village = OrgUnit.objects.get(code="120103005002")
    assert village.kind == "village" and village.path == "120000/120103/120103005000/120103005002/"
    assert AuditEntry.objects.filter(action="org_import").exists()
    # Importing again updates, it does not duplicate.
    result = org_import(actor=users["city_admin"], file_name="河西区.csv", data=GOOD.encode("gb18030"))
    assert (result.created, result.updated) == (0, 3)


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(users):
    bad = (
        GOOD
        + "12010300600,越秀路街道,街道,120103,\n120103007001,孤儿社区,社区,120103999000,社区\n120103005003,错层社区,社区,120103,社区\n"
    )
    with pytest.raises(DomainError) as exc:
        org_import(actor=users["city_admin"], file_name="x.csv", data=bad.encode())
    message = exc.value.message
    assert "第 5 行" in message and "第 6 行" in message and "第 7 行" in message
    assert "第 2 行" not in message
    assert not OrgUnit.objects.filter(code="120103005000").exists()


def test_excel_import(users):
    wb = Workbook()
    ws = wb.active
    for row in GOOD.strip().splitlines():
        ws.append(row.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    result = org_import(actor=users["city_admin"], file_name="tree.xlsx", data=buf.getvalue())
    assert result.created == 3


def test_missing_columns_and_wrong_file_type(users):
    with pytest.raises(DomainError, match="表头缺少"):
        org_import(actor=users["city_admin"], file_name="x.csv", data="名字,等级\n".encode())
    with pytest.raises(DomainError, match="只支持"):
        org_import(actor=users["city_admin"], file_name="x.txt", data=b"abc")


def test_import_page_shows_errors_by_line(page_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = page_client("city_admin")
    bad = "代码,名称,层级,上级代码,类型\n1201,坏代码,街道,120103,\n"
    r = client.post("/manage/orgs/import/", {"file": SimpleUploadedFile("bad.csv", bad.encode())})
    assert r.status_code == 200 and "第 2 行" in r.content.decode()
    r = client.post("/manage/orgs/import/", {"file": SimpleUploadedFile("good.csv", GOOD.encode())})
    assert r.status_code == 302 and OrgUnit.objects.filter(code="120103005001").exists()
