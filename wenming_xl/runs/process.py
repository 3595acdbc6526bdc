"""Process-level tuning of one large standalone run: GC thresholds and the early exit.

Only for ``wenming``'s own process (the console script, ``python -m wenming_xl``): a
program that imports the library, or a test's CliRunner, keeps Python's defaults and
ends as usual. The CLI says which it is with :func:`set_own_process`.

Why (measured on a 20,000-row ledger, see README 性能): the check builds ~160,000 small
objects that live to its end and almost no reference cycles. Python's young-generation
collector still walks every one of them now and then (two collections freed 818 of
100,000 objects for ~30 ms), and freeing them one by one when the command returns costs
longer than writing the dashboard. So the thresholds go up before the ledger loader
starts, and once everything is written and flushed the process exits at once, as mypy
does.
"""

from __future__ import annotations

import gc
import os
import sys

#: Garbage-collector thresholds of one large check (Python's defaults: 700, 10, 10).
#: About 125,000 ledger rows' worth of objects before the first young collection.
GC_THRESHOLDS = (1_000_000, 20, 20)

_own_process = False


def set_own_process(value: bool) -> None:
    """Say whether this process is ``wenming``'s own (arguments from ``sys.argv``)."""
    global _own_process
    _own_process = bool(value)


def own_process() -> bool:
    """True while ``wenming`` runs as a process of its own, not inside a caller."""
    return _own_process


def tune_gc_for_one_large_run() -> None:
    """Raise the GC thresholds for the rest of this process (only when it is ``wenming``'s own).

    Each young collection walks every young object, ~0.3 µs apiece: with the default
    threshold that is about a tenth of a 20,000-row run. The threshold stays finite, so
    a far larger ledger is still collected now and then. Not for ``batch``: many small
    units run faster with the default thresholds.
    """
    if _own_process:
        gc.set_threshold(*GC_THRESHOLDS)


def end_own_process() -> None:
    """End ``wenming``'s own process now, its output flushed, without freeing each object.

    Once a command's work is done (files written and closed, history committed), it calls
    this to exit at once with status 0. Inside a caller (CliRunner, a Python program) it
    returns and the command ends as usual; so does a failed flush (a closed pipe), for
    Python to report at exit.
    """
    if not _own_process:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(0)
