"""The unit profile: ``wenming.toml`` beside the workbook (or ``--config``), DESIGN §7a.

Missing keys get sensible defaults; the unit name falls back to the task table's title.
The SMTP password is never read from this file: it comes from the environment variable
``WENMING_SMTP_PASSWORD`` or a prompt.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wenming_xl.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib

CONFIG_NAME = "wenming.toml"
PASSWORD_ENV = "WENMING_SMTP_PASSWORD"


@dataclass
class UnitProfile:
    """Who issues the documents: names for the red header, 文号 prefix, 主送, 抄送, 印发."""

    name: str = ""
    mark: str = ""
    code: str = ""
    main_to: str = "各科室"
    cc: list[str] = field(default_factory=list)
    printer: str = ""
    #: The assessment period (「2022」, 「2022-01..2022-12」); blank: from the command line or month.
    period: str = ""

    def with_defaults(self, title: str | None = None) -> UnitProfile:
        """Fill blanks: the unit name from a table title (「绍兴市中医院2022年度…」), mark, printer."""
        name = self.name or unit_from_title(title) or "本单位"
        return UnitProfile(
            name=name,
            mark=self.mark or f"{name}文件",
            code=self.code,
            main_to=self.main_to or "各科室",
            cc=list(self.cc),
            printer=self.printer or f"{name}办公室",
            period=self.period,
        )


@dataclass
class SmtpSettings:
    """How to send mail. No ``user`` means no login (and no password prompt)."""

    host: str = ""
    port: int = 465
    tls: str = "ssl"  # "ssl" | "starttls" | "none"
    user: str = ""
    sender: str = ""
    rate_per_minute: int = 20
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass
class Contact:
    """A department's contact: head, email, cc addresses."""

    department: str
    head: str = ""
    email: str = ""
    cc: list[str] = field(default_factory=list)


@dataclass
class BinderSettings:
    """``[binder]``: the printed 迎检资料 (``wenming binder``)."""

    #: 保管期限 on each box's cover.
    retention: str = "长期"
    #: Photos on one A4 page: 1, 2 or 4.
    photos_per_page: int = 1
    #: Long side in pixels of a photo's print copy inside the Word file (originals untouched).
    photo_px: int = 1000
    #: Pages of one document shown as pictures; the rest are named, not shown.
    document_pages: int = 20
    #: Spine label width in mm (20/30/40/50); 0: chosen from each box's page count.
    spine_mm: int = 0


#: Fields the ``[pack] name`` template may use.
PACK_FIELDS = ("item", "seq", "date", "theme", "name", "kind")


@dataclass
class PackSettings:
    """``[pack]``: the upload pack for the online platform (``wenming pack``)."""

    #: File name template (without extension): {item} {seq} {date} {theme} {name} {kind}.
    name: str = "{item}-{seq:02d}-{date}-{theme}"
    #: Largest photo the platform takes, in KB (photos are scaled down under it).
    max_image_kb: int = 1024
    #: Largest file of any kind, in MB (a larger one is packed and reported).
    max_file_mb: int = 20


@dataclass
class Profile:
    """The whole ``wenming.toml``."""

    unit: UnitProfile = field(default_factory=UnitProfile)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    departments: dict[str, Contact] = field(default_factory=dict)
    path: str | None = None
    binder: BinderSettings = field(default_factory=BinderSettings)
    pack: PackSettings = field(default_factory=PackSettings)


_TITLE_UNIT = re.compile(
    r"^(.*?(?:医院|学校|中学|小学|大学|学院|局|委员会|中心|公司|办公室|社区|委|厅|所|馆|站|院))"
)


def unit_from_title(title: str | None) -> str | None:
    """Guess the unit name from a title such as 「绍兴市中医院2022年度文明单位创建…」."""
    if not title:
        return None
    t = re.sub(r"\s+", "", title)
    t = re.split(r"(?:19|20)\d{2}", t)[0] or t
    t = re.sub(r"^关于", "", t)
    m = _TITLE_UNIT.match(t)
    return m.group(1) if m else None


def _str_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[,，;；、\s]+", value) if v]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"{where} 应为文字或文字列表。")


def _positive(table: dict[str, Any], key: str, default: int, where: str) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where} {key} 应为不小于 0 的整数，现在是「{value}」。")
    return value


def parse_binder(table: Any, where: str) -> BinderSettings:
    """``[binder]`` checked: photos per page 1/2/4, spine 0/20/30/40/50 mm."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}：[binder] 必须是表（节）。")
    at = f"{where} [binder]"
    out = BinderSettings(
        retention=str(table.get("retention", table.get("保管期限", "长期")) or "长期"),
        photos_per_page=_positive(table, "photos_per_page", 1, at),
        photo_px=_positive(table, "photo_px", 1000, at),
        document_pages=_positive(table, "document_pages", 20, at),
        spine_mm=_positive(table, "spine_mm", 0, at),
    )
    if out.photos_per_page not in (1, 2, 4):
        raise ConfigError(f"{at} photos_per_page 只能是 1、2 或 4。")
    if out.spine_mm not in (0, 20, 30, 40, 50):
        raise ConfigError(f"{at} spine_mm 只能是 20、30、40、50（或 0：按页数自动选）。")
    if out.photo_px < 300:
        raise ConfigError(f"{at} photo_px 太小（至少 300 像素，建议 1000）。")
    return out


def check_pack_name(template: str, where: str = "[pack] name") -> str:
    """The file-name template, refused with a clear message when it names an unknown field."""
    import string

    try:
        fields = [f for _t, f, _s, _c in string.Formatter().parse(template) if f is not None]
        template.format(item="1", seq=1, date="20220101", theme="主题", name="IMG", kind="照片")
    except (ValueError, KeyError, IndexError) as exc:
        raise ConfigError(
            f"{where}「{template}」写法有误（{exc}）。",
            hint="可用的字段："
            + "、".join("{" + f + "}" for f in PACK_FIELDS)
            + '，例如 "{item}-{seq:02d}-{date}-{theme}"。',
        ) from exc
    if not fields:
        raise ConfigError(f"{where}「{template}」没有任何字段，所有文件会同名。",
                          hint="至少包含 {seq}，例如 \"{item}-{seq:02d}-{theme}\"。")  # fmt: skip
    return template


def parse_pack(table: Any, where: str) -> PackSettings:
    """``[pack]`` checked: a usable name template, positive limits."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}：[pack] 必须是表（节）。")
    at = f"{where} [pack]"
    name = check_pack_name(str(table.get("name", PackSettings.name)), f"{at} name")
    return PackSettings(
        name=name,
        max_image_kb=max(1, _positive(table, "max_image_kb", 1024, at)),
        max_file_mb=max(1, _positive(table, "max_file_mb", 20, at)),
    )


def parse_profile(data: dict[str, Any], path: str | None = None) -> Profile:
    """Build a `Profile` from parsed TOML data, checking types with clear messages."""
    where = path or CONFIG_NAME
    unit = data.get("unit", {}) or {}
    smtp = data.get("smtp", {}) or {}
    deps = data.get("departments", {}) or {}
    if not isinstance(unit, dict) or not isinstance(smtp, dict) or not isinstance(deps, dict):
        raise ConfigError(f"{where}：[unit]、[smtp]、[departments] 必须是表（节）。")
    if "password" in smtp:
        raise ConfigError(
            f"{where}：[smtp] 中不能写 password。",
            hint=f"密码或授权码请放在环境变量 {PASSWORD_ENV} 中，或运行时按提示输入。",
        )
    tls = str(smtp.get("tls", "ssl")).lower()
    if tls not in ("ssl", "starttls", "none"):
        raise ConfigError(
            f'{where}：[smtp] tls 只能是 "ssl"、"starttls" 或 "none"，现在是「{tls}」。'
        )
    try:
        port = int(smtp.get("port", 465 if tls == "ssl" else 587 if tls == "starttls" else 25))
        rate = int(smtp.get("rate_per_minute", 20))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}：[smtp] port 和 rate_per_minute 必须是整数。") from exc
    contacts: dict[str, Contact] = {}
    for name, val in deps.items():
        if isinstance(val, str):
            val = {"email": val}
        if not isinstance(val, dict):
            raise ConfigError(
                f'{where}：[departments] 中「{name}」应写成 {{ head = "…", email = "…" }}。'
            )
        contacts[str(name)] = Contact(
            department=str(name),
            head=str(val.get("head", "")),
            email=str(val.get("email", "")),
            cc=_str_list(val.get("cc"), f"{where} [departments] {name} cc"),
        )
    return Profile(
        unit=UnitProfile(
            name=str(unit.get("name", "")),
            mark=str(unit.get("mark", "")),
            code=str(unit.get("code", "")),
            main_to=str(unit.get("main_to", "各科室")),
            cc=_str_list(unit.get("cc"), f"{where} [unit] cc"),
            printer=str(unit.get("printer", "")),
            period=str(unit.get("period", "") or ""),
        ),
        smtp=SmtpSettings(
            host=str(smtp.get("host", "")),
            port=port,
            tls=tls,
            user=str(smtp.get("user", "")),
            sender=str(smtp.get("from", smtp.get("user", ""))),
            rate_per_minute=max(1, rate),
            timeout=float(smtp.get("timeout", 30)),
        ),
        departments=contacts,
        path=path,
        binder=parse_binder(data.get("binder", {}) or {}, where),
        pack=parse_pack(data.get("pack", {}) or {}, where),
    )


def load_profile(config: str | Path | None = None, workbook: str | Path | None = None) -> Profile:
    """Read ``config``, else ``wenming.toml`` beside ``workbook``, else return defaults."""
    path: Path | None = None
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"找不到配置文件：{path}", hint="用 wenming init 生成一个示例配置。")
    elif workbook is not None:
        cand = Path(workbook).resolve().parent / CONFIG_NAME
        path = cand if cand.is_file() else None
    if path is None:
        return Profile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path} 不是 UTF-8 编码。", hint="请用记事本“另存为”UTF-8 编码。"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        where, what, hint = toml_problem(str(exc), path.read_text(encoding="utf-8-sig"))
        raise ConfigError(
            f"{path} 格式有误：{where}{what}。",
            hint=f"{hint}请用记事本改好后保存，或对照 wenming init 生成的示例修改。",
        ) from exc
    return parse_profile(data, str(path))


#: tomllib's messages (their start) → what is wrong, and how Notepad users fix it.
_TOML_MESSAGES = [
    (
        "Invalid value",
        "这一项的值写法不对",
        '文字要加英文双引号，例如 name = "绍兴市中医院"；数字和 true/false 不加引号。',
    ),
    ("Unterminated string", "引号没有配对", '请检查这一项的文字两边是否都有英文双引号 "。'),
    (
        "Unescaped '\\'",
        "文字里有反斜杠 \\",
        "路径请写成 / 或把文字两边的双引号换成单引号，例如 'D:\\材料'。",
    ),
    (
        "Expected ']' at the end of a table",
        "方括号没有配对",
        "表头要写成 [unit] 这样，两边都有英文方括号。",
    ),
    (
        "Expected '=' after a key",
        "名称后面缺少等号",
        '每行写成 名称 = 值，名称里不要有空格，例如 code = "绍市中医"。',
    ),
    (
        "Expected newline or end of document",
        "一行里写了多项，或值后面多了文字",
        "每项单独一行；值后面的说明请用 # 开头。",
    ),
    ("Cannot overwrite a value", "同一项写了两次", "请删掉重复的那一行。"),
    ("Cannot declare", "同一个表头（如 [unit]）写了两次", "请把两处的内容合到一个表头下。"),
    ("Unclosed inline table", "花括号没有配对", "请检查 { } 是否成对。"),
    ("Unclosed array", "方括号没有配对", '列表要写成 ["甲", "乙"]，两边都有英文方括号。'),
    ("Invalid statement", "这一行看不懂", "每行写成 名称 = 值，或 [表头]，或以 # 开头的说明。"),
    (
        "Invalid initial character for a key",
        "名称的第一个字不对",
        "名称用英文字母开头，例如 name、code；中文名称请加双引号。",
    ),
]


def toml_problem(message: str, text: str) -> tuple[str, str, str]:
    """(where, what, hint) in Chinese for a tomllib error ``message`` on ``text``.

    「第2行第8列（name = 绍兴市中医院）」 from "(at line 2, column 8)"; the message itself
    from `_TOML_MESSAGES`, else a general 「写法不对」 (tomllib's English is never shown).
    """
    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if m:
        line_no = int(m.group(1))
        lines = text.splitlines()
        line = lines[line_no - 1].strip() if 0 < line_no <= len(lines) else ""
        where = f"第{line_no}行第{m.group(2)}列" + (f"（{line}）" if line else "") + "："
    elif "end of document" in message and message.startswith(("Un", "Expected ']'")):
        where = "文件末尾："  # something opened and never closed
    else:
        where = ""
    if m and any(c in line for c in "【】［］＝“”"):
        return (
            where,
            "用了中文（全角）符号",
            '方括号、等号和引号都要用英文半角：[unit]、=、"…"，不要用【】、＝、“”。',
        )
    for start, what, hint in _TOML_MESSAGES:
        if message.startswith(start):
            return where, what, hint
    return where, "写法不对", ""


#: Marks a value ``wenming init`` leaves for the unit to fill in; ``doctor`` flags it.
TO_FILL = "请填写"


def example_profile(unit_name: str | None = None) -> str:
    """The commented ``wenming.toml`` that ``wenming init`` writes.

    With ``unit_name`` (read from the task table's title) the unit's name and red-header
    mark are set to it, to be checked; everything else that names a unit or a mail
    account is commented out, as placeholders (「（请填写…）」) that ``doctor`` reports
    until they are filled in. Another unit's real details are never written as settings.
    """
    if unit_name:
        quoted = unit_name.replace("\\", "\\\\").replace('"', '\\"')
        unit = (
            f'name = "{quoted}"  # 发文机关署名：从任务表标题读出，请核对\n'
            f'mark = "{quoted}文件"  # 红头上的发文机关标志，请核对\n'
        )
    else:
        unit = (
            f'# name = "（{TO_FILL}本单位全称）"  # 发文机关署名；不写则从任务表标题推断\n'
            f'# mark = "（{TO_FILL}本单位全称）文件"  # 红头上的发文机关标志；不写则为「单位名称文件」\n'
        )
    return f"""\
# wenming.toml —— 本单位配置（放在任务分工表旁边，或用 --config 指定）
# 以 # 开头的行是说明；填好引号里的内容、删掉行首的 # 即可启用。
# 写着「{TO_FILL}」的值要改成本单位的；wenming doctor 会列出还没填写的项。

[unit]
{unit}# code = "（{TO_FILL}机关代字）"  # 发文字号前缀，如「X市X〔2022〕23号」中的「X市X」；不写则发文字号留空
main_to = "各科室"  # 主送机关
# cc = ["（{TO_FILL}抄送机关）"]  # 抄送
# printer = "（{TO_FILL}印发机关）"  # 印发机关；不写则为「单位名称办公室」
# period = "2022"  # 考核期间（如 "2022" 或 "2022-01..2022-12"）；不写时月度督查按 --month 所在年份

[smtp]  # 发督办邮件用；不填 host 则不能发送
# host = "（{TO_FILL}发件服务器，如 smtp.exmail.qq.com）"
# port = 465
# tls = "ssl"  # "ssl"、"starttls" 或 "none"
# user = "（{TO_FILL}登录邮箱）"  # 不写 user 则不登录
# from = "（{TO_FILL}发件邮箱）"
rate_per_minute = 20
# 密码或授权码不要写在这里：放在环境变量 {PASSWORD_ENV} 中，或运行时按提示输入。

[departments]  # 也可以在工作簿中建一张「通讯录」工作表：部门、负责人、邮箱、抄送
# "党建办" = {{ head = "（{TO_FILL}负责人）", email = "（{TO_FILL}邮箱）" }}
"""


def unfilled(profile: Profile) -> list[str]:
    """The settings of ``profile`` still holding a 「请填写」 placeholder (「[unit] name」…)."""
    unit, smtp = profile.unit, profile.smtp
    fields = [
        ("[unit] name", unit.name),
        ("[unit] mark", unit.mark),
        ("[unit] code", unit.code),
        ("[unit] printer", unit.printer),
        ("[unit] cc", "、".join(unit.cc)),
        ("[smtp] host", smtp.host),
        ("[smtp] user", smtp.user),
        ("[smtp] from", smtp.sender),
    ]
    out = [where for where, value in fields if TO_FILL in value]
    for name, contact in profile.departments.items():
        if TO_FILL in f"{name}{contact.head}{contact.email}{''.join(contact.cc)}":
            out.append(f"[departments] {name}")
    return out


#: A filled-in profile of a sample unit (the demo's and the tests'); never written by ``init``.
SAMPLE = """\
# wenming.toml —— 本单位配置（放在任务分工表旁边，或用 --config 指定）
# 以 # 开头的行是说明；删掉行首的 # 即可启用。

[unit]
name = "绍兴市中医院"                     # 发文机关署名；不写则从任务表标题推断
mark = "绍兴市中医院文件"                 # 红头上的发文机关标志
code = "绍市中医"                         # 发文字号前缀：绍市中医〔2022〕23号
main_to = "各科室"                        # 主送机关
cc = ["绍兴市中医院工会委员会"]           # 抄送
printer = "绍兴市中医院党政综合办公室"    # 印发机关
# period = "2022"                         # 考核期间（如 "2022" 或 "2022-01..2022-12"）；不写时月度督查按 --month 所在年份

[smtp]
host = "smtp.exmail.qq.com"
port = 465
tls = "ssl"                 # "ssl"、"starttls" 或 "none"
# user = "wmb@example.org"  # 不写 user 则不登录
from = "wmb@example.org"
rate_per_minute = 20
# 密码或授权码不要写在这里：放在环境变量 WENMING_SMTP_PASSWORD 中，或运行时按提示输入。

[binder]                    # wenming binder：迎检资料（打印装盒）
# retention = "长期"        # 封面上的保管期限
# photos_per_page = 1       # 每页照片数：1、2 或 4
# spine_mm = 0              # 盒脊宽度 20/30/40/50 毫米；0 按页数自动选

[pack]                      # wenming pack：平台上传包
# name = "{item}-{seq:02d}-{date}-{theme}"   # 文件命名：条目-序号-日期-主题（另有 {name} 原文件名、{kind} 类型）
# max_image_kb = 1024       # 每张图片不超过多少 KB（超过的缩小）
# max_file_mb = 20          # 每个文件不超过多少 MB（仍超过的照样打包并在报送清单中标出）

[departments]               # 也可以在工作簿中建一张「通讯录」工作表：部门、负责人、邮箱、抄送
# "党建办" = { head = "张三", email = "djb@example.org" }
# "工会" = { head = "李四", email = "gh@example.org", cc = ["ghfzr@example.org"] }
"""
