"""Render the notices with LibreOffice and measure the PDF against GB/T 9704-2012.

Each kind of document is rendered once per module (starting LibreOffice is slow): the
印发通知 of the real 2022 task table, the monthly 督查通报 of the sample report, and a long
plain notice (full pages, odd and even page numbers). A private fontconfig maps the
official font names (仿宋_GB2312, 方正小标宋简体, 黑体 …) to Noto CJK, whose glyphs are 1 em
wide like the originals, so positions and line counts hold. Positions are in millimetres
from the paper's top-left corner.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reports import sample_report, write_task_workbook  # noqa: E402
from where import FONTCONFIG, ROOT

from wenming_xl.config import SAMPLE, parse_profile, tomllib
from wenming_xl.outputs.notices.notice import Notice, bulletin_notice, publish_notice, write_notice
from wenming_xl.outputs.notices.pdf import convert_to_pdf, find_soffice
from wenming_xl.runs.check import run_check
from wenming_xl.tables.rubric import load_rubric

pdfplumber = pytest.importorskip("pdfplumber", reason="未安装 pdfplumber，跳过公文排版测试")

TABLE_2022 = ROOT / "workbooks" / "2022年度文明单位创建工作任务及责任分工.xlsx"
MM = 72 / 25.4  # points per millimetre
PROFILE = parse_profile(tomllib.loads(SAMPLE))


def _why_skip() -> str:
    if find_soffice() is None:
        return "未安装 LibreOffice（soffice），跳过公文排版渲染测试"
    if not sys.platform.startswith("linux") or shutil.which("fc-list") is None:
        return "渲染测试依赖 Linux 上的 fontconfig 字体映射，本机不适用"
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    if "Noto Serif CJK" not in fonts or "Noto Sans CJK" not in fonts:
        return "未安装 Noto CJK 字体（fonts-noto-cjk），跳过公文排版渲染测试"
    return ""


pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(bool(_why_skip()), reason=_why_skip() or "-"),
]

LONG_PARAGRAPH = (
    "以习近平新时代中国特色社会主义思想为引领，大力培育和践行社会主义核心价值观，全面提升"
    "全院职工的思想道德素质和文明素养，树立良好形象，弘扬文明风尚，在社会道德风尚建设中起到示范引领作用。"
)


def long_notice() -> Notice:
    body = ["为推进文明单位创建工作，现将有关事项通知如下："]
    for i, head in enumerate(["一、指导思想", "二、工作目标", "三、重点工作", "四、工作要求"]):
        body += [
            head,
            f"（{'一二三四'[i]}）强化理想信念教育。" + LONG_PARAGRAPH,
            LONG_PARAGRAPH * 2,
        ]
        body += ["1.健全“党建+文明创建”机制。", "（1）以市级示范食堂建设为契机，提升后勤服务质量。"]
    return Notice(
        title="绍兴市中医院关于进一步加强文明单位创建工作的通知",
        body=body,
        mark="绍兴市中医院文件",
        number="绍市中医〔2022〕5号",
        main_to="各科室",
        signer="绍兴市中医院",
        date=dt.date(2022, 3, 1),
        note="此件公开发布",
        cc=["绍兴市中医院工会委员会", "共青团绍兴市中医院委员会"],
        printer="绍兴市中医院党政综合办公室",
        keep_words=["绍兴市中医院"],
    )


class Pdf:
    """A rendered document: its pdfplumber pages and measuring helpers."""

    def __init__(self, path: Path):
        self.path = path
        self.doc = pdfplumber.open(str(path))
        self.pages = self.doc.pages

    def lines(self, index: int) -> list[dict]:
        """Text lines of a page (chars grouped by their top), top to bottom."""
        rows: dict[float, list] = {}
        for c in self.pages[index].chars:
            key = next((k for k in rows if abs(k - c["top"]) < 0.6), c["top"])
            rows.setdefault(key, []).append(c)
        out = []
        for top in sorted(rows):
            cs = sorted(rows[top], key=lambda c: c["x0"])
            out.append(
                {
                    "text": "".join(c["text"] for c in cs),
                    "top": top / MM,
                    "bottom": max(c["bottom"] for c in cs) / MM,
                    "x0": cs[0]["x0"] / MM,
                    "x1": max(c["x1"] for c in cs) / MM,
                    "size": round(cs[0]["size"], 1),
                    "chars": cs,
                }
            )
        return out

    def rules(self, index: int) -> list[dict]:
        page = self.pages[index]
        return [
            {
                "x0": o["x0"] / MM,
                "x1": o["x1"] / MM,
                "top": o["top"] / MM,
                "width": o.get("linewidth") or 0,
                "color": tuple(o.get("stroking_color") or ()),
            }
            for o in page.lines + page.rects
            if o["width"] > 100
        ]

    def landscape(self, index: int) -> bool:
        return self.pages[index].width > self.pages[index].height

    def page_number(self, index: int):
        found = [ln for ln in self.lines(index) if re.fullmatch(r"— \d+ —", ln["text"])]
        return found[0] if found else None


def _empty(folder: Path) -> Path:
    (folder / "材料").mkdir(exist_ok=True)
    return folder / "材料"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Pdf]:
    folder = tmp_path_factory.mktemp("render")
    rubric = load_rubric(TABLE_2022)
    docs = {
        "publish": publish_notice(rubric, PROFILE, number=23, date=dt.date(2022, 2, 25)),
        "bulletin": bulletin_notice(
            sample_report(write_task_workbook(folder / "任务分工.xlsx")),
            PROFILE,
            month="2022-05",
            previous={"total": 11.5, "departments": {"党建办": 7, "工会": 4, "团委": 3}},
            date=dt.date(2022, 6, 2),
        ),
        "long": long_notice(),
        "gaps": bulletin_notice(  # nothing uploaded yet: every department's list is long
            run_check(TABLE_2022, evidence=_empty(folder)),
            PROFILE,
            month="2022-06",
            date=dt.date(2022, 7, 1),
        ),
    }
    out = {}
    for kind, notice in docs.items():
        docx = write_notice(notice, folder / f"{kind}.docx")
        pdf = convert_to_pdf(docx, folder, env={"FONTCONFIG_FILE": str(FONTCONFIG)})
        out[kind] = Pdf(pdf)
    out["rubric"] = rubric  # type: ignore[assignment]
    yield out
    for kind in docs:
        out[kind].doc.close()


KINDS = ["publish", "bulletin", "long"]


@pytest.mark.parametrize("kind", KINDS)
def test_pages_are_a4(rendered, kind):
    pdf = rendered[kind]
    for page in pdf.pages:
        w, h = sorted((page.width / MM, page.height / MM))
        assert abs(w - 210) < 0.5 and abs(h - 297) < 0.5
    assert not pdf.landscape(0)


@pytest.mark.parametrize("kind", KINDS)
def test_mark_is_red_and_35mm_below_the_type_area(rendered, kind):
    first = rendered[kind].lines(0)
    mark = next(ln for ln in first if ln["text"] == "绍兴市中医院文件")
    assert abs(mark["top"] - 72) <= 1.0, mark["top"]  # 37 mm margin + 35 mm
    assert all(tuple(c["non_stroking_color"]) == (1, 0, 0) for c in mark["chars"])
    assert "Bold" in mark["chars"][0]["fontname"]  # 方正小标宋简体 → bold Song
    assert abs((mark["x0"] + mark["x1"]) / 2 - 106) < 1.5  # centred on the type area


@pytest.mark.parametrize("kind", KINDS)
def test_red_rule_156mm_4mm_under_the_number(rendered, kind):
    pdf = rendered[kind]
    number = next(ln for ln in pdf.lines(0) if "〔2022〕" in ln["text"])
    red = [r for r in pdf.rules(0) if r["color"] == (1, 0, 0)]
    assert red, "no red rule on page 1"
    rule = red[0]
    assert abs(rule["x0"] - 28) < 1 and abs(rule["x1"] - 184) < 1
    assert abs((rule["x1"] - rule["x0"]) - 156) < 1
    assert abs(rule["top"] - number["bottom"] - 4) < 1, (rule["top"], number["bottom"])
    assert abs((number["x0"] + number["x1"]) / 2 - 106) < 1.5
    assert number["top"] - rendered[kind].lines(0)[0]["bottom"] > 2 * 10.2  # two blank lines


@pytest.mark.parametrize("kind", KINDS)
def test_text_stays_in_the_type_area(rendered, kind):
    pdf = rendered[kind]
    full = []
    for i in range(len(pdf.pages)):
        if pdf.landscape(i):
            continue
        body = [ln for ln in pdf.lines(i) if not re.fullmatch(r"— \d+ —", ln["text"])]
        for ln in body:
            assert ln["x1"] <= 184.5, (i + 1, ln["text"], ln["x1"])
            assert ln["x0"] >= 27.5, (i + 1, ln["text"], ln["x0"])
            assert 37 <= ln["top"] and ln["bottom"] <= 262.5, (i + 1, ln["text"])
        full += [ln for ln in body if ln["size"] == 16.0 and ln["x1"] > 182]
    # full lines start on the left text edge, or 2 characters in (a paragraph's first line)
    assert full
    for ln in full:
        assert min(abs(ln["x0"] - 28), abs(ln["x0"] - (28 + 11.3))) < 1, ln["text"]
    assert abs(min(ln["x0"] for ln in full) - 28) < 1


def test_full_page_holds_22_lines_at_the_grid_pitch(rendered):
    pdf = rendered["long"]
    pages = [[ln for ln in pdf.lines(i) if ln["size"] == 16.0] for i in range(1, len(pdf.pages))]
    assert all(len(p) <= 22 for p in pages)
    page = max(pages, key=len)  # a heading kept with its text may leave one line free elsewhere
    assert len(page) == 22
    tops = [ln["top"] * MM for ln in page]
    pitches = [b - a for a, b in zip(tops, tops[1:])]
    assert all(abs(p - 28.95) < 0.3 for p in pitches), pitches
    # full lines hold 28 characters (26 after a paragraph's 2-character indent)
    full = [
        ln
        for ln in page
        if ln["x1"] > 183 and ln["x0"] < 29 and not re.search(r"[\d“”+]", ln["text"])
    ]
    assert full and all(len(ln["text"]) == 28 for ln in full), [ln["text"] for ln in full]
    # page 1's body lines sit on the same grid as page 2's
    first = [ln for ln in pdf.lines(0) if ln["size"] == 16.0 and ln["top"] > 150]
    for ln in first:
        off = ((ln["top"] - page[0]["top"]) * MM) % 28.95
        assert min(off, 28.95 - off) < 0.5, ln["text"]


def test_fonts_reach_the_renderer(rendered):
    pdf = rendered["long"]
    lines = pdf.lines(0) + pdf.lines(1)
    h1 = next(ln for ln in lines if ln["text"] == "一、指导思想")
    assert "Sans" in h1["chars"][0]["fontname"]  # 黑体
    body = next(ln for ln in lines if ln["text"].startswith("为推进"))
    assert "Serif" in body["chars"][0]["fontname"] and "Bold" not in body["chars"][0]["fontname"]
    title = [ln for ln in pdf.lines(0) if ln["size"] == 22.0]
    assert [ln["text"] for ln in title] == ["绍兴市中医院关于进一步加强", "文明单位创建工作的通知"]
    for ln in title:
        assert abs((ln["x0"] + ln["x1"]) / 2 - 106) < 1.5


@pytest.mark.parametrize("kind", KINDS)
def test_page_numbers_odd_right_even_left(rendered, kind):
    pdf = rendered[kind]
    numbered = 0
    for i in range(len(pdf.pages)):
        num = pdf.page_number(i)
        if num is None:
            assert i == len(pdf.pages) - 1, f"page {i + 1} has no number"
            assert pdf.rules(i), "only the 版记 page may go without a number"
            continue
        numbered += 1
        assert num["text"] == f"— {i + 1} —"
        assert num["size"] == 14.0
        if pdf.landscape(i):
            right_edge, left_edge, bottom = 297 - 35, 37, 210 - 26
        else:
            right_edge, left_edge, bottom = 184, 28, 262
        if (i + 1) % 2:
            assert abs(num["x1"] - (right_edge - 4.94)) < 1, (i + 1, num["x1"])
        else:
            assert abs(num["x0"] - (left_edge + 4.94)) < 1, (i + 1, num["x0"])
        assert abs(num["top"] - (bottom + 7)) < 1.5, (i + 1, num["top"])
    assert numbered >= 2


@pytest.mark.parametrize("kind", KINDS)
def test_banji_rules_end_on_the_type_area_bottom(rendered, kind):
    pdf = rendered[kind]
    last = len(pdf.pages) - 1
    assert not pdf.landscape(last)
    black = sorted(
        (r for r in pdf.rules(last) if r["color"] != (1, 0, 0) and r["x1"] - r["x0"] > 150),
        key=lambda r: r["top"],
    )
    rules = black[-3:]
    assert len(rules) == 3
    assert abs(rules[-1]["top"] - 262) < 1, rules[-1]["top"]
    for r in rules:
        assert abs(r["x0"] - 28) < 1 and abs(r["x1"] - 184) < 1
    assert [round(r["width"], 2) for r in rules] == [1.0, 0.75, 1.0]  # thick, thin, thick
    text = [ln for ln in pdf.lines(last) if ln["top"] > rules[0]["top"]]
    assert text[0]["text"].startswith("抄送：") and text[0]["text"].endswith("。")
    assert abs(text[0]["x0"] - (28 + 4.94)) < 1  # one character in
    printer = text[1]
    assert printer["text"].startswith("绍兴市中医院党政综合办公室") and printer["text"].endswith(
        "印发"
    )
    assert abs(printer["x1"] - (184 - 4.94)) < 1


def test_signature_and_date_in_the_no_seal_layout(rendered):
    pdf = rendered["long"]
    for i in range(len(pdf.pages)):
        lines = pdf.lines(i)
        dates = [ln for ln in lines if ln["text"] == "2022年3月1日"]
        if dates:
            break
    date = dates[0]
    name = next(ln for ln in lines if ln["text"] == "绍兴市中医院")
    assert abs(date["x1"] - (184 - 2 * 5.56)) < 1  # 2 characters in from the right
    # The date is longer than the name, so the name is centred over it. The centre comes
    # from the date's width in Word (Times New Roman digits, no extra space); LibreOffice
    # adds ¼ em between CJK and digits (its docx import ignores w:autoSpaceDE/DN), which
    # widens 「2022年3月1日」 by about 7 mm here and moves its centre by half of that.
    autospace = 4 * 4 / MM / 2  # four CJK/digit boundaries of 4 pt, half on each side
    centre_gap = abs((name["x0"] + name["x1"]) / 2 - (date["x0"] + date["x1"]) / 2)
    assert abs(centre_gap - autospace) < 1.5, centre_gap
    assert abs((date["top"] - name["top"]) * MM - 28.95) < 0.5  # next line
    note = next(ln for ln in lines if ln["text"] == "（此件公开发布）")
    assert abs(note["x0"] - (28 + 11.3)) < 1  # 2 characters in
    assert len([ln for ln in lines if ln["size"] == 16.0]) > 3  # not alone on its page


def _column_text(pdf: Pdf, pages: list[int], column: int) -> str:
    """The text of one table column on ``pages``, top to bottom, page by page."""
    out = []
    for i in pages:
        page = pdf.pages[i]
        xs = sorted({round(o["x0"], 1) for o in page.lines if o["height"] > 10 and o["width"] < 1})
        left, right = xs[column], xs[column + 1]
        chars = [c for c in page.chars if c["x0"] >= left and c["x1"] <= right + 0.5]
        out.append(
            "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"], 0), c["x0"])))
        )
    return "".join(out)


def test_attachment_has_every_item_and_repeats_its_header(rendered):
    pdf, rubric = rendered["publish"], rendered["rubric"]
    pages = [i for i in range(len(pdf.pages)) if pdf.landscape(i)]
    assert len(pages) >= 2
    first = pdf.lines(pages[0])
    assert first[0]["text"] == "附件"
    assert any(
        ln["text"] == "绍兴市中医院2022年度绍兴市文明单位创建工作任务及责任分工" for ln in first
    )
    for i in pages:
        header = [ln for ln in pdf.lines(i) if "工作清单" in ln["text"] or "牵头部门" in ln["text"]]
        assert header, f"page {i + 1}: table header not repeated"
        assert header[0]["top"] < (80 if i == pages[0] else 45)
    text = _column_text(pdf, pages, 1)
    for item in rubric.items:
        assert f"{item.no}." + re.sub(r"\s+", "", item.text)[:24] in text, item.no
    cats = _column_text(pdf, pages, 0)
    for name in (
        "年度精神文明建设重点任务",
        "自身工作与创建工作的结合",
        "履行社会责任",
        "加分项目",
        "扣分项目",
    ):
        assert cats.count(name) == 1, name  # merged: written once


def test_bulletin_gap_table_fits_portrait(rendered):
    pdf = rendered["bulletin"]
    assert not any(pdf.landscape(i) for i in range(len(pdf.pages)))
    text = "".join(ln["text"] for i in range(len(pdf.pages)) for ln in pdf.lines(i))
    assert "各部门创建任务存在问题清单" in text
    assert "较上月提高3.5分" in text


def test_justified_lines_are_not_spread_and_number_lists_break_between_numbers(rendered):
    """「…未落实，涉及第1、2、3等33项」 fills its lines: no line spread letter by letter
    (a gap wider than half a character between two characters) and no number cut off."""
    pdf = rendered["gaps"]
    seen = 0
    for index in range(len(pdf.pages)):
        for line in pdf.lines(index):
            text = line["text"].replace(" ", "")
            if line["size"] < 15 or not (
                "落实" in text or "涉及" in text or re.match(r"^[\d、]+", text)
            ):
                continue  # the body's gaps paragraphs, 3号 (tables have gaps between columns)
            seen += 1
            assert not re.fullmatch(r"\d+", text), (index, text)  # a number alone on a line
            assert not text.startswith("、"), (index, text)
            chars = [c for c in line["chars"] if c["text"].strip()]
            for a, b in zip(chars, chars[1:]):
                gap = b["x0"] - a["x1"]
                assert gap < 0.5 * a["size"], (index, text, a["text"], b["text"], gap)
    assert seen >= 5
