"""Runs: the jobs people start, each reading the inputs, judging and writing the outputs.

In: paths and options (what a command line says). Out: result objects for a caller
to show (`Report`, `CheckRun`, `MonthlyResult`, `BatchResult`), and files written.
- ``check``: `run_check` (one check → `Report`), `check_workbook` (with its outputs).
- ``summary``: the terminal summary and the JSON text of a report.
- ``monthly``, ``batch``, ``demo`` (with ``sample``), ``doctor``: the other jobs.
- ``history``: month-by-month results in ``wenming.sqlite``.
- ``process``: tuning of one large standalone run (GC thresholds, the early exit).
May import every stage and outputs. Must not import cli.
"""
