"""Real SMTP servers for the mail tests: aiosmtpd on 127.0.0.1 and a free port.

Each server runs its own asyncio loop in a thread and stores every accepted message
(envelope sender, recipients, raw bytes). Variants: plain; with AUTH (one user and
password); implicit TLS with a self-signed certificate from trustme; STARTTLS; one that
drops the connection after N accepted messages; one that answers 550 for one address
and 451 for another; one that refuses a message at DATA; one that stops answering once.
"""

from __future__ import annotations

import asyncio
import email
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any, Optional

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def parsed(self) -> EmailMessage:
        """The message parsed with the standard library's modern policy."""
        return email.message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Behaviour:
    """What the server does besides accepting mail."""

    user: Optional[str] = None
    password: Optional[str] = None
    #: Refuse AUTH before STARTTLS (as most real servers do).
    auth_require_tls: bool = False
    #: address -> reply to RCPT TO (e.g. "550 5.1.1 no such user").
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    #: first recipient -> reply to DATA (e.g. "554 5.6.0 message refused").
    data_replies: dict[str, str] = field(default_factory=dict)
    #: Never answer the n-th DATA (1-based): the client times out, the message is not stored.
    stall_data: Optional[int] = None
    #: Drop the connection at MAIL FROM once this many messages were accepted …
    drop_after: Optional[int] = None
    #: … counted per connection (True) or over the server's whole life (False).
    drop_per_connection: bool = False


class _Handler:
    """aiosmtpd handler: applies the behaviour and stores accepted messages."""

    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_MAIL(self, smtp, session, envelope, address, mail_options):  # noqa: N802
        b = self.server.behaviour
        if b.user and not session.authenticated:
            return "530 5.7.0 Authentication required"
        if b.drop_after is not None:
            count = (
                getattr(session, "accepted", 0)
                if b.drop_per_connection
                else len(self.server.messages)
            )
            if count >= b.drop_after:
                self.server.drops += 1
                smtp.transport.abort()
                raise ConnectionResetError("dropped by the test server")
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):  # noqa: N802
        reply = self.server.behaviour.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):  # noqa: N802
        b = self.server.behaviour
        self.server.data_commands += 1
        if b.stall_data == self.server.data_commands:
            await asyncio.sleep(3600)  # cancelled when the server stops
        reply = b.data_replies.get(envelope.rcpt_tos[0].lower()) if envelope.rcpt_tos else None
        if reply:
            return reply
        with self.server.lock:
            self.server.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        session.accepted = getattr(session, "accepted", 0) + 1
        return "250 2.0.0 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 and a free port, run in a thread; use as a context."""

    def __init__(
        self,
        behaviour: Optional[Behaviour] = None,
        *,
        implicit_tls: Optional[ssl.SSLContext] = None,
        starttls: Optional[ssl.SSLContext] = None,
    ):
        self.behaviour = behaviour or Behaviour()
        self.implicit_tls = implicit_tls
        self.starttls = starttls
        self.messages: list[Received] = []
        self.auth_attempts: list[tuple[str, bool]] = []
        self.drops = 0
        self.data_commands = 0
        self.lock = threading.Lock()
        self.host = "127.0.0.1"
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: Any = None
        self._protocols: list[SMTP] = []

    # -- authentication

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        b = self.behaviour
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == b.user
            and auth_data.password.decode() == b.password
        )
        self.auth_attempts.append((mechanism, ok))
        return AuthResult(success=ok, handled=False)

    def _factory(self) -> SMTP:
        session_kwargs: dict[str, Any] = {}
        if self.behaviour.user:
            session_kwargs["authenticator"] = self._authenticate
            session_kwargs["auth_require_tls"] = self.behaviour.auth_require_tls
        if self.starttls is not None:
            session_kwargs["tls_context"] = self.starttls
        proto = SMTP(_Handler(self), hostname="localhost", loop=self._loop, **session_kwargs)
        self._protocols.append(proto)
        return proto

    # -- life cycle

    def start(self) -> SmtpServer:
        """Bind to a free port and serve in a thread."""
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(
            self._loop.create_server(self._factory, self.host, 0, ssl=self.implicit_tls),
            self._loop,
        )
        self._server = fut.result(timeout=30)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _shutdown(self) -> None:
        self._server.close()
        await self._server.wait_closed()
        for proto in self._protocols:
            if proto.transport is not None and not proto.transport.is_closing():
                proto.transport.close()
        await asyncio.sleep(0)
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def stop(self) -> None:
        """Close every connection, stop the loop and the thread."""
        if self._server is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the tests read

    def by_recipient(self) -> dict[str, list[Received]]:
        """Accepted messages keyed by each recipient."""
        out: dict[str, list[Received]] = {}
        for m in self.messages:
            for r in m.rcpt_tos:
                out.setdefault(r, []).append(m)
        return out


def tls_contexts() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a self-signed certificate for 127.0.0.1/localhost, and a client
    context that trusts it (trustme)."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    return server_ctx, client_ctx
