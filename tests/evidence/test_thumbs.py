"""Tests of a JPEG probed from its header: EXIF date and thumbnail glance, when trusted."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import sys

import pytest
from imgs import camera_exif, camera_jpeg, jpeg, photo, picture
from PIL import Image

from wenming_xl.evidence.alike import GLANCE_DISTANCE
from wenming_xl.evidence.kinds import HEAD_BYTES, content_hash, hamming, hashes, probe
from wenming_xl.evidence.thumbs import read_header


def test_camera_photo_is_probed_from_its_thumbnail(tmp_path):
    path = camera_jpeg(tmp_path / "IMG_0001.jpg", image=photo(1), taken="2022-05-03 09:30:00")
    facts = probe(str(path))
    assert facts.kind == "image" and facts.error is None
    assert facts.exif_date == dt.date(2022, 5, 3)
    assert facts.dhash is None and facts.glance is not None
    with Image.open(path) as im:
        _fine, whole = hashes(im)
    assert hamming(facts.glance, whole) <= GLANCE_DISTANCE // 2  # it stands for the photo


def test_header_is_read_up_to_the_frame_only(tmp_path):
    path = camera_jpeg(tmp_path / "IMG_0002.jpg", image=photo(2))
    data = path.read_bytes()

    class Counting(io.BytesIO):
        served = 0

        def read(self, n=-1):
            chunk = super().read(n)
            Counting.served += len(chunk)
            return chunk

    header = read_header(Counting(data), len(data))
    assert header is not None and (header.width, header.height) == (1600, 1200)
    assert header.complete and header.exif is not None
    assert Counting.served < len(data) // 10


@pytest.mark.parametrize(
    "why",
    ["no-exif", "no-thumbnail", "cropped-shape", "stale-dimensions", "cut-copy", "tiny-thumbnail"],
)
def test_untrusted_header_means_the_whole_photo_is_decoded(tmp_path, why):
    path = tmp_path / f"{why}.jpg"
    original = picture(3, (1600, 1200))
    if why == "no-exif":
        original.save(path, quality=85)
    elif why == "no-thumbnail":
        jpeg(path, seed=3, size=(1600, 1200), taken="2022-05-03")
    elif why == "cropped-shape":  # an editor cut a strip and kept the original's EXIF
        exif = camera_exif("2022-05-03", original.resize((160, 120)), (1600, 1200))
        original.crop((0, 0, 1600, 900)).save(path, quality=85, exif=exif)
    elif why == "stale-dimensions":  # same shape, but the EXIF names the original's size
        exif = camera_exif("2022-05-03", original.resize((160, 120)), (1600, 1200))
        original.crop((400, 300, 1600, 1200)).save(path, quality=85, exif=exif)
    elif why == "cut-copy":
        data = camera_jpeg(tmp_path / "whole.jpg", image=original).read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        camera_jpeg(path, image=original, thumbnail=original.resize((48, 36)))
    facts = probe(str(path))
    if why == "cut-copy":
        assert facts.error and facts.dhash is None  # reported as before, from the whole decode
    else:
        assert facts.error is None and facts.dhash is not None and facts.glance is not None


def test_full_decode_setting_decodes_every_photo(tmp_path, monkeypatch):
    path = camera_jpeg(tmp_path / "IMG_0003.jpg", image=photo(3))
    monkeypatch.setenv("WENMING_FULL_DECODE", "1")
    facts = probe(str(path))
    assert facts.dhash is not None


@pytest.mark.parametrize(
    "garbage", [b"\xff\xd8\xff\xe1\x00", b"\xff\xd8\xff\xe1\xff\xff" + b"x" * 9]
)
def test_malformed_header_is_left_to_the_whole_decode(tmp_path, garbage):
    path = tmp_path / "bad.jpg"
    path.write_bytes(garbage)
    facts = probe(str(path))
    assert facts.dhash is None and facts.error  # a clear reason, not a crash


def test_only_exif_linking_a_second_ifd_is_parsed_for_a_thumbnail():
    from imgs import _exif_bytes

    from wenming_xl.evidence.thumbs import links_ifd1

    assert links_ifd1(camera_exif("2022-05-03", picture(1, (160, 120)), (640, 480)))
    assert not links_ifd1(_exif_bytes("2022-05-03"))  # Pillow writes IFD0 and Exif IFD only
    for junk in (None, b"", b"Exif\x00\x00II*\x00", b"Exif\x00\x00MM\x00*\xff\xff\xff\xff"):
        assert not links_ifd1(junk)


def _header_end(data: bytes) -> int:
    """Where a JPEG's frame header ends (what the probe must read at least)."""
    i = 2
    while data[i + 1] not in (0xC0, 0xC2):
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return i + 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts bytes with /proc/PID/io")
def test_probe_reads_the_header_exactly_and_keeps_the_head_digest(tmp_path):
    # A buffered file reads whole blocks around every seek; on a share those cross the
    # network. The probe reads the header, the last two bytes and no more.
    path = camera_jpeg(tmp_path / "IMG_0005.jpg", image=photo(5))
    data = path.read_bytes()
    probe(str(camera_jpeg(tmp_path / "warm.jpg", image=photo(6))))  # imports Pillow's plugins

    def rchar() -> int:
        with open(f"/proc/{os.getpid()}/io") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("rchar:"))

    before = rchar()
    facts = probe(str(path))
    read = rchar() - before
    assert facts.dhash is None and facts.glance is not None  # probed from its header
    assert facts.head_digest == content_hash(str(path), HEAD_BYTES)
    assert read <= max(_header_end(data), HEAD_BYTES) + 2 + 512, (read, _header_end(data))
