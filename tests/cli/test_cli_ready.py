"""``wenming binder`` and ``wenming pack`` through click's CliRunner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from imgs import jpeg

from wenming_xl.cli import cli

TABLE = (
    Path(__file__).resolve().parents[2]
    / "workbooks"
    / "2022年度文明单位创建工作任务及责任分工.xlsx"
)


def _tree(tmp_path: Path) -> Path:
    (tmp_path / TABLE.name).write_bytes(TABLE.read_bytes())  # its scan cache goes beside it
    ev = tmp_path / "材料"
    for k in range(2):
        jpeg(ev / "04 迎亚运" / "2022-05-03 文明劝导" / f"IMG_{k}.jpg", seed=k,
             taken=dt.date(2022, 5, 3))  # fmt: skip
    return ev


def test_help_has_an_example_and_the_shared_options():
    for name in ("binder", "pack"):
        res = CliRunner().invoke(cli, [name, "--help"])
        assert res.exit_code == 0
        assert f"wenming {name} 任务分工.xlsx" in res.stdout
        for opt in ("--evidence", "--ledger-dir", "--period", "--out", "--config"):
            assert opt in res.stdout


def test_binder_and_pack_write_their_files(tmp_path):
    ev = _tree(tmp_path)
    table = tmp_path / TABLE.name
    res = CliRunner().invoke(cli, ["binder", str(table), "-e", str(ev), "--period", "2022", "-o",
                                   str(tmp_path / "迎检"), "--photos-per-page", "4", "-q"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "总目录.docx" in res.output and "盒脊标签.docx" in res.output
    res = CliRunner().invoke(cli, ["pack", str(table), "-e", str(ev), "--period", "2022", "-o",
                                   str(tmp_path / "包"), "--max-image-kb", "50", "-q"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert (tmp_path / "包" / "报送清单.xlsx").is_file()
    assert "2 个文件" in res.output


def test_a_wrong_option_is_told_in_chinese(tmp_path):
    res = CliRunner().invoke(cli, ["binder", str(TABLE), "--photos-per-page", "3", "-o", "x"])
    assert res.exit_code == 2
    res = CliRunner().invoke(cli, ["pack", str(TABLE)])
    assert res.exit_code == 2 and "--out" in res.output
