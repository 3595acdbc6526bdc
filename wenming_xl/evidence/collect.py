"""Collect the evidence: an evidence folder and 佐证台账 ledgers, merged into one list.

DESIGN §4.2–4.3: item folders begin with the item number; any subfolder of an item
folder is one activity (group) whose name is its annotation; ledger rows either point
at files/folders (counted from the files) or declare a 数量. Files are typed by their
bytes, dated by EXIF (else the group date), de-duplicated across the whole tree and
checked against the assessment `Period`. Paths never escape the evidence root or the
ledger's own folder.
"""

from __future__ import annotations

import functools
import itertools
import operator
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Callable, Optional, Union

from wenming_xl import findings as F
from wenming_xl.errors import EvidenceError
from wenming_xl.evidence.alike import ScannedFiles, near_duplicates
from wenming_xl.evidence.declared import foreign_rows, sheet_evidence
from wenming_xl.evidence.kinds import IMAGE_EXTS, FactsCache, probe_many
from wenming_xl.evidence.ledger import (
    LedgerRow,
    fill_owner,
    looks_like_copy,
    owner_of,
    read_ledger,
    settle_dates,
    sheet_fingerprint,
)
from wenming_xl.evidence.loader import LedgerError, SheetLoader
from wenming_xl.evidence.paths import (
    Root,
    ledger_files,
    norm_path,
    rel_to_roots,
    resolve_path,
    within,
)
from wenming_xl.evidence.period import Period, parse_period
from wenming_xl.evidence.tree import (
    File,
    Group,
    ItemIndex,
    Scan,
    leading_number,  # noqa: F401  (part of this module's API)
    name_annotation,
    scan_kits,
    scan_tree,
    unlisted_notes,
    walk_files,
)
from wenming_xl.model import IMAGE, OTHER, Evidence, Finding, Item, Location
from wenming_xl.text import find_date, natural_key

PathLike = Union[str, "os.PathLike[str]"]


# --------------------------------------------------------------------------- ledgers


def _apply_files(
    scan: Scan, row: LedgerRow, item: Item, local: list[str], key: str, roots: list[Root]
) -> None:
    """Count the files a ledger row names (its paths resolved inside ``roots``)."""
    label, ann = row.label or row.where, row.annotation
    group = Group(key, label, row.date, ann, row.department, date_source="台账日期")
    ctx = {"where": row.where, "department": row.department}
    for text in local:
        status, found = resolve_path(text, roots)
        if status == "ok" and found is not None:
            _claim(scan, row, item, group, found, roots)
        else:
            code = "path-outside-root" if status == "outside" else "ledger-path-missing"
            scan.findings.append(
                F.make(code, path=text, location=row.path_location, item=item.no, **ctx)
            )


def _claim(
    scan: Scan, row: LedgerRow, item: Item, group: Group, target: str, roots: list[Root]
) -> None:
    """Count the files at a ledger path for the row (merging with files the tree already has)."""
    target_real = norm_path(os.path.realpath(target))
    rel_roots = ([scan.root] if scan.root else []) + roots
    if os.path.isdir(target):
        rel_top = rel_to_roots(target, rel_roots)
        files = list(walk_files(scan, target, rel_top, roots))
    else:
        files = [(target, target_real, rel_to_roots(target, rel_roots))]
    obj = row.type_text or None
    for path, real, rel in files:
        known = scan.by_real.get(real)
        if known is None:
            f = File(path, real, rel, item, group, obj, row.department, Location(rel))
            f.listed = True
            scan.add(f)
            continue
        known.listed = True
        known.department = known.department or row.department
        known.object = known.object or obj
        if known.group is None:
            known.group = group
        elif known.group.folder and (
            target_real == real or within(target_real, known.group.folder)
        ):
            known.group.absorb(row)


def _read_ledgers(
    scan: Scan,
    books: list[tuple[str, str]],
    period: Optional[Period],
    loader: Optional[SheetLoader] = None,
) -> None:
    names = [os.path.basename(p) for p, _o in books]
    # A second copy of a ledger (「…- 副本.xlsx」, 「…(1).xlsx」) is read after its original,
    # and a sheet whose rows another file already gave is reported, not counted again.
    if len(books) > 1:
        books = sorted(books, key=lambda b: looks_like_copy(b[0]))
    seen: dict[str, str] = {}
    known = {d for it in scan.index.items for d in it.departments}
    for path, origin in books:
        label = os.path.basename(path) if names.count(os.path.basename(path)) == 1 else path
        owner = owner_of(path, known) if origin != "book" else None
        try:
            sheets = read_ledger(path, named_only=origin == "book", loader=loader)
        except LedgerError as exc:
            if origin == "file":
                raise
            if origin == "book":
                continue  # the task workbook's own problems are the rubric reader's to report
            reason = f"{exc.reason}；{exc.hint}" if exc.hint else exc.reason
            scan.findings.append(
                F.make(
                    "unreadable-file",
                    path=path,
                    reason=reason,
                    location=Location(path),
                    department=owner,
                )
            )
            continue
        if not sheets:
            if origin != "book":
                scan.findings.append(
                    F.make("ledger-not-found", path=path, location=Location(path), department=owner)
                )
            continue
        folder = os.path.dirname(os.path.abspath(path))
        roots = [(folder, os.path.realpath(folder))] + ([scan.root] if scan.root else [])
        for sheet in sheets:
            tag = label if len(sheets) == 1 else f"{label}!{sheet.sheet}"
            fill_owner(sheet, owner)
            if len(books) > 1:
                key = sheet_fingerprint(sheet)
                if key is not None and key in seen:
                    scan.findings.append(
                        F.make(
                            "ledger-copy",
                            path=tag,
                            original=seen[key],
                            rows=len(sheet),
                            location=Location(path, sheet.sheet),
                            department=owner or _only(sheet.values["department"]),
                        )
                    )
                    continue
                if key is not None:
                    seen[key] = tag
            scan.findings.extend(settle_dates(sheet, period, scan.index.match))

            on_files = functools.partial(_files_of_row, scan, sheet, tag, roots)
            sheet_evidence(
                sheet,
                tag,
                scan.index.match,
                on_files,
                period,
                evidence=scan.declared,
                notes=scan.findings,
            )


def _only(values: list[Any]) -> Optional[str]:
    """The one department every row of a sheet names, or None."""
    found = set(values)
    return found.pop() if len(found) == 1 else None


def _files_of_row(
    scan: Scan, sheet: Any, tag: str, roots: list[Root], i: int, item: Item, local: list[str]
) -> None:
    """`declared.sheet_evidence`'s ``on_files``: count the files row ``i`` names."""
    row = sheet.row(i)
    _apply_files(scan, row, item, local, f"ledger:{tag}:{row.row}", roots)


# --------------------------------------------------------------------------- the whole run


def collect_evidence(
    items: list[Item],
    *,
    evidence_dir: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    workbook: Optional[PathLike] = None,
    period: Union[None, str, Period] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    workers: Optional[int] = None,
    cache: Optional[FactsCache] = None,
    loader: Optional[SheetLoader] = None,
) -> tuple[list[Evidence], list[Finding]]:
    """Read the evidence folder and every ledger; return all `Evidence` and this stage's findings.

    ``workbook`` is the task workbook (its own 佐证台账 sheet is a ledger); ``ledgers``
    are department ledger workbooks and ``ledger_dir`` a folder of them. Every piece of
    evidence is returned, also those not counted (``counted=False``: duplicates, outside
    ``period``, not an image, empty or unreadable); the findings say which file and why.
    ``progress(done, total)`` follows the file probe; ``workers`` sizes its process pool;
    ``cache`` (see `filekinds.FactsCache`) skips files unchanged since an earlier run.
    ``loader`` (a `ledger.SheetLoader` started on `ledger_paths.ledger_files`' list) hands
    over ledger sheets already parsed in the background.
    """
    if period is not None and not isinstance(period, Period):
        period = parse_period(period)
    scan = Scan(ItemIndex(items))
    books = ledger_files(workbook, ledgers, ledger_dir)
    scan.ignore = {norm_path(os.path.realpath(p)) for p, _o in books}
    if evidence_dir is not None:
        root = Path(evidence_dir)
        if not root.is_dir():
            what = "不是文件夹" if root.exists() else "不存在"
            raise EvidenceError(
                f"佐证材料文件夹 {root} {what}。",
                path=str(root),
                hint="请用 --evidence 指定存放佐证材料的文件夹（其中按条目编号分文件夹，如「03 …」）。",
            )
        scan.root = (os.path.abspath(root), os.path.realpath(root))
        scan_tree(scan)
    if ledger_dir is not None:
        scan_kits(scan, ledger_dir)
    _read_ledgers(scan, books, period, loader)
    scan.findings.extend(unlisted_notes(scan))
    evidence, file_findings = _build(scan, period, workers, progress, cache)
    evidence.extend(scan.declared)
    leads = {str(it.no): list(it.departments) for it in scan.index.items}
    scan.findings.extend(foreign_rows(evidence, leads))
    return _in_item_order(evidence, scan.index), F.merge_declared(scan.findings) + file_findings


def _in_item_order(evidence: list[Evidence], index: ItemIndex) -> list[Evidence]:
    """The evidence stably sorted by item (table order), a run of one item at a time.

    Thousands of ledger rows share a few dozen items: runs of one item number go into
    its bucket, then the buckets are joined in item order.
    """
    buckets: dict[Any, list[Evidence]] = {}
    for no, run in itertools.groupby(evidence, key=operator.attrgetter("item_no")):
        same = buckets.get(no)
        if same is None:
            buckets[no] = list(run)
        else:
            same.extend(run)
    if len(buckets) == 1:
        return evidence
    ranks = {no: index.rank(no) for no in buckets}
    if len(set(ranks.values())) < len(ranks):  # 3 and "3": a plain stable sort keeps them mixed
        return sorted(evidence, key=lambda e: ranks[e.item_no])
    out: list[Evidence] = []
    for no in sorted(buckets, key=ranks.__getitem__):
        out.extend(buckets[no])
    return out


def _annotation(group: str, rel: str) -> str:
    """A file's annotation: its group's, then what its own name adds (「门诊楼大厅.jpg」)."""
    own = name_annotation(rel.rsplit("/", 1)[-1])
    if not own or own in group:
        return group
    return f"{group} {own}" if group else own


def _build(
    scan: Scan,
    period: Optional[Period],
    workers: Optional[int],
    progress: Optional[Callable[[int, int], Any]],
    cache: Optional[FactsCache],
) -> tuple[list[Evidence], list[Finding]]:
    """Probe every file and decide what counts: the file-level findings, in file order."""
    files = sorted(scan.files, key=lambda f: (scan.index.rank(f.item.no), natural_key(f.rel)))
    facts = probe_many([f.path for f in files], workers=workers, progress=progress, cache=cache)
    evs: list[Evidence] = []
    notes: list[list[Finding]] = [[] for _ in files]

    def note(i: int, code: str, **params: Any) -> None:
        ev = evs[i]
        notes[i].append(
            F.make(code, item=ev.item_no, department=ev.department, location=ev.location, **params)
        )

    for i, (f, fx) in enumerate(zip(files, facts)):
        g = f.group
        ext = os.path.splitext(f.rel)[1].lower()
        ev = Evidence(
            item_no=f.item.no,
            kind=fx.kind,
            path=f.rel,
            group=g.key if g else None,
            group_name=g.name if g else None,
            group_date=g.date if g else None,
            annotation=_annotation(g.annotation if g else "", f.rel),
            object=f.object or ext.lstrip(".") or None,
            department=f.department or (g.department if g else None),
            location=f.location,
            size=fx.size,
            source=f.path,
        )
        evs.append(ev)
        if fx.error:
            ev.counted = False
            note(i, "unreadable-file", path=f.rel, reason=fx.error)
        elif fx.size == 0:
            ev.counted, ev.kind = False, OTHER
            note(i, "empty-file", path=f.rel)
        elif ext in IMAGE_EXTS and fx.kind != IMAGE:
            ev.counted = False
            note(i, "not-an-image", path=f.rel, actual=fx.label)
        if ev.kind == IMAGE:
            ev.date = fx.exif_date or ev.group_date or find_date(ev.annotation)

    live = [i for i, ev in enumerate(evs) if ev.counted]
    scanned = ScannedFiles([f.path for f in files], facts, cache)
    for dup in scanned.exact_sets(live):
        first = evs[live[dup[0]]]
        for j in dup[1:]:
            ev = evs[live[j]]
            ev.counted, ev.duplicate_of = False, first.path
            note(live[j], "duplicate-image", path=ev.path, original=first.path)

    photos = []  # counted photos in the period, in file order
    for i, ev in enumerate(evs):
        fx = facts[i]
        if not ev.counted or ev.kind != IMAGE:
            continue
        if period is not None and ev.date is not None and ev.date not in period:
            ev.counted = False
            g = files[i].group
            source = "拍摄日期" if fx.exif_date else (g.date_source if g else "日期")
            note(
                i,
                "after-month" if period.later(ev.date) else "outside-period",
                path=ev.path,
                source=source,
                date=ev.date.isoformat(),
                period=period.label,
                end=period.end.isoformat(),
            )
            continue
        if fx.no_decoder:
            note(i, "heic-no-decoder", path=ev.path)
        photos.append(i)
    for i, similar in sorted(near_duplicates(scanned, photos).items()):
        ev = evs[i]
        ev.near_duplicate_of = evs[similar].path
        note(i, "near-duplicate-image", path=ev.path, original=evs[similar].path)
    return evs, [f for group in notes for f in group]
