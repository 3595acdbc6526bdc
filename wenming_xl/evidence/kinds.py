"""The per-file probe: what a file is (by its bytes), its photo date, and a perceptual hash.

`probe` is a pure function of one path returning picklable `FileFacts`, so that a
cache (keyed by path, size and mtime) and a process pool can wrap it. File kinds come
from magic bytes, never from the extension. Only photos get a date (EXIF
DateTimeOriginal). Images are decoded in Pillow's draft mode to a small grey picture
for two difference hashes: 256 bits (16×16, ``dhash``: what near duplicates are judged
by) and 256 bits (8×8 across and down, ``glance``: what candidates are looked up by), and never kept in
memory. A JPEG is read only up to its frame header (`thumbs.read_header`) when its EXIF
thumbnail can be trusted: ``glance`` then comes from the thumbnail, and the photo is
decoded whole only when another photo looks like it (`alike.whole_hashes`).
``WENMING_FULL_DECODE=1`` in the environment decodes every image (for comparisons).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import operator
import os
import re
import stat
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable, Optional, Protocol

from wenming_xl.errors import os_reason
from wenming_xl.files.zips import open_zip
from wenming_xl.model import DOCUMENT, IMAGE, OTHER, VIDEO

#: Extensions that promise an image (a file so named but not an image is reported).
IMAGE_EXTS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
    | {".heic", ".heif", ".hif", ".avif"}
)

#: How each format is named in a Chinese message.
FORMAT_NAMES = {
    "jpeg": "JPEG图片",
    "png": "PNG图片",
    "gif": "GIF图片",
    "webp": "WebP图片",
    "bmp": "BMP图片",
    "tiff": "TIFF图片",
    "heic": "HEIC照片",
    "avif": "AVIF图片",
    "pdf": "PDF文档",
    "docx": "Word文档",
    "xlsx": "Excel表格",
    "pptx": "PowerPoint演示文稿",
    "ofd": "OFD电子文件",
    "doc": "Word文档（旧版.doc）",
    "wps": "WPS文字文档",
    "xls": "Excel表格（旧版.xls）",
    "et": "WPS表格",
    "ppt": "PowerPoint演示文稿（旧版）",
    "dps": "WPS演示文稿",
    "ole": "Office/WPS旧版文档",
    "rtf": "RTF文档",
    "mp4": "MP4视频",
    "mov": "MOV视频",
    "avi": "AVI视频",
    "zip": "压缩包",
    "empty": "空文件",
    "text": "文本文件",
    "unknown": "无法识别的格式",
}

_HEIF_BRANDS = {
    b"heic": "heic",
    b"heix": "heic",
    b"hevc": "heic",
    b"hevx": "heic",
    b"heim": "heic",
    b"heis": "heic",
    b"hevm": "heic",
    b"hevs": "heic",
    b"mif1": "heic",
    b"msf1": "heic",
    b"avif": "avif",
    b"avis": "avif",
}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_QT_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_OLE_EXTS = {".doc": "doc", ".wps": "wps", ".xls": "xls", ".et": "et", ".ppt": "ppt", ".dps": "dps"}
_OOXML_EXTS = {".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".ofd"}
_BMP_DIB_SIZES = {12, 40, 52, 56, 64, 108, 124}
_HEAD = 512
#: Exact duplicates: files sharing a size are compared by this many first bytes, then whole
#: (jdupes's partial hash: photos of one size differ within their first 4 KiB).
HEAD_BYTES = 4096

#: Bits of the difference hash (16×16): resized copies stay within ~20, other photos ~50+ apart.
HASH_BITS = 256
#: Grey levels a glance difference must exceed to count (JPEG noise on a flat area does not).
GLANCE_DEAD_ZONE = 1


@dataclass(frozen=True)
class FileFacts:
    """What one probe learned about one file (picklable; cacheable by path, size, mtime)."""

    path: str
    size: int
    mtime_ns: int
    kind: str
    fmt: str
    exif_date: Optional[_dt.date] = None
    dhash: Optional[int] = None
    #: Chinese reason when the file could not be read; then nothing else is trusted.
    error: Optional[str] = None
    #: True for a HEIC/AVIF photo this machine cannot decode (counted, but undated).
    no_decoder: bool = False
    #: The picture at a glance (`hashes`); for a JPEG probed from its header (``dhash``
    #: None) it is the EXIF thumbnail's, until the photo is decoded whole.
    glance: Optional[int] = None
    #: Content digests for exact duplicates: of the first `HEAD_BYTES`, of the whole file.
    head_digest: Optional[str] = None
    digest: Optional[str] = None

    @property
    def label(self) -> str:
        """The format in Chinese words, for messages (「PDF文档」)."""
        return FORMAT_NAMES.get(self.fmt, FORMAT_NAMES["unknown"])


def sniff(head: bytes, ext: str = "") -> tuple[str, str]:
    """Decide ``(kind, fmt)`` from a file's first bytes; ``ext`` only names OLE/zip variants.

    Zip containers (DOCX/XLSX…) are reported as ``("zip", "zip")`` here and resolved by
    `probe`, which looks at the member names.
    """
    ext = ext.lower()
    if not head:
        return OTHER, "empty"
    if head[:3] == b"\xff\xd8\xff":
        return IMAGE, "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return IMAGE, "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return IMAGE, "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return IMAGE, "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return VIDEO, "avi"
    if head[:2] == b"BM" and len(head) >= 18:
        if struct.unpack("<I", head[14:18])[0] in _BMP_DIB_SIZES:
            return IMAGE, "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return IMAGE, "tiff"
    if head[4:8] == b"ftyp":
        return _ftyp(head)
    if head[4:8] in _QT_ATOMS:
        return VIDEO, "mov"
    if b"%PDF-" in head[:1024]:
        return DOCUMENT, "pdf"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return DOCUMENT, _OLE_EXTS.get(ext, "ole")
    if head[:5] == b"{\\rtf":
        return DOCUMENT, "rtf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip", "zip"
    if _looks_like_text(head):
        return OTHER, "text"
    return OTHER, "unknown"


def _ftyp(head: bytes) -> tuple[str, str]:
    """Classify an ISO base media file (HEIC/AVIF photo, MP4/MOV video, M4A audio)."""
    size = struct.unpack(">I", head[:4])[0]
    end = min(max(size, 16), len(head))
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, end - 3, 4)]
    for brand in brands:
        if brand in _HEIF_BRANDS:
            return IMAGE, _HEIF_BRANDS[brand]
    if brands[0] in _AUDIO_BRANDS:
        return OTHER, "unknown"
    return VIDEO, "mov" if brands[0] == b"qt  " else "mp4"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for enc in ("utf-8", "gb18030"):
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError:
            continue
    return False


#: The part each zip document is built on; it must parse for the document to count.
_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "ofd": "OFD.xml",
}
#: No real document's main part inflates to more than this.
MAX_MAIN_PART = 128 * 1024 * 1024
_BROKEN = "文件已损坏，无法打开；请重新保存或导出后再上传"


def _zip_kind(fh, ext: str) -> tuple[str, str, Optional[str]]:
    """Look inside a zip container: DOCX, XLSX, PPTX, OFD are documents; else a plain zip.

    A document counts only if it opens as one (`package_error`): a zip bomb, XML with
    entity definitions (billion laughs) or a main part that does not parse is an error.
    """
    try:
        zf = open_zip(fh)
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        if ext in _OOXML_EXTS:
            return DOCUMENT, ext.lstrip(".")[:4], _BROKEN
        return OTHER, "zip", None
    for fmt, part in _MAIN_PARTS.items():
        if part in names:
            return DOCUMENT, fmt, package_error(zf, fmt)
    return OTHER, "zip", None


def package_error(zf: zipfile.ZipFile, fmt: str) -> Optional[str]:
    """Why a zip document does not open as one (Chinese), or None when its main part parses."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    from wenming_xl.errors import WenmingError
    from wenming_xl.files.zips import check_zip_sizes

    try:
        check_zip_sizes(zf, "", error=WenmingError)
    except WenmingError:
        return "文件解压后大得异常（疑似「压缩炸弹」），没有打开；请重新保存或导出后再上传"
    info = zf.getinfo(_MAIN_PARTS[fmt])
    if info.file_size > MAX_MAIN_PART:
        return "文件解压后大得异常，没有打开；请重新保存或导出后再上传"
    if fmt != "ofd" and "[Content_Types].xml" not in zf.NameToInfo:
        return "不是完整的 Office 文档（缺少内容类型表），" + _BROKEN
    try:
        with zf.open(info) as part:
            for _event, el in iterparse(part, events=("end",), forbid_dtd=True):
                el.clear()
    except DefusedXmlException:
        return "文档中含有不安全的 XML 定义（可用来耗尽内存），没有打开；请用 Word/WPS 重新保存后再上传"
    except (ParseError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        return _BROKEN
    return None


_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm")
_STREAM = re.compile(rb"stream\r?\n")
#: How much of one object stream is inflated when looking for a page in it.
_OBJSTM_LIMIT = 8 * 1024 * 1024


def pdf_error(fh) -> Optional[str]:
    """Why a file starting with ``%PDF-`` is no readable PDF (Chinese), or None.

    A PDF must end with its cross-reference trailer (``startxref`` … ``%%EOF``) and hold
    at least one page object, written plainly or inside a compressed object stream (PDF
    1.5+). Random bytes after ``%PDF`` have neither. An encrypted PDF's object streams
    cannot be read here: its trailer suffices.
    """
    import mmap

    try:
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return "PDF 文件无法读取；请重新导出后再上传"
    try:
        tail = data[-65536:]
        if b"%%EOF" not in tail or b"startxref" not in tail:
            return (
                "PDF 文件不完整（缺少文件结尾），可能没有下载或拷贝完整；请重新导出或拷贝后再上传"
            )
        if _PAGE.search(data) or b"/Encrypt" in tail or b"/Encrypt" in data[:65536]:
            return None
        for m in _OBJSTM.finditer(data):
            s = _STREAM.search(data, m.end(), m.end() + 4096)
            if s is None:
                continue
            try:
                inflated = zlib.decompressobj().decompress(
                    data[s.end() : s.end() + _OBJSTM_LIMIT], _OBJSTM_LIMIT
                )
            except zlib.error:
                continue
            if _PAGE.search(inflated):
                return None
        return "PDF 文件中没有可读的页面（文件已损坏或不是真正的 PDF）；请重新导出 PDF 后再上传"
    finally:
        data.close()


_EXIF_DATE = re.compile(r"((?:19|20)\d{2})\s*[:\-/.]\s*(\d{1,2})\s*[:\-/.]\s*(\d{1,2})")


def parse_exif_datetime(value: object) -> Optional[_dt.date]:
    """``"2022:05:03 10:11:12"`` (or bytes, or ``2022-05-03``) → date; None when blank or bogus."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    m = _EXIF_DATE.search(value.replace("\x00", ""))
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _exif_date(im) -> Optional[_dt.date]:
    """The photo's DateTimeOriginal (EXIF tag 0x9003 in the Exif IFD), None if absent or corrupt."""
    try:
        exif = im.getexif()
        value = exif.get_ifd(0x8769).get(0x9003)
    except Exception:  # corrupt EXIF is common in re-saved photos; the photo stays usable
        return None
    return parse_exif_datetime(value)


def dhash(im, bits: int = HASH_BITS) -> int:
    """Difference hash (256 bits: 16×16) of an open image, decoded at reduced size.

    The JPEG decoder scales by 1/2…1/8 while decoding (draft), then one Lanczos resize
    to 17×16 grey pixels; each bit says whether a pixel is brighter than its right neighbour.
    """
    from PIL import Image

    side = int(bits**0.5)
    try:
        im.draft("L", (side * 8, side * 8))
    except (AttributeError, ValueError, OSError):
        pass
    grey = im.convert("L")
    return _differences(grey.resize((side + 1, side), Image.Resampling.LANCZOS).tobytes(), side)


def hashes(im) -> tuple[int, int]:
    """`dhash` and the 256-bit ``glance`` of an open image, from one reduced decode.

    ``glance``: of 9×9 box averages of the same grey picture, each difference across
    and down gives two bits, brighter / darker by more than `GLANCE_DEAD_ZONE`
    grey levels (a flat area is 0, whatever the noise). Taken from a camera's EXIF
    thumbnail it is within ~10 bits of the whole photo's (the 256-bit hash, sensitive
    to single grey levels, can be 50 bits off), so candidates are looked up by it.
    """
    from PIL import Image

    try:
        im.draft("L", (128, 128))
    except (AttributeError, ValueError, OSError):
        pass
    grey = im.convert("L")
    fine = grey.resize((17, 16), Image.Resampling.LANCZOS).tobytes()
    box = grey.resize((9, 9), Image.Resampling.BOX).tobytes()
    across = _steps(box, 1)
    down = _steps(box, 9)
    return _differences(fine, 16), across[0] << 192 | across[1] << 128 | down[0] << 64 | down[1]


def _differences(px: bytes, side: int) -> int:
    """Bits of a (side + 1) × side grey picture: is each pixel brighter than its right neighbour.

    Row by row, left to right, the first pixel's bit highest. Compared and packed by bytes
    operations (no Python loop over the pixels: this runs once for every photo).
    """
    width = side + 1
    flags = bytes(map(_gt, px, px[1:]))  # each pixel against the next; row ends dropped below
    rows = b"".join([flags[r * width : r * width + side] for r in range(side)])
    return int(rows.translate(_AS_DIGITS), 2)


def _steps(px: bytes, step: int) -> tuple[int, int]:
    """Bits of a 9 × 9 grey picture: is each of 8 × 8 pixels brighter / darker than the
    next one (``step`` 1: to its right; 9: below) by more than `GLANCE_DEAD_ZONE` levels."""
    first = b"".join([px[r * 9 : r * 9 + 8] for r in range(8)])
    other = b"".join([px[r * 9 + step : r * 9 + step + 8] for r in range(8)])
    # a > b + dead  <=>  a > min(b + dead, 255): the raised copy is one table lookup.
    brighter = bytes(map(_gt, first, other.translate(_RAISED)))
    darker = bytes(map(_gt, other, first.translate(_RAISED)))
    return int(brighter.translate(_AS_DIGITS), 2), int(darker.translate(_AS_DIGITS), 2)


_gt = operator.gt
#: b"\x00\x01…" (comparison results) → b"01…", read by int(…, 2).
_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
#: Each grey level raised by the dead zone (capped at 255).
_RAISED = bytes(min(v + GLANCE_DEAD_ZONE, 255) for v in range(256))


def hamming(a: int, b: int) -> int:
    """Number of differing bits of two hashes."""
    return _popcount(a ^ b)


_popcount = getattr(int, "bit_count", lambda v: bin(v).count("1"))  # int.bit_count: 3.10+


def _register_heif() -> bool:
    """Use pillow-heif when it is installed; True when HEIC can be decoded."""
    try:
        import pillow_heif  # type: ignore[import-not-found]
    except ImportError:
        return False
    try:
        pillow_heif.register_heif_opener()
    except Exception:
        return False
    return True


_HEIF_OK: Optional[bool] = None


def heif_opener() -> bool:
    """Register pillow-heif's opener with Pillow once; True when HEIC photos decode here."""
    global _HEIF_OK
    if _HEIF_OK is None:
        _HEIF_OK = _register_heif()
    return _HEIF_OK


def _image_facts(
    fh, fmt: str
) -> tuple[Optional[_dt.date], Optional[tuple[int, int]], Optional[str], bool]:
    """Open an image (already typed by its bytes): date, `hashes`, error reason, no-decoder flag."""
    from PIL import Image, UnidentifiedImageError

    if fmt in ("heic", "avif"):
        heif_opener()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # palette transparency, decompression-bomb warnings
        try:
            im = Image.open(fh)
        except UnidentifiedImageError:
            if fmt in ("heic", "avif"):
                return None, None, None, True
            return None, None, "图片已损坏，无法打开；请重新拷贝原图", False
        except Image.DecompressionBombError:
            return None, None, "图片尺寸异常巨大，可能已损坏", False
        except (OSError, ValueError, SyntaxError) as exc:
            return None, None, f"图片已损坏，无法打开（{exc}）；请重新拷贝原图", False
        try:
            date = _exif_date(im)
            try:
                value = hashes(im)
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
                return date, None, "图片内容已损坏或不完整；请重新拷贝原图", False
            return date, value, None, False
        finally:
            im.close()


def probe(path: str) -> FileFacts:
    """Inspect one file: kind and format by magic bytes, size, mtime, EXIF date, dHash.

    Never raises for a bad file: a file that cannot be read comes back with ``error`` set
    to a Chinese reason. Only regular files are opened (a FIFO or device is refused).
    """
    ext = os.path.splitext(path)[1].lower()
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return FileFacts(path, 0, 0, OTHER, "unknown", error="文件不存在或链接已失效")
    except OSError as exc:
        return FileFacts(path, 0, 0, OTHER, "unknown", error=_os_reason(exc))
    size, mtime = st.st_size, st.st_mtime_ns
    if not stat.S_ISREG(st.st_mode):
        return FileFacts(path, size, mtime, OTHER, "unknown", error="不是普通文件")
    try:
        # Unbuffered: a JPEG's header is read exactly (`thumbs.ExactReader`); every other
        # reader goes through a buffer over the same file.
        with open(path, "rb", buffering=0) as raw, io.BufferedReader(raw) as fh:
            head = raw.read(_HEAD)
            fh.seek(0)
            kind, fmt = sniff(head, ext)
            error: Optional[str] = None
            date = value = glance = None
            no_decoder = False
            if kind == "zip":
                kind, fmt, error = _zip_kind(fh, ext)
            elif fmt == "pdf":
                error = pdf_error(fh)
            elif kind == IMAGE:
                if fmt == "jpeg" and not full_decode():
                    from wenming_xl.evidence.thumbs import ExactReader, header_facts

                    exact = ExactReader(raw, head)
                    keep = HEAD_BYTES if size > HEAD_BYTES else 0
                    seen = header_facts(exact, size, keep)
                    if seen is not None:
                        # The first bytes were read for the header: their digest is kept,
                        # so that a photo of another's size is never opened again for it.
                        digest = bytes_digest(exact.extend_to(keep)) if keep else None
                        date, glance = seen
                        return FileFacts(
                            path, size, mtime, kind, fmt, date, glance=glance, head_digest=digest
                        )
                fh.seek(0)
                date, hashes, error, no_decoder = _image_facts(fh, fmt)
                value, glance = hashes or (None, None)
    except OSError as exc:
        return FileFacts(path, size, mtime, OTHER, "unknown", error=_os_reason(exc))
    return FileFacts(path, size, mtime, kind, fmt, date, value, error, no_decoder, glance)


def full_decode() -> bool:
    """Whether every image is to be decoded whole (``WENMING_FULL_DECODE=1``: comparisons)."""
    return os.environ.get("WENMING_FULL_DECODE", "") not in ("", "0")


def _os_reason(exc: OSError) -> str:
    """A Chinese reason for an OS error, with what to do."""
    if isinstance(exc, PermissionError):
        return "没有读取权限；请让文件所有者开放读取权限，或确认文件未被其他程序独占"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在或链接已失效"
    return f"读取出错：{os_reason(exc)}；请确认文件没有被占用或损坏"


def bytes_digest(data: bytes) -> str:
    """The `content_hash` of a file holding exactly ``data``."""
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).hexdigest()


_DIGEST_SIZE = 20


def content_hash(path: str, limit: Optional[int] = None) -> Optional[str]:
    """BLAKE2b of a file's bytes (only the first ``limit`` bytes when given); None if unreadable."""
    h = hashlib.blake2b(digest_size=_DIGEST_SIZE)
    remaining = limit
    try:
        with open(path, "rb") as fh:
            while True:
                want = 1 << 20 if remaining is None else min(1 << 20, remaining)
                if want <= 0:
                    break
                chunk = fh.read(want)
                if not chunk:
                    break
                h.update(chunk)
                if remaining is not None:
                    remaining -= len(chunk)
    except OSError:
        return None
    return h.hexdigest()


def duplicate_sets(
    files: list[tuple[str, int]],
    digest: Optional[Callable[[int, Optional[int]], Optional[str]]] = None,
) -> list[list[int]]:
    """Indices of identical files, each set in input order, from ``(path, size)`` pairs.

    As jdupes does: only files sharing a size are read at all; their first
    `HEAD_BYTES` are hashed, and only files still alike are hashed whole.
    ``digest(i, limit)`` gives file ``i``'s digest (of its first ``limit`` bytes, or
    whole for None), e.g. from a cache; by default `content_hash` reads the file.
    """
    if digest is None:

        def digest(i: int, limit: Optional[int]) -> Optional[str]:
            return content_hash(files[i][0], limit)

    by_size: dict[int, list[int]] = {}
    for i, (_path, size) in enumerate(files):
        if size > 0:
            by_size.setdefault(size, []).append(i)
    out: list[list[int]] = []
    for size, idxs in by_size.items():
        if len(idxs) < 2:
            continue
        stages = [HEAD_BYTES, None] if size > HEAD_BYTES else [None]
        buckets = [idxs]
        for limit in stages:
            nxt: list[list[int]] = []
            for bucket in buckets:
                by_hash: dict[str, list[int]] = {}
                for i in bucket:
                    value = digest(i, limit)
                    if value is not None:
                        by_hash.setdefault(value, []).append(i)
                nxt.extend(b for b in by_hash.values() if len(b) > 1)
            buckets = nxt
        out.extend(sorted(b) for b in buckets)
    return sorted(out)


class NearIndex:
    """Finds earlier hashes within a Hamming distance, by pigeonhole over hash blocks.

    Split the hash bits into ``distance + 1`` blocks: two hashes within ``distance`` bits
    agree exactly on at least one block, so only hashes sharing a block are compared.
    Each distinct hash is kept once, with the first key added under it, and every block's
    list is in order of addition: a search stops at the first hash within the distance,
    or at one added after the best found so far. Thousands of look-alike images (blank
    screenshots, burst shots) share blocks; without these stops they were compared with
    each other pairwise (20,000 such files: minutes).
    """

    def __init__(self, distance: int, bits: int = HASH_BITS):
        self.distance = distance
        n = distance + 1
        # Block b holds every n-th bit from bit b: each block samples the whole picture,
        # so a blank margin (a run of zero bits) does not make one block zero everywhere.
        self._masks = [sum(1 << i for i in range(b, bits, n)) for b in range(n)]
        #: block value → the distinct hashes with it, in the order they were first added.
        self._tables: list[dict[int, list[int]]] = [{} for _ in range(n)]
        #: hash → (order of addition, the first key added with it).
        self._first: dict[int, tuple[int, object]] = {}

    def find(self, value: int) -> Optional[object]:
        """The earliest added key whose hash is within the distance of ``value``, else None."""
        first, limit = self._first, self.distance
        best = first.get(value)  # the same hash: distance 0 (an earlier one may be near)
        for mask, table in zip(self._masks, self._tables):
            for other in table.get(value & mask, ()):
                found = first[other]
                if best is not None and found[0] >= best[0]:
                    break  # the rest of this list came later still
                if _popcount(value ^ other) <= limit:
                    best = found
                    break
        return best[1] if best else None

    def add(self, value: int, key: object) -> None:
        """Remember ``key`` with its hash; earlier additions rank first in `find`."""
        if value in self._first:
            return  # the earlier key with the same hash always ranks first
        self._first[value] = (len(self._first), key)
        for mask, table in zip(self._masks, self._tables):
            table.setdefault(value & mask, []).append(value)


#: Below this many files the probe runs in this process (a pool costs more than it saves).
POOL_MIN_FILES = 200


class FactsCache(Protocol):
    """What `probe_many` needs from a cache of `FileFacts` (e.g. an SQLite table)."""

    def get(self, path: str, size: int, mtime_ns: int) -> Optional[FileFacts]: ...

    def put(self, facts: FileFacts) -> None: ...


def probe_many(
    paths: list[str],
    *,
    workers: Optional[int] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    cache: Optional[FactsCache] = None,
) -> list[FileFacts]:
    """`probe` every path (in input order), from ``cache`` where unchanged, in a process pool.

    The pool (``workers`` processes, default the CPU count) is used only for more than
    `POOL_MIN_FILES` files to probe; if it cannot start (a sandbox, a daemon process),
    the work is done here instead. ``progress(done, total)`` is called as files finish.
    """
    total = len(paths)
    out: list[Optional[FileFacts]] = [None] * total
    todo: list[int] = []
    for i, path in enumerate(paths):
        hit = None
        if cache is not None:
            try:
                st = os.stat(path)
                hit = cache.get(path, st.st_size, st.st_mtime_ns)
            except OSError:
                hit = None
        if hit is not None:
            out[i] = hit
        else:
            todo.append(i)
    done = total - len(todo)
    if progress:
        progress(done, total)
    workers = workers or os.cpu_count() or 1
    results = None
    if workers > 1 and len(todo) > POOL_MIN_FILES:
        results = _pool_map([paths[i] for i in todo], workers)
    if results is None:
        results = map(probe, (paths[i] for i in todo))
    for i, facts in zip(todo, results):
        out[i] = facts
        if cache is not None:
            cache.put(facts)
        done += 1
        if progress:
            progress(done, total)
    return [f for f in out if f is not None]


def _pool_map(paths: list[str], workers: int) -> Optional[Iterator[FileFacts]]:
    """Probe in a process pool, yielding in order; None when no pool can be started."""
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = ProcessPoolExecutor(max_workers=min(workers, 61))
        chunk = max(1, min(32, len(paths) // (workers * 8)))
        it = pool.map(probe, paths, chunksize=chunk)
    except Exception:  # no process pool here (sandbox, daemonic parent): probe in-process
        return None

    def gen() -> Iterator[FileFacts]:
        got = 0
        try:
            for facts in it:
                got += 1
                yield facts
        except Exception:  # a worker died: finish the rest in this process
            for path in paths[got:]:
                yield probe(path)
        finally:
            pool.shutdown(wait=True)

    return gen()
