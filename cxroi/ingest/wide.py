"""A wide ratings file (one row per respondent, one column per item) judged in bulk.

Survey tools export one row per respondent: ``period, segment, respondent``, then one column
per item. This room applies the ratings rules to that shape and turns it into the canonical
long rows (``row, period, segment, respondent, item, score``: one per answer), all in numpy:

* ``period``, ``segment`` and ``respondent`` follow their cell rules (`cxroi.ingest.columns`),
  once per distinct value; each is required on a row that holds anything.
* A score cell is a finite number on the survey's own scale (negative allowed, never
  rescaled, never a percentage); an **empty cell is an unanswered item**, not a problem. A
  problem in one is reported at the item's column as the header writes it.
* Rows with nothing in them are ignored; a file without a single answer is refused.
* **Duplicates** go by (period, segment, respondent, item): a later row of the same
  respondent that answers an item an earlier row answered too is reported, naming the first
  row and the items.

The long rows come out row by row, items in the header's order.

>>> from cxroi.ingest.read import Table
>>> cells = {"period": pd.Series(["2026Q1", "2026Q1"], dtype="str"),
...          "segment": pd.Series(["Retail", "Retail"], dtype="str"),
...          "respondent": pd.Series(["a", "b"], dtype="str")}
>>> items = [("recommend", "Recommend", np.array([9.0, 6.0])),
...          ("delivery", "Delivery", np.array([8.0, np.nan]))]
>>> rows, problems, _ = validate_wide(Table(np.array([2, 3]), cells, items=items))
>>> rows[["row", "respondent", "item", "score"]].to_dict("list")
{'row': [2, 2, 3], 'respondent': ['a', 'a', 'b'], 'item': ['recommend', 'delivery', \
'recommend'], 'score': [9.0, 8.0, 6.0]}
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxroi.ingest.bulk import BAD, EMPTY, Number, Text, coded_strings, number_column, text_column
from cxroi.ingest.columns import COLUMNS_BY_NAME, RATINGS_WIDE_KEYS
from cxroi.ingest.read import Table, and_join
from cxroi.ingest.results import Problem, Refused
from cxroi.ingest.validate import MAX_AMOUNT, _combine, _number_message, _Problems
from cxroi.ingest.bulk import _CONTROL, _HIDDEN_CONTROL, _flags
from cxroi.ingest.cells import NAME_MAX_LENGTH, parse_amount, parse_name
from cxroi.models import CxroiError

__all__ = ["validate_wide"]


def validate_wide(table: Table) -> tuple[pd.DataFrame | None, list[Problem], list[str]]:
    """Every ratings rule on a wide file, in bulk: (canonical long rows or None, problems,
    warnings)."""
    items = table.items or []
    columns = COLUMNS_BY_NAME["ratings"]
    texts: dict[str, Text] = {
        name: (names_column(table.cells[name]) if name == "respondent"
               else text_column(table.cells[name], columns[name].rule))
        for name in RATINGS_WIDE_KEYS if name in table.cells}
    n, m = len(table.rows), len(items)
    scores = np.full((n, m), np.nan)
    answered = np.zeros((n, m), dtype=bool)
    bad = np.zeros((n, m), dtype=bool)
    percent = np.zeros((n, m), dtype=bool)
    parsed: list[Number | None] = []
    for j, (_, _, cells) in enumerate(items):
        values, empty, wrong, number = _scores(cells, table.decimal_comma)
        scores[:, j], answered[:, j], bad[:, j] = values, ~empty & ~wrong, wrong
        if number is not None:
            percent[:, j] = number.percent & answered[:, j]
        parsed.append(number)

    blank = ~(answered | bad).any(axis=1)
    for text in texts.values():
        blank &= text.codes == EMPTY
    unreadable = {p.row for p in table.problems if p.row is not None}
    skip = blank | np.isin(table.rows, list(unreadable)) if unreadable else blank
    keep = ~skip
    rows = table.rows[keep]
    if not len(rows):
        raise Refused(*table.problems, *([] if table.problems else
                                         ["The file has a header but no data rows."]))
    if not keep.all():
        for text in texts.values():
            text.take(keep)
        scores, answered, bad, percent = scores[keep], answered[keep], bad[keep], percent[keep]
    kept_at = np.flatnonzero(keep)           # position of each kept row among the rows read

    headers = [written for _, written, _ in items]
    problems = _Problems("ratings", headers)
    for name, text in texts.items():
        wrong = np.flatnonzero(text.codes == BAD)
        problems.add(wrong, name, [text.messages[u] for u in text.unique_of_row[wrong].tolist()])
        problems.add(np.flatnonzero(text.codes == EMPTY), name, "is empty")
    for j, written in enumerate(headers):
        at = np.flatnonzero(bad[:, j])
        if len(at):
            number = parsed[j]
            problems.add(at, written, [
                _number_message(number.text(int(kept_at[i])) if number is not None else "",
                                table.decimal_comma) for i in at.tolist()])
        at = np.flatnonzero(percent[:, j])
        if len(at):
            number = parsed[j]
            problems.add(at, written, [
                _number_message(number.text(int(kept_at[i])), table.decimal_comma, parse_amount)
                for i in at.tolist()])
        at = np.flatnonzero(answered[:, j] & (np.abs(np.nan_to_num(scores[:, j])) > MAX_AMOUNT))
        problems.add(at, written, f"is too large (at most {MAX_AMOUNT:,.0f})")
    _duplicates(texts, answered & ~percent, [name for name, _, _ in items], rows, problems)
    found = problems.build(rows, table.problems)
    if found:
        return None, found, []
    answered &= ~percent
    if not answered.any():
        raise Refused(f"The file has {len(rows):,} respondent row(s) but not one answer: every "
                      f"item cell ({and_join(headers[:5])}{', ...' if m > 5 else ''}) is empty.")
    at_row, at_item = np.nonzero(answered)          # row by row, items in header order
    out = {"row": rows[at_row].astype(np.int64)}
    for name in RATINGS_WIDE_KEYS:
        text = texts[name]
        codes = text.codes[at_row]
        out[name] = coded_strings(text.values, codes)
    out["item"] = coded_strings([name for name, _, _ in items], at_item.astype(np.int64))
    out["score"] = scores[at_row, at_item] + 0.0
    return pd.DataFrame(out), [], []


def names_column(cells) -> Text:
    """A column of mostly distinct names (respondent ids) judged in bulk, by `parse_name`'s
    rule: trimmed, non-empty, at most `NAME_MAX_LENGTH` characters, no control character.

    `text_column` runs its rule once per distinct value, which is once per row for ids; here
    only the values the vectorised checks flag meet the Python rule (for its message).

    >>> text = names_column(pd.Series([" r1", "r2", "", "r1 "]))
    >>> text.codes.tolist(), list(text.values)
    ([0, 1, -2, 0], ['r1', 'r2'])
    """
    series = pd.Series(cells, copy=False)
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype(object).where(series.notna(), None).astype("str")
    raw = pa.array(series, type=pa.string(), from_pandas=True)
    trimmed = pc.fill_null(pc.utf8_trim_whitespace(raw), "")
    codes, uniques = pd.factorize(pd.Series(trimmed.to_pandas(), dtype="str"), use_na_sentinel=True)
    codes = codes.astype(np.int64)
    length = pc.utf8_length(pa.array(uniques, type=pa.string())).to_numpy(zero_copy_only=False)
    flagged = (length > NAME_MAX_LENGTH) | _flags(pc.match_substring_regex(
        pa.array(uniques, type=pa.string()), _CONTROL.pattern))
    raw_flagged = _flags(pc.fill_null(pc.match_substring_regex(raw, _HIDDEN_CONTROL.pattern), False))
    empty = length == 0
    count = len(uniques)
    of_unique = np.arange(count + 1, dtype=np.int64)
    of_unique[count] = EMPTY
    of_unique[:count][empty] = EMPTY
    messages: list[str | None] = [None] * (count + 2)
    for i in np.flatnonzero(flagged & ~empty).tolist():
        text = str(uniques[i])
        of_unique[i] = BAD
        messages[i] = ("contains a control character" if _CONTROL.search(text)
                       else _rule_message(text))
    unique_of_row = np.where(codes < 0, count, codes)
    row_codes = of_unique[unique_of_row]
    if raw_flagged.any():               # a control character trimming would have removed
        at = np.flatnonzero(raw_flagged & (row_codes != EMPTY))
        row_codes[at] = BAD
        unique_of_row[at] = count + 1
        messages[count + 1] = "contains a control character"
    if (of_unique[:count] == EMPTY).any() or (of_unique[:count] == BAD).any():
        # re-number the valid values densely, so codes index ``values``
        valid = of_unique[:count] >= 0
        dense = np.cumsum(valid) - 1
        remap = np.where(row_codes >= 0, dense[np.maximum(row_codes, 0)], row_codes)
        return Text(remap, uniques[valid], unique_of_row, messages)
    return Text(row_codes, uniques, unique_of_row, messages)


def _rule_message(text: str) -> str:
    try:
        parse_name(text)
    except CxroiError as error:
        return str(error)
    return "is not a usable name"


def _scores(cells, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, Number | None]:
    """(values, empty, bad, the parsed column or None) of one item column."""
    if isinstance(cells, np.ndarray):                   # read as numbers: NaN is an empty cell
        values = cells.astype(np.float64, copy=False)
        empty = np.isnan(values)
        return np.where(empty, np.nan, values), empty, np.isinf(values), None
    number = number_column(cells, decimal_comma)
    values = np.where(number.empty | number.bad, np.nan, number.values)
    return values, number.empty, number.bad, number


def _duplicates(texts: dict[str, Text], answered: np.ndarray, items: list[str],
                rows: np.ndarray, problems: _Problems) -> None:
    """A later row of the same (period, segment, respondent) answering an item an earlier row
    answered: 'duplicate of row N (same period, segment, respondent and item: ...)'."""
    codes = [texts[name] for name in RATINGS_WIDE_KEYS]
    valid = np.ones(len(answered), dtype=bool)
    for text in codes:
        valid &= text.codes >= 0
    positions = np.flatnonzero(valid)
    if len(positions) < 2:
        return
    key, _ = _combine([(text.codes[positions], len(text.values)) for text in codes])
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    if starts.all():
        return
    first = order[np.flatnonzero(starts)][np.cumsum(starts) - 1]
    later_at, first_at = positions[order[~starts]], positions[first[~starts]]
    messages = []
    flagged = []
    seen: dict[int, np.ndarray] = {}
    for later, earliest in zip(later_at.tolist(), first_at.tolist()):
        # the items answered by this row and by any earlier row of the same respondent
        before = seen.get(earliest, answered[earliest].copy())
        common = answered[later] & before
        seen[earliest] = before | answered[later]
        if common.any():
            names = [items[j] for j in np.flatnonzero(common).tolist()]
            shown = and_join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            flagged.append(later)
            messages.append(f"duplicate of row {int(rows[earliest])} (same period, segment, "
                            f"respondent and item: {shown})")
    if flagged:
        problems.add(np.asarray(flagged), None, messages)
