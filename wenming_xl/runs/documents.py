"""The office's documents as jobs: 印发通知, 月度督查通报, a notice from a text draft.

Each function reads what the document needs (the task table, a check, last month from
the history, the unit profile), builds the `Notice`, writes the .docx and, with
``pdf``, a PDF beside it; it returns the paths written. ``wenming notice …`` and
``wenming init`` are thin layers over these.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Callable, Optional, Union

from wenming_xl.config import CONFIG_NAME, example_profile, load_profile, unit_from_title
from wenming_xl.errors import ConfigError, OutputError

PathLike = Union[str, Path]
Echo = Callable[[str], Any]

_NO_NUMBER = "提示：未指定 --number，发文字号的序号留空，请打印前填写。"
_NO_CODE = (
    "提示：未指定 --number，且 wenming.toml 的 [unit] 没有机关代字 code，通知没有发文字号行；"
    "需要时用 --number 写完整文号，如「绍市中医〔2022〕23号」。"
)


def write_document(
    notice: Any,
    path: Path,
    *,
    template: Optional[PathLike] = None,
    pdf: bool = False,
    echo: Echo = lambda message: None,
) -> list[Path]:
    """Write ``notice`` as ``path`` (.docx) and, with ``pdf``, convert it beside itself."""
    from wenming_xl.outputs.notices.notice import write_notice

    write_notice(notice, path, template=template)
    echo(f"已生成：{path}")
    written = [Path(path)]
    if pdf:
        from wenming_xl.outputs.notices.pdf import convert_to_pdf

        echo("正在用 LibreOffice 转换 PDF …")
        try:
            done = convert_to_pdf(path, Path(path).parent)
        except OutputError as exc:
            exc.message = f"{exc.message}（Word 文件已生成：{path}）"
            raise
        echo(f"已生成：{done}")
        written.append(Path(done))
    return written


def publish_document(
    workbook: PathLike,
    out: Path,
    *,
    sheet: Optional[str] = None,
    number: Optional[str] = None,
    date: Optional[_dt.date] = None,
    config: Optional[PathLike] = None,
    template: Optional[PathLike] = None,
    pdf: bool = False,
    echo: Echo = lambda message: None,
) -> list[Path]:
    """The notice that publishes the task table (整张任务表作为附件), written to ``out``."""
    from wenming_xl.outputs.notices.notice import publish_notice
    from wenming_xl.tables.rubric import load_rubric

    profile = load_profile(config, workbook)
    rubric = load_rubric(workbook, sheet, known_departments=list(profile.departments) or None)
    notice = publish_notice(rubric, profile, number=number, date=date)
    if not number:
        echo(_NO_NUMBER if notice.number else _NO_CODE)
    return write_document(notice, out, template=template, pdf=pdf, echo=echo)


def bulletin_document(
    workbook: PathLike,
    out: Path,
    *,
    month: str,
    evidence: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    period: Optional[str] = None,
    password: Optional[str] = None,
    deadline: Optional[_dt.date] = None,
    sheet: Optional[str] = None,
    db: Optional[PathLike] = None,
    number: Optional[str] = None,
    date: Optional[_dt.date] = None,
    config: Optional[PathLike] = None,
    template: Optional[PathLike] = None,
    pdf: bool = False,
    echo: Echo = lambda message: None,
) -> list[Path]:
    """Check the evidence and write the month's 督查通报 (with 较上月 from the history).

    The evidence counted is that of the assessment period (``period``, else the profile's,
    else the month's year) up to the month's end (:func:`evidence.period.month_period`).
    """
    from wenming_xl.evidence.period import parse_month, settle_deadline
    from wenming_xl.outputs.notices.notice import bulletin_notice
    from wenming_xl.runs.check import month_check
    from wenming_xl.runs.history import default_db_path, open_history

    month = parse_month(month)
    profile = load_profile(config, workbook)
    deadline, note = settle_deadline(month, deadline, date or _dt.date.today())
    if note:
        echo(note)
    echo(f"正在检查 {Path(workbook).name} …")
    kwargs = {"config": config} if config else {}
    report = month_check(
        workbook,
        month,
        profile=profile,
        evidence=evidence,
        ledgers=ledgers,
        ledger_dir=ledger_dir,
        period=period,
        sheet=sheet,
        password=password,
        **kwargs,
    )
    previous = None
    db_path = Path(db) if db else default_db_path(workbook)
    if db_path.is_file():
        with open_history(db_path) as history:
            previous = history.previous(month)
    notice = bulletin_notice(
        report,
        profile,
        month=month,
        previous=previous,
        deadline=deadline,
        number=number,
        date=date,
    )
    if not number:
        echo(_NO_NUMBER if notice.number else _NO_CODE)
    return write_document(notice, out, template=template, pdf=pdf, echo=echo)


def read_draft(path: Path) -> str:
    """A text draft in UTF-8 (with or without BOM) or GBK (Windows Notepad's ANSI)."""
    data = Path(path).read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ConfigError(
        f"{Path(path).name} 不是文本文件，或编码无法识别。",
        hint="请用记事本“另存为”UTF-8 编码的 .txt 文件。",
    )


def text_document(
    draft: PathLike,
    out: Path,
    *,
    number: Optional[str] = None,
    date: Optional[_dt.date] = None,
    config: Optional[PathLike] = None,
    template: Optional[PathLike] = None,
    pdf: bool = False,
    echo: Echo = lambda message: None,
) -> list[Path]:
    """A plain-text draft (title, 主送, body, 附件, 落款) laid out as a 红头文件."""
    from wenming_xl.outputs.notices.kinds import doc_number
    from wenming_xl.outputs.notices.notice import notice_from_text

    profile = load_profile(config, draft)
    notice = notice_from_text(read_draft(Path(draft)), profile)
    unit = profile.unit.with_defaults(None)
    blank = doc_number(unit, None, notice.date.year)
    if date:
        notice.date = date
        notice.print_date = date
    if number:
        notice.number = doc_number(unit, number, notice.date.year)
    elif notice.number == blank:  # no 文号 in the draft either: left to fill in, this year's
        notice.number = doc_number(unit, None, notice.date.year)
        echo(_NO_NUMBER if notice.number else _NO_CODE)
    return write_document(notice, out, template=template, pdf=pdf, echo=echo)


def write_profile(folder: PathLike, workbook: Optional[PathLike] = None) -> Optional[Path]:
    """Write the commented ``wenming.toml`` into ``folder``; None if one is there.

    With ``workbook``, the unit's name comes from its task table's title (when the title
    names one); otherwise every unit detail is a commented placeholder to fill in.
    """
    from wenming_xl.files.writing import atomic_write

    target = Path(folder) / CONFIG_NAME
    if target.exists():
        return None
    name = None
    if workbook is not None:
        from wenming_xl.tables.rubric import load_rubric

        name = unit_from_title(load_rubric(workbook).title)
    with atomic_write(target) as tmp:
        tmp.write_text(example_profile(name), encoding="utf-8")
    return target
