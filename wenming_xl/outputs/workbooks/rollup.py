"""The batch roll-up workbook (xlsxwriter): units ranked, completion by category, common gaps.

Three sheets, each with a native Excel chart: 排名 (every unit by score rate; units
that could not be checked at the bottom with their error), 分类完成度 (each unit's
completion of each category, and the average), 常见问题 (finding codes and items most
units fall short on). User text goes through `common.write_text`, never as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Union

from wenming_xl.files.writing import atomic_write
from wenming_xl.findings import label as code_label
from wenming_xl.judge.frames import category_completion, ranking_order, unit_places
from wenming_xl.judge.ranking import BatchResult
from wenming_xl.outputs.workbooks.cells import col_letter, sheet_name, write_text
from wenming_xl.outputs.workbooks.sheetxml import fit_height

FONT = "微软雅黑"
RANK, CATEGORY, GAPS = "排名", "分类完成度", "常见问题"
#: At most this many units are drawn in the ranking chart (the table lists them all).
CHART_UNITS = 50


def write_rollup(result: BatchResult, out: Union[str, Path]) -> Path:
    """Write the roll-up workbook of ``result`` to ``out`` (a file path) and return it."""
    import xlsxwriter

    out = Path(out)
    with atomic_write(out) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp), {"default_format_properties": {"font_name": FONT, "font_size": 10}}
        )
        _Rollup(wb, result).build()
        wb.close()
    return out


class _Rollup:
    """Builds the three sheets of one roll-up workbook."""

    def __init__(self, wb: Any, result: BatchResult):
        self.wb = wb
        self.result = result
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.f = {
            "title": wb.add_format({**base, "bold": True, "font_size": 14}),
            "head": wb.add_format(
                {**base, "bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True}
            ),
            "text": wb.add_format({**base, "border": 1, "text_wrap": True}),
            "num": wb.add_format({**base, "border": 1, "align": "center", "num_format": "General"}),
            "pct": wb.add_format({**base, "border": 1, "align": "center", "num_format": "0.0%"}),
            "error": wb.add_format(
                {**base, "border": 1, "text_wrap": True, "font_color": "#C00000"}
            ),
            "note": wb.add_format({**base, "font_color": "#808080", "italic": True}),
        }
        self.names: set[str] = set()

    def _sheet(self, name: str) -> Any:
        name = sheet_name(name, self.names)
        self.names.add(name)
        return self.wb.add_worksheet(name)

    def _chart(self, kind: str, title: str, height: int = 320) -> Any:
        chart = self.wb.add_chart({"type": kind})
        chart.set_title({"name": title, "name_font": {"name": FONT, "size": 12, "bold": True}})
        chart.set_legend({"none": True})
        chart.set_size({"width": 620, "height": height})
        font = {"name": FONT, "size": 9}
        chart.set_x_axis({"num_font": font})
        chart.set_y_axis({"num_font": font})
        return chart

    def _head(self, ws: Any, row: int, titles: list[str], widths: Sequence[float] = ()) -> None:
        """A header row; with the columns' ``widths``, tall enough for its wrapped titles."""
        for c, t in enumerate(titles):
            write_text(ws, row, c, t, self.f["head"])
        height = fit_height(zip(titles, widths), font_size=10) if widths else None
        if height:
            ws.set_row(row, height)

    def build(self) -> None:
        self._ranking()
        self._categories()
        self._gaps()

    def _ranking(self) -> None:
        ws = self._sheet(RANK)
        res = self.result
        ok = [u for u in res.units if u.ok and not u.unranked]
        title = f"文明单位创建批量检查汇总（{len(res.units)} 个单位"
        if res.unranked:
            title += f"，{len(res.unranked)} 个未能评分"
        title += f"，{len(res.failed)} 个未能检查）" if res.failed else "）"
        write_text(ws, 0, 0, title, self.f["title"])
        if res.period:
            write_text(ws, 1, 0, f"考核期：{res.period}", self.f["note"])
        head = ["名次", "单位", "得分", "满分", "得分率", "达标条目", "条目数", "问题数", "说明"]
        self._head(ws, 2, head)
        row = 3
        places = unit_places(res)
        for i in ranking_order(res):
            u, rank = res.units[i], places.get(i)
            if u.ok and u.unranked:
                write_text(ws, row, 0, "—", self.f["num"])
                write_text(ws, row, 1, u.name, self.f["text"])
                for c in range(2, 8):
                    write_text(ws, row, c, None, self.f["num"])
                write_text(ws, row, 8, f"未能评分：{u.unranked}", self.f["error"])
            elif u.ok:
                values = [rank, u.name, u.total, u.max_total, u.rate, u.met, u.items, len(u.gaps)]
                fmts = ["num", "text", "num", "num", "pct", "num", "num", "num"]
                for c, (v, f) in enumerate(zip(values, fmts)):
                    write_text(ws, row, c, v, self.f[f])
                note = f"任务表：{Path(u.workbook).name}" if u.workbook else ""
                if u.unreadable:
                    note += f"；无法读取、未计入：{'、'.join(u.unreadable)}"
                write_text(ws, row, 8, note, self.f["text"])
            else:
                write_text(ws, row, 0, "—", self.f["num"])
                write_text(ws, row, 1, u.name, self.f["text"])
                for c in range(2, 8):
                    write_text(ws, row, c, None, self.f["num"])
                write_text(ws, row, 8, f"未能检查：{u.error}", self.f["error"])
            row += 1
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 24)
        ws.set_column(2, 7, 9)
        ws.set_column(8, 8, 60)
        ws.freeze_panes(3, 2)
        if ok:
            shown = min(len(ok), CHART_UNITS)
            chart = self._chart("bar", f"得分率排名（前 {shown} 个单位）", 120 + 18 * shown)
            chart.add_series(
                {
                    "name": "得分率",
                    "categories": [ws.name, 3, 1, 2 + shown, 1],
                    "values": [ws.name, 3, 4, 2 + shown, 4],
                    "fill": {"color": "#2F75B5"},
                }
            )
            chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1, "num_font": {"name": FONT}})
            chart.set_y_axis({"reverse": True, "num_font": {"name": FONT, "size": 9}})
            ws.insert_chart(2, 10, chart)

    def _categories(self) -> None:
        ws = self._sheet(CATEGORY)
        names = self.result.category_names()
        write_text(ws, 0, 0, "各单位分类完成度（得分 ÷ 该类满分）", self.f["title"])
        left_out = [u.name for u in self.result.units if not u.ok or u.unranked]
        if left_out:  # said, not silently dropped
            shown = "、".join(left_out[:5]) + (
                f"等 {len(left_out)} 个单位" if len(left_out) > 5 else ""
            )
            write_text(
                ws,
                1,
                0,
                f"未能评分或未能检查的单位不列入：{shown}（原因见「排名」表）。",
                self.f["note"],
            )
        self._head(ws, 2, ["单位", *names], [24] + [14] * len(names))
        table, means = category_completion(self.result)
        ok = list(table.index)
        for r, (unit, values) in enumerate(table.iterrows(), start=3):
            write_text(ws, r, 0, unit, self.f["text"])
            for c, value in enumerate(values.tolist(), start=1):
                write_text(ws, r, c, None if value != value else value, self.f["pct"])
        last = 2 + len(ok)
        avg = last + 2
        write_text(ws, avg, 0, "平均完成度", self.f["head"])
        for c in range(1, len(names) + 1):
            letter = col_letter(c + 1)
            if ok:
                formula = f"=IFERROR(AVERAGE({letter}4:{letter}{last + 1}),0)"
                mean = means.iloc[c - 1]
                ws.write_formula(
                    avg, c, formula, self.f["pct"], 0.0 if mean != mean else float(mean)
                )
            else:
                write_text(ws, avg, c, None, self.f["pct"])
        ws.set_column(0, 0, 24)
        ws.set_column(1, max(1, len(names)), 14)
        ws.freeze_panes(3, 1)
        if names and ok:
            chart = self._chart("column", "各类别平均完成度")
            chart.add_series(
                {
                    "name": "平均完成度",
                    "categories": [ws.name, 2, 1, 2, len(names)],
                    "values": [ws.name, avg, 1, avg, len(names)],
                    "fill": {"color": "#70AD47"},
                }
            )
            chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1, "num_font": {"name": FONT}})
            ws.insert_chart(avg + 2, 0, chart)

    def _gaps(self) -> None:
        ws = self._sheet(GAPS)
        res = self.result
        total = len([u for u in res.units if u.ok])
        write_text(ws, 0, 0, f"各单位最常见的问题（共检查 {total} 个单位）", self.f["title"])
        self._head(ws, 2, ["问题", "涉及单位数", "出现次数", "示例", "代码"])
        gaps = res.common_gaps()
        for r, g in enumerate(gaps, start=3):
            write_text(ws, r, 0, code_label(g["code"]), self.f["text"])
            write_text(ws, r, 1, g["units"], self.f["num"])
            write_text(ws, r, 2, g["count"], self.f["num"])
            write_text(ws, r, 3, g["example"], self.f["text"])
            write_text(ws, r, 4, g["code"], self.f["text"])  # last: for filtering
        if not gaps:
            write_text(ws, 3, 0, "没有发现问题。", self.f["note"])
        top = 3 + max(len(gaps), 1) + 2
        write_text(ws, top - 1, 0, "最常未达标的条目", self.f["title"])
        self._head(ws, top, ["条目", "未达标单位数", "内容"])
        items = res.common_items()
        for r, it in enumerate(items, start=top + 1):
            write_text(ws, r, 0, it["item"], self.f["text"])
            write_text(ws, r, 1, it["units"], self.f["num"])
            write_text(ws, r, 2, it["text"], self.f["text"])
        ws.set_column(0, 0, 24)
        ws.set_column(1, 2, 12)
        ws.set_column(3, 3, 70)
        ws.set_column(4, 4, 22)
        if gaps:
            shown = min(len(gaps), 10)
            chart = self._chart("bar", "涉及单位最多的问题", 120 + 24 * shown)
            chart.add_series(
                {
                    "name": "涉及单位数",
                    "categories": [ws.name, 3, 0, 2 + shown, 0],
                    "values": [ws.name, 3, 1, 2 + shown, 1],
                    "fill": {"color": "#C00000"},
                }
            )
            chart.set_y_axis({"reverse": True, "num_font": {"name": FONT, "size": 9}})
            ws.insert_chart(2, 5, chart)
