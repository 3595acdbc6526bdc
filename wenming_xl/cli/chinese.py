"""click's own words in Chinese: help headings, usage, defaults, type names and error templates.

click marks every sentence it shows with gettext (``_("Usage:")``, ``_("Missing
argument")`` …) and ships no translation. `install` points those gettext calls at
`CATALOG`, a table of click's English sentences and their Chinese, so that every help
page and every click error is Chinese without touching a single command. What gettext
cannot reach – the metavars click makes from type names (``INTEGER RANGE``,
``DIRECTORY``, ``TEXT``), an argument's upper-cased name (``WORKBOOK``), ``[OPTIONS]``,
``COMMAND [ARGS]...`` and a range such as ``1<=x<=61`` – `localise` sets on each command
when it is loaded, from `ARGUMENT_LABELS` and the parameter's type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Callable

import click

#: click's English sentences (gettext message ids, click 8.x) → what people read.
#: Placeholders are click's own; a translation may leave one out (``{value!r}`` → ``{value}``).
CATALOG: dict[str, str] = {
    # help pages
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（运行时决定）",
    "deprecated": "已停用",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    # errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "查看帮助：{command} {option}",
    "Aborted!": "已中断。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value: {message}": "值不对：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "No such option {name!r}.": "没有这个选项：{name}。",
    "No such command {name!r}.": "没有这个命令：{name}。",
    "Did you mean {possibility}?": "是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是想用其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多出了参数：{args}（带空格的路径请加引号）",
    "Got unexpected extra arguments ({args})": "多出了参数：{args}（带空格的路径请加引号）",
    "Option {name!r} does not take a value.": "选项 {name} 后面不带值。",
    "Option {name!r} requires an argument.": "选项 {name} 后面要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面要写 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 要写 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "要写 {nargs} 个值，只写了 1 个。",
    "Takes {nargs} values but {len} were given.": "要写 {nargs} 个值，写了 {len} 个。",
    "Value must be an iterable.": "这里要写多个值。",
    "{value!r} is not {choice}.": "「{value}」不是可选的值，只能写 {choice}。",
    "{value!r} is not one of {choices}.": "「{value}」不是可选的值，可选：{choices}。",
    "Choose from:\n\t{choices}": "可选：{choices}",
    "{value!r} does not match the format {format}.": "「{value}」的格式不对，应写成 {format}。",
    "{value!r} does not match the formats {formats}.": "「{value}」的格式不对，应写成 {formats} 之一。",
    "{value} is not in the range {range}.": "{value} 超出范围，应为 {range}。",
    "{value!r} is not a valid {number_type}.": "「{value}」不是数字。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "「{value}」不是“是/否”的值，可写：{states}。",
    "{value!r} is not a valid UUID.": "「{value}」不是有效的 UUID。",
    "{len_type} values are required, but {len_value} was given.": "要写 {len_type} 个值，写了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "要写 {len_type} 个值，写了 {len_value} 个。",
    "{name} {filename!r} does not exist.": "找不到{name} {filename}",
    "{name} {filename!r} is a file.": "{filename} 是文件，这里需要一个文件夹",
    "{name} {filename!r} is a directory.": "{filename} 是文件夹，这里需要一个文件",
    "{name} {filename!r} is not readable.": "没有权限读取 {filename}",
    "{name} {filename!r} is not writable.": "没有权限写入 {filename}",
    "{name} {filename!r} is not executable.": "{filename} 不能运行",
    "Could not open file {filename!r}: {message}": "打不开文件 {filename}：{message}",
    "unknown error": "未知错误",
    "Invalid start character for option ({option})": "选项 {option} 的写法不对",
    # prompts
    "Repeat for confirmation": "再输入一次确认",
    "Error: The two entered values do not match.": "错误：两次输入的不一样。",
    "Error: invalid input": "错误：输入不对",
    "Press any key to continue...": "按任意键继续…",
    "Do you want to continue?": "要继续吗？",
    "Confirm the action without prompting.": "不再询问，直接执行。",
}

#: An argument's name (as declared) → what help and errors call it.
ARGUMENT_LABELS = {
    "workbook": "任务工作簿",
    "units_dir": "单位总文件夹",
    "plan": "计划文稿",
    "draft": "文稿",
    "folder": "文件夹",
    "texts": "材料要求",
}

#: click's modules that call gettext for what they show.
_CLICK_MODULES = ("core", "exceptions", "types", "formatting", "decorators", "parser", "termui")


def chinese(message: str) -> str:
    """click's English ``message`` in Chinese (unchanged when the catalog lacks it)."""
    return CATALOG.get(message, message)


def chinese_plural(singular: str, plural: str, n: int) -> str:
    """click's ngettext: the Chinese of the form ``n`` selects."""
    return chinese(singular if n == 1 else plural)


def install() -> None:
    """Point click's gettext calls at `CATALOG` (idempotent; affects only click's own text)."""
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = chinese  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = chinese_plural  # type: ignore[attr-defined]


def type_label(kind: click.ParamType) -> str:
    """What a value of this type is called in help: 文件, 文件夹, 整数, 文字 …"""
    if isinstance(kind, click.Path):
        if kind.file_okay and not kind.dir_okay:
            return "文件"
        if kind.dir_okay and not kind.file_okay:
            return "文件夹"
        return "路径"
    if isinstance(kind, click.File):
        return "文件"
    if isinstance(kind, (click.IntRange, type(click.INT))):
        return "整数"
    if isinstance(kind, (click.FloatRange, type(click.FLOAT))):
        return "数字"
    if isinstance(kind, click.DateTime):
        return "日期"
    if isinstance(kind, type(click.BOOL)):
        return "是/否"
    return "文字"


def range_text(kind: Any) -> str:
    """A number range as people say it: 「1 到 61」, 「不小于 0」, 「小于 1」."""
    low, high = kind.min, kind.max
    low_word = "大于" if kind.min_open else "不小于"
    high_word = "小于" if kind.max_open else "不大于"
    if low is not None and high is not None and not (kind.min_open or kind.max_open):
        return f"{low} 到 {high}"
    parts = []
    if low is not None:
        parts.append(f"{low_word} {low}")
    if high is not None:
        parts.append(f"{high_word} {high}")
    return "，".join(parts)


def _metavar(param: click.Parameter) -> str:
    if isinstance(param, click.Argument):
        label = ARGUMENT_LABELS.get(param.name or "", type_label(param.type))
        if not param.required:
            label = f"[{label}]"
    else:
        label = type_label(param.type)
    if param.nargs != 1:
        label += "..."
    return label


#: An explicit English metavar → its Chinese.
_METAVARS = {"FILE": "文件", "DIR": "文件夹", "DIRECTORY": "文件夹", "PATH": "路径", "TEXT": "文字"}

#: Characters a line must not start with (Chinese typesetting's 避头点).
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)]%")


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: 2 for each wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: ASCII words with their spaces, single wide characters."""
    out: list[str] = []
    for c in text:
        if (
            out
            and c.isascii()
            and not c.isspace()
            and out[-1].isascii()
            and not out[-1].endswith(" ")
        ):
            out[-1] += c
        elif out and c == " ":
            out[-1] += c
        else:
            out.append(c)
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, breaking between Chinese characters too.

    A closing mark (，。）」 …) is never put first on a line; an ASCII word is never cut.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _tokens(" ".join(paragraph.split())):
            if (
                line
                and display_width((line + token).rstrip()) > width
                and token[0] not in _NO_LINE_START
            ):
                lines.append(line.rstrip())
                token = token.lstrip()
                line = ""
            line += token
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(click.HelpFormatter):
    """click's help layout measured in terminal columns (a Chinese character is two wide)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        """Paragraphs re-wrapped by columns; a paragraph after a ``\\b`` line kept as written."""
        indent = " " * self.current_indent
        blocks = []
        for block in re.split(r"\n\s*\n", text.strip("\n")):
            lines = block.splitlines()
            if lines and lines[0].strip() == "\b":
                blocks.append("\n".join(indent + line for line in lines[1:]))
                continue
            joined = ""
            for line in (line.strip() for line in lines):
                wide = joined and (display_width(joined[-1]) == 2 or display_width(line[:1]) == 2)
                joined += line if not joined or wide else " " + line
            width = max(self.width - self.current_indent, 20)
            blocks.append("\n".join(indent + line for line in wrap(joined, width)))
        self.write("\n\n".join(blocks) + "\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = chinese("Usage:") if prefix is None else prefix
        super().write_usage(prog, args, prefix)

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((display_width(a) for a, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - self.current_indent, 20))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


class ChineseContext(click.Context):
    """A click context whose help is laid out by `ChineseHelpFormatter`."""

    formatter_class = ChineseHelpFormatter


def _with_context(parse_args: Callable[[click.Context, list[str]], list[str]]):
    """``parse_args`` that gives its context to the errors click's parser raises without one
    (so that they, too, show the usage line and where the help is)."""

    def parse(ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise

    return parse


def localise(command: click.Command) -> click.Command:
    """Chinese metavars, ``[选项]``, ``命令 [参数]...`` and ranges on ``command`` and its subcommands."""
    command.options_metavar = "[选项]"
    command.context_class = ChineseContext
    if not getattr(command, "_wenming_localised", False):
        command.parse_args = _with_context(command.parse_args)  # type: ignore[method-assign]
        command._wenming_localised = True  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        command.subcommand_metavar = "命令 [参数]..."
        for sub in command.commands.values():
            localise(sub)
    for param in command.params:
        kind = param.type
        choices = isinstance(kind, click.Choice)
        flag = isinstance(param, click.Option) and param.is_flag
        if not choices and not flag and (param.metavar is None or param.metavar.isascii()):
            param.metavar = _METAVARS.get(param.metavar or "", None) or _metavar(param)
        if hasattr(kind, "_describe_range"):
            text = range_text(kind)
            describe: Callable[[], str] = lambda text=text: text  # noqa: E731
            kind._describe_range = describe  # type: ignore[attr-defined]
    return command
