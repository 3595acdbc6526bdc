"""Frequencies (「每月召开支委会1次」) as counts over the assessment period, and activity names.

A frequency is a count per stretch of time; what the checker needs is the count over the
assessment period: 每月1次 over 2022 is 12, over 2022-01..2022-06 it is 6, 每年4次 over a
year is 4. Where the period is not known the count is taken over one year (task tables are
annual) and, unless the frequency is yearly, a person is asked to confirm it; where the
count over the period is not a whole number (每两年1次 over one year) it is rounded up and
a person is asked too. Each kind of activity keeps its own count (三会一课 is four counts,
never their sum), named from the words around it: 「每月召开支委会1次」 → 支委会.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any, Optional

from wenming_xl.rules.lexicon import FILL, Number, State, value_of

#: 「每月」, 「每两年」, 「每个季度」, 「全年」: a stretch of time a count is given for.
PERIOD = (
    "(?P<period>每(?:[一1]|(?P<pn>[两二三四五六2-6]))?个?(?P<pu>年度?|季度?|半年|月|周|天|日|学期)"
    "|全年|(?<![一1])年度内)"
)
_MONTHS = {"年": 12, "年度": 12, "季": 3, "季度": 3, "半年": 6, "学期": 6, "月": 1}
_WORDS = {"年度": "年", "季": "季度"}
_STOPS = ",;。\n、:"

#: Where an activity's name ends (「支委会」, 「集中学习」, 「专题研讨」, 「党员轮训」).
ACTIVITY_TAIL = re.compile(
    "(?:会|课|学习|研讨|交流|培训|轮训|活动|讲座|宣讲|比赛|竞赛|演练|调研|座谈|论坛|评议|督查|检查|"
    "巡查|义诊|慰问|走访|研究|讨论|团日|党日|服务|演出|展览|仪式)$"
)
_LEADING_VERB = re.compile("^(?:召开|开展|组织|举办|举行|进行|参加|参与|安排|开|上|讲)+")
_HAN_RUN = re.compile("[\u4e00-\u9fff]{2,10}")
_TRIM_WORDS = re.compile("^(?:定期|至少|不少于|不低于|原则上|应|须|需|要|均|各|都)+")


def find_period(st: State, buf: str, start: int, lo: int) -> Optional[re.Match]:
    """The frequency word before a count at `start` in its own clause (not before `lo`)."""
    a = max([lo] + [st.s.rfind(c, lo, start) + 1 for c in _STOPS])
    found = None
    for m in _PERIOD_RX.finditer(buf, a, start):
        found = m
    return found


_PERIOD_RX = re.compile(PERIOD)


def period_of(m: re.Match) -> tuple[int, str]:
    """(every, unit) of a frequency word: 「每两年」 → (2, 年), 「全年」 → (1, 年)."""
    if m.group("pu") is None:
        return 1, "年"
    every = value_of(m.group("pn")) if m.group("pn") else 1
    unit = _WORDS.get(m.group("pu"), m.group("pu"))
    return int(every or 1), unit


def over_period(
    times: Number, every: int, unit: str, months: Optional[int], word: str = "次"
) -> tuple[Number, Optional[str]]:
    """A count per period turned into the count over the assessment period, and the doubt."""
    span = months or 12
    if unit == "周":
        per_period = Fraction(span * 52, 12) / every
    elif unit in _MONTHS:
        per_period = Fraction(span, _MONTHS[unit] * every)
    else:  # 每天, 每日: the number of days is not known from months
        return times, f"每{unit}的次数无法换算成考核期内的总数，须确认应有多少"
    total = Fraction(times) * per_period
    whole = math.ceil(total)
    every_word = f"每{every if every > 1 else ''}{unit}"
    if total != whole:
        return whole, f"{every_word}{_n(times)}{word}在考核期内不是整数，按{whole}{word}计"
    if months is None and not (unit == "年" and every == 1):
        return whole, f"考核期未知，按一年计为{whole}{word}"
    return whole, None


def _n(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def activity_name(st: State, buf: str, num_end: int, start: int, lo: int) -> Optional[str]:
    """The kind of activity a count of times is for, from the words around it.

    After the count (「1次专题研讨」), between the frequency and the count (「每月召开支委会
    1次」), or before the frequency (「支委会每月一次」); None when none reads as an activity.
    """
    after = _HAN_RUN.match(buf, num_end)
    if after:
        cand = _activity(after.group(0))
        if cand:
            return cand
    a = max([lo] + [st.s.rfind(c, lo, start) + 1 for c in _STOPS])
    before = buf[a:start]
    found = list(_PERIOD_RX.finditer(before))
    p = found[-1] if found else None
    pieces = [before[p.end() :], before[: p.start()]] if p else [before]
    for piece in pieces:
        piece = piece.replace(FILL, "")
        runs = _HAN_RUN.findall(piece)
        if runs:
            cand = _activity(runs[-1])
            if cand:
                return cand
    return None


def _activity(text: str) -> Optional[str]:
    text = _TRIM_WORDS.sub("", _LEADING_VERB.sub("", text))
    for end in range(len(text), 1, -1):
        head = _LEADING_VERB.sub("", text[:end])
        if 2 <= len(head) <= 8 and ACTIVITY_TAIL.search(head):
            return head
    return None
