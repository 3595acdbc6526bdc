"""Command-line mistakes in plain Chinese: a missing file, an unknown option or command.

click's error sentences are already Chinese (`wenming_xl.cli.chinese` translates its
templates); `usage_error_text` arranges them as people read them: what is wrong and
where, the usage line, and how to see the help. `WenmingGroup.main` prints it instead
of click's own layout (``Usage: …`` / ``Try … for help.`` / ``Error: …``).
"""

from __future__ import annotations

from typing import Optional

import click


def _param_name(exc: click.UsageError) -> str:
    """The argument's Chinese name or the option's names, as the mistake concerns them."""
    param: Optional[click.Parameter] = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint:
        return hint if isinstance(hint, str) else " / ".join(hint)
    if param is None:
        return ""
    if isinstance(param, click.Argument):
        return param.human_readable_name.strip("[].")
    return " / ".join(param.opts)


def _choices(exc: click.BadParameter) -> str:
    """For a value outside a Choice: the allowed values, as typed, joined with 、."""
    param = exc.param
    if param is not None and isinstance(param.type, click.Choice):
        return "、".join(str(c) for c in param.type.choices)
    return ""


def _reason(exc: click.UsageError) -> str:
    """The Chinese sentence for one kind of mistake (without the closing 。)."""
    no_such_command = getattr(click.exceptions, "NoSuchCommand", ())
    if isinstance(exc, click.NoSuchOption):
        maybe = f"；是不是想用 {'、'.join(exc.possibilities)}" if exc.possibilities else ""
        return f"没有这个选项：{exc.option_name}{maybe}"
    if no_such_command and isinstance(exc, no_such_command):
        maybe = f"；是不是想用 {'、'.join(exc.possibilities)}" if exc.possibilities else ""
        return f"没有这个命令：{exc.command_name}{maybe}"
    if isinstance(exc, click.MissingParameter):
        kind = "选项" if isinstance(exc.param, click.Option) else "参数"
        return f"缺少{kind} {_param_name(exc)}".rstrip()
    if isinstance(exc, click.BadParameter):
        message = exc.message.rstrip("。.")
        choices = _choices(exc)
        if choices:
            message = f"{message.split('，')[0]}，可选：{choices}"
        name = _param_name(exc)
        if not name:
            return message
        if isinstance(exc.param, click.Option):
            return f"{name} 的值不对：{message}"
        return f"{name}不对：{message}"
    return exc.format_message().rstrip("。.")


def usage_error_text(exc: click.UsageError) -> str:
    """What to print for a command-line mistake: the reason, the usage line, the help."""
    ctx = exc.ctx
    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())) and ctx is not None:
        return ctx.get_help()  # a group given no command: its help is the answer
    lines = [f"错误：{_reason(exc)}。"]
    if ctx is not None:
        lines.append(ctx.get_usage())
        lines.append(f"查看帮助：{ctx.command_path} --help")
    return "\n".join(lines)
