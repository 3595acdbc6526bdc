"""The dashboard workbook: native Excel charts of a check, with the tables they draw from.

Sheet 「看板」 holds the key figures and the charts: completion by department (bar), score
by category against its cap (clustered column), item statuses (pie), points at stake by
department (bar) and, once ``history`` holds two months or more, a month-over-month trend
line. Sheet 「数据」 holds the tables every chart points at, so a user can check a bar
against its number. Both print on A4 landscape, one page wide, in a Chinese font.

``history`` is a list of ``{"month": "2022-05", "total": x, "departments": {name: score}}``,
oldest first. When ``report.period`` is a month (``YYYY-MM``) that history lacks, the
report's own figures are added as its last point.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional, Union

from wenming_xl.files.writing import atomic_write
from wenming_xl.findings import label as code_label
from wenming_xl.judge.confirm import waiting
from wenming_xl.judge.frames import department_records, status_counts, trend_records
from wenming_xl.model import BASE, BONUS, DEDUCTION, STATUS_LABELS, Report, num
from wenming_xl.outputs.workbooks.cells import write_text
from wenming_xl.text import readable

#: Where each output names the run that wrote it (compared by `runs.check.pair_note`).
RUN_LABEL = "运行编号："

__all__ = ["DATA_SHEET", "DASHBOARD_SHEET", "FONT", "write_dashboard"]

DASHBOARD_SHEET, DATA_SHEET = "看板", "数据"
FONT = "微软雅黑"
STATUS_COLORS = {
    "met": "#70AD47",
    "partial": "#FFC000",
    "missing": "#E15759",
    "review": "#F4A460",
    "n/a": "#A5A5A5",
}
_BLUE, _GREY, _RED = "#4472C4", "#BFBFBF", "#C0504D"
_CHART_W, _CHART_H = 560, 320


def _history(report: Report, history: Optional[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    points = [dict(h) for h in (history or []) if isinstance(h, dict) and h.get("month")]
    month = report.period or ""
    if re.fullmatch(r"\d{4}-\d{2}", month) and all(str(h["month"]) != month for h in points):
        depts = {d.name: num(d.score) for d in report.departments if d.max}
        points.append({"month": month, "total": num(report.total), "departments": depts})
    return points


def write_dashboard(
    report: Report,
    out: Union[str, Path],
    *,
    history: Optional[list[dict[str, Any]]] = None,
    password: Optional[str] = None,
) -> Path:
    """Write the dashboard workbook to ``out`` (a file, or a folder) and return its path.

    ``password``: the task workbook's; the dashboard holds every score, so it is encrypted
    with it as the scored copy is.
    """
    import xlsxwriter

    source = Path(report.rubric.path)
    out = Path(out)
    if out.is_dir():
        out = out / f"{readable(source.stem)}-看板.xlsx"
    with atomic_write(out, protect=source) as tmp:
        # in_memory: the parts are zipped from memory, not from a temp file each (2× faster).
        options = {
            "in_memory": True,
            "default_format_properties": {"font_name": FONT, "font_size": 10},
        }
        wb = xlsxwriter.Workbook(str(tmp), options)
        _Dashboard(wb, report, _history(report, history)).build()
        wb.close()
        if password:
            from wenming_xl.files.zips import encrypt_office

            tmp.write_bytes(encrypt_office(tmp.read_bytes(), str(password)))
    return out


class _Dashboard:
    """Builds the two sheets of one dashboard workbook."""

    def __init__(self, wb: Any, report: Report, history: list[dict[str, Any]]):
        self.wb, self.report, self.history = wb, report, history
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.f = {
            "title": wb.add_format({**base, "bold": True, "font_size": 16}),
            "section": wb.add_format({**base, "bold": True, "font_size": 12}),
            "head": wb.add_format(
                {**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center"}
            ),
            "text": wb.add_format({**base, "border": 1, "text_wrap": True}),
            "num": wb.add_format({**base, "border": 1, "align": "center", "num_format": "General"}),
            "pct": wb.add_format({**base, "border": 1, "align": "center", "num_format": "0.0%"}),
            "kpi_label": wb.add_format({**base, "font_color": "#595959", "align": "center"}),
            "kpi": wb.add_format({**base, "bold": True, "font_size": 18, "align": "center"}),
            "kpi_pct": wb.add_format(
                {**base, "bold": True, "font_size": 18, "align": "center", "num_format": "0.0%"}
            ),
            "note": wb.add_format({**base, "font_color": "#808080", "italic": True}),
            "warn": wb.add_format({**base, "bold": True, "font_color": "#C00000"}),
        }
        self.board = wb.add_worksheet(DASHBOARD_SHEET)
        self.data = wb.add_worksheet(DATA_SHEET)
        self.row = 0  # next free row of 数据
        self.ranges: dict[str, tuple[int, int]] = {}

    # ------------------------------------------------------------------ 数据

    def _table(
        self, key: str, title: str, heads: list[str], rows: list[list[Any]], fmts: list[str]
    ) -> None:
        ws, f = self.data, self.f
        write_text(ws, self.row, 0, title, f["section"])
        for c, h in enumerate(heads):
            write_text(ws, self.row + 1, c, h, f["head"])
        first = self.row + 2
        for r, values in enumerate(rows, first):
            for c, (v, fmt) in enumerate(zip(values, fmts)):
                write_text(ws, r, c, v, f[fmt])
        self.ranges[key] = (first, first + len(rows) - 1)
        self.row = first + len(rows) + 1

    def _tables(self) -> None:
        rep = self.report
        # The tables are those of wenming_xl.judge.frames (the records, without pandas).
        deps = department_records(rep)
        shown = sorted(
            (i for i, d in enumerate(rep.departments) if d.max),
            key=lambda i: (rep.departments[i].completion, rep.departments[i].name),
        )
        shown += [i for i, d in enumerate(rep.departments) if not d.max]
        self.charted_depts = sum(1 for d in rep.departments if d.max)
        keys = ["name", "score", "max", "completion", "points_at_stake", "met", "items", "findings"]
        rows = [[deps[i][k] for k in keys] for i in shown]
        for row in rows:
            row[6] = len(row[6])
        self._table(
            "dept",
            "按部门",
            ["部门", "得分", "满分", "完成率", "待补分值", "达标条目", "牵头条目", "问题数"],
            rows,
            ["text", "num", "num", "pct", "num", "num", "num", "num"],
        )
        notes = rep.table_notes()
        if notes:
            self._table(
                "notes",
                "任务表提醒",
                ["问题", "位置", "说明"],
                [[code_label(f.code), f.location.short() if f.location else "", f.message]
                 for f in notes],
                ["text", "text", "text"],
            )  # fmt: skip
        cats = [c for c in rep.categories if c.kind != DEDUCTION]
        self._table(
            "cat",
            "按类别（分值上限：类别封顶分，未写封顶时为条目分值合计）",
            ["类别", "得分", "分值上限", "类型"],
            [
                [c.name, num(c.score), num(c.cap if c.cap is not None else c.points_sum),
                 "加分项目" if c.kind == BONUS else "基本项目"]
                for c in cats
            ],
            ["text", "num", "num", "text"],
        )  # fmt: skip
        counts = status_counts(rep)
        self.statuses = list(counts)
        self._table(
            "status",
            "按状态",
            ["状态", "条目数"],
            [[STATUS_LABELS.get(s, s), n] for s, n in counts.items()],
            ["text", "num"],
        )
        columns, trend = trend_records(self.history)
        names = columns[2:]
        self.trend_names = names
        self._table(
            "trend",
            "月度趋势",
            ["月份", "总分"] + names,
            [[h["month"]] + [_number(h[c]) for c in columns[1:]] for h in trend],
            ["text"] + ["num"] * (len(names) + 1),
        )
        self.data.set_column(0, 0, 36)
        self.data.set_column(1, 8 + len(names), 11)

    # ------------------------------------------------------------------ 看板

    def _chart(self, kind: str, title: str, subtype: Optional[str] = None) -> Any:
        spec = {"type": kind}
        if subtype:
            spec["subtype"] = subtype
        chart = self.wb.add_chart(spec)
        chart.set_title({"name": title, "name_font": {"name": FONT, "size": 12, "bold": True}})
        chart.set_size({"width": _CHART_W, "height": _CHART_H})
        chart.set_legend({"font": {"name": FONT, "size": 9}, "position": "bottom"})
        return chart

    def _ref(self, key: str, col: int) -> list[Any]:
        first, last = self.ranges[key]
        return [DATA_SHEET, first, col, last, col]

    def _axes(
        self, chart: Any, bar: bool, value_fmt: str = "General", maximum: Optional[float] = None
    ) -> None:
        """Fonts and number format of the axes; a bar chart lists its first row on top."""
        font = {"name": FONT, "size": 9}
        value: dict[str, Any] = {"num_font": font, "num_format": value_fmt}
        if maximum is not None:
            value.update({"min": 0, "max": maximum})
        if bar:  # in xlsxwriter a bar chart's x axis is the (horizontal) value axis
            chart.set_x_axis(value)
            chart.set_y_axis({"num_font": font, "reverse": True})
        else:
            chart.set_x_axis({"num_font": font})
            chart.set_y_axis(value)

    def _charts(self) -> list[Any]:
        charts = []
        n_depts = self.charted_depts
        first, _ = self.ranges["dept"]
        if n_depts:
            dept_rng = (first, first + n_depts - 1)
            self.ranges["dept_charted"] = dept_rng
            chart = self._chart("bar", "各部门完成率（得分 ÷ 满分）")
            chart.add_series(
                {"name": "完成率", "categories": self._ref("dept_charted", 0),
                 "values": self._ref("dept_charted", 3), "fill": {"color": _BLUE},
                 "data_labels": {"value": True, "num_format": "0%", "font": {"name": FONT, "size": 9}}}
            )  # fmt: skip
            chart.set_legend({"none": True})
            self._axes(chart, True, "0%", 1)
            charts.append(chart)
        if self.ranges["cat"][1] >= self.ranges["cat"][0]:
            chart = self._chart("column", "各类别得分与分值上限")
            chart.add_series(
                {"name": [DATA_SHEET, self.ranges["cat"][0] - 1, 1], "categories": self._ref("cat", 0),
                 "values": self._ref("cat", 1), "fill": {"color": _BLUE}, "data_labels": {"value": True}}
            )  # fmt: skip
            chart.add_series(
                {"name": [DATA_SHEET, self.ranges["cat"][0] - 1, 2], "categories": self._ref("cat", 0),
                 "values": self._ref("cat", 2), "fill": {"color": _GREY}}
            )  # fmt: skip
            self._axes(chart, False)
            charts.append(chart)
        chart = self._chart("pie", "条目状态分布")
        chart.add_series(
            {"name": "条目数", "categories": self._ref("status", 0), "values": self._ref("status", 1),
             "points": [{"fill": {"color": STATUS_COLORS.get(s, _GREY)}} for s in self.statuses],
             "data_labels": {"value": True, "category": True, "leader_lines": True,
                             "font": {"name": FONT, "size": 9}}}
        )  # fmt: skip
        charts.append(chart)
        if n_depts:
            chart = self._chart("bar", "各部门待补分值（尚未得到的分数）")
            chart.add_series(
                {"name": "待补分值", "categories": self._ref("dept_charted", 0),
                 "values": self._ref("dept_charted", 4), "fill": {"color": _RED},
                 "data_labels": {"value": True, "font": {"name": FONT, "size": 9}}}
            )  # fmt: skip
            chart.set_legend({"none": True})
            self._axes(chart, True)
            charts.append(chart)
        if len(self.history) >= 2:
            chart = self._chart("line", "月度得分趋势")
            trend_head = self.ranges["trend"][0] - 1
            for col in range(1, 2 + len(self.trend_names)):
                chart.add_series(
                    {"name": [DATA_SHEET, trend_head, col], "categories": self._ref("trend", 0),
                     "values": self._ref("trend", col), "marker": {"type": "circle"},
                     "line": {"width": 2.5 if col == 1 else 1.5}}
                )  # fmt: skip
            self._axes(chart, False)
            charts.append(chart)
        return charts

    def _kpis(self) -> None:
        rep, ws, f = self.report, self.board, self.f
        source = rep.rubric.title or Path(rep.rubric.path).stem
        title = f"{source} · 创建工作看板" + (f"（{rep.period}）" if rep.period else "")
        ws.merge_range(0, 0, 0, 15, "", f["title"])
        write_text(ws, 0, 0, title, f["title"])
        ws.set_row(0, 30)
        # Deduction items and items with nothing to check cannot be 达标: not counted in.
        scorable = [r for r in rep.items if r.item.kind != DEDUCTION and r.status != "na"]
        met = sum(1 for r in scorable if r.status == "met")
        # The terminal's and the 问题清单's words: 问题 are errors; 待确认 wait for a person.
        errors = sum(1 for f in rep.all_findings() if f.severity == "error")
        review = len(waiting(rep.items))
        # Base points still to gain (bonus apart): never more than 满分 minus 总分.
        at_stake = sum(r.points_at_stake for r in rep.items if r.item.kind == BASE)
        figures = [
            ("总分", num(rep.total), "kpi"),
            ("满分", num(rep.max_total), "kpi"),
            ("完成率", rep.completion, "kpi_pct"),  # base points only, as the bulletin says
            ("加分", num(rep.bonus), "kpi"),
            ("扣分", num(rep.deductions), "kpi"),
            ("达标条目", f"{met}/{len(scorable)}", "kpi"),
            ("待补分值", num(at_stake), "kpi"),
            ("问题 / 待人工确认", f"{errors} / {review}", "kpi"),
        ]
        for i, (label, value, fmt) in enumerate(figures):
            ws.merge_range(1, i * 2, 1, i * 2 + 1, "", f["kpi_label"])
            write_text(ws, 1, i * 2, label, f["kpi_label"])
            ws.merge_range(2, i * 2, 2, i * 2 + 1, "", f[fmt])
            write_text(ws, 2, i * 2, value, f[fmt])
        ws.set_row(2, 28)
        notes = rep.table_notes()
        if notes:
            first = notes[0].message
            more = f"等 {len(notes)} 条" if len(notes) > 1 else ""
            write_text(
                ws,
                4,
                0,
                f"注意：任务表本身有提醒，分数可能因此不准：{first}{more}"
                f"（全部见「{DATA_SHEET}」工作表的「任务表提醒」和评分表的「问题清单」）。",
                f["warn"],
            )
        if rep.generated_at:
            write_text(
                ws,
                3,
                0,
                f"生成时间：{rep.generated_at}；{RUN_LABEL}{rep.run_id or '—'}"
                f"（同一次运行写出的评分表编号相同）；图表数据见「{DATA_SHEET}」工作表。",
                f["note"],
            )

    def build(self) -> None:
        """Write both sheets."""
        self._tables()
        self._kpis()
        for i, chart in enumerate(self._charts()):
            self.board.insert_chart(
                5 + (i // 2) * 17, (i % 2) * 8, chart, {"x_offset": 4, "y_offset": 4}
            )
        if len(self.history) < 2:
            row = 5 + ((4 + 1) // 2) * 17
            write_text(
                self.board, row, 0, "月度趋势图将在有两个月以上的检查记录后显示。", self.f["note"]
            )
        for ws in (self.board, self.data):
            ws.set_landscape()
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.center_horizontally()
            ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        self.data.repeat_rows(0)
        self.board.activate()


def _number(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return num(value)
    try:
        return num(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
