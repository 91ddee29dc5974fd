"""Survey answers as the key drivers read them: periods, segments, items, one period's answers.

Only current rows count (a later upload for the same period and segment supersedes earlier
answers). A respondent is a (segment, respondent) pair: the segment ``All`` pools every
segment's respondents, and ``R-1`` in Retail is not ``R-1`` in Online.
"""

from __future__ import annotations

import numpy as np

from cxroi.models import ALL, CxroiError
from cxroi.store.base import Connection

__all__ = ["Ratings"]


def _segment_filter(segment: str) -> str:
    """The segment condition: none for ``All`` (a fixed string, never user text)."""
    return "" if segment == ALL else "AND segment = $segment"


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
                f"SELECT DISTINCT item FROM ratings WHERE current AND period = $period "
                f"{_segment_filter(segment)} ORDER BY item",
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
                f"SELECT (dense_rank() OVER (ORDER BY segment, respondent) - 1)::BIGINT AS who, "
                f"       item, score FROM ratings "
                f"WHERE current AND period = $period {_segment_filter(segment)}",
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
