"""Guards for zip packages from users (``.xlsx``, ``.docx``): size limits checked before inflating.

A "zip bomb" declares (or hides) a huge uncompressed size behind a few kilobytes. Every
reader that opens a user's package calls :func:`check_zip_sizes` on the central directory
first, so nothing is decompressed when a member is absurdly large or compressed far more
than office files ever are. Password-protected workbooks are decrypted in memory by
:func:`decrypt_office` (msoffcrypto-tool), never to a file on disk.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO, Optional, Union

from wenming_xl.errors import WenmingError, WorkbookError, os_reason

#: No member of an office package is larger than this when inflated.
MAX_MEMBER = 512 * 1024 * 1024
#: Nor all members together.
MAX_TOTAL = 1024 * 1024 * 1024
#: A member larger than RATIO_FLOOR must not be compressed more than MAX_RATIO : 1.
MAX_RATIO = 200
RATIO_FLOOR = 16 * 1024 * 1024


def open_zip(source: Union[str, Path, BinaryIO]) -> zipfile.ZipFile:
    """A user's zip package opened with its entry names made portable (see `portable_names`)."""
    zf = zipfile.ZipFile(source)
    portable_names(zf)
    return zf


def portable_names(zf: zipfile.ZipFile) -> zipfile.ZipFile:
    """Entry names with ``/`` where the zip has ``\\``, without a leading ``/`` or ``./`` (in place).

    Some programs on Windows write ``xl\\worksheets\\sheet1.xml``; Excel, WPS and
    calamine read such a package, so every part must be found by its usual name here too,
    and a copy written from it gets the usual names. The bytes are still read by the
    entry's original name (``orig_filename``), as zipfile checks it.
    """
    changed = False
    for info in zf.filelist:
        name = info.filename.replace("\\", "/").lstrip("/")
        while name.startswith("./"):
            name = name[2:]
        if name != info.filename:
            info.filename, changed = name, True
    if changed:
        zf.NameToInfo = {i.filename: i for i in zf.filelist}
    return zf


def portable_copy(path: Union[str, Path]) -> Optional[bytes]:
    """The package at ``path`` rewritten in memory with portable names, or None if it has them.

    For readers that look parts up by their exact names (calamine finds no ``_rels/.rels``
    in a zip naming it ``./_rels/.rels``). Sizes are checked first (`check_zip_sizes`).
    """
    try:
        with open_zip(path) as zin:
            if all(i.filename == i.orig_filename for i in zin.filelist):
                return None
            check_zip_sizes(zin, path)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
                for info in zin.infolist():
                    zout.writestr(info.filename, zin.read(info))
    except (zipfile.BadZipFile, OSError, EOFError):
        return None  # not a zip (an old .xls) or broken: the reader says so in its words
    return out.getvalue()


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_zip_sizes(
    zf: zipfile.ZipFile, path: Union[str, Path], *, error: type[WenmingError] = WorkbookError
) -> None:
    """Refuse a package whose members would inflate past the limits (raise ``error``)."""
    name = Path(str(path)).name
    total = 0
    hint = (
        "正常的 Excel/Word 文件不会这样；请向文件来源确认，"
        "或在 Excel/WPS 中打开后另存为新文件再运行。"
    )
    for info in zf.infolist():
        size, packed = info.file_size, max(info.compress_size, 1)
        total += size
        ratio = size / packed
        if size > MAX_MEMBER or (size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise error(
                f"{name} 中的「{info.filename}」压缩后只有 {packed} 字节，解压后却有 {_mb(size)}"
                f"（压缩比约 {ratio:.0f}:1），疑似「压缩炸弹」，已拒绝读取，没有解压。",
                path=str(path),
                hint=hint,
            )
    if total > MAX_TOTAL:
        raise error(
            f"{name} 解压后共有 {_mb(total)}，超过 {_mb(MAX_TOTAL)} 的上限，已拒绝读取，没有解压。",
            path=str(path),
            hint=hint,
        )


def decrypt_office(path: Union[str, Path], password: str) -> bytes:
    """Decrypt a password-protected OOXML file into memory; a wrong password raises `WorkbookError`."""
    import msoffcrypto

    p = Path(path)
    out = io.BytesIO()
    try:
        with open(p, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password=password, verify_password=True)
            office.decrypt(out)
    except OSError as exc:
        raise WorkbookError(
            f"无法读取 {p}（{os_reason(exc)}）。",
            path=str(p),
            hint="请确认有读取权限；如果文件在 Excel/WPS 中打开着，请先关闭再试。",
        ) from exc
    except Exception as exc:  # msoffcrypto raises InvalidKeyError and its own errors
        wrong = type(exc).__name__ in ("InvalidKeyError", "DecryptionError")
        raise WorkbookError(
            f"{p.name} 的打开密码不正确，无法解密。"
            if wrong
            else f"{p.name} 设置了密码，但无法解密（{type(exc).__name__}）。",
            path=str(p),
            hint="请用 --password 给出在 Excel/WPS 中打开该文件时输入的密码（注意大小写）；"
            "或在 Excel/WPS 中取消「用密码进行加密」后另存一份。",
        ) from exc
    data = out.getvalue()
    if not data.startswith(b"PK"):
        raise WorkbookError(
            f"{p.name} 解密后不是 .xlsx 工作簿（可能是加密的 .xls 旧格式）。",
            path=str(p),
            hint="请在 Excel/WPS 中打开它，另存为无密码的「Excel 工作簿（*.xlsx）」后再运行。",
        )
    return data


def encrypt_office(data: bytes, password: str) -> bytes:
    """Encrypt an OOXML package (bytes) with ``password``, as Excel's 「用密码进行加密」 does."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def xml_reason(exc: BaseException) -> str:
    """A short Chinese reason for an XML error; entity/DTD refusals are named as such."""
    text = f"{type(exc).__name__} {exc}"
    if any(w in text for w in ("Entities", "DTDForbidden", "entity", "DOCTYPE", "External")):
        return "含有 XML 实体或 DTD 声明，正常的 Excel/Word 文件不会这样，可能是恶意构造的文件，已拒绝展开"
    return str(exc)
