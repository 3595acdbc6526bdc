"""Department contacts: a 通讯录 sheet in the workbook and ``[departments]`` of wenming.toml.

The sheet's columns are found by their header words (部门/科室, 负责人/联系人,
邮箱/电子邮件/Email, 抄送), anywhere in its first rows. Where both sources name a
department, ``wenming.toml`` wins field by field; blanks there are filled from the sheet.
Several addresses in one cell (separated by ; , 、 or spaces) are all kept.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional, Union

from wenming_xl.config import Contact, Profile
from wenming_xl.errors import WorkbookError
from wenming_xl.text import normalize, squash

#: Sheet names that hold contacts (matched after removing spaces).
SHEET_WORDS = ("通讯录", "联系人", "联系方式", "邮箱")

#: Header roles, checked in this order so that 「部门负责人」 is a head and 「抄送邮箱」 a cc.
HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("cc", ("抄送",)),
    ("email", ("邮箱", "电子邮件", "邮件地址", "email", "e-mail", "mail")),
    ("head", ("负责人", "联系人", "姓名", "主任", "科长")),
    ("department", ("部门", "科室", "处室", "单位", "支部")),
]

_SPLIT = re.compile(r"[;,；，、\s]+")
_HEADER_SCAN_ROWS = 15


def split_addresses(text: Any) -> list[str]:
    """The addresses written in one cell: NFKC (＠ → @), ``mailto:`` removed, split on ; , 、 spaces."""
    s = normalize(text).strip()
    if not s:
        return []
    out = []
    for part in _SPLIT.split(s):
        part = re.sub(r"^mailto:", "", part.strip(), flags=re.IGNORECASE)
        if part:
            out.append(part)
    return out


def department_key(name: str) -> str:
    """The form department names are compared in (NFKC, no white space)."""
    return squash(name)


def find_contact(contacts: dict[str, Contact], department: str) -> Optional[Contact]:
    """The contact of a department: by exact name, else by name without spaces/width."""
    if department in contacts:
        return contacts[department]
    key = department_key(department)
    for name, contact in contacts.items():
        if department_key(name) == key:
            return contact
    return None


def _role(cell: Any) -> Optional[str]:
    word = squash(cell).lower()
    if not word or len(word) > 12:
        return None
    for role, words in HEADER_WORDS:
        if any(w in word for w in words):
            return role
    return None


def _find_header(rows: list[list[Any]]) -> Optional[tuple[int, dict[str, int]]]:
    """The first row naming both a department and an email column: (row index, role → col)."""
    for r, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        cols: dict[str, int] = {}
        for c, cell in enumerate(row):
            role = _role(cell)
            if role and role not in cols:
                cols[role] = c
        if "department" in cols and "email" in cols:
            return r, cols
    return None


def _cell(row: list[Any], col: Optional[int]) -> Any:
    if col is None or col >= len(row):
        return ""
    value = row[col]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def read_contact_rows(rows: list[list[Any]]) -> dict[str, Contact]:
    """Contacts from a sheet's rows (header found by its words); empty if there is none."""
    found = _find_header(rows)
    if found is None:
        return {}
    start, cols = found
    out: dict[str, Contact] = {}
    for row in rows[start + 1 :]:
        name = re.sub(r"\s+", " ", normalize(_cell(row, cols["department"]))).strip()
        if not name:
            continue
        addresses = split_addresses(_cell(row, cols["email"]))
        contact = out.setdefault(name, Contact(department=name))
        if addresses:
            merged = split_addresses(contact.email) + [
                a for a in addresses if a not in split_addresses(contact.email)
            ]
            contact.email = ", ".join(merged)
        head = normalize(_cell(row, cols.get("head"))).strip()
        if head and not contact.head:
            contact.head = head
        for cc in split_addresses(_cell(row, cols.get("cc"))):
            if cc not in contact.cc:
                contact.cc.append(cc)
    return out


def read_sheet_contacts(workbook: Union[str, Path]) -> dict[str, Contact]:
    """Contacts from the workbook's 通讯录 sheet (read with python-calamine); {} if none."""
    from wenming_xl.files.native import open_calamine

    path = Path(workbook)
    try:
        wb = open_calamine(path)
    except Exception as exc:  # calamine raises its own error types for every format problem
        raise WorkbookError(
            f"读取通讯录时无法打开工作簿 {path}（{exc}）。",
            path=str(path),
            hint="请确认文件是 .xlsx 格式且没有设置打开密码；也可以把通讯录写在 wenming.toml 的 [departments] 中。",
        ) from exc
    try:
        names = list(wb.sheet_names)
        named = [n for n in names if any(w in squash(n) for w in SHEET_WORDS)]
        for name in named + [n for n in names if n not in named]:
            try:
                rows = wb.get_sheet_by_name(name).to_python()
            except Exception:  # a chart sheet or an unreadable sheet holds no contacts
                continue
            contacts = read_contact_rows(rows)
            if contacts:
                return contacts
    finally:
        close = getattr(wb, "close", None)  # older python-calamine has no close()
        if close is not None:
            close()
    return {}


def merge_contacts(
    sheet: dict[str, Contact], profile_contacts: dict[str, Contact]
) -> dict[str, Contact]:
    """Sheet contacts overlaid by the profile's, field by field (the profile wins)."""
    out: dict[str, Contact] = {
        name: Contact(department=c.department, head=c.head, email=c.email, cc=list(c.cc))
        for name, c in sheet.items()
    }
    for name, c in profile_contacts.items():
        base = find_contact(out, name)
        if base is None:
            out[name] = Contact(department=name, head=c.head, email=c.email, cc=list(c.cc))
            continue
        base.head = c.head or base.head
        base.email = ", ".join(split_addresses(c.email)) or base.email
        base.cc = list(c.cc) or base.cc
    return out


def load_contacts(workbook: Union[str, Path, None], profile: Profile) -> dict[str, Contact]:
    """Every department's contact, from the 通讯录 sheet of ``workbook`` and the profile."""
    sheet = read_sheet_contacts(workbook) if workbook is not None else {}
    return merge_contacts(sheet, profile.departments)
