"""The assessment period (考核期): dated photos and ledger rows outside it are not counted.

`parse_period` reads 「2022」「2022年」「2022-01..2022-06」「2022-01-01..2022-06-30」.
"""

from __future__ import annotations

import datetime as _dt
import re
from calendar import monthrange
from dataclasses import dataclass
from typing import Optional, Union

from wenming_xl.errors import ConfigError
from wenming_xl.text import cn_date, normalize


@dataclass(frozen=True)
class Period:
    """The assessment period: dated photos outside ``start..end`` are not counted."""

    start: _dt.date
    end: _dt.date
    label: str
    #: For a month's run (`month_period`): the assessment period's own end, after ``end``.
    #: Evidence dated between the two is not wrong, only not yet due: see `later`.
    period_end: Optional[_dt.date] = None

    def __contains__(self, day: object) -> bool:
        return isinstance(day, _dt.date) and self.start <= day <= self.end

    def later(self, day: object) -> bool:
        """True for a date after the reported month but inside the assessment period."""
        return (
            self.period_end is not None
            and isinstance(day, _dt.date)
            and self.end < day <= self.period_end
        )


_RANGE_SEP = re.compile(r"\.\.|~|～|至|到|—|–|--")
_P_YEAR = re.compile(r"^((?:19|20)\d{2})年?度?$")
_P_MONTH = re.compile(r"^((?:19|20)\d{2})[-./年](\d{1,2})月?$")
_P_DAY = re.compile(r"^((?:19|20)\d{2})[-./年](\d{1,2})[-./月](\d{1,2})[日号]?$")
_P_DAY8 = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")


def _period_part(text: str) -> Optional[tuple[_dt.date, _dt.date, str]]:
    """One side of a period: its first day, last day and unit (year/month/day)."""
    try:
        m = _P_YEAR.match(text)
        if m:
            y = int(m.group(1))
            return _dt.date(y, 1, 1), _dt.date(y, 12, 31), "year"
        m = _P_MONTH.match(text)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return _dt.date(y, mo, 1), _dt.date(y, mo, monthrange(y, mo)[1]), "month"
        m = _P_DAY.match(text) or _P_DAY8.match(text)
        if m:
            d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d, "day"
    except ValueError:
        return None
    return None


def _period_label(a: _dt.date, b: _dt.date, unit: str) -> str:
    if unit == "year":
        return f"{a.year}年" if a.year == b.year else f"{a.year}年至{b.year}年"
    if unit == "month":
        left = f"{a.year}年{a.month}月"
        if (a.year, a.month) == (b.year, b.month):
            return left
        return f"{left}至{b.month}月" if a.year == b.year else f"{left}至{b.year}年{b.month}月"
    return a.isoformat() if a == b else f"{a.isoformat()}至{b.isoformat()}"


def parse_period(text: Union[str, int, Period]) -> Period:
    """「2022」「2022年」「2022-01..2022-06」「2022-01-01..2022-06-30」 → `Period`.

    Raises `ConfigError` with a Chinese message for anything else.
    """
    if isinstance(text, Period):
        return text
    raw = str(text)
    s = re.sub(r"\s+", "", normalize(raw))
    parts = [p for p in _RANGE_SEP.split(s)] if s else []
    bad = ConfigError(
        f"无法识别考核期「{raw}」。",
        hint="请写成 2022、2022年、2022-01..2022-06 或 2022-01-01..2022-06-30 这样的形式。",
    )
    if len(parts) not in (1, 2) or not all(parts):
        raise bad
    sides = [_period_part(p) for p in parts]
    if any(x is None for x in sides):
        raise bad
    first, last = sides[0], sides[-1]
    assert first is not None and last is not None
    start, end = first[0], last[1]
    if start > end:
        raise ConfigError(
            f"考核期「{raw}」的开始日期晚于结束日期。",
            hint="请把较早的日期写在前面，如 2022-01..2022-06。",
        )
    unit = first[2] if first[2] == last[2] else "day"
    return Period(start, end, _period_label(start, end, unit))


_MONTH = re.compile(r"^\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_month(text: str) -> str:
    """Normalise a month written 2022-06, 2022-6, 2022/06 or 2022年6月 to ``YYYY-MM``."""
    m = _MONTH.match(str(text or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ConfigError(
            f"月份「{text}」的格式不对。",
            hint="请写成 年-月，例如 2022-06。",
        )
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def month_label(month: str) -> str:
    """``2022-06`` → 「2022年6月」."""
    year, mon = parse_month(month).split("-")
    return f"{year}年{int(mon)}月"


def month_period(month: str, period: Union[str, int, Period, None] = None) -> Period:
    """The period a month's run counts: ``period`` (default: the month's year) up to that month's end.

    One rule for every monthly document (督查通报, 督办邮件, ``monthly``): evidence dated
    after the reported month, or outside the assessment period, is not counted, so the
    figures say what was done 「截至某月底」 and one month compares with the next.
    """
    ym = parse_month(month)
    year, mon = int(ym[:4]), int(ym[5:])
    base = parse_period(period if period else year)
    month_end = _dt.date(year, mon, monthrange(year, mon)[1])
    if base.start > month_end:
        raise ConfigError(
            f"考核期间「{base.label}」在 {month_label(ym)} 之后，这个月没有可统计的材料。",
            hint="请检查 --period 或 wenming.toml 中的 period，或改用考核期间内的 --month。",
        )
    if base.end <= month_end:
        return base
    return Period(base.start, month_end, f"{base.label}（截至{month_label(ym)}底）", base.end)


_TITLE_YEAR = re.compile(r"(20\d{2})\s*年")

#: Where a run's assessment period came from (`resolve_period`), as the terminal says it.
SOURCES = {
    "--period": "",
    "wenming.toml": "来自 wenming.toml",
    "title": "按任务表标题中的年度",
    "--month": "按 --month 的年份",
}


def title_year(title: Optional[str]) -> Optional[int]:
    """The year a task table's title names: 「…2022年度文明单位创建…」 → 2022."""
    m = _TITLE_YEAR.search(title or "")
    return int(m.group(1)) if m else None


def resolve_period(
    period: Union[str, int, Period, None],
    profile_period: Union[str, int, None] = None,
    title: Optional[str] = None,
    month: Optional[str] = None,
) -> tuple[Optional[Period], str]:
    """The one period rule (DESIGN §4.4): the assessment period and where it came from.

    ``--period``, else wenming.toml's ``[unit] period``, else the year the task table's
    title names (「2022年度」), else the year of ``month``; a month's run counts up to
    that month's end (`month_period`). ``("", None)`` when nothing gives a period: then
    no photo is checked against a year, and the run says so.
    """
    year = title_year(title)
    for value, source in (
        (period, "--period"),
        (profile_period, "wenming.toml"),
        (year, "title"),
        (parse_month(month)[:4] if month else None, "--month"),
    ):
        if value is not None and value != "":
            base = value if isinstance(value, Period) else parse_period(value)
            return (month_period(month, base) if month else base), source
    return None, ""


#: A default deadline closer than this to the issue date is moved (a month reported late).
DEADLINE_MIN_DAYS = 7
#: ... to this many days after the issue date.
DEADLINE_GRACE_DAYS = 14


def default_deadline(month: str, issued: Optional[_dt.date] = None) -> _dt.date:
    """The 整改 deadline a month's documents give when none is set: the next month's 15th.

    When that is less than `DEADLINE_MIN_DAYS` after ``issued`` (the month is reported late,
    or the deadline has passed already), it is ``issued`` + `DEADLINE_GRACE_DAYS` instead: a
    notice never sets a deadline before or just after its own date. The bulletin and every
    department's mail and 督查清单 of one month say the same date (`settle_deadline`).
    """
    year, mon = (int(x) for x in parse_month(month).split("-"))
    due = _dt.date(year + (mon == 12), mon % 12 + 1, 15)
    if issued is not None and due < issued + _dt.timedelta(days=DEADLINE_MIN_DAYS):
        due = issued + _dt.timedelta(days=DEADLINE_GRACE_DAYS)
    return due


def settle_deadline(
    month: str, deadline: Optional[_dt.date], issued: _dt.date
) -> tuple[_dt.date, str]:
    """The deadline a run writes, and a 提示 for the user when the default had to move.

    ``deadline`` (the user's ``--deadline``) is kept as given; without it the default is
    `default_deadline` for ``issued``, and the note says why it is not the next month's 15th.
    """
    if deadline is not None:
        return deadline, ""
    due = default_deadline(month, issued)
    usual = default_deadline(month)
    if due == usual:
        return due, ""
    when = "已过" if usual < issued else f"离成文日期不足{DEADLINE_MIN_DAYS}天"
    return due, (
        f"提示：默认整改时限“下月15日”（{cn_date(usual)}）{when}，通报和邮件的整改截止日期改为"
        f"{cn_date(due)}（成文日期后{DEADLINE_GRACE_DAYS}天）；要另定日期请加 --deadline 年-月-日。"
    )


def period_months(period: Optional[Period]) -> Optional[int]:
    """The length in whole months of an assessment period (its own end for a month's run).

    None without a period, or when it does not run from a month's first day to a month's
    last day: the parser then counts frequencies over a year and says so.
    """
    if period is None:
        return None
    start, end = period.start, period.period_end or period.end
    if start.day != 1 or (end + _dt.timedelta(days=1)).day != 1:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1
