"""Sending against real SMTP servers (aiosmtpd on 127.0.0.1): resumable, throttled, never twice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
from mailhelp import MET, MISSING, PARTIAL, html_table, make_report, parsed
from mailservers import Behaviour, SmtpServer, tls_contexts
from where import TESTS

from wenming_xl.config import Contact, Profile, SmtpSettings
from wenming_xl.errors import ConfigError, MailError
from wenming_xl.files.database import FAILED, PENDING, SENT
from wenming_xl.outputs.mail.extract import department_gaps
from wenming_xl.outputs.mail.messages import build_messages
from wenming_xl.outputs.mail.sender import send_plan
from wenming_xl.runs.history import open_history

MONTH = "2022-06"
DEPS = ["党建办", "工会", "团委", "宣传科", "纪检监察室"]
ADDR = {d: f"d{i}@example.org" for i, d in enumerate(DEPS)}
PASSWORD = "s3cret-Auth-xyz"
HERE = Path(__file__).resolve().parent


def five_report():
    """One unmet item per department, plus one met item."""
    rows = [
        (i + 1, f"工作{i + 1}", 4, [d], PARTIAL if i % 2 else MISSING, 2 if i % 2 else 0,
         [("too-few-images", f"第{i + 1}项：图片只有{i}张，要求至少4张。", None),
          ("missing-annotation", f"第{i + 1}项：未注明时间。", None)])
        for i, d in enumerate(DEPS)
    ] + [(9, "已完成的工作", 2, ["党建办"], MET, 2, [])]  # fmt: skip
    return make_report(rows)


def five_plan(**contacts_override):
    contacts = {d: Contact(d, head=f"负责人{i}", email=ADDR[d]) for i, d in enumerate(DEPS)}
    contacts.update(contacts_override)
    return build_messages(
        five_report(), contacts, Profile(), month=MONTH, sender="文明办 <wmb@example.org>"
    )


def smtp_settings(port: int, **kw) -> SmtpSettings:
    kw.setdefault("tls", "none")
    kw.setdefault("rate_per_minute", 600)
    return SmtpSettings(host="127.0.0.1", port=port, sender="wmb@example.org", timeout=10, **kw)


class Sleeper:
    """An injected sleep that only records, and a clock that never moves."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    @staticmethod
    def clock() -> float:
        return 100.0


@pytest.fixture
def hist(tmp_path):
    with open_history(tmp_path / "wenming.sqlite") as h:
        yield h


@pytest.fixture(scope="module")
def tls():
    return tls_contexts()


def send(plan, settings, hist, **kw):
    sleeper = kw.pop("sleeper", None) or Sleeper()
    return send_plan(
        plan, settings, history=hist, month=MONTH, sleep=sleeper, clock=sleeper.clock, **kw
    )


def test_send_to_a_plain_server(hist):
    plan = five_plan()
    with SmtpServer() as server:
        result = send(plan, smtp_settings(server.port), hist)
    assert [r.department for r in result.sent] == DEPS
    assert result.complete and not result.stopped
    got = server.by_recipient()
    assert sorted(got) == sorted(ADDR.values())
    for dep in DEPS:
        (received,) = got[ADDR[dep]]
        assert received.mail_from == "wmb@example.org"
        msg = parsed(received.data)
        assert msg["Subject"] == f"【文明创建】{dep} 2022年6月 佐证材料督查提醒"
        assert msg["From"].addresses[0].display_name == "文明办"
        name = f"{dep}-2022年6月-督查清单.xlsx"
        assert b"filename*=utf-8''" + quote(name, safe="").encode() in received.data
        name_param = received.data.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        assert name_param.startswith("=?utf-8?b?")
        assert str(make_header(decode_header(name_param))) == name
        assert list(msg.iter_attachments())[0].get_filename() == name
        rows = html_table(msg).rows
        (gap,) = department_gaps(five_report(), dep)
        assert [no for no, _ in rows] == [str(gap.no)]
        said = [f.message.split("：", 1)[1] for f in gap.findings]  # under 「第N项 …」
        assert rows[0][1][2].split("\n") == said
    log = hist.mail_log(MONTH)
    assert [(r["department"], r["status"]) for r in log] == [(d, SENT) for d in DEPS]
    assert log[0]["message_id"] == plan.messages[0].message_id
    assert log[0]["recipients"] == ADDR[DEPS[0]]


def test_rerun_of_the_same_month_sends_nothing(hist):
    with SmtpServer() as server:
        send(five_plan(), smtp_settings(server.port), hist)
        again = send(five_plan(), smtp_settings(server.port), hist)
    assert len(server.messages) == len(DEPS)
    assert [r.department for r in again.skipped] == DEPS and not again.sent
    assert "已跳过" in again.render()


def test_throttled_to_the_rate(hist):
    sleeper = Sleeper()
    with SmtpServer() as server:
        send(five_plan(), smtp_settings(server.port, rate_per_minute=20), hist, sleeper=sleeper)
    assert sleeper.waits == [3.0] * (len(DEPS) - 1)


def test_dropped_connection_then_rerun_sends_exactly_the_rest(hist):
    with SmtpServer(Behaviour(drop_after=2)) as broken:
        first = send(five_plan(), smtp_settings(broken.port), hist, max_reconnects=2)
    assert [r.department for r in first.sent] == DEPS[:2]
    assert [r.department for r in first.pending] == DEPS[2:]
    assert first.stopped and "下次运行" in first.stopped
    assert not first.complete
    assert len(broken.messages) == 2 and broken.drops == 3
    with SmtpServer() as healthy:
        second = send(five_plan(), smtp_settings(healthy.port), hist)
    assert [r.department for r in second.skipped] == DEPS[:2]
    assert [r.department for r in second.sent] == DEPS[2:]
    received = [r for m in broken.messages + healthy.messages for r in m.rcpt_tos]
    assert sorted(received) == sorted(ADDR.values())  # every department once, none twice


def test_reconnects_and_continues_when_each_connection_drops(hist):
    sleeper = Sleeper()
    with SmtpServer(Behaviour(drop_after=1, drop_per_connection=True)) as server:
        settings = smtp_settings(server.port)
        result = send(five_plan(), settings, hist, sleeper=sleeper, max_reconnects=1)
    assert [r.department for r in result.sent] == DEPS  # never two drops in a row
    assert server.drops == 4
    assert sorted(r for m in server.messages for r in m.rcpt_tos) == sorted(ADDR.values())
    assert sleeper.waits.count(5.0) == 4  # one reconnect pause per drop


def test_550_fails_one_department_451_is_retried_then_pending(hist):
    behaviour = Behaviour(
        rcpt_replies={
            ADDR["工会"]: "550 5.1.1 mailbox unavailable",
            ADDR["宣传科"]: "451 4.3.0 try again later",
        }
    )
    sleeper = Sleeper()
    with SmtpServer(behaviour) as server:
        result = send(five_plan(), smtp_settings(server.port), hist, sleeper=sleeper, retry_wait=60)
    assert [r.department for r in result.sent] == ["党建办", "团委", "纪检监察室"]
    (failed,) = result.failed
    assert failed.department == "工会" and "550" in failed.detail
    (pending,) = result.pending
    assert pending.department == "宣传科" and "451" in pending.detail
    assert sleeper.waits.count(60) == 2  # three attempts in all
    table = result.render()
    assert "工会" in table and "失败" in table and "待重发" in table
    assert "已发送 3 封" in table
    statuses = {(r["department"], r["status"]) for r in hist.mail_log(MONTH)}
    assert ("工会", FAILED) in statuses and ("宣传科", PENDING) in statuses
    # the rerun (address fixed, server well again) sends only those two
    with SmtpServer() as server2:
        again = send(five_plan(), smtp_settings(server2.port), hist)
    assert sorted(r.department for r in again.sent) == ["宣传科", "工会"]
    assert len(server2.messages) == 2


def test_partial_refusal_of_a_cc_still_counts_as_sent(hist):
    plan = five_plan(党建办=Contact("党建办", email=ADDR["党建办"], cc=["gone@example.org"]))
    behaviour = Behaviour(rcpt_replies={"gone@example.org": "550 5.1.1 no such user"})
    with SmtpServer(behaviour) as server:
        result = send(plan, smtp_settings(server.port), hist)
    row = result.sent[0]
    assert row.department == "党建办" and "gone@example.org" in row.detail
    assert server.messages[0].rcpt_tos == [ADDR["党建办"]]


def test_auth_with_the_right_and_the_wrong_password(hist):
    behaviour = Behaviour(user="wmb@example.org", password=PASSWORD)
    with SmtpServer(behaviour) as server:
        settings = smtp_settings(server.port, user="wmb@example.org")
        with pytest.raises(MailError) as err:
            send(five_plan(), settings, hist, password="wrong-" + PASSWORD)
        assert server.messages == []
        text = str(err.value)
        assert "授权码" in text and "wmb@example.org" in text
        assert PASSWORD not in text and "wrong-" not in text
        with pytest.raises(MailError) as err:
            send(five_plan(), settings, hist, password=None)
        assert "WENMING_SMTP_PASSWORD" in str(err.value)
        with pytest.raises(MailError) as err:
            send(five_plan(), settings, hist, password=PASSWORD + "授权")
        assert "全角" in str(err.value) and PASSWORD not in str(err.value)
        result = send(five_plan(), settings, hist, password=PASSWORD)
        # no user configured: no login, and the server's refusal names the setting
        with pytest.raises(MailError) as err:
            send_plan(five_plan(), smtp_settings(server.port), history=hist, month="2022-07")
    assert len(result.sent) == len(DEPS) and len(server.messages) == len(DEPS)
    assert "user" in str(err.value)
    assert any(ok for _, ok in server.auth_attempts)
    assert [r["status"] for r in hist.mail_log()] == [SENT] * len(DEPS)


def test_implicit_tls(hist, tls):
    server_ctx, client_ctx = tls
    behaviour = Behaviour(user="wmb@example.org", password=PASSWORD)
    with SmtpServer(behaviour, implicit_tls=server_ctx) as server:
        settings = smtp_settings(server.port, tls="ssl", user="wmb@example.org")
        result = send(five_plan(), settings, hist, password=PASSWORD, ssl_context=client_ctx)
        assert len(result.sent) == len(DEPS)
        # a certificate nobody vouches for is refused by default
        with pytest.raises(MailError) as err:
            send_plan(five_plan(), settings, password=PASSWORD, history=hist, month="2022-07")
    assert "证书" in str(err.value)
    assert len(server.messages) == len(DEPS)


def test_starttls(hist, tls):
    server_ctx, client_ctx = tls
    with SmtpServer(starttls=server_ctx) as server:
        settings = smtp_settings(server.port, tls="starttls")
        result = send(five_plan(), settings, hist, ssl_context=client_ctx)
    assert len(result.sent) == len(DEPS)


def test_tls_mismatch_names_the_setting(hist, tls):
    _, client_ctx = tls
    with SmtpServer() as plain:
        with pytest.raises(MailError) as err:
            send(five_plan(), smtp_settings(plain.port, tls="ssl"), hist, ssl_context=client_ctx)
        assert "tls" in str(err.value) and "port" in str(err.value)
        with pytest.raises(MailError) as err:
            send(
                five_plan(), smtp_settings(plain.port, tls="starttls"), hist, ssl_context=client_ctx
            )
        assert "STARTTLS" in str(err.value) and "tls" in str(err.value)
    assert plain.messages == []
    assert hist.mail_log(MONTH) == []


def test_server_down(hist):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(MailError) as err:
        send(five_plan(), smtp_settings(port), hist)
    assert "无法连接" in str(err.value) and "host" in str(err.value)
    with pytest.raises(ConfigError):
        send(five_plan(), SmtpSettings(), hist)


def test_header_injection_reaches_no_one_else(hist):
    evil = "党建办\r\nBcc: evil@example.org"
    report = make_report(
        [(1, "学习", 4, [evil], MISSING, 0, [("missing-evidence", "第1项：缺。", None)])]
    )
    plan = build_messages(
        report,
        {evil: Contact(evil, email="djb@example.org")},
        Profile(),
        month=MONTH,
        sender="wmb@example.org",
    )
    with SmtpServer() as server:
        send(plan, smtp_settings(server.port), hist)
    (received,) = server.messages
    assert received.rcpt_tos == ["djb@example.org"]
    assert parsed(received.data)["Bcc"] is None
    assert b"\r\nBcc:" not in received.data


def test_no_address_rows_in_the_table(hist):
    plan = five_plan(宣传科=Contact("宣传科", email=""))
    with SmtpServer() as server:
        result = send(plan, smtp_settings(server.port), hist)
    assert [r.department for r in result.no_address] == ["宣传科"]
    assert "无邮箱" in result.render() and "宣传科" in result.render()
    assert len(server.messages) == len(DEPS) - 1


KILL_SCRIPT = """
import os, signal, sys
sys.path[:0] = [{here!r}, {tests!r}]
from test_sender import five_plan, smtp_settings, MONTH
from wenming_xl.runs.history import open_history
from wenming_xl.outputs.mail.sender import send_plan

def die(seconds):
    os.kill(os.getpid(), signal.SIGKILL)

with open_history({db!r}) as h:
    send_plan(five_plan(), smtp_settings({port}), history=h, month=MONTH, sleep=die)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_send_log_survives_kill_9_between_messages(tmp_path):
    db = tmp_path / "wenming.sqlite"
    with SmtpServer() as server:
        script = KILL_SCRIPT.format(here=str(HERE), tests=str(TESTS), db=str(db), port=server.port)
        proc = subprocess.run(
            [sys.executable, "-c", script],
            cwd=str(tmp_path),
            capture_output=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        assert proc.returncode == -signal.SIGKILL, proc.stderr.decode(errors="replace")
        assert len(server.messages) == 1
        with open_history(db) as h:
            assert list(h.mail_accepted(MONTH)) == [DEPS[0]]
            result = send(five_plan(), smtp_settings(server.port), h)
    assert [r.department for r in result.skipped] == [DEPS[0]]
    assert [r.department for r in result.sent] == DEPS[1:]
    assert sorted(r for m in server.messages for r in m.rcpt_tos) == sorted(ADDR.values())


def test_refused_at_data_and_a_timeout_mid_batch(hist):
    behaviour = Behaviour(data_replies={ADDR["团委"]: "554 5.6.0 message content refused"})
    behaviour.stall_data = 2  # the server never answers the second message's DATA
    sleeper = Sleeper()
    with SmtpServer(behaviour) as server:
        settings = smtp_settings(server.port)
        settings.timeout = 0.5
        result = send(five_plan(), settings, hist, sleeper=sleeper)
    assert [r.department for r in result.sent] == ["党建办", "工会", "宣传科", "纪检监察室"]
    (failed,) = result.failed
    assert failed.department == "团委" and "554" in failed.detail
    assert sleeper.waits.count(5.0) == 1  # one reconnect after the timeout
    received = sorted(r for m in server.messages for r in m.rcpt_tos)
    assert received == sorted(a for d, a in ADDR.items() if d != "团委")


def test_plain_client_against_a_tls_port_times_out_with_a_hint(hist, tls):
    server_ctx, _ = tls
    with SmtpServer(implicit_tls=server_ctx) as server:
        settings = smtp_settings(server.port, tls="none")
        settings.timeout = 0.5
        with pytest.raises(MailError) as err:
            send(five_plan(), settings, hist)
    assert "超时" in str(err.value) and "tls" in str(err.value)
    assert server.messages == []


def _demo_with_smtp(folder: Path, port: int) -> tuple[Path, Path]:
    from wenming_xl.runs.sample import prepare_demo

    table, evidence = prepare_demo(folder)
    with open(folder / "wenming.toml", "a", encoding="utf-8") as fh:
        fh.write(
            f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = "none"\n'
            'from = "wmb@example.org"\nrate_per_minute = 60000\n'
        )
    return table, evidence


def test_cli_sends_once_and_dry_run_writes_the_outbox(tmp_path):
    from click.testing import CliRunner

    from wenming_xl.cli import cli

    runner = CliRunner()
    with SmtpServer() as server:
        table, evidence = _demo_with_smtp(tmp_path, server.port)
        args = ["mail", str(table), "--evidence", str(evidence), "--month", "2022-06"]
        dry = runner.invoke(cli, args + ["--dry-run", "--outbox", str(tmp_path / "草稿")])
        assert dry.exit_code == 0, dry.output
        drafts = sorted((tmp_path / "草稿").glob("*.eml"))
        assert drafts and server.messages == []
        first = runner.invoke(cli, args + ["--deadline", "2022-06-25"])
        assert first.exit_code == 0, first.output
        assert "已发送" in first.output
        assert len(server.messages) == len(drafts)
        second = runner.invoke(cli, args)
        assert second.exit_code == 0, second.output
        assert "已跳过" in second.output
        assert len(server.messages) == len(drafts)
    with open_history(tmp_path / "wenming.sqlite") as h:
        assert len(h.mail_accepted(MONTH)) == len(drafts)


def test_421_closes_the_channel_and_is_bounded(hist):
    behaviour = Behaviour(rcpt_replies={ADDR["团委"]: "421 4.3.2 service shutting down"})
    sleeper = Sleeper()
    with SmtpServer(behaviour) as server:
        result = send(five_plan(), smtp_settings(server.port), hist, sleeper=sleeper)
    assert [r.department for r in result.sent] == ["党建办", "工会"]
    assert [r.department for r in result.pending] == ["团委", "宣传科", "纪检监察室"]
    assert result.stopped and "421" in result.stopped
    assert sleeper.waits.count(5.0) == 3  # three reconnects, then it stops


def test_login_without_tls_where_the_server_wants_it(hist, tls):
    server_ctx, client_ctx = tls
    behaviour = Behaviour(user="wmb@example.org", password=PASSWORD, auth_require_tls=True)
    with SmtpServer(behaviour, starttls=server_ctx) as server:
        plain = smtp_settings(server.port, user="wmb@example.org")
        with pytest.raises(MailError) as err:
            send(five_plan(), plain, hist, password=PASSWORD)
        assert "tls" in str(err.value) and "starttls" in str(err.value)
        assert PASSWORD not in str(err.value)
        secured = smtp_settings(server.port, user="wmb@example.org", tls="starttls")
        result = send(five_plan(), secured, hist, password=PASSWORD, ssl_context=client_ctx)
    assert len(result.sent) == len(DEPS) == len(server.messages)


def test_a_closed_port_is_told_in_chinese():
    """Nothing listens on the port: the system's reason in Chinese, not 「Connection refused」."""
    import socket

    from wenming_xl.outputs.mail.sender import connect

    with socket.socket() as s:  # a free port, closed again at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(MailError) as caught:
        connect(smtp_settings(port))
    assert "拒绝连接" in caught.value.message
    assert "refused" not in str(caught.value).lower()
