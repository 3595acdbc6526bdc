"""Package surgery on an .xlsx: change a few parts, copy every other part byte for byte.

An .xlsx is a zip of XML parts. To add columns and sheets without losing anything the
original holds (images, comments, charts, VBA, extensions openpyxl does not know), this
module rewrites only the parts it must — one worksheet, ``styles.xml``, ``workbook.xml``,
its relationships and ``[Content_Types].xml`` — with small textual edits that keep every
byte around them, and copies all other zip entries *still compressed*. New text goes in
as inline strings, so ``sharedStrings.xml`` is never rewritten. Small parts are parsed
with defusedxml (no DTDs, no entities) to learn their structure; the worksheet is edited
row by row without building a tree, and large parts (a 20,000-row ledger) are never even
decompressed. Anything unexpected raises `PackageError`; the caller then falls back.
"""

from __future__ import annotations

import posixpath
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Optional, Union

from defusedxml import ElementTree as SafeET

from wenming_xl.files.zips import open_zip
from wenming_xl.outputs.workbooks.cells import col_letter, col_number, xml_attr, xml_text
from wenming_xl.outputs.workbooks.sheetxml import (
    MAIN_NS,
    REL_NS,
    PackageError,
    StyleBook,
    attrs_of,
    insert_before_close,
    part_text,
    prefix_of,
    string_item_text,
)

__all__ = ["PackageError", "SheetRef", "XlsxPackage"]

WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_REL = _OD + "/worksheet"
STYLES_REL = _OD + "/styles"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_LIMIT = 0xFFFFFFFF


@dataclass
class SheetRef:
    """A worksheet of the workbook: its name, position, ids and zip part."""

    name: str
    index: int
    sheet_id: int
    rid: str
    part: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(data: bytes, part: str) -> Any:
    """Parse a small XML part safely (DTDs and entities refused)."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden…
        raise PackageError(f"{part}: {exc}") from exc


# --------------------------------------------------------------------------- the package


class XlsxPackage:
    """An .xlsx opened for surgery: read parts, replace some, add sheets, save a copy."""

    def __init__(self, source: Union[Path, BinaryIO]):
        self.source = source
        self._zip = open_zip(source)
        self._infos = self._zip.infolist()
        self._names = {i.filename.lower(): i.filename for i in self._infos}
        self._new: dict[str, bytes] = {}
        self._replaced: dict[str, bytes] = {}
        self._defined: list[tuple[int, str, str]] = []
        self._added: list[tuple[SheetRef, str]] = []
        self._print_cols: dict[int, int] = {}
        self._shared: Optional[bytes] = None
        self._styles: Optional[StyleBook] = None

    @classmethod
    def open(cls, source: Union[Path, BinaryIO]) -> XlsxPackage:
        """Open a workbook file or binary stream (``zipfile.BadZipFile``, ``OSError`` propagate)."""
        pkg = cls(source)
        try:
            if len(pkg._infos) > 60000 or any(
                max(i.file_size, i.compress_size, i.header_offset) >= _LIMIT for i in pkg._infos
            ):
                raise PackageError("zip64 packages are not copied by surgery")
            pkg._load()
        except BaseException:
            pkg.close()
            raise
        return pkg

    def close(self) -> None:
        """Close the source zip."""
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def _load(self) -> None:
        self.ct_part = self._names.get("[content_types].xml", "")
        if not self.ct_part or not self.has("_rels/.rels"):
            raise PackageError("not an OPC package")
        root_rels = _parse(self.read("_rels/.rels"), "_rels/.rels")
        target = next(
            (
                r.get("Target")
                for r in root_rels
                if r.get("Type", "").endswith("/officeDocument")
                and r.get("TargetMode") != "External"
            ),
            None,
        )
        if not target:
            raise PackageError("no officeDocument relationship")
        self.wb_part = self._resolve("", target)
        self.wb_dir = posixpath.dirname(self.wb_part)
        base = posixpath.basename(self.wb_part)
        self.wb_rels_part = self._resolve(self.wb_dir, f"_rels/{base}.rels")
        self.wb_text = part_text(self.read(self.wb_part), self.wb_part)
        self.rels_text = part_text(self.read(self.wb_rels_part), self.wb_rels_part)
        self.ct_text = part_text(self.read(self.ct_part), self.ct_part)
        wb = _parse(self.wb_text.encode("utf-8"), self.wb_part)
        #: The workbook's SpreadsheetML namespace: transitional, or Strict OOXML's.
        self.main_ns = wb.tag[1:].split("}")[0] if wb.tag.startswith("{") else MAIN_NS
        self._rels = {r.get("Id"): r for r in _parse(self.rels_text.encode("utf-8"), "rels")}
        self.rel_ns = _OD
        self.sheets: list[SheetRef] = []
        for el in wb.iter():
            if _local(el.tag) != "sheet":
                continue
            key = next((k for k in el.attrib if k.startswith("{") and _local(k) == "id"), "")
            rel = self._rels.get(el.attrib.get(key))
            if rel is None:
                raise PackageError(f"sheet {el.get('name')!r} has no relationship")
            self.rel_ns = key[1:].split("}")[0]
            part = self._resolve(self.wb_dir, rel.get("Target", ""))
            sid = int(el.get("sheetId", "0"))
            self.sheets.append(
                SheetRef(el.get("name", ""), len(self.sheets), sid, rel.get("Id"), part)
            )
        if not self.sheets:
            raise PackageError("workbook has no sheets")
        self.sheet_rel_type = self._rels[self.sheets[0].rid].get("Type") or WORKSHEET_REL
        self.styles_part = next(
            (
                self._resolve(self.wb_dir, r.get("Target", ""))
                for r in self._rels.values()
                if r.get("Type", "").endswith("/styles")
            ),
            None,
        )
        self.main_type = ""
        for el in _parse(self.ct_text.encode("utf-8"), "content types"):
            if el.get("PartName", "").lstrip("/").lower() == self.wb_part.lower():
                self.main_type = el.get("ContentType", "")

    def _resolve(self, base: str, target: str) -> str:
        name = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(base, target))
        )
        return self._names.get(name.lower(), name)

    # ------------------------------------------------------------------ reading

    def has(self, part: str) -> bool:
        """True when the package holds ``part`` (case-insensitive, as OPC says)."""
        return part.lower() in self._names

    def read(self, part: str) -> bytes:
        """The (uncompressed) bytes of a part, as last replaced or as in the source."""
        name = self._names.get(part.lower(), part)
        for store in (self._replaced, self._new):
            if name in store:
                return store[name]
        if self._zip is None:
            raise PackageError("package closed")
        return self._zip.read(name)

    def sheet(self, name: str) -> Optional[SheetRef]:
        """The sheet of that name (exact, then ignoring case and outer spaces), or None."""
        exact = next((r for r in self.sheets if r.name == name), None)
        low = name.strip().lower()
        return exact or next((r for r in self.sheets if r.name.strip().lower() == low), None)

    def shared_texts(self, indexes: set[int]) -> dict[int, str]:
        """The texts of the sharedStrings entries at ``indexes`` (the table is never parsed)."""
        if self._shared is None:
            part = next(
                (
                    self._resolve(self.wb_dir, r.get("Target", ""))
                    for r in self._rels.values()
                    if r is not None and r.get("Type", "").endswith("/sharedStrings")
                ),
                None,
            )
            self._shared = self.read(part) if part and self.has(part) else b""
        found: dict[int, str] = {}
        if not indexes:
            return found
        last = max(indexes)
        items = re.finditer(rb"<((?:\w+:)?)si\b[^>]*?(?:/>|>(.*?)</\1si\s*>)", self._shared, re.S)
        for i, m in enumerate(items):
            if i in indexes:
                found[i] = string_item_text((m.group(2) or b"").decode("utf-8", "replace"))
            if i >= last:
                break
        return found

    @property
    def styles(self) -> StyleBook:
        """The workbook's styles, ready to take new fonts, fills, borders and cell formats."""
        if self._styles is None:
            if self.styles_part and self.has(self.styles_part):
                text = part_text(self.read(self.styles_part), self.styles_part)
                _parse(text.encode("utf-8"), self.styles_part)
                self._styles = StyleBook(text)
            else:
                self._styles = StyleBook(StyleBook.MINIMAL)
        return self._styles

    # ------------------------------------------------------------------ changing

    def replace(self, part: str, data: bytes) -> None:
        """Give a part new content (compressed anew; all other parts are copied raw)."""
        name = self._names.get(part.lower(), part)
        (self._new if name in self._new else self._replaced)[name] = data

    def _add_part(self, folder: str, stem: str, data: bytes) -> str:
        n = 1
        while self.has(posixpath.join(self.wb_dir, folder, f"{stem}{n}.xml")):
            n += 1
        part = posixpath.join(self.wb_dir, folder, f"{stem}{n}.xml")
        self._new[part] = data
        self._names[part.lower()] = part
        return part

    def _new_rid(self) -> str:
        n = 1
        while f"rIdWm{n}" in self._rels:
            n += 1
        self._rels[f"rIdWm{n}"] = None
        return f"rIdWm{n}"

    def own_namespaces(self, xml: bytes) -> bytes:
        """New part XML (written in the transitional namespaces) in the workbook's own.

        A Strict OOXML workbook (``http://purl.oclc.org/ooxml/…``) must not gain parts in
        the transitional namespaces: Excel then calls the file damaged.
        """
        if self.main_ns == MAIN_NS and self.rel_ns == REL_NS:
            return xml
        text = xml.decode("utf-8")
        text = text.replace(f'"{MAIN_NS}"', f'"{self.main_ns}"')
        return text.replace(f'"{REL_NS}"', f'"{self.rel_ns}"').encode("utf-8")

    def add_sheet(self, name: str, xml: bytes) -> SheetRef:
        """Append a new worksheet (its XML given) at the end of the workbook."""
        part = self._add_part("worksheets", "sheet", self.own_namespaces(xml))
        sid = max(s.sheet_id for s in self.sheets) + 1
        ref = SheetRef(name, len(self.sheets), sid, self._new_rid(), part)
        self.sheets.append(ref)
        self._added.append((ref, posixpath.relpath(part, self.wb_dir or ".")))
        return ref

    def extend_print_area(self, sheet: SheetRef, last_col: int) -> None:
        """Widen the sheet's print area (a single range) to reach column ``last_col``."""
        self._print_cols[sheet.index] = last_col

    def define_name(self, sheet: SheetRef, name: str, value: str) -> None:
        """Set a sheet-local defined name (``_xlnm._FilterDatabase``…), replacing an older one."""
        self._defined.append((sheet.index, name, value))

    # ------------------------------------------------------------------ saving

    def _render_workbook(self) -> None:
        wb = self.wb_text
        if self._added:
            root = re.search(r"<(?![?!])[^>]*>", wb)
            if root is None:
                raise PackageError("workbook.xml has no root element")
            m = re.search(r"xmlns:(\w+)\s*=\s*\"" + re.escape(self.rel_ns) + '"', root.group(0))
            if m:
                rp = m.group(1)
            else:  # declared on each <sheet> (openpyxl): declare it once on the root
                rp = "wmr" if re.search(r"xmlns:r\s*=", root.group(0)) else "r"
                at = root.end() - 1
                wb = f'{wb[:at]} xmlns:{rp}="{self.rel_ns}"{wb[at:]}'
            p = prefix_of(wb, "sheets")
            sheets = "".join(
                f'<{p}sheet name="{xml_attr(r.name)}" sheetId="{r.sheet_id}" {rp}:id="{r.rid}"/>'
                for r, _ in self._added
            )
            wb = insert_before_close(wb, "sheets", sheets, self.wb_part)
            rels = "".join(
                f'<Relationship Id="{r.rid}" Type="{xml_attr(self.sheet_rel_type)}" Target="{xml_attr(t)}"/>'
                for r, t in self._added
            )
            self.rels_text = insert_before_close(self.rels_text, "Relationships", rels, "rels")
            ct = "".join(
                f'<Override PartName="/{xml_attr(r.part)}" ContentType="{WORKSHEET_CT}"/>'
                for r, _ in self._added
            )
            self.ct_text = insert_before_close(self.ct_text, "Types", ct, self.ct_part)
        if self._defined:
            wb = self._render_defined_names(wb)
        for index, last_col in self._print_cols.items():
            wb = _extend_print_area(wb, index, last_col)
        self.replace(self.wb_part, wb.encode("utf-8"))

    def _render_defined_names(self, wb: str) -> str:
        mine = {(idx, name) for idx, name, _ in self._defined}

        def keep(m: re.Match[str]) -> str:
            a = attrs_of(m.group(0).split(">", 1)[0])
            sid = a.get("localSheetId", "")
            return "" if sid.isdigit() and (int(sid), a.get("name")) in mine else m.group(0)

        wb = re.sub(
            r"<(?:\w+:)?definedName\b[^>]*?(?:/>|>.*?</(?:\w+:)?definedName\s*>)",
            keep,
            wb,
            flags=re.S,
        )
        p = prefix_of(wb, "sheets")
        names = ""
        for idx, name, value in self._defined:
            hidden = ' hidden="1"' if name == "_xlnm._FilterDatabase" else ""
            names += f'<{p}definedName name="{name}" localSheetId="{idx}"{hidden}>{xml_text(value)}</{p}definedName>'
        if re.search(r"<(?:\w+:)?definedNames\b", wb):
            return insert_before_close(wb, "definedNames", names, self.wb_part)
        for after in ("externalReferences", "functionGroups", "sheets"):
            m = re.search(rf"</(?:\w+:)?{after}\s*>", wb)
            if m:
                return f"{wb[: m.end()]}<{p}definedNames>{names}</{p}definedNames>{wb[m.end() :]}"
        raise PackageError("workbook.xml has no </sheets>")

    def save(self, target: Path) -> None:
        """Write the package to ``target``, then check that no source part was lost or changed."""
        self._render_workbook()
        if self._styles is not None and self._styles.changed:
            if self.styles_part and self.has(self.styles_part):
                self.replace(self.styles_part, self._styles.render().encode("utf-8"))
            else:
                self.styles_part = self._add_part(
                    "", "styles", self.own_namespaces(self._styles.render().encode("utf-8"))
                )
                rel = posixpath.relpath(self.styles_part, self.wb_dir or ".")
                self.rels_text = insert_before_close(
                    self.rels_text,
                    "Relationships",
                    f'<Relationship Id="{self._new_rid()}" Type="{self.rel_ns}/styles"'
                    f' Target="{rel}"/>',
                    "rels",
                )
                self.ct_text = insert_before_close(
                    self.ct_text,
                    "Types",
                    f'<Override PartName="/{self.styles_part}" ContentType="{STYLES_CT}"/>',
                    self.ct_part,
                )
        self.replace(self.wb_rels_part, self.rels_text.encode("utf-8"))
        self.replace(self.ct_part, self.ct_text.encode("utf-8"))
        _write_zip(self, Path(target))
        with zipfile.ZipFile(target) as out:
            got = {i.filename: i.CRC for i in out.infolist()}
        for info in self._infos:
            if got.get(info.filename) is None:
                raise PackageError(f"part {info.filename} lost")
            if info.filename not in self._replaced and got[info.filename] != info.CRC:
                raise PackageError(f"part {info.filename} changed")


def _extend_print_area(wb: str, index: int, last_col: int) -> str:
    """Move the right edge of ``_xlnm.Print_Area`` of sheet ``index`` out to ``last_col``."""

    def widen(m: re.Match[str]) -> str:
        a = attrs_of(m.group(1))
        if a.get("name") != "_xlnm.Print_Area" or a.get("localSheetId") != str(index):
            return m.group(0)
        area = re.fullmatch(r"(.+!\$?[A-Z]+\$?\d+:\$?)([A-Z]+)(\$?\d+)", m.group(2).strip())
        if area is None or col_number(area.group(2)) >= last_col:
            return m.group(0)
        value = area.group(1) + col_letter(last_col) + area.group(3)
        return f"{m.group(1)}{value}{m.group(3)}"

    pattern = r"(<(?:\w+:)?definedName\b[^>]*>)([^<]*)(</(?:\w+:)?definedName\s*>)"
    return re.sub(pattern, widen, wb)


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time[:6]
    if y < 1980:
        y, mo, d, h, mi, s = 1980, 1, 1, 0, 0, 0
    return (y - 1980) << 9 | mo << 5 | d, h << 11 | mi << 5 | s // 2


def _write_zip(pkg: XlsxPackage, target: Path) -> None:
    """Write the zip: changed and new parts deflated, every other entry copied compressed."""
    central: list[bytes] = []
    now = _dos_time(time.localtime()[:6])

    def add(
        out: Any, name: bytes, info: Optional[zipfile.ZipInfo], data: bytes, crc: int, size: int
    ) -> None:
        offset = out.tell()
        if offset + len(data) >= _LIMIT:
            raise PackageError("package too large for surgery")
        if info is None:
            flags, method, dt, version, made, iattr, eattr = (
                (0 if name.isascii() else 0x800),
                8,
                now,
                20,
                20,
                0,
                0,
            )
        else:
            flags, method, dt = (
                info.flag_bits & ~0x08,
                info.compress_type,
                _dos_time(info.date_time),
            )
            version, made = (
                max(info.extract_version, 20),
                info.create_system << 8 | info.create_version,
            )
            iattr, eattr = info.internal_attr, info.external_attr & _LIMIT
        fields = (flags, method, dt[1], dt[0], crc, len(data), size, len(name))
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", version, *fields, 0) + name)
        out.write(data)
        central.append(
            struct.pack(
                "<4s6H3L5H2L", b"PK\x01\x02", made, version, *fields, 0, 0, 0, iattr, eattr, offset
            )
            + name
        )

    def deflate(out: Any, name: str, data: bytes) -> None:
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        add(
            out,
            name.encode("utf-8"),
            None,
            comp.compress(data) + comp.flush(),
            zlib.crc32(data),
            len(data),
        )

    own = isinstance(pkg.source, (str, Path))
    src: Any = open(pkg.source, "rb") if own else pkg.source  # noqa: SIM115
    try:
        with open(target, "wb") as out:
            for info in pkg._infos:
                if info.filename in pkg._replaced:
                    deflate(out, info.filename, pkg._replaced[info.filename])
                    continue
                src.seek(info.header_offset)
                head = src.read(30)
                if head[:4] != b"PK\x03\x04":
                    raise PackageError(f"bad local header for {info.filename}")
                src.seek(info.header_offset + 30 + sum(struct.unpack("<2H", head[26:30])))
                raw = info.filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
                add(out, raw, info, src.read(info.compress_size), info.CRC, info.file_size)
            for name, data in pkg._new.items():
                deflate(out, name, data)
            start, blob = out.tell(), b"".join(central)
            out.write(blob)
            out.write(
                struct.pack(
                    "<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(blob), start, 0
                )
            )
    finally:
        if own:
            src.close()
