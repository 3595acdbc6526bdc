"""Turn a ledger sheet's rows into evidence: declared counts here, file rows handed back.

A row without a file path declares its 数量 (DESIGN §4.2): it becomes one declared
`Evidence` — one activity (group) of its item, annotated by its 日期/地点/主题 — and is
counted as the department wrote it. Departments fill ledgers of thousands of such rows,
so this runs once per row with no object beyond the `Evidence` and its `Location`;
the `declared-only` notes of an item fold into one `findings.DeclaredFold` per sheet.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from . import findings as F
from .ledger import LedgerSheet, kind_of_type, where_prefix
from .model import IMAGE, Evidence, Finding, Item, Location

_WEB_RE = re.compile(r"^(https?|ftp)://", re.I)

#: ``on_files(i, item, local paths)``: a row naming files, for the caller to count them.
OnFiles = Callable[[int, Item, list[str]], None]


def split_links(paths: list[str]) -> tuple[list[str], list[str]]:
    """A row's paths → ``(web links, local paths)``."""
    links = [p for p in paths if _WEB_RE.match(p)]
    return links, [p for p in paths if p not in links]


def sheet_evidence(
    sheet: LedgerSheet,
    tag: str,
    match: Callable[[Any], Optional[Item]],
    on_files: OnFiles,
    period: Any = None,
    *,
    evidence: list[Evidence],
    notes: list[Any],
) -> None:
    """Append a ledger sheet's declared `Evidence` to ``evidence`` and its notes to ``notes``.

    ``tag`` names the sheet in group keys (``ledger:<tag>:<row>``); ``match`` finds the
    item of a 条目 value; a row naming local files goes to ``on_files`` instead. A row
    that names only web links is declared, the first link kept as its path. ``period``
    (an `evidence.Period`) leaves a photo row dated outside it uncounted. The notes are
    `Finding`s and `findings.DeclaredFold`s (see `findings.merge_declared`), in row
    order with whatever ``on_files`` adds to the same list.
    """
    values = sheet.values
    depts, dates, date_texts = values["department"], values["date"], values["date_text"]
    places, themes, types = values["place"], values["theme"], values["type_text"]
    counts, count_texts, all_paths = values["count"], values["count_text"], values["paths"]
    file, name, col, header = sheet.file, sheet.sheet, sheet.item_column, sheet.count_header
    where_head = where_prefix(file, name)
    items: dict[Any, Optional[Item]] = {}
    kinds: dict[str, str] = {}
    isos: dict[Any, str] = {}
    folds: dict[Any, F.DeclaredFold] = {}
    append, note = evidence.append, notes.append
    for i, r in enumerate(sheet.numbers):
        raw = sheet.items[i]
        item = items[raw] if raw in items else items.setdefault(raw, match(raw))
        paths = all_paths[i]
        links, local = split_links(paths) if paths else (None, None)
        loc = Location(file, name, f"{col}{r}")
        if item is None:
            raw = "（空）" if raw is None else raw
            where = f"{where_head}{r}行"
            note(F.make("unknown-item", item=raw, location=loc, where=where, department=depts[i]))
            continue
        if local:
            on_files(i, item, local)
            continue
        date, place, theme = dates[i], places[i], themes[i]
        if date is not None:
            day = isos[date] if date in isos else isos.setdefault(date, date.isoformat())
            label = " ".join(filter(None, (day, place, theme)))
            annotation = " ".join(filter(None, (place, theme)))
        else:  # a date the reader could not read stays in the words
            label = annotation = " ".join(filter(None, (date_texts[i], place, theme)))
        type_text = types[i]
        kind = kinds.get(type_text) or kinds.setdefault(type_text, kind_of_type(type_text, header))
        count = counts[i]
        no = item.no
        # Positional, in `Evidence`'s field order: item_no, kind, path, group, group_name,
        # group_date, annotation, date, declared, count, object, department, location.
        ev = Evidence(
            no,
            kind,
            links[0] if links else None,
            f"ledger:{tag}:{r}",
            label or f"{where_head}{r}行",
            date,
            annotation,
            date if kind == IMAGE else None,
            True,
            count or 0,
            type_text or None,
            depts[i],
            loc,
        )
        append(ev)
        if count is None:
            where = f"{where_head}{r}行"
            note(_no_count(count_texts[i] or "空", item, where, depts[i], loc))
        else:
            fold = folds.get(no)
            if fold is None:
                fold = folds[no] = F.DeclaredFold(no, depts[i], loc, f"{where_head}{r}行")
                note(fold)
            fold.add(r, count)
        if period is not None and ev.date is not None and ev.date not in period:
            ev.counted = False
            note(_outside(ev, period, f"{where_head}{r}行"))


def _no_count(value: str, item: Item, where: str, dept: Any, loc: Location) -> Finding:
    return F.make(
        "declared-no-count", value=value, item=item.no, where=where, department=dept, location=loc
    )


def _outside(ev: Evidence, period: Any, where: str) -> Finding:
    assert ev.date is not None
    return F.make(
        "outside-period",
        path=where,
        source="活动日期",
        date=ev.date.isoformat(),
        period=period.label,
        item=ev.item_no,
        department=ev.department,
        location=ev.location,
    )
