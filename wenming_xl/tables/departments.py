"""Splitting a department cell into department names (牵头部门 / 牵头科室 / 责任处室).

A cell may hold several names separated by newlines, 、，,/；or spaces, or run
together as in 「纪检监察室科教科」. Run-together names are split against known names
(the caller's, e.g. the table's own cells or the 通讯录, plus a built-in list of common
department names) and at name endings 室/科/办/部/处/委/会 — but a known name is never
broken (「党政综合办」, 「相关职能科」, 「护理部」, 「团委」).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from wenming_xl.text import normalize

#: Characters a department name usually ends with.
ENDINGS = "室科办部处委会"
_SEPARATORS = re.compile(r"[\n、，,/；;\s]+")
_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
#: After an ending character, these continue the same name: 办公室, 委员会, 部门, 科室, 处室.
_NO_SPLIT_AFTER = {"办": "公", "委": "员", "部": "门", "科": "室", "处": "室"}
_MAX_UNKNOWN = 5
_COST_KNOWN, _COST_ENDING, _COST_OTHER = 1.0, 2.4, 5.0


@lru_cache(maxsize=1)
def builtin_departments() -> frozenset[str]:
    """The built-in list of common department names (wenming_xl/data/departments.txt)."""
    text = resources.files("wenming_xl").joinpath("data/departments.txt").read_text("utf-8")
    names = (ln.strip() for ln in text.splitlines())
    return frozenset(n for n in names if n and not n.startswith("#"))


def _tokens(text: str) -> list[str]:
    s = _BRACKETS.sub("", normalize(text))
    return [t.strip("：:。.") for t in _SEPARATORS.split(s) if t.strip("：:。.")]


def _segment(token: str, known: frozenset[str]) -> list[str]:
    """Split one run-together token at the cheapest cut (known names first, then endings)."""
    n = len(token)
    if n <= 2 or token in known:
        return [token]

    def cost(piece: str) -> float:
        if piece in known:
            return _COST_KNOWN
        if len(piece) >= 2 and piece[-1] in ENDINGS and len(piece) <= _MAX_UNKNOWN:
            return _COST_ENDING
        return _COST_OTHER

    def cut_allowed(i: int, piece: str) -> bool:
        # 「办|公室」「委|员会」「部|门」「科|室」「处|室」 stay together unless a known name starts there
        nxt = _NO_SPLIT_AFTER.get(token[i - 1])
        return not (nxt and token[i] == nxt) or piece in known

    inf = float("inf")
    best: list[tuple[float, int]] = [(0.0, -1)] + [(inf, -1)] * n  # (cost, previous cut)
    for end in range(1, n + 1):
        for start in range(0, end):
            piece = token[start:end]
            if best[start][0] == inf or len(piece) < 2:
                continue
            if start and not cut_allowed(start, piece):
                continue
            c = best[start][0] + cost(piece)
            if c < best[end][0]:
                best[end] = (c, start)
    if best[n][0] == inf:
        return [token]
    pieces = []
    end = n
    while end > 0:
        start = best[end][1]
        pieces.append(token[start:end])
        end = start
    return pieces[::-1]


def split_names(text: object) -> list[str]:
    """Split a cell on newlines, 、，,/；and spaces only (for 分管领导 and the like)."""
    if text is None:
        return []
    out: dict[str, None] = {}
    for t in _tokens(str(text)):
        out.setdefault(t, None)
    return list(out)


def split_departments(text: object, known: Iterable[str] = ()) -> list[str]:
    """Split a department cell into names: separators first, then run-together names.

    ``known`` adds names that must be recognised (and never broken) on top of the
    built-in list. Order is kept and duplicates are dropped.
    """
    if text is None:
        return []
    names = builtin_departments() | frozenset(normalize(k).strip() for k in known if k)
    out: dict[str, None] = {}
    for token in _tokens(str(text)):
        for piece in _segment(token, names):
            out.setdefault(piece, None)
    return list(out)


_PLACEHOLDER = re.compile(r"^(?:相关|有关|其他|其它|各|全院|全体|所有|全部)")


def is_placeholder(name: str) -> bool:
    """Whether a name stands for several offices, not one: 「相关职能科」, 「各科室」, 「全院各部门」."""
    return bool(_PLACEHOLDER.match(normalize(name).strip()))


def split_placeholders(names: list[str]) -> tuple[list[str], list[str]]:
    """``(departments, placeholders)`` of a split department cell."""
    real = [n for n in names if not is_placeholder(n)]
    return real, [n for n in names if is_placeholder(n)]


def table_known_names(cells: Iterable[object], known: Iterable[str] = ()) -> set[str]:
    """Names a table's own department cells hold alone, plus ``known``.

    A short token that splits neither against the known names nor against the table's
    other tokens is taken as a name of this unit (「档案馆」), so that elsewhere
    「信息处档案馆」 splits at it. Long or splittable tokens (「纪检监察室科教科」) are not names.
    """
    user = {normalize(k).strip() for k in known if k}
    tokens = {t for cell in cells for t in split_names(cell) if len(t) <= 6}
    tokens = {t for t in tokens if len(split_departments(t, user)) == 1}
    return user | {t for t in tokens if len(split_departments(t, user | (tokens - {t}))) == 1}
