"""errors.py: the system's English reasons for a failed file or network call, told in Chinese."""

from __future__ import annotations

import re
import socket

import pytest

from wenming_xl.errors import os_reason


def _raised(call) -> OSError:
    with pytest.raises(OSError) as err:
        call()
    return err.value


def test_file_errors_in_chinese(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    cases = {
        "找不到": lambda: open(tmp_path / "没有.txt", encoding="utf-8"),
        "不是文件夹": lambda: open(tmp_path / "a.txt" / "b.txt", "w", encoding="utf-8"),
        "这是一个文件夹": lambda: open(tmp_path, encoding="utf-8"),
        "已经存在": lambda: (tmp_path / "a.txt").mkdir(),
        "太长": lambda: open(tmp_path / ("名" * 200), "w", encoding="utf-8"),
    }
    for said, call in cases.items():
        reason = os_reason(_raised(call))
        assert said in reason and not re.search(r"[A-Za-z]{3,}", reason), reason


def test_network_errors_in_chinese():
    with socket.socket() as srv:  # a port nobody listens on any more
        srv.bind(("127.0.0.1", 0))
        port = srv.getsockname()[1]
    exc = _raised(lambda: socket.create_connection(("127.0.0.1", port), timeout=3))
    assert "拒绝连接" in os_reason(exc)
    # what getaddrinfo raises for a name no server knows (no lookup is made in tests)
    unknown = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert "域名解析失败" in os_reason(unknown) and "Name" not in os_reason(unknown)


def test_an_unlisted_error_keeps_its_number():
    assert os_reason(OSError(99999, "Strange thing")) == "系统错误，代码 99999"
    assert "ValueError" in os_reason(ValueError("x"))
