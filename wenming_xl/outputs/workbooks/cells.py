"""Helpers every writer uses: the one escape for user text in cells, sheet-name cleaning.

User text is written verbatim but always as a *string* cell with Excel's quote prefix
when it looks like a formula (a leading ``= + - @``), so Excel and WPS show it as text
and never evaluate it. openpyxl writers call :func:`set_text`; xlsxwriter writers call
:func:`write_text`. Both go through :func:`looks_like_formula`.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from wenming_xl.text import readable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def looks_like_formula(value: Any) -> bool:
    """True for a string a spreadsheet would read as a formula (leading = + - @ tab CR)."""
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def set_text(cell: Any, value: Any) -> None:
    """Put a value in an openpyxl cell; user strings are always stored as text, never formulas."""
    if isinstance(value, str):
        value = readable(value)
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
        ws.write_string(row, col, readable(str(value)), fmt)


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


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def xml_text(value: str) -> str:
    """Escape text for an SpreadsheetML ``<t>`` element (control characters as ``_xHHHH_``)."""
    value = _XML_ESCAPED.sub(r"_x005F_\1", readable(value))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)


def xml_attr(value: str) -> str:
    """Escape text for a double-quoted XML attribute value."""
    value = readable(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _XML_ILLEGAL.sub("", value.replace('"', "&quot;"))


def col_letter(col: int) -> str:
    """Column letters of a 1-based column number (1 → A, 28 → AB)."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    """1-based column number of column letters (A → 1, AB → 28)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n
