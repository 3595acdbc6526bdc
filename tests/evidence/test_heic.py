"""HEIC photos in the scan: their EXIF dates, their picture hashes, their near duplicates."""

from __future__ import annotations

import datetime as dt

from heics import heic_photo
from imgs import photo

from wenming_xl.evidence.collect import collect_evidence
from wenming_xl.evidence.kinds import probe
from wenming_xl.model import Item


def test_a_heic_photo_is_dated_and_hashed(tmp_path):
    facts = probe(str(heic_photo(tmp_path / "IMG_0001.HEIC", seed=4, taken="2022-05-03")))
    assert (facts.kind, facts.fmt, facts.error, facts.no_decoder) == ("image", "heic", None, False)
    assert facts.exif_date == dt.date(2022, 5, 3)
    assert facts.dhash is not None and facts.glance is not None


def test_a_heic_outside_the_period_and_its_jpeg_copy_are_found(tmp_path):
    root = tmp_path / "材料"
    group = root / "3" / "2022-05-03 东双桥社区 礼让斑马线"
    heic_photo(group / "IMG_0001.HEIC", seed=5, taken="2022-05-03")
    photo(5, (800, 600)).resize((640, 480)).save(
        group / "IMG_0001.jpg", quality=80
    )  # sent on as JPEG
    heic_photo(group / "IMG_0002.HEIC", seed=6, taken="2021-05-03")
    items = [Item(no=3, text="学习贯彻条例", requirement_text="上传活动图片不少于3张")]
    evidence, findings = collect_evidence(items, evidence_dir=root, period="2022")
    codes = sorted(f.code for f in findings)
    assert codes == ["near-duplicate-image", "outside-period"]
    by_name = {e.path.rsplit("/", 1)[1]: e for e in evidence}
    assert by_name["IMG_0001.HEIC"].date == dt.date(2022, 5, 3) and by_name["IMG_0001.HEIC"].counted
    assert not by_name["IMG_0002.HEIC"].counted
    assert by_name["IMG_0001.jpg"].near_duplicate_of.endswith("IMG_0001.HEIC")
