"""Helpers every writer uses: the one escape for user text in cells, sheet-name cleaning.

User text is written verbatim but always as a *string* cell with Excel's quote prefix
when it looks like a formula (a leading ``= + - @``), so Excel and WPS show it as text
and never evaluate it. openpyxl writers call :func:`set_text`; xlsxwriter writers call
:func:`write_text`. Both go through :func:`looks_like_formula`.
"""

from __future__ import annotations

import re
from typing import Any, Optional

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def looks_like_formula(value: Any) -> bool:
    """True for a string a spreadsheet would read as a formula (leading = + - @ tab CR)."""
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def set_text(cell: Any, value: Any) -> None:
    """Put a value in an openpyxl cell; user strings are always stored as text, never formulas."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True


def write_text(ws: Any, row: int, col: int, value: Any, fmt: Optional[Any] = None) -> None:
    """Write a value with xlsxwriter (0-based row/col); strings via ``write_string`` only."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def sheet_name(name: str, existing: Optional[set[str]] = None) -> str:
    """A valid, unique worksheet name: no ``[]:*?/\\``, not blank, at most 31 characters."""
    base = _BAD_SHEET.sub("_", str(name)).strip("'").strip() or "Sheet"
    base = base[:31]
    if existing is None:
        return base
    lowered = {e.lower() for e in existing}
    cand, n = base, 2
    while cand.lower() in lowered:
        suffix = f"({n})"
        cand = base[: 31 - len(suffix)] + suffix
        n += 1
    return cand
