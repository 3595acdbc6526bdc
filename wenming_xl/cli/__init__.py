"""The ``wenming`` command: a thin click layer over the library.

In: a command line. Out: what the library returned, rendered in Chinese on the
terminal, and an exit code. Each command parses options, calls one library function
(in ``wenming_xl.runs`` or a stage) and renders its result. `WenmingError` becomes a
plain Chinese message on stderr and a non-zero exit code, never a traceback. Commands
live in sub-modules, loaded when they run. Must not import: nothing is off limits here,
but nothing outside ``cli/`` may import ``cli/``.
"""

from __future__ import annotations

import sys
from typing import Any, Optional

import click

from wenming_xl.cli.chinese import install, localise
from wenming_xl.errors import WenmingError

install()  # click's own words in Chinese, before any command (and its types) is built


class WenmingGroup(click.Group):
    """A click group that turns library errors into clear messages and exit codes.

    Commands are loaded on demand from `COMMAND_MODULES`, so ``wenming check`` does not
    import what ``wenming mail`` needs.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        if name not in self.commands:
            cmd = _load(name)
            if cmd is None:
                return None
            self.add_command(localise(cmd))
        return self.commands[name]

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        """Run the CLI; a command-line mistake is told in Chinese (click's text is English)."""
        from wenming_xl.runs.process import set_own_process

        set_own_process(args is None)  # False inside a caller's CliRunner
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            from wenming_xl.cli.usage import usage_error_text

            click.echo(usage_error_text(exc), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中断。", err=True)
            sys.exit(1)
        # What click returns without standalone mode: the exit code a command asked for
        # (`ctx.exit`, --help, --version), else the command's result (ours return None).
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except WenmingError as exc:
            from wenming_xl.text import readable

            click.echo(readable(f"错误：{exc}"), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            ctx.exit(130)


@click.group(cls=WenmingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wenming_xl", message="wenming_xl %(version)s")
def cli() -> None:
    """文明单位创建任务表工具：读取任务分工表，检查佐证材料，评分，生成评分表、看板、红头通知和督办邮件。

    \b
    常用：
      wenming demo                                   用内置样例跑一遍，看看能做什么
      wenming check 任务分工.xlsx --evidence 材料/   检查并评分
      wenming rules "上传活动照片不少于4张"          看一条材料要求被理解成什么规则
    """


localise(cli)


def progress_bar(quiet: bool, label: str = "扫描佐证材料"):
    """A progress callback drawing a bar (``label``) on stderr when it is a terminal."""
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    state: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        if state.get("ended"):
            return
        if "bar" not in state and total:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
            state["n"] = 0
        if "bar" in state:
            state["bar"].update(done - state["n"])
            state["n"] = done
            if done >= total:
                close()

    def close() -> None:
        bar = state.pop("bar", None)
        state["ended"] = True
        if bar is not None:
            bar.__exit__(None, None, None)

    return progress, close


def echo_err(message: str) -> None:
    """Progress and paths go to stderr so that ``--json -`` keeps stdout clean."""
    from wenming_xl.text import readable

    click.echo(readable(message), err=True)


#: Command name → the module defining it (each module lists its commands in ``COMMANDS``).
#: Modules are imported when their command runs or help lists them, not at start-up.
COMMAND_MODULES = {
    "check": "check",
    "demo": "check",
    "rules": "rules",
    "mail": "mail",
    "notice": "notice",
    "init": "notice",
    "import": "plan",
    "kits": "plan",
    "monthly": "monthly",
    "batch": "batch",
    "doctor": "doctor",
    "binder": "ready",
    "pack": "ready",
}


def _load(name: str) -> Optional[click.Command]:
    """The command ``name`` from its module (None when there is no such command)."""
    import importlib

    module = COMMAND_MODULES.get(name)
    if module is None:
        return None
    for cmd in importlib.import_module(f"{__name__}.{module}").COMMANDS:
        if cmd.name == name:
            return cmd
    raise LookupError(f"{module} defines no command {name}")  # a packaging mistake


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli())
