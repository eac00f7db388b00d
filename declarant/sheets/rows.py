"""From the sheets' rows to records: the form's values of each cell, the goods weights by item.

Pure functions over the reader's rows; nothing here talks to the gateway or the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from declarant.sheets.cells import CellError, blank, field_value, param_code, plain_text
from declarant.sheets.columns import BACKFILLED, GOODS_BY_COLUMN, RECORD_BY_KEY
from declarant.sheets.reader import Row, Table
from declarant.sheets.result import Problem, Severity
from store import validators
from store.catalogue import BY_KEY, GOODS_BY_KEY, RECORD_FIELDS, Kind, Type
from store.catalogue import field as catalogue_field
from store.record import RecordData
from store.rules import GOODS_KEY, Violation
from store.text import code_text
from store.validators import FieldError

NUMBER_KEY = "import_decl_no"


@dataclass(slots=True)
class GoodsLine:
    """One row of the goods sheet: the item's 序号 and what it sets (weight, 工业品)."""

    row: Row
    seq: int | None
    values: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class RecordLine:
    """One row of the records sheet as the form would hold it, with the cells it could not read."""

    row: Row
    number: str | None  # the checked 进口报关单号, None when missing or malformed
    values: dict[str, object] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    goods: list[GoodsLine] = field(default_factory=list)

    @property
    def raw_number(self) -> str:
        return plain_text(self.row.value(NUMBER_KEY)).strip()


def problem(
    row: Row, key: str, message: str, severity: Severity = Severity.REFUSED, *, header: str = ""
) -> Problem:
    """A Problem at the cell of column `key` in `row` (or the row, if the sheet lacks it)."""
    cell = row.cells.get(key)
    if cell is not None:
        return Problem(
            row.sheet, row.number, cell.column, cell.header, cell.text, message, severity
        )
    name = header or _title(key)
    return Problem(row.sheet, row.number, "", name, "", message, severity)


def _title(key: str) -> str:
    if key in RECORD_BY_KEY:
        return RECORD_BY_KEY[key].header
    if key in BY_KEY or key in GOODS_BY_KEY:
        return catalogue_field(key).title
    return "商品信息" if key == GOODS_KEY else key


def _number(row: Row) -> tuple[str | None, str | None]:
    """(the checked 进口报关单号, why not)."""
    value = row.value(NUMBER_KEY)
    if blank(value):
        return None, "进口报关单号为必填项"
    try:
        text = field_value(RECORD_BY_KEY[NUMBER_KEY].spec, value)  # type: ignore[arg-type]
        return validators.import_declaration(str(text)), None
    except (CellError, FieldError) as error:
        return None, error.message


def record_line(row: Row) -> RecordLine:
    number, why = _number(row)
    line = RecordLine(row, number)
    if why is not None:
        line.problems.append(problem(row, NUMBER_KEY, why))
    for key in row.cells:
        spec = RECORD_BY_KEY[key].spec
        if key == NUMBER_KEY or spec is None:
            continue
        try:
            line.values[key] = field_value(spec, row.value(key))
        except CellError as error:
            line.problems.append(problem(row, key, error.message))
    return line


def goods_lines(table: Table | None) -> tuple[dict[str, list[GoodsLine]], list[Problem]]:
    """The goods sheet's rows by 进口报关单号; rows whose number cannot be read are problems."""
    by_number: dict[str, list[GoodsLine]] = {}
    problems: list[Problem] = []
    if table is None:
        return by_number, problems
    for row in table.rows:
        number, why = _number(row)
        if number is None:
            problems.append(problem(row, NUMBER_KEY, f"{why}（该行重量未使用）", Severity.NOTE))
            continue
        by_number.setdefault(number, []).append(_goods_line(row))
    return by_number, problems


def _goods_line(row: Row) -> GoodsLine:
    seq_text = code_text(plain_text(row.value("seq")))
    seq = int(seq_text) if seq_text.isdigit() and int(seq_text) > 0 else None
    line = GoodsLine(row, seq)
    weight = row.value("weight")
    if not blank(weight):
        line.values["weight"] = field_value(GOODS_BY_KEY["weight"], weight)
    industrial = row.value("industrial")
    if not blank(industrial):
        line.values["industrial"] = param_code(GOODS_BY_KEY["industrial"], plain_text(industrial))
    return line


def goods_problems(line: RecordLine, known_seqs: set[int] | None) -> list[Problem]:
    """The goods lines of a record that name no item: a 序号 missing, repeated or not declared."""
    found: list[Problem] = []
    seen: set[int] = set()
    for goods in line.goods:
        header = GOODS_BY_COLUMN["seq"].header
        if goods.seq is None:
            found.append(problem(goods.row, "seq", "序号应为从1起的整数", header=header))
        elif goods.seq in seen:
            found.append(problem(goods.row, "seq", f"序号{goods.seq}重复", header=header))
        elif known_seqs is not None and goods.seq not in known_seqs:
            count = len(known_seqs)
            found.append(
                problem(
                    goods.row,
                    "seq",
                    f"进口报关单{line.number}没有第{goods.seq}项商品（共{count}项）",
                    header=header,
                )
            )
        if goods.seq is not None:
            seen.add(goods.seq)
    return found


def apply_typed(record: RecordData, line: RecordLine) -> RecordData:
    """`record` with every typed field the sheet has a column for set from it (blank clears it,
    except the backfilled 收货人所在地 and 关区, which a blank leaves as the declaration gave)."""
    updates: dict[str, object] = {}
    for spec in RECORD_FIELDS:
        if spec.kind == Kind.GREY or spec.key == NUMBER_KEY or spec.key not in line.row.cells:
            continue
        value = line.values.get(spec.key)
        empty = value is None or value == []
        if spec.key in BACKFILLED and empty:
            continue
        updates[spec.key] = [] if spec.type == Type.MULTI and value is None else value
    return record.model_copy(update=updates)


def apply_goods(record: RecordData, line: RecordLine) -> RecordData:
    """The goods sheet's weight and 工业品 on the record's rows of the same 序号."""
    by_seq = {g.seq: g.values for g in line.goods if g.seq is not None}
    goods = [row.model_copy(update=by_seq.get(row.seq, {})) for row in record.goods]
    return record.model_copy(update={"goods": goods})


def violation_problem(line: RecordLine, violation: Violation, severity: Severity) -> Problem:
    """A rule's violation at the cell it is about: the goods sheet's for an item's weight or
    工业品, the records sheet's otherwise."""
    if violation.goods_seq is not None:
        for goods in line.goods:
            if goods.seq == violation.goods_seq and violation.field in goods.row.cells:
                return problem(goods.row, violation.field, violation.message, severity)
        return problem(line.row, violation.field, violation.message, severity, header="商品信息")
    return problem(line.row, violation.field, violation.message, severity)
