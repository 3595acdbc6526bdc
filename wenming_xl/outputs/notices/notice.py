"""Official notices (红头文件): the `Notice` model, 文号/date/title helpers and the writer.

A `Notice` holds what a GB/T 9704-2012 document says: 发文机关标志, 发文字号, title, 主送,
body (paragraphs whose headings are recognised by 一、（一）1.（1）, and tables), 附件说明,
signature and date, 附注, attachment pages and the 版记 (抄送, 印发). :func:`write_notice`
lays it out with python-docx (see ``notice_layout``); the documents the offices send — the
notice that publishes the task table, the monthly 督查通报, any notice from a plain-text
draft — are built in ``notice_kinds``.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from wenming_xl.errors import ConfigError
from wenming_xl.text import cn_date

# --------------------------------------------------------------------------- model


@dataclass
class Column:
    """One column of a table: header text, relative width, alignment, vertical merging."""

    title: str
    width: float = 1.0
    align: str = "left"  # "left" | "center"
    #: Merge runs of equal values in this column into one cell (category cells).
    merge: bool = False
    #: True for free-text columns that need room (工作清单, 材料要求).
    wide: bool = False


@dataclass
class TableSpec:
    """A Word table: header row repeated on every page, rows of text cells."""

    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    #: None decides from the columns' needs; True/False forces the page orientation.
    landscape: Optional[bool] = None
    font_size: float = 12.0

    def needs_landscape(self) -> bool:
        """True when the columns cannot be read on a portrait page (156 mm at 小四)."""
        if self.landscape is not None:
            return self.landscape
        need = 0.0
        for i, col in enumerate(self.columns):
            if col.wide:
                need += 12
                continue
            longest = max(
                [text_width(col.title)]
                + [text_width(line) for row in self.rows for line in str(row[i] or "").split("\n")]
            )
            need += min(longest, 8) + 1
        portrait_chars = 156 / 25.4 * 72 / self.font_size
        return need > portrait_chars


@dataclass
class Attachment:
    """An attachment page: its title, paragraphs and/or a table."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: Optional[TableSpec] = None
    #: Name used in 附件说明 when it differs from the title.
    name: str = ""


Block = Union[str, TableSpec]


@dataclass
class Notice:
    """A 红头文件 as data; :func:`write_notice` turns it into a .docx."""

    title: str
    body: list[Block] = field(default_factory=list)
    mark: str = ""
    number: str = ""
    main_to: str = ""
    #: Names for 附件说明; taken from ``attachment_pages`` when empty.
    attachments: list[str] = field(default_factory=list)
    signer: str = ""
    date: Optional[_dt.date] = None
    #: Write the date in Chinese numerals (documents before 2012-07-01): 二〇一二年四月二日.
    chinese_date: bool = False
    note: str = ""
    cc: list[str] = field(default_factory=list)
    printer: str = ""
    print_date: Optional[_dt.date] = None
    attachment_pages: list[Attachment] = field(default_factory=list)
    #: Words the title must not be broken inside (the unit's name).
    keep_words: list[str] = field(default_factory=list)

    def attachment_names(self) -> list[str]:
        """Names listed in 附件说明."""
        if self.attachments:
            return list(self.attachments)
        return [a.name or a.title for a in self.attachment_pages]


# --------------------------------------------------------------------------- 发文字号

_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕",
                           "（": "〔", "）": "〕", "［": "〔", "］": "〕", "﹝": "〔", "﹞": "〕"})  # fmt: skip
_DOC_NO = re.compile(r"^\s*(.+?)\s*〔\s*(\d{4})\s*〕\s*(第?\s*\d+)\s*号\s*$")


def validate_doc_number(code: str, year: Union[int, str], serial: Union[int, str]) -> str:
    """Build a 发文字号 such as 「绍市中医〔2022〕23号」, refusing 第 and leading zeros."""
    code = (code or "").strip()
    if not code:
        raise ConfigError(
            "缺少发文字号的机关代字（例如「绍市中医」）。",
            hint='请在 wenming.toml 的 [unit] 中写上 code = "绍市中医"。',
        )
    if re.search(r"[〔〕\[\]【】()（）]", code):
        raise ConfigError(
            f"机关代字「{code}」中不应含括号。",
            hint="只写代字本身，如「绍市中医」；年份会自动加上〔〕。",
        )
    year_s = str(year).strip()
    if not re.fullmatch(r"\d{4}", year_s) or not 1949 <= int(year_s) <= 2100:
        raise ConfigError(f"发文字号的年份「{year_s}」不对。", hint="年份写四位数字，如 2022。")
    s = str(serial).strip()
    s = s[:-1] if s.endswith("号") else s
    if s.startswith("第"):
        raise ConfigError(
            f"发文字号的序号「{s}」前不能加「第」。",
            hint=f"按 GB/T 9704 写成「{code}〔{year_s}〕{s[1:].strip()}号」。",
        )
    if not s.isdigit():
        raise ConfigError(f"发文字号的序号「{s}」应为数字。", hint="例如 --number 23。")
    if len(s) > 1 and s.startswith("0"):
        raise ConfigError(
            f"发文字号的序号「{s}」不能有前导零。",
            hint=f"按 GB/T 9704 写成「{code}〔{year_s}〕{int(s)}号」。",
        )
    if int(s) < 1:
        raise ConfigError("发文字号的序号应从 1 开始。")
    return f"{code}〔{year_s}〕{s}号"


def parse_doc_number(text: str) -> str:
    """Check a whole 发文字号 typed by a user; [] () 【】 become 〔〕. Returns the clean form."""
    fixed = text.strip().translate(_BRACKETS)
    m = _DOC_NO.match(fixed)
    if not m:
        raise ConfigError(
            f"发文字号「{text}」格式不对。",
            hint="应写成「机关代字〔年份〕序号号」，如「绍市中医〔2022〕23号」，或只写序号 23。",
        )
    return validate_doc_number(m.group(1), m.group(2), m.group(3).replace(" ", ""))


# --------------------------------------------------------------------------- dates

_CN_DIGIT = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    if n < 10:
        return _CN_DIGIT[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGIT[tens]) + "十" + (_CN_DIGIT[ones] if ones else "")


def format_date(date: _dt.date, chinese: bool = False) -> str:
    """「2022年3月1日」, or with ``chinese`` 「二〇一二年四月二日」 (〇 is U+3007)."""
    if not chinese:
        return cn_date(date)
    year = "".join(_CN_DIGIT[int(d)] for d in str(date.year))
    return f"{year}年{_cn_small(date.month)}月{_cn_small(date.day)}日"


# --------------------------------------------------------------------------- widths, headings


def text_width(text: str) -> float:
    """Width in 三号 characters: CJK and full-width count 1, ASCII letters and digits ½."""
    w = 0.0
    for ch in text:
        w += 0.5 if ord(ch) < 0x2E80 and ch not in "—…“”‘’·" else 1.0
    return w


_HEADINGS = [
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
]


def heading_level(text: str) -> int:
    """0 for body text, 1–4 for paragraphs starting 一、 /（一）/ 1. /（1）."""
    s = text.lstrip()
    for level, rx in _HEADINGS:
        if rx.match(s):
            return level
    return 0


def split_heading(text: str) -> tuple[str, str]:
    """Split a run-in heading 「（一）强化教育。深入学习…」 into heading and following text."""
    m = re.search(r"[。：:！？]", text)
    if m and m.end() < len(text.rstrip()):
        return text[: m.end()], text[m.end() :]
    return text, ""


# --------------------------------------------------------------------------- title breaking

#: Words a title is never broken inside (besides digits, quotes and the unit's name).
TITLE_WORDS = sorted(
    set(
        """关于印发 关于转发 关于开展 关于做好 关于加强 关于进一步 关于 印发 转发 的通知 的通报 的意见 的报告
        的决定 的请示 的批复 的函 的纪要 的方案 的计划 文明单位 文明城市 文明家庭 文明校园 文明村镇 精神文明
        创建工作 创建 工作 任务 责任 分工 工作计划 实施方案 计划 方案 实施 通知 通报 情况 督查 督导 检查 考核
        测评 目标 责任制 内容 党建工作 党建 党支部 党委 省级 市级 县级 区级 年度 建设 活动 开展 进一步 加强
        做好 体系 指标 问题 整改 落实 清单 月度 专项 医院 中医院 人民医院 学校 中学 小学 委员会 办公室 管理
        制度 规定 办法 意见 决定 报告 要点 安排 部署 评选 表彰 结果 名单 佐证 材料 先进 集体 个人 下属
        志愿服务 新时代 文明实践 主题 宣传 教育 学习 贯彻 绍兴市 绍兴 浙江省""".split()
    ),
    key=len,
    reverse=True,
)
_PROTECTED = re.compile(
    r"《[^》]*》|“[^”]*”|\"[^\"]*\"|「[^」]*」|（[^）]{0,12}）|\([^)]{0,12}\)|〔[^〕]*〕"
    r"|\d+(?:[-—–~～至]\d+)?(?:\.\d+)?(?:年度|年|月份|月|日|号|届|次|项|个|分|%|％)?"
    r"|[A-Za-z]+"
)


def _title_tokens(title: str, keep: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Split a title into (token, is_word) pieces; breaks are only allowed between them."""
    words = sorted(set(keep) | set(TITLE_WORDS), key=len, reverse=True)
    tokens: list[tuple[str, bool]] = []
    i = 0
    while i < len(title):
        m = _PROTECTED.match(title, i)
        if m and m.end() > i:
            tokens.append((m.group(0), True))
            i = m.end()
            continue
        for w in words:
            if w and title.startswith(w, i):
                tokens.append((w, True))
                i += len(w)
                break
        else:
            tokens.append((title[i], False))
            i += 1
    return tokens


def _cut_cost(left: tuple[str, bool], right: tuple[str, bool]) -> float:
    if right[0].startswith("关于") or left[0].endswith("关于印发"):
        return 0.0
    if left[1] and right[1]:
        return 1.0
    if left[1] or right[1]:
        return 4.0
    return 12.0  # two loose characters: perhaps inside an unknown word


def _shape_cost(widths: list[float], max_chars: float) -> float:
    mean = sum(widths) / len(widths)
    cost = sum((w - mean) ** 2 for w in widths) * 0.25
    if len(widths) == 2 and widths[1] > widths[0]:
        cost += (widths[1] - widths[0]) * 1.5  # prefer the upper line longer (倒梯形)
    if len(widths) >= 3:
        inner = widths[1:-1]
        if min(inner) < min(widths[0], widths[-1]):
            cost += 10 * (min(widths[0], widths[-1]) - min(inner))  # no hourglass
    if widths[-1] < min(4, max_chars / 3):
        cost += 30
    return cost


def break_title(title: str, max_chars: int = 20, keep: tuple[str, ...] = ()) -> list[str]:
    """Break a title into balanced lines of at most ``max_chars`` at word boundaries.

    Never breaks inside 「关于印发」, quoted 《…》 titles, digit runs such as 「2022年度」,
    common 公文 words or the ``keep`` words (the unit's name); lines form a trapezoid
    (upper line longer) or a diamond.
    """
    title = re.sub(r"\s+", "", title or "")
    if text_width(title) <= max_chars:
        return [title] if title else []
    tokens = _title_tokens(title, tuple(k for k in keep if k))
    # a protected piece longer than a line may be broken inside, at its own words
    expanded: list[tuple[str, bool]] = []
    for tok, word in tokens:
        if text_width(tok) > max_chars * 0.9 and len(tok) > 2:
            inner = (
                _title_tokens(tok[1:-1], keep)
                if tok[0] in '《“「（(〔"'
                else _title_tokens(tok, ())
            )
            if tok[0] in '《“「（(〔"':
                inner[0] = (tok[0] + inner[0][0], inner[0][1])
                inner[-1] = (inner[-1][0] + tok[-1], inner[-1][1])
            expanded.extend(inner)
        else:
            expanded.append((tok, word))
    tokens = expanded
    widths = [text_width(t) for t, _ in tokens]
    total = sum(widths)
    n_min = max(2, int(-(-total // max_chars)))
    best: Optional[tuple[float, list[str]]] = None
    for n in (n_min, n_min + 1):
        if n - 1 > len(tokens) - 1:
            continue
        cuts_iter = itertools.combinations(range(1, len(tokens)), n - 1)
        if n > 4:  # far too long for a title: fill greedily
            break
        for cuts in cuts_iter:
            bounds = (0, *cuts, len(tokens))
            line_w = [sum(widths[a:b]) for a, b in zip(bounds, bounds[1:])]
            if max(line_w) > max_chars:
                continue
            cost = sum(_cut_cost(tokens[c - 1], tokens[c]) for c in cuts) + _shape_cost(
                line_w, max_chars
            )
            cost += 8 * (n - n_min)
            if best is None or cost < best[0]:
                lines = ["".join(t for t, _ in tokens[a:b]) for a, b in zip(bounds, bounds[1:])]
                best = (cost, lines)
    if best is not None:
        return best[1]
    lines, cur, cur_w = [], "", 0.0
    for (tok, _), w in zip(tokens, widths):
        if cur and cur_w + w > max_chars:
            lines.append(cur)
            cur, cur_w = "", 0.0
        while w > max_chars:  # a single piece wider than a line
            lines.append(tok[:max_chars])
            tok, w = tok[max_chars:], text_width(tok[max_chars:])
        cur, cur_w = cur + tok, cur_w + w
    if cur:
        lines.append(cur)
    return lines


# --------------------------------------------------------------------------- writing


def write_notice(
    notice: Notice, out: Union[str, Path], *, template: Union[str, Path, None] = None
) -> Path:
    """Write ``notice`` as a GB/T 9704 .docx at ``out`` (atomically) and return the path."""
    from wenming_xl.outputs.notices.layout import render_notice

    return render_notice(notice, out, template=template)


#: The documents (built in ``notice_kinds``), importable from here too.
_KINDS = (
    "publish_notice",
    "write_publish_notice",
    "bulletin_notice",
    "write_bulletin_notice",
    "notice_from_text",
    "rubric_table",
)


def __getattr__(name: str):
    """Give ``from wenming_xl.outputs.notices.notice import publish_notice`` (loaded lazily)."""
    if name == "notice_from_text":
        from wenming_xl.outputs.notices.draft import notice_from_text

        return notice_from_text
    if name in _KINDS:
        from wenming_xl.outputs.notices import kinds as notice_kinds

        return getattr(notice_kinds, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
