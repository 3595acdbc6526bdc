"""Text helpers shared by the readers and the parser: normalisation, Chinese numerals, dates.

Everything here is pure string work: NFKC (full-width digits and punctuation become
half-width), a small traditional→simplified map for the words rubrics use, Chinese
numerals (一 两 十二 二十 百, 〇), points like ``4分`` / ``-3分``, and dates written in
file and folder names (2022-05-03, 20220503, 2022.5.3, 2022年5月3日).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Optional

# Traditional characters seen in real rubrics and plans, mapped to simplified.
_TRAD = str.maketrans(
    "張處時註單際關廣與為們個來對總經業會發習職動學設備點數類項條間錄檔報圖片據舉層禮讓節慶難"
    "樣證實現傳風氣義愛國務黨團機構據礎鬥斷雙結"
    "說況於顯標題紅頭蓋計場記書冊視頻掃複聞體區縣級獎辦協組織員減達滿約餘內並載製稱範圍臺帳賬簽歷費強獲榮"
    "譽號誌願導規劃畫網絡覽優護醫衛應續屆週鐘議講談話課訓練評選準確認審驗頁輪種隊萬億後裡裏觀讀寫簡統參積"
    "極須麼幾攝貼檢測問調訪誠潔屬戶鄉鎮園揚樹齊響輔紀綜專無兒婦聯開將這過還進運遠適邊錢幣廳館陳壇執勵儀態"
    "兩",
    "张处时注单际关广与为们个来对总经业会发习职动学设备点数类项条间录档报图片据举层礼让节庆难"
    "样证实现传风气义爱国务党团机构据础斗断双结"
    "说况于显标题红头盖计场记书册视频扫复闻体区县级奖办协组织员减达满约余内并载制称范围台账账签历费强获荣"
    "誉号志愿导规划画网络览优护医卫应续届周钟议讲谈话课训练评选准确认审验页轮种队万亿后里里观读写简统参积"
    "极须么几摄贴检测问调访诚洁属户乡镇园扬树齐响辅纪综专无儿妇联开将这过还进运远适边钱币厅馆陈坛执励仪态"
    "两",
)

#: Any character `_TRAD` maps (a search is much cheaper than a translate that changes nothing).
_TRAD_RE = re.compile("[" + re.escape("".join(map(chr, _TRAD))) + "]")

#: Full-width ASCII forms and the ideographic space, and what NFKC makes of them.
_WIDE = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_WIDE["\u3000"] = " "
_WIDE_RE = re.compile("[\uff01-\uff5e\u3000]")

#: A character that `normalize` replaces or removes, besides what NFKC changes.
_CHANGED_RE = re.compile(
    "[\uff01-\uff5e\u3000\u200b\ufeff\xa0\r" + re.escape("".join(map(chr, _TRAD))) + "]"
)

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ο": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}

#: A run of Chinese numeral characters.
CN_NUM = "[〇零○一壹二两兩贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万]+"


def normalize(text: object) -> str:
    """NFKC-normalise, map traditional characters, drop zero-width spaces; keep newlines."""
    if text is None:
        return ""
    s = str(text)
    if s.isascii():  # NFKC and the maps below change no ASCII character
        return s.replace("\r\n", "\n").replace("\r", "\n") if "\r" in s else s
    if _CHANGED_RE.search(s) is None and unicodedata.is_normalized("NFKC", s):
        return s  # already clean: most cells, names and texts read twice
    s = _nfkc(s)
    s = s.replace("\u200b", "").replace("\ufeff", "").replace("\xa0", " ").replace("\u3000", " ")
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return s.translate(_TRAD) if _TRAD_RE.search(s) else s


def _nfkc(s: str) -> str:
    """``unicodedata.normalize("NFKC", s)``, cheaper for the usual Chinese text.

    Office text is mostly characters NFKC keeps, plus full-width punctuation and digits
    (（ ） ： １). Those are replaced first by what NFKC's own decomposition makes of
    them (one ASCII character each), which leaves NFKC's result unchanged, and the full
    NFKC pass is skipped when the text is then already normalised.
    """
    m = _WIDE_RE.search(s)
    while m is not None:
        c = m.group()
        s = s.replace(c, _WIDE[c])
        m = _WIDE_RE.search(s, m.start())
    return s if unicodedata.is_normalized("NFKC", s) else unicodedata.normalize("NFKC", s)


def normalize_all(texts: list[str]) -> list[str]:
    """`normalize` of each string, in one pass over them all.

    Every step of `normalize` works character by character, and NFKC never joins
    characters across a NUL (which no cell or file name holds), so the strings are
    normalised joined by NULs and split again: 20,000 ledger cells in one call.
    """
    joined = "\x00".join(texts)
    if not texts or joined.count("\x00") != len(texts) - 1:
        return [normalize(t) for t in texts]
    return normalize(joined).split("\x00")


def squash(text: object) -> str:
    """`normalize` and remove every kind of white space (for matching header words)."""
    return re.sub(r"\s+", "", normalize(text))


def cn_to_int(text: str) -> Optional[int]:
    """Convert a Chinese numeral (一, 两, 十二, 二十, 一百零五, 二〇二二) to an int; None if not one."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(ch in _CN_DIGITS for ch in text):  # digit by digit: 二〇二二
        if len(text) == 1:
            return _CN_DIGITS[text]
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def to_number(text: str) -> Optional[float]:
    """Arabic or Chinese number text → float (``"3"``, ``"0.5"``, ``"三"``, ``"十二"``)."""
    t = normalize(text).strip()
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        pass
    n = cn_to_int(t)
    return float(n) if n is not None else None


_POINTS_RE = re.compile(r"^\s*([+\-−－]?)\s*(\d+(?:\.\d+)?|" + CN_NUM + r")\s*分?\s*$")


def parse_points(value: object) -> Optional[float]:
    """Read a 分值 cell: ``4``, ``4分``, ``-3分``, ``４分``, ``0.5``; None when blank or not points."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = _POINTS_RE.match(normalize(value))
    if not m:
        return None
    n = to_number(m.group(2))
    if n is None:
        return None
    return -n if m.group(1) else n


_CAP_RE = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]|(\d+(?:\.\d+)?)\s*分\s*$")


def find_cap(text: str) -> Optional[float]:
    """The cap written in a category's text: 「一、…（44分）」 or 「学习教育30分」."""
    m = _CAP_RE.search(squash(text))
    if not m:
        return None
    return float(m.group(1) or m.group(2))


_DATE_RES = [
    re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-_./]\s*(\d{1,2})\s*[-_./]\s*(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"),
]

#: What every pattern of `_DATE_RES` needs: no match here, no date (a cheap first test).
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
_SPACES_RE = re.compile(r"[\s_]+")


def cn_date(day: _dt.date) -> str:
    """2022-05-03 → 「2022年5月3日」, as dates are written in notices, mails and kits."""
    return f"{day.year}年{day.month}月{day.day}日"


def find_date(text: str) -> Optional[_dt.date]:
    """The first valid date written in a name: 2022-05-03, 20220503, 2022.5.3, 2022年5月3日."""
    s = normalize(text)
    if not _YEAR_RE.search(s):
        return None
    for rx in _DATE_RES:
        for m in rx.finditer(s):
            try:
                return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def strip_date(text: str) -> str:
    """The name with its date removed, white space tidied (the annotation words of a folder)."""
    s = normalize(text)
    for rx in _DATE_RES if _YEAR_RE.search(s) else ():
        m = rx.search(s)
        if m and find_date(m.group(0)):
            s = rx.sub(" ", s, count=1)
    return _SPACES_RE.sub(" ", s).strip(" -_")


def one_line(value: object) -> str:
    """Cell text as one clean line: lines joined, spaces between Chinese characters removed.

    「一、\\n强化理想\\n信念教育」 → 「一、强化理想信念教育」; spaces between ASCII words stay.
    """
    s = "" if value is None else str(value)
    s = s.replace("\u3000", " ").replace("\xa0", " ").replace("\r", "\n")
    out = ""
    for part in (ln.strip() for ln in s.split("\n")):
        if not part:
            continue
        if out and out[-1].isascii() and part[0].isascii():
            out += " "
        out += part
    out = re.sub(r"(?<=[^\x00-\x7f])[ \t]+(?=[^\x00-\x7f])", "", out)
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def cell_lines(value: object) -> str:
    """Cell text with its lines kept, each stripped, blank lines dropped."""
    s = "" if value is None else str(value).replace("\r", "\n")
    return "\n".join(ln.strip() for ln in s.split("\n") if ln.strip())


_OUTLINE_RE = re.compile(
    r"^\s*(?:第\s*)?([0-9０-９]{1,3})\s*(?:[.．、,，:：)）]|项)(?![0-9０-９])\s*"
    r"|^\s*[(（]\s*([0-9０-９]{1,3})\s*[)）]\s*"
)


def outline_number(line: str) -> tuple[Optional[int], str]:
    """A leading outline number (「12.」「３、」「(2)」「第3项」) and the rest of the line."""
    m = _OUTLINE_RE.match(line)
    if not m:
        return None, line
    return int(normalize(m.group(1) or m.group(2))), line[m.end() :]


def split_numbered(text: object) -> list[tuple[Optional[int], str]]:
    """Split a cell into its numbered parts (1. … 2. …); unnumbered lines join the part above.

    A text not starting with a number is one part numbered None. Numbers must count up by
    one, so a line starting 「2021年」 or a stray 「5.」 inside a part starts nothing new.
    """
    lines = cell_lines(text).split("\n")
    if not lines[0]:
        return []
    if outline_number(lines[0])[0] is None:
        return [(None, "\n".join(lines))]
    parts: list[tuple[int, list[str]]] = []
    for line in lines:
        n, rest = outline_number(line)
        if n is not None and (not parts or n == parts[-1][0] + 1):
            parts.append((n, [rest.strip()]))
        else:
            parts[-1][1].append(line)
    return [(n, "\n".join(ls)) for n, ls in parts]


def natural_key(text: str) -> list[tuple[int, int, str]]:
    """Sort key ordering IMG_2 before IMG_10 (as Windows Explorer does), case-insensitive."""
    return [
        (0, int(t), "") if t.isdigit() else (1, 0, t.casefold()) for t in re.split(r"(\d+)", text)
    ]


#: A byte that was not UTF-8, kept by the OS layer as a surrogate escape.
_ESCAPE = re.compile("[\udc80-\udcff]")


def _decode_bytes(raw: bytes) -> str:
    """Name bytes as text: UTF-8, else GBK / GB18030 (Chinese Windows), else replacement marks."""
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


#: Where a name ends inside a message: spaces, path separators, Chinese and ASCII brackets
#: and punctuation. A backslash right after an escape is the ASCII second byte of a GBK pair.
_NAME_BREAKS = re.compile(
    "((?:[\\s/「」『』（）()：，、。；《》【】<>\"']|(?<![\udc80-\udcff])\\\\)+)"
)


def readable(text: str) -> str:
    """``text`` fit for people and for UTF-8 files: file names kept as OS bytes are decoded.

    A name that is GBK bytes (a zip made on Chinese Windows, unpacked on Linux or a NAS)
    reaches Python as a str with surrogate escapes (``\\udcc8…``, some GBK pairs even
    decoded as odd UTF-8 characters), which cannot be shown, nor written to a workbook, a
    JSON file or the SQLite cache. Each name in ``text`` that holds an escape is turned back
    into its bytes and decoded as UTF-8, else GBK / GB18030, else shown with replacement
    marks; text without escapes is returned as it is. This is display text only: a file is
    always opened by its original path.
    """
    if text.__class__ is not str:
        return text
    if _ESCAPE.search(text) is None:
        return _unmangle(text) if _BOX.search(text) else text
    parts = _NAME_BREAKS.split(text)
    for i in range(0, len(parts), 2):
        if _ESCAPE.search(parts[i]):
            parts[i] = _decode_bytes(parts[i].encode("utf-8", "surrogateescape"))
    return "".join(parts)


#: Box-drawing and block characters: no one names a file with them, but GBK lead bytes
#: read as code page 437 become them (「▓─┴╧」 is 「材料」).
_BOX = re.compile("[\u2500-\u259f]")
_CJK = re.compile("[\u4e00-\u9fff]")


def _unmangle(text: str) -> str:
    """Names that an unzip tool turned from GBK bytes into code page 437 text, decoded back.

    Info-ZIP's ``unzip`` (on Linux and many NAS) reads a Windows zip's names as CP437 and
    writes them as UTF-8: valid, but unreadable. A name whose CP437 bytes decode as GBK
    into Chinese is shown as that; anything else is left as it is.
    """
    parts = _NAME_BREAKS.split(text)
    for i in range(0, len(parts), 2):
        if _BOX.search(parts[i]):
            try:
                raw = parts[i].encode("cp437")
                back = raw.decode("gb18030")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if _CJK.search(back):
                parts[i] = back
    return "".join(parts)


def display_name(name: str) -> str:
    """A file name fit for messages: a name stored as GBK bytes is decoded, not left garbled."""
    return readable(name)


_SKIP_NAMES = {"thumbs.db", ".ds_store", "desktop.ini", "__macosx", "$recycle.bin"}
_SKIP_NAMES |= {"system volume information", ".git", ".svn"}
#: wenming's own history / scan-cache file (and SQLite's side files), when the workbook
#: sits inside the evidence folder.
_SKIP_NAMES |= {f"wenming.sqlite{x}" for x in ("", "-journal", "-wal", "-shm")}


def skipped(name: str) -> bool:
    """Lock, system and hidden files nobody meant as evidence (~$x.docx, .~x, Thumbs.db, ._x)."""
    return name.lower() in _SKIP_NAMES or name.startswith(("~$", ".~", "."))
