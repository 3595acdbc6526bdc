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
import io
import random
import struct
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


def photo(seed: int = 0, size: tuple[int, int] = (1600, 1200)) -> Image.Image:
    """`picture` with fine noise, as a camera's sensor gives (a 1600×1200 JPEG of ~300 KB)."""
    im = picture(seed, size)
    w, h = size
    noise = Image.frombytes("RGB", (w // 2, h // 2), random.Random(seed).randbytes(w * h // 4 * 3))
    return Image.blend(im, noise.resize(size, Image.Resampling.BILINEAR), 0.15)


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


def _exif_text(taken: Union[str, dt.date]) -> str:
    if isinstance(taken, dt.datetime):
        return taken.strftime("%Y:%m:%d %H:%M:%S")
    if isinstance(taken, dt.date):
        return taken.strftime("%Y:%m:%d 10:00:00")
    return taken if ":" in taken[:5] else taken.replace("-", ":") + " 10:00:00"


def _ifd(entries: list[tuple[int, int, bytes]], start: int, nxt: int) -> tuple[bytes, bytes]:
    """A little-endian TIFF IFD at ``start`` (entries: tag, type, value bytes) and its data area."""
    sizes = {2: 1, 3: 2, 4: 4}
    head = struct.pack("<H", len(entries))
    data = b""
    data_at = start + 2 + 12 * len(entries) + 4
    for tag, typ, value in sorted(entries):
        count = len(value) // sizes[typ]
        if len(value) <= 4:
            head += struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\0")
        else:
            head += struct.pack("<HHII", tag, typ, count, data_at + len(data))
            data += value + b"\0" * (len(value) % 2)
    return head + struct.pack("<I", nxt), data


def camera_exif(
    taken: Union[str, dt.date],
    thumbnail: Image.Image,
    dims: Optional[tuple[int, int]],
) -> bytes:
    """An APP1 EXIF payload as a camera writes it: DateTimeOriginal, pixel dimensions
    (``dims``; None leaves them out) and a JPEG thumbnail in IFD1 (Pillow writes no IFD1)."""
    buf = io.BytesIO()
    thumbnail.convert("RGB").save(buf, "JPEG", quality=75)
    thumb = buf.getvalue()
    when = _exif_text(taken).encode("ascii") + b"\0"
    sub = [(0x9003, 2, when)]
    if dims:
        sub += [(0xA002, 4, struct.pack("<I", dims[0])), (0xA003, 4, struct.pack("<I", dims[1]))]
    # Layout: header (8) | IFD0 | Exif IFD | IFD1 | thumbnail.
    ifd0_len = 2 + 12 * 2 + 4 + len(when) + len(when) % 2
    exif_at = 8 + ifd0_len
    exif_len = 2 + 12 * len(sub) + 4 + len(when) + len(when) % 2
    ifd1_at = exif_at + exif_len
    ifd1_len = 2 + 12 * 3 + 4
    thumb_at = ifd1_at + ifd1_len
    ifd0 = [(0x0132, 2, when), (0x8769, 4, struct.pack("<I", exif_at))]
    ifd1 = [
        (0x0103, 3, struct.pack("<H", 6)),
        (0x0201, 4, struct.pack("<I", thumb_at)),
        (0x0202, 4, struct.pack("<I", len(thumb))),
    ]
    parts = [b"II*\0" + struct.pack("<I", 8)]
    for entries, at, nxt in ((ifd0, 8, ifd1_at), (sub, exif_at, 0), (ifd1, ifd1_at, 0)):
        head, data = _ifd(entries, at, nxt)
        parts += [head, data]
    tiff = b"".join(parts)
    assert len(tiff) == thumb_at, (len(tiff), thumb_at)
    return b"Exif\0\0" + tiff + thumb


def camera_jpeg(
    path: PathLike,
    *,
    seed: int = 0,
    size: tuple[int, int] = (640, 480),
    taken: Union[str, dt.date] = "2022-05-03",
    image: Optional[Image.Image] = None,
    thumbnail: Optional[Image.Image] = None,
    dims: Union[None, bool, tuple[int, int]] = True,
    quality: int = 85,
) -> Path:
    """A camera/phone-style JPEG: EXIF date, pixel dimensions and a 160×120 thumbnail.

    ``image`` replaces the seeded picture; ``thumbnail`` is what the thumbnail shows
    (default: the image itself; a stale one, as some editors keep, is another picture);
    ``dims`` the EXIF pixel dimensions (True: the image's own; None: not written).
    """
    p = _out(path)
    im = image if image is not None else picture(seed, size)
    small = (thumbnail if thumbnail is not None else im).copy()
    small.thumbnail((160, 160), Image.Resampling.LANCZOS)
    shape = im.size if dims is True else (dims or None)
    im.save(p, "JPEG", quality=quality, exif=camera_exif(taken, small, shape))
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
