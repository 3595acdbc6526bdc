"""A notice written as a plain-text draft, laid out as a 红头文件 (``wenming notice from-text``).

`notice_from_text` reads the title (first line), 主送 (「各科室：」), the body, and the optional
lines people write: a 发文字号 above the title, 「附件：…」, the unit and date at the end,
（附注） and 「抄送：…」. It returns a `Notice` (data only), as the other builders of
:mod:`wenming_xl.outputs.notices.kinds` do.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Optional

from wenming_xl.errors import ConfigError
from wenming_xl.outputs.notices.kinds import doc_number, unit_of
from wenming_xl.outputs.notices.notice import Notice, parse_doc_number
from wenming_xl.text import cn_to_int

_DATE_AR = re.compile(
    r"^((?:19|20)\d{2})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?$"
)
_DATE_CN = re.compile(
    r"^([〇○Ο零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$"
)
_DOCNO_LINE = re.compile(r"^.{1,20}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\d+\s*号$")


def _parse_date(line: str) -> Optional[tuple[_dt.date, bool]]:
    s = re.sub(r"\s+", "", line)
    m = _DATE_AR.match(s)
    try:
        if m:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), False
        m = _DATE_CN.match(s)
        if m:
            year = cn_to_int(m.group(1).replace("Ο", "〇").replace("○", "〇"))
            month, day = cn_to_int(m.group(2)), cn_to_int(m.group(3))
            if year and month and day:
                return _dt.date(year, month, day), True
    except ValueError:
        return None
    return None


def notice_from_text(text: str, profile: Any) -> Notice:
    """A notice from a plain-text draft: title, 「各科室：」, body with 一、（一）1.（1）, signature, date.

    Optional lines are understood too: a 发文字号 above the title, 「附件：…」 (numbered
    1. 2. for several), the signer and date at the end, a 附注 in （） after the date, and
    「抄送：…」. Markdown marks (#, **) are ignored.
    """
    unit = unit_of(profile, None)
    lines = [
        re.sub(r"^#+\s*|\*\*", "", ln).strip() for ln in str(text).replace("\r\n", "\n").split("\n")
    ]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise ConfigError(
            "文稿是空的。", hint="第一行写标题，第二行写主送机关（如「各科室：」），然后写正文。"
        )
    number: Optional[str] = None
    if _DOCNO_LINE.match(lines[0].replace(" ", "")):
        number = parse_doc_number(lines.pop(0))
    title_lines, main_to = [], ""
    for i, ln in enumerate(lines[:5]):
        if ln.endswith(("：", ":")) and len(ln) <= 40 and i > 0:
            title_lines, main_to = lines[:i], ln.rstrip("：:")
            lines = lines[i + 1 :]
            break
    else:
        title_lines, lines = lines[:1], lines[1:]
    cc: list[str] = []
    note = ""
    signer = ""
    date: Optional[_dt.date] = None
    chinese = False
    tail = [i for i, ln in enumerate(lines) if _parse_date(ln)]
    if tail:
        di = tail[-1]
        date, chinese = _parse_date(lines[di])  # type: ignore[misc]
        after = lines[di + 1 :]
        lines = lines[:di]
        for ln in after:
            if ln.startswith(("抄送：", "抄送:")):
                cc = [c for c in re.split(r"[，,、；;]", ln[3:].rstrip("。")) if c.strip()]
            elif ln.startswith(("（", "(")):
                note = ln
        if lines and len(lines[-1]) <= 30 and not re.search(r"[。，；：:]$", lines[-1]):
            signer = lines.pop()
    attachments: list[str] = []
    for i, ln in enumerate(lines):
        if ln.startswith(("附件：", "附件:")):
            first = re.sub(r"^\d+[.．、]\s*", "", ln[3:].strip())
            attachments = [first] if first else []
            rest = lines[i + 1 :]
            while rest and re.match(r"^\d+[.．、]", rest[0]):
                attachments.append(re.sub(r"^\d+[.．、]\s*", "", rest.pop(0)))
            lines = lines[:i] + rest
            break
    if number is None:  # as publish and bulletin: the code and year, the serial to fill in
        number = doc_number(unit, None, (date or _dt.date.today()).year)
    return Notice(
        title="".join(title_lines),
        body=lines,
        mark=unit.mark,
        number=number,
        main_to=main_to,
        attachments=attachments,
        signer=signer or unit.name,
        date=date or _dt.date.today(),
        chinese_date=chinese,
        note=note,
        cc=cc or list(unit.cc),
        printer=unit.printer,
        print_date=date,
        keep_words=[unit.name],
    )
