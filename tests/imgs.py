"""Builders of real evidence files for tests and the demo: photos, documents, ledgers.

Every builder writes a real file (parent folders are created) and returns its path::

    from imgs import jpeg, png, docx, pdf, heic, mp4, ledger, Link
    jpeg(root / "03 学习/2022-05-03 礼让斑马线/IMG_1.jpg", seed=1, taken="2022-05-03")
    ledger(root / "台账.xlsx", [{"条目": 3, "类型": "照片", "数量": 3}])

Photos are drawn from a seed (coloured shapes on a gradient), so two seeds give two
different pictures and the same seed at another size or quality gives "the same photo
resized" for near-duplicate tests. ``taken`` writes EXIF DateTimeOriginal.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from PIL import Image, ImageDraw

from wenming_xl.runs.sample import write_pdf

PathLike = Union[str, Path]

#: The ledger header an office would type (DESIGN §4.2).
LEDGER_HEADER = ["条目", "部门", "日期", "地点", "主题", "类型", "数量", "路径", "备注"]


def _out(path: PathLike) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def picture(seed: int = 0, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A deterministic RGB picture for ``seed``: large shapes that survive resizing."""
    rng = random.Random(seed)
    w, h = size
    im = Image.new("RGB", size)
    draw = ImageDraw.Draw(im)
    top = tuple(rng.randrange(256) for _ in range(3))
    bottom = tuple(rng.randrange(256) for _ in range(3))
    for y in range(h):
        t = y / max(1, h - 1)
        draw.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    for _ in range(8):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randrange(w // 6, w // 2), y0 + rng.randrange(h // 6, h // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            draw.ellipse([x0, y0, x1, y1], fill=colour)
    return im


def _exif_bytes(taken: Union[None, str, dt.date]) -> bytes:
    if taken is None:
        return b""
    if isinstance(taken, dt.datetime):
        text = taken.strftime("%Y:%m:%d %H:%M:%S")
    elif isinstance(taken, dt.date):
        text = taken.strftime("%Y:%m:%d 10:00:00")
    else:
        text = taken if ":" in taken[:5] else taken.replace("-", ":") + " 10:00:00"
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = text  # Exif IFD → DateTimeOriginal
    return exif.tobytes()


def jpeg(
    path: PathLike,
    *,
    seed: int = 0,
    size: tuple[int, int] = (320, 240),
    taken: Union[None, str, dt.date] = None,
    quality: int = 85,
) -> Path:
    """A real JPEG photo; ``taken`` ("2022-05-03", a date, or raw EXIF text) sets DateTimeOriginal."""
    p = _out(path)
    picture(seed, size).save(p, "JPEG", quality=quality, exif=_exif_bytes(taken))
    return p


def png(path: PathLike, *, seed: int = 0, size: tuple[int, int] = (160, 120)) -> Path:
    """A real PNG picture (a screenshot, say): no EXIF date."""
    p = _out(path)
    picture(seed, size).save(p, "PNG")
    return p


def docx(path: PathLike, text: str = "情况说明") -> Path:
    """A real Word document with one paragraph."""
    import docx as _docx

    p = _out(path)
    doc = _docx.Document()
    doc.add_paragraph(text)
    doc.save(str(p))
    return p


def pdf(path: PathLike, text: str = "Notice") -> Path:
    """A real, minimal one-page PDF (ASCII ``text``); the demo sample writes the same kind."""
    return write_pdf(_out(path), text)


def heic(path: PathLike) -> Path:
    """A HEIC-signed file (ISO BMFF ``ftyp heic``) that no decoder can open, as from an iPhone."""
    p = _out(path)
    ftyp = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    p.write_bytes(ftyp + b"\x00\x00\x00\x10meta" + bytes(8))
    return p


def mp4(path: PathLike) -> Path:
    """An MP4-signed file (``ftyp isom``): a video by its bytes."""
    p = _out(path)
    p.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + bytes(64))
    return p


@dataclass
class Link:
    """A ledger cell holding a hyperlink: ``target`` is the link, ``text`` what the cell shows."""

    target: str
    text: str = "点击查看"


def ledger(
    path: PathLike,
    rows: list[dict[str, Any]],
    *,
    sheet: str = "佐证台账",
    header: Optional[list[str]] = None,
    title: Optional[str] = None,
    workbook: Optional[PathLike] = None,
) -> Path:
    """A ledger workbook: one header row (``LEDGER_HEADER`` by default), then ``rows``.

    Each row is a dict keyed by header words; a `Link` value becomes a real hyperlink.
    ``title`` adds a title row above the header. ``workbook`` adds the sheet to an
    existing workbook (the task table's own 佐证台账) instead of a new file.
    """
    import openpyxl

    header = list(header or LEDGER_HEADER)
    p = _out(path)
    if workbook is not None:
        wb = openpyxl.load_workbook(workbook)
        ws = wb.create_sheet(sheet)
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        unknown = set(row) - set(header)
        if unknown:
            raise KeyError(f"columns not in the header: {sorted(unknown)}")
        ws.append([None] * len(header))
        r = ws.max_row
        for col, name in enumerate(header, 1):
            value = row.get(name)
            cell = ws.cell(row=r, column=col)
            if isinstance(value, Link):
                cell.value = value.text
                cell.hyperlink = value.target
            else:
                cell.value = value
    wb.save(p)
    return p
