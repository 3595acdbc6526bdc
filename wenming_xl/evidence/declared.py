"""Turn a ledger sheet's rows into evidence: declared counts here, file rows handed back.

A row without a file path declares its 数量 (DESIGN §4.2): it becomes one declared
`Evidence` — one activity (group) of its item, annotated by its 日期/地点/主题 — and is
counted as the department wrote it. Departments fill ledgers of thousands of such rows,
so this runs once per row with no object beyond the `Evidence` and its `Location`;
the `declared-only` notes of an item fold into one `findings.DeclaredFold` per sheet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Any, Callable, Optional

from wenming_xl import findings as F
from wenming_xl.evidence.ledger import LedgerSheet, count_problem, kind_of_type, where_prefix
from wenming_xl.model import IMAGE, Evidence, Finding, Item, Location

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

    The declared rows are built column by column (a ledger may hold 20,000 of them);
    only the rows with something to say are then visited one by one, in row order.
    """
    values = sheet.values
    item_of = {raw: match(raw) for raw in dict.fromkeys(sheet.items)}
    unknown = (
        {i for i, raw in enumerate(sheet.items) if item_of[raw] is None}
        if None in item_of.values()
        else set()
    )
    links: dict[int, str] = {}  # declared row → its first web link
    local: dict[int, list[str]] = {}  # row naming local files → those paths
    for i, paths in enumerate(values["paths"]):
        if paths and i not in unknown:
            web, files = split_links(list(paths))
            if files:
                local[i] = files
            elif web:
                links[i] = web[0]
    if unknown or local:
        keep = [i for i in range(len(sheet)) if i not in unknown and i not in local]

        def pick(column: list[Any]) -> list[Any]:
            return [column[i] for i in keep]

    else:
        keep, pick = range(len(sheet)), list
    rows = pick(sheet.numbers)
    items = [item_of[raw] for raw in pick(sheet.items)]
    counts = pick(values["count"])
    evs = _declared(sheet, tag, rows, items, counts, [links.get(i) for i in keep], pick)
    evidence.extend(evs)

    # Rows with a note: unknown 条目, files named, no 数量, the first counted row of
    # each item (its fold), a photo dated outside the period.
    place = {i: j for j, i in enumerate(keep)} if unknown or local else None
    outside = (
        {j for j, ev in enumerate(evs) if ev.date is not None and ev.date not in period}
        if period is not None
        else set()
    )
    linked = {place[i] if place is not None else i for i in links}
    folds: dict[Any, list[int]] = {}  # item number → positions of its counted rows
    for j, (item, n) in enumerate(zip(items, counts)):
        if j in linked:
            continue  # a web link is said as such, not as 「没有附文件路径」
        if n is not None and j not in outside:  # a row outside the period is not counted
            at = folds.get(item.no)
            if at is None:
                folds[item.no] = [j]
            else:
                at.append(j)
    first = {at[0]: no for no, at in folds.items()}
    no_count = {j for j, n in enumerate(counts) if n is None and j not in outside | linked}
    marked = [keep[j] for j in (*first, *no_count, *outside, *linked)]
    where_head = where_prefix(sheet.file, sheet.sheet)
    depts = values["department"]
    for i in sorted({*unknown, *local, *marked}):
        r = sheet.numbers[i]
        where = f"{where_head}{r}行"
        if i in unknown:
            raw = sheet.items[i]
            loc = Location(sheet.file, sheet.sheet, f"{sheet.item_column}{r}")
            raw = "（空）" if raw is None else raw
            notes.append(
                F.make("unknown-item", typed=raw, location=loc, where=where, department=depts[i])
            )
            continue
        if i in local:
            on_files(i, item_of[sheet.items[i]], local[i])
            continue
        j = i if place is None else place[i]
        ev = evs[j]
        if j in linked:
            n = counts[j]
            count = f"按台账填报的数量{n}计入" if n is not None else "台账也没有填写数量，按0计入"
            notes.append(
                F.make(
                    "path-is-link",
                    link=links[i],
                    count=count,
                    where=where,
                    item=ev.item_no,
                    department=ev.department,
                    location=ev.location,
                )  # fmt: skip
            )
        if j in no_count:
            notes.append(_no_count(values["count_text"][i], ev, where))
        elif j in first:
            at = folds[first[j]]
            folded = [rows[k] for k in at]
            total = sum(counts[k] or 0 for k in at)
            notes.append(
                F.DeclaredFold(ev.item_no, ev.department, ev.location, where, folded, total)
            )
        if j in outside:
            ev.counted = False
            notes.append(_outside(ev, period, where))


def _declared(
    sheet: LedgerSheet,
    tag: str,
    rows: list[int],
    items: list[Item],
    counts: list[Optional[int]],
    paths: list[Optional[str]],
    pick: Callable[[list[Any]], list[Any]],
) -> list[Evidence]:
    """The `Evidence` of a sheet's declared rows, one column at a time."""
    values = sheet.values
    file, name, col, header = sheet.file, sheet.sheet, sheet.item_column, sheet.count_header
    dates, date_texts = pick(values["date"]), pick(values["date_text"])
    places, themes, types = pick(values["place"]), pick(values["theme"]), pick(values["type_text"])
    kind_of = {t: kind_of_type(t, header) for t in dict.fromkeys(types)}
    kinds = [kind_of[t] for t in types]
    # 日期 地点 主题 name the activity; a date the reader could not read stays in the words.
    distinct = dict.fromkeys(dates)
    iso = {d: d.isoformat() for d in distinct if d is not None}
    words = [f"{p} {t}" if p and t else p or t for p, t in zip(places, themes)]
    labels = [
        (f"{iso[d]} {w}" if w else iso[d]) if d is not None else (f"{x} {w}" if x and w else x or w)
        for d, x, w in zip(dates, date_texts, words)
    ]
    if None in distinct:  # an undated row's annotation is its label
        words = [w if d is not None else label for d, w, label in zip(dates, words, labels)]
    if "" in labels:
        where_head = where_prefix(file, name)
        labels = [label or f"{where_head}{r}行" for label, r in zip(labels, rows)]
    new_location = tuple.__new__  # `Location` is a NamedTuple: skip its Python-level __new__
    # Positional, in `Evidence`'s field order: item_no, kind, path, group, group_name,
    # group_date, annotation, date, declared, count, object, department, location.
    return list(
        map(
            Evidence,
            [item.no for item in items],
            kinds,
            paths,
            [f"ledger:{tag}:{r}" for r in rows],
            labels,
            dates,
            words,
            [d if k == IMAGE else None for d, k in zip(dates, kinds)],
            itertools.repeat(True),
            [n or 0 for n in counts],
            [t or None for t in types],
            pick(values["department"]),
            [new_location(Location, (file, name, f"{col}{r}")) for r in rows],
        )
    )


def _no_count(value: Optional[str], ev: Evidence, where: str) -> Finding:
    text = (value or "").strip()
    return F.make(
        "declared-no-count",
        value=text,
        what=count_problem(text),
        item=ev.item_no,
        where=where,
        department=ev.department,
        location=ev.location,
    )


def _outside(ev: Evidence, period: Any, where: str) -> Finding:
    assert ev.date is not None
    return F.make(
        "after-month" if period.later(ev.date) else "outside-period",
        path=where,
        source="活动日期",
        date=ev.date.isoformat(),
        period=period.label,
        end=period.end.isoformat(),
        item=ev.item_no,
        department=ev.department,
        location=ev.location,
    )


_ROW_OF_CELL = re.compile(r"(\d+)$")


def foreign_rows(
    claims: Iterable[tuple[Any, Optional[str], Optional[Location]]], leads: dict[str, list[str]]
) -> list[Finding]:
    """Ledger rows a department filled for an item it does not lead: one finding each sheet.

    ``claims`` are ``(item number, department, 条目 cell)`` of every ledger row that
    counted (declared, or naming files); ``leads`` gives each item number's departments.
    A row whose 部门 names none of them (工会 typing 32 for 21) still counts, but both the
    department that wrote it and the item's own departments are told: the finding names
    the writing department and the item.
    """
    verdict: dict[tuple[str, str], bool] = {}
    #: (file, sheet, item, department) → (item number, its rows in order, each once)
    groups: dict[tuple[str, str, str, str], tuple[Any, dict[int, None]]] = {}
    for item_no, dep, loc in claims:
        if not dep or loc is None or not loc.sheet:
            continue
        key = (str(item_no), dep)
        own = verdict.get(key)
        if own is None:
            names = [n for n in leads.get(key[0], ()) if n]
            own = verdict[key] = not names or any(dep in n or n in dep for n in names)
        if not own:
            _no, rows = groups.setdefault((loc.path, loc.sheet, *key), (item_no, {}))
            m = _ROW_OF_CELL.search(loc.cell or "")
            if m:
                rows[int(m.group(1))] = None
    out = []
    for (path, sheet, no, dep), (item_no, rows) in groups.items():
        shown = "、".join(str(r) for r in list(rows)[:10])
        shown += f"等{len(rows)}行" if len(rows) > 10 else "行"
        out.append(
            F.make(
                "not-own-item",
                item=item_no,
                department=dep,
                where=f"{where_prefix(path, sheet)}{shown}",
                writer=dep,
                leads="、".join(leads.get(no, ())),
                rows=len(rows),
                location=Location(path, sheet),
            )
        )
    return out
