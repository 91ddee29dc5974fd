"""What reading an upload gives back: a `ParsedUpload`, and each `Problem` it found.

`Refused` is how a reader stops at a file that cannot be read at all (the problems are then
file-level, with no row); `cxroi.ingest.read_upload` turns it into a `ParsedUpload` without rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = ["Problem", "ParsedUpload", "Refused", "MAX_PROBLEMS", "QUOTE_CHARACTERS", "shown"]

MAX_PROBLEMS = 200
"""At most this many problems are listed; a last one says how many more there are."""
QUOTE_CHARACTERS = 80
"""At most this many characters of a cell are quoted in a problem."""
_QUOTED = re.compile(r"'(?:[^'\\]|\\.){%d,}'|\"(?:[^\"\\]|\\.){%d,}\""
                     % (QUOTE_CHARACTERS + 1, QUOTE_CHARACTERS + 1))


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


def _shorten(match: re.Match[str]) -> str:
    quoted = match[0]
    return f"{quoted[:QUOTE_CHARACTERS + 1]}...{quoted[0]}"


def shown(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    """The problems as reported: the first `MAX_PROBLEMS`, then ``... and N more problems``;
    a cell quoted in one is cut to `QUOTE_CHARACTERS` characters.

    >>> [str(p) for p in shown([Problem(2, "metric", f"bad (got {'x' * 100!r})")])]
    ["row 2, column metric: bad (got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')"]
    >>> [str(p) for p in shown([Problem(n, None, "bad") for n in range(203)])][-1]
    '... and 3 more problems'
    """
    kept = [p if len(p.message) <= QUOTE_CHARACTERS or not _QUOTED.search(p.message)
            else Problem(p.row, p.column, _QUOTED.sub(_shorten, p.message))
            for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        kept.append(Problem(None, None, f"... and {more:,} more problem{'s' if more > 1 else ''}"))
    return tuple(kept)


class Refused(Exception):
    """Raised inside the readers: the file cannot be read at all (file-level problems)."""

    def __init__(self, *problems: Problem | str, sheets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.problems = [p if isinstance(p, Problem) else Problem(None, None, p) for p in problems]
        self.sheets = sheets
