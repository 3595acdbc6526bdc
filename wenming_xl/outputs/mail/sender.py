"""Send a month's mail plan over SMTP: throttled, resumable, never twice.

Every message the server accepts is logged in the history file's ``mail_log`` and
committed at once, so a rerun of the same month sends only what was not yet accepted.
A temporary refusal (4xx) is retried a few times and otherwise left for the next run; a
permanent one (5xx) is reported with the department's name and the others go on; a lost
connection is re-established a few times, else sending stops with the rest pending.
Nothing that can be fixed by a person (server down, wrong 授权码, TLS mismatch) ends in a
traceback: it is a `MailError` naming the setting, and never the secret.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from wenming_xl.config import PASSWORD_ENV, SmtpSettings
from wenming_xl.errors import ConfigError, MailError, os_reason
from wenming_xl.evidence.period import parse_month
from wenming_xl.files.database import FAILED, PENDING, SENT
from wenming_xl.outputs.mail.messages import MailPlan, OutgoingMail

#: Row statuses of a `SendResult`.
SKIPPED, NO_ADDRESS = "skipped", "no-address"
STATUS_TEXT = {
    SENT: "已发送",
    SKIPPED: "已跳过（本月已发送过）",
    FAILED: "失败",
    PENDING: "待重发",
    NO_ADDRESS: "无邮箱",
}


@dataclass
class SendRow:
    """What happened to one department's message."""

    department: str
    recipients: list[str]
    status: str
    detail: str = ""
    message_id: Optional[str] = None


@dataclass
class SendResult:
    """The outcome of one sending run, in plan order."""

    month: str
    rows: list[SendRow] = field(default_factory=list)
    #: Why sending stopped before the end (connection lost for good), else None.
    stopped: Optional[str] = None

    def of(self, status: str) -> list[SendRow]:
        return [r for r in self.rows if r.status == status]

    @property
    def sent(self) -> list[SendRow]:
        return self.of(SENT)

    @property
    def skipped(self) -> list[SendRow]:
        return self.of(SKIPPED)

    @property
    def failed(self) -> list[SendRow]:
        return self.of(FAILED)

    @property
    def pending(self) -> list[SendRow]:
        return self.of(PENDING)

    @property
    def no_address(self) -> list[SendRow]:
        return self.of(NO_ADDRESS)

    @property
    def complete(self) -> bool:
        """True when nothing failed and nothing is left for a rerun."""
        return not self.failed and not self.pending

    def render(self) -> str:
        """A plain-text table: 部门, 收件人, 结果, 说明, then a one-line summary."""
        rows = [["部门", "收件人", "结果", "说明"]]
        for r in self.rows:
            rows.append([r.department, ", ".join(r.recipients), STATUS_TEXT[r.status], r.detail])
        summary = (
            f"已发送 {len(self.sent)} 封，已跳过 {len(self.skipped)} 封，失败 {len(self.failed)} 封，"
            f"待重发 {len(self.pending)} 封，无邮箱 {len(self.no_address)} 个部门。"
        )
        lines = [render_table(rows), summary] if len(rows) > 1 else [summary]
        if self.stopped:
            lines.append(self.stopped)
        if self.pending or self.failed:
            lines.append("修正后重新运行同一命令即可；已发送的部门不会重复发送。")
        return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def render_table(rows: list[list[str]]) -> str:
    """Rows as aligned columns (Chinese characters count double width)."""
    widths = [max(_width(r[c]) for r in rows) for c in range(len(rows[0]))]
    out = []
    for i, row in enumerate(rows):
        cells = [cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row)]
        out.append("  ".join(cells).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


# --------------------------------------------------------------------------- connecting


def _where(settings: SmtpSettings) -> str:
    return f'{settings.host}:{settings.port}（tls = "{settings.tls}"）'


def _answer(code: int, text: object, password: Optional[str] = None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    s = f"{code} {text}".strip()
    if password:
        s = s.replace(password, "***")
    return s


def _smtp_reason(exc: smtplib.SMTPException) -> str:
    """What an SMTP error (not a system one) says: the server's own answer, or its kind in Chinese."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"服务器回答 {_answer(exc.smtp_code, exc.smtp_error)}"
    return f"邮件协议错误：{exc}" if str(exc) else "邮件协议错误"


def connect(
    settings: SmtpSettings,
    password: Optional[str] = None,
    *,
    ssl_context: Optional[ssl.SSLContext] = None,
) -> smtplib.SMTP:
    """Open, secure and log in to the SMTP server, or raise `MailError` naming the setting."""
    if not settings.configured:
        raise ConfigError(
            "没有配置邮件服务器。",
            hint="请在 wenming.toml 的 [smtp] 中填写 host、port、tls 和 from；只想生成邮件可加 --dry-run。",
        )
    ctx = ssl_context or ssl.create_default_context()
    where = _where(settings)
    tls_hint = (
        '常见设置：端口 465 用 tls = "ssl"，端口 587 用 tls = "starttls"，端口 25 用 tls = "none"。'
    )
    try:
        if settings.tls == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=ctx
            )
        else:
            conn = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except ssl.SSLCertVerificationError as exc:
        raise MailError(
            f"邮件服务器 {settings.host} 的证书无法验证（{exc.verify_message}）。",
            hint="请确认 [smtp] host 写的是服务器证书上的域名（如 smtp.exmail.qq.com），不要写 IP 地址。",
        ) from exc
    except ssl.SSLError as exc:
        raise MailError(
            f"与邮件服务器 {where} 建立加密连接失败：该端口不是 SSL 端口。",
            hint=f"请检查 wenming.toml [smtp] 中的 port 和 tls。{tls_hint}",
        ) from exc
    except (socket.timeout, TimeoutError) as exc:
        raise MailError(
            f"连接邮件服务器 {where} 超时。",
            hint=f"请检查网络，以及 [smtp] 中的 host、port、tls 是否与邮箱服务商的说明一致。{tls_hint}",
        ) from exc
    except socket.gaierror as exc:
        raise MailError(
            f"找不到邮件服务器「{settings.host}」。",
            hint="请检查 wenming.toml [smtp] 中的 host 是否写错，以及本机能否上网。",
        ) from exc
    except smtplib.SMTPServerDisconnected as exc:
        raise MailError(
            f"已连上邮件服务器 {where}，但它没有应答（超时或断开）；"
            "通常是 tls 设置与端口不符，例如该端口要求 SSL 加密。",
            hint=f"请核对 wenming.toml [smtp] 中的 port 和 tls。{tls_hint}",
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else _smtp_reason(exc)
        raise MailError(
            f"无法连接邮件服务器 {where}（{reason}）。",
            hint=f"请检查 [smtp] 中的 host、port、tls，以及防火墙是否放行该端口。{tls_hint}",
        ) from exc
    try:
        conn.ehlo_or_helo_if_needed()
        if settings.tls == "starttls":
            try:
                conn.starttls(context=ctx)
            except smtplib.SMTPNotSupportedError as exc:
                raise MailError(
                    f"邮件服务器 {where} 不支持 STARTTLS 加密。",
                    hint=f'请把 [smtp] tls 改为 "ssl"（并用 SSL 端口）或 "none"。{tls_hint}',
                ) from exc
            conn.ehlo()
        if settings.user:
            if not password:
                raise MailError(
                    f"登录邮件服务器需要 {settings.user} 的密码或授权码。",
                    hint=f"请设置环境变量 {PASSWORD_ENV}，或在提示时输入授权码。",
                )
            if not password.isascii():
                raise MailError(
                    "密码或授权码中有中文或全角字符，邮件服务器无法接受。",
                    hint=(
                        f"请检查环境变量 {PASSWORD_ENV} 或输入的授权码是否在中文输入法下输入；"
                        "授权码只含英文字母和数字。"
                    ),
                )
            try:
                conn.login(settings.user, password)
            except smtplib.SMTPAuthenticationError as exc:
                if exc.smtp_code in (523, 538):
                    raise MailError(
                        f"邮件服务器 {where} 要求先加密连接才能登录。",
                        hint=f'请把 wenming.toml [smtp] 中的 tls 改为 "ssl" 或 "starttls"。{tls_hint}',
                    ) from exc
                raise MailError(
                    f"登录邮件服务器失败：用户 {settings.user} 的密码或授权码不正确"
                    f"（服务器回答 {_answer(exc.smtp_code, exc.smtp_error, password)}）。",
                    hint=(
                        "QQ 邮箱、腾讯企业邮箱、163 等需要在网页邮箱“设置”中开启 SMTP 并生成授权码，"
                        f"用授权码代替登录密码；请检查环境变量 {PASSWORD_ENV} 或重新输入，"
                        "并核对 wenming.toml [smtp] 中的 user。"
                    ),
                ) from exc
            except smtplib.SMTPNotSupportedError as exc:
                raise MailError(
                    f"邮件服务器 {where} 不接受登录（不支持 AUTH）。",
                    hint='如果该服务器无需登录，请删除 [smtp] 中的 user；否则请改用 tls = "ssl" 或 "starttls"。',
                ) from exc
    except MailError:
        _close(conn)
        raise
    except (smtplib.SMTPException, OSError) as exc:
        _close(conn)
        raise MailError(
            f"与邮件服务器 {where} 的对话失败（{exc}）。",
            hint=f"请检查 [smtp] 中的 host、port 和 tls。{tls_hint}",
        ) from exc
    return conn


def _close(conn: Optional[smtplib.SMTP]) -> None:
    if conn is None:
        return
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        pass
    finally:
        conn.close()


# --------------------------------------------------------------------------- sending

#: Outcome kinds of one attempt.
_OK, _TRANSIENT, _PERMANENT, _LOST = "ok", "transient", "permanent", "lost"


def _attempt(
    conn: smtplib.SMTP, sender: str, mail: OutgoingMail, data: bytes, password: Optional[str]
) -> tuple[str, str]:
    """Send one message on an open connection: (outcome, answer text)."""
    try:
        refused = conn.sendmail(sender, mail.recipients, data)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        answer = "；".join(
            f"{a}：{_answer(c, t, password)}" for a, (c, t) in exc.recipients.items()
        )
        transient = any(400 <= c < 500 for c in codes)
        return (_TRANSIENT if transient else _PERMANENT), answer
    except smtplib.SMTPSenderRefused as exc:
        if exc.smtp_code == 530:
            raise MailError(
                "邮件服务器要求先登录才能发信。",
                hint=f"请在 wenming.toml [smtp] 中填写 user，并通过环境变量 {PASSWORD_ENV} 或提示提供授权码。",
            ) from exc
        kind = _TRANSIENT if 400 <= exc.smtp_code < 500 else _PERMANENT
        return kind, f"发件人 {exc.sender}：{_answer(exc.smtp_code, exc.smtp_error, password)}"
    except smtplib.SMTPResponseException as exc:
        kind = _TRANSIENT if 400 <= exc.smtp_code < 500 else _PERMANENT
        return kind, _answer(exc.smtp_code, exc.smtp_error, password)
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        return _LOST, str(exc) or exc.__class__.__name__
    if refused:
        notes = "；".join(f"{a}：{_answer(c, t, password)}" for a, (c, t) in refused.items())
        return _OK, f"部分地址被拒收：{notes}"
    return _OK, "250"


def send_plan(
    plan: MailPlan,
    settings: SmtpSettings,
    *,
    password: Optional[str] = None,
    history: Any,
    month: str,
    progress: Optional[Callable[[SendRow], None]] = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    ssl_context: Optional[ssl.SSLContext] = None,
    max_attempts: int = 3,
    retry_wait: float = 30.0,
    max_reconnects: int = 3,
    reconnect_wait: float = 5.0,
) -> SendResult:
    """Send every message of ``plan`` not yet accepted this month; log each in ``history``.

    Throttled to ``settings.rate_per_minute`` (``sleep``/``clock`` are injectable). A 4xx is
    tried ``max_attempts`` times, then left pending; a 5xx fails that department only; a
    lost connection is reopened up to ``max_reconnects`` times in a row (each message the
    server answers resets the count), else the rest stays pending.
    Raises `MailError` when the server cannot be reached or refuses the login.
    """
    month = parse_month(month)
    result = SendResult(month=month)
    accepted = history.mail_accepted(month)
    interval = 60.0 / max(1, settings.rate_per_minute)
    conn: Optional[smtplib.SMTP] = None
    last: Optional[float] = None
    reconnects = 0  # lost connections in a row
    connected = False  # a first connection succeeded

    def report(row: SendRow) -> None:
        result.rows.append(row)
        if progress is not None:
            progress(row)

    def log(mail: OutgoingMail, status: str, answer: str) -> None:
        history.log_mail(
            month,
            mail.department,
            mail.recipients,
            status=status,
            message_id=mail.message_id,
            answer=answer,
        )

    try:
        for mail in plan.messages:
            if mail.department in accepted:
                done = accepted[mail.department]
                when = f"已于 {str(done['time']).replace('T', ' ')[:16]} 发送"
                report(SendRow(mail.department, mail.recipients, SKIPPED, when, done["message_id"]))
                continue
            if result.stopped:
                report(SendRow(mail.department, mail.recipients, PENDING, "未发送：连接已中断"))
                continue
            data = mail.as_bytes()
            attempts = 0
            while True:
                outcome = ""
                if conn is None:
                    try:
                        conn = connect(settings, password, ssl_context=ssl_context)
                        connected = True
                    except MailError as exc:
                        if not connected:  # the first connection: nothing can be sent
                            raise
                        outcome, answer = _LOST, exc.message
                if conn is not None and not outcome:
                    if last is not None and interval - (clock() - last) > 0:
                        sleep(interval - (clock() - last))
                    outcome, answer = _attempt(conn, plan.sender, mail, data, password)
                    last = clock()
                    if conn.sock is None:  # the server hung up (a drop, or 421)
                        conn = None
                        if outcome == _TRANSIENT:
                            outcome = _LOST
                    if outcome != _LOST:
                        reconnects = 0
                if outcome == _OK:
                    log(mail, SENT, answer)
                    detail = "" if answer == "250" else answer
                    report(SendRow(mail.department, mail.recipients, SENT, detail, mail.message_id))
                    break
                if outcome == _PERMANENT:
                    log(mail, FAILED, answer)
                    report(
                        SendRow(mail.department, mail.recipients, FAILED, f"服务器拒收：{answer}")
                    )
                    break
                if outcome == _LOST:
                    _close(conn)
                    conn = None
                    reconnects += 1
                    if reconnects > max_reconnects:
                        result.stopped = (
                            f"与邮件服务器的连接多次中断（{answer}），已停止发送；"
                            "其余邮件下次运行时发送。"
                        )
                        report(
                            SendRow(mail.department, mail.recipients, PENDING, "未发送：连接已中断")
                        )
                        break
                    sleep(reconnect_wait)
                    continue
                attempts += 1  # a temporary refusal (4xx)
                if attempts >= max_attempts:
                    log(mail, PENDING, answer)
                    detail = f"服务器暂时拒收（{answer}），下次运行时重发"
                    report(SendRow(mail.department, mail.recipients, PENDING, detail))
                    break
                sleep(retry_wait)
    finally:
        _close(conn)
    for u in plan.no_address:
        report(SendRow(u.department, [], NO_ADDRESS, f"{u.reason}，有{u.gaps}项待整改"))
    return result
