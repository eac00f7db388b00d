"""One file in, one `ImportDeclaration` out (or a Chinese refusal naming the file).

The kind is told by the first bytes: "PK" a spreadsheet (.xlsx is a zip), "<" XML, "{" or "[" JSON;
an old .xls (OLE) is named as such. A file above MAX_BYTES is refused before it is read whole.
The fields are read by the mapping table (`customs.declfiles.table`) and their codes turned into
today's (`codes.normalize`); each code kept as read is a note. An export declaration (IEFlag E, or
9th digit 0 of its 海关编号) and a file without a 海关编号 are refused: the backfill is of 进口报关单号.
A declaration holds at most MAX_GOODS goods items (项号 1–50): a file with more is refused before
anything is built from it. Any other error met while reading one file (a bug, a library's surprise)
is a `DeclarationFileError` too, naming the file: one odd file never stops a caller.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from customs.declfiles import json_format, xlsx_format, xml_format
from customs.declfiles.codes import Kind, normalize, parse_date
from customs.declfiles.errors import DeclarationFileError
from customs.declfiles.extracted import Extracted, Problem
from customs.declfiles.table import GOODS, HEADER, Source
from customs.wire import ImportDeclaration
from store import ids, validators
from store.catalogue import BY_KEY, GOODS_BY_KEY
from store.validators import FieldError

MAX_BYTES = (
    20 * 1024 * 1024
)  # a declaration is a few KB to a few hundred KB; this is no declaration
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
MAX_GOODS = 50  # a customs declaration's goods items: 项号 1 to 50

log = logging.getLogger(__name__)


class FiledImportDeclaration(ImportDeclaration):
    """An import declaration as a file holds it. The gateway's always has both dates (the wire
    model requires them); a message as sent has no 申报日期, so here they may be missing and the
    fields stay empty (customs.mapping takes None)."""

    declared_on: date | None = None  # type: ignore[assignment]
    arrived_on: date | None = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class FileDeclaration:
    """A declaration read from a file: what the backfill fills, where it came from, what was kept."""

    declaration: ImportDeclaration
    path: Path
    kind: str  # e.g. "报关单报文XML 4.8", "单一窗口报关单JSON", "报关单表格"
    notes: tuple[str, ...] = ()  # codes kept as read or turned from old ones (Chinese)

    @property
    def source(self) -> str:
        """Where the data came from, as the form's hint says it: the file's name and kind."""
        return f"{self.path.name}（{self.kind}）"


def read_declaration(path: Path) -> FileDeclaration:
    """Read `path`; `DeclarationFileError` (its `.message` in Chinese) when it cannot backfill."""
    path = Path(path)
    data = _read(path)
    try:
        extracted = _extract(data)
        return _build(path, extracted)
    except Problem as problem:
        raise DeclarationFileError(path, problem.problem, problem.number) from problem
    except Exception as error:  # one odd file must not stop the form or the index
        log.exception("reading declaration file %s", path)
        raise DeclarationFileError(
            path, f"无法读取，文件内容有误或格式不受支持（{type(error).__name__}）"
        ) from error


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DeclarationFileError(path, "是文件夹，不是文件")
        if size > MAX_BYTES:
            raise DeclarationFileError(
                path, f"文件过大（{size // 1024 // 1024} MB），不是报关单文件"
            )
        return path.read_bytes()
    except FileNotFoundError as error:
        raise DeclarationFileError(path, "文件不存在") from error
    except PermissionError as error:
        raise DeclarationFileError(path, "没有读取权限") from error
    except OSError as error:
        raise DeclarationFileError(path, f"无法读取（{error.strerror or error}）") from error


def _extract(data: bytes) -> Extracted:
    if data.startswith(b"PK"):
        return xlsx_format.extract(data)
    if data.startswith(OLE_MAGIC):
        raise Problem("是旧版Excel（.xls）文件，请在Excel中另存为 .xlsx 后再读取")
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return xml_format.extract(data)
    if start in (b"{", b"["):
        return json_format.extract(data)
    if not data.strip():
        raise Problem("文件是空的")
    raise Problem("不是报关单文件（可读取：单一窗口报文XML、报关单JSON、报关单样式的Excel .xlsx）")


def label(source: Source) -> str:
    """The manual's label of the field `source` fills (the catalogue's title)."""
    spec = GOODS_BY_KEY.get(source.record_key) if source in GOODS else None
    return (spec or BY_KEY[source.record_key]).title


def _build(path: Path, extracted: Extracted) -> FileDeclaration:
    notes: list[str] = []
    head = _values(HEADER, extracted.head, notes, "")
    number = str(head["number"])
    try:
        _check_import(extracted.direction, number)
        if len(extracted.goods) > MAX_GOODS:
            raise Problem(
                f"有{len(extracted.goods)}项商品，超过一份报关单最多的{MAX_GOODS}项，无法返填"
            )
    except Problem as problem:
        problem.number = number  # the index names this file when its number is asked for
        raise
    goods = []
    for index, row in enumerate(extracted.goods, start=1):
        values = _values(GOODS, row, notes, f"第{index}项")
        seq = str(values["seq"]) or str(index)
        if not seq.isdigit():
            raise Problem(f"第{index}项的项号“{seq}”不是数字")
        goods.append({**values, "seq": int(seq)})
    body: dict[str, object] = {}
    for target, value in head.items():
        owner, _, part = target.partition(".")
        if part:
            body.setdefault(owner, {})[part] = value  # type: ignore[index]
        else:
            body[target] = value
    try:
        declaration = FiledImportDeclaration.model_validate({**body, "goods": goods})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise Problem(f"内容不符合报关单格式（{where}）") from error
    return FileDeclaration(declaration, path, extracted.kind, tuple(notes))


def _values(
    sources: tuple[Source, ...], raw: dict[str, object], notes: list[str], where: str
) -> dict[str, object]:
    values: dict[str, object] = {}
    for source in sources:
        value = raw.get(source.target)
        if source.kind == Kind.DATE:
            try:
                values[source.target] = parse_date(value)
            except ValueError as error:
                raise Problem(f"{where}{label(source)}“{value}”不是日期") from error
            continue
        coded = normalize(source.kind, "" if value is None else str(value))
        values[source.target] = coded.value
        if coded.note:
            notes.append(f"{where}{label(source)}：{coded.note}")
    return values


def _check_import(direction: str, number: str) -> None:
    if direction.upper() == "E":
        raise Problem("是出口报关单（进出口标志为E），进口报关单号只能从进口报关单返填")
    if not number:
        raise Problem("没有海关编号（报关单尚未被海关接受，或不是报关单），无法返填进口报关单号")
    if ids.is_declaration_shape(number) and ids.declaration_direction(number) == "0":
        raise Problem(f"海关编号{number}第9位为0，是出口报关单，进口报关单号只能从进口报关单返填")
    try:
        validators.import_declaration(number)
    except FieldError as error:
        raise Problem(f"海关编号不能作为进口报关单号：{error.message}") from error


def entry_id(path: Path) -> str | None:
    """The 海关编号 a file holds when it is an import declaration this reader takes, else None."""
    try:
        return read_declaration(path).declaration.number
    except DeclarationFileError:
        return None


__all__ = ["MAX_BYTES", "MAX_GOODS", "FileDeclaration", "entry_id", "label", "read_declaration"]
