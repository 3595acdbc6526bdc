"""Reading task tables (任务分工表) into a `Rubric`, and importing plans as task tables.

In: a task workbook (.xlsx, possibly encrypted or odd) or a plan / notice (.docx, .txt).
Out: `Rubric` (categories, items, points, departments, requirement text) with findings
about the table; an `ImportResult` of the tasks a plan holds.
- ``sheets``: cells of any worksheet (calamine), header rows found by their words.
- ``rubric``: `load_rubric`, the task table's columns, merged cells and categories.
- ``departments``: splitting 牵头部门 cells into department names.
- ``plan`` and ``document``: `import_plan` and the .docx / .txt reader under it.
Must not import rules, evidence, judge, runs, outputs or cli.
"""
