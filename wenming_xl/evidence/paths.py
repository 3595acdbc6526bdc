"""Where ledger paths may point: the evidence root and the ledger's own folder, nothing else.

A 路径 cell is resolved against the allowed roots; whatever leaves them — by ``..``, an
absolute path elsewhere, or a symlink — is reported and never opened (DESIGN §4.3).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PureWindowsPath
from typing import Optional, Union

from wenming_xl.errors import EvidenceError
from wenming_xl.text import display_name, natural_key, skipped

PathLike = Union[str, "os.PathLike[str]"]


def norm_path(p: str) -> str:
    """A path normalised for comparison (case-folded on Windows)."""
    return os.path.normcase(os.path.normpath(p))


def within(path: str, root: str) -> bool:
    """True when ``path`` is ``root`` or lies under it (both absolute, compared normcased)."""
    p, r = norm_path(path), norm_path(root)
    return p == r or p.startswith(r.rstrip(os.sep) + os.sep)


def ledger_files(
    workbook: Optional[PathLike], ledgers: Iterable[PathLike], ledger_dir: Optional[PathLike]
) -> list[tuple[str, str]]:
    """``(path, origin)`` of every ledger workbook to read, each once; origin: book/file/dir."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(p: PathLike, origin: str) -> None:
        key = norm_path(os.path.realpath(p))
        if key not in seen:
            seen.add(key)
            out.append((str(p), origin))

    if workbook is not None and Path(workbook).is_file():
        add(workbook, "book")
    for p in ledgers:
        add(p, "file")
    if ledger_dir is not None:
        folder = Path(ledger_dir)
        if not folder.is_dir():
            raise EvidenceError(
                f"找不到台账文件夹：{folder}",
                path=str(folder),
                hint="请确认 --ledger-dir 指定的文件夹存在。",
            )
        for entry in sorted(folder.iterdir(), key=lambda p: natural_key(p.name)):
            if entry.suffix.lower() in (".xlsx", ".xlsm", ".xls") and not skipped(entry.name):
                if entry.is_file():
                    add(entry, "dir")
    return out


Root = tuple[str, str]  # (absolute path, real path) of a folder paths must stay inside


def inside_roots(real: str, roots: list[Root]) -> bool:
    """True when a real path lies inside one of the roots' real paths."""
    return any(within(real, r) for _a, r in roots)


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def shown_path(text: str) -> str:
    """A typed path fit for a message: control characters (a NUL…) shown as visible marks."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group(0))) if m.group(0) < " " else "␡", text)


def resolve_path(text: str, roots: list[Root]) -> tuple[str, Optional[str]]:
    """A ledger path → ``("ok", abspath)``, ``("outside" | "missing" | "invalid", None)``.

    A relative path is tried against each root in turn (the ledger's folder, then the
    evidence root). Whatever leaves every root — by ``..``, as an absolute path, or
    through a symlink — is "outside" and is never opened. A path holding a control
    character (a NUL typed as ``_x0000_`` or linked as ``%00``) names no file: "invalid".
    """
    if _CONTROL.search(text.strip()):
        return "invalid", None
    p = text.strip().replace("\\", "/")
    win = PureWindowsPath(text.strip())
    absolute = os.path.isabs(p) or bool(win.drive) or p.startswith("//")
    if absolute and win.drive and os.name != "nt":
        return "outside", None  # a Windows drive path cannot lie inside a folder here
    candidates = [p] if absolute else [os.path.join(a, p) for a, _r in roots]
    if not absolute:
        candidates += [c for a, _r in roots if (c := by_readable_name(a, p)) is not None]
    missing = False
    for cand in candidates:
        lexical = os.path.abspath(cand)
        if not any(within(lexical, a) or within(lexical, r) for a, r in roots):
            continue
        real = os.path.realpath(lexical)
        if not inside_roots(real, roots):
            continue  # a symlink out of the allowed folders
        if os.path.exists(real):
            return "ok", lexical
        missing = True
    return ("missing" if missing else "outside"), None


def relocated(text: str, roots: list[Root]) -> Optional[tuple[str, str]]:
    """An absolute path from another computer, found by its tail inside ``roots``.

    Departments copy a folder's address from Windows Explorer: 「D:\\创建\\部门台账\\工会-佐证材料\\
    21 关爱\\慰问」 names, on the office's machine, 「工会-佐证材料/21 关爱/慰问」 beside the
    ledger. The longest tail of two or more parts that resolves inside a root is taken;
    ``(abspath, tail)``, or None. Nothing outside the roots is ever opened.
    """
    p = text.strip().replace("\\", "/")
    win = PureWindowsPath(text.strip())
    if not (os.path.isabs(p) or win.drive or p.startswith("//")):
        return None
    parts = [x for x in p[len(win.drive) :].split("/") if x and x != "."]
    if ".." in parts:
        return None
    for k in range(1, len(parts) - 1):
        tail = "/".join(parts[k:])
        status, found = resolve_path(tail, roots)
        if status == "ok" and found is not None:
            return found, tail
    return None


def _name_key(name: str) -> str:
    """A file name as people read it: decoded (GBK bytes), NFKC, case-folded on Windows.

    NFKC because the ledger reader normalises cell text (「（一）」 reads 「(一)」, 「Ⅱ」
    「II」) while the file keeps its full-width name; it also joins a Mac's NFD to NFC.
    """
    return norm_path(unicodedata.normalize("NFKC", display_name(name)))


def by_readable_name(root: str, rel: str) -> Optional[str]:
    """The path under ``root`` whose names *read* as ``rel`` when the exact name is not there.

    A ledger written on Windows names 「活动照片/门诊.jpg」; after a zip made there is
    unpacked on Linux the folder and file are named by their GBK bytes. Each missing part
    is looked up among the folder's entries by its readable name (`_name_key`: decoded,
    NFKC — a zip made on a Mac names files in NFD, the ledger's text is NFKC), so the
    ledger finds the file on disk. None when some part matches nothing (or twice).
    """
    here = root
    for part in (x for x in rel.split("/") if x not in ("", ".")):
        if part == ".." or os.path.lexists(os.path.join(here, part)):
            here = os.path.join(here, part)
            continue
        want = _name_key(part)
        try:
            hits = [e for e in os.listdir(here) if _name_key(e) == want]
        except (OSError, ValueError):
            return None
        if len(hits) != 1:
            return None
        here = os.path.join(here, hits[0])
    return here if here != root else None


def rel_to_roots(path: str, roots: list[Root]) -> str:
    """``path`` relative to the first root holding it, with forward slashes."""
    for a, r in roots:
        for base in (a, r):
            if within(path, base):
                rel = os.path.relpath(path, base)
                return "/".join(display_name(x) for x in Path(rel).parts if x != ".") or "."
    return display_name(Path(path).name)
