"""The per-file probe: kinds by magic bytes, EXIF dates, dHash, duplicates, the pool and cache."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imgs import docx, heic, jpeg, mp4, pdf, picture, png
from PIL import Image

from wenming_xl.evidence import kinds as filekinds
from wenming_xl.evidence.kinds import (
    NearIndex,
    duplicate_sets,
    hamming,
    parse_exif_datetime,
    probe,
    probe_many,
)
from wenming_xl.text import skipped


def _save(path, fmt, **kw):
    picture(3, (64, 48)).save(path, fmt, **kw)
    return path


def _xlsx(path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "name, build, kind, fmt",
    [
        ("a.jpg", lambda p: jpeg(p), "image", "jpeg"),
        ("a.png", lambda p: png(p), "image", "png"),
        ("a.gif", lambda p: _save(p, "GIF"), "image", "gif"),
        ("a.webp", lambda p: _save(p, "WEBP"), "image", "webp"),
        ("a.bmp", lambda p: _save(p, "BMP"), "image", "bmp"),
        ("a.tif", lambda p: _save(p, "TIFF"), "image", "tiff"),
        ("a.heic", lambda p: heic(p), "image", "heic"),
        ("a.pdf", lambda p: pdf(p), "document", "pdf"),
        ("a.docx", lambda p: docx(p), "document", "docx"),
        ("a.xlsx", lambda p: _xlsx(p), "document", "xlsx"),
        (
            "a.doc",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
            "document",
            "doc",
        ),
        (
            "a.wps",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
            "document",
            "wps",
        ),
        ("a.mp4", lambda p: mp4(p), "video", "mp4"),
        (
            "a.mov",
            lambda p: p.write_bytes(b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + bytes(40)),
            "video",
            "mov",
        ),
        ("a.txt", lambda p: p.write_text("活动说明", encoding="utf-8"), "other", "text"),
    ],
)
def test_kind_comes_from_the_bytes(tmp_path, name, build, kind, fmt):
    path = tmp_path / name
    build(path)
    facts = probe(str(path))
    assert (facts.kind, facts.fmt) == (kind, fmt)
    assert facts.error is None
    # the extension does not matter: the same bytes under another name are the same kind
    renamed = tmp_path / ("renamed" + (".bin" if fmt not in ("doc", "wps") else ".doc"))
    path.rename(renamed)
    assert probe(str(renamed)).kind == kind


def test_a_plain_zip_is_other_and_a_broken_docx_is_unreadable(tmp_path):
    plain = tmp_path / "a.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "x")
    assert probe(str(plain)).kind == "other"
    broken = tmp_path / "b.docx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    facts = probe(str(broken))
    assert facts.kind == "document" and facts.error


def test_exif_date_is_read_from_date_time_original(tmp_path):
    facts = probe(str(jpeg(tmp_path / "a.jpg", taken="2022-05-03")))
    assert facts.exif_date == dt.date(2022, 5, 3)
    assert probe(str(jpeg(tmp_path / "b.jpg"))).exif_date is None
    assert probe(str(png(tmp_path / "c.png"))).exif_date is None


def test_corrupt_exif_is_no_date_and_no_crash(tmp_path):
    good = jpeg(tmp_path / "a.jpg", taken="2022-05-03").read_bytes()
    start = good.index(b"Exif\x00\x00") + 6
    bad = good[:start] + b"MM\x00*\xff\xff\xff\xff" + good[start + 8 :]
    path = tmp_path / "bad.jpg"
    path.write_bytes(bad)
    facts = probe(str(path))
    assert facts.kind == "image" and facts.exif_date is None and facts.error is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022:05:03 10:11:12", dt.date(2022, 5, 3)),
        (b"2022:05:03 10:11:12\x00", dt.date(2022, 5, 3)),
        ("2022-05-03", dt.date(2022, 5, 3)),
        ("0000:00:00 00:00:00", None),
        ("    :  :     :  :  ", None),
        ("2022:13:40 00:00:00", None),
        (None, None),
    ],
)
def test_parse_exif_datetime(value, expected):
    assert parse_exif_datetime(value) == expected


def test_truncated_jpeg_is_unreadable(tmp_path):
    data = jpeg(tmp_path / "a.jpg", seed=1, size=(640, 480)).read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 3])
    facts = probe(str(path))
    assert facts.kind == "image" and facts.error and facts.dhash is None


def test_empty_missing_and_special_files(tmp_path):
    empty = tmp_path / "e.jpg"
    empty.write_bytes(b"")
    assert (probe(str(empty)).size, probe(str(empty)).fmt) == (0, "empty")
    assert probe(str(tmp_path / "gone.jpg")).error == "文件不存在或链接已失效"
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.jpg"
        os.mkfifo(fifo)
        assert probe(str(fifo)).error == "不是普通文件"  # never opened, so never blocks


def test_heic_without_decoder_is_an_image_flagged_undecodable(tmp_path):
    facts = probe(str(heic(tmp_path / "a.heic")))
    assert facts.kind == "image" and facts.error is None
    try:
        import pillow_heif  # noqa: F401
    except ImportError:
        assert facts.no_decoder


def test_dhash_matches_a_resized_recompressed_copy_only(tmp_path):
    a = probe(str(jpeg(tmp_path / "a.jpg", seed=7, size=(1600, 1200)))).dhash
    small = picture(7, (1600, 1200)).resize((640, 480))
    small.save(tmp_path / "b.jpg", quality=60)
    b = probe(str(tmp_path / "b.jpg")).dhash
    other = probe(str(jpeg(tmp_path / "c.jpg", seed=8, size=(1600, 1200)))).dhash
    assert hamming(a, b) <= 12
    assert hamming(a, other) > 48


def test_dhash_reads_a_reduced_draft_not_the_full_image():
    im = Image.open(io.BytesIO(_jpeg_bytes((1600, 1200))))
    filekinds.dhash(im)
    assert im.size[0] <= 1600 // 8  # JPEG draft decoded at 1/8 scale


def _jpeg_bytes(size):
    buf = io.BytesIO()
    picture(1, size).save(buf, "JPEG")
    return buf.getvalue()


def test_duplicate_sets_hash_only_files_sharing_a_size(tmp_path, monkeypatch):
    a = jpeg(tmp_path / "a.jpg", seed=1)
    b = tmp_path / "b.jpg"
    b.write_bytes(a.read_bytes())
    c = tmp_path / "c.bin"
    c.write_bytes(bytes(a.stat().st_size))  # same size, other content
    unique = jpeg(tmp_path / "u.jpg", seed=2, size=(200, 100))
    read: list[str] = []
    real = filekinds.content_hash

    def spy(path, limit=None):
        read.append(path)
        return real(path, limit)

    monkeypatch.setattr(filekinds, "content_hash", spy)
    files = [(str(p), p.stat().st_size) for p in (a, unique, b, c)]
    assert duplicate_sets(files) == [[0, 2]]
    assert str(unique) not in read


def test_duplicate_sets_compare_whole_files_beyond_the_first_block(tmp_path):
    head = os.urandom(70000)
    x, y, z = tmp_path / "x", tmp_path / "y", tmp_path / "z"
    x.write_bytes(head + b"A" * 10)
    y.write_bytes(head + b"B" * 10)
    z.write_bytes(head + b"A" * 10)
    files = [(str(p), p.stat().st_size) for p in (x, y, z)]
    assert duplicate_sets(files) == [[0, 2]]


def test_near_index_finds_the_earliest_within_distance():
    idx = NearIndex(4)
    idx.add(0b1111, "first")
    idx.add(0b1110, "second")
    assert idx.find(0b1100) == "first"
    assert idx.find((1 << 63) | (1 << 40) | 0xFF00) is None
    far = NearIndex(2)
    far.add(0, "zero")
    assert far.find(0b111) is None and far.find(0b11) == "zero"


def test_probe_many_in_a_pool_matches_in_process(tmp_path, monkeypatch):
    paths = [str(png(tmp_path / f"{i}.png", seed=i, size=(24, 16))) for i in range(12)]
    serial = probe_many(paths, workers=1)
    monkeypatch.setattr(filekinds, "POOL_MIN_FILES", 4)
    seen: list[tuple[int, int]] = []
    pooled = probe_many(paths, workers=2, progress=lambda d, t: seen.append((d, t)))
    assert pooled == serial
    assert seen[0] == (0, 12) and seen[-1] == (12, 12)
    direct = filekinds._pool_map(paths, 2)  # the pool itself starts here (no silent fallback)
    assert direct is not None and list(direct) == serial


class DictCache:
    """A cache as the SQLite one will be: keyed by path, size and mtime."""

    def __init__(self):
        self.data = {}

    def get(self, path, size, mtime_ns):
        return self.data.get((path, size, mtime_ns))

    def put(self, facts):
        self.data[(facts.path, facts.size, facts.mtime_ns)] = facts


def test_probe_many_uses_the_cache_for_unchanged_files(tmp_path):
    path = jpeg(tmp_path / "a.jpg", taken="2022-05-03")
    cache = DictCache()
    first = probe_many([str(path)], cache=cache)[0]
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # same size, same mtime below: the cached facts stand
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert probe_many([str(path)], cache=cache)[0] is first
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert probe_many([str(path)], cache=cache)[0] is not first


@pytest.mark.parametrize(
    "name, skip",
    [
        ("~$任务表.xlsx", True),
        (".~任务表.xlsx", True),
        ("Thumbs.db", True),
        (".DS_Store", True),
        ("desktop.ini", True),
        ("._IMG_1.jpg", True),
        ("IMG_1.jpg", False),
        ("情况说明.docx", False),
    ],
)
def test_skipped_names(name, skip):
    assert skipped(name) is skip


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_file_reports_a_reason(tmp_path):
    path = jpeg(tmp_path / "a.jpg")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions do not stop reading")
        facts = probe(str(path))
        assert facts.error and "权限" in facts.error
    finally:
        path.chmod(0o644)


# Hashes like real sets of look-alike images: few bits set, many repeats.
_HASHES = st.lists(
    st.one_of(
        st.integers(0, 2**64 - 1),
        st.builds(lambda bits: sum(1 << b for b in bits), st.sets(st.integers(0, 63), max_size=6)),
    ),
    max_size=60,
)


@given(_HASHES, st.integers(0, 12))
def test_near_index_agrees_with_comparing_every_pair(hashes, distance):
    """The indexed search returns what a pairwise search returns: the earliest key
    added whose hash is within the distance."""
    idx = NearIndex(distance)
    for n, value in enumerate(hashes):
        brute = next((k for k, v in enumerate(hashes[:n]) if hamming(v, value) <= distance), None)
        assert idx.find(value) == brute
        idx.add(value, n)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=17 * 16, max_size=17 * 16), st.binary(min_size=81, max_size=81))
def test_hash_bits_are_the_plain_definition(fine, box):
    """The bytes-operation bits equal the plain loops: brighter than the right neighbour;
    brighter / darker than the next one by more than the dead zone (edges 0 and 255 too)."""
    from wenming_xl.evidence.kinds import GLANCE_DEAD_ZONE, _differences, _steps

    want = 0
    for r in range(16):
        for c in range(16):
            want = want << 1 | (fine[r * 17 + c] > fine[r * 17 + c + 1])
    assert _differences(fine, 16) == want
    for step in (1, 9):
        up = down = 0
        for r in range(8):
            for c in range(8):
                a, b = box[r * 9 + c], box[r * 9 + c + step]
                up = up << 1 | (a > b + GLANCE_DEAD_ZONE)
                down = down << 1 | (a + GLANCE_DEAD_ZONE < b)
        assert _steps(box, step) == (up, down)
