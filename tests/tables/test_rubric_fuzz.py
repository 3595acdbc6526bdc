"""Fuzz the task-table reader with generated workbooks: a `Rubric` or a `WenmingError`, nothing else.

Workbooks are written with xlsxwriter: header words in random order (some missing, some
repeated), optional title rows, blank rows, merged ranges, odd points text and cell text
with full-width, CJK, emoji and control characters.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenming_xl.errors import WenmingError
from wenming_xl.model import Rubric
from wenming_xl.tables.rubric import load_rubric

HEADERS = [
    "创建项目",
    "工作清单",
    "测评内容",
    "分值",
    "牵头部门",
    "材料上传及说明",
    "序号",
    "扣分细则",
]
POINTS = ["2分", "２分", "0.5", "-3", "分", "十分", "1e9", "∞", "3/4", "", "（2分）", "2分/次"]
ALPHABET = st.sampled_from(
    list("一二三四五六七八九十、，。（）()：；部门办科党建团委工会分照片张份不少于")
    + list("０１２３４５６７８９ＡＢ　abc123.-=+@#\"'<>&/\\\n\t ")
    + ["\x00", "\x01", "\x0b", "\u200b", "\ufeff", "😀", "\U00020000", "\ud7ff"]
)
TEXT = st.text(ALPHABET, max_size=24)
CELL = st.one_of(
    TEXT,
    st.sampled_from(POINTS),
    st.integers(-5, 200),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.none(),
)


@st.composite
def workbooks(draw):
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7))
    ncols = max(len(header), 1)
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=ncols + 1), max_size=10))
    title = draw(st.one_of(st.none(), TEXT))
    blank_before = draw(st.integers(0, 3))
    merges = draw(
        st.lists(
            st.tuples(
                st.integers(0, 12), st.integers(0, ncols), st.integers(0, 3), st.integers(0, 2)
            ),
            max_size=3,
        )
    )
    return header, rows, title, blank_before, merges


def _write(path: Path, spec) -> None:
    header, rows, title, blank_before, merges = spec
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "nan_inf_to_errors": True},
    )
    ws = wb.add_worksheet("任务分工")
    r = 0
    if title is not None:
        ws.write_string(r, 0, title)
        r += 1
    r += blank_before
    for c, h in enumerate(header):
        ws.write_string(r, c, h)
    r += 1
    for row in rows:
        for c, v in enumerate(row):
            if isinstance(v, str):
                ws.write_string(r, c, v)
            elif v is not None:
                ws.write_number(r, c, v)
        r += 1
    used: set[tuple[int, int]] = set()
    for r0, c0, dr, dc in merges:
        cells = {(rr, cc) for rr in range(r0, r0 + dr + 1) for cc in range(c0, c0 + dc + 1)}
        if (dr or dc) and not cells & used:
            used |= cells
            ws.merge_range(r0, c0, r0 + dr, c0 + dc, None)
    wb.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(workbooks())
def test_reader_gives_a_rubric_or_a_clear_error(spec):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "任务表.xlsx"
        _write(path, spec)
        try:
            rubric = load_rubric(path)
        except WenmingError as exc:
            assert str(exc).strip()
            assert "Traceback" not in str(exc)
            return
        assert isinstance(rubric, Rubric)
        for item in rubric.items:
            assert isinstance(item.text, str)
            assert item.points is None or item.points == item.points  # never NaN


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=40), min_size=1, max_size=6))
def test_requirement_column_text_never_crashes_the_reader(texts):
    spec = (
        ["创建项目", "工作清单", "分值", "牵头部门", "材料上传及说明"],
        [["一、组织", f"{i + 1}.开展活动", "2分", "党建办", t] for i, t in enumerate(texts)],
        "标题",
        0,
        [],
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "任务表.xlsx"
        _write(path, spec)
        try:
            rubric = load_rubric(path)
        except WenmingError:
            return
        assert len(rubric.items) == len(texts)
