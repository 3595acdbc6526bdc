"""Notices (红头文件): 文号, dates, title breaking, the document XML, the builders and the CLI.

Layout measured from a rendered PDF lives in test_notices_render.py; here the .docx is
opened as the zip of XML it is and checked element by element.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from reports import sample_report, write_task_workbook  # noqa: E402
from where import ROOT

from wenming_xl.cli import cli
from wenming_xl.config import SAMPLE, UnitProfile, parse_profile, tomllib
from wenming_xl.errors import ConfigError, OutputError
from wenming_xl.outputs.notices import gongwen as g
from wenming_xl.outputs.notices import template as gt
from wenming_xl.outputs.notices.notice import (
    Attachment,
    Notice,
    TableSpec,
    break_title,
    bulletin_notice,
    format_date,
    heading_level,
    parse_doc_number,
    publish_notice,
    text_width,
    validate_doc_number,
    write_notice,
)
from wenming_xl.outputs.notices.pdf import convert_to_pdf
from wenming_xl.tables.rubric import load_rubric

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
PROFILE = parse_profile(tomllib.loads(SAMPLE))


def xml(docx: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(part))


def texts(root: etree._Element) -> list[str]:
    """The text of each paragraph."""
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def wattr(el, name: str):
    return el.get(f"{W}{name}")


# --------------------------------------------------------------------------- 发文字号


def test_doc_number_uses_hexagonal_brackets():
    no = validate_doc_number("绍市中医", 2022, 23)
    assert no == "绍市中医\u30142022\u301523号"
    assert validate_doc_number("绍市中医", "2023", "1号") == "绍市中医〔2023〕1号"


@pytest.mark.parametrize(
    "serial, word",
    [("第23", "第"), ("023", "前导零"), ("00", "前导零"), ("二十三", "数字"), ("0", "从 1 开始")],
)
def test_doc_number_refuses_bad_serials(serial, word):
    with pytest.raises(ConfigError) as exc:
        validate_doc_number("绍市中医", 2022, serial)
    assert word in str(exc.value)


def test_doc_number_needs_code_and_four_digit_year():
    with pytest.raises(ConfigError, match="机关代字"):
        validate_doc_number("", 2022, 1)
    with pytest.raises(ConfigError, match="年份"):
        validate_doc_number("绍市中医", 22, 1)
    with pytest.raises(ConfigError, match="括号"):
        validate_doc_number("绍市中医〔", 2022, 1)


@pytest.mark.parametrize(
    "typed, clean",
    [
        ("绍市中医[2022]23号", "绍市中医〔2022〕23号"),
        ("绍市中医【2022】23号", "绍市中医〔2022〕23号"),
        ("绍市中医（2022）23号", "绍市中医〔2022〕23号"),
        (" 绍市中医党〔2012〕10号 ", "绍市中医党〔2012〕10号"),
    ],
)
def test_parse_doc_number_fixes_brackets(typed, clean):
    assert parse_doc_number(typed) == clean


@pytest.mark.parametrize(
    "typed", ["绍市中医〔2022〕第23号", "绍市中医〔2022〕023号", "绍市中医2022年23号"]
)
def test_parse_doc_number_refuses(typed):
    with pytest.raises(ConfigError):
        parse_doc_number(typed)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "day, arabic, chinese",
    [
        (dt.date(2022, 3, 1), "2022年3月1日", "二〇二二年三月一日"),
        (dt.date(2012, 4, 2), "2012年4月2日", "二〇一二年四月二日"),
        (dt.date(2012, 10, 20), "2012年10月20日", "二〇一二年十月二十日"),
        (dt.date(2011, 12, 15), "2011年12月15日", "二〇一一年十二月十五日"),
        (dt.date(2010, 11, 31 - 1), "2010年11月30日", "二〇一〇年十一月三十日"),
    ],
)
def test_format_date(day, arabic, chinese):
    assert format_date(day) == arabic
    out = format_date(day, chinese=True)
    assert out == chinese
    assert "\u3007" in out and "Ο" not in out and "○" not in out


# --------------------------------------------------------------------------- titles

SEED_TITLES = [
    # (title, keep words, pieces that must stay on one line)
    ("绍兴市中医院关于印发2022年度文明单位创建工作任务及责任分工的通知", ["绍兴市中医院"], ["关于印发", "2022年度", "绍兴市中医院", "的通知"]),
    ("绍兴市中医院关于印发2023年创建省级文明单位工作计划的通知", ["绍兴市中医院"], ["关于印发", "2023年", "文明单位", "工作计划"]),
    ("中共绍兴市中医院委员会关于印发绍兴市中医院2012年党建工作计划的通知", ["中共绍兴市中医院委员会", "绍兴市中医院"], ["绍兴市中医院2012年", "中共绍兴市中医院委员会", "关于印发"]),
    ("关于印发《绍兴市中医院2023年创建省级文明单位工作计划》的通知", [], ["关于印发"]),
    ("绍兴市中医院关于2022年5月文明单位创建工作督查情况的通报", ["绍兴市中医院"], ["2022年", "5月", "督查", "的通报"]),
]  # fmt: skip


@pytest.mark.parametrize("title, keep, together", SEED_TITLES)
def test_break_title_keeps_words_together(title, keep, together):
    lines = break_title(title, 20, tuple(keep))
    assert "".join(lines) == title
    assert len(lines) >= 2
    assert all(text_width(line) <= 20 for line in lines)
    for piece in together:
        assert any(piece in line for line in lines), (piece, lines)
    # trapezoid or diamond, never an hourglass or a tiny last line
    widths = [text_width(x) for x in lines]
    if len(widths) == 3:
        assert widths[1] >= min(widths[0], widths[2])
    assert widths[-1] >= 4


def test_break_title_matches_the_seeds():
    assert break_title(SEED_TITLES[0][0], 20, ("绍兴市中医院",)) == [
        "绍兴市中医院关于印发2022年度文明单位",
        "创建工作任务及责任分工的通知",
    ]  # seed 001
    assert break_title(SEED_TITLES[1][0], 20, ("绍兴市中医院",)) == [
        "绍兴市中医院关于印发2023年创建",
        "省级文明单位工作计划的通知",
    ]  # seed 000
    # seed 004 broke inside 「绍兴市中医院」; the unit's name stays whole here
    assert break_title(SEED_TITLES[2][0], 20, ("绍兴市中医院",)) == [
        "中共绍兴市中医院委员会关于印发",
        "绍兴市中医院2012年党建工作计划的通知",
    ]
    three = break_title(
        "绍兴市中医院关于进一步加强文明单位创建工作和精神文明建设工作的实施意见的通知"
    )
    assert len(three) == 3 and "精神文明" not in "".join(
        x[-2:] + y[:2] for x, y in zip(three, three[1:])
    )


def test_break_title_short_title_is_one_line():
    assert break_title("关于开展文明科室评选的通知") == ["关于开展文明科室评选的通知"]
    assert break_title("") == []


def test_break_title_long_quoted_title_breaks_inside_quotes_at_a_word():
    title = "关于印发《绍兴市中医院2023年创建省级文明单位工作计划》的通知"
    lines = break_title(title, 20)
    assert "".join(lines) == title
    assert not any(line.endswith("文明单") or line.startswith("位") for line in lines)


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet="关于印发文明单位创建工作任务责任分工的通知计划2022年度《》医院",
        min_size=1,
        max_size=70,
    )
)
def test_break_title_never_loses_text_or_overflows(title):
    lines = break_title(title, 20)
    assert "".join(lines) == title
    assert all(text_width(line) <= 20 for line in lines)


@pytest.mark.parametrize(
    "text, level",
    [
        ("一、指导思想", 1),
        ("十二、其他", 1),
        ("（一）强化理想信念教育。深入学习…", 2),
        ("(三)服务", 2),
        ("1.健全机制", 3),
        ("12．完善制度", 3),
        ("（1）以市级示范食堂建设为契机", 4),
        ("2022年度工作", 0),
        ("1.5分的项目", 0),
        ("为积极做好文明单位创建工作", 0),
    ],
)
def test_heading_level(text, level):
    assert heading_level(text) == level


# --------------------------------------------------------------------------- the document XML


def simple_notice(**kw) -> Notice:
    base = dict(
        title="绍兴市中医院关于开展文明单位创建工作督查的通知",
        body=[
            "为积极做好文明单位创建工作，现将有关事项通知如下：",
            "一、督查内容",
            "（一）台账资料。各部门佐证材料上传情况。",
            "1.照片注明时间地点及活动主题。",
            "（1）每次活动不少于3张“现场照片”。",
        ],
        mark="绍兴市中医院文件",
        number="绍市中医〔2022〕5号",
        main_to="各科室",
        signer="绍兴市中医院",
        date=dt.date(2022, 3, 1),
        note="联系人：张三，电话：88888888",
        cc=["绍兴市中医院工会委员会", "共青团绍兴市中医院委员会"],
        printer="绍兴市中医院党政综合办公室",
        attachment_pages=[
            Attachment("文明科室评分细则", paragraphs=["一、评分办法", "按季度评分。"])
        ],
    )
    base.update(kw)
    return Notice(**base)


@pytest.fixture(scope="module")
def simple_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("notice") / "通知.docx"
    assert write_notice(simple_notice(), out) == out
    return out


def test_every_run_names_its_east_asian_font(simple_docx):
    for part in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        root = xml(simple_docx, part)
        runs = list(root.iter(f"{W}r"))
        assert runs, part
        for r in runs:
            fonts = r.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None, part
            assert wattr(fonts, "eastAsia"), part
            assert wattr(fonts, "hint") == "eastAsia"
            assert r.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia") == "zh-CN"
        assert b"Theme" not in etree.tostring(root)


def test_styles_have_explicit_fonts_and_no_theme_or_spacing_after(simple_docx):
    styles = xml(simple_docx, "word/styles.xml")
    raw = etree.tostring(styles).decode()
    assert "Theme" not in raw  # no asciiTheme / eastAsiaTheme anywhere
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert wattr(defaults, "eastAsia") == "仿宋_GB2312" and wattr(defaults, "hint") == "eastAsia"
    normal = styles.find(f"{W}style[@{W}styleId='Normal']")
    sp = normal.find(f"{W}pPr/{W}spacing")
    assert (wattr(sp, "line"), wattr(sp, "lineRule"), wattr(sp, "after")) == ("579", "exact", "0")
    assert (
        normal.find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-5"
    )  # −0.25 pt: 28 characters a line
    assert normal.find(f"{W}rPr/{W}sz").get(f"{W}val") == "32"
    for st_el in styles.iter(f"{W}style"):
        if st_el.get(f"{W}styleId", "").startswith("Gw") and st_el.get(f"{W}type") == "paragraph":
            fonts = st_el.find(f"{W}rPr/{W}rFonts")
            if fonts is not None:
                assert wattr(fonts, "eastAsia") and wattr(fonts, "hint") == "eastAsia"
    import docx

    book = g.FontBook(docx.Document(str(simple_docx)))  # resolved through basedOn
    assert book.fonts("GwMark")["eastAsia"] == "方正小标宋简体"
    assert book.fonts("GwTitle")["eastAsia"] == "方正小标宋简体"
    assert book.fonts("GwH1")["eastAsia"] == "黑体"
    assert book.fonts("GwH2")["eastAsia"] == "楷体_GB2312"
    assert book.fonts("GwH3")["eastAsia"] == "仿宋_GB2312"
    assert book.fonts("GwBody")["ascii"] == "Times New Roman"
    assert book.fonts("GwFooter")["eastAsia"] == "宋体"


def test_page_setup_is_a4_with_gbt9704_margins_and_grid(simple_docx):
    doc = xml(simple_docx, "word/document.xml")
    sect = doc.find(f"{W}body/{W}sectPr")
    size, mar, grid = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar"), sect.find(f"{W}docGrid")
    assert (wattr(size, "w"), wattr(size, "h")) == ("11906", "16838")
    margins = {
        k: round(int(wattr(mar, k)) / g.TWIPS_PER_MM, 1) for k in ("top", "left", "right", "bottom")
    }
    assert margins == {"top": 37.0, "left": 28.0, "right": 26.0, "bottom": 35.0}
    assert (wattr(grid, "type"), wattr(grid, "linePitch")) == ("lines", "579")
    settings_xml = xml(simple_docx, "word/settings.xml")
    assert settings_xml.find(f"{W}evenAndOddHeaders") is not None
    refs = {wattr(r, "type") for r in sect.findall(f"{W}footerReference")}
    assert refs == {"default", "even"}


def test_page_number_footers_odd_right_even_left(simple_docx):
    for part, jc, side in (
        ("word/footer1.xml", "right", "right"),
        ("word/footer2.xml", "left", "left"),
    ):
        root = xml(simple_docx, part)
        p = root.find(f"{W}p")
        assert p.find(f"{W}pPr/{W}jc").get(f"{W}val") == jc
        assert p.find(f"{W}pPr/{W}ind").get(f"{W}{side}") == "280"  # one 四号 character in
        runs = p.findall(f"{W}r")
        kinds = [
            (
                r.find(f"{W}fldChar").get(f"{W}fldCharType")
                if r.find(f"{W}fldChar") is not None
                else None
            )
            for r in runs
        ]
        assert kinds == [
            None,
            "begin",
            None,
            "separate",
            None,
            "end",
            None,
        ]  # one run per field part
        assert runs[2].find(f"{W}instrText").text.strip() == "PAGE"
        assert "".join(texts(root)) == "— 1 —"
        for r in runs:
            assert r.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "宋体"


def test_header_mark_number_and_red_rule(simple_docx):
    doc = xml(simple_docx, "word/document.xml")
    paras = list(doc.iter(f"{W}p"))
    mark, number = paras[0], paras[1]
    assert texts(mark)[0] == "绍兴市中医院文件"
    rpr = mark.find(f"{W}r/{W}rPr")
    assert rpr.find(f"{W}color").get(f"{W}val") == "FF0000"
    assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    assert mark.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0"
    assert texts(number)[0] == "绍市中医〔2022〕5号"
    rule = number.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule.get(f"{W}color") == "FF0000" and rule.get(f"{W}val") == "single"


def test_body_headings_and_closing_parts(simple_docx):
    doc = xml(simple_docx, "word/document.xml")
    by_text = {}
    for p in doc.iter(f"{W}p"):
        t = "".join(x.text or "" for x in p.iter(f"{W}t"))
        if t:
            by_text[t] = p
    assert "各科室：" in by_text
    title = [t for t in by_text if t.startswith("绍兴市中医院关于开展")]
    assert title and by_text[title[0]].find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "GwTitle"

    def style(t):
        return by_text[t].find(f"{W}pPr/{W}pStyle").get(f"{W}val")

    def fonts(t):
        return [r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") for r in by_text[t].iter(f"{W}r")]

    assert style("一、督查内容") == "GwH1" and fonts("一、督查内容") == ["黑体"]
    run_in = "（一）台账资料。各部门佐证材料上传情况。"
    assert fonts(run_in) == ["楷体_GB2312", "仿宋_GB2312"]
    assert fonts("1.照片注明时间地点及活动主题。") == ["仿宋_GB2312"]
    assert "附件：文明科室评分细则" in by_text
    assert style("绍兴市中医院") == "GwSigner" and style("2022年3月1日") == "GwDate"
    assert "（联系人：张三，电话：88888888）" in by_text
    assert style("附件") == "GwAttachLabel"
    assert by_text["附件"].find(f"{W}pPr/{W}pageBreakBefore") is not None
    assert "抄送：绍兴市中医院工会委员会，共青团绍兴市中医院委员会。" in by_text
    printer = by_text["绍兴市中医院党政综合办公室2022年3月1日印发"]
    assert printer.find(f"{W}r/{W}tab") is not None  # office left, date right
    assert printer.find(f"{W}pPr/{W}tabs/{W}tab").get(f"{W}val") == "right"


def test_banji_is_a_floating_table_with_thick_thin_thick_rules(simple_docx):
    doc = xml(simple_docx, "word/document.xml")
    tables = doc.findall(f".//{W}tbl")
    banji = tables[-1]
    pos = banji.find(f"{W}tblPr/{W}tblpPr")
    assert pos.get(f"{W}tblpYSpec") == "bottom" and pos.get(f"{W}vertAnchor") == "margin"
    rows = banji.findall(f"{W}tr")
    assert len(rows) == 2  # 抄送, 印发
    sizes = []
    for i, tr in enumerate(rows):
        b = tr.find(f"{W}tc/{W}tcPr/{W}tcBorders")
        if i == 0:
            sizes.append(int(b.find(f"{W}top").get(f"{W}sz")))
        sizes.append(int(b.find(f"{W}bottom").get(f"{W}sz")))
    assert sizes == [8, 6, 8]  # 0.35 mm, 0.25 mm, 0.35 mm
    width = int(banji.find(f"{W}tblPr/{W}tblW").get(f"{W}w"))
    assert abs(width / g.TWIPS_PER_MM - 156) < 0.5


def test_main_to_moves_to_banji_when_title_fills_page_one(tmp_path):
    long_title = "绍兴市中医院关于" + "进一步加强文明单位创建工作" * 14 + "的通知"
    out = write_notice(simple_notice(title=long_title), tmp_path / "长标题.docx")
    all_text = texts(xml(out, "word/document.xml"))
    assert "各科室：" not in all_text
    assert "主送：各科室。" in all_text


def test_output_folder_is_created_and_no_temp_file_left(tmp_path):
    out = tmp_path / "新建文件夹" / "通知.docx"
    write_notice(simple_notice(), out)
    assert out.is_file()
    assert [p.name for p in out.parent.iterdir()] == ["通知.docx"]


# --------------------------------------------------------------------------- templates


def test_default_template_is_built_from_code_and_shipped(tmp_path):
    shipped = gt.default_template()
    assert shipped.is_file()
    rebuilt = gt.build_template(tmp_path / "gongwen.docx")
    assert xml(rebuilt, "word/styles.xml").find(f"{W}style[@{W}styleId='GwMark']") is not None
    editable = ROOT / "docx_templates" / "gongwen.docx"
    assert editable.is_file()
    assert etree.tostring(xml(editable, "word/styles.xml")) == etree.tostring(
        xml(shipped, "word/styles.xml")
    )


def test_user_template_fonts_reach_every_run(tmp_path):
    tpl = tmp_path / "我的模板.docx"
    shutil.copyfile(gt.default_template(), tpl)
    with zipfile.ZipFile(tpl) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(
        "仿宋_GB2312".encode(), "仿宋".encode()
    )
    with zipfile.ZipFile(tpl, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    out = write_notice(simple_notice(), tmp_path / "通知.docx", template=tpl)
    fonts = {
        r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")
        for r in xml(out, "word/document.xml").iter(f"{W}r")
    }
    assert "仿宋" in fonts and "仿宋_GB2312" not in fonts


def test_template_without_the_styles_is_refused_in_chinese(tmp_path):
    import docx

    plain = tmp_path / "普通文档.docx"
    docx.Document().save(str(plain))
    with pytest.raises(ConfigError, match="缺少公文样式"):
        write_notice(simple_notice(), tmp_path / "x.docx", template=plain)
    bad = tmp_path / "坏模板.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="无法打开"):
        write_notice(simple_notice(), tmp_path / "x.docx", template=bad)


# --------------------------------------------------------------------------- the documents


@pytest.fixture(scope="module")
def rubric_2022():
    path = ROOT / "workbooks" / "2022年度文明单位创建工作任务及责任分工.xlsx"
    return load_rubric(path)


def test_publish_notice_like_seed_001(rubric_2022):
    n = publish_notice(rubric_2022, PROFILE, number=23, date=dt.date(2022, 2, 25))
    assert n.title == "绍兴市中医院关于印发2022年度绍兴市文明单位创建工作任务及责任分工的通知"
    assert n.number == "绍市中医〔2022〕23号"
    assert n.mark == "绍兴市中医院文件" and n.main_to == "各科室"
    assert n.attachment_names() == ["绍兴市中医院2022年度绍兴市文明单位创建工作任务及责任分工"]
    assert n.printer == "绍兴市中医院党政综合办公室" and n.cc == ["绍兴市中医院工会委员会"]
    table = n.attachment_pages[0].table
    assert [c.title for c in table.columns] == [
        "创建项目",
        "工作清单",
        "分值",
        "牵头部门",
        "材料要求",
    ]
    assert len(table.rows) == 37
    assert table.rows[0][1].startswith("1.学习贯彻习近平新时代")
    assert table.rows[2][3] == "党建办\n工会\n团委"
    assert table.rows[33][2] == "-3分"
    assert table.rows[0][0] == "一、年度精神文明建设重点任务（44分）"
    assert table.needs_landscape()


def test_publish_docx_has_the_whole_table_with_repeated_header_and_merged_cells(
    rubric_2022, tmp_path
):
    n = publish_notice(rubric_2022, PROFILE, number=23, date=dt.date(2022, 2, 25))
    out = write_notice(n, tmp_path / "印发通知.docx")
    doc = xml(out, "word/document.xml")
    table = [t for t in doc.findall(f".//{W}tbl") if t.find(f"{W}tblPr/{W}tblpPr") is None][0]
    rows = table.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    restarts = [
        tc
        for tc in table.iter(f"{W}tc")
        if tc.find(f"{W}tcPr/{W}vMerge[@{W}val='restart']") is not None
    ]
    assert len(restarts) == 5  # one merged cell per category
    cell_text = "".join(texts(table))
    for item in rubric_2022.items:
        assert f"{item.no}.{item.text[:20]}" in cell_text
    landscape = [
        s for s in doc.iter(f"{W}sectPr") if s.find(f"{W}pgSz").get(f"{W}orient") == "landscape"
    ]
    assert len(landscape) == 1


def test_publish_without_code_asks_for_it_in_chinese(rubric_2022):
    with pytest.raises(ConfigError, match="机关代字"):
        publish_notice(rubric_2022, UnitProfile(name="某中学"), number=3)
    n = publish_notice(rubric_2022, UnitProfile(), number=None, date=dt.date(2022, 2, 25))
    assert n.signer == "绍兴市中医院"  # from the table's title
    assert n.number == ""


def test_bulletin_notice_reports_totals_gaps_and_change(tmp_path):
    report = sample_report(write_task_workbook(tmp_path / "任务分工.xlsx"))
    previous = {"total": 11.5, "departments": {"党建办": 7, "工会": {"score": 4}, "团委": 3}}
    n = bulletin_notice(
        report, PROFILE, month="2022-05", previous=previous, date=dt.date(2022, 6, 2)
    )
    assert n.title == "绍兴市中医院关于2022年5月文明单位创建工作督查情况的通报"
    body = "\n".join(b for b in n.body if isinstance(b, str))
    assert "得分15分（满分24分" in body and "完成率62.5%" in body
    assert "较上月提高3.5分" in body
    assert "2022年6月15日前" in body  # default deadline: the 15th of the next month
    assert "一、总体情况" in body and "四、整改要求" in body
    dep_table = next(b for b in n.body if isinstance(b, TableSpec))
    assert dep_table.columns[-1].title == "较上月"
    assert ["党建办", "5", "2", "10", "23", "43%", "+3"] in dep_table.rows
    gaps = n.attachment_pages[0].table
    assert not gaps.columns[0].merge  # each row names its department: rows go on over pages
    rows = {(r[0], r[1]): r for r in gaps.rows}
    assert "只有2张图片" in rows[("党建办", "2")][3]
    assert rows[("党建办", "3")][4] == "6"
    assert ("党建办", "1") not in rows  # item 1 is met
    assert all(r[0] != "办公室" for r in gaps.rows)  # deduction items are no gaps


def test_bulletin_names_few_numbers_and_writes_no_invisible_characters(tmp_path):
    """Long number lists are counted (「第3、5、7等8项」), the 附件 table has them all, and
    the text has no zero-width spaces: copied into a WPS document or a search box they
    are invisible characters that break matching."""
    from wenming_xl.outputs.notices.kinds import numbers_text

    assert numbers_text(["3", "5"]) == "第3、5项"
    assert numbers_text(["3", "5", "7", "9"]) == "第3、5、7、9项"
    assert numbers_text([str(n) for n in (3, 5, 7, 18, 19, 20, 21, 22)]) == "第3、5、7等8项"
    report = sample_report(write_task_workbook(tmp_path / "任务分工.xlsx"))
    n = bulletin_notice(report, PROFILE, month="2022-05", date=dt.date(2022, 6, 2))
    docx = write_notice(n, tmp_path / "通报.docx")
    body = texts(xml(docx, "word/document.xml"))
    assert any(re.search(r"第\d+(、\d+)+", t) for t in body)  # a list of numbers is there
    assert not any("\u200b" in t for t in body)
    for t in body:
        for m in re.finditer(r"第([\d、]+)(等\d+)?项", t):
            assert len(m.group(1).split("、")) <= 4, t


def test_bulletin_month_and_deadline(tmp_path):
    report = sample_report(write_task_workbook(tmp_path / "任务分工.xlsx"))
    n = bulletin_notice(
        report, PROFILE, month="2022年12月", deadline=dt.date(2023, 1, 10), date=dt.date(2023, 1, 3)
    )
    assert "2022年12月" in n.title
    assert any("2023年1月10日前" in b for b in n.body if isinstance(b, str))
    with pytest.raises(ConfigError, match="月份"):
        bulletin_notice(report, PROFILE, month="5月")


# --------------------------------------------------------------------------- pdf


def test_convert_to_pdf_messages(tmp_path, monkeypatch):
    with pytest.raises(OutputError, match="找不到"):
        convert_to_pdf(tmp_path / "没有.docx", tmp_path)
    src = write_notice(simple_notice(), tmp_path / "通知.docx")
    monkeypatch.setenv("WENMING_SOFFICE", str(tmp_path / "没有这个程序"))
    with pytest.raises(OutputError, match="没有安装 LibreOffice") as exc:
        convert_to_pdf(src, tmp_path)
    assert "另存为 PDF" in str(exc.value)


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def folder(tmp_path) -> Path:
    src = ROOT / "workbooks" / "2022年度文明单位创建工作任务及责任分工.xlsx"
    shutil.copyfile(src, tmp_path / src.name)
    return tmp_path


def test_init_writes_placeholders_and_never_overwrites(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["init", str(tmp_path)])
    assert res.exit_code == 0, res.output
    target = tmp_path / "wenming.toml"
    text = target.read_text(encoding="utf-8")
    profile = parse_profile(tomllib.loads(text))
    unit, smtp = profile.unit, profile.smtp
    assert (unit.name, unit.mark, unit.code, unit.cc, unit.printer) == ("", "", "", [], "")
    assert not smtp.configured and smtp.sender == "" and not profile.departments
    assert "绍兴" not in text and "example.org" not in text  # no other unit's details
    assert "请填写" in text
    target.write_text('[unit]\nname = "某中学"\n', encoding="utf-8")
    res = runner.invoke(cli, ["init", str(tmp_path)])
    assert res.exit_code == 0
    assert "已存在" in res.output
    assert target.read_text(encoding="utf-8") == '[unit]\nname = "某中学"\n'


def test_init_beside_a_workbook_takes_the_unit_from_its_title(folder):
    from wenming_xl.config import unit_from_title
    from wenming_xl.tables.rubric import load_rubric

    book = next(folder.glob("*.xlsx"))
    res = CliRunner().invoke(cli, ["init", str(book)])
    assert res.exit_code == 0, res.output
    profile = parse_profile(tomllib.loads((folder / "wenming.toml").read_text("utf-8")))
    name = unit_from_title(load_rubric(book).title)
    assert name and profile.unit.name == name and profile.unit.mark == f"{name}文件"
    assert profile.unit.code == "" and not profile.smtp.configured
    res = CliRunner().invoke(cli, ["init", str(folder / "没有.xlsx")])
    assert res.exit_code != 0 and "找不到" in res.output


def test_doctor_names_the_settings_left_to_fill(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init"]).exit_code == 0
    res = CliRunner().invoke(cli, ["doctor"])
    assert "[unit] name" in res.output and "[smtp] host" in res.output
    target = tmp_path / "wenming.toml"  # uncommented but not edited: still to fill
    text = target.read_text(encoding="utf-8")
    text = re.sub(r"^# (code|host|from) = ", r"\1 = ", text, flags=re.M)
    target.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(cli, ["doctor"])
    assert "3 项没有填写" in res.output
    for key in ("[unit] code", "[smtp] host", "[smtp] from"):
        assert key in res.output


def test_cli_publish(folder):
    book = next(folder.glob("*.xlsx"))
    runner = CliRunner()
    res = runner.invoke(cli, ["notice", "publish", str(book), "--number", "23"])
    assert res.exit_code == 1
    assert "机关代字" in res.output and "Traceback" not in res.output
    (folder / "wenming.toml").write_text(SAMPLE, encoding="utf-8")  # a unit with a code
    out = folder / "印发通知.docx"
    res = runner.invoke(
        cli,
        [
            "notice",
            "publish",
            str(book),
            "--number",
            "23",
            "--date",
            "2022-02-25",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "已生成" in res.output
    body = texts(xml(out, "word/document.xml"))
    assert "绍市中医〔2022〕23号" in body and "2022年2月25日" in body
    res = runner.invoke(cli, ["notice", "publish", str(book), "--number", "第23"])
    assert res.exit_code == 1 and "第" in res.output
    res = runner.invoke(cli, ["notice", "publish", str(book), "--out", str(folder / "通知.doc")])
    assert res.exit_code == 1 and ".docx" in res.output


def test_cli_publish_without_number_leaves_a_blank(folder):
    book = next(folder.glob("*.xlsx"))
    (folder / "wenming.toml").write_text(SAMPLE, encoding="utf-8")
    res = CliRunner().invoke(cli, ["notice", "publish", str(book), "--date", "2022-02-25"])
    assert res.exit_code == 0, res.output
    out = folder / f"{book.stem}-印发通知.docx"
    assert "绍市中医〔2022〕\u3000\u3000号" in texts(xml(out, "word/document.xml"))
    assert "--number" in res.output


def test_cli_from_text_reads_gbk_drafts(tmp_path):
    draft = tmp_path / "通知草稿.txt"
    draft.write_bytes("关于放假的通知\n各科室：\n国庆节放假七天。\n".encode("gb18030"))
    res = CliRunner().invoke(cli, ["notice", "from-text", str(draft), "--date", "2022-09-20"])
    assert res.exit_code == 0, res.output
    body = texts(xml(tmp_path / "通知草稿.docx", "word/document.xml"))
    assert "关于放假的通知" in body and "国庆节放假七天。" in body and "2022年9月20日" in body


def test_cli_pdf_without_libreoffice_says_so_and_keeps_the_docx(tmp_path, monkeypatch):
    monkeypatch.setenv("WENMING_SOFFICE", str(tmp_path / "没有这个程序"))
    draft = tmp_path / "稿.txt"
    draft.write_text("关于放假的通知\n各科室：\n放假。\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["notice", "from-text", str(draft), "--pdf"])
    assert res.exit_code == 1
    assert "LibreOffice" in res.output and "Word 文件已生成" in res.output
    assert (tmp_path / "稿.docx").is_file()


def test_cli_bulletin_on_the_sample(tmp_path):
    from wenming_xl.runs.sample import prepare_demo

    table, evidence = prepare_demo(tmp_path / "样例")
    assert CliRunner().invoke(cli, ["init", str(table.parent)]).exit_code == 0
    out = tmp_path / "6月督查通报.docx"
    res = CliRunner().invoke(
        cli,
        [
            "notice",
            "bulletin",
            str(table),
            "--evidence",
            str(evidence),
            "--month",
            "2022-06",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    body = texts(xml(out, "word/document.xml"))
    assert any(
        t.startswith("绍兴市中医院关于2022年6月文明单位创建工作督查情况的通报") for t in body
    )
    assert "一、总体情况" in body and any(
        re.search(r"得分[\d.]+分（满分[\d.]+分(，含加分[\d.]+分)?）", t) for t in body
    )
    res = CliRunner().invoke(cli, ["notice", "bulletin", str(table), "--month", "六月"])
    assert res.exit_code == 1 and "月份" in res.output


def test_cli_from_text_without_number_keeps_the_doc_number_line_to_fill(tmp_path):
    """As publish and bulletin: no --number gives 「代字〔年〕　　号」 (the --date's year)."""
    (tmp_path / "wenming.toml").write_text('[unit]\nname = "某中学"\ncode = "某中"\n', "utf-8")
    draft = tmp_path / "稿.txt"
    draft.write_text("关于放假的通知\n各科室：\n放假。\n", encoding="utf-8")
    args = ["notice", "from-text", str(draft), "--date", "2021-09-20"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "--number" in res.output
    import docx

    doc = docx.Document(str(tmp_path / "稿.docx"))
    (line,) = [p.text for p in doc.paragraphs if p.style.style_id == "GwDocNo"]
    assert line == "某中〔2021〕\u3000\u3000号"
    res = CliRunner().invoke(cli, args + ["--number", "5"])
    assert res.exit_code == 0, res.output
    assert "某中〔2021〕5号" in texts(xml(tmp_path / "稿.docx", "word/document.xml"))
    draft.write_text("某中〔2021〕9号\n关于放假的通知\n各科室：\n放假。\n", encoding="utf-8")
    res = CliRunner().invoke(cli, args)
    assert "某中〔2021〕9号" in texts(xml(tmp_path / "稿.docx", "word/document.xml"))
    assert "--number" not in res.output  # the draft's own 文号 is no blank


def test_cli_without_code_says_why_there_is_no_doc_number(tmp_path):
    draft = tmp_path / "稿.txt"
    draft.write_text("关于放假的通知\n各科室：\n放假。\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["notice", "from-text", str(draft)])
    assert res.exit_code == 0, res.output
    assert "code" in res.output and "--number" in res.output


def test_the_bulletins_problem_list_speaks_to_departments(tmp_path):
    """What the office confirms itself is its step, not an instruction to 《…人工确认.xlsx》;
    several problems are ①②; a shortened task text never ends on an opening quote."""
    from wenming_xl.outputs.notices.kinds import _short
    from wenming_xl.runs.check import run_check
    from wenming_xl.runs.sample import PERIOD, prepare_demo

    table, evidence = prepare_demo(tmp_path)
    report = run_check(table, evidence=evidence, period=PERIOD)
    assert any(f.code == "needs-review" for r in report.items for f in r.findings)
    n = bulletin_notice(report, parse_profile(tomllib.loads(SAMPLE)), month="2022-06")
    rows = n.attachment_pages[0].table.rows
    said = "\n".join(r[3] for r in rows)
    assert "人工确认.xlsx" not in said and "填写“已确认”" not in said
    # items that wait only for the office's own check (红头 17, 18) are no department's problem
    assert not [r for r in rows if r[1] in ("17", "18")]
    lines = [b for b in n.body if isinstance(b, str) and b.startswith("（")]
    assert any("材料已交、待办公室核对" in b for b in lines)
    assert "待人工确认" in "\n".join(b for b in n.body if isinstance(b, str))  # 一、总体情况
    assert any(r[3].startswith("①") and "\n②" in r[3] for r in rows)
    assert not re.search(r"^\d+\.\d", said, re.M)
    assert all(not r[2].endswith(("“…", "《…", "（…", "，…")) for r in rows)
    assert _short("学习贯彻《绍兴市文明行为促进条例》，深入开展“文明驾驶”活动", 20) == (
        "学习贯彻《绍兴市文明行为促进条例》，深…"
    )
    assert _short("学习贯彻《绍兴市文明行为促进条例》，深入开展“文明", 24).endswith("开展…")
