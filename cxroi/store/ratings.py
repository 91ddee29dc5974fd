"""Survey answers: stored as narrow rows, read as the key drivers take them.

A ratings upload's canonical rows (one per answer) are stored as one ``ratings`` row per
respondent, one ``rating_items`` row per item and one ``rating_answers`` row per answer of
small integers (`cxroi.store.schema.counted`); `narrow` shapes them, `store_answers` writes
them inside the upload's transaction.

Only current respondents count (a later upload for the same period and segment supersedes
earlier answers). A respondent is a (segment, respondent) pair: the segment ``All`` pools
every segment's respondents, and ``R-1`` in Retail is not ``R-1`` in Online.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from cxroi.models import ALL, CxroiError
from cxroi.store.base import Connection

__all__ = ["Ratings", "Narrow", "narrow", "store_answers"]

_KEYS = ("period", "segment", "respondent")

_ANSWERS = ("ratings r JOIN rating_answers a ON a.upload_id = r.upload_id "
            "AND a.respondent_no = r.respondent_no JOIN rating_items i "
            "ON i.upload_id = a.upload_id AND i.item_no = a.item_no")
"""Every stored answer with its respondent and item."""


@dataclass(frozen=True)
class Narrow:
    """One upload's answers as the tables keep them (without the upload id)."""

    respondents: pa.Table   # respondent_no, row_no, period, segment, respondent, answers
    items: list[str]        # item_no is the position
    answers: pa.Table       # respondent_no, item_no, score


def narrow(rows: pd.DataFrame) -> Narrow:
    """Ingest's canonical ratings rows as narrow rows: respondents numbered in (period,
    segment, respondent) order, items by name, each respondent's row the first it came from.

    The rows of one spreadsheet row are one respondent's (a row has one period, segment and
    respondent), so the names are coded once per run of equal ``row``, not once per answer:
    a wide export's 50,000 respondents, not its 580,000 answers; a long file's rows, in any
    order, cost what they did.

    >>> n = narrow(pd.DataFrame({"row": [2, 2, 3], "period": ["2026Q1"] * 3,
    ...     "segment": ["Retail"] * 3, "respondent": ["b", "b", "a"],
    ...     "item": ["q2", "q1", "q1"], "score": [5.0, 4.0, 3.0]}))
    >>> n.respondents.to_pydict()["respondent"], n.respondents.to_pydict()["answers"], n.items
    (['a', 'b'], [1, 2], ['q1', 'q2'])
    >>> n.answers.to_pydict()
    {'respondent_no': [1, 1, 0], 'item_no': [1, 0, 0], 'score': [5.0, 4.0, 3.0]}
    """
    row = rows["row"].to_numpy(dtype=np.int64)
    new_run = np.ones(len(row), dtype=bool)     # where a run of equal ``row`` starts
    new_run[1:] = row[1:] != row[:-1]
    starts, run = np.flatnonzero(new_run), np.cumsum(new_run) - 1
    heads = rows.iloc[starts]
    of_run = np.zeros(len(starts), dtype=np.int64)
    for column in _KEYS:     # dense numbers that sort as the names do, column by column
        codes, names = pd.factorize(heads[column], sort=True)
        distinct, of_run = np.unique(of_run * len(names) + codes, return_inverse=True)
    count = len(distinct)
    who = of_run[run]
    first_row = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(first_row, of_run, row[starts])
    at = np.zeros(count, dtype=np.int64)    # a run of each respondent, for its names
    at[of_run] = np.arange(len(starts))
    items, item_names = pd.factorize(rows["item"], sort=True)
    respondents = pa.table({
        "respondent_no": np.arange(count, dtype=np.int32), "row_no": first_row.astype(np.int32),
        **{column: pa.array(heads[column].take(at), type=pa.string()) for column in _KEYS},
        "answers": np.bincount(who, minlength=count).astype(np.int32)})
    return Narrow(respondents, [str(item) for item in item_names], pa.table({
        "respondent_no": who.astype(np.int32), "item_no": items.astype(np.int32),
        "score": rows["score"].to_numpy(dtype=np.float64)}))


def store_answers(cur: duckdb.DuckDBPyConnection, upload_id: int, rows: Narrow) -> None:
    """Write one upload's narrow rows, current, inside the caller's transaction (the
    respondents are registered as ``incoming`` by the caller)."""
    cur.execute("INSERT INTO ratings (upload_id, respondent_no, row_no, period, segment, "
                "respondent, answers, current) SELECT $id, respondent_no, row_no, period, "
                "segment, respondent, answers, true FROM incoming", {"id": upload_id})
    cur.execute("INSERT INTO rating_items SELECT $id, unnest(range(len($items)))::INTEGER, "
                "unnest($items)", {"id": upload_id, "items": rows.items})
    cur.register("answers", rows.answers)
    try:
        cur.execute("INSERT INTO rating_answers SELECT $id, respondent_no, item_no, score "
                    "FROM answers", {"id": upload_id})
    finally:
        cur.unregister("answers")


def _segment_filter(segment: str, alias: str = "") -> str:
    """The segment condition: none for ``All`` (fixed strings, never user text)."""
    return "" if segment == ALL else f"AND {alias}segment = $segment"


class Ratings(Connection):
    """The reads behind the key drivers."""

    def rating_periods(self, segment: str = ALL) -> list[str]:
        """Quarters with current ratings for ``segment`` (``All``: any segment), oldest first."""
        with self._cursor() as cur:
            return [r[0] for r in cur.execute(
                f"SELECT DISTINCT period FROM ratings WHERE current {_segment_filter(segment)} "
                "ORDER BY period", {"segment": segment} if segment != ALL else {}).fetchall()]

    def rating_segments(self) -> list[str]:
        """Segments with current ratings, ``All`` first (when there are any ratings)."""
        with self._cursor() as cur:
            names = [r[0] for r in cur.execute(
                "SELECT DISTINCT segment FROM ratings WHERE current ORDER BY segment").fetchall()]
        return [ALL, *names] if names else []

    def rating_items(self, period: str, segment: str = ALL) -> list[str]:
        """The items answered in ``period`` by ``segment``'s respondents, by name."""
        with self._cursor() as cur:
            return [r[0] for r in cur.execute(
                f"SELECT DISTINCT i.item FROM {_ANSWERS} WHERE r.current AND r.period = $period "
                f"{_segment_filter(segment, 'r.')} ORDER BY i.item",
                {"period": period, **({"segment": segment} if segment != ALL else {})}
            ).fetchall()]

    def ratings_answers(self, period: str, segment: str = ALL) -> dict[str, np.ndarray]:
        """Item -> one score per respondent (NaN when unanswered), the same respondent at the
        same position in every item: what `cxroi.drivers.key_drivers` takes.

        Respondents are ordered by (segment, respondent); items by name. A period or segment
        without ratings raises `CxroiError` naming the periods that have them.
        """
        params = {"period": period, **({"segment": segment} if segment != ALL else {})}
        with self._cursor() as cur:
            found = cur.execute(
                f"SELECT (dense_rank() OVER (ORDER BY r.segment, r.respondent) - 1)::BIGINT "
                f"AS who, i.item, a.score FROM {_ANSWERS} "
                f"WHERE r.current AND r.period = $period {_segment_filter(segment, 'r.')}",
                params).fetchnumpy()
        if not len(found["who"]):
            periods = self.rating_periods(segment)
            if not periods:
                where = "" if segment == ALL else f" for the segment {segment}"
                raise CxroiError(f"There are no survey ratings{where} yet: import a ratings "
                                 "file first.")
            raise CxroiError(f"There are no ratings for {period}"
                             f"{'' if segment == ALL else ' in ' + segment}; quarters with "
                             f"ratings: {', '.join(periods)}.")
        who = np.asarray(found["who"], dtype=np.int64)
        items, item_of = np.unique(np.asarray(found["item"], dtype=object), return_inverse=True)
        scores = np.full((len(items), int(who.max()) + 1), np.nan)
        scores[item_of, who] = np.asarray(found["score"], dtype=np.float64)
        return {str(item): scores[i] for i, item in enumerate(items)}
