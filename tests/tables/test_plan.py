"""Import of the five seed plans (as text and as Word documents) into task workbooks."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from where import ROOT, SEEDS

from wenming_xl.errors import OutputError
from wenming_xl.outputs.workbooks.tasks import write_task_workbook
from wenming_xl.tables.document import PlanError, outline_marker, read_document
from wenming_xl.tables.plan import import_plan
from wenming_xl.tables.rubric import load_rubric

WORKBOOKS = ROOT / "workbooks"


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def _make_workbooks():
    """scripts/make_workbooks.py: the seed tables as rows, written independently of the importer."""
    spec = importlib.util.spec_from_file_location(
        "make_workbooks", ROOT / "scripts" / "make_workbooks.py"
    )
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_workbooks", mod)
    spec.loader.exec_module(mod)
    return sys.modules["make_workbooks"]


MW = _make_workbooks()
#: seed -> (hand-made workbook, its Table definition, the line the text after the table starts with)
TABLE_SEEDS = {
    "001": ("2022年度文明单位创建工作任务及责任分工.xlsx", MW.TABLES[0], "抄送"),
    "000": ("2023年度文明单位测评内容分工.xlsx", MW.TABLES[1], None),
    "004": ("2012年党支部党建工作目标责任制考核.xlsx", MW.TABLES[2], "说明："),
}


def seed_docx(prefix: str, out: Path) -> Path:
    """A Word document made from a seed: its paragraphs, and its table as a real Word table.

    The table rows come from scripts/make_workbooks.py (the seed's cells, copied by hand),
    with the cells an office merges (categories, a 测评方法 beside several items) merged in
    Word too. Text before the table and after it stays as paragraphs.
    """
    lines = seed(prefix).read_text("utf-8").split("\n")
    d = docx.Document()
    if prefix not in TABLE_SEEDS:
        for ln in lines:
            if ln.strip():
                d.add_paragraph(ln.strip())
        d.save(out)
        return out
    _, table, after = TABLE_SEEDS[prefix]
    first_tab = next(i for i, ln in enumerate(lines) if ln.startswith("\t"))
    for ln in lines[:first_tab]:
        if ln.strip():
            d.add_paragraph(ln.strip())
    header, body = table.parsed()
    t = d.add_table(rows=len(body) + 1, cols=len(header))
    for c, text in enumerate(header):
        t.cell(0, c).text = text
    spans = MW.merge_spans(body, table.merge_down)
    for r, row in enumerate(body):
        for c, text in enumerate(row):
            if text:
                t.cell(r + 1, c).text = text
    for (r, c), end in spans.items():
        t.cell(r + 1, c).merge(t.cell(end + 1, c))
    if after:
        start = next(i for i, ln in enumerate(lines) if ln.strip().startswith(after))
        for ln in lines[start:]:
            if ln.strip():
                d.add_paragraph(ln.strip())
    d.save(out)
    return out


def _items(rubric):
    return [
        (i.no, i.text, i.points, i.departments, i.requirement_text, i.kind) for i in rubric.items
    ]


@pytest.mark.parametrize("fmt", ["txt", "docx"])
@pytest.mark.parametrize("prefix", ["001", "000", "004"])
def test_table_seeds_match_hand_made_workbooks(prefix, fmt, tmp_path):
    source = seed(prefix) if fmt == "txt" else seed_docx(prefix, tmp_path / f"{prefix}.docx")
    result = import_plan(source)
    assert result.shape == "table"
    out = write_task_workbook(result, tmp_path / "tasks.xlsx")
    got = load_rubric(out)
    want = load_rubric(WORKBOOKS / TABLE_SEEDS[prefix][0])
    assert len(got.items) == len(want.items)
    assert _items(got) == _items(want)
    assert [(c.name, c.cap, c.kind) for c in got.categories] == [
        (c.name, c.cap, c.kind) for c in want.categories
    ]
    assert got.style == want.style
    # The importer's own numbers and departments are the ones the reader gives back.
    assert [t.no for t in result.tasks] == [i.no for i in want.items]
    # (the importer writes the cell as it was; the reader sets 「相关职能科」 apart)
    assert [t.departments for t in result.tasks] == [
        i.departments + i.placeholders for i in want.items
    ]


def test_seed_001_items_departments_points():
    result = import_plan(seed("001"))
    assert len(result.tasks) == 37
    assert [t.no for t in result.tasks] == list(range(1, 38))
    assert result.title == "绍兴市中医院2022年度绍兴市文明单位创建工作任务及责任分工"
    t3 = result.tasks[2]
    assert t3.text.startswith("学习贯彻《绍兴市文明行为促进条例》")
    assert t3.points == 6
    assert t3.departments == ["党建办", "工会", "团委"]
    assert result.tasks[19].departments == ["纪检监察室", "科教科"]  # run together in the cell
    assert result.tasks[33].points == -3
    assert sum(t.points for t in result.tasks if t.points > 0) == 113
    assert set(result.departments) == {
        "党建办", "工会", "团委", "护理部", "门诊办", "总务科", "纪检监察室", "科教科",
        "医务科", "党政办",
    }  # fmt: skip
    assert not [f for f in result.findings if f.code in ("plan-no-departments", "no-departments")]
    # The notice around the table is not lost: it waits in 待确认.
    texts = [u.text for u in result.unplaced]
    assert any(t.startswith("抄送：") for t in texts)
    assert "各科室：" in texts


def test_seed_000_measurement_table():
    result = import_plan(seed("000"))
    assert len(result.tasks) == 48
    first = result.tasks[0]
    assert first.no == "一.（一）.1"
    assert first.categories[0] == "一、\n强化理想\n信念教育"
    assert first.requirement == "材料审核"
    assert first.leaders == ["邵静松"]
    # 测评方法 merged beside several items applies to each of them.
    assert result.tasks[1].requirement == "材料审核"
    assert result.tasks[1].no == "一.（一）.2"
    lone = next(t for t in result.tasks if t.text.startswith("加强基层党建工作"))
    assert lone.no == "三.（一）"
    assert all(t.points is None for t in result.tasks)
    assert "外联办" in result.departments


def test_seed_004_deduction_table():
    result = import_plan(seed("004"))
    assert len(result.tasks) == 21
    assert [t.no for t in result.tasks[:5]] == [
        "学习教育.1", "学习教育.2", "学习教育.3", "学习教育.4", "组织管理.1",
    ]  # fmt: skip
    assert result.tasks[2].requirement == "无正当理由不参加上级组织的会议每次扣1分。"
    assert result.tasks[4].categories == ["组织管理\n40分"]  # vertical text put right
    # The bonus section's 9 rules do not pair with its 3 items: said, and kept whole.
    codes = [f.code for f in result.findings]
    assert "rules-unpaired" in codes
    assert result.tasks[-1].requirement.count("加") >= 9
    assert "plan-no-departments" in codes
    assert result.departments == []


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_seed_003_tasks_with_their_departments(fmt, tmp_path):
    source = seed("003") if fmt == "txt" else seed_docx("003", tmp_path / "003.docx")
    result = import_plan(source)
    assert result.shape == "outline"
    assert len(result.tasks) == 16
    depts = [t.departments for t in result.tasks]
    assert depts[0] == ["办公室", "监察室"]
    assert depts[1] == ["监察室"]
    assert depts[4] == ["党办", "各支部", "监察室"]
    assert depts[7] == ["办公室", "监察室", "团委"]  # 「责任处室 ：」 with a space
    assert depts[14] == ["监察室", "医务处", "护理部", "科教处"]  # 「监察室 ·医务处」
    assert result.tasks[0].text.startswith("切实加强理论和思想教育。")
    assert result.tasks[0].categories == ["㈠切实加强思想道德教育"]
    # 「4、进一步创新医疗服务形式」 is split in 一要/二要/三要, each with its own 责任处室.
    assert result.tasks[9].text.startswith("一要以惠民便民为目标")
    assert result.tasks[9].departments == ["门诊部", "医务处", "护理部"]
    assert "4、进一步创新医疗服务形式" in result.tasks[9].categories[0]
    assert result.tasks[15].text.startswith("加强医院文化建设")  # ㈤ has no numbered items
    assert result.title == "2012年创建文明卫生行业实施方案"
    # 主要措施 1、2、3 have no 责任处室: not tasks, but listed for a person.
    unplaced = {u.text: u.reason for u in result.unplaced}
    assert "编号段落没有责任处室" in unplaced["1、加强领导，落实责任"]
    assert not [f for f in result.findings if f.code == "plan-no-departments"]
    out = write_task_workbook(result, tmp_path / "tasks.xlsx")
    rubric = load_rubric(out)
    assert [i.no for i in rubric.items] == list(range(1, 17))
    assert [i.departments for i in rubric.items] == [
        [d for d in ds if d != "各支部"] for ds in depts
    ]
    assert {p for i in rubric.items for p in i.placeholders} == {"各支部"}
    assert rubric.items[0].text == result.tasks[0].text


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_seed_002_numbered_tasks_without_departments(fmt, tmp_path):
    source = seed("002") if fmt == "txt" else seed_docx("002", tmp_path / "002.docx")
    result = import_plan(source)
    assert len(result.tasks) == 10
    assert result.tasks[0].text.startswith("「圍繞乙個主題」")  # traditional characters kept
    assert result.tasks[0].categories == ["三、總體規劃"]
    assert result.tasks[6].text.startswith("廣泛宣傳,深入發動。\n醫院將通過製作")
    assert result.departments == []
    assert "plan-no-departments" in [f.code for f in result.warnings]
    # Headings without tasks and the web-page text after the plan are in 待确认.
    texts = [u.text for u in result.unplaced]
    assert "一、 指導思想" in texts
    assert any(t.startswith("文明單位建立工作匯報") for t in texts)
    out = write_task_workbook(result, tmp_path / "tasks.xlsx")
    rubric = load_rubric(out)
    assert len(rubric.items) == 10
    assert all(i.departments == [] for i in rubric.items)


def test_workbook_shape_and_review_sheet(tmp_path):
    result = import_plan(seed("001"))
    out = write_task_workbook(result, tmp_path / "任务分工.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["任务分工", "待确认"]
    ws = wb["任务分工"]
    assert ws["A1"].value == result.title
    header = [c.value for c in ws[2]]
    assert header == ["序号", "类别", "工作任务", "分值", "牵头部门", "材料要求", "来源"]
    assert ws["A3"].value == 1 and ws["D3"].value == 4
    assert ws["G3"].value.startswith("表格1 第2行第2列")
    assert ws.freeze_panes == "A3"
    assert any(str(r).startswith("B3:") for r in ws.merged_cells.ranges)  # category merged down
    review = wb["待确认"]
    rows = [[c.value for c in row] for row in review.iter_rows(min_row=2)]
    assert len(rows) == len(result.unplaced)
    assert any(r[2] and r[2].startswith("抄送：") for r in rows)
    assert all(r[3] for r in rows)  # every line says why it is there


def test_user_text_never_becomes_a_formula(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(
        '一、重点工作\n1、=HYPERLINK("http://x")宣传活动\n责任处室：办公室\n2、-开展培训\n责任处室：+党办\n',
        "utf-8",
    )
    result = import_plan(plan)
    assert [t.departments for t in result.tasks] == [["办公室"], ["+党办"]]
    out = write_task_workbook(result, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(out)["任务分工"]
    assert ws["C3"].value.startswith("=HYPERLINK") and ws["C3"].data_type == "s"
    assert ws["C4"].value == "-开展培训" and ws["C4"].data_type == "s"


def test_gbk_text_and_inline_department(tmp_path):
    plan = tmp_path / "计划.txt"
    text = "一、重点任务\n（一）组织学习活动，每季度一次。（牵头部门：党建办）\n（二）开展志愿服务\n责任部门：团委、工会\n"
    plan.write_bytes(text.encode("gbk"))
    result = import_plan(plan)
    assert [(t.text, t.departments) for t in result.tasks] == [
        ("组织学习活动，每季度一次。", ["党建办"]),
        ("开展志愿服务", ["团委", "工会"]),
    ]


def test_orphan_department_line_goes_to_review(tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text(
        "工作方案\n责任处室：办公室\n一、任务\n1、宣传\n责任处室：党办\n另附宣传资料清单。\n",
        "utf-8",
    )
    result = import_plan(plan)
    assert [(t.text, t.departments) for t in result.tasks] == [("宣传", ["党办"])]
    first, second = result.unplaced[:2]
    assert first.text == "责任处室：办公室" and first.rank == 1
    assert second.text == "另附宣传资料清单。" and "责任处室行之后" in second.reason


def test_auto_numbered_word_plan(tmp_path):
    """Word's automatic numbering (列表编号) is not in the text; tasks are still found."""
    d = docx.Document()
    d.add_paragraph("2024年文明创建工作要点")
    d.add_paragraph("一、思想教育")
    d.add_paragraph("组织理论学习", style="List Number")
    d.add_paragraph("责任处室：党建办")
    d.add_paragraph("开展道德讲堂", style="List Number")
    d.add_paragraph("责任处室：工会、团委")
    path = tmp_path / "要点.docx"
    d.save(path)
    result = import_plan(path)
    assert [(t.text, t.departments) for t in result.tasks] == [
        ("组织理论学习", ["党建办"]),
        ("开展道德讲堂", ["工会", "团委"]),
    ]
    assert result.title == "2024年文明创建工作要点"


@pytest.mark.parametrize(
    ("text", "style", "value", "rest"),
    [
        ("一、指导思想", "cn", 1, "指导思想"),
        ("（三）发挥党建政治引领", "pcn", 3, "发挥党建政治引领"),
        ("㈡抓好优质规范服务", "pcn", 2, "抓好优质规范服务"),
        ("１、牢固树立宗旨", "num", 1, "牢固树立宗旨"),
        ("12.积极参与", "num", 12, "积极参与"),
        ("（4）组织好一年一度的体检", "pnum", 4, "组织好一年一度的体检"),
        ("(一)「圍繞乙個主題」", "pcn", 1, "「圍繞乙個主題」"),
        ("二要继续开展", "yao", 2, "二要继续开展"),
        ("②组织学习", "circ", 2, "组织学习"),
    ],
)
def test_outline_markers(text, style, value, rest):
    m = outline_marker(text)
    assert (m.style, m.value, m.rest) == (style, value, rest)


@pytest.mark.parametrize(
    "text", ["2023年1月4日—12月31日", "3月到东双桥社区慰问", "各科室：", "2.5倍"]
)
def test_not_outline_markers(text):
    assert outline_marker(text) is None


def test_unreadable_inputs(tmp_path):
    with pytest.raises(PlanError, match="找不到文件"):
        read_document(tmp_path / "none.docx")
    old = tmp_path / "plan.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(PlanError, match="另存为"):
        read_document(old)
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(PlanError, match="无法作为 Word 文档"):
        read_document(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("各科室：\n请认真落实。\n", "utf-8")
    with pytest.raises(PlanError, match="没有找到任何任务"):
        import_plan(empty)


def test_source_plan_is_never_overwritten(tmp_path):
    txt = tmp_path / "plan.txt"
    txt.write_text("一、任务\n1、宣传\n责任处室：党办\n", "utf-8")
    before = txt.read_bytes()
    result = import_plan(txt)
    with pytest.raises(OutputError):
        write_task_workbook(result, txt)
    assert txt.read_bytes() == before
    assert write_task_workbook(result, tmp_path / "任务分工").name == "任务分工.xlsx"


def test_a_sentence_is_not_a_department_line(tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text(
        "一、任务\n1、落实责任\n明确责任部门：各科室主任为本科室第一责任人，层层抓落实。\n"
        "2、宣传\n责任处室：党办\n",
        "utf-8",
    )
    result = import_plan(plan)
    assert [t.departments for t in result.tasks] == [["党办"]]
    assert "1、落实责任" in [u.text for u in result.unplaced]


def test_text_table_with_a_two_line_header(tmp_path):
    plan = tmp_path / "t.txt"
    plan.write_text(
        "附件\n\n\t序号\n\t工作\n任务\n\t牵头部门\n\n\t1\n\t开展学习\n\t党建办\n\n\t2\n\t志愿服务\n\t团委\n",
        "utf-8",
    )
    result = import_plan(plan)
    assert [(t.no, t.text, t.departments) for t in result.tasks] == [
        (1, "开展学习", ["党建办"]),
        (2, "志愿服务", ["团委"]),
    ]
