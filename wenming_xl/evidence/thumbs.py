"""A JPEG's header read alone: frame size, EXIF, and the EXIF thumbnail if it can be trusted.

On a shared folder every byte read crosses the network, so `read_header` reads a JPEG
segment by segment only up to its frame header (SOF: width and height), keeping the
first EXIF segment on the way, plus the file's last two bytes (the end-of-image
marker, missing from a truncated copy). Camera and phone JPEGs carry a small JPEG
(160 × 120 or larger) in EXIF IFD1; `trusted_thumbnail` hands it out only when it
plausibly still shows the photo: some editors crop or rotate a photo and keep the
original's EXIF, thumbnail and all, so a thumbnail whose shape differs from the
frame's, or whose EXIF pixel dimensions name another size, is not used.
"""

from __future__ import annotations

import datetime as _dt
import io
import struct
import warnings
from dataclasses import dataclass
from typing import Any, Optional

from wenming_xl.evidence.kinds import hashes, parse_exif_datetime

#: Start-of-frame markers (baseline, progressive, lossless…; not DHT, JPG, DAC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
#: Markers that stand alone (no length): TEM, RSTn.
_BARE = frozenset({0x01, *range(0xD0, 0xD8)})
#: A header longer than this is not a camera's: the whole file is decoded instead.
MAX_HEADER = 1 << 20

#: How far (relative) a thumbnail's width:height may differ from the frame's.
ASPECT_TOLERANCE = 0.03
#: The smallest thumbnail side a 16×16 perceptual hash is taken from.
MIN_THUMB_SIDE = 64


@dataclass(frozen=True)
class JpegHeader:
    """What the first segments of a JPEG (and its last two bytes) say."""

    width: int
    height: int
    #: The first APP1 ``Exif\\0\\0`` segment's payload (as Pillow keeps it), or None.
    exif: Optional[bytes]
    #: Whether the file ends with the end-of-image marker (a whole file, not a cut copy).
    complete: bool


class ExactReader:
    """A file read with no read-ahead, keeping the bytes read from its start.

    A buffered file reads a whole block (4 KiB or more) for every short read or seek;
    on a share each block crosses the network. Given an unbuffered file (``buffering=0``)
    and the bytes already read from its start, this reads exactly what is asked for, and
    what it reads contiguously from the start is kept as `prefix` (e.g. for the first
    `kinds.HEAD_BYTES` digest of exact duplicates, so they are not read a second time).
    """

    def __init__(self, fh: Any, head: bytes = b""):
        self._fh = fh
        self.prefix = bytearray(head)
        self._pos = 0

    def tell(self) -> int:
        """The current position."""
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move to ``offset`` (from the start, or from here for ``whence=1``); reads nothing."""
        self._pos = offset if whence == 0 else self._pos + offset
        return self._pos

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes from the current position, read only where not already kept."""
        start, end = self._pos, self._pos + n
        have = len(self.prefix)
        if end <= have:
            out = bytes(self.prefix[start:end])
        elif start <= have:  # extends the contiguous prefix
            self._fh.seek(have)
            self.prefix += self._fh.read(end - have)
            out = bytes(self.prefix[start:end])
        else:
            self._fh.seek(start)
            out = self._fh.read(n)
        self._pos += len(out)
        return out

    def extend_to(self, n: int) -> bytes:
        """The file's first ``n`` bytes (fewer at its end), reading only the missing ones."""
        pos = self._pos
        self.seek(0)
        self.read(n)
        self._pos = pos
        return bytes(self.prefix[:n])


def read_header(fh: Any, size: int, keep: int = 0) -> Optional[JpegHeader]:
    """Read ``fh`` (a JPEG, at any position) up to its frame header; None when that fails.

    None means "decode the whole file as before": no frame header within `MAX_HEADER`
    bytes, a malformed segment, or anything else unusual. Never raises for bad bytes.
    Segments skipped on the way are still read when they start within the first
    ``keep`` bytes, so that an `ExactReader`'s prefix stays contiguous that far.
    """
    try:
        fh.seek(0)
        if fh.read(2) != b"\xff\xd8":
            return None
        exif = None
        while fh.tell() < MAX_HEADER:
            byte = fh.read(1)
            if byte != b"\xff":
                return None
            marker = fh.read(1)
            while marker == b"\xff":  # fill bytes before a marker
                marker = fh.read(1)
            if not marker:
                return None
            code = marker[0]
            if code in _BARE:
                continue
            raw = fh.read(2)
            if len(raw) < 2:
                return None
            length = struct.unpack(">H", raw)[0] - 2
            if length < 0 or code in (0xD8, 0xD9, 0xDA):
                return None  # image data before any frame header: not for us
            if code in _SOF:
                body = fh.read(6)
                if len(body) < 6:
                    return None
                bits, height, width, planes = struct.unpack(">BHHB", body)
                if bits != 8 or planes not in (1, 3, 4) or not width or not height:
                    return None  # what Pillow may refuse is left to Pillow
                fh.seek(size - 2)
                complete = fh.read(2) == b"\xff\xd9"
                return JpegHeader(width, height, exif, complete)
            if code == 0xE1 and exif is None:
                body = fh.read(length)
                if len(body) < length:
                    return None
                if body.startswith(b"Exif\x00\x00"):
                    exif = body
            elif fh.tell() < keep:  # read through, to keep the prefix whole
                end = fh.tell() + length
                fh.read(min(end, keep) - fh.tell())
                fh.seek(end)
            else:
                fh.seek(length, 1)
    except (OSError, ValueError, struct.error):
        return None
    return None


def links_ifd1(payload: Optional[bytes]) -> bool:
    """Whether an APP1 EXIF payload's first IFD links a second (IFD1: the thumbnail's).

    Read from the TIFF header alone, so that a photo without a thumbnail costs no
    EXIF parsing here (its whole decode reads the EXIF anyway).
    """
    if not payload:
        return False
    tiff = payload[6:]
    end = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if end is None or len(tiff) < 8:
        return False
    first = struct.unpack(end + "I", tiff[4:8])[0]
    if first + 2 > len(tiff):
        return False
    after = first + 2 + 12 * struct.unpack(end + "H", tiff[first : first + 2])[0]
    if after + 4 > len(tiff):
        return False
    return 8 <= struct.unpack(end + "I", tiff[after : after + 4])[0] < len(tiff)


def load_exif(payload: Optional[bytes]) -> Any:
    """A Pillow ``Exif`` of an APP1 payload (what ``Image.getexif()`` gives), None if unreadable."""
    if not payload:
        return None
    from PIL import Image

    exif = Image.Exif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exif.load(payload)
    except Exception:  # corrupt EXIF is common in re-saved photos; the photo stays usable
        return None
    return exif


def trusted_thumbnail(header: JpegHeader, exif: Any) -> Optional[Any]:
    """The EXIF thumbnail as a loaded Pillow image, when it can stand for the photo; else None.

    Trusted only when: IFD1 points at a whole JPEG inside the EXIF segment; it decodes;
    its shorter side is at least `MIN_THUMB_SIDE`; its width:height is the frame's
    (within `ASPECT_TOLERANCE`; a letterboxed or a cropped photo's stale thumbnail is
    not); and the EXIF pixel dimensions, when given, are the frame's own.
    """
    if exif is None or header.exif is None:
        return None
    from PIL import ExifTags, Image

    try:
        ifd1 = exif.get_ifd(ExifTags.IFD.IFD1)
        sub = exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:
        return None
    offset, length = ifd1.get(0x0201), ifd1.get(0x0202)
    if not isinstance(offset, int) or not isinstance(length, int) or length <= 0:
        return None
    dims = sub.get(0xA002), sub.get(0xA003)
    if all(isinstance(d, int) and d > 0 for d in dims) and dims != (header.width, header.height):
        return None  # EXIF written for another frame: the thumbnail may be another's too
    tiff = header.exif[6:]
    data = tiff[offset : offset + length]
    if len(data) < length or not data.startswith(b"\xff\xd8"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            thumb = Image.open(io.BytesIO(data))
            thumb.load()
    except Exception:  # a broken thumbnail: the photo itself is decoded instead
        return None
    tw, th = thumb.size
    if min(tw, th) < MIN_THUMB_SIDE:
        return None
    frame = header.width / header.height
    if abs(tw / th - frame) > ASPECT_TOLERANCE * frame:
        return None
    return thumb


def header_facts(fh, size: int, keep: int = 0) -> Optional[tuple[Optional[_dt.date], int]]:
    """A JPEG's date and thumbnail ``glance`` from its header alone; None: decode the photo.

    Only for a whole file (it ends with the end-of-image marker: a cut copy is decoded,
    and reported, as before) of a sane size, with a trusted EXIF thumbnail. ``keep`` is
    `read_header`'s.
    """
    from PIL import Image

    header = read_header(fh, size, keep)
    if header is None or not header.complete or not links_ifd1(header.exif):
        return None
    if header.width * header.height > 2 * (Image.MAX_IMAGE_PIXELS or 1 << 62):
        return None  # refused as a decompression bomb by the whole decode
    exif = load_exif(header.exif)
    thumb = trusted_thumbnail(header, exif)
    if thumb is None:
        return None
    try:
        _fine, value = hashes(thumb)
    except (OSError, ValueError, SyntaxError):
        return None
    finally:
        thumb.close()
    try:
        date = parse_exif_datetime(exif.get_ifd(0x8769).get(0x9003))
    except Exception:  # corrupt EXIF: no date, as in the whole decode
        date = None
    return date, value
