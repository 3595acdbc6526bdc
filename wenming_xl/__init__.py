"""wenming_xl: read a 文明单位创建 task table, check the evidence, score it, write the outputs.

The public API is small::

    from wenming_xl import load_rubric, parse_requirement, run_check
    rubric = load_rubric("任务分工.xlsx")
    report = run_check("任务分工.xlsx", evidence="材料/")
    print(report.total, report.max_total)
"""

from .errors import (
    ConfigError,
    EvidenceError,
    HeaderNotFoundError,
    MailError,
    OutputError,
    WenmingError,
    WorkbookError,
)
from .evidence import Period, collect_evidence, parse_period
from .model import (
    Category,
    Evidence,
    Finding,
    Item,
    ItemResult,
    Location,
    Report,
    Requirement,
    Rubric,
    Rule,
)
from .pipeline import build_report, run_check
from .requirements import parse_requirement
from .rubric import load_rubric

__all__ = [
    "Period",
    "build_report",
    "collect_evidence",
    "load_rubric",
    "parse_period",
    "parse_requirement",
    "run_check",
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
