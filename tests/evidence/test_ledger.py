"""佐证台账 reading: header words and variants, cleaned values, hyperlinks, path resolution."""

from __future__ import annotations

import datetime as dt
import os
import sys

import pytest
from imgs import Link, jpeg, ledger

from wenming_xl.errors import EvidenceError
from wenming_xl.evidence.ledger import (
    clean_count,
    clean_date,
    clean_item,
    header_role,
    kind_of_type,
    link_target,
    read_ledger,
)
from wenming_xl.evidence.loader import LedgerError
from wenming_xl.evidence.paths import resolve_path


def test_reads_rows_with_default_header(tmp_path):
    book = ledger(
        tmp_path / "台账.xlsx",
        [
            {"条目": 3, "部门": "党建办", "日期": dt.date(2022, 5, 3), "地点": "东双桥社区"},
            {"条目": "第5项", "主题": "礼让斑马线", "类型": "照片", "数量": "3张"},
        ],
        title="2022年佐证材料台账",
    )
    [sheet] = read_ledger(book)
    assert sheet.sheet == "佐证台账" and sheet.header_row == 2
    first, second = sheet.rows
    assert (first.item, first.department, first.date, first.place) == (
        3,
        "党建办",
        dt.date(2022, 5, 3),
        "东双桥社区",
    )
    assert first.row == 3 and first.location.cell == "A3" and first.location.sheet == "佐证台账"
    assert (second.item, second.theme, second.type_text, second.count) == (
        "第5项",
        "礼让斑马线",
        "照片",
        3,
    )
    assert first.annotation == "东双桥社区" and first.label == "2022-05-03 东双桥社区"


def test_header_variants_and_item_column_priority(tmp_path):
    header = [
        "序号",
        "条目编号",
        "责任部门",
        "活动日期",
        "活动地点",
        "活动主题",
        "材料类型",
        "张数",
        "文件路径",
        "说明",
    ]
    book = ledger(
        tmp_path / "a.xlsx",
        [
            {
                "序号": 1,
                "条目编号": 7,
                "责任部门": "团委",
                "活动日期": "2022年5月3日",
                "活动地点": "城南社区",
                "活动主题": "垃圾分类宣传",
                "材料类型": "照片",
                "张数": 4,
                "文件路径": "照片/a",
                "说明": "补充",
            }
        ],
        header=header,
        sheet="Sheet1",
    )
    [sheet] = read_ledger(book)
    [row] = sheet.rows
    assert row.item == 7  # 条目编号 wins over the row counter 序号
    assert (row.department, row.date, row.place, row.theme) == (
        "团委",
        dt.date(2022, 5, 3),
        "城南社区",
        "垃圾分类宣传",
    )
    assert (row.type_text, row.count, row.paths, row.note) == ("照片", 4, ["照片/a"], "补充")
    assert row.count_header == "张数"


@pytest.mark.parametrize(
    "text, role",
    [
        ("条目", "no"),
        ("序号", "no"),
        ("活动日期（年月日）", "date"),
        ("份数", "count"),
        ("文件路径/链接", "path"),
        ("部门名称", "department"),
        ("备注", "note"),
        ("测评内容", "theme"),
        ("分值", None),
    ],
)
def test_header_role(text, role):
    hit = header_role(text)
    assert (hit[0] if hit else None) == role


def test_only_sheets_with_a_ledger_header_count(tmp_path):
    import openpyxl

    book = tmp_path / "任务表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["序号", "工作任务", "分值", "牵头部门", "材料上传及说明"])
    ws.append([1, "学习", 2, "党建办", "上传图片"])
    wb.save(book)
    assert read_ledger(book) == []
    ledger(tmp_path / "任务表.xlsx", [{"条目": 1, "数量": 2}], workbook=book)
    sheets = read_ledger(book, named_only=True)
    assert [s.sheet for s in sheets] == ["佐证台账"]


def test_template_rows_with_only_an_item_number_are_skipped(tmp_path):
    book = ledger(tmp_path / "a.xlsx", [{"条目": 1}, {"条目": 2, "数量": 1}, {}])
    [sheet] = read_ledger(book)
    assert [r.item for r in sheet.rows] == [2]


def test_hyperlink_target_wins_over_cell_text(tmp_path):
    book = ledger(
        tmp_path / "a.xlsx",
        [
            {"条目": 1, "路径": Link("材料/03%20学习/a.jpg", "点击查看")},
            {"条目": 2, "路径": Link("file:///D:/材料/b.jpg")},
            {"条目": 3, "路径": "材料/x.jpg\n材料/y.jpg"},
        ],
    )
    [sheet] = read_ledger(book)
    assert [r.paths for r in sheet.rows] == [
        ["材料/03 学习/a.jpg"],
        ["D:/材料/b.jpg"],
        ["材料/x.jpg", "材料/y.jpg"],
    ]
    assert sheet.rows[0].path_location.cell == "H2"


@pytest.mark.parametrize(
    "target, path",
    [
        ("file:///D:/%E6%9D%90%E6%96%99/a.jpg", "D:/材料/a.jpg"),
        ("file://server/share/a.jpg", "//server/share/a.jpg"),
        ("https://mp.weixin.qq.com/s/abc", "https://mp.weixin.qq.com/s/abc"),
        ("材料/03%20学习", "材料/03 学习"),
    ],
)
def test_link_target(target, path):
    assert link_target(target) == path


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, 3),
        (3.0, 3),
        ("3张", 3),
        ("三份", 3),
        ("十二", 12),
        (" 2 ", 2),
        ("若干", None),
        (None, None),
        (-1, None),
    ],
)
def test_clean_count(value, expected):
    assert clean_count(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.datetime(2022, 5, 3, 9, 30), dt.date(2022, 5, 3)),
        (dt.date(2022, 5, 3), dt.date(2022, 5, 3)),
        (44684, dt.date(2022, 5, 3)),
        (20220503, dt.date(2022, 5, 3)),
        ("2022年5月3日", dt.date(2022, 5, 3)),
        ("2022.5.3", dt.date(2022, 5, 3)),
        ("五月初", None),
        (None, None),
    ],
)
def test_clean_date(value, expected):
    assert clean_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (3.0, 3),
        ("03", 3),
        ("第3项", "第3项"),
        (None, None),
        (True, None),
        ("一.(一).1", "一.(一).1"),
    ],
)
def test_clean_item(value, expected):
    assert clean_item(value) == expected


@pytest.mark.parametrize(
    "text, kind",
    [
        ("照片", "image"),
        ("图片", "image"),
        ("截图", "image"),
        ("扫描图", "image"),
        ("报道截图", "image"),
        ("文件", "document"),
        ("扫描件", "document"),
        ("说明", "document"),
        ("通知", "document"),
        ("方案", "document"),
        ("报道", "document"),
        ("名单", "document"),
        ("视频", "video"),
        ("锦旗", "other"),
    ],
)
def test_kind_of_type(text, kind):
    assert kind_of_type(text) == kind


def test_kind_of_blank_type_follows_the_count_header():
    assert kind_of_type("", "张数") == "image"
    assert kind_of_type("", "份数") == "document"
    assert kind_of_type("", "数量") == "other"


def test_not_a_workbook_is_a_clear_error(tmp_path):
    bad = tmp_path / "台账.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(LedgerError) as err:
        read_ledger(bad)
    assert "另存为" in str(err.value) and isinstance(err.value, EvidenceError)
    locked = tmp_path / "加密.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    with pytest.raises(LedgerError, match="密码"):
        read_ledger(locked)
    with pytest.raises(LedgerError, match="找不到"):
        read_ledger(tmp_path / "无.xlsx")


def test_a_boolean_cell_is_not_taken_for_the_number_it_equals(tmp_path):
    rows = [{"条目": 1, "类型": "照片", "数量": 1}, {"条目": True, "类型": "照片", "数量": True}]
    rows.append({"条目": 1.0, "类型": "照片", "数量": 1.0})
    [sheet] = read_ledger(ledger(tmp_path / "台账.xlsx", rows))
    assert [(r.item, r.count, r.count_text) for r in sheet.rows] == [
        (1, 1, "1"),
        (None, None, "True"),
        (1, 1, "1"),
    ]


def test_background_loader_hands_over_what_load_sheets_reads(tmp_path):
    from wenming_xl.evidence.loader import SheetLoader, load_sheets

    rows = [{"条目": n, "部门": "党建办", "类型": "照片", "数量": n} for n in range(1, 40)]
    books = [ledger(tmp_path / f"台账{k}.xlsx", rows[: 10 * k]) for k in (1, 2, 3)]
    bad = tmp_path / "坏.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    order = [(str(books[0]), "file"), (str(bad), "dir"), (str(books[1]), "dir")]
    order.append((str(books[2]), "dir"))
    loader = SheetLoader(order, ahead=1)
    try:
        # Asked out of turn: the caller loads book 3 itself, the thread skips it.
        assert [len(s) for _n, s in loader.get(books[2])] == [31]
        first = loader.get(books[0])
        assert first == load_sheets(books[0])
        with pytest.raises(LedgerError, match="另存为"):
            loader.get(bad)
        assert [len(s) for _n, s in loader.get(books[1])] == [21]
        # Not in its list at all: loaded on the spot.
        assert loader.get(books[0]) == first
        sheets = read_ledger(books[1], loader=SheetLoader([(str(books[1]), "file")]))
        assert [r.count for r in sheets[0].rows] == list(range(1, 21))
    finally:
        loader.close()


# --------------------------------------------------------------------------- path resolution


def _roots(*folders):
    return [(os.path.abspath(f), os.path.realpath(f)) for f in folders]


def test_resolve_inside_either_root(tmp_path):
    books, evidence = tmp_path / "台账", tmp_path / "材料"
    photo = jpeg(evidence / "03" / "a.jpg")
    jpeg(books / "附件" / "b.jpg")
    roots = _roots(books, evidence)
    assert resolve_path("03/a.jpg", roots) == ("ok", str(photo))
    assert resolve_path("03\\a.jpg", roots)[0] == "ok"
    assert resolve_path("附件", roots)[0] == "ok"
    assert resolve_path("../材料/03/a.jpg", roots)[0] == "ok"  # leaves one root, lands in the other
    assert resolve_path(str(photo), roots)[0] == "ok"
    assert resolve_path("03/none.jpg", roots) == ("missing", None)


def test_resolve_refuses_escapes(tmp_path):
    evidence = tmp_path / "材料"
    evidence.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("x", encoding="utf-8")
    roots = _roots(evidence)
    assert resolve_path("../secret.txt", roots) == ("outside", None)
    assert resolve_path("..\\..\\secret.txt", roots) == ("outside", None)
    assert resolve_path(str(secret), roots) == ("outside", None)
    assert resolve_path("../nothing-here.txt", roots) == ("outside", None)
    if sys.platform != "win32":
        assert resolve_path("D:\\材料\\a.jpg", roots) == ("outside", None)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_resolve_refuses_a_symlink_out(tmp_path):
    evidence = tmp_path / "材料"
    evidence.mkdir()
    outside = tmp_path / "外部"
    jpeg(outside / "a.jpg")
    try:
        os.symlink(outside, evidence / "link")
    except OSError:
        pytest.skip("cannot create symlinks here")
    assert resolve_path("link/a.jpg", _roots(evidence)) == ("outside", None)
    assert resolve_path("link", _roots(evidence)) == ("outside", None)


def test_declared_row_evidence_and_its_folded_note(tmp_path):
    from wenming_xl.evidence.declared import sheet_evidence
    from wenming_xl.findings import merge_declared
    from wenming_xl.model import Item, Location

    day = dt.date(2022, 5, 3)
    row = {"条目": 3, "部门": "党建办", "日期": day, "地点": "东双桥社区", "主题": "礼让斑马线"}
    row.update({"类型": "照片", "数量": 4})
    book = ledger(tmp_path / "台账.xlsx", [row, {**row, "数量": "4张"}])
    [sheet] = read_ledger(book)
    item = Item(3, "礼让斑马线", points=2)
    evidence, notes = [], []

    def never(*args):
        raise AssertionError("no row names files")

    sheet_evidence(sheet, "台账.xlsx", {3: item}.get, never, evidence=evidence, notes=notes)
    ev = evidence[0]
    got = (ev.item_no, ev.kind, ev.path, ev.group, ev.group_name, ev.group_date, ev.annotation)
    assert got == (
        3,
        "image",
        None,
        "ledger:台账.xlsx:2",
        "2022-05-03 东双桥社区 礼让斑马线",
        day,
        "东双桥社区 礼让斑马线",
    )
    assert (ev.date, ev.declared, ev.count, ev.object, ev.department) == (
        day,
        True,
        4,
        "照片",
        "党建办",
    )
    assert ev.location == Location(str(book), "佐证台账", "A2") and ev.counted
    assert evidence[1].group == "ledger:台账.xlsx:3" and evidence[1].count == 4
    [merged] = merge_declared(notes)
    assert (merged.code, merged.item_no, merged.params["count"], merged.params["rows"]) == (
        "declared-only",
        3,
        8,
        2,
    )
    assert merged.location == Location(str(book), "佐证台账", "A2")
    assert "第2、3行（共2行）" in merged.message
    # One row alone keeps its own place in the message.
    evidence, notes = [], []
    only = read_ledger(ledger(tmp_path / "一行.xlsx", [row]))[0]
    sheet_evidence(only, "一行.xlsx", {3: item}.get, never, evidence=evidence, notes=notes)
    [one] = merge_declared(notes)
    assert (one.code, one.params) == (
        "declared-only",
        {"count": 4, "where": "台账 一行.xlsx 工作表「佐证台账」第2行"},
    )


def test_declared_rows_mixed_with_other_rows_keep_their_notes_in_row_order(tmp_path):
    """Rows built column by column, notes still in row order: unknown 条目, a row with no
    数量, the first counted row of an item (its fold), a row naming a file (handed to
    ``on_files``), a web link kept as the path, a photo dated outside the period."""
    from wenming_xl.evidence.declared import sheet_evidence
    from wenming_xl.evidence.period import parse_period
    from wenming_xl.findings import DeclaredFold
    from wenming_xl.model import Item

    day, june = dt.date(2022, 5, 3), dt.date(2021, 6, 1)
    base = {"部门": "党建办", "地点": "礼堂", "主题": "宣讲", "类型": "照片"}
    rows = [
        {**base, "条目": 99, "日期": day, "数量": 1},  # 2: unknown item
        {**base, "条目": 3, "日期": day, "数量": None},  # 3: no count
        {**base, "条目": 3, "日期": day, "数量": 2},  # 4: first counted row of item 3
        {**base, "条目": 3, "日期": day, "数量": 1, "路径": "材料/03/a.jpg"},  # 5: names a file
        {**base, "条目": 5, "日期": june, "数量": 4, "路径": "https://x.org/a"},  # 6: link, outside
        {**base, "条目": 3, "日期": day, "数量": 3},  # 7: folded into row 4's note
    ]
    [sheet] = read_ledger(ledger(tmp_path / "台账.xlsx", rows))
    items = {3: Item(3, "甲", points=2), 5: Item(5, "乙", points=2)}
    evidence, notes, handed = [], [], []

    def on_files(i, item, local):
        handed.append((sheet.numbers[i], item.no, local))
        notes.append(f"files of row {sheet.numbers[i]}")

    period = parse_period("2022")
    sheet_evidence(sheet, "台账", items.get, on_files, period, evidence=evidence, notes=notes)
    assert [e.group for e in evidence] == [f"ledger:台账:{r}" for r in (3, 4, 6, 7)]
    assert handed == [(5, 3, ["材料/03/a.jpg"])]
    link = evidence[2]
    assert (link.path, link.item_no, link.count, link.counted) == ("https://x.org/a", 5, 4, False)
    kinds = [
        n
        if isinstance(n, str)
        else ("fold", n.item, n.rows)
        if isinstance(n, DeclaredFold)
        else n.code
        for n in notes
    ]
    assert kinds == [
        "unknown-item",
        "declared-no-count",
        ("fold", 3, [4, 7]),
        "files of row 5",
        "path-is-link",  # row 6 names a web page, not a file (issue 18)
        "outside-period",  # row 6 is not counted: no 「按台账填报的数量计入」 note for it
    ]
    assert [n.count for n in notes if isinstance(n, DeclaredFold)] == [5]


_NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_CELLS = '<row r="2"><c r="H2" t="inlineStr"><is><t>点击查看</t></is></c></row>'


@pytest.mark.parametrize(
    "xml",
    [
        # as Excel writes it: the links after the cells (only that tail is parsed)
        f"<worksheet {_NS}><sheetData>{_CELLS}</sheetData>"
        '<hyperlinks><hyperlink ref="H2" r:id="rId1"/></hyperlinks></worksheet>',
        # prefixed elements, an XML declaration
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<x:worksheet {_NS.replace('xmlns=', 'xmlns:x=')}><x:sheetData>"
        f"{_CELLS.replace('<', '<x:').replace('<x:/', '</x:')}</x:sheetData>"
        '<x:hyperlinks><x:hyperlink ref="H2" r:id="rId1"/></x:hyperlinks></x:worksheet>',
        # the word sheetData again after the links: the tail is not XML, the whole part is read
        f"<worksheet {_NS}><sheetData>{_CELLS}</sheetData>"
        '<hyperlinks><hyperlink ref="H2" r:id="rId1"/></hyperlinks>'
        "<extLst><ext><note>sheetData</note></ext></extLst></worksheet>",
    ],
)
def test_hyperlinks_read_from_after_the_cells_or_the_whole_part(tmp_path, xml):
    import zipfile

    from wenming_xl.evidence.links import _hyperlink_elements

    book = tmp_path / "a.zip"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml.encode("utf-8"))
    with zipfile.ZipFile(book) as zf:
        found = _hyperlink_elements(zf, "xl/worksheets/sheet1.xml")
    assert [
        (el.get("ref"), [v for k, v in el.attrib.items() if k.endswith("}id")]) for el in found
    ] == [("H2", ["rId1"])]
