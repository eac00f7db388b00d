"""What a format reader hands the builder: raw texts by `table.Source.target`, before any code is
turned into today's (`codes.normalize`) and any rule is checked (`reader`)."""

from __future__ import annotations

from dataclasses import dataclass


class Problem(Exception):
    """A format reader's refusal, in Chinese, without the file's name (the reader adds it)."""

    def __init__(self, problem: str, number: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.number = number  # the 海关编号 the file holds, when it was read before the refusal


@dataclass(slots=True)
class Extracted:
    head: dict[str, object]  # target -> text (or a spreadsheet's date/number value)
    goods: list[dict[str, object]]  # one dict per item, in the file's order
    direction: str  # "I", "E" or "" when the file does not say
    kind: str  # the file kind as the operator reads it, e.g. "报关单报文XML 4.8"
