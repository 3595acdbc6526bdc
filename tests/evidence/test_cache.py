"""Tests of the scan cache: a rerun reads unchanged files from SQLite, changed ones again."""

from __future__ import annotations

import json
import os
import sqlite3

from click.testing import CliRunner

from wenming_xl.cli import cli
from wenming_xl.evidence.cache import PROBE_VERSION, ScanCache
from wenming_xl.evidence.kinds import probe, probe_many
from wenming_xl.files.database import MIGRATIONS
from wenming_xl.runs.check import run_check
from wenming_xl.runs.history import open_history
from wenming_xl.runs.sample import prepare_demo


def _files(root):
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


def test_rerun_hits_cache_and_changed_files_are_probed_again(tmp_path):
    _table, evidence = prepare_demo(tmp_path / "unit")
    paths = _files(evidence)
    db = tmp_path / "wenming.sqlite"
    with ScanCache(db) as cache:
        first = probe_many(paths, workers=1, cache=cache)
        assert (cache.hits, cache.misses) == (0, len(paths))
    rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM file_facts").fetchone()[0]
    assert rows == len(paths)

    with ScanCache(db) as cache:
        again = probe_many(paths, workers=1, cache=cache)
        assert (cache.hits, cache.misses) == (len(paths), 0)
    assert cache.stored == 0
    assert again == first  # dates, hashes, kinds come back exactly

    photo = next(p for p in paths if p.endswith(".jpg"))
    doc = next(p for p in paths if p.endswith(".docx"))
    st = os.stat(photo)
    os.utime(photo, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # touched
    with open(doc, "ab") as fh:  # grown
        fh.write(b"\0")
    with ScanCache(db) as cache:
        third = probe_many(paths, workers=1, cache=cache)
        assert cache.misses == 2 and cache.hits == len(paths) - 2
    assert cache.stored == 2
    changed = {f.path: f for f in third}
    assert changed[photo].mtime_ns == st.st_mtime_ns + 5_000_000_000
    assert changed[photo].dhash == next(f for f in first if f.path == photo).dhash
    assert changed[doc].size == os.path.getsize(doc)


def test_cached_facts_equal_fresh_probe(tmp_path):
    _table, evidence = prepare_demo(tmp_path / "unit")
    paths = _files(evidence)
    with ScanCache(tmp_path / "c.sqlite") as cache:
        probe_many(paths, workers=1, cache=cache)
    with ScanCache(tmp_path / "c.sqlite") as cache:
        cached = probe_many(paths, workers=1, cache=cache)
    assert cached == [probe(p) for p in paths]
    assert any(f.dhash is not None and f.dhash.bit_length() > 200 for f in cached)
    assert any(f.exif_date is not None for f in cached)


def test_unreadable_files_are_not_cached(tmp_path):
    missing = str(tmp_path / "gone.jpg")
    with ScanCache(tmp_path / "c.sqlite") as cache:
        facts = probe_many([missing], workers=1, cache=cache)
        assert facts[0].error and cache.stored == 0


def test_run_check_uses_the_history_file(tmp_path):
    table, evidence = prepare_demo(tmp_path / "unit")
    db = tmp_path / "hist" / "wenming.sqlite"
    first = run_check(table, evidence=evidence, period="2022", db=db)
    with open_history(db) as hist:
        assert hist.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        n = hist.conn.execute(
            "SELECT COUNT(*) FROM file_facts WHERE version = ?", (PROBE_VERSION,)
        ).fetchone()[0]
    assert n == len(_files(evidence))
    second = run_check(table, evidence=evidence, period="2022", db=db)
    assert second.to_dict()["items"] == first.to_dict()["items"]
    assert not (table.parent / "wenming.sqlite").exists()  # library callers: only what they name


def test_check_command_cache_default_and_no_cache(tmp_path):
    table, evidence = prepare_demo(tmp_path / "unit")
    runner = CliRunner()
    args = ["check", str(table), "--evidence", str(evidence), "--json", "-", "--no-outputs"]
    res = runner.invoke(cli, args + ["--no-cache"])
    assert res.exit_code == 0, res.output
    assert not (table.parent / "wenming.sqlite").exists()
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    default_db = table.parent / "wenming.sqlite"
    assert sqlite3.connect(default_db).execute("SELECT COUNT(*) FROM file_facts").fetchone()[0]
    other = tmp_path / "elsewhere.sqlite"
    res = runner.invoke(cli, args + ["--db", str(other)])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["items"]
    assert sqlite3.connect(other).execute("SELECT COUNT(*) FROM file_facts").fetchone()[0]


def test_unusable_cache_file_does_not_stop_the_scan(tmp_path):
    _table, evidence = prepare_demo(tmp_path / "unit")
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    paths = _files(evidence)
    with ScanCache(bad) as cache:
        facts = probe_many(paths, workers=1, cache=cache)
        assert cache.error and cache.hits == 0
    assert len(facts) == len(paths) and not any(f.error for f in facts)
