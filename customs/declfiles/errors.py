"""The one error of reading a declaration file: the file's name and the problem, in Chinese."""

from __future__ import annotations

from pathlib import Path


class DeclarationFileError(Exception):
    """A file that cannot be a backfill source. `message`: what the operator reads, naming the file
    (its name, not the whole path: 80 columns) and the problem; `path`: the file; `number`: the
    海关编号 it holds when that was read before the refusal (an export declaration …), else ""."""

    def __init__(self, path: Path, problem: str, number: str = "") -> None:
        self.path = path
        self.problem = problem
        self.number = number
        self.message = f"文件“{path.name}”：{problem}"
        super().__init__(self.message)
