"""Tests of duplicates found while reading little: the same findings as decoding every photo."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from imgs import camera_jpeg, photo

from wenming_xl.evidence.alike import WideIndex, near_duplicates
from wenming_xl.evidence.cache import ScanCache
from wenming_xl.evidence.collect import collect_evidence
from wenming_xl.evidence.kinds import hamming, probe
from wenming_xl.model import Item

ITEMS = [Item(no=n, text=f"第{n}项任务") for n in range(1, 6)]


def build_tree(root: Path, crop_first: bool = False) -> dict[str, str]:
    """Camera photos and planted copies; returns what each planted file is a copy of."""
    for k in range(8):
        camera_jpeg(root / "1 学习" / "2022-03-01 理论学习" / f"IMG_{k:04d}.jpg", image=photo(k))
    first = root / "1 学习" / "2022-03-01 理论学习"
    group = root / "2 志愿" / "2022-04-02 志愿服务"
    (group / "副本.jpg").parent.mkdir(parents=True, exist_ok=True)
    (group / "副本.jpg").write_bytes((first / "IMG_0001.jpg").read_bytes())  # exact copy
    # A phone's "smaller size" keeps the EXIF and makes a new thumbnail.
    camera_jpeg(group / "缩小.jpg", image=photo(2).resize((1200, 900)))
    # Re-encoded through a chat program: no EXIF at all.
    photo(3).resize((1024, 768)).save(group / "微信图片.jpg", quality=70)
    # Cropped in an editor that rewrote the pixel size but kept the original's thumbnail:
    # the thumbnail shows IMG_0004 whole; the photo shows its lower right part.
    # ``crop_first``: it comes before the original (the first item's folder, sorted first).
    crop = photo(4).crop((400, 300, 1600, 1200))
    name = "0 裁剪.jpg" if crop_first else "裁剪.jpg"
    path = camera_jpeg((first if crop_first else group) / name, image=crop, thumbnail=photo(4))
    assert probe(str(path)).dhash is None  # the stale thumbnail passes every header check
    # …and what the cropped photo really shows, sent on without EXIF.
    crop.resize((800, 600)).save(group / "裁剪后转发.jpg", quality=80)
    return {
        "副本.jpg": "IMG_0001.jpg",
        "缩小.jpg": "IMG_0002.jpg",
        "微信图片.jpg": "IMG_0003.jpg",
        "裁剪后转发.jpg": name,
    }


def scan(root: Path, monkeypatch, full: bool, cache=None):
    monkeypatch.setenv("WENMING_FULL_DECODE", "1" if full else "0")
    evidence, findings = collect_evidence(ITEMS, evidence_dir=root, workers=1, cache=cache)
    return evidence, sorted(
        (f.code, f.params.get("path"), f.params.get("original")) for f in findings
    )


@pytest.mark.parametrize("crop_first", [False, True])
def test_same_findings_as_decoding_every_photo(tmp_path, monkeypatch, crop_first):
    root = tmp_path / "材料"
    planted = build_tree(root, crop_first)
    _ev, full = scan(root, monkeypatch, full=True)
    _ev, quick = scan(root, monkeypatch, full=False)
    assert quick == full
    found = {Path(path).name: Path(original).name for _code, path, original in quick}
    # Each planted copy is reported against its own original (either way round for the
    # crop pair, whichever comes first), and the crop never against what its thumbnail shows.
    for copy, original in planted.items():
        assert found.get(copy) == original or found.get(original) == copy, (copy, found)
    crop = planted["裁剪后转发.jpg"]
    assert found.get(crop) != "IMG_0004.jpg" and found.get("IMG_0004.jpg") != crop
    assert {c for c, _p, _o in quick} == {"duplicate-image", "near-duplicate-image"}
    assert len(quick) == len(planted)


def _rchar() -> int:
    with open(f"/proc/{os.getpid()}/io") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("rchar:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts bytes with /proc/PID/io")
def test_first_scan_reads_a_tenth_and_a_rerun_a_hundredth(tmp_path, monkeypatch):
    # As a real tree mostly is: 70 photos, one copied and one resized (planted files are
    # read whole: an exact copy to compare, a near-duplicate candidate to decode).
    root = tmp_path / "材料"
    for k in range(70):
        camera_jpeg(
            root / f"{k % 5 + 1} 项" / "2022-05-03 活动" / f"IMG_{k:04d}.jpg", image=photo(k)
        )
    (root / "5 项" / "副本.jpg").write_bytes(
        (root / "1 项/2022-05-03 活动/IMG_0000.jpg").read_bytes()
    )
    camera_jpeg(root / "5 项" / "缩小.jpg", image=photo(1).resize((1200, 900)))
    total = sum(p.stat().st_size for p in root.rglob("*.jpg"))
    warm = tmp_path / "预热"  # the first scan of a process also imports Pillow's plugins
    camera_jpeg(warm / "1" / "a.jpg", image=photo(99))
    scan(warm, monkeypatch, False)
    db = tmp_path / "wenming.sqlite"
    before = _rchar()
    with ScanCache(db) as cache:
        _ev, first = scan(root, monkeypatch, False, cache)
    read_first = _rchar() - before
    before = _rchar()
    with ScanCache(db) as cache:
        _ev, again = scan(root, monkeypatch, False, cache)
        assert cache.misses == 0
    read_again = _rchar() - before
    _ev, full = scan(root, monkeypatch, True)
    assert first == again == full
    assert [c for c, _p, _o in first] == ["duplicate-image", "near-duplicate-image"]
    assert read_first <= total // 10, (read_first, total)
    assert read_again <= total // 100, (read_again, total)


def test_thumbnail_only_photo_with_no_neighbour_is_not_decoded(tmp_path, monkeypatch):
    root = tmp_path / "材料"
    for k in range(5):
        camera_jpeg(root / "1" / f"IMG_{k}.jpg", image=photo(k))
    camera_jpeg(root / "1" / "缩小_1.jpg", image=photo(1).resize((800, 600)))
    db = tmp_path / "c.sqlite"
    with ScanCache(db) as cache:
        evidence, findings = scan(root, monkeypatch, False, cache)
    assert [(c, Path(p).name) for c, p, _o in findings] == [("near-duplicate-image", "缩小_1.jpg")]
    with ScanCache(db) as cache:
        cache._load()
        decoded = {Path(p).name for p, row in cache._rows.items() if row[7] is not None}
    assert decoded == {"IMG_1.jpg", "缩小_1.jpg"}


def test_wide_index_finds_every_hash_within_its_distance():
    import random

    rnd = random.Random(4)
    stored = [rnd.getrandbits(256) for _ in range(400)]
    index = WideIndex(24)
    for k, value in enumerate(stored):
        index.add(value, k)
    for k in range(200):
        probe = stored[k % 50]
        for bit in rnd.sample(range(256), rnd.randrange(0, 30)):
            probe ^= 1 << bit
        for exclude in (k % 50, -1):
            near = any(hamming(probe, v) <= 24 for j, v in enumerate(stored) if j != exclude)
            assert index.any_near(probe, exclude=exclude) == near


def test_near_duplicates_of_nothing_is_empty():
    from wenming_xl.evidence.alike import ScannedFiles

    assert near_duplicates(ScannedFiles([], [], None), []) == {}
