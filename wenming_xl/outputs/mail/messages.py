"""The monthly compliance mail: one message per department that has gaps.

Each message has a Chinese subject (「【文明创建】党建办 2022年6月 佐证材料督查提醒」), an HTML
body with a table of the department's unmet items (status, what is missing, points,
score, points at stake, deadline) and what changed since last month, the same in plain
text, and the department's own extract workbook attached. The attachment's name is
written twice so that Outlook, Foxmail and QQ/Exmail all read it: RFC 2231
(``filename*=utf-8''…``) in Content-Disposition and RFC 2047 (``name="=?utf-8?b?…?="``) on
Content-Type. The standard library's policy would rewrite a hand-made RFC 2047 ``name=``
into RFC 2231, so those two headers are stored pre-folded and :data:`POLICY` never refolds
them; :func:`message_bytes` is the one serialiser used for sending and for ``.eml`` files.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy as _policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Optional, Union
from urllib.parse import quote

from wenming_xl.config import Contact, Profile, unit_from_title
from wenming_xl.errors import ConfigError
from wenming_xl.evidence.period import default_deadline, month_label, parse_month
from wenming_xl.files.writing import atomic_write
from wenming_xl.judge.trend import compare, report_snapshot
from wenming_xl.model import MET, NA, STATUS_LABELS, Report
from wenming_xl.outputs.mail.contacts import find_contact, split_addresses
from wenming_xl.outputs.mail.extract import (
    DateLike,
    Gap,
    department_gaps,
    departments_of,
    extract_bytes,
    fmt_date,
)
from wenming_xl.outputs.mail.extract import fmt_points as _pts
from wenming_xl.text import cn_date

#: The policy of every message: SMTP line endings; pre-folded raw headers are kept as written.
POLICY = _policy.SMTP.clone(refold_source="none")

#: Sender of .eml drafts when wenming.toml names none (never used for sending).
DRAFT_SENDER = "wenming@draft.invalid"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_ADDR = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_BAD_FILENAME = re.compile(r'[\\/:*?"<>|]')


# --------------------------------------------------------------------------- small helpers


def valid_address(addr: str) -> bool:
    """True for a plain ASCII address ``local@domain.tld`` (no spaces, no CR/LF, no names).

    The address must also come back unchanged from the email library's own parser: an
    RFC 2047 encoded word (``=?utf-8?q?x?=@x.com``) passes the character check but is no
    mailbox, and the library refuses it when the message is built.
    """
    if len(addr) > 254 or not _ADDR.match(addr) or "=?" in addr:
        return False
    try:
        return Address(addr_spec=addr).addr_spec == addr
    except Exception:  # the parser raises its defect classes (ValueError, IndexError…)
        return False


def has_control(text: str) -> bool:
    """True when text holds a control or line-break character (CR, LF, NUL, U+2028 …)."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def clean_text(text: Any) -> str:
    """Text safe for a header or a file name: control and line-break characters become spaces."""
    s = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in str(text)
    )
    return re.sub(r"\s+", " ", s).strip()


def safe_filename(text: Any, limit: int = 40) -> str:
    """A department name usable in a Windows file name."""
    s = _BAD_FILENAME.sub("_", clean_text(text)).strip(" .")
    return s[:limit] or "部门"


def rfc2047_words(text: str) -> str:
    """``text`` as RFC 2047 UTF-8 base64 encoded words (each at most 75 characters)."""
    words, chunk = [], b""
    for ch in text:
        b = ch.encode("utf-8")
        if len(chunk) + len(b) > 45:
            words.append(chunk)
            chunk = b""
        chunk += b
    if chunk or not words:
        words.append(chunk)
    return " ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def attachment_part(data: bytes, filename: str, content_type: str = XLSX_TYPE) -> MIMEPart:
    """A base64 attachment whose name is given both as RFC 2231 and as RFC 2047."""
    maintype, subtype = content_type.split("/", 1)
    part = MIMEPart(policy=POLICY)
    part.set_content(data, maintype=maintype, subtype=subtype)
    del part["Content-Type"]
    del part["Content-Disposition"]
    part.set_raw("Content-Type", f'{content_type};\n name="{rfc2047_words(filename)}"')
    part.set_raw(
        "Content-Disposition", f"attachment;\n filename*=utf-8''{quote(filename, safe='')}"
    )
    return part


def message_bytes(msg: EmailMessage, *, unsent: bool = False) -> bytes:
    """Serialise a message exactly as it is sent (CRLF, both attachment-name forms kept).

    ``unsent`` adds ``X-Unsent: 1`` so Outlook opens an ``.eml`` as a draft ready to send.
    """
    data = msg.as_bytes(policy=POLICY)
    return b"X-Unsent: 1\r\n" + data if unsent else data


# --------------------------------------------------------------------------- the plan


@dataclass
class OutgoingMail:
    """One department's message and who gets it."""

    department: str
    to: list[str]
    cc: list[str]
    message: EmailMessage
    attachment_name: str
    gaps: list[Gap] = field(default_factory=list)

    @property
    def recipients(self) -> list[str]:
        """Envelope recipients: To then Cc, each once."""
        return list(dict.fromkeys(self.to + self.cc))

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def as_bytes(self, *, unsent: bool = False) -> bytes:
        return message_bytes(self.message, unsent=unsent)


@dataclass
class Unreachable:
    """A department with gaps that cannot be mailed: no address, or an invalid one."""

    department: str
    reason: str
    gaps: int
    #: The message it would get, without a To: written as a draft for someone to forward.
    draft: Optional[OutgoingMail] = None


@dataclass
class MailPlan:
    """Everything one month's mailing would send, and whom it cannot reach."""

    month: str
    sender: str
    messages: list[OutgoingMail] = field(default_factory=list)
    no_address: list[Unreachable] = field(default_factory=list)


def _sender_address(sender: str, default_name: str) -> Address:
    name, addr = parseaddr(clean_text(sender))
    if not addr or not valid_address(addr) or has_control(str(sender)):
        raise ConfigError(
            f"发件地址「{clean_text(sender)}」不是有效的邮箱地址。",
            hint="请在 wenming.toml 的 [smtp] 中把 from 写成 例如 wmb@example.org。",
        )
    return Address(display_name=clean_text(name) or default_name, addr_spec=addr)


def _recipients(contact: Optional[Contact]) -> tuple[list[str], list[str], Optional[str]]:
    """(to, cc, problem): valid addresses of a contact, or why it cannot be mailed."""
    if contact is None:
        return [], [], "通讯录中没有该部门"
    to = split_addresses(contact.email)
    if not to:
        return [], [], "通讯录中没有填写邮箱"
    bad = [a for a in to + list(contact.cc) if not valid_address(a)]
    if bad:
        shown = "、".join(f"「{clean_text(a)}」" for a in bad)
        return [], [], f"邮箱地址 {shown} 格式不正确"
    cc = [a for a in contact.cc if a not in to]
    return to, cc, None


def _unit_name(profile: Profile, report: Report) -> str:
    unit = profile.unit
    return clean_text(
        unit.printer or unit.name or unit_from_title(report.rubric.title) or "文明创建工作办公室"
    )


def _changes(
    report: Report, department: str, month: str, previous: Optional[dict[str, Any]]
) -> list[str]:
    """Lines saying what changed for the department since the previous recorded month."""
    if not previous:
        return []
    diff = compare(report_snapshot(report, month), previous)
    lines: list[str] = []
    dep = diff["departments"].get(department)
    if dep and dep["previous"] is not None:
        delta = dep["delta"]
        sign = f"+{_pts(delta)}" if delta > 0 else _pts(delta) if delta < 0 else "持平"
        lines.append(f"本部门得分 {_pts(dep['previous'])} 分 → {_pts(dep['score'])} 分（{sign}）")
    elif dep:
        lines.append(f"本部门得分 {_pts(dep['score'])} 分（上月无记录）")
    for r in report.items:
        if department not in r.item.departments:
            continue
        change = diff["items"].get(str(r.item.no))
        if change:
            before = STATUS_LABELS.get(change["from"], change["from"])
            after = STATUS_LABELS.get(change["to"], change["to"])
            lines.append(f"第{r.item.no}项：{before} → {after}")
    if len(lines) <= 1:
        lines.append("各条目状态与上月相同")
    return lines


def _html_body(
    greeting: str,
    intro: str,
    gaps: list[Gap],
    deadline: str,
    changes: list[str],
    prev_label: str,
    closing: list[str],
) -> str:
    e = html.escape
    heads = ["条目", "状态", "缺什么", "分值", "得分", "待得分"] + (
        ["截止日期"] if deadline else []
    )
    th = "".join(
        f'<th style="background:#D9E1F2;border:1px solid #999;padding:4px">{h}</th>' for h in heads
    )
    td = 'style="border:1px solid #999;padding:4px;vertical-align:top"'
    rows = []
    for g in gaps:
        cells = [
            e(g.heading),
            e(g.status_label),
            "<br>".join(e(m) for m in g.lines),
            e(_pts(g.points)),
            e(_pts(g.score)),
            e(_pts(g.at_stake)),
        ] + ([e(deadline)] if deadline else [])
        rows.append(
            f'<tr data-item="{e(g.no_label)}">'
            + "".join(f"<td {td}>{c}</td>" for c in cells)
            + "</tr>"
        )
    parts = [
        '<html><head><meta charset="utf-8"></head>',
        "<body style=\"font-family:'Microsoft YaHei',SimSun,sans-serif;font-size:14px\">",
        f"<p>{e(greeting)}</p>",
        f"<p>{e(intro)}</p>",
        '<table style="border-collapse:collapse" cellspacing="0" cellpadding="4">',
        f"<thead><tr>{th}</tr></thead>",
        "<tbody>" + "".join(rows) + "</tbody></table>",
    ]
    if changes:
        parts.append(f"<p><b>较上月（{e(prev_label)}）</b></p>")
        parts.append("<ul>" + "".join(f"<li>{e(c)}</li>" for c in changes) + "</ul>")
    parts.extend(f"<p>{e(line)}</p>" for line in closing)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _text_body(
    greeting: str,
    intro: str,
    gaps: list[Gap],
    deadline: str,
    changes: list[str],
    prev_label: str,
    closing: list[str],
) -> str:
    lines = [greeting, "", intro, ""]
    for g in gaps:
        lines.append(g.heading)
        facts = [f"状态：{g.status_label}"]
        if g.result is not None:
            facts += [
                f"分值：{_pts(g.points) or '—'}",
                f"得分：{_pts(g.score) or '—'}",
                f"待得分：{_pts(g.at_stake) or '0'}",
            ]
        if deadline:
            facts.append(f"截止日期：{deadline}")
        lines.append("  " + "　".join(facts))
        lines.append("  缺什么：")
        lines.extend(f"    - {m}" for m in g.lines)
        lines.append("")
    if changes:
        lines.append(f"较上月（{prev_label}）：")
        lines.extend(f"  - {c}" for c in changes)
        lines.append("")
    lines.extend(closing)
    return "\n".join(lines) + "\n"


def _intro(label: str, gaps: list[Gap], due: str, office: Sequence[Gap] = ()) -> str:
    """The mail's first paragraph: how many items are not met, and what else to look at.

    Points to gain are base points, as the bulletin and the terminal count them, with a
    bonus item's said apart; the items that wait only for the office (``office``) are
    named after, with their points, as nothing the department has to do.
    """
    unmet = sum(1 for g in gaps if g.leads and g.result.status not in (MET, NA))
    rows = sum(1 for g in gaps if g.leads and g.result.status in (MET, NA))
    others = sum(1 for g in gaps if not g.leads and g.result is not None)
    ledger = sum(len(g.findings) for g in gaps if g.result is None)
    base = sum((g.at_stake for g in gaps if not g.bonus), start=0)
    bonus = sum((g.at_stake for g in gaps if g.bonus), start=0)
    parts = []
    if unmet:
        stake = [f"待得分合计 {_pts(base)} 分"] if base else []
        stake += [f"另有加分项目 {_pts(bonus)} 分可争取"] if bonus else []
        stake_text = f"（{'，'.join(stake)}）" if stake else ""
        parts.append(f"贵部门牵头的以下 {unmet} 项工作尚未达标{stake_text}")
    if rows:
        parts.append(f"{rows} 项已达标的条目台账中有填写问题")
    if others:
        parts.append(f"贵部门台账中另有 {others} 项填报的不是本部门牵头的条目，请核对")
    if ledger:
        parts.append(f"贵部门台账中有 {ledger} 处不属于任何条目的填写问题")
    tail = f"，请于{due}前补齐材料、改正台账。" if due else "，请尽快补齐材料、改正台账。"
    if office:
        nos = "、".join(str(g.no) for g in office)
        held = sum((g.at_stake for g in office if not g.bonus), start=0)
        extra = sum((g.at_stake for g in office if g.bonus), start=0)
        pts = [f"基本分 {_pts(held)} 分"] if held else []
        pts += [f"加分 {_pts(extra)} 分"] if extra else []
        tail += (
            f"另有第{nos}项材料已收到，待办公室核对{'（' + '、'.join(pts) + '）' if pts else ''}，"
            "贵部门无需处理。"
        )
    return f"根据{label}文明单位创建佐证材料检查，" + "；".join(parts) + tail


def build_messages(
    report: Report,
    contacts: dict[str, Contact],
    profile: Profile,
    *,
    month: str,
    previous: Optional[dict[str, Any]] = None,
    deadline: DateLike = None,
    sender: str,
    now: Optional[_dt.datetime] = None,
) -> MailPlan:
    """One message per department with gaps; departments with gaps but no usable address
    are listed in ``no_address``. ``previous`` is a :meth:`History.month` dict."""
    month = parse_month(month)
    label = month_label(month)
    unit = _unit_name(profile, report)
    from_addr = _sender_address(sender, unit)
    domain = from_addr.domain
    when = now or _dt.datetime.now().astimezone()
    if deadline is None:  # the bulletin's rule: 下月15日, or two weeks after a late run
        deadline = default_deadline(month, issued=when.date())
    due = fmt_date(deadline)
    prev_label = month_label(previous["month"]) if previous and previous.get("month") else ""
    plan = MailPlan(month=month, sender=from_addr.addr_spec)
    used_names: set[str] = set()
    for department in departments_of(report):
        gaps = department_gaps(report, department)
        office = [g for g in gaps if g.office_only]  # the office's own checks: told apart
        gaps = [g for g in gaps if not g.office_only]
        if not gaps:
            continue
        contact = find_contact(contacts, department)
        to, cc, problem = _recipients(contact)
        dep = clean_text(department)
        head = clean_text(contact.head) if contact else ""
        greeting = f"{dep}{(' ' + head) if head else '负责'}同志："
        intro = _intro(label, gaps, due, office)
        name = f"{safe_filename(department)}-{label}-督查清单.xlsx"
        if name in used_names:
            name = f"{safe_filename(department)}({len(used_names) + 1})-{label}-督查清单.xlsx"
        used_names.add(name)
        closing = [
            f"附件「{name}」为本部门督查清单，可直接在 Excel/WPS 中打开。",
            f"如对检查结果有疑问，请联系{unit}。",
            unit,
            cn_date(when),
        ]
        changes = _changes(report, department, month, previous)

        msg = EmailMessage(policy=POLICY)
        msg["Subject"] = f"【文明创建】{dep} {label} 佐证材料督查提醒"
        msg["From"] = from_addr
        display = clean_text(f"{dep} {head}")
        if to:  # a department without a usable address still gets a draft, without To
            msg["To"] = [Address(display_name=display, addr_spec=a) for a in to]
        if cc:
            msg["Cc"] = [Address(addr_spec=a) for a in cc]
        msg["Date"] = format_datetime(when)
        msg["Message-ID"] = make_msgid(idstring=f"wenming.{month}", domain=domain)
        msg.set_content(
            _text_body(greeting, intro, gaps, due, changes, prev_label, closing), cte="base64"
        )
        msg.add_alternative(
            _html_body(greeting, intro, gaps, due, changes, prev_label, closing),
            subtype="html",
            cte="base64",
        )
        for part in msg.walk():
            if part is not msg:
                del part["MIME-Version"]  # only the top level carries it
        msg.make_mixed()
        data = extract_bytes(report, department, month_label=label, deadline=deadline)
        msg.attach(attachment_part(data, name))
        mail = OutgoingMail(department, to, cc, msg, name, gaps)
        if problem:
            plan.no_address.append(Unreachable(department, problem, len(gaps), mail))
        else:
            plan.messages.append(mail)
    return plan


def eml_name(month: str, department: str) -> str:
    """The outbox file name of a department's message: 「2022-06-党建办.eml」."""
    return f"{parse_month(month)}-{safe_filename(department)}.eml"


def write_outbox(plan: MailPlan, outbox_dir: Union[str, Path]) -> list[Path]:
    """Write each message as an ``.eml`` file (atomically) that Outlook/Foxmail can open.

    Departments without a usable address get theirs too (「2022-06-工会-无邮箱.eml」, no To),
    so the office can forward it by hand.
    """
    folder = Path(outbox_dir)
    paths: list[Path] = []
    taken: set[str] = set()
    drafts = [(m, "") for m in plan.messages]
    drafts += [(u.draft, "-无邮箱") for u in plan.no_address if u.draft is not None]
    for mail, tag in drafts:
        stem = f"{parse_month(plan.month)}-{safe_filename(mail.department)}{tag}"
        name = f"{stem}.eml"
        n = 2
        while name.lower() in taken:
            name = f"{stem}({n}).eml"
            n += 1
        taken.add(name.lower())
        target = folder / name
        with atomic_write(target) as tmp:
            tmp.write_bytes(mail.as_bytes(unsent=True))
        paths.append(target)
    return paths


def plan_month(
    report: Report,
    *,
    workbook: Union[str, Path, None],
    profile: Profile,
    history: Any,
    month: str,
    deadline: DateLike = None,
    sender: Optional[str] = None,
    contacts: Optional[dict[str, Contact]] = None,
) -> MailPlan:
    """Build a month's plan the way ``wenming mail`` does: contacts from the workbook and
    profile, 较上月 from the history, sender from ``[smtp] from``."""
    from wenming_xl.outputs.mail.contacts import load_contacts

    if contacts is None:
        contacts = load_contacts(workbook, profile)
    previous = history.previous(month) if history is not None else None
    sender = sender or profile.smtp.sender
    if not sender:
        raise ConfigError(
            "没有配置发件地址。",
            hint='请在 wenming.toml 的 [smtp] 中填写 from，例如 from = "wmb@example.org"。',
        )
    return build_messages(
        report, contacts, profile, month=month, previous=previous, deadline=deadline, sender=sender
    )
