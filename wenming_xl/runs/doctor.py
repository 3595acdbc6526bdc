"""``wenming doctor``: check the environment and a task workbook, and say what to fix.

Each check gives a `Check` with a status — ``ok`` (✔), ``fail`` (✘, something must be
fixed) or ``hint`` (提示, works but worth knowing) — a Chinese title and what to do.
Nothing here writes a file, logs in to a mail server or changes the workbook: the SMTP
check is a TCP connect with a short timeout.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from wenming_xl.errors import WenmingError, os_reason
from wenming_xl.findings import label as code_label
from wenming_xl.model import BASE, BONUS, DEDUCTION

PathLike = Union[str, Path]

OK, FAIL, HINT = "ok", "fail", "hint"
MIN_PYTHON = (3, 9)
MARKS = {OK: "✔", FAIL: "✘", HINT: "提示"}
#: How a check about the task table's own notes begins.
TABLE_NOTE = "读表提醒"

#: Distribution name → module to import, where they differ.
_MODULES = {
    "python-calamine": "python_calamine",
    "python-docx": "docx",
    "pillow": "PIL",
    "msoffcrypto-tool": "msoffcrypto",
}
_FALLBACK_DEPS = (
    "openpyxl",
    "xlsxwriter",
    "python-calamine",
    "python-docx",
    "click",
    "Pillow",
    "defusedxml",
    "msoffcrypto-tool",
)


@dataclass
class Check:
    """One line of the checklist: status, what was checked, and what to do about it."""

    status: str
    title: str
    fix: str = ""


def _dependencies() -> list[str]:
    """The distributions wenming_xl needs at run time (from its metadata, else a fixed list)."""
    try:
        reqs = metadata.requires("wenming_xl") or []
    except metadata.PackageNotFoundError:
        return list(_FALLBACK_DEPS)
    out = []
    for req in reqs:
        name, _, marker = req.partition(";")
        if "extra" in marker:
            continue
        if marker.strip() and "python_version" in marker:
            m = re.search(r'python_version\s*<\s*"(\d+)\.(\d+)"', marker)
            if m and sys.version_info[:2] >= (int(m.group(1)), int(m.group(2))):
                continue
        out.append(re.split(r"[<>=!~\[ ]", name.strip(), maxsplit=1)[0])
    return out or list(_FALLBACK_DEPS)


def check_python() -> Check:
    """Python 3.9 or later."""
    version = ".".join(map(str, sys.version_info[:3]))
    if tuple(sys.version_info[:2]) < MIN_PYTHON:
        return Check(FAIL, f"Python {version}：版本太旧", "请安装 Python 3.9 或更新的版本。")
    return Check(OK, f"Python {version}")


def check_packages(names: Optional[Iterable[str]] = None) -> list[Check]:
    """Each dependency importable, with its version."""
    out = []
    for dist in names if names is not None else _dependencies():
        module = _MODULES.get(dist.lower(), dist.lower().replace("-", "_"))
        try:
            importlib.import_module(module)
            version = metadata.version(dist)
        except Exception as exc:  # ImportError, or a broken install raising anything
            out.append(
                Check(
                    FAIL,
                    f"依赖包 {dist} 无法使用（{type(exc).__name__}）",
                    f"请运行 pip install --upgrade {dist}，或重新安装本工具。",
                )
            )
            continue
        out.append(Check(OK, f"依赖包 {dist} {version}"))
    return out


def check_libreoffice() -> Check:
    """LibreOffice (soffice) for PDF copies of notices."""
    from wenming_xl.outputs.notices.pdf import find_soffice

    found = find_soffice()
    if found:
        return Check(OK, f"LibreOffice：{found}（可生成 PDF）")
    return Check(
        HINT,
        "没有找到 LibreOffice：红头通知只能生成 Word 文件，不能自动转 PDF",
        "需要 PDF 时请安装 LibreOffice（https://zh-cn.libreoffice.org），或在 Word/WPS 中另存为 PDF。",
    )


#: The official 公文 fonts (GB/T 9704) the notices name, with what each is for.
OFFICIAL_FONTS = (
    ("方正小标宋简体", "标题"),
    ("仿宋_GB2312", "正文"),
    ("黑体", "一级标题"),
    ("楷体_GB2312", "二级标题"),
)


def _fc_lines(fc: str, args: list[str], env: Optional[dict] = None) -> list[str]:
    """The output lines of a fontconfig tool, or none when it cannot run."""
    try:
        res = subprocess.run(
            [fc, *args], capture_output=True, text=True, timeout=20, check=False, env=env
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in res.stdout.splitlines() if line.strip()]


def font_substitutes() -> dict[str, str]:
    """Each official font not installed → the face the PDF conversion will use instead.

    Asks ``fc-match`` under the same fontconfig file the PDF conversion passes to
    LibreOffice (:func:`wenming_xl.outputs.notices.pdf.soffice_environment`); a font
    without a substitute maps to ``""``. Empty when fontconfig is not available.
    """
    from wenming_xl.outputs.notices.pdf import soffice_environment

    fc_list, fc_match = shutil.which("fc-list"), shutil.which("fc-match")
    if not fc_list or not fc_match:
        return {}
    env = soffice_environment()
    installed = set()
    for line in _fc_lines(fc_list, [":", "family"], env):
        installed.update(name.strip() for name in line.split(","))
    out = {}
    for name, _use in OFFICIAL_FONTS:
        if name in installed:
            continue
        found = _fc_lines(fc_match, ["-f", "%{family[0]}|%{style[0]}", f"{name}:lang=zh-cn"], env)
        family, _, style = (found[0] if found else "").partition("|")
        bold = "Bold" in style or "粗" in style
        out[name] = f"{family} Bold" if family and bold else family
    return out


def check_fonts() -> list[Check]:
    """Chinese fonts, and the official 公文 fonts missing with their substitutes."""
    if sys.platform.startswith("win"):
        return [Check(OK, "中文字体：Windows 自带")]
    fc = shutil.which("fc-list")
    if not fc:
        return [
            Check(
                HINT, "无法检查中文字体（没有 fc-list）", "如 PDF 中文显示为方框，请安装中文字体。"
            )
        ]
    families = {f.split(",")[0] for f in _fc_lines(fc, [":lang=zh", "family"])}
    if not families:
        return [
            Check(
                HINT,
                "没有找到中文字体：生成的 PDF 中文可能显示为方框",
                "请安装中文字体（如 思源宋体 / Noto Serif CJK、方正仿宋）后重试。",
            )
        ]
    shown = "、".join(sorted(families)[:3])
    out = [Check(OK, f"中文字体 {len(families)} 种（如 {shown}）")]
    uses = dict(OFFICIAL_FONTS)
    missing = font_substitutes()
    if missing:
        parts = [f"{name}（{uses[name]}）→ {sub or '无合适字体'}" for name, sub in missing.items()]
        out.append(
            Check(
                HINT,
                f"公文字体未安装 {len(missing)} 种，生成 PDF 时代用：" + "；".join(parts),
                "PDF 可作草稿；正式印发请在本机安装这些字体后重新生成，"
                "或用装有公文字体的 Word/WPS 打开 .docx 另存为 PDF。",
            )
        )
    return out


def check_smtp(host: str, port: int, timeout: float = 3.0) -> Check:
    """A TCP connection to the mail server (never a login)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        return Check(
            FAIL,
            f"连不上邮件服务器 {host}:{port}（{os_reason(exc)}）",
            "请检查 wenming.toml 中 [smtp] 的 host 和 port、本机网络，以及防火墙是否放行该端口。",
        )
    return Check(OK, f"邮件服务器 {host}:{port} 可以连接（未登录）")


def check_profile(
    workbook: Optional[PathLike], config: Optional[PathLike]
) -> tuple[list[Check], object]:
    """wenming.toml readable and valid; returns the checks and the profile (None if broken)."""
    from wenming_xl.config import CONFIG_NAME, load_profile

    try:
        profile = load_profile(config, workbook)
    except WenmingError as exc:
        return [Check(FAIL, f"单位配置有误：{exc.message}", exc.hint or "")], None
    if profile.path:
        from wenming_xl.config import TO_FILL, unfilled

        out = [Check(OK, f"单位配置：{profile.path}")]
        left = unfilled(profile)
        if left:
            out.append(
                Check(
                    HINT,
                    f"单位配置还有 {len(left)} 项没有填写（{'、'.join(left)} 仍是「{TO_FILL}…」）",
                    f"请在 {CONFIG_NAME} 中改成本单位的内容；未改前红头文件和邮件会印出这些说明文字。",
                )
            )
        if not profile.unit.name:
            out.append(
                Check(
                    HINT,
                    "单位配置没有填写 [unit] name：红头的单位名称从任务表标题推断",
                    f"如标题中没有单位全称，请在 {CONFIG_NAME} 的 [unit] 中填写 name。",
                )
            )
        if not profile.unit.code:
            out.append(
                Check(
                    HINT,
                    "单位配置没有填写 [unit] code（机关代字）：notice 命令的 --number 23 拼不出发文字号",
                    f"请在 {CONFIG_NAME} 的 [unit] 中填写 code（如「X市X〔2022〕23号」中的「X市X」），"
                    "删掉行首的 #；或每次用 --number 写全发文字号。",
                )
            )
        if not profile.smtp.configured:
            out.append(
                Check(
                    HINT,
                    "单位配置没有填写邮件服务器 [smtp] host：不能直接发送督办邮件",
                    f"需要发送时，在 {CONFIG_NAME} 的 [smtp] 中填写 host、from（需要登录时加 user）。",
                )
            )
        return out, profile
    return [
        Check(
            HINT,
            f"没有单位配置 {CONFIG_NAME}（部门名单、发件设置用默认值）",
            "需要发督办邮件或固定部门名单时，运行 wenming init 生成一份并填写。",
        )
    ], profile


def _profile_months(profile: object) -> Optional[int]:
    """The length in months of the unit profile's period (frequencies are counted over it)."""
    from wenming_xl.evidence.period import parse_period, period_months

    text = getattr(profile, "period", "") or ""
    try:
        return period_months(parse_period(text)) if text else None
    except WenmingError:
        return None


def check_task_workbook(
    path: PathLike, *, password: Optional[str] = None, profile: object = None
) -> list[Check]:
    """The workbook opens, holds a task table, and how many items/departments/reviews it has."""
    from wenming_xl.files.writing import lock_file_of
    from wenming_xl.tables.rubric import load_rubric

    p = Path(path)
    out = []
    lock = lock_file_of(p)
    if lock is not None:
        out.append(
            Check(
                HINT,
                f"{p.name} 旁边有锁文件 {lock.name}：可能正在 Excel/WPS 中编辑",
                "请保存并关闭该工作簿后再运行 wenming check，以免漏掉未保存的修改。",
            )
        )
    from wenming_xl.runs.check import default_outputs, pair_note

    mixed = pair_note(*default_outputs(p, None))
    if mixed:
        out.append(
            Check(HINT, mixed.split("；")[0], "重新运行 wenming check 即可写出编号一致的一对。")
        )
    known = list(getattr(profile, "departments", {}) or {})
    try:
        rubric = load_rubric(p, known_departments=known, password=password)
    except WenmingError as exc:
        out.append(Check(FAIL, f"任务表：{exc.message}", exc.hint or ""))
        return out
    out.append(
        Check(OK, f"任务表：{p.name} 工作表「{rubric.sheet}」，表头在第{rubric.header_row}行")
    )
    if not rubric.items:
        out.append(Check(FAIL, "任务表中没有读到任何条目", "请检查表头下方是否填写了工作清单。"))
        return out
    kinds = [it.kind for it in rubric.items]
    split = [f"基本项 {kinds.count(BASE)} 条"]
    split += [f"加分项目 {kinds.count(BONUS)} 条"] if BONUS in kinds else []
    split += [f"扣分项目 {kinds.count(DEDUCTION)} 条"] if DEDUCTION in kinds else []
    out.append(
        Check(
            OK,
            f"条目 {len(rubric.items)} 条（{'，'.join(split)}），牵头部门 {len(rubric.departments)} 个",
        )
    )
    from wenming_xl.judge.report import parse_requirements, unscorable

    # Parsed once, as check parses them (the item's own text included), for both checks.
    requirements = parse_requirements(rubric, _profile_months(profile))
    said = unscorable(rubric, requirements)
    if said is not None:  # the finding `check` reports for the same table
        out.append(Check(FAIL if "材料要求" in said.message else HINT, said.params["what"],
                         said.params["hint"]))  # fmt: skip
    no_dept = [str(i.no) for i in rubric.items if not i.departments and i.kind != DEDUCTION]
    if no_dept:
        out.append(
            Check(
                HINT,
                f"{len(no_dept)} 条没有牵头部门（第 {'、'.join(no_dept[:10])} 条）",
                "请在「牵头部门」列填写，否则这些条目不会出现在部门台账和督办邮件中。",
            )
        )
    out.extend(_confirm_checks(p, rubric, requirements))
    if rubric.notes:  # every kind of note about the table, each kind once with its first place
        kinds: dict[str, list[Any]] = {}
        for f in rubric.notes:
            kinds.setdefault(f.code, []).append(f)
        for code, fs in kinds.items():
            more = f"（共 {len(fs)} 处）" if len(fs) > 1 else ""
            out.append(Check(HINT, f"{TABLE_NOTE}【{code_label(code)}】{fs[0].message}{more}"))
    return out


def _confirm_checks(p: Path, rubric: Any, requirements: dict[int, Any]) -> list[Check]:
    """The items a person must confirm, and what the 人工确认 workbook says of them."""
    from wenming_xl.judge.checks import asks_person
    from wenming_xl.outputs.workbooks.confirm import confirm_path, read_confirmations

    review = [
        str(item.no)
        for n, item in enumerate(rubric.items)
        if not item.confirmed and asks_person(requirements.get(n))
    ]
    path = confirm_path(p)
    try:
        rows = read_confirmations(path)
    except WenmingError as exc:
        return [Check(FAIL, f"人工确认表：{exc.message}", exc.hint or "")]
    done = [n for n in review if rows.get(n) and rows[n].state == "已确认"]
    left = [n for n in review if n not in done]
    out = []
    if left:
        out.append(
            Check(
                HINT,
                f"{len(left)} 项的材料要求需要人工确认（第 {'、'.join(left[:10])} 项，如红头、印章）",
                f"这些条目有材料后，wenming check 在任务表旁的《{path.name}》中列出，核对后在"
                "「人工确认」列填写“已确认”；未确认前这些条目不计分（分档的加分项按最低一档计）。终端的「待人工确认」只数已有材料的条目。",
            )
        )
    if done:
        out.append(
            Check(
                OK,
                f"人工确认表 {path.name}：已确认 {len(done)} 项（第 {'、'.join(done[:10])} 项）；"
                "材料有变化的确认会失效，以 wenming check 的结果为准",
            )
        )
    return out


def run_doctor(
    workbook: Optional[PathLike] = None,
    *,
    config: Optional[PathLike] = None,
    password: Optional[str] = None,
    smtp_timeout: float = 3.0,
) -> list[Check]:
    """Every check: environment, unit profile (and its SMTP server), and the workbook if given.

    Without a workbook or ``config``, the profile is ``wenming.toml`` in the current folder,
    where ``wenming init`` writes it.
    """
    from wenming_xl.config import CONFIG_NAME

    here = Path.cwd() / CONFIG_NAME
    if workbook is None and config is None and here.is_file():
        config = here
    checks = [check_python(), *check_packages(), check_libreoffice(), *check_fonts()]
    profile_checks, profile = check_profile(workbook, config)
    checks += profile_checks
    smtp = getattr(profile, "smtp", None)
    if smtp is not None and smtp.configured:
        checks.append(check_smtp(smtp.host, smtp.port, smtp_timeout))
    if workbook is not None:
        checks += check_task_workbook(workbook, password=password, profile=profile)
    return checks


def render(checks: list[Check]) -> str:
    """The checklist in Chinese, one line per check, what to do indented below."""
    lines = []
    for c in checks:
        lines.append(f"{MARKS[c.status]} {c.title}")
        if c.fix and c.status != OK:
            lines.append(f"    → {c.fix}")
    fails = sum(c.status == FAIL for c in checks)
    hints = sum(c.status == HINT for c in checks)
    lines.append("")
    if fails:
        lines.append(f"发现 {fails} 个问题需要处理（✘），{hints} 条提示。")
    else:
        table = sum(c.status == HINT and c.title.startswith(TABLE_NOTE) for c in checks)
        if table:  # the table's notes bear on the scores: never 「一切正常」 beside them
            lines.append(
                f"没有必须处理的问题，但任务表有 {table} 类读表提醒（见上），请核对后再使用分数。"
            )
        else:
            lines.append("一切正常。" + (f"另有 {hints} 条提示，可按需处理。" if hints else ""))
    return "\n".join(lines)
