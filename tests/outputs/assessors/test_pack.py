"""The upload pack of a real check: HEIC, PNG, an oversized JPEG, Word and a too-large PDF.

Every limit is checked on the files themselves, every hash in the 报送清单 against the
packed bytes, and a rerun on the unchanged tree must take the files over unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
from pathlib import Path

import openpyxl
import pytest
from heics import heic_photo
from imgs import docx, jpeg, pdf, photo, png
from PIL import Image

from wenming_xl.errors import OutputError
from wenming_xl.evidence.kinds import parse_exif_datetime, sniff
from wenming_xl.outputs.assessors.manifest import MANIFEST_NAME, RECORD_NAME
from wenming_xl.outputs.notices.pdf import find_soffice
from wenming_xl.runs.ready import make_pack

SOURCE_2022 = (
    Path(__file__).resolve().parents[3]
    / "workbooks"
    / "2022年度文明单位创建工作任务及责任分工.xlsx"
)
LIMIT_KB, LIMIT_MB = 120, 1


def _table(root: Path) -> Path:
    """A copy of the 2022 table (the check keeps its scan cache beside it)."""
    table = root / SOURCE_2022.name
    table.write_bytes(SOURCE_2022.read_bytes())
    return table


def _big_pdf(path: Path, extra: int, seed: int) -> Path:
    """A whole PDF made ``extra`` bytes larger: padding, then its trailer again (still complete)."""
    data = pdf(path, "Report").read_bytes()
    tail = data[data.rindex(b"startxref") :]
    path.write_bytes(data + b"\n%" + random.Random(seed).randbytes(extra) + b"\n" + tail)
    return path


def _tree(root: Path) -> Path:
    ev = root / "材料"
    g3 = ev / "03 学习条例" / "2022-05-03 东双桥社区 礼让斑马线"
    heic_photo(g3 / "IMG_0001.HEIC", seed=1, taken="2022-05-03")
    png(g3 / "截图 宣传栏.png", seed=2, size=(900, 700))
    clear = Image.new("RGBA", (400, 300), (0, 0, 0, 0))  # a screenshot with a transparent margin
    clear.paste(photo(7, (300, 200)), (50, 50))
    clear.save(g3 / "透明截图.png")
    big = g3 / "IMG_0003.jpg"  # a phone photo far over the limit, held upright (EXIF 6)
    turned = Image.Exif()
    turned[0x0112] = 6
    turned.get_ifd(0x8769)[0x9003] = "2022:05:03 10:00:00"
    photo(3, (3000, 2250)).save(big, "JPEG", quality=95, exif=turned.tobytes())
    jpeg(g3 / "IMG_0004.jpg", seed=4, size=(640, 480), taken="2022-05-03")  # fits: copied as is
    (g3 / "IMG_0005.jpg").write_bytes((g3 / "IMG_0004.jpg").read_bytes())  # a duplicate
    jpeg(g3 / "IMG_0006.jpg", seed=6, size=(640, 480), taken="2021-05-03")  # outside the period
    docx(ev / "03 学习条例" / "情况说明.docx", "学习条例情况说明")
    _big_pdf(ev / "05 家风" / "上报材料.pdf", LIMIT_MB * 1024 * 1024 + 5000, seed=1)
    return ev


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    root = tmp_path_factory.mktemp("pack")
    ev = _tree(root)
    out = root / "报送包"
    run = make_pack(_table(root), evidence=ev, period="2022", out=out, max_image_kb=LIMIT_KB,
                    max_file_mb=LIMIT_MB)  # fmt: skip
    return run, out, ev


def _rows(out: Path):
    wb = openpyxl.load_workbook(out / MANIFEST_NAME)
    sheet = list(wb["报送清单"].iter_rows(values_only=True))
    assert sheet[1][:9] == (
        "序号",
        "条目",
        "题名",
        "原文件",
        "报送文件",
        "大小(KB)",
        "SHA-256",
        "处理",
        "问题",
    )
    empty = list(wb["无材料条目"].iter_rows(values_only=True))
    return [dict(zip(sheet[1], r)) for r in sheet[2:]], empty


def test_every_packed_file_is_listed_with_its_hash(packed):
    run, out, _ev = packed
    rows, _empty = _rows(out)
    files = sorted(
        str(p.relative_to(out)).replace(os.sep, "/")
        for p in out.rglob("*")
        if p.is_file() and p.name not in (MANIFEST_NAME, RECORD_NAME)
    )
    assert sorted(r["报送文件"] for r in rows) == files
    for r in rows:
        data = (out / r["报送文件"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["SHA-256"]
        assert abs(len(data) / 1024 - r["大小(KB)"]) < 0.1


def test_only_what_check_counted(packed):
    run, out, _ev = packed
    rows, _empty = _rows(out)
    sources = {r["原文件"].rsplit("/", 1)[1] for r in rows}
    counted = {e.path.rsplit("/", 1)[1] for r in run.report.items for e in r.evidence if e.counted}
    assert sources == counted
    assert "IMG_0005.jpg" not in sources and "IMG_0006.jpg" not in sources  # duplicate, 2021


def test_photos_are_jpeg_under_the_limit_and_keep_their_date(packed):
    run, out, _ev = packed
    rows, _empty = _rows(out)
    by_source = {r["原文件"].rsplit("/", 1)[1]: r for r in rows}
    for name in ("IMG_0001.HEIC", "截图 宣传栏.png", "IMG_0003.jpg", "IMG_0004.jpg"):
        r = by_source[name]
        target = out / r["报送文件"]
        assert target.suffix == ".jpg"
        assert sniff(target.read_bytes()[:512])[1] == "jpeg"
        assert target.stat().st_size <= LIMIT_KB * 1024, name
        assert not r["问题"], r
    assert by_source["IMG_0004.jpg"]["处理"] == "原样复制"
    assert "HEIC转JPEG" in by_source["IMG_0001.HEIC"]["处理"]
    assert "PNG转JPEG" in by_source["截图 宣传栏.png"]["处理"]
    assert "缩小" in by_source["IMG_0003.jpg"]["处理"]
    for name in ("IMG_0001.HEIC", "IMG_0003.jpg"):
        with Image.open(out / by_source[name]["报送文件"]) as im:
            taken = im.getexif().get_ifd(0x8769).get(0x9003)
            assert parse_exif_datetime(taken) == dt.date(2022, 5, 3)
            assert im.getexif().get(0x0112, 1) == 1
    with Image.open(out / by_source["IMG_0003.jpg"]["报送文件"]) as im:
        assert im.height > im.width  # turned upright, as the phone showed it
    with Image.open(out / by_source["透明截图.png"]["报送文件"]) as im:
        assert min(im.getpixel((5, 5))) > 240  # transparent became white, not black


def test_names_follow_the_template_in_item_folders(packed):
    run, out, _ev = packed
    rows, _empty = _rows(out)
    by_source = {r["原文件"].rsplit("/", 1)[1]: r for r in rows}
    folder, name = by_source["IMG_0001.HEIC"]["报送文件"].split("/")
    assert folder.startswith("03 ")
    assert name == "03-01-20220503-东双桥社区 礼让斑马线.jpg"
    assert by_source["情况说明.docx"]["报送文件"].split("/")[0] == folder


def test_word_becomes_pdf_and_a_too_large_file_is_packed_and_reported(packed):
    run, out, _ev = packed
    rows, _empty = _rows(out)
    by_source = {r["原文件"].rsplit("/", 1)[1]: r for r in rows}
    word = by_source["情况说明.docx"]
    if find_soffice() is None:
        assert word["报送文件"].endswith(".docx") and "未能转成 PDF" in word["问题"]
    else:
        assert word["报送文件"].endswith(".pdf") and word["处理"] == "DOCX转PDF"
        assert (out / word["报送文件"]).read_bytes().startswith(b"%PDF-")
    big = by_source["上报材料.pdf"]
    assert (out / big["报送文件"]).stat().st_size > LIMIT_MB * 1024 * 1024
    assert "大于文件上限" in big["问题"]
    assert any("超出大小限制" in note for note in run.notes)


def test_items_with_nothing_to_upload_are_listed(packed):
    run, out, _ev = packed
    _rows_, empty = _rows(out)
    listed = {str(r[0]) for r in empty[1:]}
    assert "3" not in listed and "5" not in listed
    assert {"1", "2", "4"} <= listed


def test_a_rerun_reuses_the_pack_and_leaves_no_temporary_folder(packed):
    run, out, ev = packed
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix != ".xlsx"}
    again = make_pack(_table(out.parent), evidence=ev, period="2022", out=out, max_image_kb=LIMIT_KB,
                      max_file_mb=LIMIT_MB)  # fmt: skip
    assert again.detail.reused == len(again.detail.packed) == len(run.detail.packed)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix != ".xlsx"}
    assert after.keys() == before.keys()
    assert all(after[p] == before[p] for p in before if p.name != RECORD_NAME)
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_a_folder_that_is_not_a_pack_is_never_replaced(tmp_path):
    ev = tmp_path / "材料"
    jpeg(ev / "04 迎亚运" / "2022-05-03 活动" / "IMG_1.jpg", seed=1, taken="2022-05-03")
    mine = tmp_path / "我的文件"
    mine.mkdir()
    (mine / "工作总结.docx").write_bytes(b"x")
    with pytest.raises(OutputError):
        make_pack(_table(tmp_path), evidence=ev, period="2022", out=mine)
    assert (mine / "工作总结.docx").read_bytes() == b"x"


def test_a_limit_is_judged_anew_on_a_rerun(tmp_path):
    ev = tmp_path / "材料"
    _big_pdf(ev / "05 家风" / "上报材料.pdf", 1024 * 1024 + 10, seed=2)
    table, out = _table(tmp_path), tmp_path / "报送包"
    first = make_pack(table, evidence=ev, period="2022", out=out, max_file_mb=1)
    assert "大于文件上限" in first.detail.packed[0].problem
    second = make_pack(table, evidence=ev, period="2022", out=out, max_file_mb=5)
    assert second.detail.reused == 1 and second.detail.packed[0].problem == ""
