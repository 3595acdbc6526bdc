"""The package's folders are the pipeline's stages, and each keeps its import rule.

Read from the source (every ``import`` statement, also inside functions and under
``TYPE_CHECKING``), so a module that reaches into a later stage fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from where import ROOT, TESTS

PACKAGE = ROOT / "wenming_xl"

#: What the top level keeps: what every stage shares, and the public API.
TOP_LEVEL = {"__init__", "__main__", "model", "errors", "findings", "text", "config"}

#: Stage → the stages it must not import (top-level shared modules are open to all).
FORBIDDEN = {
    "files": {"tables", "rules", "evidence", "judge", "runs", "outputs", "cli"},
    "tables": {"rules", "evidence", "judge", "runs", "outputs", "cli"},
    "rules": {"tables", "evidence", "judge", "runs", "outputs", "cli"},
    "evidence": {"judge", "runs", "outputs", "cli"},
    "judge": {"runs", "outputs", "cli"},
    "outputs": {"runs", "cli"},
    "runs": {"cli"},
    "cli": set(),
    "top": {"files", "tables", "rules", "evidence", "judge", "runs", "outputs", "cli"},
}
#: Inside outputs/: the kinds of output are independent (workbooks' cells are shared).
OUTPUT_FORBIDDEN = {
    "workbooks": {"notices", "mail"},
    "notices": {"mail"},
    "mail": {"notices"},
    "assessors": {"mail"},  # LibreOffice from notices.pdf and item names from workbooks.kits
}
FILE_LIBRARIES = {"openpyxl", "xlsxwriter", "python_calamine", "docx", "PIL", "smtplib", "sqlite3"}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def dotted(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of everything ``path`` imports."""
    tree = ast.parse(path.read_text("utf-8"))
    here = dotted(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
            out += [(node.lineno, f"{name}.{a.name}") for a in node.names]
    return out


def stage_of(name: str) -> str:
    parts = name.split(".")
    if len(parts) < 3 and (len(parts) < 2 or parts[1] in TOP_LEVEL):
        return "top"
    return parts[1]


def test_top_level_keeps_only_what_every_stage_shares():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL, f"top-level modules outside the shared set: {sorted(top - TOP_LEVEL)}"
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert set(FORBIDDEN) - {"top"} == stages


@pytest.mark.parametrize(
    "folder",
    sorted({p.parent for p in modules()}),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_each_folder_says_what_comes_in_and_goes_out(folder: Path):
    init = folder / "__init__.py"
    assert init.is_file(), f"{folder} is not a package"
    if folder == PACKAGE:
        return
    doc = ast.get_docstring(ast.parse(init.read_text("utf-8"))) or ""
    assert "In:" in doc and "Out:" in doc, f"{init}: say what comes in and what goes out"
    assert "Must not import" in doc, f"{init}: say what it must not import"
    names = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
    prefixes = [n.split("_")[0] for n in names]
    shared = {p for p in prefixes if prefixes.count(p) > 1}
    assert not shared, f"{folder}: modules share a name prefix {shared}: {names}"


def test_no_stage_imports_a_later_one():
    wrong = []
    for path in modules():
        src = stage_of(dotted(path)) if path.parent != PACKAGE else "top"
        if path.name == "__main__.py":
            continue  # ``python -m wenming_xl`` is the CLI
        for line, name in imported(path):
            if not name.startswith("wenming_xl."):
                continue
            dst = stage_of(name)
            where = f"{path.relative_to(ROOT)}:{line} imports {name}"
            if dst in FORBIDDEN[src]:
                wrong.append(where)
            if src == dst == "outputs" and len(dotted(path).split(".")) > 3:
                mine, theirs = dotted(path).split(".")[2], name.split(".")[2:3]
                if theirs and theirs[0] in OUTPUT_FORBIDDEN.get(mine, ()):
                    wrong.append(where)
    assert not wrong, "\n".join(wrong)


def test_nothing_outside_cli_imports_cli():
    wrong = [
        f"{p.relative_to(ROOT)}:{line}"
        for p in modules()
        if "cli" not in p.relative_to(PACKAGE).parts and p.name != "__main__.py"
        for line, name in imported(p)
        if name == "wenming_xl.cli" or name.startswith("wenming_xl.cli.")
    ]
    assert not wrong


def test_model_imports_no_file_library():
    names = {n.split(".")[0] for _, n in imported(PACKAGE / "model.py")}
    assert not names & FILE_LIBRARIES


def test_tests_mirror_the_package():
    """Every stage has its tests folder, and every tests folder is a stage."""
    stages = {p.relative_to(PACKAGE) for p in PACKAGE.rglob("__init__.py")}
    stages = {s.parent for s in stages if s.parent != Path(".")}
    folders = {
        p.parent.relative_to(TESTS)
        for p in TESTS.rglob("test_*.py")
        if p.parent != TESTS and "__pycache__" not in p.parts
    }
    assert folders <= stages, f"tests folders with no stage: {sorted(map(str, folders - stages))}"
    leaves = {s for s in stages if not any(o != s and s in o.parents for o in stages)}
    assert leaves <= folders, f"stages without tests: {sorted(map(str, leaves - folders))}"
