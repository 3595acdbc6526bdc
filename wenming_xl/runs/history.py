"""Month-by-month history of checks and the mail send log, in one SQLite file.

``wenming check … --record`` stores each month's results (item scores, statuses,
findings, totals per department) with :meth:`History.record`; the dashboard's trend
chart and the bulletin's 「较上月」 figures read them back. ``wenming mail`` logs every
message the server accepted in ``mail_log`` so a rerun of the same month never sends
twice. The file's schema and opening are in :mod:`wenming_xl.files.database` (the scan cache
shares the file); a month as plain data is :func:`wenming_xl.judge.trend.report_snapshot`.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional, Union

from wenming_xl.evidence.period import parse_month
from wenming_xl.files.database import SENT, connect, db_error
from wenming_xl.files.database import default_db_path as default_db_path  # its home for callers
from wenming_xl.model import Report, num
from wenming_xl.text import readable


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
        except sqlite3.Error as exc:
            raise db_error(self.path, exc) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise db_error(self.path, exc) from exc
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
                    readable(report.rubric.path),  # a GBK-byte name: SQLite holds UTF-8 only
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
                        readable(f.message),
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

    # -- as pandas tables (pandas is imported here only)

    def snapshots(self) -> list[dict[str, Any]]:
        """Every recorded month (`month`'s shape), oldest first."""
        return [m for m in map(self.month, self.months()) if m is not None]

    def items_frame(self, labels: Any = None) -> Any:
        """Month-by-month score and status per item: a DataFrame, one row per month × item
        (see :func:`wenming_xl.judge.frames.history_items_frame`)."""
        from wenming_xl.judge.frames import history_items_frame

        return history_items_frame(self.snapshots(), labels)

    def departments_frame(self, labels: Any = None) -> Any:
        """Month-by-month score per department: a DataFrame, one row per month × department."""
        from wenming_xl.judge.frames import history_departments_frame

        return history_departments_frame(self.snapshots(), labels)

    def trend_frame(self, labels: Any = None) -> Any:
        """`trend` as a DataFrame: one row per month, total and a column per department."""
        from wenming_xl.judge.frames import trend_frame

        return trend_frame(self.trend(), labels)

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


def open_history(path: Union[str, Path]) -> History:
    """Open (creating if needed) the history file at ``path`` and migrate its schema."""
    return History(connect(path), Path(path))
