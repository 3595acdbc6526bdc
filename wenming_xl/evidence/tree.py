"""Walk the evidence trees: item folders, activity groups, and the departments' kit folders.

DESIGN §4.2: item folders begin with the item number; any subfolder of an item folder is
one activity (group) whose name is its annotation. The evidence root is one such tree;
each department's kit folder beside the ledgers (「工会-佐证材料」) is another, whose files
are that department's. Links must stay inside the tree they are found in.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from wenming_xl import findings as F
from wenming_xl.errors import EvidenceError, os_reason
from wenming_xl.evidence.ledger import LedgerRow, owner_of
from wenming_xl.evidence.paths import Root, inside_roots, norm_path
from wenming_xl.model import Evidence, Finding, Item, ItemNo, Location
from wenming_xl.text import (
    cn_to_int,
    display_name,
    find_date,
    natural_key,
    normalize,
    skipped,
    squash,
    strip_date,
)

PathLike = Union[str, "os.PathLike[str]"]

# --------------------------------------------------------------------------- items


_NO_RE = re.compile(r"^\s*[\[(【]?\s*第?\s*0*(\d{1,4})\s*项?(?!\d)(?![.．]\d)")
_CN_NO_RE = re.compile(r"^\s*第\s*([〇零一二两三四五六七八九十百]+)\s*项")


def leading_number(name: str) -> Optional[int]:
    """The item number a folder name or 条目 cell begins with: 3, 03, 第3项, 3-, 3., 第三项."""
    s = normalize(name)
    m = _NO_RE.match(s)
    if m:
        return int(m.group(1))
    m = _CN_NO_RE.match(s)
    return cn_to_int(m.group(1)) if m else None


class ItemIndex:
    """Finds the rubric item a folder name or a ledger 条目 value refers to."""

    def __init__(self, items: Iterable[Item]):
        self.items = list(items)
        self.by_int: dict[int, Item] = {}
        self.by_text: list[tuple[str, Item]] = []
        self._rank: dict[str, tuple[int, int, int]] = {}
        for idx, it in enumerate(self.items):
            key = squash(str(it.no))
            if isinstance(it.no, int) or key.isdigit():
                self.by_int.setdefault(int(key), it)
                self._rank.setdefault(str(it.no), (0, int(key), idx))
            else:
                self.by_text.append((key, it))
                self._rank.setdefault(str(it.no), (1, 0, idx))
        self.by_text.sort(key=lambda kv: -len(kv[0]))

    def rank(self, no: ItemNo) -> tuple[int, int, int]:
        """Sort key: lowest item number first, then the table's order."""
        return self._rank.get(str(no), (2, 0, 0))

    def match(self, value: Any) -> Optional[Item]:
        """The item of a folder name or 条目 value, or None."""
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int):
            return self.by_int.get(value)
        s = squash(value)
        for key, it in self.by_text:
            if s == key or (s.startswith(key) and not s[len(key)].isdigit()):
                return it
        n = leading_number(str(value))
        return self.by_int.get(n) if n is not None else None


# --------------------------------------------------------------------------- paths


@dataclass
class Group:
    """One activity: a group folder, or a ledger row; files share it (and its annotation)."""

    key: str
    name: str
    date: Optional[_dt.date]
    annotation: str
    department: Optional[str] = None
    folder: Optional[str] = None  # real path of a group folder
    date_source: str = "文件夹日期"

    def absorb(self, row: LedgerRow) -> None:
        """Add a ledger row's description to this group (a row pointing at its folder)."""
        extra = row.annotation
        if extra and extra not in self.annotation:
            self.annotation = f"{self.annotation} {extra}".strip()
        if self.date is None and row.date is not None:
            self.date, self.date_source = row.date, "台账日期"
        self.department = self.department or row.department
        label = row.label
        if label and row.date is not None and find_date(self.name) is None:
            # A folder named 「垃圾分类」 and its row 「2022-05-12 院内 垃圾要分类」: messages
            # name the activity as the ledger does, with its date and place.
            self.name = label


@dataclass
class File:
    """A file to probe, with the item and group it counts for."""

    path: str
    real: str
    rel: str
    item: Item
    group: Optional[Group] = None
    object: Optional[str] = None
    department: Optional[str] = None
    location: Optional[Location] = None
    #: Found in a department's kit folder (「工会-佐证材料」) beside the ledgers.
    kit: bool = False
    #: A ledger row names this file (or its folder).
    listed: bool = False


@dataclass
class Scan:
    """The state of one collection run."""

    index: ItemIndex
    root: Optional[Root] = None
    files: list[File] = field(default_factory=list)
    by_real: dict[str, File] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    declared: list[Evidence] = field(default_factory=list)
    #: Real paths never read as evidence: the ledgers themselves, this tool's own outputs.
    ignore: set[str] = field(default_factory=set)
    visited: set[str] = field(default_factory=set)
    #: (item number, department, 条目 cell) of each ledger row that counted files.
    claims: list[tuple[ItemNo, str, Location]] = field(default_factory=list)
    #: (department, item number) → the activities of its kit folder (see `kit_units`).
    kit_units: dict[tuple[str, str], dict[str, tuple[Any, str, str]]] = field(default_factory=dict)

    def add(self, f: File) -> None:
        if f.real not in self.by_real:
            self.by_real[f.real] = f
            self.files.append(f)

    def outside(self, rel: str, where: str = "佐证材料文件夹中的链接") -> None:
        self.findings.append(
            F.make("path-outside-root", where=where, path=rel, location=Location(rel))
        )


def walk_files(
    scan: Scan, top: str, rel_top: str, roots: list[Root]
) -> Iterable[tuple[str, str, str]]:
    """Yield ``(path, real, rel)`` of every file under ``top``, iteratively; links must stay in ``roots``."""
    stack = [(top, rel_top)]
    seen: set[str] = set()  # folders already walked (a link may loop back)
    while stack:
        folder, rel = stack.pop()
        real = norm_path(os.path.realpath(folder))
        if not inside_roots(real, roots):
            scan.outside(rel)
            continue
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: natural_key(e.name))
        except OSError as exc:
            scan.findings.append(unreadable_dir(rel, exc))
            continue
        subdirs = []
        for entry in entries:
            if skipped(entry.name):
                continue
            name = display_name(entry.name)
            child_rel = f"{rel}/{name}" if rel else name
            if _is_dir(entry):
                if norm_path(os.path.join(real, entry.name)) not in scan.ignore:
                    subdirs.append((entry.path, child_rel))
                continue
            child = _file_entry(scan, entry, real, child_rel, roots)
            if child is not None:
                yield child
        stack.extend(reversed(subdirs))


def _file_entry(
    scan: Scan, entry: os.DirEntry, folder_real: str, rel: str, roots: list[Root]
) -> Optional[tuple[str, str, str]]:
    """``(path, real, rel)`` of a file entry, None for a ledger itself or a link out (reported).

    Only links are resolved (one call per link): a plain file's real path is its real
    folder's plus its name, which keeps large trees on network shares fast.
    """
    if entry.is_symlink():
        real = norm_path(os.path.realpath(entry.path))
        if not inside_roots(real, roots):
            scan.outside(rel)
            return None
    else:
        real = norm_path(os.path.join(folder_real, entry.name))
    if real in scan.ignore:
        return None
    return entry.path, real, rel


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def unreadable_dir(rel: str, exc: OSError) -> Finding:
    reason = "没有权限打开该文件夹" if isinstance(exc, PermissionError) else "无法打开该文件夹"
    return F.make("unreadable-file", path=rel or ".", reason=reason, location=Location(rel or "."))


def _listdir(folder: str) -> list[os.DirEntry]:
    return sorted(os.scandir(folder), key=lambda e: natural_key(e.name))


def scan_tree(scan: Scan) -> None:
    """Walk the evidence root: item folders → ungrouped files and group folders."""
    assert scan.root is not None
    root = scan.root[0]
    try:
        entries = _listdir(root)
    except OSError as exc:
        raise EvidenceError(
            f"无法打开佐证材料文件夹 {root}（{os_reason(exc)}）。",
            path=root,
            hint="请检查文件夹权限或共享盘连接。",
        ) from exc
    scan.visited.add(norm_path(scan.root[1]))
    _scan_items(scan, entries, "", [scan.root], None)


def _scan_items(
    scan: Scan, entries: list[os.DirEntry], prefix: str, roots: list[Root], owner: Optional[str]
) -> None:
    """The item folders of a tree (the evidence root, or a department's kit folder)."""
    for entry in entries:
        if skipped(entry.name):
            continue
        name = display_name(entry.name)
        rel = f"{prefix}/{name}" if prefix else name
        real = norm_path(os.path.realpath(entry.path))
        if not inside_roots(real, roots):
            scan.outside(rel)
        elif not _is_dir(entry):
            if real not in scan.ignore:
                scan.findings.append(
                    F.make(
                        "file-outside-item-folder",
                        path=rel,
                        location=Location(rel),
                        department=owner,
                    )
                )
        elif real in scan.ignore:  # this tool's own output folder (督查/, 邮件草稿/)
            continue
        else:
            item = scan.index.match(name)
            if item is None:
                scan.findings.append(
                    F.make(
                        "unknown-item-folder", path=rel, location=Location(rel), department=owner
                    )
                )
            elif real not in scan.visited:
                scan.visited.add(real)
                _scan_item(scan, item, entry.path, rel, roots, owner)


def scan_kits(scan: Scan, ledger_dir: PathLike) -> None:
    """Each department's kit folder beside the ledgers (「工会-佐证材料」), read as an item tree.

    Departments put photos into their kit's item folders and do not always write the
    ledger row: the files count for their item all the same (unlisted ones are mentioned
    by `unlisted_notes`). A folder that belongs to no known department is reported.
    """
    top = os.path.abspath(ledger_dir)
    roots = [(top, os.path.realpath(top))]
    known = {d for it in scan.index.items for d in it.departments}
    try:
        entries = _listdir(top)
    except OSError:
        return  # ledger_files has already said what is wrong with the folder
    for entry in entries:
        if skipped(entry.name) or not _is_dir(entry):
            continue
        name = display_name(entry.name)
        owner = owner_of(name, known)
        real = norm_path(os.path.realpath(entry.path))
        if not inside_roots(real, roots) or real in scan.visited:
            continue
        if owner is None:
            scan.findings.append(F.make("kit-folder-unknown", path=name, location=Location(name)))
            continue
        scan.visited.add(real)
        try:
            items = _listdir(entry.path)
        except OSError as exc:
            scan.findings.append(unreadable_dir(name, exc))
            continue
        before = len(scan.files)
        _scan_items(scan, items, name, roots, owner)
        for f in scan.files[before:]:
            f.kit = True


def kit_units(scan: Scan) -> dict[tuple[str, str], dict[str, tuple[Any, str, str]]]:
    """The activities in each department's kit item folders: a group folder, or a loose file.

    Keyed by (department, item number); each unit is ``key → (date, name, path)`` with
    the name squashed for matching and the path a ledger row can name.
    """
    units: dict[tuple[str, str], dict[str, tuple[Any, str, str]]] = {}
    for f in scan.files:
        if not f.kit or not f.department:
            continue
        at = units.setdefault((f.department, str(f.item.no)), {})
        g = f.group
        if g is not None and g.folder:
            at.setdefault(g.key, (g.date, squash(g.name), g.folder))
        else:
            stem = os.path.splitext(os.path.basename(f.rel))[0]
            at[f.real] = (find_date(stem), squash(stem), f.path)
    return units


def unlisted_notes(scan: Scan) -> list[Finding]:
    """One 提醒 per department and item: files in its kit folder that no ledger row names."""
    folds: dict[tuple[str, str], list[File]] = {}
    for f in scan.files:
        if f.kit and not f.listed and f.department:
            folds.setdefault((f.department, str(f.item.no)), []).append(f)
    notes = []
    for (dep, _no), files in folds.items():
        first = files[0]
        folders = {f.rel.rsplit("/", 1)[0] for f in files}
        folder = first.rel.rsplit("/", 1)[0]
        notes.append(
            F.make(
                "kit-file-unlisted",
                item=first.item.no,
                department=dep,
                location=Location(folder),
                folder=folder,
                where="中" if len(folders) == 1 else f"等{len(folders)}个文件夹中",
                count=len(files),
            )
        )
    return notes


def _scan_item(
    scan: Scan,
    item: Item,
    folder: str,
    rel: str,
    roots: list[Root],
    owner: Optional[str] = None,
) -> None:
    """Files directly in an item folder are ungrouped; each subfolder is one group."""
    folder_real = norm_path(os.path.realpath(folder))
    try:
        entries = _listdir(folder)
    except OSError as exc:
        scan.findings.append(unreadable_dir(rel, exc))
        return
    for entry in entries:
        if skipped(entry.name):
            continue
        name = display_name(entry.name)
        child_rel = f"{rel}/{name}"
        if _is_dir(entry):
            group = Group(
                key=child_rel,
                name=name,
                date=find_date(name),
                annotation=strip_date(name),
                department=owner,
                folder=norm_path(os.path.realpath(entry.path)),
            )
            for path, real, file_rel in walk_files(scan, entry.path, child_rel, roots):
                loc = Location(file_rel)
                scan.add(File(path, real, file_rel, item, group, None, owner, loc))
        else:
            child = _file_entry(scan, entry, folder_real, child_rel, roots)
            if child is not None:
                path, real, file_rel = child
                scan.add(File(path, real, file_rel, item, None, None, owner, Location(file_rel)))


# --------------------------------------------------------------------------- file names

#: Names cameras, phones and chat apps give files: they say nothing about the activity.
_DEVICE_RE = re.compile(
    r"^(?:img|dsc[fn]?|dscf|pxl|mvimg|vid|mmexport|wx_camera|wechatimg|screenshot|"
    r"photo|image|pic|p|dji|gopr|sam|cimg|imag|mmexport|faceu|beauty|"
    r"微信图片|屏幕截图|截图|照片|图片|相片|扫描件?|新建文件夹)?"
    r"[\s_\-.()（）#]*[\d\s_\-.()（）#]*(?:copy|副本)?[\s\d_\-.()（）#]*$",
    re.IGNORECASE,
)
_TRAILING_NO_RE = re.compile(r"[\s_\-（(#]*\d{1,3}[)）]?$")


def name_annotation(filename: str) -> str:
    """What a file's own name says of its activity: 「门诊楼大厅.jpg」 → 「门诊楼大厅」.

    Names a camera, phone or chat app gave (「IMG_20220503_101010」, 「微信图片_2022…」,
    「DSC01234」, 「照片3」) say nothing and give ''. A trailing sequence number
    (「义诊现场-2」) is dropped; a date in the name stays for the time check.
    """
    stem = normalize(os.path.splitext(filename)[0]).strip()
    if not stem or _DEVICE_RE.match(stem):
        return ""
    words = _TRAILING_NO_RE.sub("", stem).strip(" -_")
    if not words or _DEVICE_RE.match(words):
        return ""
    if find_date(words) is None and not re.search(r"[^\W\d_]{2}", words):
        return ""  # digits and a letter or two: a serial number, not a description
    return words
