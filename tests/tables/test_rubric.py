"""The task-table reader: the sample workbooks of the seeds, and small workbooks built here."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from where import ROOT

from wenming_xl.errors import HeaderNotFoundError, WenmingError, WorkbookError
from wenming_xl.tables.rubric import load_rubric, split_departments
from wenming_xl.tables.sheets import check_workbook, read_sheet, read_sheet_rows
from wenming_xl.text import one_line, split_numbered

WORKBOOKS = sorted((ROOT / "workbooks").glob("*.xlsx"))
HEADER = ["创建项目", "工作清单", "分值", "牵头部门", "材料上传及说明"]


def make_book(
    tmp_path: Path,
    rows: list[list],
    *,
    merges: tuple[str, ...] = (),
    hidden: tuple[int, ...] = (),
    sheet: str = "任务分工",
    before: tuple[tuple[str, list[list]], ...] = (),
    name: str = "任务表.xlsx",
) -> Path:
    """Write a workbook with openpyxl: optional sheets before the task sheet, merges, hidden rows."""
    wb = openpyxl.Workbook()
    first = wb.active
    for i, (title, sheet_rows) in enumerate(before):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = title
        for row in sheet_rows:
            ws.append(row)
    ws = wb.create_sheet() if before else first
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    path = tmp_path / name
    wb.save(path)
    return path


# --------------------------------------------------------------------------- sample workbooks


def test_the_three_seed_workbooks_are_there():
    names = {p.name for p in WORKBOOKS}
    assert {
        "2022年度文明单位创建工作任务及责任分工.xlsx",
        "2023年度文明单位测评内容分工.xlsx",
        "2012年党支部党建工作目标责任制考核.xlsx",
    } <= names


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_every_workbook_loads(path):
    rubric = load_rubric(path)
    assert rubric.items
    assert rubric.title
    for item in rubric.items:
        assert item.text and not item.text[0].isdigit()
        assert item.location.sheet == rubric.sheet and item.location.cell
        assert item.location.cell == f"{chr(64 + rubric.columns['text'])}{item.row}"
        assert item.category
    nos = [str(i.no) for i in rubric.items]
    assert len(set(nos)) == len(nos)


def test_2022_table(table_2022):
    r = load_rubric(table_2022)
    assert r.style == "points" and r.header_row == 2 and r.sheet == "任务分工"
    assert r.title == "绍兴市中医院2022年度绍兴市文明单位创建工作任务及责任分工"
    assert [i.no for i in r.items] == list(range(1, 38))
    assert r.columns == {"category": 1, "text": 2, "points": 3, "departments": 4, "requirement": 5}
    base = [c for c in r.categories if c.kind == "base"]
    assert [c.name for c in base] == [
        "一、年度精神文明建设重点任务（44分）",
        "二、自身工作与创建工作的结合（48分）",
        "三、履行社会责任（8分）",
    ]
    assert [c.cap for c in base] == [44, 48, 8]
    assert [c.points_sum for c in base] == [44, 48, 8]
    assert [len(c.items) for c in base] == [9, 17, 3]
    bonus = [i for i in r.items if i.kind == "bonus"]
    deduction = [i for i in r.items if i.kind == "deduction"]
    assert [i.no for i in bonus] == [30, 31, 32, 33]
    assert [i.no for i in deduction] == [34, 35, 36, 37]
    assert [i.points for i in deduction] == [-3, -2, -3, -2]
    assert [c.kind for c in r.categories[3:]] == ["bonus", "deduction"]
    assert r.item(3).departments == ["党建办", "工会", "团委"]
    assert r.item(20).departments == ["纪检监察室", "科教科"]
    assert r.item(33).departments == ["党建办"]  # 「相关职能科」 is no department
    assert r.item(33).placeholders == ["相关职能科"]
    assert r.item(28).departments == ["党建办", "党政办"]
    two = r.item(2)
    assert two.text.startswith("积极参与属地文明城市创建")
    assert two.requirement_text == (
        "上传本单位参与文明城市创建的情况说明、参与活动现场图片"
        "（不少于2次活动，每次活动3张图片，注明时间地点及活动主题）。"
    )
    assert (two.points, two.row, two.location.cell) == (4, 4, "B4")
    assert r.item(34).requirement_text == ""
    assert r.notes == []


def test_2023_table(table_2023):
    r = load_rubric(table_2023)
    assert r.style == "points" and r.title == "2023年度文明单位测评内容分工"
    assert len(r.items) == 48 and len(r.categories) == 9
    assert r.columns["category"] == 1 and r.columns["subcategory"] == 2
    assert r.columns["text"] == 3 and r.columns["leaders"] == 6
    assert all(i.points is None for i in r.items)
    first = r.items[0]
    assert first.no == "一.（一）.1" and first.category == "一、强化理想信念教育"
    assert first.text.startswith("深入学习贯彻习近平新时代")
    # 测评方法 merged over the items of its （一）
    assert [r.item(f"一.（一）.{n}").requirement_text for n in (1, 2, 3)] == ["材料审核"] * 3
    assert r.item("一.（二）.2").requirement_text == "材料审核数据分析"
    assert r.item("六.（二）.3").requirement_text == "材料审核 实地考察 问卷调查"
    assert r.item("三.（一）").text.startswith("加强基层党建工作")
    assert r.item("五.（一）.3").leaders == ["周忠东", "李国华", "何芬琴"]
    assert r.item("五.（一）.3").departments == ["医务科", "护理部", "财务科"]
    assert r.item("七.（一）.2").departments == ["党政综合办", "工会", "团委"]
    assert r.item("二.（二）.3").text.endswith(
        "时代楷模、劳动模范、身边好人、最美浙江人等选树活动。"
    )
    assert r.categories[2].name == "三、发挥党建政治引领"
    assert {"邵静松", "周忠东", "何芬琴", "李国华"} == {x for i in r.items for x in i.leaders}


def test_2012_table_is_deduction_style(table_2012):
    r = load_rubric(table_2012)
    assert r.style == "deduction"
    assert [c.name for c in r.categories] == [
        "学习教育30分",
        "组织管理40分",
        "作风建设30分",
        "创新创优党建工作",
    ]
    assert [c.cap for c in r.categories[:3]] == [30, 40, 30]
    assert [c.kind for c in r.categories] == ["base", "base", "base", "bonus"]
    assert [len(c.items) for c in r.categories] == [4, 9, 5, 3]
    assert all(i.points is None for i in r.items)
    assert {i.kind for i in r.categories[3].items} == {"bonus"}
    study2 = r.item("学习教育.2")
    assert study2.text == "组织开展“我们的价值观”大讨论活动。"
    assert study2.requirement_text == "不开展大讨论每一活动者扣2分（讨论以记录为准），。"
    assert study2.location.cell == "B3"
    # an unnumbered paragraph belongs to the rule above it
    assert r.item("组织管理.5").requirement_text == (
        "不按要求实行党费管理的扣2分。\n不按要求实行党内统计管理的，扣2分。"
    )
    # 3 duties, 9 bonus rules: numbers do not pair, every duty keeps all rules, with a note
    bonus_req = r.item("创新创优党建工作.1").requirement_text
    assert bonus_req.startswith("1.党组织获全国") and "不重复计分" in bonus_req
    assert [n.code for n in r.notes] == ["rules-unpaired"]
    assert r.notes[0].location.cell == "C6"
    assert not any(i.text.startswith("说明") for i in r.items)


def test_packaged_sample_is_the_2022_table(table_2022):
    sample = ROOT / "wenming_xl" / "data" / "sample_2022.xlsx"
    assert sample.read_bytes() == table_2022.read_bytes()


def test_generator_rebuilds_the_committed_workbooks(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "make_workbooks", ROOT / "scripts" / "make_workbooks.py"
    )
    gen = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_workbooks", gen)
    spec.loader.exec_module(gen)
    for table in gen.TABLES:
        target = tmp_path / table.file
        gen.build(table, target)
        built = load_rubric(target).to_dict()
        committed = load_rubric(ROOT / "workbooks" / table.file).to_dict()
        for d in (built, committed):
            d.pop("path")
            for it in d["items"]:
                it["location"].pop("path")
        assert built == committed


# --------------------------------------------------------------------------- robustness


def test_columns_in_another_order(tmp_path):
    rows = [
        ["材料上传及说明", "牵头部门", "分值", "工作清单", "创建项目"],
        ["上传照片2张。", "党建办", "4分", "1.开展学习。", "一、重点任务（6分）"],
        ["上传名单。", "工会", "2分", "2.组织活动。", None],
    ]
    r = load_rubric(make_book(tmp_path, rows, merges=("E2:E3",)))
    assert r.columns == {"requirement": 1, "departments": 2, "points": 3, "text": 4, "category": 5}
    assert [(i.no, i.text, i.points, i.departments) for i in r.items] == [
        (1, "开展学习。", 4, ["党建办"]),
        (2, "组织活动。", 2, ["工会"]),
    ]
    assert r.item(2).requirement_text == "上传名单。" and r.item(2).location.cell == "D3"
    assert r.categories[0].cap == 6 and r.notes == []


def test_header_on_row_3_with_title_above(tmp_path):
    rows = [
        ["附件"],
        ["某某学校2024年度文明校园创建任务分工"],
        HEADER,
        [None, "1.任务甲", 3, "校办", "上传文件"],
    ]
    r = load_rubric(make_book(tmp_path, rows, merges=("A2:E2",)))
    assert r.header_row == 3
    assert r.title == "某某学校2024年度文明校园创建任务分工"
    assert r.item(1).row == 4 and r.item(1).points == 3


def test_category_repeated_instead_of_merged(tmp_path):
    rows = [HEADER]
    for n, pts in ((1, 4), (2, 3), (3, 3)):
        rows.append(["一、重点任务（10分）", f"{n}.任务{n}", f"{pts}分", "党建办", "上传照片"])
    rows.append(["二、日常工作（5分）", "4.任务4", "5分", "工会", "上传照片"])
    r = load_rubric(make_book(tmp_path, rows))
    assert [(c.name, c.cap, len(c.items)) for c in r.categories] == [
        ("一、重点任务（10分）", 10, 3),
        ("二、日常工作（5分）", 5, 1),
    ]
    assert r.notes == []


def test_points_as_numbers_and_mismatch_noted(tmp_path):
    rows = [HEADER, ["一、任务（10分）", "1.甲", 4, "党建办", ""], [None, "2.乙", 2.5, "工会", ""]]
    r = load_rubric(make_book(tmp_path, rows, merges=("A2:A3",)))
    assert [i.points for i in r.items] == [4.0, 2.5]
    assert [n.code for n in r.notes] == ["points-mismatch"]
    assert r.notes[0].params["cap"] == 10 and r.notes[0].params["total"] == 6.5


def test_departments_separated_by_commas_and_slashes(tmp_path):
    rows = [
        HEADER,
        [None, "1.甲", "2分", "党建办、工会、团委", ""],
        [None, "2.乙", "2分", "护理部，门诊办/医务科 总务科", ""],
    ]
    r = load_rubric(make_book(tmp_path, rows))
    assert r.item(1).departments == ["党建办", "工会", "团委"]
    assert r.item(2).departments == ["护理部", "门诊办", "医务科", "总务科"]


def test_hidden_row_skipped_and_reported(tmp_path):
    rows = [
        HEADER,
        [None, "1.甲", "2分", "党建办", ""],
        [None, "2.乙（已取消）", "2分", "工会", ""],
        [None, "3.丙", "2分", "团委", ""],
    ]
    r = load_rubric(make_book(tmp_path, rows, hidden=(3,)))
    assert [i.no for i in r.items] == [1, 3]
    assert [(n.code, n.params["row"]) for n in r.notes] == [("hidden-row-skipped", 3)]
    assert "第3行" in r.notes[0].message and "任务分工" in r.notes[0].message


def test_full_width_digits(tmp_path):
    rows = [
        HEADER,
        [None, "１２．组织文明单位创建主题宣讲", "４分", "党建办", "上传照片不少于３张。"],
    ]
    r = load_rubric(make_book(tmp_path, rows))
    item = r.items[0]
    assert (item.no, item.points, item.text) == (12, 4.0, "组织文明单位创建主题宣讲")


def test_numbered_items_inside_one_cell(tmp_path):
    rows = [
        HEADER,
        [
            "一、学习（4分）",
            "1．学习理论。\n2.开展讨论。\n3、参加培训，\n每季度一次。",
            None,
            "党建办",
            "1.上传学习记录。\n2.上传讨论照片2张。\n3.上传培训签到表。",
        ],
    ]
    r = load_rubric(make_book(tmp_path, rows))
    assert [i.no for i in r.items] == [1, 2, 3]
    assert [i.text for i in r.items] == ["学习理论。", "开展讨论。", "参加培训，每季度一次。"]
    assert [i.requirement_text for i in r.items] == [
        "上传学习记录。",
        "上传讨论照片2张。",
        "上传培训签到表。",
    ]
    assert {i.location.cell for i in r.items} == {"B2"}
    assert r.notes == []


def test_numbered_cells_in_sections_get_paths(tmp_path):
    rows = [
        ["项目", "责任内容", "扣分细则"],
        ["学习教育30分", "1.学习。\n2.讨论。", "1.无计划扣1分。\n2.不讨论扣2分。"],
        ["组\n织\n管\n理\n40分", "1.三会一课。", "1.每少一次扣1分。"],
        ["创新创优", "1.探索新举措。\n2.探索新做法。", "1.获市级荣誉加4分。\n2.被录用加1分。"],
        ["说明：考核基本分为100分。"],
    ]
    r = load_rubric(make_book(tmp_path, rows, merges=("A5:C5",)))
    assert r.style == "deduction"
    assert [i.no for i in r.items] == [
        "学习教育.1",
        "学习教育.2",
        "组织管理.1",
        "创新创优.1",
        "创新创优.2",
    ]
    assert [c.cap for c in r.categories] == [30, 40, None]
    assert [c.kind for c in r.categories] == ["base", "base", "bonus"]
    assert r.item("创新创优.2").requirement_text == "被录用加1分。"
    assert r.notes == []


def test_formula_cell_uses_its_cached_value(tmp_path):
    path = tmp_path / "公式.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("任务分工")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ["一、任务（6分）", "1.甲", None, "党建办", "上传照片"])
    ws.write_formula(1, 2, "=2*2", None, 4)
    ws.write_row(2, 0, [None, "2.乙", "2分", "工会", "上传照片"])
    ws.write_formula(2, 1, '="2."&"乙"', None, "2.乙")
    wb.close()
    r = load_rubric(path)
    assert [(i.no, i.text, i.points) for i in r.items] == [(1, "甲", 4), (2, "乙", 2)]
    assert r.notes == []


def test_formula_without_cached_value_is_noted(tmp_path):
    rows = [HEADER, ["一、任务（4分）", "1.甲", "=2*2", "党建办", ""]]
    r = load_rubric(make_book(tmp_path, rows))
    assert r.items[0].points is None
    assert [(n.code, n.location.cell) for n in r.notes] == [("formula-no-value", "C2")]


def test_sheet_without_item_text_column(tmp_path):
    rows = [
        ["创建项目", "分值", "牵头部门", "材料上传及说明"],
        ["一、任务", "4分", "党建办", "上传照片"],
    ]
    path = make_book(tmp_path, rows, sheet="分工")
    with pytest.raises(HeaderNotFoundError) as exc:
        load_rubric(path)
    msg = str(exc.value)
    assert "任务表.xlsx" in msg and "「分工」" in msg and "第1行" in msg
    assert "条目内容" in msg and "工作清单" in msg and "测评内容" in msg
    with pytest.raises(HeaderNotFoundError, match="工作清单"):
        load_rubric(path, sheet="分工")


def test_no_header_anywhere_names_the_sheets_and_words(tmp_path):
    path = make_book(
        tmp_path, [["会议纪要"], ["今天开会。"]], sheet="纪要", before=(("封面", [["2022年"]]),)
    )
    with pytest.raises(HeaderNotFoundError) as exc:
        load_rubric(path)
    msg = str(exc.value)
    assert "「封面」" in msg and "「纪要」" in msg
    assert "工作清单" in msg and "分值" in msg and "牵头部门" in msg and "测评方法" in msg
    assert isinstance(exc.value, WenmingError) and isinstance(exc.value, ValueError)


def test_first_task_sheet_is_found_after_other_sheets(tmp_path):
    ledger = [
        ["条目", "部门", "日期", "主题", "类型", "数量", "路径"],
        [1, "党建办", "2022-05-03", "学习", "照片", 3, ""],
    ]
    contacts = [["部门", "负责人", "邮箱"], ["党建办", "张三", "a@example.org"]]
    rows = [HEADER, [None, "1.甲", "2分", "党建办", ""]]
    path = make_book(
        tmp_path, rows, sheet="分工表", before=(("佐证台账", ledger), ("通讯录", contacts))
    )
    r = load_rubric(path)
    assert r.sheet == "分工表" and len(r.items) == 1


def test_section_rows_spacer_rows_and_totals(tmp_path):
    rows = [
        ["序号", "工作任务", "分值", "责任部门", "报送要求"],
        ["一、精神文明建设（6分）"],
        [1, "开展学习。", 4, "党建办", "上传照片"],
        [None, None, None, None, None],
        [2, "组织活动。", 2, "工会", "上传照片"],
        ["二、加分项目"],
        [3, "承办活动。", 5, "党建办", "上传说明"],
        [None, "合计", 11, None, None],
    ]
    r = load_rubric(make_book(tmp_path, rows, merges=("A2:E2", "A6:E6")))
    assert [i.no for i in r.items] == [1, 2, 3]
    assert [(c.name, c.cap, c.kind) for c in r.categories] == [
        ("一、精神文明建设（6分）", 6, "base"),
        ("二、加分项目", None, "bonus"),
    ]
    assert r.item(3).kind == "bonus" and r.notes == []


def test_occurrences_confirm_and_scored_copy_columns(tmp_path):
    rows = [
        [
            "创建项目",
            "工作清单",
            "分值",
            "牵头部门",
            "材料上传及说明",
            "扣分次数",
            "人工确认",
            "得分",
            "状态",
            "问题说明",
        ],
        [
            "四、加分项目",
            "1.承办活动。",
            "5分",
            "党建办",
            "上传说明",
            None,
            "已确认",
            5,
            "达标",
            "",
        ],
        ["五、扣分项目", "2.弄虚作假。", "-2分", "党建办", None, 2, None, 0, "", ""],
        [None, "3.未整改。", "3分", "相关职能科", None, "是", None, 0, "", "缺材料"],
    ]
    r = load_rubric(make_book(tmp_path, rows, merges=("A3:A4",)))
    assert "得分" not in r.columns and r.columns["requirement"] == 5
    assert r.item(1).confirmed and not r.item(2).confirmed
    assert [i.occurrences for i in r.items] == [0, 2, 1]
    assert [(i.kind, i.points) for i in r.items] == [
        ("bonus", 5),
        ("deduction", -2),
        ("deduction", -3),
    ]
    assert r.item(3).requirement_text == ""


def test_unreadable_points_are_noted(tmp_path):
    rows = [HEADER, [None, "1.甲", "若干", "党建办", ""]]
    r = load_rubric(make_book(tmp_path, rows))
    assert r.items[0].points is None
    assert [n.code for n in r.notes] == ["cell-unreadable"]


def test_known_departments_split_run_together_names(tmp_path):
    rows = [HEADER, [None, "1.甲", "2分", "信息处档案馆", ""], [None, "2.乙", "2分", "档案馆", ""]]
    path = make_book(tmp_path, rows)
    assert load_rubric(path).item(1).departments == ["信息处", "档案馆"]
    assert load_rubric(path, known_departments=["信息处档案馆"]).item(1).departments == [
        "信息处档案馆"
    ]


# --------------------------------------------------------------------------- errors


def test_missing_file(tmp_path):
    with pytest.raises(WorkbookError, match="找不到文件"):
        load_rubric(tmp_path / "没有这个文件.xlsx")


def test_legacy_xls_and_et(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024
    (tmp_path / "旧表.xls").write_bytes(ole)
    (tmp_path / "表.et").write_bytes(ole)
    with pytest.raises(WorkbookError, match="另存为") as exc:
        load_rubric(tmp_path / "旧表.xls")
    assert ".xls" in str(exc.value)
    with pytest.raises(WorkbookError, match="WPS"):
        load_rubric(tmp_path / "表.et")


def test_encrypted_workbook(tmp_path):
    blob = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le")
    )
    (tmp_path / "加密.xlsx").write_bytes(blob + b"\0" * 100)
    with pytest.raises(WorkbookError, match="密码"):
        load_rubric(tmp_path / "加密.xlsx")


def test_not_a_workbook(tmp_path):
    (tmp_path / "a.xlsx").write_text("序号,内容\n1,甲\n", encoding="utf-8")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with zipfile.ZipFile(tmp_path / "doc.xlsx", "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(WorkbookError, match="不是 Excel 工作簿"):
        check_workbook(tmp_path / "a.xlsx")
    with pytest.raises(WorkbookError, match="空文件"):
        check_workbook(tmp_path / "empty.xlsx")
    with pytest.raises(WorkbookError, match="Word 文档"):
        check_workbook(tmp_path / "doc.xlsx")
    with pytest.raises(WorkbookError, match="损坏"):
        check_workbook(tmp_path / "broken.xlsx")


def test_lock_file_is_refused(tmp_path, table_2022):
    lock = tmp_path / ("~$" + table_2022.name)
    lock.write_bytes(b"\x0bsomeone" + b"\0" * 150)
    with pytest.raises(WorkbookError, match="临时锁文件"):
        load_rubric(lock)


def test_unknown_sheet_name(table_2022):
    with pytest.raises(WorkbookError, match="没有名为「台账」的工作表"):
        load_rubric(table_2022, sheet="台账")


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("cell", "known", "expected"),
    [
        ("纪检监察室科教科", (), ["纪检监察室", "科教科"]),
        ("党政综合办工会\n\n团委", (), ["党政综合办", "工会", "团委"]),
        ("党建办\n工会\n团委", (), ["党建办", "工会", "团委"]),
        (
            "党建办、工会，团委/护理部 门诊办；医务科",
            (),
            ["党建办", "工会", "团委", "护理部", "门诊办", "医务科"],
        ),
        ("相关职能科", (), ["相关职能科"]),
        ("党政综合办公室", (), ["党政综合办公室"]),
        ("院长办公室", (), ["院长办公室"]),
        ("护理部团委", (), ["护理部", "团委"]),
        ("医务部门诊部", (), ["医务部", "门诊部"]),
        ("党建办（牵头）、工会、党建办", (), ["党建办", "工会"]),
        ("甲乙室丙丁科", (), ["甲乙室", "丙丁科"]),
        ("质量管理科", (), ["质量管理科"]),
        ("网络中心宣传科", ("网络中心",), ["网络中心", "宣传科"]),
        ("", (), []),
    ],
)
def test_split_departments(cell, known, expected):
    assert split_departments(cell, known) == expected


def test_split_numbered_and_one_line():
    assert split_numbered("1．甲\n2.乙\n丙\n4.丁") == [(1, "甲"), (2, "乙\n丙\n4.丁")]
    assert split_numbered("2021年计划\n2.乙") == [(None, "2021年计划\n2.乙")]
    assert split_numbered("（1）甲\n（2）乙") == [(1, "甲"), (2, "乙")]
    assert split_numbered("  ") == []
    assert one_line("一、\n强化理想\n信念教育") == "一、强化理想信念教育"
    assert one_line("材料审核 实地考察") == "材料审核实地考察"
    assert one_line("pdf version\nfile") == "pdf version file"


def test_read_sheet_rows_by_header_words(tmp_path):
    rows = [
        ["佐证台账"],
        ["条目", "部 门", "活动日期", "数量", "备注"],
        [3, "党建办", "2022-05-03", 3, ""],
        [None, None, None, None, None],
        [4, None, "2022-06-01", "5", "隐藏"],
        [5, None, "2022-07-01", 2, ""],
    ]
    path = make_book(tmp_path, rows, sheet="佐证台账", merges=("B5:B6",), hidden=(5,))
    headers = {"item": ["条目"], "department": ["部门"], "date": ["…日期"], "count": ["数量"]}
    got = read_sheet_rows(path, "佐证台账", headers, required=("item",))
    assert got.header_row == 2 and got.columns == {
        "item": 1,
        "department": 2,
        "date": 3,
        "count": 4,
    }
    assert [(rec.row, rec["item"], rec["department"]) for rec in got.records] == [
        (3, 3, "党建办"),
        (6, 5, None),
    ]
    assert got.hidden_rows == [5] and got.records[0].location("date").cell == "C3"
    with pytest.raises(WorkbookError, match="路径"):
        read_sheet_rows(path, "佐证台账", {**headers, "path": ["路径"]}, required=("path",))


def test_read_sheet_merged_cells_fill(tmp_path):
    path = make_book(tmp_path, [["a", "b"], ["合并", None], [None, "x"]], merges=("A2:A3",))
    data = read_sheet(path, "任务分工")
    assert data.value(3, 1) is None and data.filled(3, 1) == "合并"
    assert data.merged == [(2, 1, 3, 1)] and data.origin(3, 1) == (2, 1)


def test_placeholder_departments_are_not_departments(table_2022):
    """「相关职能科」 means "the offices concerned": nobody's kit, mail or bulletin paragraph."""
    from wenming_xl.tables.departments import is_placeholder, split_placeholders

    for name in (
        "相关职能科",
        "相关科室",
        "各科室",
        "各职能部门",
        "全院各部门",
        "有关部门",
        "其他科室",
    ):
        assert is_placeholder(name), name
    for name in ("党建办", "工会", "团委", "护理部"):
        assert not is_placeholder(name), name
    assert split_placeholders(["党建办", "相关职能科"]) == (["党建办"], ["相关职能科"])
    rubric = load_rubric(table_2022)
    item33 = rubric.item(33)
    assert item33.departments == ["党建办"] and item33.placeholders == ["相关职能科"]
    assert all("相关职能科" not in it.departments for it in rubric.items)


def test_a_department_kit_given_as_the_task_table_is_refused(tmp_path, table_2022):
    """Not scored 0/41: the message says it is 工会's ledger and how to pass it."""
    from wenming_xl.errors import WorkbookError
    from wenming_xl.outputs.workbooks.kits import make_kits

    make_kits(table_2022, tmp_path)
    with pytest.raises(WorkbookError) as err:
        load_rubric(tmp_path / "工会-佐证台账.xlsx")
    assert "「工会」的佐证台账" in err.value.message and "--ledger-dir" in err.value.hint
