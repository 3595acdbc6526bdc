"""Command-line mistakes in plain Chinese: a missing file, an unknown option or command.

click reports them in English (``Error: Invalid value for 'WORKBOOK': File '…' does not
exist.``). `usage_error_text` says the same in Chinese, with the usage line and where
the help is; `WenmingGroup.main` prints it instead of click's text.
"""

from __future__ import annotations

import re
from typing import Optional

import click

#: click's messages about a path argument, and what they say in Chinese.
_PATH_MESSAGES = [
    (re.compile(r"^(?:File|Directory|Path) (.+) does not exist\.?$"), "找不到 {0}"),
    (re.compile(r"^File (.+) is a directory\.?$"), "{0} 是文件夹，这里需要一个文件"),
    (re.compile(r"^Directory (.+) is a file\.?$"), "{0} 是文件，这里需要一个文件夹"),
    (re.compile(r"^(?:File|Directory|Path) (.+) is not readable\.?$"), "没有权限读取 {0}"),
    (re.compile(r"^(?:File|Directory|Path) (.+) is not writable\.?$"), "没有权限写入 {0}"),
]


def _unquote(text: str) -> str:
    """click writes a path as a Python repr ('…'); show it as the user typed it."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _param_name(exc: click.UsageError) -> str:
    param: Optional[click.Parameter] = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint:
        return hint if isinstance(hint, str) else " / ".join(hint)
    if param is None:
        return ""
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return " / ".join(param.opts)


def _reason(exc: click.UsageError) -> str:
    """The Chinese sentence for one kind of mistake."""
    no_such_command = getattr(click.exceptions, "NoSuchCommand", ())
    if isinstance(exc, click.NoSuchOption):
        maybe = f"；是不是想用 {'、'.join(exc.possibilities)}" if exc.possibilities else ""
        return f"没有这个选项：{exc.option_name}{maybe}"
    if isinstance(exc, click.MissingParameter):
        kind = "选项" if isinstance(exc.param, click.Option) else "参数"
        return f"缺少{kind} {_param_name(exc)}".rstrip()
    if isinstance(exc, click.BadParameter):
        message = exc.message
        for pattern, chinese in _PATH_MESSAGES:
            m = pattern.match(message)
            if m:
                message = chinese.format(_unquote(m.group(1)))
                break
        name = _param_name(exc)
        return f"{name} 不对：{message}" if name else message
    if no_such_command and isinstance(exc, no_such_command):
        maybe = f"；是不是想用 {'、'.join(exc.possibilities)}" if exc.possibilities else ""
        return f"没有这个命令：{exc.command_name}{maybe}"
    m = re.match(r"^No such command (.+)\.$", exc.message)
    if m:
        return f"没有这个命令：{_unquote(m.group(1))}"
    m = re.match(r"^Got unexpected extra arguments? \((.+)\)$", exc.message)
    if m:
        return f"多出了参数：{m.group(1)}（带空格的路径请加引号）"
    return f"命令行有误（{exc.format_message()}）"


def usage_error_text(exc: click.UsageError) -> str:
    """What to print for a command-line mistake: the reason, the usage line, the help."""
    lines = [f"错误：{_reason(exc)}。"]
    ctx = exc.ctx
    if ctx is not None:
        usage = ctx.get_usage()
        lines.append(re.sub(r"^Usage:\s*", "用法：", usage))
        lines.append(f"查看帮助：{ctx.command_path} --help")
    return "\n".join(lines)
