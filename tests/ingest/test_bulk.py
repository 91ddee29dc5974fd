"""The cell rules in bulk (cxroi.ingest.bulk) agree with the rules one cell at a time."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cxroi.ingest.bulk import number_column
from cxroi.ingest.cells import parse_number
from cxroi.models import CxroiError
from tests.ingest.common import HEADER, problems, read


class TestNumberColumn:
    def test_infinity_in_a_column_read_as_numbers(self):
        parsed = read(HEADER + "2026Q1,A,returns,inf,count\n2026Q1,B,returns,-2.5,count\n")
        assert problems(parsed) == ["row 2, column value: must be a finite number (got 'inf')",
                                    "row 3, column value: must be 0 or more (got -2.5)"]


NUMBER_TEXT = st.text(alphabet="0123456789.,-+ e%$€\u00a0na", max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(NUMBER_TEXT, min_size=1, max_size=20), st.booleans())
def test_bulk_number_parsing_agrees_with_parse_number(texts, decimal_comma):
    bulk = number_column(pd.Series(texts, dtype=object), decimal_comma)
    for i, text in enumerate(texts):
        try:
            value, percent = parse_number(text, decimal_comma=decimal_comma)
        except CxroiError as error:
            assert bulk.bad[i] or (bulk.empty[i] and str(error) == "is empty"), (text, str(error))
            continue
        assert not bulk.bad[i] and not bulk.empty[i], text
        assert bulk.values[i] == value and bulk.percent[i] == percent, text
