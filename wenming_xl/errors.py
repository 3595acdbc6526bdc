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


#: errno names → what the system's (English) words mean, for people.
_OS_REASONS = {
    "ENOENT": "找不到该文件或文件夹",
    "EACCES": "没有权限（或文件正被其他程序占用）",
    "EPERM": "没有权限",
    "ENOSPC": "磁盘空间已满",
    "EDQUOT": "磁盘配额已用完",
    "EROFS": "所在磁盘是只读的",
    "EISDIR": "这是一个文件夹，不是文件",
    "ENOTDIR": "路径中有一段不是文件夹",
    "EEXIST": "已经存在",
    "EBUSY": "正被其他程序占用",
    "ETXTBSY": "正被其他程序占用",
    "ENAMETOOLONG": "文件名或路径太长",
    "EMFILE": "同时打开的文件太多",
    "EIO": "读写磁盘出错（磁盘或网络盘可能有故障）",
    "ECONNREFUSED": "对方拒绝连接：该端口没有邮件服务，或被防火墙拦截",
    "ECONNRESET": "连接被对方断开",
    "ECONNABORTED": "连接被中断",
    "ETIMEDOUT": "连接超时",
    "EHOSTUNREACH": "网络不通，到不了该服务器",
    "ENETUNREACH": "网络不通（本机可能没有联网）",
    "EHOSTDOWN": "服务器没有响应",
    "EADDRNOTAVAIL": "地址不可用",
}
#: Windows error numbers with no errno of their own.
_WINERROR_REASONS = {32: "文件正被其他程序（如 Excel/WPS）打开", 33: "文件的一部分被其他程序锁定"}


def os_reason(exc: BaseException) -> str:
    """Why an operating-system call failed, in Chinese (the system's own words are English).

    Covers file errors (not found, no permission, disk full …) and network ones (name not
    resolved, refused, timed out); anything else keeps its number so a technician can look it up.
    """
    import errno
    import socket

    if isinstance(exc, socket.gaierror):
        return "找不到这个服务器地址（域名解析失败）：请核对服务器名称和本机网络"
    if isinstance(exc, (socket.timeout, TimeoutError)) and not getattr(exc, "errno", None):
        return "连接超时"
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINERROR_REASONS:
        return _WINERROR_REASONS[winerror]
    code = getattr(exc, "errno", None)
    name = errno.errorcode.get(code, "") if isinstance(code, int) else ""
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    if isinstance(code, int):
        return f"系统错误，代码 {name or code}"
    return f"系统错误（{type(exc).__name__}）"
