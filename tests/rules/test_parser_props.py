"""Property tests of the requirement parser: it never raises and never drops a number."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wenming_xl.model import Rule
from wenming_xl.rules.lexicon import clean, mask_exempt
from wenming_xl.rules.parser import parse_requirement
from wenming_xl.text import cn_to_int, find_date

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words of real requirements, none of which holds a numeral or makes a date or an ordinal.
WORDS = (
    "上传 提供 附 照片 图片 截图 实景图 情况说明 名单 文件 视频 活动 现场 主题 传统节日 不少于 至少 超过 "
    "不超过 不低于 以上 以内 左右 每次 每类 每个 每 注明 标注 时间 地点 位置 扣 加 分 张 次 类 个 篇 份 处 条 "
    "项 人 名 间 字 小时 分钟 平方米 % - ， 、 ； 。 （ ） 或 或上传 和 并 需有单位的红头 pdf版本 扣完为止 "
    "最多 少 的 宣传栏 扫描件 加盖公章 各 每个 支部 班级 传统节日 情况说明（图片） 或提供"
).split() + [" ", "\n"]

_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """A small independent writer of Chinese numerals (1–99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


@st.composite
def number_text(draw) -> str:
    n = draw(st.integers(min_value=0, max_value=999))
    style = draw(st.sampled_from(["arabic", "wide", "chinese", "decimal"]))
    if style == "chinese" and 1 <= n <= 99:
        return cn_numeral(n)
    if style == "wide":
        return "".join(chr(ord("０") + int(c)) for c in str(n))
    if style == "decimal":
        return f"{n}.5"
    return str(n)


@st.composite
def requirement_like(draw) -> str:
    """Words of requirements with numbers between them (never two numbers side by side)."""
    parts = draw(
        st.lists(
            st.tuples(st.sampled_from(WORDS), st.one_of(st.none(), number_text())),
            min_size=1,
            max_size=15,
        )
    )
    return "".join(w + (n or "") for w, n in parts)


_RUN = re.compile("[0-9]+(?:\\.[0-9]+)?|[零一二两三四五六七八九十百千万]+")


def _numbers(rules: list[Rule]) -> set[float]:
    out: set[float] = set()

    def add(v: object) -> None:
        if isinstance(v, bool) or v is None:
            return
        if isinstance(v, (int, float)):
            out.add(float(v))
        elif isinstance(v, Rule):
            for x in v.data.values():
                add(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                add(x)

    for r in rules:
        add(r)
    return out


_DATES = re.compile(
    "(?<![0-9])(?:(?:19|20)[0-9]{2}[-./][0-9]{1,2}[-./][0-9]{1,2}|(?:19|20)[0-9]{6}"
    "|(?:19|20)[0-9]{2}[-~](?:19|20)[0-9]{2})(?![0-9])"
)


def _exempt(s: str, m: re.Match) -> bool:
    """The documented exemptions: dates, outline numbers, 「（3）」, 每一/少一, 十分 (very)."""
    before, after = s[: m.start()], s[m.end() :]
    for d in _DATES.finditer(s):
        if (
            d.start() <= m.start()
            and m.end() <= d.end()
            and (find_date(d.group(0)) or "-" in d.group(0)[4:5] and len(d.group(0)) == 9)
        ):
            return True
    if (not before or before[-1] in "\n;。:,") and after[:1] in (".", "、", ")"):
        return True
    if before.endswith("(") and after.startswith(")"):
        return True
    if m.group(0) in ("一", "1") and before[-1:] in ("每", "少"):
        return True
    return (
        m.group(0).endswith("十")
        and after.startswith("分")
        and re.match("分[\u4e00-\u9fff]", after) is not None
        and after[1:2] not in "之以钟为"
    )


def _value(text: str) -> float:
    if text[0].isdigit():
        return float(text)
    return float(cn_to_int(text))


@SETTINGS
@given(st.text(max_size=300))
def test_any_string_never_raises(text):
    req = parse_requirement(text)
    json.dumps(req.to_dict(), ensure_ascii=False)
    assert req.needs_review == bool(req.unparsed)
    assert not any("解析出错" in u for u in req.unparsed)
    assert set(req.summary) == {
        "min_images",
        "min_groups",
        "per_group_min_images",
        "min_documents",
        "annotations",
    }
    for r in req.rules_of("points"):
        assert all(0 <= i < len(req.rules) for i in r["covers"])


@SETTINGS
@given(requirement_like())
@example("照片一并")  # a numeral that meets a word and makes an idiom (一并) is no number
def test_every_number_is_used_or_reported(text):
    req = parse_requirement(text)
    assert not any("解析出错" in u for u in req.unparsed)
    used = _numbers(req.rules)
    # the parser's documented list of numerals that are not quantities (一并, 第一, 十分…)
    s = mask_exempt(clean(text))
    for m in _RUN.finditer(s):
        if _exempt(s, m):
            continue
        v = _value(m.group(0))
        in_rule = any(abs(v - abs(u)) <= 1 for u in used)  # 「-3分」 is 3 points off
        in_unparsed = any(m.group(0) in u for u in req.unparsed)
        assert in_rule or in_unparsed, (
            s,
            m.group(0),
            [r.to_dict() for r in req.rules],
            req.unparsed,
        )
        if not in_rule:
            assert req.needs_review


BODIES = [
    "上传活动照片不少于3张",
    "上传情况说明",
    "上传现场图片（不少于2张，注明具体位置）",
    "扣2分",
]
PREFIXES = st.one_of(
    st.integers(1990, 2099).map(lambda y: f"{y}年"),
    st.integers(1990, 2097).map(lambda y: f"{y}-{y + 2}年度"),
    st.integers(1, 20).map(lambda n: f"{n}."),
    st.integers(1, 20).map(lambda n: f"（{n}）"),
    st.integers(1, 9).map(lambda n: f"{cn_numeral(n)}、"),
    st.sampled_from(["统一", "一次性", "一些", "一致", "进一步"]),
)


def _sig(req) -> list:
    return [{k: v for k, v in r.to_dict().items() if k != "source"} for r in req.rules]


@SETTINGS
@given(PREFIXES, st.sampled_from(BODIES))
def test_dates_outline_numbers_and_idioms_are_not_counts(prefix, body):
    alone = parse_requirement(body)
    both = parse_requirement(prefix + body)
    assert both.unparsed == []
    assert _sig(both) == _sig(alone)


@SETTINGS
@given(
    st.text(
        alphabet="上传照片不少于张次每类活动注明时间（）、，。0123456789一二三十 ", max_size=10_000
    )
)
def test_long_inputs_parse(text):
    req = parse_requirement(text)
    assert req.needs_review == bool(req.unparsed)
