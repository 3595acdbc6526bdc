"""Safe file writing: temp file in the target folder, fsync, rename into place.

Every output goes through :func:`atomic_write` so that a failure (disk full, read-only
folder, a crash) leaves the earlier file as it was, and the source workbook is never
the target. Outputs that belong together (a scored workbook and its dashboard) are
written inside :func:`together`: every temp file is complete before the first rename,
and the renames follow one another. A temp file left by a run that was killed (kill -9,
power cut) is named by its host and process (``.~wenming-<host>-<pid>-…``) and removed by
a later write into the same folder once that process is gone (:func:`remove_stale_temps`).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Optional, Union

from wenming_xl.errors import OutputError, os_reason

PathLike = Union[str, "os.PathLike[str]"]


def same_file(a: PathLike, b: PathLike) -> bool:
    """True when both paths name the same file (also through links or case on Windows)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


@contextlib.contextmanager
def atomic_write(target: PathLike, *, protect: Optional[PathLike] = None) -> Iterator[Path]:
    """Yield a temp path beside ``target``; on success fsync it and rename it onto ``target``.

    ``protect`` names a file that must never be overwritten (the source workbook): asking
    to write onto it raises `OutputError`. On any failure the temp file is removed and the
    old ``target`` (if any) is untouched.
    """
    target = Path(target)
    if protect is not None and target.exists() and same_file(target, protect):
        raise OutputError(
            f"拒绝覆盖源文件：{target}",
            path=str(target),
            hint="请用 --out 指定另一个文件夹或文件名；源工作簿永远不会被修改。",
        )
    if target.is_dir():  # found now, not at the rename (after the other outputs of a group)
        raise OutputError(
            f"无法写入 {target}：同名的文件夹已经存在，原有文件未改动。",
            path=str(target),
            hint="请把该文件夹改名或移走，或用 --out 指定另一个输出文件夹。",
        )
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(folder)
        fd, tmp = tempfile.mkstemp(prefix=_own_prefix(), suffix=target.suffix, dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OutputError(
            f"无法在文件夹 {folder} 中写入文件（{os_reason(exc)}）。",
            path=str(folder),
            hint="请检查该文件夹是否只读、磁盘是否已满，或用 --out 换一个文件夹。",
        ) from exc
    tmp_path = Path(tmp)
    group = _GROUP.get()
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):  # a share that keeps no permissions
            os.chmod(tmp_path, _mode_for(target))
        if group is not None:
            group.append((tmp_path, target))  # renamed when the whole group is written
            return
        os.replace(tmp_path, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OutputError):
            raise
        raise OutputError(
            f"写入 {target} 失败（{os_reason(exc)}），原有文件未改动。",
            path=str(target),
            hint="请检查磁盘空间和文件夹权限；如果该文件正在 Excel/WPS 中打开，请先关闭。",
        ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


#: The (temp, target) pairs of the `together` block running now, else None.
_GROUP: ContextVar[Optional[list[tuple[Path, Path]]]] = ContextVar("wenming_group", default=None)


@contextlib.contextmanager
def together() -> Iterator[None]:
    """Commit every `atomic_write` inside the block together, after all of them are written.

    A failure anywhere in the block removes every temp file and leaves every old output
    as it was, so a new 评分表 never stands beside an old 看板 because the second write
    failed; the renames then follow one another with nothing in between.
    """
    pending: list[tuple[Path, Path]] = []
    token = _GROUP.set(pending)
    try:
        yield
    except BaseException:
        for tmp, _target in pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    finally:
        _GROUP.reset(token)
    for _tmp, target in pending:  # one of them open in Excel (Windows): replace none of them
        try:
            if target.exists():
                with open(target, "r+b"):
                    pass
        except OSError as exc:
            for tmp, _t in pending:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise OutputError(
                f"无法替换 {target}（{os_reason(exc)}），这一组输出都没有改动。",
                path=str(target),
                hint="如果该文件正在 Excel/WPS 中打开，请先关闭后重新运行。",
            ) from exc
    for n, (tmp, target) in enumerate(pending):
        try:
            os.replace(tmp, target)
        except OSError as exc:
            for rest, _t in pending[n:]:
                with contextlib.suppress(OSError):
                    rest.unlink()
            raise OutputError(
                f"写入 {target} 失败（{os_reason(exc)}），原有文件未改动。",
                path=str(target),
                hint="请检查磁盘空间和文件夹权限；如果该文件正在 Excel/WPS 中打开，请先关闭。",
            ) from exc


_TEMP_PREFIX = ".~wenming-"
#: Our temp names: ``.~wenming-<host>-<pid>-<8 random characters of mkstemp><ext>``.
_TEMP_NAME = re.compile(r"^\.~wenming-(?:([A-Za-z0-9]{1,20})-(\d+)-)?[a-z0-9_]{8}(?:\.\w+)?$")
#: A temp file of ours older than this is left over, whoever wrote it (no write takes so long).
STALE_AFTER = 3600.0


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:20] or "host"


def _own_prefix() -> str:
    return f"{_TEMP_PREFIX}{_host()}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (POSIX; on Windows, assume it does)."""
    if sys.platform == "win32":
        return True  # os.kill would end it; an open file cannot be removed there anyway
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, run by someone else
        return True
    return True


def remove_stale_temps(folder: PathLike) -> list[Path]:
    """Remove temp files of ours left in ``folder`` by runs that were killed; return them.

    Only files named as `atomic_write` names them are touched, never a user's file: one
    whose writing process (on this machine) is gone, or any of ours older than
    `STALE_AFTER` (another machine's, or from a version without the process in the name).
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    host = _host()
    for entry in entries:
        if not entry.name.startswith(_TEMP_PREFIX):
            continue
        m = _TEMP_NAME.match(entry.name)
        if m is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        mine = m.group(1) == host and m.group(2) is not None
        gone = mine and int(m.group(2)) != os.getpid() and not _alive(int(m.group(2)))
        if gone or now - st.st_mtime > STALE_AFTER:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _mode_for(target: Path) -> int:
    """Permissions for a written file: those of the file it replaces, else a new file's.

    The temp file is created private (0600); an output on a shared folder must be as
    readable as any file the user saves there (0644 under the usual umask 022).
    """
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mask = os.umask(0)  # Python cannot read the umask without setting it
        os.umask(mask)
        return 0o666 & ~mask


def lock_file_of(path: PathLike) -> Optional[Path]:
    """The lock file Excel (``~$name``), WPS (``.~name#``) or LibreOffice (``.~lock.name#``) keeps."""
    p = Path(path)
    names = (f"~${p.name}", f".~{p.name}#", f".~{p.name}", f".~lock.{p.name}#", f"~${p.name[2:]}")
    for name in names:
        if len(name) > 2 and name != p.name and (p.parent / name).is_file():
            return p.parent / name
    return None


def lock_warning(path: PathLike) -> Optional[str]:
    """A Chinese warning when ``path`` seems to be open in Excel/WPS right now, else None."""
    lock = lock_file_of(path)
    if lock is None:
        return None
    return (
        f"提醒：{Path(path).name} 旁边有锁文件 {lock.name}，该工作簿可能正在 Excel/WPS 中编辑，"
        "读到的是最后一次保存的内容。请保存并关闭后再运行，以免漏掉未保存的修改。"
    )
