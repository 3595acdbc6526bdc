import datetime as dt
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wenming_xl.text import (
    _TRAD,
    _nfkc,
    cn_to_int,
    find_cap,
    find_date,
    normalize,
    normalize_all,
    parse_points,
    strip_date,
)


@pytest.mark.parametrize(
    "text,value",
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("二〇二二", 2022),
        ("3", 3),
        ("abc", None),
        ("", None),
    ],
)
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    "cell,points",
    [
        ("4分", 4),
        (4, 4),
        ("-3分", -3),
        ("４分", 4),
        ("0.5", 0.5),
        ("－2分", -2),
        ("三分", 3),
        (None, None),
        ("", None),
        ("材料审核", None),
    ],
)
def test_parse_points(cell, points):
    assert parse_points(cell) == points


def test_find_cap():
    assert find_cap("一、年度精神文明建设重点任务\n\n（44分）") == 44
    assert find_cap("学习教育30分") == 30
    assert find_cap("四、加分项目") is None


@pytest.mark.parametrize(
    "name",
    [
        "2022-05-03 礼让斑马线",
        "20220503礼让斑马线",
        "2022.5.3 礼让斑马线",
        "2022年5月3日礼让斑马线",
        "礼让斑马线 2022_05_03",
    ],
)
def test_find_date(name):
    assert find_date(name) == dt.date(2022, 5, 3)
    assert "礼让斑马线" in strip_date(name)
    assert "2022" not in strip_date(name)


def test_normalize_fullwidth_and_traditional():
    assert normalize("上傳照片３張，註明時間") == "上傳照片3张,注明时间".replace("傳", "传")


@given(st.lists(st.text(max_size=12)))
def test_normalize_all_is_normalize_of_each(texts):
    """Joined by NUL and split again, every string normalises exactly as it would alone."""
    assert normalize_all(texts) == [normalize(t) for t in texts]


def test_normalize_all_combining_marks_and_nul():
    texts = ["\u0301开头的组合符", "e", "\u0301", "ｅ\u0301", "Ａ\x00Ｂ", "\r\n", "禮讓"]
    assert normalize_all(texts) == [normalize(t) for t in texts]


# Text like office cells: Chinese, full-width forms, ASCII and combining marks mixed.
_OFFICE_CHARS = st.sampled_from(
    list("理论学习（）：，；！？　０９ＡＺａｚ１２ae ")
    + ["\u0301", "\u0308", "\uff9e", "\u3099", "ｶ"]
)


@given(st.one_of(st.text(), st.text(_OFFICE_CHARS)))
def test_nfkc_shortcut_is_nfkc(text):
    """Full-width forms replaced first, then NFKC only if still needed: the same as NFKC."""
    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


def _normalize_spec(s: str) -> str:
    """What `normalize` is defined to do, step by step with no shortcut."""
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\u200b", "").replace("\ufeff", "").replace("\xa0", " ").replace("\u3000", " ")
    return s.replace("\r\n", "\n").replace("\r", "\n").translate(_TRAD)


@example("理\r\n论")
@example("禮讓\u200b\ufeff")
@example("理\xa0论\u3000")
@given(
    st.one_of(st.text(), st.text(st.sampled_from(list("張處時禮讓\r\n\u200b\ufeff\xa0 ab１（理"))))
)
def test_normalize_shortcuts_are_the_spec(text):
    """The already-clean and full-width shortcuts give what the plain steps give."""
    assert normalize(text) == _normalize_spec(text)


def test_names_an_unzip_tool_read_as_code_page_437_are_shown_in_chinese():
    """Info-ZIP's unzip writes a Windows zip's GBK names as CP437 text: 「▓─┴╧」 is 「材料」."""
    from wenming_xl.text import readable

    mangled = "材料/12 创建主题宣讲/照片1.jpg".encode("gbk").decode("cp437")
    assert readable(mangled) == "材料/12 创建主题宣讲/照片1.jpg"
    for kept in ("café ─ 说明.docx", "a │ b", "普通文件名.jpg"):  # no GBK behind them
        assert readable(kept) == kept


def test_a_tree_unzipped_with_cp437_names_reads_and_reports_in_chinese(tmp_path, table_2022):
    from imgs import jpeg

    from wenming_xl.runs.check import run_check

    def as_unzipped(name):
        return name.encode("gbk").decode("cp437")

    group = tmp_path / as_unzipped("材料") / "12 " / as_unzipped("2022-04-01 报告厅 宣讲")
    for k in range(3):
        jpeg(group / as_unzipped(f"照片{k}.jpg"), seed=k, taken="2022-04-01")
    report = run_check(table_2022, evidence=tmp_path / as_unzipped("材料"))
    item = next(r for r in report.items if r.item.no == 12)
    assert item.status == "met"
    assert [ev.group_name for ev in item.evidence] == ["2022-04-01 报告厅 宣讲"] * 3
    assert all("照片" in ev.path for ev in item.evidence)
