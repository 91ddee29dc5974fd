"""What reading an upload gives back: a `ParsedUpload`, and each `Problem` it found.

`Refused` is how a reader stops at a file that cannot be read at all (the problems are then
file-level, with no row); `cxroi.ingest.read_upload` turns it into a `ParsedUpload` without rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Problem", "ParsedUpload", "Refused"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an upload: where (spreadsheet row, canonical column) and what.

    >>> str(Problem(3, "value", "must be 0 or more (got -3)"))
    'row 3, column value: must be 0 or more (got -3)'
    >>> str(Problem(None, None, "The file is empty."))
    'The file is empty.'
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column is not None:
            return f"row {self.row}, column {self.column}: {self.message}"
        if self.row is not None:
            return f"row {self.row}: {self.message}"
        if self.column is not None:
            return f"column {self.column}: {self.message}"
        return self.message


@dataclass(frozen=True, eq=False)
class ParsedUpload:
    """What `read_upload` found: canonical ``rows`` (empty if there is any problem) or problems."""

    kind: str
    file_name: str
    sha256: str
    rows: pd.DataFrame
    problems: tuple[Problem, ...] = ()
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there is no problem (and so every row can be stored)."""
        return not self.problems


class Refused(Exception):
    """Raised inside the readers: the file cannot be read at all (file-level problems)."""

    def __init__(self, *problems: Problem | str, sheets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.problems = [p if isinstance(p, Problem) else Problem(None, None, p) for p in problems]
        self.sheets = sheets
