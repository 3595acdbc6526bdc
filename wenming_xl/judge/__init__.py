"""Judging: each item's rules checked against its evidence, scored as the assessors do.

In: a `Rubric`, its `Evidence` and the findings found while reading.
Out: a `Report` (item results with status, score and findings; categories;
departments; totals), and the change from one month's snapshot to the next.
- ``report``: `build_report`, the whole judgement in one call.
- ``checks``: one item's rules against its evidence → rule completions and findings.
- ``scoring``: policies (proportional, all-or-nothing, grade), caps, bonus, deductions.
- ``trend``: a report as a month's snapshot and what changed (较上月).
- ``ranking``: many units side by side (a batch's ranking, common gaps).
- ``frames``: results as pandas tables (report, batch, history); pandas is imported
  only inside the ``*_frame`` functions, so a check never loads it.
Reads and writes no file. Must not import evidence readers, runs, outputs or cli.
"""
