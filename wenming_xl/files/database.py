"""The one SQLite file a unit keeps beside its workbook (``wenming.sqlite``): schema and opening.

Three tables families share it: the month-by-month history of checks
(:mod:`wenming_xl.runs.history`), the mail send log (written through the history object
by :mod:`wenming_xl.outputs.mail.sender`) and the evidence scan's per-file cache
(:mod:`wenming_xl.evidence.cache`). The schema is versioned with ``PRAGMA user_version``;
migrations are additive, one step per transaction. :func:`connect` opens (creating if
needed) and migrates the file, and turns SQLite's errors into a Chinese `OutputError`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Union

from wenming_xl.errors import OutputError

DB_NAME = "wenming.sqlite"

#: Schema steps; step ``i`` brings the file from user_version ``i`` to ``i + 1``.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE runs (
        month TEXT PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        total REAL NOT NULL,
        max_total REAL NOT NULL,
        bonus REAL NOT NULL DEFAULT 0,
        deductions REAL NOT NULL DEFAULT 0,
        policy TEXT,
        period TEXT,
        source TEXT
    );
    CREATE TABLE run_items (
        month TEXT NOT NULL REFERENCES runs(month) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        item_no TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        departments TEXT NOT NULL DEFAULT '[]',
        points REAL,
        score REAL,
        status TEXT NOT NULL,
        at_stake REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (month, item_no)
    );
    CREATE TABLE run_findings (
        month TEXT NOT NULL REFERENCES runs(month) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        item_no TEXT,
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        department TEXT,
        message TEXT NOT NULL,
        PRIMARY KEY (month, ordinal)
    );
    CREATE TABLE run_departments (
        month TEXT NOT NULL REFERENCES runs(month) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        name TEXT NOT NULL,
        score REAL NOT NULL,
        max REAL NOT NULL,
        met INTEGER NOT NULL,
        items TEXT NOT NULL DEFAULT '[]',
        at_stake REAL NOT NULL DEFAULT 0,
        findings INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (month, name)
    );
    CREATE TABLE mail_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        month TEXT NOT NULL,
        department TEXT NOT NULL,
        recipients TEXT NOT NULL,
        message_id TEXT,
        status TEXT NOT NULL,
        answer TEXT,
        time TEXT NOT NULL
    );
    CREATE INDEX mail_log_month ON mail_log (month, department, status);
    """,
    # Step 2 (issue 8): the evidence scan's per-file cache, see wenming_xl/cache.py.
    """
    CREATE TABLE file_facts (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        version INTEGER NOT NULL,
        kind TEXT NOT NULL,
        fmt TEXT NOT NULL,
        exif_date TEXT,
        dhash BLOB,
        error TEXT,
        no_decoder INTEGER NOT NULL DEFAULT 0
    );
    """,
    # Step 3 (issue 21): a picture's 64-bit glance hash and the exact-duplicate digests.
    """
    ALTER TABLE file_facts ADD COLUMN glance BLOB;
    ALTER TABLE file_facts ADD COLUMN head_digest TEXT;
    ALTER TABLE file_facts ADD COLUMN digest TEXT;
    """,
]

#: mail_log statuses.
SENT, FAILED, PENDING = "sent", "failed", "pending"


def default_db_path(workbook: Union[str, Path]) -> Path:
    """``wenming.sqlite`` in the workbook's folder."""
    return Path(workbook).resolve().parent / DB_NAME


def db_error(path: Path, exc: Exception) -> OutputError:
    """A Chinese message for a database that cannot be read or written."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return OutputError(
            f"历史记录文件 {path} 正被另一个 wenming 程序使用。",
            path=str(path),
            hint="请等另一个任务结束后再运行。",
        )
    if isinstance(exc, ForeignDatabase):
        return OutputError(
            f"{path} 不是 wenming 的历史文件（其中是别的程序的数据表：{text}），没有读写它。",
            path=str(path),
            hint="请用 --db 指定另一个文件名（如 wenming.sqlite），不要与其他程序共用同一个数据库文件。",
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return OutputError(
            f"历史记录文件 {path} 已损坏或不是 wenming 的历史文件。",
            path=str(path),
            hint="请用 --db 指定另一个文件；原文件请保留，交给技术人员查看。",
        )
    return OutputError(
        f"无法读写历史记录文件 {path}（{text}）。",
        path=str(path),
        hint="请检查磁盘空间和文件夹权限，或用 --db 指定另一个位置。",
    )


class ForeignDatabase(sqlite3.DatabaseError):
    """A SQLite file holding another program's tables (the message lists them)."""


#: Every table the migrations create (SQLite adds sqlite_sequence for AUTOINCREMENT).
OUR_TABLES = {"runs", "run_items", "run_findings", "run_departments", "mail_log", "file_facts"}


def check_sound(conn: sqlite3.Connection) -> None:
    """Raise `sqlite3.DatabaseError` unless the file is a sound SQLite file of ours (or empty).

    ``PRAGMA quick_check`` reads every page, so a damaged page is found here, in one
    place, and not as a traceback in the middle of recording a month. A file whose
    schema version is 0 but which already holds a table by one of our names, or which
    has a schema version but none of our tables, is another program's database (other
    tables beside ours are left alone: the migrations only add).
    """
    rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        raise sqlite3.DatabaseError(
            "database disk image is malformed: " + "; ".join(r[0] for r in rows)
        )
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version:  # a schema version set, by us or by another program using user_version
        foreign = set() if names & OUR_TABLES else names - {"sqlite_sequence"}
    else:
        foreign = names & OUR_TABLES
    if foreign:
        raise ForeignDatabase("、".join(sorted(foreign)[:5]))


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date, one additive step per transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise OutputError(
            f"历史记录文件 {path} 由更新版本的 wenming 创建（结构版本 {version}）。",
            path=str(path),
            hint="请升级 wenming_xl，或用 --db 指定另一个文件。",
        )
    for step in range(version, len(MIGRATIONS)):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def connect(path: Union[str, Path]) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise db_error(path, exc) from exc
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        check_sound(conn)
        migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise db_error(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn
