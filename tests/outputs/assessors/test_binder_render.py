"""Render the demo's binder with LibreOffice and hold the PDF against the check's report.

The demo tree has a duplicate photo (item 20) and one dated a year before the period
(item 23): neither may appear. Every counted photo must appear once, captioned with
its date, its place and theme and its file name; each item's 测评材料提交表 must be on
the page the 卷内目录 gives; nothing may cross the A4 margins (25 mm each side).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from heics import heic_photo
from imgs import mp4
from where import FONTCONFIG

from wenming_xl.model import IMAGE
from wenming_xl.outputs.assessors.box import page_range
from wenming_xl.outputs.notices.pdf import convert_many, find_soffice
from wenming_xl.runs.ready import make_binder
from wenming_xl.runs.sample import PERIOD, prepare_demo
from wenming_xl.text import cn_date

pdfplumber = pytest.importorskip("pdfplumber", reason="未安装 pdfplumber，跳过迎检资料渲染测试")
MM = 72 / 25.4


def _why_skip() -> str:
    if find_soffice() is None:
        return "未安装 LibreOffice（soffice），跳过迎检资料渲染测试"
    if not sys.platform.startswith("linux") or shutil.which("fc-list") is None:
        return "渲染测试依赖 Linux 上的 fontconfig 字体映射，本机不适用"
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    if "Noto Serif CJK" not in fonts:
        return "未安装 Noto CJK 字体（fonts-noto-cjk），跳过迎检资料渲染测试"
    return ""


pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(bool(_why_skip()), reason=_why_skip() or "-"),
]


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _render(folder: Path, per_page: int):
    table, evidence = prepare_demo(folder / "demo")
    group = evidence / "02 文明城市创建" / "2022-05-03 东双桥社区 礼让斑马线"
    mp4(group / "现场视频.mp4")
    heic_photo(group / "IMG_9001.HEIC", seed=9001, taken="2022-05-03")  # an iPhone photo
    before = _hashes(evidence)
    run = make_binder(table, evidence=evidence, period=PERIOD, out=folder / f"迎检{per_page}",
                      photos_per_page=per_page)  # fmt: skip
    docx = [str(p) for p in run.files]
    pdfs = convert_many(docx, folder / f"pdf{per_page}", env={"FONTCONFIG_FILE": str(FONTCONFIG)})
    assert all(isinstance(p, Path) for p in pdfs.values()), pdfs
    assert _hashes(evidence) == before  # the originals are only read
    return run, {Path(src).name: pdfplumber.open(str(pdf)) for src, pdf in pdfs.items()}


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    run, pdfs = _render(tmp_path_factory.mktemp("binder1"), 1)
    yield run, pdfs
    for pdf in pdfs.values():
        pdf.close()


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    run, pdfs = _render(tmp_path_factory.mktemp("binder4"), 4)
    yield run, pdfs
    for pdf in pdfs.values():
        pdf.close()


def _text(page) -> str:
    return re.sub(r"\s+", "", page.extract_text() or "")


def _box_pdfs(run, pdfs):
    for box, plan, path in run.detail.boxes:
        yield box, plan, pdfs[path.name]


@pytest.mark.parametrize("which", ["one", "four"])
def test_pages_are_a4_and_nothing_crosses_the_margins(request, which):
    run, pdfs = request.getfixturevalue(which)
    names = {p.name for p in run.files}
    assert "00 总目录.docx" in names and "盒脊标签.docx" in names
    for name, pdf in pdfs.items():
        margin = 10 if name == "盒脊标签.docx" else 25  # labels use 12/15 mm margins
        for page in pdf.pages:
            assert abs(page.width / MM - 210) < 0.5 and abs(page.height / MM - 297) < 0.5
            for c in page.chars:
                assert c["x0"] >= (margin - 1) * MM and c["x1"] <= page.width - (margin - 1) * MM, (
                    name, page.page_number, c["text"])  # fmt: skip
                if c["top"] < page.height - 25 * MM:  # the page number sits in the foot
                    assert c["top"] >= (margin - 10) * MM
            for im in page.images:
                assert im["x0"] >= 24 * MM and im["x1"] <= page.width - 24 * MM, (
                    name,
                    page.page_number,
                )
                assert im["top"] >= 24 * MM and im["bottom"] <= page.height - 24 * MM, (
                    name, page.page_number)  # fmt: skip


@pytest.mark.parametrize("which", ["one", "four"])
def test_toc_pages_match_where_each_item_is(request, which):
    run, pdfs = request.getfixturevalue(which)
    for box, plan, pdf in _box_pdfs(run, pdfs):
        assert len(pdf.pages) == plan.pages, box.category
        toc = {}
        for i in range(1, 1 + plan.toc_pages):
            assert _text(pdf.pages[i]).startswith("卷内目录")
            for table in pdf.pages[i].extract_tables():
                for row in table[1:]:  # 序号, 条目, 题名, 材料, 日期, 页号
                    toc[row[1]] = (re.sub(r"\s+", "", row[2]), row[5])
        assert len(toc) == len(box.entries)
        forms = {}
        for index, page in enumerate(pdf.pages):
            text = _text(page)
            if text.startswith("测评材料提交表"):
                m = re.search(r"第(.+?)项", text)
                forms[m.group(1)] = index + 1
        for entry, shown in zip(box.entries, plan.entries):
            assert forms[entry.no] == shown.start, (box.category, entry.no)
            span = page_range(shown.start, shown.pages)
            assert toc[entry.no] == (entry.title, span)
            end = shown.start + shown.pages  # the next item's form, or the end of the box
            assert end == len(pdf.pages) + 1 or _text(pdf.pages[end - 1]).startswith(
                "测评材料提交表"
            )
            assert _text(pdf.pages[shown.start - 1]).find(f"第{span}页") > 0


def test_every_counted_photo_once_with_its_caption_and_nothing_else(one):
    run, pdfs = one
    report = run.report
    counted = [e for r in report.items for e in r.evidence if e.kind == IMAGE and e.counted]
    left_out = [e for r in report.items for e in r.evidence if e.kind == IMAGE and not e.counted]
    assert left_out, "the demo leaves a duplicate and an out-of-period photo out"
    assert any(e.path.endswith(".HEIC") for e in counted)
    text = "".join(_text(p) for name, pdf in pdfs.items() for p in pdf.pages)
    names = [os.path.basename(e.path) for e in counted]
    for name in names:  # each counted photo once (two items may both hold a 截图1.png)
        assert text.count(f"文件名：{name}") == names.count(name), name
    for e in left_out:
        assert f"文件名：{os.path.basename(e.path)}" not in text
    for box, plan, pdf in _box_pdfs(run, pdfs):
        for entry, shown in zip(box.entries, plan.entries):
            for k, piece in enumerate(entry.photos):
                page = _text(pdf.pages[shown.start + k])  # one photo a page after the form
                assert len(pdf.pages[shown.start + k].images) == 1, piece.name
                assert f"文件名：{piece.name}" in page
                assert "时间：" + (cn_date(piece.date) if piece.date else "未注明") in page
                assert re.sub(r"\s+", "", f"地点及主题：{piece.words}") in page


def test_items_with_nothing_counted_say_so(one):
    run, pdfs = one
    for box, plan, pdf in _box_pdfs(run, pdfs):
        for entry, shown in zip(box.entries, plan.entries):
            if not entry.pieces:
                assert shown.pages == 1
                assert "本条目没有计入的材料文件" in _text(pdf.pages[shown.start - 1])


def test_four_a_page_fits_four_captions_a_page(four):
    run, pdfs = four
    for _box, plan, pdf in _box_pdfs(run, pdfs):
        for shown in plan.entries:
            for k, group in enumerate(shown.photo_pages):
                page = _text(pdf.pages[shown.start + k])
                assert page.count("文件名：") == len(group) <= 4


def test_print_copies_are_small(one):
    run, _pdfs = one
    for box, _plan, path in run.detail.boxes:  # a print copy is far below the original
        assert path.stat().st_size < 100_000 + 250_000 * box.photos


def test_what_cannot_be_printed_is_listed_on_its_own_page(one):
    run, pdfs = one
    found = []
    for _box, plan, pdf in _box_pdfs(run, pdfs):
        for shown in plan.entries:
            for k, _chunk in enumerate(shown.list_pages):
                index = shown.start + shown.pages - len(shown.list_pages) + k
                text = _text(pdf.pages[index - 1])
                assert "无法在此显示的材料" in text
                found.append(text)
    assert any("现场视频.mp4" in text for text in found)
