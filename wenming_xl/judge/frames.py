"""Results as pandas tables: a report's items, findings, departments; a batch; the history.

Each table is defined once, as records: plain dicts whose keys are the names of
`Report.to_dict()` (a nested key joined with a dot, as ``pandas.json_normalize`` names
it: ``location.cell``, ``evidence.files``). A ``*_frame`` function turns them into a
`pandas.DataFrame`, one row per item / finding / department / unit / unit × item /
month × item / month × department; with ``labels="zh"`` the columns (and the status,
kind and severity values) are in Chinese, and a mapping renames columns as
`DataFrame.rename` does.

pandas is imported inside the ``*_frame`` functions only: ``import wenming_xl`` and a
check never load it; the dashboard reads the records (`department_records`,
`status_counts`, `trend_records`) without pandas. The batch's ranking, common gaps and
category completion are computed here on the frames (`ranking_order`,
`common_gaps_frame`, `common_items_frame`, `category_completion`); `BatchResult` and
the roll-up workbook read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, Union

from wenming_xl.model import (
    BASE,
    BONUS,
    DEDUCTION,
    DOCUMENT,
    IMAGE,
    MET,
    NA,
    OTHER,
    STATUS_LABELS,
    VIDEO,
    Finding,
    Location,
    Report,
    num,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from wenming_xl.judge.ranking import BatchResult

Labels = Union[None, str, Mapping[str, str]]

#: Evidence kinds that always have a count column (0 where an item has none).
KINDS = (IMAGE, DOCUMENT, VIDEO, OTHER)

# --------------------------------------------------------------------------- labels

_LOCATION = {"location.path": "文件", "location.sheet": "工作表", "location.cell": "单元格"}
_ITEM = {
    "no": "条目",
    "category": "类别",
    "text": "内容",
    "points": "分值",
    "departments": "牵头部门",
    "leaders": "分管领导",
    "requirement_text": "材料要求",
    "kind": "类型",
    "score": "得分",
    "status": "状态",
    "points_at_stake": "待补分值",
    "requirement.needs_review": "要求需人工核对",
    "evidence.files": "文件数",
    "evidence.group_count": "活动数",
    "evidence.declared": "含台账申报数量",
    "evidence.counts.image": "图片数",
    "evidence.counts.document": "文件材料数",
    "evidence.counts.video": "视频数",
    "evidence.counts.other": "其他材料数",
    "findings": "问题数",
    **_LOCATION,
}
_FINDING = {
    "source": "来源",
    "code": "问题代码",
    "severity": "级别",
    "item_no": "条目",
    "department": "部门",
    **_LOCATION,
    "message": "问题说明",
    "params": "参数",
}
_DEPARTMENT = {
    "name": "部门",
    "items": "牵头条目",
    "base_items": "计分条目数",
    "met": "达标条目",
    "score": "得分",
    "max": "满分",
    "points_at_stake": "待补分值",
    "bonus": "加分",
    "completion": "完成率",
    "findings": "问题数",
}
_CATEGORY = {
    "name": "类别",
    "kind": "类型",
    "cap": "封顶分",
    "points_sum": "分值合计",
    "score": "得分",
}
_UNIT = {
    "rank": "名次",
    "name": "单位",
    "folder": "文件夹",
    "workbook": "任务分工表",
    "total": "得分",
    "max_total": "满分",
    "rate": "得分率",
    "met": "达标条目",
    "items": "条目数",
    "gaps": "问题数",
    "error": "未能检查原因",
    "unranked": "未能评分原因",
    "seconds": "用时（秒）",
}
_UNIT_ITEM = {"unit": "单位", "no": "条目", "text": "内容", "category": "类别", "kind": "类型"}
_UNIT_ITEM.update({k: _ITEM[k] for k in ("points", "score", "status", "points_at_stake")})
_UNIT_ITEM["departments"] = "牵头部门"
_UNIT_GAP = {
    "unit": "单位",
    "code": "问题代码",
    "item_no": "条目",
    "text": "内容",
    "message": "问题说明",
}
_UNIT_CATEGORY = {
    "unit": "单位",
    "category": "类别",
    "score": "得分",
    "top": "满分",
    "completion": "完成率",
}

#: Columns of the history's month × item and month × department tables.
_HISTORY_ITEM = {
    "month": "月份",
    "no": "条目",
    "text": "内容",
    "departments": "牵头部门",
    "max": "分值",
    "score": "得分",
    "status": "状态",
    "at_stake": "待补分值",
}
_HISTORY_DEPARTMENT = {
    "month": "月份",
    "name": "部门",
    "score": "得分",
    "max": "满分",
    "met": "达标条目",
    "items": "牵头条目",
    "at_stake": "待补分值",
    "findings": "问题数",
}
#: Chinese column labels of each table (``labels="zh"``); the keys are its columns, in order.
ZH_LABELS: dict[str, dict[str, str]] = {
    "items": _ITEM,
    "findings": _FINDING,
    "departments": _DEPARTMENT,
    "categories": _CATEGORY,
    "units": _UNIT,
    "unit_items": _UNIT_ITEM,
    "unit_gaps": _UNIT_GAP,
    "unit_categories": _UNIT_CATEGORY,
    "history_items": _HISTORY_ITEM,
    "history_departments": _HISTORY_DEPARTMENT,
}
#: Chinese values of the coded columns (``labels="zh"``).
ZH_VALUES: dict[str, dict[str, str]] = {
    "status": STATUS_LABELS,
    "kind": {BASE: "基本项目", BONUS: "加分项目", DEDUCTION: "扣分项目"},
    "severity": {"error": "问题", "warning": "提醒", "info": "提示"},
    "source": {"items": "条目", "findings": "报告", "notes": "任务表"},
}


def pandas_module() -> Any:
    """pandas, imported on first use (it is never needed to check a workbook)."""
    import pandas

    return pandas


def make_frame(
    records: list[dict[str, Any]],
    columns: list[str],
    labels: Labels = None,
    zh: Optional[Mapping[str, str]] = None,
) -> pd.DataFrame:
    """A DataFrame of ``records`` with ``columns``, relabelled as ``labels`` asks.

    ``labels``: None keeps the JSON names; ``"zh"`` gives the Chinese of ``zh`` (and of
    the coded values); a mapping renames columns as `DataFrame.rename` does.
    """
    pd = pandas_module()
    df = pd.DataFrame.from_records(records, columns=columns) if records else None
    if df is None:
        df = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return relabel(df, labels, zh)


def relabel(df: pd.DataFrame, labels: Labels, zh: Optional[Mapping[str, str]]) -> pd.DataFrame:
    """``df`` with the column names (and coded values) ``labels`` asks for (see `make_frame`)."""
    if labels is None:
        return df
    if isinstance(labels, str):
        if labels != "zh":
            raise ValueError(f'labels 只能是 None、"zh" 或一个列名映射，而不是 {labels!r}。')
        df = df.copy()
        for col, values in ZH_VALUES.items():
            if col in df.columns:
                df[col] = df[col].map(lambda v, m=values: m.get(v, v) if isinstance(v, str) else v)
        return df.rename(columns=dict(zh or {}))
    return df.rename(columns=dict(labels))


def _location(loc: Optional[Location]) -> dict[str, Any]:
    if loc is None:
        return dict.fromkeys(_LOCATION)
    return {"location.path": loc.path, "location.sheet": loc.sheet, "location.cell": loc.cell}


# --------------------------------------------------------------------------- a report


def item_records(report: Report) -> list[dict[str, Any]]:
    """One record per item: its table columns, score, status and evidence counts."""
    rows = []
    for r in report.items:
        it = r.item
        evidence = r.evidence_summary()
        counts = evidence["counts"]
        row = {
            "no": it.no,
            "category": it.category,
            "text": it.text,
            "points": num(it.points),
            "departments": list(it.departments),
            "leaders": list(it.leaders),
            "requirement_text": it.requirement_text,
            "kind": it.kind,
            "score": num(r.score) if r.score is not None else None,
            "status": r.status,
            "points_at_stake": num(r.points_at_stake),
            "requirement.needs_review": r.requirement.needs_review if r.requirement else None,
            "evidence.files": evidence["files"],
            "evidence.group_count": evidence["group_count"],
            "evidence.declared": evidence["declared"],
        }
        row.update({f"evidence.counts.{k}": counts.get(k, 0) for k in KINDS})
        row.update({f"evidence.counts.{k}": n for k, n in counts.items() if k not in KINDS})
        row["findings"] = len(r.findings)
        row.update(_location(it.location))
        rows.append(row)
    return rows


def items_frame(report: Report, labels: Labels = None) -> pd.DataFrame:
    """The report's items, one row each, in table order (columns as in ``items`` of the JSON).

    ``departments`` and ``leaders`` hold lists (``.explode("departments")`` gives one
    row per item × department); ``findings`` is how many findings the item has.
    """
    rows = item_records(report)
    columns = list(_ITEM)
    extra = [k for r in rows for k in r if k not in _ITEM]
    columns[columns.index("findings") : columns.index("findings")] = list(dict.fromkeys(extra))
    return make_frame(rows, columns, labels, _ITEM)


def _finding_record(source: str, f: Finding) -> dict[str, Any]:
    row = {
        "source": source,
        "code": f.code,
        "severity": f.severity,
        "item_no": f.item_no,
        "department": f.department,
        **_location(f.location),
        "message": f.message,
    }
    row["params"] = f.to_dict()["params"]
    return row


def finding_records(report: Report) -> list[dict[str, Any]]:
    """Every finding of the report: the items' (in item order), the report's, the table's."""
    rows = [_finding_record("items", f) for r in report.items for f in r.findings]
    rows += [_finding_record("findings", f) for f in report.findings]
    rows += [_finding_record("notes", f) for f in report.rubric.notes]
    return rows


def findings_frame(report: Report, labels: Labels = None) -> pd.DataFrame:
    """Every finding, one row each; ``source`` says where the JSON keeps it.

    ``items`` (an item's ``findings``), ``findings`` (not tied to an item) or ``notes``
    (about the task table itself).
    """
    return make_frame(finding_records(report), list(_FINDING), labels, _FINDING)


def department_records(report: Report) -> list[dict[str, Any]]:
    """One record per department, as ``departments`` of the JSON."""
    return [d.to_dict() for d in report.departments]


def departments_frame(report: Report, labels: Labels = None) -> pd.DataFrame:
    """The departments, one row each, in report order; ``items`` holds the item numbers."""
    return make_frame(department_records(report), list(_DEPARTMENT), labels, _DEPARTMENT)


def categories_frame(report: Report, labels: Labels = None) -> pd.DataFrame:
    """The categories with cap, points sum and score, one row each."""
    rows = [c.to_dict() for c in report.categories]
    return make_frame(rows, list(_CATEGORY), labels, _CATEGORY)


def status_counts(report: Report) -> dict[str, int]:
    """Items per status: every status of `STATUS_LABELS` in its order (0 where none), then others.

    The dashboard's 按状态 table; ``items_frame(report)["status"].value_counts()`` without
    the zeros.
    """
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for r in report.items:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


# --------------------------------------------------------------------------- the history


def history_item_records(months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per month × item, from month snapshots (`History.month` /
    `report_snapshot` shape), in the order given, items in table order."""
    return [
        {"month": m.get("month"), "no": no, **{k: it.get(k) for k in list(_HISTORY_ITEM)[2:]}}
        for m in months
        for no, it in (m.get("items") or {}).items()
    ]


def history_department_records(months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per month × department, from month snapshots, in the order given."""
    keys = list(_HISTORY_DEPARTMENT)[2:]
    return [
        {"month": m.get("month"), "name": name, **{k: d.get(k) for k in keys}}
        for m in months
        for name, d in (m.get("departments") or {}).items()
    ]


def history_items_frame(months: list[dict[str, Any]], labels: Labels = None) -> pd.DataFrame:
    """Month-by-month score and status of every item, one row per month × item.

    ``.pivot(index="no", columns="month", values="score")`` gives an item's scores side
    by side.
    """
    rows = history_item_records(months)
    return make_frame(rows, list(_HISTORY_ITEM), labels, _HISTORY_ITEM)


def history_departments_frame(months: list[dict[str, Any]], labels: Labels = None) -> pd.DataFrame:
    """Month-by-month score of every department, one row per month × department."""
    rows = history_department_records(months)
    return make_frame(rows, list(_HISTORY_DEPARTMENT), labels, _HISTORY_DEPARTMENT)


def trend_records(trend: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """The trend as a wide table: columns ``month``, ``total``, then each department (in
    order of first appearance), one record per month, in the order given.

    ``trend`` is `History.trend`'s list (``{"month", "total", "departments": {name: score}}``);
    a department missing from a month is None there. The dashboard's 月度趋势 table.
    """
    names: list[str] = []
    for h in trend:
        for name in h.get("departments") or {}:
            if name not in names:
                names.append(name)
    rows = []
    for h in trend:
        deps = h.get("departments") or {}
        rows.append(
            {"month": str(h["month"]), "total": h.get("total"), **{n: deps.get(n) for n in names}}
        )
    return ["month", "total", *names], rows


def trend_frame(trend: list[dict[str, Any]], labels: Labels = None) -> pd.DataFrame:
    """The trend (`trend_records`) as a DataFrame: one row per month, a column per department."""
    columns, rows = trend_records(trend)
    return make_frame(rows, columns, labels, {"month": "月份", "total": "总分"})


# --------------------------------------------------------------------------- a batch


def unit_records(batch: BatchResult) -> list[dict[str, Any]]:
    """One record per unit, in folder order (without the rank, which the frame computes)."""
    return [
        {
            "name": u.name,
            "folder": u.folder,
            "workbook": u.workbook,
            "total": u.total,
            "max_total": u.max_total,
            "rate": u.rate if u.ok else None,
            "met": u.met,
            "items": u.items,
            "gaps": len(u.gaps),
            "error": u.error,
            "unranked": u.unranked,
            "seconds": u.seconds,
        }
        for u in batch.units
    ]


def units_frame(batch: BatchResult, labels: Labels = None) -> pd.DataFrame:
    """The units, one row each, in folder order, with their ``rank`` (empty where a unit
    could not be checked, ``error`` says why, or has no score to rank, ``unranked`` says why).

    The ranking is the roll-up's: score rate, then score, then name; failed units last.
    Units with the same rate and score share a 名次 (并列: 1, 1, 3), listed by name.
    """
    pd = pandas_module()
    df = make_frame(unit_records(batch), [c for c in _UNIT if c != "rank"])
    ranked = df["error"].isna() & df["unranked"].isna()
    ok = df[ranked].assign(_total=lambda d: d["total"].fillna(0))
    ok = ok.sort_values(["rate", "_total", "name"], ascending=[False, False, True], kind="stable")
    places, prev = [], None
    for n, (rate, total) in enumerate(zip(ok["rate"], ok["_total"]), start=1):
        key = (round(float(rate), 9), round(float(total), 9))
        places.append(places[-1] if key == prev else n)
        prev = key
    df.insert(0, "rank", pd.Series(places, index=ok.index, dtype="Int64"))
    return relabel(df, labels, _UNIT)


def unit_places(batch: BatchResult) -> dict[int, int]:
    """Each ranked unit's 名次 by its position in ``batch.units`` (tied units share one)."""
    rank = units_frame(batch)["rank"].dropna()
    return {int(i): int(r) for i, r in rank.items()}


def ranking_order(batch: BatchResult) -> list[int]:
    """Positions of ``batch.units`` in ranking order: ranked units by rank, then the checked
    ones with no score to rank, then the failed."""
    frame = units_frame(batch)
    rank = frame["rank"]
    names = frame["name"]
    first = sorted(rank.dropna().index, key=lambda i: (rank[i], names[i]))  # 并列: by name
    rest = frame[rank.isna()]
    return (
        first
        + rest.index[rest["error"].isna()].tolist()
        + rest.index[rest["error"].notna()].tolist()
    )


def unit_items_frame(batch: BatchResult, labels: Labels = None) -> pd.DataFrame:
    """One row per unit × item (every item each checked unit scored), in folder order."""
    rows = [{"unit": u.name, **r._asdict()} for u in batch.units for r in u.results]
    for row in rows:
        row["departments"] = list(row["departments"])
    return make_frame(rows, list(_UNIT_ITEM), labels, _UNIT_ITEM)


def unit_gaps_frame(batch: BatchResult, labels: Labels = None) -> pd.DataFrame:
    """One row per unit × error-level finding (a gap), in folder order."""
    rows = [
        {"unit": u.name, "code": code, "item_no": no, "text": text, "message": message}
        for u in batch.units
        for code, no, text, message in u.gaps
    ]
    return make_frame(rows, list(_UNIT_GAP), labels, _UNIT_GAP)


def unit_categories_frame(batch: BatchResult, labels: Labels = None) -> pd.DataFrame:
    """One row per unit × scored category: score, top (cap or points sum), completion."""
    rows = [
        {"unit": u.name, "category": n, "score": s, "top": t, "completion": s / t if t else None}
        for u in batch.units
        for n, s, t in u.categories
    ]
    return make_frame(rows, list(_UNIT_CATEGORY), labels, _UNIT_CATEGORY)


def category_completion(batch: BatchResult) -> tuple[pd.DataFrame, pd.Series]:
    """Each checked unit's completion of each category, and each category's mean.

    Rows are the checked units in ranking order, columns the categories in order of
    first appearance (NaN where a unit's table lacks the category); the mean is over the
    ranked units that have the category (an unranked unit's categories count nowhere).
    """
    cats = unit_categories_frame(batch)
    names = batch.category_names()
    units = [
        batch.units[i].name
        for i in ranking_order(batch)
        if batch.units[i].ok and not batch.units[i].unranked
    ]
    cats = cats[cats["unit"].isin(units)] if not cats.empty else cats
    pd = pandas_module()
    if cats.empty:
        table = pd.DataFrame(index=pd.Index([], dtype=object), columns=pd.Index([], dtype=object))
        means = pd.Series(dtype=float)
    else:
        table = cats.pivot_table(
            index="unit", columns="category", values="completion", aggfunc="last", sort=False
        )
        means = cats.groupby("category", sort=False)["completion"].mean()
    table = table.reindex(index=units, columns=names).astype(float)
    table.index.name, table.columns.name = "unit", "category"
    return table, means.reindex(names).astype(float)


def common_gaps_frame(batch: BatchResult, limit: Optional[int] = 20) -> pd.DataFrame:
    """Finding codes by how many units have them: code, units, count, an example message."""
    gaps = unit_gaps_frame(batch)
    columns = ["code", "units", "count", "example"]
    if gaps.empty:
        return make_frame([], columns)
    out = (
        gaps.groupby("code", sort=False)
        .agg(units=("unit", "nunique"), count=("unit", "size"), example=("message", "first"))
        .reset_index()
        .sort_values(["units", "count", "code"], ascending=[False, False, True], kind="stable")
    )
    return out.head(limit).reset_index(drop=True)[columns] if limit else out[columns]


def common_items_frame(batch: BatchResult, limit: Optional[int] = 20) -> pd.DataFrame:
    """Items most often not met across units: item (number), text, units."""
    items = unit_items_frame(batch)
    columns = ["item", "text", "units"]
    unmet = items[~items["status"].isin([MET, NA])]
    if unmet.empty:
        return make_frame([], columns)
    out = (
        unmet[["unit", "no", "text"]]
        .drop_duplicates()
        .groupby("no", sort=False)
        .agg(text=("text", "first"), units=("unit", "size"))
        .reset_index()
        .rename(columns={"no": "item"})
    )
    out["_key"] = out["item"].map(_no_key)
    out = out.sort_values("_key", kind="stable").sort_values(
        "units", ascending=False, kind="stable"
    )
    return (out.head(limit) if limit else out).reset_index(drop=True)[columns]


def _no_key(no: str) -> tuple:
    return (0, int(no), "") if no.isdigit() else (1, 0, no)
