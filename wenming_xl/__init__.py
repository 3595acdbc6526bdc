"""wenming_xl: read a 文明单位创建 task table, check the evidence, score it, write the outputs.

The public API is small::

    from wenming_xl import load_rubric, parse_requirement, run_check
    rubric = load_rubric("任务分工.xlsx")
    report = run_check("任务分工.xlsx", evidence="材料/")
    print(report.total, report.max_total)

    from wenming_xl import items_frame  # results as pandas tables (pandas loads here only)
    items = items_frame(report)         # also findings_frame, departments_frame, units_frame …
"""

from wenming_xl.errors import (
    ConfigError,
    EvidenceError,
    HeaderNotFoundError,
    MailError,
    OutputError,
    WenmingError,
    WorkbookError,
)

#: The pandas tables (judge.frames), imported on first use only.
_FRAMES = (
    "items_frame",
    "findings_frame",
    "departments_frame",
    "categories_frame",
    "units_frame",
    "unit_items_frame",
    "unit_gaps_frame",
    "unit_categories_frame",
    "history_items_frame",
    "history_departments_frame",
    "trend_frame",
)
# Stage functions load on first use, so that ``import wenming_xl`` (and the CLI) stays fast.
_LAZY = {
    "load_rubric": "tables.rubric",
    "parse_requirement": "rules.parser",
    "Period": "evidence.period",
    "parse_period": "evidence.period",
    "collect_evidence": "evidence.collect",
    "build_report": "judge.report",
    "run_check": "runs.check",
    "check_workbook": "runs.check",
    "CheckRun": "runs.check",
    "run_batch": "runs.batch",
    "open_history": "runs.history",
    "make_binder": "runs.ready",
    "make_pack": "runs.ready",
    **{name: "judge.frames" for name in _FRAMES},
    **{
        name: "model"
        for name in (
            "Category",
            "Evidence",
            "Finding",
            "Item",
            "ItemResult",
            "Location",
            "Report",
            "Requirement",
            "Rubric",
            "Rule",
        )
    },
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CheckRun",
    "Period",
    "build_report",
    "check_workbook",
    "collect_evidence",
    "load_rubric",
    "parse_period",
    "parse_requirement",
    "run_check",
    "run_batch",
    "open_history",
    "make_binder",
    "make_pack",
    *_FRAMES,
    "Category",
    "ConfigError",
    "Evidence",
    "EvidenceError",
    "Finding",
    "HeaderNotFoundError",
    "Item",
    "ItemResult",
    "Location",
    "MailError",
    "OutputError",
    "Report",
    "Requirement",
    "Rubric",
    "Rule",
    "WenmingError",
    "WorkbookError",
]
