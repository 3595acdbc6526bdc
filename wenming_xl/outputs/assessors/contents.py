"""What goes to the assessors: the boxes, their items and each item's counted files.

Built from a `Report` only, so the binder and the upload pack hold exactly what
``check`` counted: exact duplicates and files outside the period are left out
(``Evidence.counted`` is False for them), each counted file comes once, with the
date, place and theme ``check`` read for it. Declared ledger rows (a 数量 without a
file) are counted by ``check`` but have nothing to print or upload: they are counted
here so the pages can say so.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import Optional

from wenming_xl.model import DOCUMENT, IMAGE, STATUS_LABELS, VIDEO, Evidence, ItemResult, Report
from wenming_xl.outputs.workbooks.kits import short_title
from wenming_xl.text import cn_date, strip_date

#: How each kind of counted file is named on the pages and in the 报送清单.
KIND_NAMES = {IMAGE: "照片", DOCUMENT: "文件", VIDEO: "视频"}


@dataclass
class Piece:
    """One counted file of an item, with its caption as ``check`` understood it."""

    evidence: Evidence
    #: The file on disk (absolute).
    file: str
    #: Position among the item's counted files (1-based).
    seq: int

    @property
    def kind(self) -> str:
        return self.evidence.kind

    @property
    def name(self) -> str:
        """The file's own name (「IMG_0001.jpg」)."""
        return os.path.basename(self.evidence.path or self.file)

    @property
    def date(self) -> Optional[_dt.date]:
        """The date ``check`` used: the photo's EXIF date, else its folder's date."""
        return self.evidence.date or self.evidence.group_date

    @property
    def words(self) -> str:
        """地点及主题: the annotation ``check`` read (folder and file name), date removed."""
        return strip_date(self.evidence.annotation or "")

    def caption(self) -> list[str]:
        """The three caption lines: 时间, 地点及主题, 文件名."""
        return [
            f"时间：{cn_date(self.date) if self.date else '未注明'}",
            f"地点及主题：{self.words or '未注明'}",
            f"文件名：{self.name}",
        ]


@dataclass
class Entry:
    """One item of a box: its result and what ``check`` counted for it."""

    result: ItemResult
    pieces: list[Piece] = field(default_factory=list)
    #: Counted ledger rows without a file (数量 declared by the department), and their sum.
    declared_rows: int = 0
    declared_count: int = 0

    @property
    def no(self) -> str:
        return str(self.result.item.no)

    @property
    def title(self) -> str:
        """A short title (the item's first clause): 「学习贯彻绍兴市文明行为促进条例」."""
        return short_title(self.result.item.text)

    @property
    def photos(self) -> list[Piece]:
        return [p for p in self.pieces if p.kind == IMAGE]

    @property
    def documents(self) -> list[Piece]:
        return [p for p in self.pieces if p.kind != IMAGE]

    @property
    def status(self) -> str:
        return STATUS_LABELS.get(self.result.status, self.result.status)

    def provided(self) -> str:
        """What was provided, in words: 「照片 12 张（4 次活动），文件 2 份」."""
        parts = []
        photos = self.photos
        if photos:
            groups = {p.evidence.group for p in photos if p.evidence.group}
            extra = f"（{len(groups)} 次活动）" if groups else ""
            parts.append(f"照片 {len(photos)} 张{extra}")
        docs = [p for p in self.pieces if p.kind == DOCUMENT]
        if docs:
            parts.append(f"文件 {len(docs)} 份")
        others = len(self.pieces) - len(photos) - len(docs)
        if others:
            parts.append(f"其他材料 {others} 个")
        if self.declared_rows:
            parts.append(
                f"台账登记 {self.declared_rows} 条（部门自报数量 {self.declared_count}，无文件可附）"
            )
        return "，".join(parts) if parts else "未提供可计入的材料"

    def short_provided(self) -> str:
        """The same in a few characters for a table cell: 「照片12 文件2」."""
        photos = len(self.photos)
        docs = len(self.pieces) - photos
        parts = [f"照片{photos}"] if photos else []
        parts += [f"文件{docs}"] if docs else []
        parts += [f"台账{self.declared_rows}条"] if self.declared_rows else []
        return " ".join(parts) or "无"

    def date_range(self) -> tuple[Optional[_dt.date], Optional[_dt.date]]:
        days = sorted(d for d in (p.date for p in self.pieces) if d)
        return (days[0], days[-1]) if days else (None, None)


@dataclass
class Box:
    """One archive box: one category of the task table."""

    number: int
    category: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def photos(self) -> int:
        return sum(len(e.photos) for e in self.entries)

    @property
    def documents(self) -> int:
        return sum(len(e.documents) for e in self.entries)


def counted_entry(result: ItemResult) -> Entry:
    """An item's `Entry`: its counted files (each once, in check's order) and declared rows."""
    entry = Entry(result)
    seen: set[str] = set()
    for ev in result.evidence:
        if not ev.counted:
            continue
        if ev.declared or not ev.source:
            entry.declared_rows += 1
            entry.declared_count += ev.count
            continue
        real = os.path.realpath(ev.source)
        if real in seen:  # a ledger row and the folder naming the same file: once
            continue
        seen.add(real)
        entry.pieces.append(Piece(ev, os.path.abspath(ev.source), len(entry.pieces) + 1))
    return entry


def category_name(name: Optional[str]) -> str:
    """A category as a box names it: 「一、文明单位创建基础工作（44分）」 → without the points."""
    import re

    if not name:
        return "其他"
    return re.sub(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$", "", name).strip() or name


def boxes(report: Report) -> list[Box]:
    """The report's items in boxes, one per category, in the table's order."""
    out: dict[str, Box] = {}
    for result in report.items:
        key = result.item.category or "其他"
        box = out.get(key)
        if box is None:
            box = out[key] = Box(len(out) + 1, category_name(result.item.category))
        box.entries.append(counted_entry(result))
    return list(out.values())
