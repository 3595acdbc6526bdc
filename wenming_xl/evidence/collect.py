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
    keep_rows,
    looks_like_copy,
    owner_of,
    read_ledger,
    row_keys,
    settle_dates,
    sheet_fingerprint,
)
from wenming_xl.evidence.loader import LedgerError, SheetLoader
from wenming_xl.evidence.paths import (
    Root,
    ledger_files,
    norm_path,
    rel_to_roots,
    relocated,
    resolve_path,
    shown_path,
    within,
)
from wenming_xl.evidence.period import Period, parse_period
from wenming_xl.evidence.tree import (
    File,
    Group,
    ItemIndex,
    Scan,
    kit_units,
    leading_number,  # noqa: F401  (part of this module's API)
    name_annotation,
    scan_kits,
    scan_tree,
    unlisted_notes,
    walk_files,
)
from wenming_xl.model import IMAGE, OTHER, Evidence, Finding, Item, Location
from wenming_xl.text import find_date, natural_key, squash

PathLike = Union[str, "os.PathLike[str]"]


# --------------------------------------------------------------------------- ledgers


def _apply_files(
    scan: Scan, row: LedgerRow, item: Item, local: list[str], key: str, roots: list[Root]
) -> None:
    """Count the files a ledger row names (its paths resolved inside ``roots``)."""
    label, ann = row.label or row.where, row.annotation
    group = Group(key, label, row.date, ann, row.department, date_source="台账日期")
    ctx = {"where": row.where, "department": row.department}
    found_files = 0
    for text in local:
        status, found = resolve_path(text, roots)
        moved = relocated(text, roots) if status == "outside" else None
        if moved is not None:
            status, (found, tail) = "ok", moved
            scan.findings.append(
                F.make(
                    "path-relocated",
                    path=shown_path(text),
                    found=tail,
                    location=row.path_location,
                    item=item.no,
                    **ctx,
                )  # fmt: skip
            )
        if status == "ok" and found is not None:
            ours, n = _claim(scan, row, item, group, found, roots)
            found_files += n
            if ours and row.department:
                scan.claims.append((item.no, row.department, row.location))
        else:
            code = _PATH_CODES.get(status, "ledger-path-missing")
            shown = shown_path(text)
            scan.findings.append(
                F.make(code, path=shown, location=row.path_location, item=item.no, **ctx)
            )

    if found_files and row.count is not None and row.count > found_files:
        # The department believes it sent 数量; the files are what counts: say the gap.
        scan.findings.append(
            F.make(
                "count-above-files",
                item=item.no,
                count=row.count,
                files=found_files,
                location=row.location,
                **ctx,
            )
        )


_PATH_CODES = {"outside": "path-outside-root", "invalid": "path-invalid"}


def _claim(
    scan: Scan, row: LedgerRow, item: Item, group: Group, target: str, roots: list[Root]
) -> bool:
    """Count the files at a ledger path for the row (merging with files the tree already has).

    A file already found in another item's folder stays that item's (the folder says
    what it is for) and the row is told so. Returns whether something counted for the row's
    item, and how many files the path holds.
    """
    ours = False
    target_real = norm_path(os.path.realpath(target))
    rel_roots = ([scan.root] if scan.root else []) + roots
    if os.path.isdir(target):
        rel_top = rel_to_roots(target, rel_roots)
        files = list(walk_files(scan, target, rel_top, roots))
    else:
        files = [(target, target_real, rel_to_roots(target, rel_roots))]
    obj = row.type_text or None
    elsewhere: dict[Any, None] = {}  # items whose folders hold files this row names
    for path, real, rel in files:
        known = scan.by_real.get(real)
        if known is None:
            f = File(path, real, rel, item, group, obj, row.department, Location(rel))
            f.listed = True
            scan.add(f)
            ours = True
            continue
        known.listed = True
        if known.item is not item:
            elsewhere[known.item.no] = None  # the folder says which item a file is for
            continue
        ours = True
        known.department = known.department or row.department
        known.object = known.object or obj
        if known.group is None:
            known.group = group
        elif known.group.folder and (
            target_real == real or within(target_real, known.group.folder)
        ):
            known.group.absorb(row)
    if elsewhere:
        scan.findings.append(
            F.make(
                "row-in-other-item-folder",
                item=item.no,
                where=row.where,
                path=rel_to_roots(target, rel_roots),
                other="、".join(f"第{no}项" for no in elsewhere),
                department=row.department,
                location=row.location,
            )
        )
    return ours, len(files)


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
    rows_seen: dict[tuple, str] = {}  # (department, row key) → the sheet that gave the row
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
                sheet = _drop_seen_rows(
                    scan, sheet, tag, owner or _only(sheet.values["department"]), rows_seen
                )
            scan.findings.extend(settle_dates(sheet, period, scan.index.match))
            if scan.kit_units:
                _implied_paths(scan, sheet)

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


#: 类型 words too general to match a file by its name.
_GENERIC = frozenset({"照片", "图片", "截图", "文件", "材料", "资料", "扫描件", "其他", "其它"})


def _implied_paths(scan: Scan, sheet: Any) -> None:
    """Give a row with no path the kit folder of the same activity as its path.

    Departments describe an activity in the ledger (日期, 地点, 主题, 数量) and put its
    photos into their kit's item folder (「2022-05-03 门诊楼 学习」) without writing the
    path. Row and folder are one activity, counted once from the files: a row of the
    department's own item whose date equals the folder's, or whose 主题 (or 类型, for a
    document) the folder's or file's name contains, takes it as its path. A row that fits
    several folders equally takes them all (its activity is among them: counting the row
    apart as well would count it twice); a row whose date differs stays as declared.
    """
    values = sheet.values
    taken: set[str] = set()
    for i, paths in enumerate(values["paths"]):
        if paths:
            continue
        item = scan.index.match(sheet.items[i])
        dep = values["department"][i]
        units = scan.kit_units.get((dep, str(item.no))) if item is not None and dep else None
        if not units:
            continue
        date, words = values["date"][i], [values["theme"][i], values["type_text"][i]]
        words = [squash(w) for w in words if w and squash(w) not in _GENERIC and len(squash(w)) > 1]
        best: list[tuple[int, str]] = []
        for key, (unit_date, name, path) in units.items():
            if key in taken or (date and unit_date and date != unit_date):
                continue
            score = (2 if date and date == unit_date else 0) + any(w in name for w in words)
            if score:
                best.append((score, key, path))
        if best:
            top = max(score for score, _k, _p in best)
            tied = [(key, path) for score, key, path in best if score == top]
            taken.update(key for key, _p in tied)
            values["paths"][i] = [path for _k, path in tied]


def _drop_seen_rows(
    scan: Scan, sheet: Any, tag: str, owner: Optional[str], rows_seen: dict[tuple, str]
) -> Any:
    """A department's rows that another of its ledgers already gave are counted once.

    A department copies its ledger (「工会-佐证台账 - 副本.xlsx」), goes on filling the
    copy and hands both in: the rows they share would count twice. They are dropped from
    the later file and told (``ledger-copy-rows``); its new rows count.
    """
    if not owner or not len(sheet):
        return sheet
    keys = row_keys(sheet)
    keep, dropped, original = [], [], None
    for i, key in enumerate(keys):
        first = rows_seen.get((owner, key))
        if first is None or first == tag:
            keep.append(i)
            rows_seen[(owner, key)] = tag
        else:
            dropped.append(sheet.numbers[i])
            original = original or first
    if not dropped:
        return sheet
    if not keep:  # every row is another file's: the whole file is a copy
        scan.findings.append(
            F.make(
                "ledger-copy",
                path=tag,
                original=original,
                rows=len(dropped),
                location=Location(sheet.file, sheet.sheet),
                department=owner,
            )  # fmt: skip
        )
        return keep_rows(sheet, keep)
    shown = "、".join(str(r) for r in dropped[:10]) + ("等" if len(dropped) > 10 else "")
    scan.findings.append(
        F.make(
            "ledger-copy-rows",
            path=tag,
            original=original,
            rows=len(dropped),
            shown=shown,
            rest=len(keep),
            location=Location(sheet.file, sheet.sheet),
            department=owner,
        )
    )
    return keep_rows(sheet, keep)


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
    skip: Iterable[PathLike] = (),
) -> tuple[list[Evidence], list[Finding]]:
    """Read the evidence folder and every ledger; return all `Evidence` and this stage's findings.

    ``workbook`` is the task workbook (its own 佐证台账 sheet is a ledger); ``ledgers``
    are department ledger workbooks and ``ledger_dir`` a folder of them. Every piece of
    evidence is returned, also those not counted (``counted=False``: duplicates, outside
    ``period``, not an image, empty or unreadable); the findings say which file and why.
    ``progress(done, total)`` follows the file probe; ``workers`` sizes its process pool;
    ``cache`` (see `filekinds.FactsCache`) skips files unchanged since an earlier run.
    ``loader`` (a `ledger.SheetLoader` started on `ledger_paths.ledger_files`' list) hands
    over ledger sheets already parsed in the background. ``skip`` names files and folders
    never read as evidence: this tool's own outputs, when the workbook sits in the folder.
    """
    if period is not None and not isinstance(period, Period):
        period = parse_period(period)
    scan = Scan(ItemIndex(items))
    books = ledger_files(workbook, ledgers, ledger_dir)
    scan.ignore = {norm_path(os.path.realpath(p)) for p, _o in books}
    scan.ignore |= {norm_path(os.path.realpath(p)) for p in skip}
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
        scan.kit_units = kit_units(scan)
    _read_ledgers(scan, books, period, loader)
    scan.findings.extend(unlisted_notes(scan))
    evidence, file_findings = _build(scan, period, workers, progress, cache)
    evidence.extend(scan.declared)
    leads = {str(it.no): list(it.departments) for it in scan.index.items}
    claims = [(ev.item_no, ev.department, ev.location) for ev in scan.declared if ev.counted]
    scan.findings.extend(foreign_rows(claims + scan.claims, leads))
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
