"""Files every stage shares: safe zip reading, atomic writes, the unit's SQLite file.

In: paths. Out: bytes, connections and files written in place.
- ``zips``: zip-bomb limits and Office encryption (reading and writing .xlsx safely).
- ``writing``: `atomic_write` (temp file, then rename; the source workbook is never a
  target) and Excel/WPS lock files.
- ``database``: ``wenming.sqlite`` (history, mail log, scan cache): schema and opening.
Must not import any stage (tables, rules, evidence, judge, runs, outputs, cli).
"""
