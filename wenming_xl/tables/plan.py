"""From a plan or notice (.docx / .txt) to a task workbook that `load_rubric` reads.

`import_plan` finds the tasks: in a task table where the document has one (its 分值 /
材料要求 / 测评方法 / 牵头部门 / 分管领导 columns), else in the outline of the text
(一、 （一） ㈠ 1、 （1） …) with each task's 「责任处室：…」 line. :func:`wenming_xl.outputs.workbooks.tasks.write_task_workbook`
writes them as a task table — one row per table row or per task, with a 来源 column saying
where each came from — plus a 待确认 sheet with everything that could not be placed.
Nothing the document holds is dropped: what is not a task is listed for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from wenming_xl import findings
from wenming_xl.model import Finding, ItemNo
from wenming_xl.tables.departments import is_placeholder, split_names, table_known_names
from wenming_xl.tables.document import (
    Cell,
    Document,
    Node,
    Para,
    PlanError,
    Table,
    build_outline,
    int_to_cn,
    outline_marker,
    read_document,
)
from wenming_xl.text import (
    normalize,
    one_line,
    outline_number,
    parse_points,
    split_numbered,
    squash,
)

PathLike = Union[str, Path]

# --------------------------------------------------------------------------- result


@dataclass
class Task:
    """One task found in the plan, with the text of each column as the document has it."""

    no: ItemNo
    text: str
    #: Category cells, outermost first (「一、年度精神文明建设重点任务（44分）」, 「（一）…」).
    categories: list[str] = field(default_factory=list)
    points: Optional[float] = None
    #: The 分值 cell as written (「4分」); kept when it is not a number.
    points_text: str = ""
    departments: list[str] = field(default_factory=list)
    #: The department cell or line as written (several names, newlines kept).
    departments_text: str = ""
    leaders: list[str] = field(default_factory=list)
    leaders_text: str = ""
    requirement: str = ""
    #: Where the task came from: 「第23行」, 「表格1 第3行第2列」.
    source: str = ""
    #: The task's number as written in the document (「㈠ 1、」), for the 来源 column.
    outline: str = ""
    #: The 序号 written for the task (its own number in the table; 1, 2, 3 … for a plan).
    number: Optional[int] = None
    #: Text of table columns the reader has no role for, by header.
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Unplaced:
    """Something the importer could not make a task of; it goes to the 待确认 sheet."""

    text: str
    where: str
    reason: str
    #: 1 = needs a decision (a 责任处室 line without a task…), 2 = text that is not a task.
    rank: int = 2


@dataclass
class ImportResult:
    """What `import_plan` found: tasks, what it could not place, and warnings."""

    source: Path
    #: "table" when the tasks came from a task table, "outline" when from numbered text.
    shape: str
    title: Optional[str] = None
    tasks: list[Task] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Output columns in order: (role, header). Roles: no, category, text, points,
    #: departments, requirement, leaders, extra.
    columns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def departments(self) -> list[str]:
        """The departments the tasks name (not 「各支部」 or 「相关科室」: see `placeholders`)."""
        seen: dict[str, None] = {}
        for t in self.tasks:
            for d in t.departments:
                if not is_placeholder(d):
                    seen.setdefault(d, None)
        return list(seen)

    @property
    def placeholders(self) -> list[str]:
        """Words in department cells that stand for several offices: no kit, no mail."""
        seen: dict[str, None] = {}
        for t in self.tasks:
            for d in t.departments:
                if is_placeholder(d):
                    seen.setdefault(d, None)
        return list(seen)

    @property
    def points_total(self) -> Optional[float]:
        pts = [t.points for t in self.tasks if t.points is not None and t.points > 0]
        return sum(pts) if pts else None

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "info"]


# --------------------------------------------------------------------------- entry point


def import_plan(source: PathLike) -> ImportResult:
    """Read a plan or notice (.docx or .txt) and find its tasks, departments and points."""
    doc = read_document(source)
    tables = [(t, _header(t)) for t in doc.tables]
    task_tables = [(t, h) for t, h in tables if h is not None]
    if task_tables:
        result = _from_tables(doc, task_tables)
    else:
        result = _from_outline(doc)
    _finish(result)
    return result


def _finish(result: ImportResult) -> None:
    """Add the warnings every import gives: no tasks, no departments, tasks without one."""
    name = result.source.name
    if not result.tasks:
        raise PlanError(
            f"{name}：没有找到任何任务——既没有带“工作任务/测评内容/工作清单”等表头的任务表，"
            "也没有“一、（一）1、”这样编号的段落。",
            path=str(result.source),
            hint="请确认选对了文件；任务写在表格里时，表头需要有“工作任务”或“测评内容”列。",
        )
    if result.unplaced:
        reasons: dict[str, int] = {}
        for u in result.unplaced:
            reasons[u.reason] = reasons.get(u.reason, 0) + 1
        summary = "；".join(f"{k} {v} 段" for k, v in reasons.items())
        result.findings.append(
            findings.make("plan-unplaced", path=name, count=len(result.unplaced), reasons=summary)
        )
    if not result.departments:
        result.findings.append(
            findings.make("plan-no-departments", path=name, count=len(result.tasks))
        )
        return
    for t in result.tasks:
        if not t.departments:
            result.findings.append(findings.make("no-departments", item=t.no))


# --------------------------------------------------------------------------- task tables

_METHOD_WORDS = ("测评方法", "考核方法", "评价方法")
#: How the task reader's column roles (rubric.ROLE_WORDS) map to the importer's.
_ROLE_MAP = {
    "category": "category",
    "subcategory": "category",
    "no": "no",
    "text": "text",
    "points": "points",
    "departments": "departments",
    "leaders": "leaders",
    "requirement": "requirement",
    "deduction_rules": "requirement",
}


@dataclass
class _Header:
    row: int
    roles: list[Optional[str]]
    texts: list[str]


def _header(table: Table) -> Optional[_Header]:
    """A task-table header in the first rows, by the words `load_rubric` knows; needs a text column."""
    from wenming_xl.tables.rubric import IGNORED_HEADERS, ROLE_WORDS
    from wenming_xl.tables.sheets import match_header_row

    for r, row in enumerate(table.rows[:4]):
        texts = [c.text for c in row]
        found = match_header_row(texts, ROLE_WORDS, ignore=IGNORED_HEADERS)
        if "text" not in found or len(found) < 2:
            continue
        roles: list[Optional[str]] = [None] * len(texts)
        for role, col in sorted(found.items(), key=lambda x: x[1]):
            mapped = _ROLE_MAP.get(role)
            if mapped and (mapped == "category" or mapped not in roles):
                roles[col - 1] = mapped
        # Unnamed columns left of the task text hold categories (「2023年度」 over 一、…).
        for k in range(found["text"] - 1):
            if roles[k] is None and squash(texts[k]) not in IGNORED_HEADERS:
                roles[k] = "category"
        return _Header(row=r, roles=roles, texts=texts)
    return None


def _from_tables(doc: Document, task_tables: list[tuple[Table, _Header]]) -> ImportResult:
    from wenming_xl.tables.rubric import split_departments

    result = ImportResult(source=doc.path, shape="table")
    used = {id(t) for t, _ in task_tables}
    result.title = _title_before(doc, task_tables[0][0])
    result.columns = _columns(task_tables[0][1])
    cells: list[str] = []
    for t, h in task_tables:
        if "departments" in h.roles:
            col = h.roles.index("departments")
            cells += [row[col].text for row in t.rows[h.row + 1 :] if col < len(row)]
    known = table_known_names(cells)
    for t, h in task_tables:
        _read_task_table(t, h, result, lambda text: split_departments(text, known))
    # Everything outside the task tables is the notice or plan text: listed, not a task.
    for block in doc.blocks:
        if isinstance(block, Para):
            result.unplaced.append(
                Unplaced(block.text, block.where, "任务表之外的正文（通知、计划说明）")
            )
        elif id(block) not in used:
            result.unplaced.extend(_table_text(block))
    _number_table_tasks(result)
    result.unplaced.sort(key=lambda u: u.rank)
    return result


def _table_text(table: Table) -> list[Unplaced]:
    return [
        Unplaced(cell.text, cell.where, "不是任务表的表格中的文字")
        for row in table.rows
        for cell in row
        if cell.text.strip() and not cell.merged_above
    ]


def _columns(header: _Header) -> list[tuple[str, str]]:
    """Output columns of a table import: 序号, the categories, then the source's other columns."""
    cols: list[tuple[str, str]] = [("no", "序号")]
    cat_level = 0
    for role, text in zip(header.roles, header.texts):
        word = squash(text)
        if role == "no":
            continue
        if role == "category":
            cols.append(("category", "类别" if cat_level == 0 else "二级指标"))
            cat_level += 1
        elif role == "text":
            cols.append(("text", "工作任务"))
        elif role == "points":
            cols.append(("points", "分值"))
        elif role == "departments":
            cols.append(("departments", "牵头部门"))
        elif role == "leaders":
            cols.append(("leaders", "分管领导"))
        elif role == "requirement":
            keep = [w for w in _METHOD_WORDS + ("扣分细则", "评分细则", "考核细则") if w in word]
            cols.append(("requirement", keep[0] if keep else "材料要求"))
        else:
            cols.append(("extra", word or "无标题列"))
    if "departments" not in header.roles:  # an empty column for the office to fill in
        at = max(k for k, (role, _) in enumerate(cols) if role in ("text", "points")) + 1
        cols.insert(at, ("departments", "牵头部门"))
    return cols


def _read_task_table(table: Table, header: _Header, result: ImportResult, split) -> None:
    """One row per task: category cells carry on, several numbered items in a cell split."""
    roles = header.roles
    cat_cols = [k for k, r in enumerate(roles) if r == "category"]
    text_col = roles.index("text")

    def col(role: str) -> Optional[int]:
        return roles.index(role) if role in roles else None

    req_col = col("requirement")
    method = req_col is not None and any(w in squash(header.texts[req_col]) for w in _METHOD_WORDS)
    cats: list[str] = []
    last_req = ""
    for row in table.rows[header.row + 1 :]:
        if [c.text for c in row] == header.texts:
            continue  # a header repeated on every page
        cells = [row[k] if k < len(row) else Cell("", "") for k in range(len(roles))]
        text = _texts(cells, roles)

        new_cat = False
        for level, k in enumerate(cat_cols):
            c = cells[k]
            if c.text.strip() and not c.merged_above:
                cats = cats[:level] + [c.text.strip()]
                new_cat = True
        body = cells[text_col].text.strip()
        if cells[text_col].merged_above:
            continue  # the lower part of a tall task cell: the task is already read
        if not body:
            for k, role in enumerate(roles):
                c = cells[k]
                if role != "category" and c.text.strip() and not c.merged_above:
                    reason = "这一行没有任务内容，这个单元格无法归到任何任务"
                    result.unplaced.append(Unplaced(c.text, c.where, reason, 1))
            continue
        req = text("requirement")
        if method and not req and not new_cat and last_req:
            req = last_req  # a merged 测评方法 cell applies to every item beside it
        last_req = req
        extra = {
            squash(header.texts[k]) or "无标题列": cells[k].text
            for k, role in enumerate(roles)
            if role is None
        }
        parts = split_numbered(body)
        reqs = _pair_rules(parts, req)
        if not reqs:  # numbers do not pair up: every item gets the whole text, said so
            reqs = [req] * len(parts)
            result.findings.append(
                findings.make(
                    "rules-unpaired",
                    location=None,
                    where=cells[req_col].where if req_col is not None else "",
                    category=one_line(cats[0]) if cats else "",
                    items=len(parts),
                    rules=len(split_numbered(req)),
                    column=squash(header.texts[req_col]) if req_col is not None else "材料要求",
                )
            )
        pts_text = text("points")
        own_no = text("no")
        for (num, part), part_req in zip(parts, reqs):
            if own_no and len(parts) == 1:
                n, rest = outline_number(own_no)
                num = n if n is not None else (int(own_no) if own_no.isdigit() else num)
            result.tasks.append(
                Task(
                    no=num if num is not None else "",
                    text=part,
                    categories=list(cats),
                    points=parse_points(pts_text) if len(parts) == 1 else None,
                    points_text=pts_text if len(parts) == 1 else "",
                    departments=split(text("departments")),
                    departments_text=text("departments"),
                    leaders=split_names(text("leaders")),
                    leaders_text=text("leaders"),
                    requirement=part_req,
                    source=cells[text_col].where,
                    outline="",
                    number=num,
                    extra=extra,
                )
            )


def _texts(cells: list[Cell], roles: list[Optional[str]]):
    """A lookup of a row's cell text by role (blank when the table has no such column)."""

    def text(role: str) -> str:
        return cells[roles.index(role)].text.strip() if role in roles else ""

    return text


def _pair_rules(parts: list[tuple[Optional[int], str]], req: str) -> list[str]:
    """Each numbered item gets the rule with its number (seed 004: 责任内容 ↔ 扣分细则), else all."""
    if len(parts) == 1 or not req:
        return [req] * len(parts)
    segs = split_numbered(req)
    by_no = {n: t for n, t in segs if n is not None}
    nums = [n for n, _ in parts]
    if len(segs) == len(parts) and sorted(by_no) == sorted(n for n in nums if n is not None):
        return [by_no.get(n, req) if n is not None else req for n in nums]
    return []


def _number_table_tasks(result: ImportResult) -> None:
    """Number as `load_rubric` will: plain integers if unique, else paths 「一.（一）.1」."""
    nums = [t.no if isinstance(t.no, int) else None for t in result.tasks]
    if all(n is not None for n in nums) and len(set(nums)) == len(nums):
        return
    if all(n is None for n in nums):
        for i, t in enumerate(result.tasks, 1):
            t.no = i
        return
    groups: dict[tuple[str, ...], list[Task]] = {}
    for t in result.tasks:
        groups.setdefault(tuple(t.categories), []).append(t)
    seen: dict[str, int] = {}
    for t, n in zip(result.tasks, nums):
        parts = [_cat_label(c) for c in t.categories]
        group = groups[tuple(t.categories)]
        if n is not None:
            parts.append(str(n))
        elif len(group) > 1 or not parts:
            parts.append(str(group.index(t) + 1))
        path = ".".join(parts)
        seen[path] = seen.get(path, 0) + 1
        t.no = path if seen[path] == 1 else f"{path}-{seen[path]}"


def _cat_label(category: str) -> str:
    """A category's part of an item path: 「一、…」 → 一, 「（一）…」 → （一）, else its words."""
    m = outline_marker(category)
    if m is not None and m.style in ("cn", "pcn"):
        return m.label.rstrip("、.．,， ") if m.style == "cn" else f"（{int_to_cn(m.value)}）"
    return re.sub(r"[(（]?\s*\d+(?:\.\d+)?\s*分\s*[)）]?\s*$", "", squash(category)) or squash(
        category
    )


def _title_before(doc: Document, table: Table) -> Optional[str]:
    """The title printed above a table (「绍兴市中医院2022年度…责任分工」), if any."""
    idx = doc.blocks.index(table)
    lines: list[str] = []
    for block in reversed(doc.blocks[:idx]):
        if not isinstance(block, Para):
            break
        s = block.text.strip()
        if s.startswith("附件") or len(s) > 40 or len(lines) >= 2:
            break
        lines.insert(0, s)
    return "".join(lines) or None


# --------------------------------------------------------------------------- outlines


def _from_outline(doc: Document) -> ImportResult:
    """Tasks from numbered text: the numbered paragraphs that carry a 责任处室 line, or
    (when the plan names no departments) the numbered paragraphs of the lowest levels."""
    from wenming_xl.tables.rubric import split_departments

    result = ImportResult(source=doc.path, shape="outline")
    paras = [b for b in doc.blocks if isinstance(b, Para)]
    for table in doc.tables:  # a table without a task header: its text is not lost
        result.unplaced.extend(_table_text(table))
    outline = build_outline(paras)
    nodes = list(outline.root.walk())
    result.title = _outline_title(outline)
    with_dept = [n for n in nodes if n.departments]
    if with_dept:
        tasks = with_dept
    else:
        deep = any(n.depth >= 2 for n in nodes)
        tasks = [n for n in nodes if not n.children and (n.depth >= 2 or not deep)]
    task_ids = {id(n) for n in tasks}
    for p in outline.root.body:
        result.unplaced.append(
            Unplaced(p.text, p.where, "正文（第一个编号之前的文字），未列为任务")
        )
    for p in outline.orphans:
        result.unplaced.append(
            Unplaced(p.text, p.where, "责任处室行前面没有编号的任务，无法确定属于哪项任务", 1)
        )
    roots = {id(n.ancestors()[0]) for n in tasks if n.ancestors()}
    strip_root = len(roots) == 1 and len(tasks) > 1
    known = table_known_names(names for n in with_dept for _, names, _ in n.departments)

    def split(text: str) -> list[str]:
        return split_departments(text, known)

    for node in nodes:
        if id(node) in task_ids:
            result.tasks.append(_outline_task(node, strip_root, split, task_ids))
            reason = "在任务的责任处室行之后，无法确定属于哪项任务"
            result.unplaced.extend(Unplaced(p.text, p.where, reason, 1) for p in node.after)
            continue
        if any(id(a) in task_ids for a in node.ancestors()):
            continue  # text inside a task: already part of its text
        has_task_below = any(id(d) in task_ids for d in node.walk())
        if has_task_below:
            reason = "标题下的说明文字，未列为任务"
            texts = node.body + node.after
        else:
            reason = (
                "编号段落没有责任处室，未列为任务"
                if with_dept
                else "编号段落不在任务层级（是大标题或说明），未列为任务"
            )
            texts = [Para(node.text, node.where)] + node.body + node.after
        for p in texts:
            result.unplaced.append(Unplaced(p.text, p.where, reason))
    for i, t in enumerate(result.tasks, 1):
        t.no = t.number = i
    # 牵头部门 is written even when the plan names none: the office fills it in there.
    result.columns = [("no", "序号"), ("category", "类别"), ("text", "工作任务")]
    result.columns.append(("departments", "牵头部门"))
    if any(t.points is not None for t in result.tasks):
        result.columns.insert(3, ("points", "分值"))
    result.unplaced.sort(key=lambda u: u.rank)
    return result


_TRAILING_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*[。.]?\s*$")


def _outline_task(node: Node, strip_root: bool, split, task_ids: set[int]) -> Task:
    """A task from a numbered paragraph: its text, body, sub-items and 责任处室 lines."""
    assert node.marker is not None
    parts = [node.marker.rest] + [p.text for p in node.body]
    for d in node.walk():  # numbered parts of a task (「一要…」) stay in its text
        if id(d) in task_ids or any(id(a) in task_ids for a in d.ancestors()[node.depth :]):
            continue
        parts.append(d.text)
        parts.extend(p.text for p in d.body)
    text = "\n".join(p for p in parts if p)
    ancestors = node.ancestors()
    if strip_root and len(ancestors) > 1:
        ancestors = ancestors[1:]
    names_text = "\n".join(re.sub(r"\s*[·•・]\s*", "、", names) for _, names, _ in node.departments)
    depts: list[str] = []
    for name in split(names_text):
        if name not in depts:
            depts.append(name)
    m = _TRAILING_POINTS.search(normalize(node.marker.rest))
    outline = " ".join(a.marker.label for a in node.ancestors() + [node] if a.marker)
    return Task(
        no=0,
        text=text,
        categories=[" / ".join(_heading(a) for a in ancestors)] if ancestors else [],
        points=float(m.group(1)) if m else None,
        departments=depts,
        departments_text="\n".join(depts),
        source=node.where,
        outline=outline,
    )


def _heading(node: Node) -> str:
    """A heading's text for the 类别 column: its number and words, without a closing 。."""
    return node.text.strip().rstrip("。.")


def _outline_title(outline) -> Optional[str]:
    """The plan's title: the longest short line naming a 方案/计划/意见 before the first number."""
    cands = [
        p.text
        for p in outline.root.body
        if len(p.text) <= 40
        and re.search(r"(方案|计划|計劃|意见|意見|要点|要點|分工)", p.text)
        and not re.search(r"(通知|印发|印發|《|》|^附件)", p.text)
    ]
    return max(cands, key=len) if cands else None
