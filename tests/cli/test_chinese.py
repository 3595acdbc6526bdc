"""Every help page and every command-line mistake in Chinese: none of click's English is left.

The vocabulary to look for is taken from click itself (every sentence it marks for
translation, every type name it puts in help), so a click upgrade that adds a sentence
fails `test_catalog_covers_what_click_shows` instead of showing English to people.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wenming_xl.cli import cli
from wenming_xl.cli.chinese import CATALOG, display_width, wrap

CLICK_DIR = Path(click.__file__).parent
#: click's sentences only a programmer sees (bad declarations, editors, shell completion).
FOR_PROGRAMMERS = {
    "d",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "Windows error: {error}",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}",
    "Name '{name}' defined twice",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "%(prog)s, version %(version)s",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Unknown color {colour!r}",
    "Choice({choices})",
    "Unknown standard stream '{name}'",
}


def click_messages() -> set[str]:
    """Every string click passes to gettext (``_``) or ``ngettext``, from its source."""
    found = set()
    for source in CLICK_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
                for arg in node.args[:2]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
    return found


def click_words() -> set[str]:
    """English words click shows: from its sentences and its type names (INTEGER, PATH …)."""
    words = set()
    for message in click_messages() - FOR_PROGRAMMERS:
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", message))}
    for kind in vars(click.types).values():
        if isinstance(kind, type) and issubclass(kind, click.ParamType):
            words |= {
                w.lower() for w in re.findall(r"[A-Za-z]{3,}", str(getattr(kind, "name", "") or ""))
            }
    words |= {"options", "commands", "args", "range", "integer", "directory", "text", "usage"}
    return words - {"wenming"}


WORDS = click_words()


def english_left(text: str, typed: list[str] = ()) -> list[str]:
    """click's English words in ``text``, after option names, command names and typed values."""
    for value in sorted([*typed, *COMMAND_NAMES], key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"(?<![\w/.])--?[a-z][a-z0-9-]*", " ", text)  # option names
    text = re.sub(r"\[[a-z|-]+\]", " ", text)  # a Choice's values: [proportional|grade]
    left = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in WORDS]
    if re.search(r"x?<=|>=", text):
        left.append("<=")
    return left


def all_commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    """(command path, command) of every command and group under ``group``, loaded as people run them."""
    ctx = click.Context(group, info_name="wenming")
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield (*path, name), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, (*path, name))


COMMANDS = list(all_commands())
COMMAND_NAMES = sorted({p[-1] for p, _c in COMMANDS})


def test_catalog_covers_what_click_shows():
    missing = sorted(click_messages() - FOR_PROGRAMMERS - set(CATALOG))
    assert not missing, missing
    assert all(not v.isascii() for v in CATALOG.values())


def test_the_walk_finds_every_command():
    names = {" ".join(p) for p, _c in COMMANDS}
    assert {"check", "batch", "doctor", "import", "kits", "mail", "monthly", "rules"} <= names
    assert {"notice", "notice publish", "notice bulletin", "notice from-text"} <= names
    assert english_left("Usage: wenming check [OPTIONS] WORKBOOK") == ["Usage", "OPTIONS"]
    assert english_left("  -j, --workers INTEGER RANGE [1<=x<=61]") == ["INTEGER", "RANGE", "<="]
    assert english_left("  --policy [proportional|grade]  [default: proportional]") == ["default"]


@pytest.mark.parametrize("path", [()] + [p for p, _c in COMMANDS], ids=" ".join)
def test_help_is_chinese(path):
    res = CliRunner().invoke(cli, [*path, "--help"], prog_name="wenming")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("用法：wenming"), res.stdout
    assert not english_left(res.stdout), (english_left(res.stdout), res.stdout)
    assert "选项：" in res.stdout and "显示本帮助并退出。" in res.stdout


def _valid(param: click.Parameter, tmp: Path) -> str:
    """A value ``param`` accepts (an existing file or folder for a path)."""
    kind = param.type
    if isinstance(kind, click.Path):
        return str(tmp / ("任务分工.xlsx" if kind.file_okay else "材料"))
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, (click.IntRange, type(click.INT))):
        return str(getattr(kind, "min", None) or 1)
    return "2022-06"


def _mistakes(cmd: click.Command, tmp: Path):
    """(what was typed, values typed) for every kind of mistake this command can be given."""
    args = [p for p in cmd.params if isinstance(p, click.Argument)]
    options = [p for p in cmd.params if isinstance(p, click.Option) and p.name != "help"]
    needed = [_valid(a, tmp) for a in args if a.required]
    for o in options:
        if o.required:
            needed += [o.opts[0], _valid(o, tmp)]
    if any(a.required for a in args) or any(o.required for o in options):
        yield [], []
    yield [*needed, "--no-such-option"], []
    if not any(a.nargs == -1 for a in args):
        yield [*needed, *([_valid(a, tmp) for a in args if not a.required]), "多余", "参数"], []
    if isinstance(cmd, click.Group):
        yield ["no-such-command"], []
        return
    for o in options:
        if o.is_flag:
            if not o.secondary_opts:
                yield [*needed, f"{o.opts[-1]}=1"], []
            continue
        yield [*needed, o.opts[0]], []  # the value left out
        kind = o.type
        if isinstance(kind, click.Choice):
            yield [*needed, o.opts[0], "bad-choice"], ["bad-choice"]
        if isinstance(kind, (click.IntRange, type(click.INT))):
            yield [*needed, o.opts[0], "abc"], ["abc"]
            if getattr(kind, "max", None) is not None:
                yield [*needed, o.opts[0], str(kind.max + 1)], []
    for p in cmd.params:
        if isinstance(p.type, click.Path) and p.type.exists:
            i = needed.index(_valid(p, tmp)) if p.required and _valid(p, tmp) in needed else None
            for wrong in (
                tmp / "没有这个",
                tmp / ("材料" if p.type.file_okay else "任务分工.xlsx"),
            ):
                if isinstance(p, click.Argument):
                    typed = list(needed)
                    if i is not None:
                        typed[i] = str(wrong)
                    else:
                        typed.append(str(wrong))
                else:
                    typed = [*needed, p.opts[0], str(wrong)]
                yield typed, []


@pytest.mark.parametrize("path", [p for p, _c in COMMANDS], ids=" ".join)
def test_every_usage_error_is_chinese(path, tmp_path, table_2022):
    (tmp_path / "材料").mkdir()
    (tmp_path / "任务分工.xlsx").write_bytes(table_2022.read_bytes())
    cmd = dict(COMMANDS)[path]
    runner = CliRunner()
    tried = 0
    for typed, values in _mistakes(cmd, tmp_path):
        res = runner.invoke(cli, [*path, *typed], prog_name="wenming")
        shown = res.stderr if res.exit_code == 2 else res.output
        if isinstance(cmd, click.Group) and not typed:
            continue
        assert res.exit_code == 2, (typed, res.output)
        tried += 1
        assert shown.startswith("错误："), (typed, shown)
        assert f"用法：wenming {' '.join(path)}" in shown, (typed, shown)
        assert f"查看帮助：wenming {' '.join(path)} --help" in shown, (typed, shown)
        values = [*values, *typed, str(tmp_path)]
        assert not english_left(shown, values), (typed, english_left(shown, values), shown)
    assert tried >= 2


def test_wrap_breaks_chinese_by_columns_and_keeps_words_and_closing_marks():
    text = "同时检查的进程数（默认用满所有 CPU 核），例如 --workers 2。" * 3
    for width in (16, 23, 40):
        lines = wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(display_width(line) <= width + 2 for line in lines)
        assert not any(line[:1] in "，。）" for line in lines)
        assert not any(
            re.search(r"[A-Za-z-]$", a) and re.match(r"[A-Za-z-]", b)
            for a, b in zip(lines, lines[1:])
        )
