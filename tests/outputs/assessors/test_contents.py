"""What the binder and the pack take from a report: counted files once, captions, boxes."""

from __future__ import annotations

import datetime as dt

import pytest

from wenming_xl.model import DOCUMENT, IMAGE, Evidence, Item, ItemResult, Report, Rubric
from wenming_xl.outputs.assessors.contents import boxes, category_name, counted_entry
from wenming_xl.outputs.assessors.pack import file_stem
from wenming_xl.outputs.assessors.pages import line_count
from wenming_xl.outputs.assessors.spine import spine_width


def _ev(tmp_path, name, **kw):
    path = tmp_path / name
    path.write_bytes(b"x")
    fields = {"item_no": 3, "kind": IMAGE, "path": f"03 条例/{name}", "source": str(path)}
    return Evidence(**{**fields, **kw})


def test_only_counted_files_once_and_declared_rows_counted_apart(tmp_path):
    a = _ev(tmp_path, "a.jpg", annotation="2022-05-03 东双桥社区 礼让斑马线", group="g",
            group_date=dt.date(2022, 5, 3))  # fmt: skip
    dup = _ev(tmp_path, "b.jpg", counted=False, duplicate_of="03 条例/a.jpg")
    old = _ev(tmp_path, "c.jpg", counted=False, date=dt.date(2021, 1, 1))
    again = _ev(tmp_path, "a.jpg", group="ledger:台账:5")  # a ledger row naming the same file
    doc = _ev(tmp_path, "情况说明.docx", kind=DOCUMENT, annotation="情况说明")
    declared = Evidence(item_no=3, kind=IMAGE, declared=True, count=6)
    result = ItemResult(
        Item(no=3, text="学习贯彻条例，开展活动"), evidence=[a, dup, old, again, doc, declared]
    )
    entry = counted_entry(result)
    assert [p.name for p in entry.pieces] == ["a.jpg", "情况说明.docx"]
    assert (entry.declared_rows, entry.declared_count) == (1, 6)
    photo = entry.photos[0]
    assert photo.caption() == [
        "时间：2022年5月3日",
        "地点及主题：东双桥社区 礼让斑马线",
        "文件名：a.jpg",
    ]
    assert entry.documents[0].caption()[0] == "时间：未注明"
    assert "照片 1 张（1 次活动）" in entry.provided() and "台账登记 1 条" in entry.provided()


def test_boxes_follow_the_categories_in_table_order():
    items = [Item(no=1, text="甲", category="一、基础工作（44分）"), Item(no=2, text="乙", category="二、创建（48分）"),
             Item(no=3, text="丙", category="一、基础工作（44分）")]  # fmt: skip
    report = Report(Rubric("t.xlsx", "任务分工", items=items), items=[ItemResult(i) for i in items])
    got = [(b.number, b.category, [e.no for e in b.entries]) for b in boxes(report)]
    assert got == [(1, "一、基础工作", ["1", "3"]), (2, "二、创建", ["2"])]
    assert category_name(None) == "其他"


def test_file_names_follow_the_template(tmp_path):
    ev = _ev(
        tmp_path,
        "IMG_1.HEIC",
        annotation="2022-05-03 东双桥社区/礼让斑马线",
        date=dt.date(2022, 5, 3),
    )
    entry = counted_entry(ItemResult(Item(no=3, text="条例"), evidence=[ev]))
    piece = entry.pieces[0]
    assert (
        file_stem("{item}-{seq:02d}-{date}-{theme}", entry, piece)
        == "03-01-20220503-东双桥社区_礼让斑马线"
    )
    assert file_stem("{kind}{seq}-{name}", entry, piece) == "照片1-IMG_1"
    undated = _ev(tmp_path, "x.png")
    entry = counted_entry(ItemResult(Item(no="一.1", text="条例"), evidence=[undated]))
    assert file_stem("{item}-{seq:02d}-{date}-{theme}", entry, entry.pieces[0]) == "一.1-01"


@pytest.mark.parametrize(
    "pages,width", [(40, 20), (150, 20), (200, 30), (300, 40), (420, 50), (900, 50)]
)
def test_spine_width_from_pages(pages, width):
    assert spine_width(pages) == width
    assert spine_width(pages, 30) == 30


def test_line_count_is_an_upper_bound():
    assert line_count("一" * 30, 10, 300) == 2  # 30 characters of 10 pt in 300 pt: just over a line
    assert line_count("短\n两行", 10, 300) == 2
