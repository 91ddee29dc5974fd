"""Messy files report exactly what they reported before the import was made faster.

`golden.json` was written by the code as it stood before the speed work (issue #16) from
the files in `golden_files.py`: every problem, row for row and in the same words, every
warning, and the canonical rows with their dtypes. A change to a rule fails here first; a
deliberate change of wording re-records the file (and says so in the commit).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxroi.ingest import read_upload
from tests.ingest.golden_files import FILES

GOLDEN = json.loads((Path(__file__).with_name("golden.json")).read_text())


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_same_problems_warnings_and_rows_as_before(name: str) -> None:
    kind, text = FILES[name]
    parsed = read_upload(text.encode("utf-8"), name, kind)
    expected = GOLDEN[name]
    assert [str(p) for p in parsed.problems] == expected["problems"]
    assert list(parsed.warnings) == expected["warnings"]
    assert json.loads(parsed.rows.to_json(orient="split", index=False)) == expected["rows"]
    assert [str(d) for d in parsed.rows.dtypes] == expected["dtypes"]


def test_the_recording_holds_problems_and_rows() -> None:
    """The recording is not vacuous: messy files have many problems, good files rows."""
    assert len(GOLDEN["messy_metrics.csv"]["problems"]) >= 15
    assert len(GOLDEN["wide_ratings.csv"]["problems"]) >= 5
    assert len(GOLDEN["good_metrics.csv"]["rows"]["data"]) == 5
    assert len(GOLDEN["wide_ratings_good.csv"]["rows"]["data"]) == 7
