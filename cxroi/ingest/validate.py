"""Every rule on every row of a `Table`, in bulk: canonical rows, or every problem.

* **Empty rows** (no value in any of the kind's columns) are ignored wherever they are; a file
  whose header has no data rows under it is refused.
* **Cells.** Each column's cell rule (`cxroi.ingest.columns`), applied by `cxroi.ingest.bulk`;
  an empty cell is a problem in a required column, the column's default in an optional one.
  Numbers must be 0 or more; hours and budgets are never percentages.
* **Units** (metrics, benchmarks): `cxroi.ingest.cells.check_unit`, once per distinct
  (metric, unit, written as a percentage).
* **Duplicates** within the file (after normalising: ``2026Q1`` is ``2026-Q1``, metric names
  ignore case) are reported on the later row, naming the first: metrics by (period, segment,
  metric), effort by (period, department, tier, loop), benchmarks by (metric, kind).

All or nothing: any problem means no rows. Problems are gathered as arrays and become
`Problem` objects, sorted by row then column, only at the end.

>>> cells = {"metric": pd.Series(["returns", "Returns"], dtype="str"),
...          "value": np.array([3.0, 4.0]), "unit": pd.Series(["count", "count"], dtype="str"),
...          "source": pd.Series(["Panel", "Panel"], dtype="str"),
...          "as_of": pd.Series(["2025-12-31", "31.12.2025"], dtype="str")}
>>> rows, problems, warnings = validate(Table(np.array([2, 3]), cells), "benchmarks")
>>> rows, [str(p) for p in problems]
(None, ['row 3: duplicate of row 2 (same metric and kind)'])
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxroi.ingest.bulk import BAD, EMPTY, Number, Text, coded_strings, number_column, text_column
from cxroi.ingest.cells import check_unit, default_higher_is_better, parse_amount, parse_number
from cxroi.ingest.columns import COLUMNS, COLUMNS_BY_NAME, DUPLICATE_KEYS, Column
from cxroi.ingest.read import Table, and_join
from cxroi.ingest.results import Problem, Refused
from cxroi.models import CANONICAL_METRICS, UNITS, CxroiError

__all__ = ["validate", "empty_rows"]


class _Problems:
    """Problems gathered as arrays (row positions, a column, messages); objects made at the end."""

    def __init__(self, kind: str, extra: Sequence[str] = ()) -> None:
        self.order = {c.name: i for i, c in enumerate(COLUMNS[kind])}
        for name in extra:              # a wide ratings file's item columns, after the kind's
            self.order.setdefault(name, len(self.order))
        self.parts: list[tuple[np.ndarray, int, Any]] = []

    def add(self, positions: np.ndarray, column: str | None, messages: Any) -> None:
        if len(positions):
            self.parts.append((np.asarray(positions, dtype=np.int64),
                               -1 if column is None else self.order[column], messages))

    def build(self, rows: np.ndarray, first: Sequence[Problem] = ()) -> list[Problem]:
        """The Problem objects, sorted by row then column (file-level and row-level first)."""
        if not self.parts:
            return sorted(first, key=_problem_order(self.order))
        positions = np.concatenate([p for p, _, _ in self.parts])
        columns = np.concatenate([np.full(len(p), c + 1, dtype=np.int64) for p, c, _ in self.parts])
        messages: list[str] = []
        for part_positions, _, part_messages in self.parts:
            messages.extend(_render(part_messages, len(part_positions), rows))
        row_numbers = rows[positions]
        order = np.argsort(row_numbers * (len(self.order) + 1) + columns, kind="stable")
        names = [None, *self.order]
        collecting = gc.isenabled()
        gc.disable()        # a million new objects would set off the cycle collector again and again
        try:
            built = list(map(Problem, row_numbers[order].tolist(),
                             [names[c] for c in columns[order].tolist()],
                             [messages[i] for i in order.tolist()]))
        finally:
            if collecting:
                gc.enable()
        if first:
            return sorted([*first, *built], key=_problem_order(self.order))
        return built


def _render(messages: Any, count: int, rows: np.ndarray) -> list[str]:
    if isinstance(messages, str):
        return [messages] * count
    if isinstance(messages, _LazyDuplicateMessages):
        tail = f" (same {messages.what})"
        return [f"duplicate of row {r}{tail}" for r in rows[messages.first_positions].tolist()]
    return list(messages)


def _problem_order(order: dict[str, int]) -> Callable[[Problem], tuple[int, int]]:
    return lambda p: (-1 if p.row is None else p.row, -1 if p.column is None else order[p.column])


def validate(table: Table, kind: str) -> tuple[pd.DataFrame | None, list[Problem], list[str]]:
    """Every rule on every row, in bulk: (canonical rows or None, problems, warnings)."""
    columns = COLUMNS[kind]
    n = len(table.rows)
    texts: dict[str, Text] = {}
    numbers: dict[str, Number] = {}
    for column in columns:
        if column.name not in table.cells:
            continue
        cells = table.cells[column.name]
        if column.is_number:
            numbers[column.name] = number_column(cells, table.decimal_comma)
        else:
            texts[column.name] = text_column(cells, column.rule)

    # Empty rows (nothing in any of the kind's columns) are ignored wherever they are.
    empty = np.ones(n, dtype=bool)
    for text in texts.values():
        empty &= text.codes == EMPTY
    for number in numbers.values():
        empty &= number.empty
    rows = table.rows
    warnings: list[str] = []
    unreadable = [p.row for p in table.problems if p.row is not None]
    skip = empty | np.isin(rows, unreadable) if unreadable else empty
    if skip.any():
        keep = ~skip
        rows = rows[keep]
        for part in (*texts.values(), *numbers.values()):
            part.take(keep)
    if kind == "themes" and "metric" not in texts:       # no metric column: every row default
        texts["metric"] = _constant_text(len(rows), COLUMNS_BY_NAME[kind]["metric"].default)
    for column in columns:
        if column.default is not None and column.name in texts:
            texts[column.name].fill_empty(column.default)
    row_problems = table.problems
    if not len(rows):
        raise Refused(*row_problems, *([] if row_problems else
                                       ["The file has a header but no data rows."]))
    n = len(rows)
    problems = _Problems(kind)

    for column in columns:
        if column.name in texts:
            text = texts[column.name]
            bad = np.flatnonzero(text.codes == BAD)
            if len(bad):
                problems.add(bad, column.name, [text.messages[u] for u in text.unique_of_row[bad].tolist()])
            if column.required:
                problems.add(np.flatnonzero(text.codes == EMPTY), column.name, "is empty")
        elif column.name in numbers:
            _number_problems(numbers[column.name], column, table.decimal_comma, problems)

    extra = _cross_rules(kind, texts, numbers, problems, n)
    _duplicate_problems(kind, texts, problems)
    warnings.extend(_metric_name_warnings(texts.get("metric")))
    found = problems.build(rows, row_problems)
    if found:
        return None, found, warnings
    return _canonical_rows(kind, rows, texts, numbers, extra), [], warnings


def _number_problems(number: Number, column: Column, decimal_comma: bool,
                     problems: _Problems) -> None:
    name = column.name
    bad = np.flatnonzero(number.bad)
    if len(bad):
        problems.add(bad, name, [_number_message(number.text(i), decimal_comma) for i in bad.tolist()])
    if column.required:
        problems.add(np.flatnonzero(number.empty), name, "is empty")
    valid = ~number.bad & ~number.empty
    negative = np.flatnonzero(valid & (number.values < 0)) if not column.signed else \
        np.empty(0, dtype=np.int64)
    problems.add(negative, name, [f"must be 0 or more (got {number.text(i)})" for i in negative.tolist()])
    large = np.flatnonzero(valid & (np.abs(number.values) > MAX_AMOUNT))
    problems.add(large, name, [_too_large(number.text(i), MAX_AMOUNT) for i in large.tolist()])
    if not column.percent:
        percent = np.flatnonzero(valid & number.percent & (number.values >= 0))
        problems.add(percent, name, [_number_message(number.text(i), decimal_comma, parse_amount)
                                     for i in percent.tolist()])


MAX_AMOUNT = 1e12
"""The largest count, amount of money or of hours taken (so no sum of them can overflow)."""
MAX_PERCENT = 1e6
"""The largest percentage taken."""


def _too_large(text: str, limit: float) -> str:
    return f"{text!r} is too large (at most {limit:,.0f})"


def _number_message(text: str, decimal_comma: bool,
                    rule: Callable[..., Any] = parse_number) -> str:
    """The problem with a number cell, in the words of the scalar rule (one wording only)."""
    try:
        rule(text, decimal_comma=decimal_comma)
    except CxroiError as error:
        return str(error)
    return f"must be a number (got {text!r})"      # the bulk and scalar rules disagree: refuse


def _cross_rules(kind: str, texts: dict[str, Text], numbers: dict[str, Number],
                 problems: _Problems, n: int) -> dict[str, np.ndarray]:
    """The unit rule (metrics, benchmarks): `check_unit` once per distinct (metric, unit, %);
    for themes, one department per theme."""
    if kind in ("effort", "ratings"):
        return {}
    if kind == "themes":
        _department_problems(texts, problems)
        return {}
    metric, value = texts["metric"], numbers["value"]
    unit = texts.get("unit")
    unit_codes = unit.codes if unit is not None else np.full(n, EMPTY, dtype=np.int64)
    unit_values = unit.values if unit is not None else []
    judged = (metric.codes >= 0) & ~value.bad & ~value.empty
    # A bad unit is reported already; so is an empty one where the column is required.
    judged &= (unit_codes >= 0) if COLUMNS_BY_NAME[kind]["unit"].required else (unit_codes != BAD)
    unit_index = np.full(n, -1, dtype=np.int64)
    everyone = bool(judged.all())
    positions = np.arange(n) if everyone else np.flatnonzero(judged)
    if len(positions):
        metric_codes, given_codes, percents = (
            (metric.codes, unit_codes, value.percent) if everyone else
            (metric.codes[positions], unit_codes[positions], value.percent[positions]))
        keys, size = _combine([
            (metric_codes, len(metric.values)),
            (np.where(given_codes >= 0, given_codes, len(unit_values)), len(unit_values) + 1),
            (percents.astype(np.int64), 2)])
        group_of_row, member = _groups(keys, size)
        units = np.full(len(member), -1, dtype=np.int64)
        for group, row in enumerate(member.tolist()):
            given = unit_values[given_codes[row]] if given_codes[row] >= 0 else None
            resolved, found = check_unit(metric.values[metric_codes[row]], given, bool(percents[row]))
            if resolved is not None:
                units[group] = UNITS.index(resolved)
            for column, message in found:
                problems.add(positions[group_of_row == group], column, message)
        if everyone:
            unit_index = units[group_of_row]
        else:
            unit_index[positions] = units[group_of_row]
        percent = np.flatnonzero((unit_index == UNITS.index("percent"))
                                 & (value.values > MAX_PERCENT) & (value.values <= MAX_AMOUNT))
        problems.add(percent, "value", [_too_large(value.text(i), MAX_PERCENT)
                                        for i in percent.tolist()])
    return {"unit_index": unit_index}


def _groups(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense group numbers of integer ``keys`` (in [0, size)) and one member row of each group."""
    if size <= 4 * len(keys) + 1024:
        present = np.bincount(keys, minlength=size) > 0
        group_of_row = (np.cumsum(present) - 1)[keys]
        count = int(present.sum())
    else:
        group_of_row, uniques = pd.factorize(keys)
        count = len(uniques)
    member = np.empty(count, dtype=np.int64)
    member[group_of_row] = np.arange(len(keys))     # any member will do: they share the key
    return group_of_row, member


def _duplicate_problems(kind: str, texts: dict[str, Text], problems: _Problems) -> None:
    """Later rows with the same key as an earlier row: 'duplicate of row N (same ...)'."""
    names = DUPLICATE_KEYS[kind]
    if kind == "themes":                          # theme names are told apart casefolded
        texts = {**texts, "theme": _casefolded(texts["theme"])}
    required = {c.name for c in COLUMNS[kind] if c.required}
    n = len(texts[names[0]].codes)
    valid = np.ones(n, dtype=bool)
    parts = []
    for name in names:
        part = texts.get(name)
        if part is None:                          # an optional column not in the file
            continue
        if name in required:                      # only rows where it is valid take part
            valid &= part.codes >= 0
            parts.append((part.codes, len(part.values)))
        else:                                     # empty is a value of its own (no loop)
            valid &= part.codes != BAD
            parts.append((np.where(part.codes >= 0, part.codes, len(part.values)),
                          len(part.values) + 1))
    positions = np.arange(n) if valid.all() else np.flatnonzero(valid)
    if len(positions) < 2:
        return
    if len(positions) < n:
        parts = [(codes[positions], size) for codes, size in parts]
    key, size = _combine(parts)
    if size <= 4 * len(key) + 1024:
        if np.bincount(key, minlength=size).max() < 2:
            return
    elif not pd.Series(key).duplicated().any():
        return
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    first_in_order = order[np.flatnonzero(starts)][np.cumsum(starts) - 1]
    later = ~starts
    problems.add(positions[order[later]], None,
                 _LazyDuplicateMessages(positions[first_in_order[later]], and_join(list(names))))


def _combine(parts: Sequence[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """One int64 key from several code columns (re-coded densely when the range would overflow)."""
    key, size = parts[0][0].astype(np.int64), parts[0][1]
    for codes, part_size in parts[1:]:
        if size * part_size >= 2**62:
            key, uniques = pd.factorize(key)
            key, size = key.astype(np.int64), len(uniques)
        key, size = key * part_size + codes, size * part_size
    return key, size


class _LazyDuplicateMessages:
    """Messages 'duplicate of row N (...)': row numbers known only when problems are built."""

    def __init__(self, first_positions: np.ndarray, what: str) -> None:
        self.first_positions, self.what = first_positions, what


def _metric_name_warnings(metric: Text | None) -> list[str]:
    if metric is None:
        return []
    warnings = []
    for name in metric.values:
        if name in CANONICAL_METRICS:
            continue
        near = re.sub(r"[\s\-]+", "_", name)
        if near in CANONICAL_METRICS:
            warnings.append(f"The metric {name!r} is kept as written and does not feed the "
                            f"iceberg; did you mean {near!r}?")
    return warnings

def _unit_strings(unit: Text | None, unit_index: np.ndarray) -> pd.Series:
    if unit is not None and unit.same is not None:     # every row gave its (valid) unit
        return unit.strings()
    return coded_strings(UNITS, unit_index)


def _canonical_rows(kind: str, rows: np.ndarray, texts: dict[str, Text],
                    numbers: dict[str, Number], extra: dict[str, np.ndarray]) -> pd.DataFrame:
    out: dict[str, Any] = {"row": rows.astype(np.int64)}
    if kind == "metrics":
        metric = texts["metric"]
        out["period"] = texts["period"].strings()
        out["segment"] = texts["segment"].strings()
        out["metric"] = metric.strings()
        out["value"] = numbers["value"].values
        out["unit"] = _unit_strings(texts.get("unit"), extra["unit_index"])
        defaults = np.asarray([default_higher_is_better(m) for m in metric.values], dtype=bool)
        direction = defaults[metric.codes]
        if "higher_is_better" in texts:
            flag = texts["higher_is_better"]
            given = np.asarray(flag.values, dtype=bool)
            direction = np.where(flag.codes >= 0, given[np.maximum(flag.codes, 0)] if len(given)
                                 else False, direction)
        out["higher_is_better"] = direction.astype(bool)
    elif kind == "effort":
        out["period"] = texts["period"].strings()
        out["department"] = texts["department"].strings()
        out["tier"] = texts["tier"].strings()
        out["hours"] = numbers["hours"].values
        budget = numbers.get("budget")
        out["budget"] = (np.where(budget.empty, np.nan, budget.values) if budget is not None
                         else np.full(len(rows), np.nan))
        loop = texts.get("loop")
        if loop is None:
            out["loop"] = pd.Series([None] * len(rows), dtype=object)
        else:
            choices = np.asarray([*loop.values, None], dtype=object)
            out["loop"] = pd.Series(choices[np.where(loop.codes >= 0, loop.codes, len(loop.values))],
                                    dtype=object)
    elif kind == "ratings":
        for name in ("period", "segment", "respondent", "item"):
            out[name] = texts[name].strings()
        out["score"] = numbers["score"].values
    elif kind == "themes":
        out["period"] = texts["period"].strings()
        out["segment"] = texts["segment"].strings()
        out["theme"] = texts["theme"].strings()
        out["count"] = numbers["count"].values
        out["metric"] = texts["metric"].strings()
        out["department"] = _optional_strings(texts.get("department"), len(rows))
    else:
        out["metric"] = texts["metric"].strings()
        out["value"] = numbers["value"].values
        out["unit"] = _unit_strings(texts.get("unit"), extra["unit_index"])
        out["source"] = texts["source"].strings()
        out["as_of"] = texts["as_of"].strings()
        kinds = texts.get("kind")        # empty cells already hold the default, "industry"
        out["kind"] = (kinds.strings() if kinds is not None else
                       coded_strings([COLUMNS_BY_NAME[kind]["kind"].default], np.zeros(len(rows), np.int64)))
    return pd.DataFrame(out)


def empty_rows(kind: str) -> pd.DataFrame:
    """The canonical rows of ``kind`` with no row in them (what a refused upload holds)."""
    dtypes: dict[str, Any] = {"row": np.int64}
    for column in COLUMNS[kind]:
        dtypes[column.name] = np.float64 if column.is_number else "str"
    if kind == "metrics":
        dtypes["higher_is_better"] = bool
    if kind == "effort":
        dtypes["loop"] = object
    if kind == "themes":
        dtypes["department"] = object
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in dtypes.items()})


def _constant_text(n: int, value: Any) -> Text:
    """A text column every row of which holds ``value`` (an optional column not in the file)."""
    zeros = np.zeros(n, dtype=np.int64)
    return Text(zeros, [value], zeros.copy(), [None])


def _casefolded(text: Text) -> Text:
    """``text`` with values that differ only in case sharing one code (for duplicates)."""
    folded: dict[str, int] = {}
    remap = np.asarray([folded.setdefault(str(v).casefold(), len(folded)) for v in text.values]
                       or [0], dtype=np.int64)
    codes = np.where(text.codes >= 0, remap[np.maximum(text.codes, 0)], text.codes)
    return Text(codes, list(folded), text.unique_of_row, text.messages)


def _optional_strings(text: Text | None, n: int) -> pd.Series:
    """An optional text column's values, None where empty (object dtype)."""
    if text is None:
        return pd.Series([None] * n, dtype=object)
    choices = np.asarray([*text.values, None], dtype=object)
    return pd.Series(choices[np.where(text.codes >= 0, text.codes, len(text.values))],
                     dtype=object)


def _department_problems(texts: dict[str, Text], problems: _Problems) -> None:
    """One theme, one department: every row of a theme whose rows name two or more
    departments is named (rows that name none take no part)."""
    department, theme = texts.get("department"), texts.get("theme")
    if department is None or theme is None:
        return
    folded = _casefolded(theme)
    named = np.flatnonzero((folded.codes >= 0) & (department.codes >= 0))
    if not len(named):
        return
    frame = pd.DataFrame({"theme": folded.codes[named], "department": department.codes[named],
                          "at": named})
    counts = frame.groupby("theme")["department"].nunique()
    for code in counts.index[counts > 1].tolist():
        rows = frame[frame["theme"] == code]
        firsts = rows.drop_duplicates("department")
        shown = and_join([repr(department.values[d]) for d in firsts["department"].tolist()])
        name = theme.values[theme.codes[int(rows["at"].iloc[0])]]
        problems.add(rows["at"].to_numpy(), "department",
                     f"the theme {name!r} names {len(firsts)} departments in this file "
                     f"({shown}); one theme's rows must name the same department")
