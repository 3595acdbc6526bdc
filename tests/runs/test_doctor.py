"""``wenming doctor``: the environment and workbook checklist, run through the real CLI."""

from __future__ import annotations

import socket

from badfiles import ole2_xls, task_book
from click.testing import CliRunner

from wenming_xl.cli import cli
from wenming_xl.runs.doctor import FAIL, HINT, OK, Check, check_packages, render, run_doctor


def doctor(*args: str):
    res = CliRunner().invoke(cli, ["doctor", *args])
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


def test_environment_only():
    res = doctor()
    assert res.exit_code in (0, 1)
    assert "✔ Python 3." in res.output
    for dep in ("python-calamine", "defusedxml", "msoffcrypto-tool", "xlsxwriter"):
        assert f"依赖包 {dep}" in res.output
    assert "LibreOffice" in res.output
    assert "中文字体" in res.output or "字体" in res.output


def test_good_workbook_exits_0(tmp_path):
    book = task_book(tmp_path / "任务表.xlsx")
    res = doctor(str(book))
    assert res.exit_code == 0, res.output
    assert "✔ 任务表：任务表.xlsx 工作表「任务分工」，表头在第2行" in res.output
    assert "✔ 条目 3 条（基本项 3 条），牵头部门 3 个" in res.output
    assert "一切正常" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["任务表.xlsx"]  # nothing written


def test_bad_workbook_exits_1_with_what_to_do(tmp_path):
    xls = ole2_xls(tmp_path / "任务表.xls")
    res = doctor(str(xls))
    assert res.exit_code == 1
    assert "✘ 任务表：任务表.xls 是旧版 Excel（.xls）格式" in res.output
    assert "→ 请在 Excel 或 WPS 中打开它" in res.output and "另存为" in res.output
    assert "发现 1 个问题需要处理" in res.output


def test_missing_workbook_and_no_task_table(tmp_path):
    res = doctor(str(tmp_path / "没有.xlsx"))
    assert res.exit_code == 1 and "找不到文件" in res.output
    other = task_book(tmp_path / "名单.xlsx", [["张三"]], header=["姓名"], title=None)
    res = doctor(str(other))
    assert res.exit_code == 1 and "找不到任务分工表的表头" in res.output


def test_lock_file_review_and_missing_department_are_hints(tmp_path):
    rows = [
        ["一、组织", "1.成立领导小组", "2分", "", "上传文件1份"],
        ["一、组织", "2.开展活动", "2分", "党建办", "上传照片若干，视情况而定，酌情上传"],
    ]
    book = task_book(tmp_path / "任务表.xlsx", rows)
    (tmp_path / "~$任务表.xlsx").write_bytes(b"\x05owner" + bytes(40))
    res = doctor(str(book))
    assert res.exit_code == 0, res.output
    assert "提示 任务表.xlsx 旁边有锁文件 ~$任务表.xlsx" in res.output
    assert "1 条没有牵头部门（第 1 条）" in res.output


def test_encrypted_workbook_with_and_without_password(tmp_path):
    from badfiles import encrypt

    src = encrypt(task_book(tmp_path / "p.xlsx"), tmp_path / "加密.xlsx", "pw")
    assert doctor(str(src)).exit_code == 1
    res = doctor(str(src), "--password", "pw")
    assert res.exit_code == 0, res.output
    assert "pw" not in res.output


def test_bad_config_is_a_failure(tmp_path):
    book = task_book(tmp_path / "任务表.xlsx")
    (tmp_path / "wenming.toml").write_text('[smtp]\ntls = "maybe"\n', encoding="utf-8")
    res = doctor(str(book))
    assert res.exit_code == 1 and "✘ 单位配置有误" in res.output and "tls" in res.output


def _toml(tmp_path, port: int):
    (tmp_path / "wenming.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = "none"\nfrom = "a@example.org"\n',
        encoding="utf-8",
    )


def test_smtp_reachable_and_unreachable(tmp_path):
    book = task_book(tmp_path / "任务表.xlsx")
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        _toml(tmp_path, srv.getsockname()[1])
        res = doctor(str(book))
        assert res.exit_code == 0, res.output
        assert f"✔ 邮件服务器 127.0.0.1:{srv.getsockname()[1]} 可以连接（未登录）" in res.output
        port = srv.getsockname()[1]
    _toml(tmp_path, port)  # the listener is closed now
    res = doctor(str(book))
    assert res.exit_code == 1
    assert f"✘ 连不上邮件服务器 127.0.0.1:{port}" in res.output and "[smtp]" in res.output
    assert "对方拒绝连接" in res.output and "refused" not in res.output.lower()


def test_a_missing_package_is_a_failure():
    checks = check_packages(["no-such-package-wenming"])
    assert checks[0].status == FAIL and "pip install" in checks[0].fix


def test_render_marks():
    text = render([Check(OK, "甲"), Check(HINT, "乙", "做点什么"), Check(FAIL, "丙", "修好它")])
    assert text.splitlines()[:5] == ["✔ 甲", "提示 乙", "    → 做点什么", "✘ 丙", "    → 修好它"]
    assert "发现 1 个问题" in text
    assert run_doctor()  # the library call works without a workbook


def test_without_a_workbook_the_current_folders_config_is_used(tmp_path, monkeypatch):
    """``wenming init`` then ``wenming doctor`` in the same folder: its wenming.toml, its mail server."""
    monkeypatch.chdir(tmp_path)
    res = doctor()
    assert "没有单位配置" in res.output  # nothing here yet
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        _toml(tmp_path, srv.getsockname()[1])
        res = doctor()
        assert "没有单位配置" not in res.output
        assert f"✔ 单位配置：{tmp_path / 'wenming.toml'}" in res.output
        assert f"✔ 邮件服务器 127.0.0.1:{srv.getsockname()[1]} 可以连接" in res.output


def test_doctor_lists_the_items_check_will_ask_a_person_about(table_2022):
    """The same requirements check parses: 红头 items 17, 18 and the 承办/协办 bonus item 30."""
    from wenming_xl.runs.doctor import run_doctor

    [line] = [c for c in run_doctor(table_2022) if "需要人工确认" in c.title]
    assert "第 17、18、30 项" in line.title


def test_notepad_mistakes_in_wenming_toml_are_told_in_chinese_with_the_line(tmp_path):
    """Unquoted text, a bracket left open, a Windows path: the line, what is wrong, no English."""
    import re

    book = task_book(tmp_path / "任务表.xlsx")
    cases = [
        (
            "[unit]\nname = 绍兴市中医院\n",
            "第2行第8列（name = 绍兴市中医院）",
            'name = "绍兴市中医院"',
        ),
        ("[unit\nname = 'x'\n", "方括号没有配对", "[unit]"),
        ('[unit]\nname = "x"\nprinter = "D:\\材料"\n', "第3行", "反斜杠"),
        ('[unit]\nname = "a"\nname = "b"\n', "同一项写了两次", "重复"),
        ('【unit】\nname = "x"\n', "第1行第1列（【unit】）", "英文半角"),
    ]
    for text, where, fix in cases:
        (tmp_path / "wenming.toml").write_text(text, encoding="utf-8")
        res = doctor(str(book))
        assert res.exit_code == 1 and "✘ 单位配置有误" in res.output, res.output
        assert where in res.output and fix in res.output, res.output
        said = res.output.replace(str(tmp_path), "").split("单位配置有误")[1].split("\n✔")[0]
        english = re.findall(r"[A-Za-z]{3,}", said)
        assert not set(english) - {
            "name",
            "unit",
            "printer",
            "wenming",
            "toml",
            "init",
            "true",
            "false",
        }, english


def test_doctor_says_when_the_office_code_is_not_filled_in(tmp_path):
    """After `wenming init`, [unit] code is commented out: `notice --number 23` would fail."""
    book = task_book(tmp_path / "任务表.xlsx")
    assert CliRunner().invoke(cli, ["init", str(book)]).exit_code == 0
    assert "[unit] code" in doctor(str(book)).output
    toml = tmp_path / "wenming.toml"
    text = toml.read_text("utf-8").replace("\n# code = ", '\ncode = "绍市中医"  # ', 1)
    toml.write_text(text, encoding="utf-8")
    assert "[unit] code" not in doctor(str(book)).output
