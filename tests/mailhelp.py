"""A hand-made report and parsing helpers shared by the mail tests (messages, sender, history)."""

from __future__ import annotations

import datetime as dt
import email
import html.parser
from email import policy
from fractions import Fraction

from wenming_xl.config import Contact, Profile
from wenming_xl.model import (
    MET,
    MISSING,
    PARTIAL,
    REVIEW,
    DepartmentResult,
    Finding,
    Item,
    ItemResult,
    Report,
    Rubric,
)
from wenming_xl.outputs.mail.messages import build_messages

MONTH = "2022-06"
SUBJECT = "【文明创建】党建办 2022年6月 佐证材料督查提醒"
ATTACHMENT = "党建办-2022年6月-督查清单.xlsx"
NOW = dt.datetime(2022, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# --------------------------------------------------------------------------- a hand-made report

Row = tuple  # (no, text, points, departments, status, score, [(code, message, department)])


def make_report(rows: list[Row]) -> Report:
    """A `Report` built by hand: items, findings, statuses, scores and department totals."""
    rubric = Rubric(
        path="任务分工.xlsx", sheet="任务分工", title="绍兴市中医院2022年度文明单位创建工作任务"
    )
    results = []
    for no, text, points, deps, status, score, findings in rows:
        item = Item(
            no=no,
            text=text,
            points=points,
            departments=list(deps),
            requirement_text="上传活动照片不少于4张",
        )
        rubric.items.append(item)
        fs = [Finding(code=c, message=m, item_no=no, department=d) for c, m, d in findings]
        results.append(ItemResult(item=item, findings=fs, score=Fraction(score), status=status))
    deps: dict[str, DepartmentResult] = {}
    for r in results:
        for d in r.item.departments:
            dr = deps.setdefault(d, DepartmentResult(name=d))
            dr.items.append(r.item.no)
            dr.base += 1
            dr.max += r.max_points
            dr.score += r.score
            dr.met += r.status == MET
            dr.at_stake += r.points_at_stake
            dr.findings += len(r.findings)
    report = Report(rubric=rubric, items=results, departments=list(deps.values()))
    report.total = sum((r.score for r in results), Fraction(0))
    report.max_total = sum((r.max_points for r in results), Fraction(0))
    return report


def june_rows() -> list[Row]:
    """Five departments: two mailable with gaps, one met, one without address, one bad address."""
    return [
        (1, "学习文明行为促进条例", 4, ["党建办"], PARTIAL, 2, [
            ("too-few-images", "第1项：图片只有2张，要求至少4张，缺2张。", None),
            ("missing-annotation", "第1项：2022-05-03 活动未注明地点。", "党建办"),
        ]),
        (2, "志愿服务活动", 3, ["党建办", "工会"], MET, 3, []),
        (3, "道德讲堂", 2, ["工会"], MISSING, 0, [
            ("missing-evidence", "第3项：尚未上传任何佐证材料。", None),
        ]),
        (4, "红头文件", 1, ["党建办"], REVIEW, 0, []),
        (5, "团员活动", 2, ["团委"], MET, 2, []),
        (6, "宣传橱窗", 2, ["宣传科"], MISSING, 0, [
            ("missing-evidence", "第6项：尚未上传任何佐证材料。", None),
        ]),
        (7, "廉政教育", 2, ["纪检监察室"], PARTIAL, 1, [
            ("too-few-images", "第7项：图片只有1张，要求至少2张，缺1张。", None),
            ("too-few-images", "第7项：这条属于别的部门。", "党建办"),
        ]),
    ]  # fmt: skip


CONTACTS = {
    "党建办": Contact("党建办", head="张三", email="djb@example.org", cc=["sj@example.org"]),
    "工会": Contact("工会", head="李四", email="gh@example.org"),
    "团委": Contact("团委", email="tw@example.org"),
    "纪检监察室": Contact("纪检监察室", email="jj@example"),
}


def plan_of(report: Report, contacts=CONTACTS, **kw):
    kw.setdefault("sender", "wmb@example.org")
    kw.setdefault("now", NOW)
    return build_messages(report, contacts, Profile(), month=MONTH, **kw)


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


class _Table(html.parser.HTMLParser):
    """Rows of the HTML body's table: (data-item, [cell texts]) with <br> as a newline."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self.heads: list[str] = []
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append((dict(attrs).get("data-item", ""), []))
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1][1].append("".join(self._cell))
            self._cell = None
        elif tag == "th" and self._cell is not None:
            self.heads.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_table(msg: email.message.EmailMessage) -> _Table:
    body = msg.get_body(preferencelist=("html",))
    parser = _Table()
    parser.feed(body.get_content())
    return parser
