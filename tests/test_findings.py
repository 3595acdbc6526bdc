"""findings.py: the catalogue, message templates, and folding of declared-only notes."""

from __future__ import annotations

import openpyxl

from wenming_xl import findings as F
from wenming_xl.evidence.collect import collect_evidence
from wenming_xl.model import Item


def test_every_code_is_kebab_ascii_and_formats():
    for code, (severity, _template) in F.CATALOGUE.items():
        assert code.isascii() and code == code.lower() and " " not in code
        assert severity in ("error", "warning", "info")
        F.make(code, item=1)  # a missing parameter never crashes a message


def test_declared_rows_fold_into_one_note_per_item_and_sheet(tmp_path):
    book = tmp_path / "党建办-佐证台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "佐证台账"
    ws.append(["条目", "部门", "日期", "地点", "主题", "类型", "数量", "路径", "备注"])
    for k in range(7):
        ws.append([4, "党建办", f"2022-05-{k + 1:02d}", "体育馆", "迎亚运", "照片", 3, None, None])
    ws.append([12, "党建办", "2022-06-01", "报告厅", "宣讲", "照片", 2, None, None])
    wb.save(book)
    items = [Item(4, "迎亚运", points=4), Item(12, "宣讲", points=3)]
    evidence, found = collect_evidence(items, ledgers=[book])
    assert sum(e.count for e in evidence if e.item_no == 4) == 21
    notes = [f for f in found if f.code == "declared-only"]
    assert [(f.item_no, f.params["count"]) for f in notes] == [(4, 21), (12, 2)]
    assert notes[0].params["rows"] == 7
    assert "共7行" in notes[0].message and "第2、3、4、5、6" in notes[0].message


def test_every_code_has_a_chinese_label():
    """People read a label, never the code: every catalogued code has one, Chinese and distinct."""
    assert set(F.LABELS) == set(F.CATALOGUE)
    for code, text in F.LABELS.items():
        assert any("\u4e00" <= c <= "\u9fff" for c in text), code
        assert code not in text
    assert len(set(F.LABELS.values())) == len(F.LABELS)
    assert F.label("no-such-code") != "no-such-code"
