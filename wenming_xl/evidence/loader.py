"""Open ledger workbooks and parse their sheets' cells, on a background thread if asked.

python-calamine does the parsing (fast, cached formula values) and releases the GIL
while it works, so `SheetLoader` lets a large ledger parse beside everything else a
check does first. This module imports little: the CLI starts the loader before the
rest of the package is loaded. What the cells mean is `ledger.py`'s work.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional, Union

from wenming_xl.errors import EvidenceError, WenmingError, os_reason
from wenming_xl.files.zips import open_zip
from wenming_xl.text import squash

PathLike = Union[str, "os.PathLike[str]"]

#: ``(sheet name, cell values)`` of each sheet that may hold a ledger.
Sheets = list[tuple[str, list[list[Any]]]]


class LedgerError(EvidenceError):
    """A ledger workbook cannot be read; ``reason`` is the short Chinese cause."""

    def __init__(self, path: PathLike, reason: str, hint: str):
        self.reason = reason
        super().__init__(f"无法读取台账文件 {path}：{reason}。", path=str(path), hint=hint)


def _refuse_bomb(p: Path) -> None:
    """Raise `LedgerError` for a zip that would inflate past the limits (checked before reading)."""
    from wenming_xl.files.zips import check_zip_sizes

    try:
        with open_zip(p) as zf:
            check_zip_sizes(zf, p)
    except (zipfile.BadZipFile, OSError):
        return  # calamine reports a broken file in its own words below
    except WenmingError as exc:
        raise LedgerError(p, "解压后过大，疑似「压缩炸弹」，已拒绝读取", exc.hint or "") from exc


def _open(path: PathLike):
    """Open a workbook with python-calamine, or raise `LedgerError` in plain Chinese."""
    from wenming_xl.files.native import open_calamine

    p = Path(path)
    if not p.is_file():
        raise LedgerError(p, "找不到该文件", "请确认文件名和所在文件夹是否正确。")
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise LedgerError(
            p,
            f"无法打开（{os_reason(exc)}）",
            "请检查文件权限，或关闭正在占用它的程序后重试。",
        ) from exc
    encrypted = p.suffix.lower() in (".xlsx", ".xlsm") and head.startswith(b"\xd0\xcf\x11\xe0")
    if head.startswith(b"PK"):
        _refuse_bomb(p)
    try:
        if encrypted:
            raise ValueError("encrypted")
        return open_calamine(p)
    except Exception as exc:
        if encrypted or type(exc).__name__ == "PasswordError":
            raise LedgerError(
                p, "文件设置了打开密码", "请在 Excel/WPS 中取消密码后另存为 .xlsx 再运行。"
            ) from exc
        raise LedgerError(
            p,
            "不是有效的 Excel 工作簿，或已损坏",
            "请用 Excel 或 WPS 打开后另存为 .xlsx（Excel 工作簿）再运行。",
        ) from exc


def load_sheets(path: PathLike, *, named_only: bool = False) -> Sheets:
    """``(sheet name, cell values)`` of every sheet that may hold a ledger, parsed by calamine.

    ``named_only`` (for the task workbook) takes only sheets whose name contains 台账;
    otherwise those come first and every other sheet follows. This is the slow part of a
    large ledger and runs without Python's GIL (see `SheetLoader`). Raises `LedgerError`.
    """
    wb = _open(path)
    try:
        names = list(wb.sheet_names)
        named = [n for n in names if "台账" in squash(n)]
        out = []
        for name in named if named_only else named + [n for n in names if n not in named]:
            try:
                rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise LedgerError(
                    path,
                    f"工作表「{name}」无法读取（{exc}）",
                    "请用 Excel 或 WPS 打开后另存为 .xlsx 再运行。",
                ) from exc
            out.append((name, rows))
        return out
    finally:
        wb.close()


class SheetLoader:
    """Parse ledger workbooks on a background thread while the caller does other work.

    python-calamine releases the GIL while it parses, so reading the task table, parsing
    requirements and importing modules run beside the slowest part of a large ledger
    check. Books are parsed in the order given, at most ``ahead`` of them held unread.
    `get` returns what `load_sheets` would, or raises what it would raise; a book asked
    for before its turn is loaded by the caller itself (and skipped by the thread).
    """

    def __init__(self, books: Iterable[tuple[str, str]], ahead: int = 2):
        import threading

        self._books = {str(p): origin == "book" for p, origin in books}
        self._done: dict[str, Any] = {}
        self._taken: set[str] = set()
        self._current: Optional[str] = None
        self._stop = False
        self._cond = threading.Condition()
        self._room = threading.Semaphore(ahead)
        self._thread = threading.Thread(target=self._run, name="wenming-ledgers", daemon=True)
        if self._books:  # with no books, every `get` parses in the caller's thread
            self._thread.start()

    def _run(self) -> None:
        for path, named_only in self._books.items():
            self._room.acquire()
            with self._cond:
                if self._stop:
                    return
                if path in self._taken:
                    self._room.release()
                    continue
                self._current = path
            try:
                result: Any = load_sheets(path, named_only=named_only)
            except BaseException as exc:  # handed to the caller by `get`
                result = exc
            with self._cond:
                self._done[path] = result
                self._current = None
                self._cond.notify_all()

    def get(self, path: PathLike, *, named_only: bool = False) -> Sheets:
        """The parsed sheets of ``path``: from the thread when it has them or is on them."""
        key = str(path)
        with self._cond:
            if key in self._books and key not in self._taken:
                while key == self._current:
                    self._cond.wait()
                if key in self._done:
                    result = self._done.pop(key)
                    self._room.release()
                    if isinstance(result, BaseException):
                        raise result
                    return result
            self._taken.add(key)
        return load_sheets(path, named_only=named_only)

    def close(self) -> None:
        """Stop parsing further books (one already being parsed finishes in the background)."""
        with self._cond:
            self._stop = True
        self._room.release()
