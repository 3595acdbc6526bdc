"""The pack's 报送清单.xlsx, and the record that lets a rerun reuse the packed files.

The workbook has two sheets: 报送清单 (every packed file: item, original path, packed
path, size, SHA-256, what was done, any problem) and 无材料条目 (the items with nothing
to upload, and why). User text is always written as text, never as a formula.
The record (`RECORD_NAME`, JSON) maps a source file's path, size, mtime and the pack
settings to what was packed for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

MANIFEST_NAME = "报送清单.xlsx"
RECORD_NAME = ".wenming-pack.json"
RECORD_VERSION = 1


@dataclass
class Packed:
    """One file of the pack."""

    item: str
    title: str
    seq: int
    #: The original as ``check`` names it (relative to the evidence folder or ledger).
    source: str
    #: Its path inside the pack, "" when nothing could be packed.
    packed: str = ""
    size: int = 0
    sha256: str = ""
    action: str = "原样复制"
    problem: str = ""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def copy_hashed(src: str, dst: Path) -> str:
    """Copy ``src`` to ``dst``, hashing the bytes on the way; the SHA-256."""
    h = hashlib.sha256()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        for chunk in iter(lambda: fin.read(1 << 20), b""):
            h.update(chunk)
            fout.write(chunk)
    shutil.copystat(src, dst, follow_symlinks=True)
    return h.hexdigest()


def link_or_copy(src: Path, dst: Path) -> None:
    """Put the file ``src`` at ``dst`` as a hard link (no copy), else as a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def read_record(folder: Path) -> dict[str, dict[str, Any]]:
    """The previous pack's record (empty when there is none or it cannot be read)."""
    try:
        data = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def write_record(folder: Path, files: dict[str, dict[str, Any]]) -> None:
    text = json.dumps({"version": RECORD_VERSION, "files": files}, ensure_ascii=False, indent=0)
    (folder / RECORD_NAME).write_text(text, encoding="utf-8")


def write_manifest(
    path: Path,
    packed: list[Packed],
    empty: list[tuple[str, str, str, str, str]],
    *,
    limits: str,
    period: Optional[str],
) -> Path:
    """Write 报送清单.xlsx: the packed files, then the items with nothing to upload.

    ``empty`` rows are (条目, 题名, 牵头部门, 状态, 说明).
    """
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                          "valign": "vcenter"})  # fmt: skip
    cell = wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    mono = wb.add_format({"border": 1, "valign": "vcenter", "font_name": "Consolas"})
    warn = wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True,
                          "font_color": "#C00000"})  # fmt: skip
    ws = wb.add_worksheet("报送清单")
    note = f"考核期：{period or '未指定（所有日期的材料都已收入）'}；平台限制：{limits}"
    ws.write_string(0, 0, note)
    cols = [("序号", 6), ("条目", 8), ("题名", 26), ("原文件", 44), ("报送文件", 44),
            ("大小(KB)", 10), ("SHA-256", 66), ("处理", 18), ("问题", 36)]  # fmt: skip
    for c, (name, width) in enumerate(cols):
        ws.write_string(1, c, name, head)
        ws.set_column(c, c, width)
    for r, p in enumerate(packed, start=2):
        ws.write_number(r, 0, r - 1, cell)
        for c, value in enumerate([p.item, p.title, p.source, p.packed], start=1):
            ws.write_string(r, c, value, cell)
        ws.write_number(r, 5, round(p.size / 1024, 1), cell)
        ws.write_string(r, 6, p.sha256, mono)
        ws.write_string(r, 7, p.action, cell)
        ws.write_string(r, 8, p.problem, warn if p.problem else cell)
    ws.freeze_panes(2, 0)
    if packed:
        ws.autofilter(1, 0, len(packed) + 1, len(cols) - 1)
    ws2 = wb.add_worksheet("无材料条目")
    cols2 = [("条目", 8), ("题名", 30), ("牵头部门", 20), ("状态", 12), ("说明", 60)]
    for c, (name, width) in enumerate(cols2):
        ws2.write_string(0, c, name, head)
        ws2.set_column(c, c, width)
    for r, row in enumerate(empty, start=1):
        for c, value in enumerate(row):
            ws2.write_string(r, c, value, cell)
    ws2.freeze_panes(1, 0)
    wb.close()
    return path
