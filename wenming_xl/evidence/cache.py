"""The evidence scan's per-file cache: `FileFacts` kept in the history SQLite file.

A file whose path, size and mtime are unchanged since an earlier run is not opened
again: `ScanCache` implements `filekinds.FactsCache` over the ``file_facts`` table
(added by a step of `wenming_xl.files.database.MIGRATIONS`). Reads load the table once, in one query;
writes are buffered and stored in one transaction per batch. The cache is only an
optimisation: a file that cannot be opened or written (read-only share, locked,
corrupt) turns it off for the run, and the scan goes on without it.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from pathlib import Path
from typing import Optional, Union

from wenming_xl.errors import WenmingError
from wenming_xl.evidence.kinds import HASH_BITS, FileFacts
from wenming_xl.model import OTHER

#: Bump when `filekinds.probe` learns something new: older rows are then probed again.
#: 2 (issue 21): the ``glance`` hash hash (of a JPEG's thumbnail), digests kept.
#: 3 (issue 18): documents count only if they open (zip bombs, XML entities, PDFs without pages).
PROBE_VERSION = 3

#: Buffered results are written in one transaction once this many are waiting.
FLUSH_EVERY = 1000

_HASH_BYTES = HASH_BITS // 8
_COLUMNS = (
    "path, size, mtime_ns, version, kind, fmt, exif_date, dhash, error, no_decoder,"
    " glance, head_digest, digest"
)

_INSERT = f"INSERT OR REPLACE INTO file_facts ({_COLUMNS}) VALUES ({', '.join('?' * 13)})"


def cacheable(facts: FileFacts) -> bool:
    """Whether ``facts`` are a property of the file's bytes (and so safe to reuse).

    Not kept: files that could not be stat'ed or opened (permissions and links change
    without touching the file) and HEIC photos undecodable here (a decoder may be
    installed later).
    """
    if facts.no_decoder or facts.mtime_ns == 0:
        return False
    return facts.error is None or facts.kind != OTHER


def _blob(value: Optional[int], size: int = _HASH_BYTES) -> Optional[bytes]:
    return value.to_bytes(size, "big") if value is not None else None


def _int(blob: Optional[bytes]) -> Optional[int]:
    return int.from_bytes(blob, "big") if blob is not None else None


def _key(path: str) -> Union[str, bytes]:
    """The stored key of ``path``: the text, or its OS bytes for a name SQLite cannot hold.

    A file whose name is GBK bytes (a Windows zip unpacked on Linux) arrives as a str with
    surrogate escapes, which is not valid UTF-8; it is stored as its exact bytes (a BLOB)
    and read back with `os.fsdecode`, so the key stays the real path.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def _path_of(key: Union[str, bytes]) -> str:
    return os.fsdecode(key) if isinstance(key, bytes) else key


def _to_row(f: FileFacts) -> tuple:
    day = f.exif_date.isoformat() if f.exif_date else None
    return (
        *(_key(f.path), f.size, f.mtime_ns, PROBE_VERSION, f.kind, f.fmt, day, _blob(f.dhash)),
        *(f.error, 0, _blob(f.glance), f.head_digest, f.digest),
    )


def _from_row(row: tuple) -> FileFacts:
    path, size, mtime, _version, kind, fmt, day, blob, error, no_decoder = row[:10]
    glance, head_digest, digest = row[10:]
    return FileFacts(
        path=_path_of(path),
        size=size,
        mtime_ns=mtime,
        kind=kind,
        fmt=fmt,
        exif_date=_dt.date.fromisoformat(day) if day else None,
        dhash=_int(blob),
        error=error,
        no_decoder=bool(no_decoder),
        glance=_int(glance),
        head_digest=head_digest,
        digest=digest,
    )


class ScanCache:
    """A `FactsCache` over the ``file_facts`` table of a history file (opened lazily).

    ``hits``, ``misses`` and ``stored`` count what happened in this run. Use as a
    context manager, or call :meth:`close` (which writes what is still buffered).
    """

    def __init__(self, path: Union[str, Path]):
        self.path = Path(path)
        self.hits = 0
        self.misses = 0
        self.stored = 0
        #: Chinese reason when the cache had to be turned off, else None.
        self.error: Optional[str] = None
        self._conn: Optional[sqlite3.Connection] = None
        self._rows: Optional[dict[str, tuple]] = None
        self._pending: list[tuple] = []

    # -- life cycle

    def _connect(self) -> Optional[sqlite3.Connection]:
        if self._conn is None and self.error is None:
            from wenming_xl.files.database import connect

            try:
                self._conn = connect(self.path)
            except WenmingError as exc:
                self.error = str(exc)
        return self._conn

    def _load(self) -> dict[str, tuple]:
        if self._rows is None:
            self._rows = {}
            conn = self._connect()
            if conn is not None:
                try:
                    sql = f"SELECT {_COLUMNS} FROM file_facts WHERE version = ?"
                    for row in conn.execute(sql, (PROBE_VERSION,)):
                        self._rows[_path_of(row[0])] = row
                except sqlite3.Error as exc:
                    self._off(exc)
        return self._rows

    def _off(self, exc: Exception) -> None:
        self.error = f"扫描缓存 {self.path} 无法使用（{exc}），本次不使用缓存。"
        self._pending.clear()

    def flush(self) -> None:
        """Write the buffered results in one transaction."""
        if not self._pending:
            return
        conn = self._connect()
        if conn is None:
            self._pending.clear()
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    _INSERT,
                    self._pending,
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._off(exc)
            return
        self.stored += len(self._pending)
        self._pending.clear()

    def close(self) -> None:
        """Write what is buffered and close the file."""
        try:
            self.flush()
        finally:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> ScanCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the FactsCache protocol

    def get(self, path: str, size: int, mtime_ns: int) -> Optional[FileFacts]:
        """The cached facts of ``path`` if its size and mtime are unchanged, else None."""
        row = self._load().get(path)
        if row is None or row[1] != size or row[2] != mtime_ns:
            self.misses += 1
            return None
        self.hits += 1
        return _from_row(row)

    def put(self, facts: FileFacts) -> None:
        """Remember ``facts`` (written in the next batch); later facts of a path replace earlier."""
        if self.error is not None or not cacheable(facts):
            return
        row = _to_row(facts)
        self._load()[facts.path] = row
        self._pending.append(row)
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()
