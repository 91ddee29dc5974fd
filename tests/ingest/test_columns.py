"""Each kind's columns (cxroi.ingest.columns) follow the design."""

from __future__ import annotations

from cxroi.ingest import COLUMNS


class TestColumns:
    def test_columns_follow_the_design(self):
        required = {kind: [c.name for c in columns if c.required] for kind, columns in COLUMNS.items()}
        assert required == {
            "metrics": ["period", "segment", "metric", "value"],
            "effort": ["period", "department", "tier", "hours"],
            "benchmarks": ["metric", "value", "unit", "source", "as_of"],
            "ratings": ["period", "segment", "respondent", "item", "score"],
            "themes": ["period", "segment", "theme", "count"],
        }
        optional = {kind: [c.name for c in columns if not c.required] for kind, columns in COLUMNS.items()}
        assert optional == {"metrics": ["unit", "higher_is_better"], "effort": ["budget", "loop"],
                            "benchmarks": ["kind"], "ratings": [],
                            "themes": ["metric", "department"]}
        assert all(c.note and c.example for columns in COLUMNS.values() for c in columns)
