"""Builders of real bad input files for the fault tests (issue 9).

- :func:`ole2_xls`: a genuine OLE2 compound file (CFB v3, 512-byte sectors) holding a
  ``Workbook`` stream with BIFF8 BOF/EOF records — what Excel 97-2003 and WPS save;
- :func:`task_book`: a small task table written with openpyxl (any texts, any sheet names);
- :func:`encrypt`: a copy encrypted with msoffcrypto-tool, as Excel's 「用密码进行加密」 does;
- :func:`snapshot`: every file under a folder with its bytes, to prove nothing changed.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Optional

HEADER = ["创建项目", "工作清单", "分值", "牵头部门", "材料上传及说明"]
ROWS = [
    ["一、组织领导", "1.成立创建工作领导小组", "2分", "党建办", "上传文件1份"],
    ["一、组织领导", "2.召开创建推进会", "3分", "办公室", "上传会议照片不少于2张"],
    ["二、宣传教育", "3.开展志愿服务活动", "4分", "团委", "上传活动照片不少于4张"],
]

_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (
        raw.ljust(64, b"\0")
        + struct.pack("<HBB", len(raw), kind, 1)
        + struct.pack("<III", _NONE, _NONE, child)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", start, size)
    )


def ole2_bytes(stream: str = "Workbook", payload: Optional[bytes] = None) -> bytes:
    """A minimal valid compound file with one stream (at least 4096 bytes: no mini stream)."""
    if payload is None:
        bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 1996, 0, 0x06)
        payload = bof + struct.pack("<HH", 0x000A, 0)
    payload = payload.ljust(max(4096, len(payload)), b"\0")
    n = -(-len(payload) // 512)
    fat = [_FAT, _END] + [i + 3 for i in range(n - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIII", 0, 1, 1, 0)
        + struct.pack("<IIIII", 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    directory = (
        _dir_entry("Root Entry", 5, 1, _END, 0)
        + _dir_entry(stream, 2, _NONE, 2, len(payload))
        + _dir_entry("", 0, _NONE, 0, 0) * 2
    )
    body = struct.pack("<128I", *fat) + directory + payload.ljust(n * 512, b"\0")
    return header + body


def ole2_xls(path: Path) -> Path:
    """Write a real Excel 97-2003 (BIFF8) compound file at ``path``."""
    path.write_bytes(ole2_bytes())
    return path


def task_book(
    path: Path,
    rows: Optional[list[list]] = None,
    *,
    header: Optional[list[str]] = None,
    sheet: str = "任务分工",
    extra_sheets: tuple[tuple[str, list[list]], ...] = (),
    title: Optional[str] = "2022年度文明单位创建工作任务及责任分工",
) -> Path:
    """A task table written with openpyxl: title row, header row, item rows (all as text)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(header or HEADER)
    for row in ROWS if rows is None else rows:
        ws.append(row)
    for cell in ws._cells.values():  # openpyxl would store "=..." as a formula
        if isinstance(cell.value, str):
            cell.data_type = "s"
    for name, extra in extra_sheets:
        other = wb.create_sheet(name)
        for row in extra:
            other.append(row)
    wb.save(path)
    return path


def encrypt(src: Path, dst: Path, password: str) -> Path:
    """Encrypt ``src`` into ``dst`` with msoffcrypto-tool (Agile encryption, as Excel does)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(src, "rb") as fh:
        OOXMLFile(fh).encrypt(password, out)
    dst.write_bytes(out.getvalue())
    return dst


def decrypt(path: Path, password: str) -> bytes:
    """The plain package of an encrypted file (for checking outputs)."""
    import msoffcrypto

    out = io.BytesIO()
    with open(path, "rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        office.load_key(password=password)
        office.decrypt(out)
    return out.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` (relative path → bytes)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
