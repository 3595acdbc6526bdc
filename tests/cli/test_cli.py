"""The core CLI commands through click's CliRunner: exit codes, clean JSON on stdout, errors in Chinese."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from wenming_xl.cli import cli


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_check_json_stdout_is_only_json(table_2022, tmp_path):
    src = tmp_path / table_2022.name
    shutil.copyfile(table_2022, src)
    before = _sha(src)
    res = CliRunner().invoke(cli, ["check", str(src), "--json", "-", "--no-outputs"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["items"]) == 37
    item3 = next(i for i in data["items"] if i["no"] == 3)
    assert item3["departments"] == ["党建办", "工会", "团委"]
    assert item3["points"] == 6 and item3["kind"] == "base"
    assert item3["requirement"]["summary"]["min_images"] == 9
    assert [c["cap"] for c in data["categories"][:3]] == [44, 48, 8]
    assert _sha(src) == before


def test_check_writes_outputs_beside_workbook(table_2022, tmp_path):
    src = tmp_path / table_2022.name
    shutil.copyfile(table_2022, src)
    res = CliRunner().invoke(cli, ["check", str(src), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "总分" in res.stdout
    stem = src.stem
    assert (tmp_path / "out" / f"{stem}-评分.xlsx").is_file()
    assert (tmp_path / "out" / f"{stem}-看板.xlsx").is_file()


def test_check_bad_file_is_a_chinese_error(tmp_path):
    bad = tmp_path / "任务表.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    res = CliRunner().invoke(cli, ["check", str(bad), "--json", "-"])
    assert res.exit_code == 1
    assert "错误" in res.stderr and "Traceback" not in res.output
    assert res.stdout == ""


def test_demo_runs_and_lists_outputs(tmp_path):
    out = tmp_path / "演示"
    res = CliRunner().invoke(cli, ["demo", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "评分表" in res.stdout and "看板" in res.stdout
    assert (out / "输出").is_dir()
    assert any((out / "输出").glob("*-评分.xlsx"))
    # The command the demo prints gives the demo's score again.
    import shlex

    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("同样的检查自己运行："))
    args = shlex.split(line.split("：", 1)[1])[1:] + ["--no-outputs"]
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    total = next(ln for ln in res.stdout.splitlines() if ln.startswith("总分"))
    assert total in again.stdout


def test_commands_that_read_evidence_share_the_same_options():
    runner = CliRunner()
    for args in (["check"], ["mail"], ["monthly"], ["notice", "bulletin"]):
        res = runner.invoke(cli, args + ["--help"])
        assert res.exit_code == 0, args
        for opt in ("--evidence", "--ledger", "--ledger-dir", "--period", "--password", "--config"):
            assert opt in res.stdout, (args, opt)


def test_summary_of_a_table_without_points(table_2023, tmp_path):
    res = CliRunner().invoke(cli, ["check", str(table_2023), "--no-outputs"])
    assert res.exit_code == 0, res.output
    assert "没有分值列" in res.stdout
    assert "总分" not in res.stdout and "待补分" not in res.stdout
    assert "党建办" in res.stdout


def test_every_command_module_is_reachable_by_name():
    """Commands load on demand: each listed name loads, and no module defines an unlisted one."""
    import importlib

    from wenming_xl.cli import COMMAND_MODULES

    for module in set(COMMAND_MODULES.values()):
        for cmd in importlib.import_module(f"wenming_xl.cli.{module}").COMMANDS:
            assert COMMAND_MODULES[cmd.name] == module
    res = CliRunner().invoke(cli, ["--help"])
    assert res.exit_code == 0
    for name in COMMAND_MODULES:
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0, name
    bad = CliRunner().invoke(cli, ["chek"])
    assert bad.exit_code == 2 and "chek" in bad.output


def test_check_as_its_own_process_ends_with_everything_written(table_2022, tmp_path):
    """``wenming check`` as a process of its own exits without freeing its objects one by
    one (`end_own_process`): the JSON on a pipe is whole, both workbooks and the history
    row are there, the exit code is 0."""
    import subprocess
    import sys

    from wenming_xl.runs.history import open_history

    src = tmp_path / table_2022.name
    shutil.copyfile(table_2022, src)
    out, db = tmp_path / "out", tmp_path / "历史.sqlite"
    args = ["check", str(src), "--out", str(out), "--json", "-", "--record", "--month", "2022-11"]
    # The command as its console script runs it, plus an exit hook that a quick exit skips.
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('ATEXIT-RAN'))\n"
        "from wenming_xl.cli import cli\n"
        "cli(prog_name='wenming')\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, *args, "--db", str(db)], capture_output=True, timeout=120
    )
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")
    assert len(res.stdout) > 64 * 1024  # far past a pipe's buffer: only a flush gets it all out
    data = json.loads(res.stdout.decode("utf-8"))
    assert len(data["items"]) == 37
    err = res.stderr.decode("utf-8")
    assert "评分表" in err and "看板" in err and "已记入历史：2022-11" in err
    assert "ATEXIT-RAN" not in err  # ended by end_own_process, not by the usual teardown
    assert sorted(p.name for p in out.iterdir()) == [
        f"{src.stem}-看板.xlsx",
        f"{src.stem}-评分.xlsx",
    ]
    hist = open_history(db)
    try:
        assert hist.months() == ["2022-11"]
    finally:
        hist.close()


def test_command_line_mistakes_are_told_in_chinese(table_2022, tmp_path):
    """click's own errors (English) are replaced: what is wrong, the usage line, the help."""
    runner = CliRunner()
    cases = [
        (["check", str(tmp_path / "没有.xlsx")], f"找不到文件 {tmp_path / '没有.xlsx'}"),
        (["check", str(tmp_path)], "是文件夹，这里需要一个文件"),
        (["check"], "缺少参数 任务工作簿"),
        (["check", str(table_2022), "--evidence", str(tmp_path / "无")], "--evidence"),
        (["check", str(table_2022), "--bogus"], "没有这个选项：--bogus"),
        (["chek"], "没有这个命令：chek"),
    ]
    for args, expected in cases:
        res = runner.invoke(cli, args, prog_name="wenming")
        assert res.exit_code == 2, (args, res.output)
        assert expected in res.stderr and "用法：wenming" in res.stderr, (args, res.stderr)
        assert "Error:" not in res.stderr and "Invalid value" not in res.stderr, res.stderr
    for args in (["--help"], ["check", "--help"], ["--version"]):
        res = runner.invoke(cli, args)
        assert res.exit_code == 0 and res.stdout, (args, res.output)
