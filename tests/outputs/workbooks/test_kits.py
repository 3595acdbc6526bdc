"""Department kits: ledger workbooks, evidence folder skeletons, 填报说明, read back by the checker."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from PIL import Image
from textfit import cjk_font, lines_measured
from where import FONTCONFIG, ROOT, SEEDS

from wenming_xl.cli import cli
from wenming_xl.errors import ConfigError, OutputError, WenmingError
from wenming_xl.model import Item
from wenming_xl.outputs.workbooks.kits import (
    EVIDENCE_TYPES,
    item_folder,
    make_kits,
    plan_kits,
    safe_name,
    short_title,
)
from wenming_xl.outputs.workbooks.tasks import write_task_workbook
from wenming_xl.tables.plan import import_plan
from wenming_xl.tables.rubric import load_rubric

T2022 = ROOT / "workbooks" / "2022年度文明单位创建工作任务及责任分工.xlsx"
T2023 = ROOT / "workbooks" / "2023年度文明单位测评内容分工.xlsx"
LEDGER_HEADER = ["条目", "部门", "日期", "地点", "主题", "类型", "数量", "路径", "备注"]


@pytest.fixture(scope="module")
def kits_2022(tmp_path_factory):
    out = tmp_path_factory.mktemp("kits")
    return out, make_kits(T2022, out, deadline="2022-11-30")


def test_one_kit_per_department(kits_2022):
    out, paths = kits_2022
    rubric = load_rubric(T2022)
    depts = rubric.departments
    assert [p.name for p in paths] == [f"{d}-佐证台账.xlsx" for d in depts]
    assert all(p.parent == out and p.is_file() for p in paths)
    for d in depts:
        assert (out / f"{d}-填报说明.docx").is_file()
        assert (out / f"{d}-佐证材料").is_dir()


def test_task_list_holds_only_the_departments_items(kits_2022):
    out, _ = kits_2022
    rubric = load_rubric(T2022)
    wb = openpyxl.load_workbook(out / "工会-佐证台账.xlsx")
    assert wb.sheetnames == ["任务清单", "佐证台账"]
    ws = wb["任务清单"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["条目", "工作任务", "分值", "材料要求（说明）"]
    assert "截止日期" in header
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    want = [i for i in rubric.items if "工会" in i.departments]
    assert [r[0] for r in rows] == [i.no for i in want] == [3, 4, 5, 7, 18, 19, 21, 22, 23, 30]
    assert [r[1] for r in rows] == [i.text for i in want]
    assert [r[2] for r in rows] == [i.points for i in want]
    # 材料要求 in plain words, from the requirement parser's explanation.
    assert rows[0][3].startswith("至少1份情况说明；至少3类活动，每类至少3张图片")
    assert rows[1][3] == "至少4张照片"
    assert rows[1][4] == "上传主题活动照片不少于4张。"
    due = rows[0][header.index("截止日期")]
    assert due.date() == dt.date(2022, 11, 30)
    assert rows[0][header.index("共同负责部门")] == "党建办、团委"


def test_ledger_sheet_columns_validations_and_print_setup(kits_2022):
    out, _ = kits_2022
    wb = openpyxl.load_workbook(out / "总务科-佐证台账.xlsx")
    ws = wb["佐证台账"]
    assert [c.value for c in ws[2]] == LEDGER_HEADER
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0  # 1 wide
    # 部门 defaults to the department once an item is picked.
    assert ws["B3"].value == '=IF(A3="","","总务科")'
    dvs = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert dvs["A3"].type == "list" and dvs["A3"].formula1 == "'任务清单'!$A$2:$A$4"
    assert dvs["C3"].type == "date"
    assert dvs["F3"].type == "list" and dvs["F3"].formula1 == '"' + ",".join(EVIDENCE_TYPES) + '"'
    assert dvs["G3"].type == "whole" and dvs["G3"].operator == "greaterThanOrEqual"
    # The 条目 list points at the department's own three items.
    items = [c.value for c in wb["任务清单"]["A"][1:]]
    assert items == [15, 16, 31]
    # Nothing filled in yet.
    assert all(ws.cell(r, c).value is None for r in range(3, 10) for c in (1, 3, 4, 5, 6, 7, 8))


def test_evidence_folder_skeleton(kits_2022):
    from wenming_xl.evidence.collect import ItemIndex

    out, _ = kits_2022
    rubric = load_rubric(T2022)
    index = ItemIndex(rubric.items)
    folders = sorted(p.name for p in (out / "党建办-佐证材料").iterdir())
    assert "03 学习贯彻绍兴市文明行为促进条例" in folders
    assert folders[0] == "01 学习贯彻习近平新时代中国特色社会主义思想"
    for name in folders:
        assert index.match(name) is not None and index.match(name).no == int(name[:2])
    # 扣分项目 need no evidence: no folder for 34, 35.
    assert not [n for n in folders if n.startswith(("34", "35"))]
    assert "33 加入文明单位爱心礼遇联盟" in folders  # 党建办 and 「相关职能科」's item
    assert not (out / "相关职能科-佐证材料").exists()  # a placeholder gets no kit


def test_guide_document(kits_2022):
    out, _ = kits_2022
    text = "\n".join(p.text for p in docx.Document(out / "门诊办-填报说明.docx").paragraphs)
    assert "门诊办佐证材料填报说明" in text
    assert "2022-05-03 东双桥社区 礼让斑马线" in text
    assert "2022年11月30日" in text
    assert "条目 9、24、25" in text
    assert "门诊办-佐证材料" in text


def test_path_numbered_items_get_folders_the_reader_matches(tmp_path):
    from wenming_xl.evidence.collect import ItemIndex

    rubric = load_rubric(T2023)
    make_kits(rubric, tmp_path)
    index = ItemIndex(rubric.items)
    names = sorted(p.name for p in (tmp_path / "外联办-佐证材料").iterdir())
    assert names[0].startswith("六.（二）.1 ")
    for name in names:
        assert index.match(name) is not None
    wb = openpyxl.load_workbook(tmp_path / "外联办-佐证台账.xlsx")
    assert [r[0] for r in wb["任务清单"].iter_rows(min_row=2, values_only=True)] == [
        "六.（二）.1",
        "六.（二）.2",
        "六.（二）.3",
    ]
    assert wb["任务清单"]["G2"].value == "见办公室通知"
    assert wb["任务清单"]["D2"].value.startswith("未写明具体材料，请按原文准备：材料审核")


def test_no_departments_is_an_error(tmp_path):
    result = import_plan(next(SEEDS.glob("002_*.txt")))
    book = write_task_workbook(result, tmp_path / "t.xlsx")
    with pytest.raises(WenmingError, match="没有任何牵头部门"):
        make_kits(book, tmp_path / "kits")
    with pytest.raises(ConfigError, match="不是有效日期"):
        make_kits(T2022, tmp_path / "kits", deadline="下个月")


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("党建办", "党建办"),
        ('A/B:C*?"<>|', "A_B_C______"),
        ("CON", "_CON"),
        ("科室. ", "科室"),
    ],
)
def test_safe_names(name, want):
    assert safe_name(name) == want


def test_short_titles():
    assert (
        short_title("学习贯彻《绍兴市文明行为促进条例》，深入开展")
        == "学习贯彻绍兴市文明行为促进条例"
    )
    assert (
        short_title("在春节、元宵、清明、端午、七夕、中秋、重阳等")
        == "在春节、元宵、清明、端午、七夕、中秋、重阳等"
    )
    assert (
        item_folder(Item(no=3, text="加入“文明单位爱心礼遇联盟”，为…"))
        == "03 加入文明单位爱心礼遇联盟"
    )
    assert item_folder(Item(no="一.（一）.1", text="深入学习")) == "一.（一）.1 深入学习"


@pytest.mark.parametrize(
    "text, want",
    [
        # a clause of up to 28 characters is kept whole (was cut to 「…占单位在编人」)
        (
            "在“志愿浙江”平台注册志愿者人数占单位在编人数80%以上，每年志愿服务人均时长超过20小时。",
            "在志愿浙江平台注册志愿者人数占单位在编人数80%以上",
        ),
        # points in brackets are not the title (was 「承办」)
        ("承办（5分）、协办（2分）市文明办的活动或项目。", "承办、协办市文明办的活动或项目"),
        # a long clause ends where a phrase ends: at 、, after 的/等, before 和/与/及 …
        (
            "组织开展全院职工参加由市总工会主办的职业技能竞赛和岗位练兵活动并取得优异成绩",
            "组织开展全院职工参加由市总工会主办的职业技能竞赛",
        ),
        (
            "深入推进城乡环境卫生整洁行动、病媒生物防制、爱国卫生月、无烟单位创建等工作",
            "深入推进城乡环境卫生整洁行动、病媒生物防制、爱国卫生月",
        ),
        # no phrase end in reach: never inside a number
        (
            "年度内院内外各类公益宣传展板更新次数不少于20241231次统计汇总上报留档备查",
            "年度内院内外各类公益宣传展板更新次数不少于",
        ),
    ],
)
def test_short_titles_end_where_a_phrase_ends(text, want):
    got = short_title(text)
    assert got == want
    assert len(got) <= 28


def _jpeg(path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    img = Image.new("RGB", (64, 48))
    img.putdata(
        [(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)) for _ in range(64 * 48)]
    )
    img.save(path, "JPEG")


def _fill(kit: Path, folder: Path) -> None:
    """A department fills its ledger: one declared row, one row pointing at a folder of photos."""
    wb = openpyxl.load_workbook(kit)
    ws = wb["佐证台账"]
    rows = [
        [
            12,
            None,
            dt.date(2022, 5, 3),
            "门诊大厅",
            "创建主题宣讲",
            "照片",
            3,
            None,
            "原件在党建办",
        ],
        [2, None, dt.date(2022, 6, 1), "东双桥社区", "礼让斑马线", "照片", None, str(folder), None],
    ]
    for r, values in enumerate(rows, 3):
        for c, v in enumerate(values, 1):
            if v is not None:
                ws.cell(r, c).value = v
    wb.save(kit)


def test_filled_kit_is_read_back_as_evidence(tmp_path):
    from wenming_xl.evidence.collect import collect_evidence

    kits = tmp_path / "部门台账"
    paths = make_kits(T2022, kits)
    kit = kits / "党建办-佐证台账.xlsx"
    assert kit in paths
    group = (
        Path("党建办-佐证材料") / "02 积极参与属地文明城市创建" / "2022-06-01 东双桥社区 礼让斑马线"
    )
    (kits / group).mkdir()
    for n in range(3):
        _jpeg(kits / group / f"IMG_000{n}.jpg", n)
    _fill(kit, group)
    rubric = load_rubric(T2022)
    evidence, findings = collect_evidence(rubric.items, ledger_dir=kits)
    declared = [e for e in evidence if e.declared]
    assert [(e.item_no, e.count, e.kind) for e in declared] == [(12, 3, "image")]
    photos = [e for e in evidence if e.item_no == 2 and not e.declared]
    assert len(photos) == 3 and all(e.kind == "image" and e.counted for e in photos)
    assert {e.group_date for e in photos} == {dt.date(2022, 6, 1)}
    assert not [f for f in findings if f.severity == "error"]
    # Only the two filled rows count: the prepared rows with their 部门 formula do not.
    assert {e.item_no for e in evidence} == {2, 12}


def test_filled_kit_is_checked_by_run_check(tmp_path):
    from wenming_xl.runs.check import run_check

    kits = tmp_path / "部门台账"
    make_kits(T2022, kits)
    group = (
        Path("党建办-佐证材料") / "02 积极参与属地文明城市创建" / "2022-06-01 东双桥社区 礼让斑马线"
    )
    (kits / group).mkdir()
    for n in range(3):
        _jpeg(kits / group / f"IMG_000{n}.jpg", n)
    _fill(kits / "党建办-佐证台账.xlsx", group)
    report = run_check(T2022, ledger_dir=kits)
    item2 = report.result(2).evidence_summary()
    assert item2["counts"] == {"image": 3}
    assert len(item2["groups"]) == 1
    item12 = report.result(12).evidence_summary()
    assert item12["declared"] and item12["counts"] == {"image": 3}
    assert report.result(12).status == "met"  # 上传活动现场照片不少于3张


def test_import_then_kits_on_the_command_line(tmp_path):
    runner = CliRunner()
    plan = next(SEEDS.glob("003_*.txt"))
    tasks = tmp_path / "任务分工.xlsx"
    res = runner.invoke(cli, ["import", str(plan), "--out", str(tasks)])
    assert res.exit_code == 0, res.output
    assert "找到 16 项任务" in res.output
    assert "牵头部门 13 个" in res.output and "「各支部」泛指多个部门" in res.output
    assert "待确认 18 段" in res.output
    res = runner.invoke(
        cli, ["kits", str(tasks), "--out", str(tmp_path / "kits"), "--deadline", "2012-12-20"]
    )
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.output.splitlines() if "佐证台账.xlsx" in ln]
    assert len(lines) == 13
    assert lines[0].startswith("办公室：") and "条目 1、7、8、9、12、13、14、16" in lines[0]
    assert (tmp_path / "kits" / "监察室-佐证台账.xlsx").is_file()


def test_import_warns_when_no_departments(tmp_path):
    runner = CliRunner()
    plan = next(SEEDS.glob("002_*.txt"))
    res = runner.invoke(cli, ["import", str(plan), "--out", str(tmp_path / "t.xlsx")])
    assert res.exit_code == 0
    assert "找到 10 项任务" in res.output
    assert "没有找到任何“责任处室”" in res.output
    res = runner.invoke(cli, ["kits", str(tmp_path / "t.xlsx"), "--out", str(tmp_path / "k")])
    assert res.exit_code == 1
    assert "错误：" in res.output and "没有任何牵头部门" in res.output
    assert "Traceback" not in res.output


def test_kits_for_every_department_of_a_plan(tmp_path):
    result = import_plan(next(SEEDS.glob("003_*.txt")))
    book = write_task_workbook(result, tmp_path / "t.xlsx")
    paths = make_kits(book, tmp_path / "kits")
    assert len(paths) == len(result.departments) == 13 and result.placeholders == ["各支部"]
    kits = {k.department: [i.no for i in k.items] for k in plan_kits(load_rubric(book))}
    assert kits["团委"] == [8, 9]
    names = sorted(p.name for p in (tmp_path / "kits" / "团委-佐证材料").iterdir())
    assert names == ["08 广泛开展优质服务竞赛", "09 深入开展志愿服务活动"]


def test_plan_without_departments_gets_kits_once_the_office_fills_them_in(tmp_path):
    """Seed 004: the task workbook has an empty 牵头部门 column; filled in, every item gets a kit."""
    result = import_plan(next(SEEDS.glob("004_*.txt")))
    book = write_task_workbook(result, tmp_path / "考核.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["任务分工"]
    col = [c.value for c in ws[2]].index("牵头部门") + 1
    for r in range(3, ws.max_row + 1):
        ws.cell(r, col).value = "第一党支部" if r % 2 else "第二党支部\n第三党支部"
    wb.save(book)
    paths = make_kits(book, tmp_path / "kits")
    assert [p.name for p in paths] == [
        "第一党支部-佐证台账.xlsx",
        "第二党支部-佐证台账.xlsx",
        "第三党支部-佐证台账.xlsx",
    ]
    rubric = load_rubric(book)
    assert rubric.style == "deduction" and len(rubric.items) == 21
    names = sorted(p.name for p in (tmp_path / "kits" / "第一党支部-佐证材料").iterdir())
    assert "作风建设.2 积极开展进村入企、服务基层、服务群众、进村企促医改送健康" in names
    assert len(names) == 11  # rows 3, 5, 7 … of the 21 items


@pytest.mark.libreoffice
def test_guide_fits_on_one_page(kits_2022, tmp_path):
    """The 填报说明 of the department with the most items still prints on one A4 page."""
    pdfplumber = pytest.importorskip("pdfplumber")
    from wenming_xl.outputs.notices.pdf import convert_to_pdf, find_soffice

    if not find_soffice():
        pytest.skip("未安装 LibreOffice（soffice），跳过填报说明的排版检查")
    out, _ = kits_2022
    fonts = FONTCONFIG
    pdf = convert_to_pdf(
        out / "党建办-填报说明.docx", tmp_path, env={"FONTCONFIG_FILE": str(fonts)}
    )
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0]
        assert page.height > page.width  # A4 portrait
        text = page.extract_text() or ""
    assert "党建办佐证材料填报说明" in text.replace(" ", "")


def test_filled_ledgers_are_never_overwritten(tmp_path):
    kits = tmp_path / "kits"
    make_kits(T2022, kits)
    kit = kits / "团委-佐证台账.xlsx"
    _fill(kit, Path("x"))
    before = kit.read_bytes()
    with pytest.raises(OutputError, match="已有部门台账"):
        make_kits(T2022, kits)
    assert kit.read_bytes() == before
    res = CliRunner().invoke(cli, ["kits", str(T2022), "--out", str(kits)])
    assert res.exit_code == 1 and "--overwrite" in res.output
    assert kit.read_bytes() == before
    make_kits(T2022, kits, overwrite=True)
    assert openpyxl.load_workbook(kit)["佐证台账"]["A3"].value is None


def test_remade_kits_keep_a_department_s_existing_item_folders(tmp_path):
    """A folder of an earlier kit (named as it was then, files in it) is used, not doubled."""
    book = tmp_path / "任务分工.xlsx"
    book.write_bytes(
        (ROOT / "workbooks" / "2022年度文明单位创建工作任务及责任分工.xlsx").read_bytes()
    )
    out = tmp_path / "kits"
    make_kits(book, out)
    root = out / "医务科-佐证材料"
    (new,) = [p for p in root.iterdir() if p.name.startswith("24 ")]
    old = root / "24 在志愿浙江平台注册志愿者人数占单位在编人"  # as earlier versions cut it
    new.rename(old)
    (old / "志愿者名单.pdf").write_bytes(b"%PDF-1.4\n")
    make_kits(book, out, overwrite=True)
    assert [p.name for p in root.iterdir() if p.name.startswith("24 ")] == [old.name]
    assert (old / "志愿者名单.pdf").is_file()


def test_task_list_rows_are_tall_enough_to_print_without_overlap(tmp_path):
    """Every 任务清单 row is as tall as its longest wrapped cell (measured with a CJK font)."""
    book = tmp_path / "任务分工.xlsx"
    book.write_bytes(T2022.read_bytes())
    paths = make_kits(book, tmp_path / "kits")
    font = cjk_font()
    checked = 0
    for path in paths:
        ws = openpyxl.load_workbook(path)["任务清单"]
        widths = [ws.column_dimensions[chr(65 + c)].width for c in range(8)]
        for row in ws.iter_rows(min_row=2):
            lines = max(
                lines_measured(str(c.value), w, font, 11) if isinstance(c.value, str) else 1
                for c, w in zip(row, widths)
            )
            if lines == 1:
                continue  # a row of the default height shows one line
            height = ws.row_dimensions[row[0].row].height or 15
            assert height >= lines * 11 * 1.45, (path.name, row[0].row, lines, height)
            checked += 1
    assert checked > 10
