"""Safe file writing: temp file in the target folder, fsync, rename into place.

Every output goes through :func:`atomic_write` so that a failure (disk full, read-only
folder, a crash) leaves the earlier file as it was, and the source workbook is never
the target.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
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
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~wenming-", suffix=target.suffix, dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OutputError(
            f"无法在文件夹 {folder} 中写入文件（{os_reason(exc)}）。",
            path=str(folder),
            hint="请检查该文件夹是否只读、磁盘是否已满，或用 --out 换一个文件夹。",
        ) from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):  # a share that keeps no permissions
            os.chmod(tmp_path, _mode_for(target))
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
