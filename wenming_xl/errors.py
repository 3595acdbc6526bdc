"""Exceptions raised when work cannot go on (DESIGN §3).

Data problems are never raised: they become `Finding`s. Each exception carries a
Chinese message that names the file (and sheet/cell where known) and says what to do.
"""

from __future__ import annotations


class WenmingError(Exception):
    """Base of every error the library raises on purpose; its message is for the user."""

    #: Exit code the CLI uses for this error.
    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text += f"\n处理办法：{self.hint}"
        return text


class WorkbookError(WenmingError, ValueError):
    """A workbook cannot be read: wrong format, corrupt, encrypted, no task table."""


class HeaderNotFoundError(WorkbookError):
    """No sheet holds a recognisable task-table header."""


class EvidenceError(WenmingError, OSError):
    """The evidence folder or a ledger cannot be read at all."""


class OutputError(WenmingError, OSError):
    """An output cannot be written (read-only folder, disk full, would overwrite the source)."""


class ConfigError(WenmingError, ValueError):
    """The unit profile (wenming.toml) or an option is wrong."""


class MailError(WenmingError, RuntimeError):
    """Mail cannot be sent at all (server unreachable, login refused)."""
