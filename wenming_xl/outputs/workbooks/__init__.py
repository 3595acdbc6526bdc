"""Workbooks written for people: scored copy, dashboard, kits, task table, batch roll-up.

In: a `Report` (a rubric for kits, an `ImportResult` for the task table, unit results
for the roll-up). Out: .xlsx files, written to a temp file and renamed into place.
- ``scored``: the source workbook copied with 得分/状态/问题说明 columns and sheets added,
  by ``package`` (zip-part surgery) and ``sheetxml`` (worksheet XML as text).
- ``dashboard``, ``kits``, ``tasks``, ``rollup``: new workbooks (xlsxwriter).
- ``cells``: user text is written as text, never as a formula; names, columns, XML.
Must not import notices, mail, runs or cli.
"""
