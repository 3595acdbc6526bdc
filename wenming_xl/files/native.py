"""Opening files whose names are not UTF-8 with libraries that take only UTF-8 paths.

A name stored as GBK bytes (a zip made on Chinese Windows, unpacked on Linux or a NAS)
reaches Python as a str with surrogate escapes. Python opens it fine; python-calamine
(Rust) cannot, and says 「No such file or directory」 of a file that is there. The helpers
here keep the real path for opening and hand such a library the file's bytes instead.
"""

from __future__ import annotations

import io
import os
from typing import Any, Union

PathLike = Union[str, "os.PathLike[str]"]


def utf8_path(path: PathLike) -> bool:
    """True when ``path`` can be given as text to a library that wants UTF-8 (Rust, SQLite)."""
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def open_calamine(path: PathLike) -> Any:
    """A python-calamine workbook of ``path``, whatever the encoding of its name.

    A package whose entry names are not the usual ones (``./xl/…``, ``xl\\…``) is
    handed over as a copy with portable names (`zips.portable_copy`).
    """
    from python_calamine import CalamineWorkbook

    from wenming_xl.files.zips import portable_copy

    copy = portable_copy(path)
    if copy is not None:
        return CalamineWorkbook.from_filelike(io.BytesIO(copy))
    if utf8_path(path):
        return CalamineWorkbook.from_path(os.fspath(path))
    with open(path, "rb") as fh:
        return CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
