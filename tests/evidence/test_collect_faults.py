"""Evidence folders that fight back (issue 9): odd names, deep trees, files vanishing mid-scan.

0-byte files, unreadable files (FIFO, dangling links), corrupt EXIF, HEIC without a
decoder and GBK-byte names are covered in test_evidence.py / test_filekinds.py; this
file adds what was missing there.
"""

from __future__ import annotations

import os
import shutil

import pytest
from badfiles import task_book
from imgs import jpeg

from wenming_xl.evidence.collect import collect_evidence
from wenming_xl.tables.rubric import load_rubric


@pytest.fixture
def items(tmp_path):
    return load_rubric(task_book(tmp_path / "任务表.xlsx")).items


def test_names_with_spaces_and_full_width_characters(tmp_path, items):
    root = tmp_path / "材料"
    folder = root / "３ 志愿服务" / "２０２２－０５－０３　礼让斑马线　现场"
    jpeg(folder / "照片 1（全景）.jpg", seed=1)
    jpeg(folder / " 前后有空格 .jpg", seed=2)
    jpeg(folder / "ＩＭＧ＿０００１．ＪＰＧ", seed=3)
    evidence, findings = collect_evidence(items, evidence_dir=root, period="2022")
    counted = sorted(e.path for e in evidence if e.counted)
    assert len(counted) == 3, (counted, [f.message for f in findings])
    assert all(e.item_no == 3 for e in evidence)
    assert all(e.kind == "image" for e in evidence)


def test_very_deep_tree(tmp_path, items):
    root = tmp_path / "材料"
    deep = root / "1"
    for _ in range(150):
        deep = deep / "d"
    jpeg(deep / "a.jpg", seed=1)
    evidence, findings = collect_evidence(items, evidence_dir=root)
    assert [e.item_no for e in evidence] == [1]
    assert evidence[0].counted


def test_files_removed_while_the_folder_is_scanned(tmp_path, items):
    """The progress callback removes files after they were listed and before they are read."""
    root = tmp_path / "材料"
    for i in range(12):
        jpeg(root / "3" / f"{i:02d}.jpg", seed=i)
    jpeg(root / "2" / "sub" / "x.jpg", seed=40)
    removed: list[str] = []

    def progress(done: int, total: int) -> None:
        if not removed and total:
            for p in sorted((root / "3").glob("*.jpg"))[6:]:
                p.unlink()
                removed.append(p.name)
            shutil.rmtree(root / "2" / "sub")

    evidence, findings = collect_evidence(items, evidence_dir=root, progress=progress, workers=1)
    assert removed
    counted = {os.path.basename(e.path) for e in evidence if e.counted}
    assert counted <= {f"{i:02d}.jpg" for i in range(6)}
    assert not counted & set(removed)
    flagged = {f.params.get("path") for f in findings if f.code == "unreadable-file"}
    assert {f"3/{n}" for n in removed} <= flagged  # listed, then gone: reported, not counted


def test_files_added_while_scanning_never_crash(tmp_path, items):
    root = tmp_path / "材料"
    jpeg(root / "3" / "a.jpg", seed=1)

    def progress(done: int, total: int) -> None:
        jpeg(root / "3" / f"new{done}.jpg", seed=done + 5)

    evidence, _findings = collect_evidence(items, evidence_dir=root, progress=progress)
    assert "3/a.jpg" in {e.path for e in evidence}
