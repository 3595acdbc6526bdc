"""Month-by-month history of checks and the mail send log, in one SQLite file.

``wenming check … --record`` stores each month's results (item scores, statuses,
findings, totals per department) with :meth:`History.record`; the dashboard's trend
chart and the bulletin's 「较上月」 figures read them back. ``wenming mail`` logs every
message the server accepted in ``mail_log`` so a rerun of the same month never sends
twice. The schema is versioned with ``PRAGMA user_version``; migrations are additive
(other modules may add their own tables with a further step in :data:`MIGRATIONS`).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional, Union

from .errors import ConfigError, OutputError
from .model import Report, num

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
]

#: mail_log statuses.
SENT, FAILED, PENDING = "sent", "failed", "pending"

_MONTH = re.compile(r"^\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_month(text: str) -> str:
    """Normalise a month written 2022-06, 2022-6, 2022/06 or 2022年6月 to ``YYYY-MM``."""
    m = _MONTH.match(str(text or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ConfigError(
            f"月份「{text}」的格式不对。",
            hint="请写成 年-月，例如 2022-06。",
        )
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def month_label(month: str) -> str:
    """``2022-06`` → 「2022年6月」."""
    year, mon = parse_month(month).split("-")
    return f"{year}年{int(mon)}月"


def default_db_path(workbook: Union[str, Path]) -> Path:
    """``wenming.sqlite`` in the workbook's folder."""
    return Path(workbook).resolve().parent / DB_NAME


def _real(value: Any) -> Optional[float]:
    """A score for the database: Fractions and numbers become floats, None stays None."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"not a number: {value!r}")


def _out(value: Optional[float]) -> Any:
    """A score read back: whole floats as ints (the JSON shape of the report)."""
    return num(value)


def report_snapshot(report: Report, month: str) -> dict[str, Any]:
    """The report in the shape :meth:`History.month` returns, without storing it."""
    items: dict[str, dict[str, Any]] = {}
    for r in report.items:
        items[str(r.item.no)] = {
            "score": num(r.score) if r.score is not None else None,
            "status": r.status,
            "max": num(r.item.points),
            "at_stake": num(r.points_at_stake),
            "text": r.item.text,
            "departments": list(r.item.departments),
        }
    departments = {
        d.name: {
            "score": num(d.score),
            "max": num(d.max),
            "met": d.met,
            "items": list(d.items),
            "at_stake": num(d.at_stake),
            "findings": d.findings,
        }
        for d in report.departments
    }
    return {
        "month": parse_month(month),
        "total": num(report.total),
        "max_total": num(report.max_total),
        "departments": departments,
        "items": items,
    }


def compare(current: dict[str, Any], previous: Optional[dict[str, Any]]) -> dict[str, Any]:
    """What changed between two month dicts (较上月): total and per-department score deltas,
    and the items whose status changed. Empty deltas when there is no previous month."""
    out: dict[str, Any] = {
        "month": current.get("month"),
        "previous_month": previous.get("month") if previous else None,
        "total_delta": None,
        "departments": {},
        "items": {},
    }
    if not previous:
        return out
    out["total_delta"] = num((current.get("total") or 0) - (previous.get("total") or 0))
    prev_deps = previous.get("departments", {})
    for name, dep in current.get("departments", {}).items():
        before = prev_deps.get(name)
        out["departments"][name] = {
            "score": dep.get("score"),
            "previous": before.get("score") if before else None,
            "delta": num(dep.get("score", 0) - before.get("score", 0)) if before else None,
        }
    prev_items = previous.get("items", {})
    for no, item in current.get("items", {}).items():
        before = prev_items.get(no)
        if before and before.get("status") != item.get("status"):
            out["items"][no] = {"from": before.get("status"), "to": item.get("status")}
    return out


class History:
    """An open history file; use :func:`open_history`. Usable as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    # -- life cycle

    def close(self) -> None:
        """Close the database file."""
        self.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside is committed together or not at all."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _db_error(self.path, exc) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise _db_error(self.path, exc) from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # -- monthly results

    def record(self, report: Report, month: str, *, now: Optional[_dt.datetime] = None) -> None:
        """Store the month's results in one transaction, replacing that month if present."""
        month = parse_month(month)
        stamp = (now or _dt.datetime.now()).isoformat(timespec="seconds")
        with self.transaction() as c:
            c.execute("DELETE FROM run_findings WHERE month = ?", (month,))
            c.execute("DELETE FROM run_items WHERE month = ?", (month,))
            c.execute("DELETE FROM run_departments WHERE month = ?", (month,))
            c.execute("DELETE FROM runs WHERE month = ?", (month,))
            c.execute(
                "INSERT INTO runs (month, recorded_at, total, max_total, bonus, deductions,"
                " policy, period, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    month,
                    stamp,
                    _real(report.total),
                    _real(report.max_total),
                    _real(report.bonus),
                    _real(report.deductions),
                    report.policy,
                    report.period,
                    report.rubric.path,
                ),
            )
            for i, r in enumerate(report.items):
                c.execute(
                    "INSERT INTO run_items (month, ordinal, item_no, text, departments, points,"
                    " score, status, at_stake) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        month,
                        i,
                        str(r.item.no),
                        str(r.item.text),
                        json.dumps(list(r.item.departments), ensure_ascii=False),
                        _real(r.item.points),
                        _real(r.score),
                        str(r.status),
                        _real(r.points_at_stake),
                    ),
                )
            for i, f in enumerate(report.all_findings()):
                c.execute(
                    "INSERT INTO run_findings (month, ordinal, item_no, code, severity,"
                    " department, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        month,
                        i,
                        None if f.item_no is None else str(f.item_no),
                        f.code,
                        f.severity,
                        f.department,
                        f.message,
                    ),
                )
            for i, d in enumerate(report.departments):
                c.execute(
                    "INSERT INTO run_departments (month, ordinal, name, score, max, met, items,"
                    " at_stake, findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        month,
                        i,
                        d.name,
                        _real(d.score),
                        _real(d.max),
                        int(d.met),
                        json.dumps(list(d.items), ensure_ascii=False),
                        _real(d.at_stake),
                        int(d.findings),
                    ),
                )

    def months(self) -> list[str]:
        """Recorded months, oldest first (``YYYY-MM``)."""
        rows = self.conn.execute("SELECT month FROM runs ORDER BY month").fetchall()
        return [r[0] for r in rows]

    def month(self, month: str) -> Optional[dict[str, Any]]:
        """One recorded month (same shape as :func:`report_snapshot`), None if not recorded."""
        month = parse_month(month)
        run = self.conn.execute(
            "SELECT total, max_total, recorded_at FROM runs WHERE month = ?", (month,)
        ).fetchone()
        if run is None:
            return None
        departments: dict[str, dict[str, Any]] = {}
        for name, score, mx, met, items, at_stake, findings in self.conn.execute(
            "SELECT name, score, max, met, items, at_stake, findings FROM run_departments"
            " WHERE month = ? ORDER BY ordinal",
            (month,),
        ):
            departments[name] = {
                "score": _out(score),
                "max": _out(mx),
                "met": met,
                "items": json.loads(items),
                "at_stake": _out(at_stake),
                "findings": findings,
            }
        items_out: dict[str, dict[str, Any]] = {}
        for no, text, deps, points, score, status, at_stake in self.conn.execute(
            "SELECT item_no, text, departments, points, score, status, at_stake FROM run_items"
            " WHERE month = ? ORDER BY ordinal",
            (month,),
        ):
            items_out[no] = {
                "score": _out(score),
                "status": status,
                "max": _out(points),
                "at_stake": _out(at_stake),
                "text": text,
                "departments": json.loads(deps),
            }
        return {
            "month": month,
            "total": _out(run[0]),
            "max_total": _out(run[1]),
            "recorded_at": run[2],
            "departments": departments,
            "items": items_out,
        }

    def findings(self, month: str) -> list[dict[str, Any]]:
        """The findings recorded for a month, in report order."""
        rows = self.conn.execute(
            "SELECT item_no, code, severity, department, message FROM run_findings"
            " WHERE month = ? ORDER BY ordinal",
            (parse_month(month),),
        ).fetchall()
        keys = ("item_no", "code", "severity", "department", "message")
        return [dict(zip(keys, r)) for r in rows]

    def previous(self, month: str) -> Optional[dict[str, Any]]:
        """The latest recorded month before ``month``, or None."""
        row = self.conn.execute(
            "SELECT month FROM runs WHERE month < ? ORDER BY month DESC LIMIT 1",
            (parse_month(month),),
        ).fetchone()
        return self.month(row[0]) if row else None

    def trend(self) -> list[dict[str, Any]]:
        """Totals and department scores per month, oldest first (the dashboard's trend)."""
        out: list[dict[str, Any]] = []
        index: dict[str, dict[str, Any]] = {}
        for month, total, mx in self.conn.execute(
            "SELECT month, total, max_total FROM runs ORDER BY month"
        ):
            entry = {"month": month, "total": _out(total), "max_total": _out(mx), "departments": {}}
            index[month] = entry
            out.append(entry)
        for month, name, score in self.conn.execute(
            "SELECT month, name, score FROM run_departments ORDER BY month, ordinal"
        ):
            if month in index:
                index[month]["departments"][name] = _out(score)
        return out

    # -- mail log

    def log_mail(
        self,
        month: str,
        department: str,
        recipients: list[str],
        *,
        status: str,
        message_id: Optional[str] = None,
        answer: Optional[str] = None,
        now: Optional[_dt.datetime] = None,
    ) -> None:
        """Append one send attempt to ``mail_log`` and commit it at once."""
        stamp = (now or _dt.datetime.now()).isoformat(timespec="seconds")
        with self.transaction() as c:
            c.execute(
                "INSERT INTO mail_log (month, department, recipients, message_id, status,"
                " answer, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    parse_month(month),
                    department,
                    ", ".join(recipients),
                    message_id,
                    status,
                    answer,
                    stamp,
                ),
            )

    def mail_accepted(self, month: str) -> dict[str, dict[str, Any]]:
        """Departments whose mail for ``month`` a server accepted: name → first log row."""
        out: dict[str, dict[str, Any]] = {}
        for dep, rcpts, mid, answer, time in self.conn.execute(
            "SELECT department, recipients, message_id, answer, time FROM mail_log"
            " WHERE month = ? AND status = ? ORDER BY id",
            (parse_month(month), SENT),
        ):
            out.setdefault(
                dep, {"recipients": rcpts, "message_id": mid, "answer": answer, "time": time}
            )
        return out

    def mail_log(self, month: Optional[str] = None) -> list[dict[str, Any]]:
        """Every logged send attempt (of one month, or all), oldest first."""
        sql = "SELECT month, department, recipients, message_id, status, answer, time FROM mail_log"
        args: tuple[Any, ...] = ()
        if month is not None:
            sql += " WHERE month = ?"
            args = (parse_month(month),)
        keys = ("month", "department", "recipients", "message_id", "status", "answer", "time")
        return [dict(zip(keys, r)) for r in self.conn.execute(sql + " ORDER BY id", args)]


def _db_error(path: Path, exc: Exception) -> OutputError:
    """A Chinese message for a database that cannot be read or written."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return OutputError(
            f"历史记录文件 {path} 正被另一个 wenming 程序使用。",
            path=str(path),
            hint="请等另一个任务结束后再运行。",
        )
    if "not a database" in text or "malformed" in text:
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


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
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


def open_history(path: Union[str, Path]) -> History:
    """Open (creating if needed) the history file at ``path`` and migrate its schema."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise _db_error(path, exc) from exc
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise _db_error(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    return History(conn, path)
