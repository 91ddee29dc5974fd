"""The cell rules applied to whole columns: a million cells judged at the cost of a few dozen.

`cxroi.ingest.cells` judges one cell; this module applies the same rules **in bulk**. A text
rule runs once per *distinct* value of a column (a million rows hold a few dozen periods) and
is mapped back to the rows with integer codes (`Text`); numbers are parsed by the CSV reader
when the column is plain, else with vectorised regular expressions (pyarrow compute) built
from the same patterns as `cxroi.ingest.cells.parse_number` (`Number`). Only rows with a
problem ever become Python objects, in `cxroi.ingest.validate`.

>>> from cxroi.models import parse_period
>>> periods = text_column(pd.Series(["2026Q1", "Q1 2026", "", "2026Q7"]), parse_period)
>>> periods.values, periods.codes.tolist()       # EMPTY is -2, BAD is -1
(['2026Q1'], [0, 0, -2, -1])
>>> values = number_column(pd.Series(["12,500", "4.2%", "n/a"]), False)
>>> values.values.tolist(), values.percent.tolist(), values.bad.tolist()
([12500.0, 4.2, 0.0], [False, True, False], [False, False, True])
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxroi.ingest.cells import (
    CURRENCY_PREFIX,
    CURRENCY_SUFFIX,
    NUMBER_BLANKS,
    NUMBER_COMMA_GROUPED,
    NUMBER_DOT_AMBIGUOUS,
    NUMBER_DOT_GROUPED,
    NUMBER_GROUP_SPACES,
    NUMBER_PLAIN,
    NUMBER_SPACE_GROUPED,
)
from cxroi.ingest.read import number_text
from cxroi.models import CxroiError

__all__ = ["EMPTY", "BAD", "Text", "Number", "text_column", "number_column", "coded_strings"]

EMPTY, BAD = -2, -1
"""The codes of a `Text` row that holds no value, and of one its rule refused."""


@dataclass
class Text:
    """A text column after its rule: per row, a code into ``values`` (or BAD / EMPTY)."""

    codes: np.ndarray          # int64 per row: >= 0 valid, BAD, EMPTY
    values: list[Any]          # canonical values, each once
    unique_of_row: np.ndarray  # int64 per row: index into ``messages``
    messages: list[str | None]
    same: pd.Series | None = None   # the cells themselves, when each already is its canonical text
    keep: np.ndarray | None = None

    def take(self, keep: np.ndarray) -> None:
        self.codes, self.unique_of_row, self.keep = self.codes[keep], self.unique_of_row[keep], keep

    def fill_empty(self, default: Any) -> None:
        """Empty cells take ``default`` (an optional column's value when not given)."""
        empty = self.codes == EMPTY
        if empty.any():
            if default not in self.values:
                self.values.append(default)
            self.codes = np.where(empty, self.values.index(default), self.codes)
            self.same = None

    def strings(self) -> pd.Series:
        """The canonical text of every row (valid rows only), as a ``str`` column."""
        if self.same is not None:
            same = self.same if self.keep is None else self.same[self.keep]
            return same.reset_index(drop=True)
        return coded_strings(self.values, self.codes)


@dataclass
class Number:
    """A number column: values, and per row whether empty / bad / a percentage."""

    values: np.ndarray
    empty: np.ndarray
    bad: np.ndarray
    percent: np.ndarray
    cells: Any = None          # the cells as read (for messages); None when read as numbers
    index: np.ndarray | None = None   # position of each row in ``cells``

    def take(self, keep: np.ndarray) -> None:
        if self.index is None:
            self.index = np.arange(len(self.values))
        self.values, self.empty = self.values[keep], self.empty[keep]
        self.bad, self.percent, self.index = self.bad[keep], self.percent[keep], self.index[keep]

    def text(self, position: int) -> str:
        """The cell as written (trimmed), for a message."""
        if self.cells is None:
            return number_text(float(self.values[position]))
        at = position if self.index is None else int(self.index[position])
        value = self.cells.iloc[at] if isinstance(self.cells, pd.Series) else self.cells[at]
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return ""
        return str(value).strip(NUMBER_BLANKS)


_CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""A C0 or C1 control character (NUL, ESC, tab...) inside a text cell is refused; a line break
(a multi-line cell) is not."""
_HIDDEN_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
"""The control characters trimming would not remove: refused at a cell's ends too."""


def text_column(cells: Any, rule: Callable[[Any], Any]) -> Text:
    codes, uniques = pd.factorize(pd.Series(cells, copy=False), use_na_sentinel=True)
    count = len(uniques)
    of_unique = np.full(count + 1, EMPTY, dtype=np.int64)   # code -1 (missing) -> the last slot
    messages: list[str | None] = [None] * (count + 1)
    values: list[Any] = []
    index: dict[Any, int] = {}
    for i, unique in enumerate(uniques):
        raw = str(unique)
        text = raw.strip()
        if not text:
            continue
        if _CONTROL.search(text) or _HIDDEN_CONTROL.search(raw):
            of_unique[i], messages[i] = BAD, "contains a control character"
            continue
        try:
            value = rule(text)
        except CxroiError as error:
            of_unique[i], messages[i] = BAD, str(error)
            continue
        if value not in index:
            index[value] = len(values)
            values.append(value)
        of_unique[i] = index[value]
    unique_of_row = np.where(codes < 0, count, codes).astype(np.int64, copy=False)
    text = Text(of_unique[unique_of_row], values, unique_of_row, messages)
    series = cells if isinstance(cells, pd.Series) else None
    if (series is not None and isinstance(series.dtype, pd.StringDtype) and (codes >= 0).all()
            and (of_unique[:count] >= 0).all()
            and all(values[of_unique[i]] == unique for i, unique in enumerate(uniques))):
        text.same = series          # reuse the column read: no copy of a million strings
    return text


def _match(strings: Any, pattern: str) -> Any:
    return pc.match_substring_regex(strings, f"^(?:{pattern})$")


def number_column(cells: Any, decimal_comma: bool) -> Number:
    """Numbers of a column in bulk, by the rules (and regular expressions) of `parse_number`."""
    if isinstance(cells, np.ndarray):                 # read as numbers already: the fast path
        values = cells.astype(np.float64, copy=False) + 0.0
        none = np.zeros(len(values), dtype=bool)
        return Number(values, none, ~np.isfinite(values), none)
    strings = pc.fill_null(pc.utf8_trim(pa.array(cells, type=pa.string(), from_pandas=True),
                                        NUMBER_BLANKS), "")
    n = len(strings)
    empty = _flags(pc.equal(strings, ""))
    values = np.zeros(n, dtype=np.float64)
    ok = np.zeros(n, dtype=bool)
    percent = np.zeros(n, dtype=bool)
    # Most cells are plain ("61250", "4.2"; "61250,00" in a ; file): those are cast at once,
    # and only the rest go through the whole of parse_number's syntax.
    simple = _flags(_match(strings, _SIMPLE_DECIMAL_COMMA if decimal_comma else _SIMPLE))
    if simple.any():
        at = np.flatnonzero(simple)
        plain = pc.take(strings, pa.array(at))
        if decimal_comma:
            plain = pc.replace_substring(plain, ",", ".")
        values[at], ok[at] = _cast(plain, np.ones(len(at), dtype=bool))
    rest = np.flatnonzero(~simple & ~empty)
    if len(rest):
        values[rest], ok[rest], percent[rest] = _parse_in_bulk(
            pc.take(strings, pa.array(rest)), decimal_comma)
    ok &= np.isfinite(values)
    return Number(values + 0.0, empty, ~ok & ~empty, percent, cells)


_SIMPLE = r"[0-9]{1,15}(?:\.[0-9]{1,15})?"
_SIMPLE_DECIMAL_COMMA = r"[0-9]{1,15}(?:,[0-9]{1,15})?"


def _flags(array: Any) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def _anywhere(strings: Any, characters: str) -> bool:
    """Whether any cell holds any of ``characters`` (a cheap test that lets a step be skipped)."""
    return any(pc.any(pc.match_substring(strings, c)).as_py() for c in characters)


def _parse_in_bulk(text: Any, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, valid, percentage) of trimmed, non-empty cells: `parse_number`, vectorised."""
    percent = pc.ends_with(text, "%")
    body = pc.if_else(percent, pc.utf8_rtrim(pc.utf8_slice_codeunits(text, 0, -1), NUMBER_BLANKS),
                      text)
    if _anywhere(body, "$€£"):
        body = pc.replace_substring_regex(body, CURRENCY_PREFIX, r"\1")
        body = pc.replace_substring_regex(body, CURRENCY_SUFFIX, "")
    ambiguous = None
    if decimal_comma:
        if _anywhere(body, "."):
            ambiguous = _match(body, NUMBER_DOT_AMBIGUOUS)
            dotted = pc.and_(_match(body, NUMBER_DOT_GROUPED), pc.invert(ambiguous))
            body = pc.if_else(dotted, pc.replace_substring(body, ".", ""), body)
        else:
            dotted = pa.array(np.zeros(len(body), dtype=bool))
        if _anywhere(body, " \u00a0\u2009\u202f"):
            spaced = pc.and_(pc.invert(dotted), _match(body, NUMBER_SPACE_GROUPED))
            body = pc.if_else(spaced, pc.replace_substring_regex(body, NUMBER_GROUP_SPACES, ""), body)
        body = pc.replace_substring(body, ",", ".")
    elif _anywhere(body, ","):
        grouped = _match(body, NUMBER_COMMA_GROUPED)
        body = pc.if_else(grouped, pc.replace_substring(body, ",", ""), body)
    plain = _match(body, NUMBER_PLAIN)
    if ambiguous is not None:
        plain = pc.and_(plain, pc.invert(ambiguous))
    values, ok = _cast(body, _flags(plain))
    return values, ok, _flags(percent)


def _cast(text: Any, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float64 of the cells marked ``ok`` (machine-syntax numbers); others 0 and not ok."""
    candidates = pc.if_else(pa.array(ok), text, "0")
    try:
        values = pc.cast(candidates, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):     # e.g. a 400-digit number
        values = np.asarray([float(v) for v in candidates.to_pylist()], dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    return values, ok & np.isfinite(values)


def coded_strings(values: Sequence[Any], codes: np.ndarray) -> pd.Series:
    """``values`` taken by ``codes`` (each >= 0), as a ``str`` column.

    An Index or array of strings (a column's distinct values, from ``pd.factorize``) is taken
    as it is: turning 50,000 respondent ids into a Python list first cost more than the take."""
    if not len(values):
        return pd.Series(pd.array([""] * len(codes), dtype="str"))
    strings = values if isinstance(values, (pd.Index, pd.api.extensions.ExtensionArray)) \
        else list(values)
    return pd.Series(pd.array(strings, dtype="str").take(codes))
