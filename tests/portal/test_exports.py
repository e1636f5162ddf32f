"""The one spreadsheet export: the same rows, numbers stay numbers, text never runs as a formula."""

import io

from openpyxl import load_workbook

from portal.exports import Sheet, safe_cell, xlsx_bytes, xlsx_response


def test_formulas_are_written_as_text():
    for bad in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"]:
        assert safe_cell(bad) == "'" + bad
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell(None) == "" and safe_cell(True) == "是"
    assert safe_cell("河西区") == "河西区"


def test_sheets_keep_titles_notes_headers_and_rows():
    data = xlsx_bytes(
        [
            Sheet(
                title="汇总/表",
                notes=["范围：河西区"],
                headers=["指标", "本期"],
                rows=[["拒绝", 4], ["=HACK()", 1]],
            )
        ]
    )
    ws = load_workbook(io.BytesIO(data)).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    assert ws.title == "汇总 表" and rows[0][0] == "汇总/表" and rows[1][0] == "范围：河西区"
    assert rows[2] == ("指标", "本期") and rows[3] == ("拒绝", 4) and rows[4] == ("'=HACK()", 1)


def test_response_names_the_file_in_chinese():
    r = xlsx_response(filename="减负成效-河西区.xlsx", sheets=[Sheet(title="a", headers=["x"])])
    assert "filename*=UTF-8''%E5%87%8F" in r["Content-Disposition"]
