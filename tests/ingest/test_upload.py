"""read_upload, the entry point (cxroi.ingest): the samples end to end, the API, the size limit.

Every test checks exact values or exact problem strings: a report is only useful to a CX lead
if it says precisely which row and column is wrong, and the rows kept must be exactly right.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import numpy as np
import pytest

import cxroi.ingest as ingest
from cxroi.ingest import (
    COLUMNS,
    MAX_UPLOAD_BYTES,
    Problem,
    read_upload,
    template_csv,
    template_xlsx,
)
from cxroi.models import CxroiError
from tests.ingest.common import HEADER, problems, read, sample


class TestSamples:
    def test_metrics_clean(self):
        parsed = read_upload(sample("metrics_clean.csv"), "metrics_clean.csv", "metrics")
        assert parsed.ok and parsed.problems == () and parsed.warnings == ()
        rows = parsed.rows
        assert len(rows) == 9
        assert list(rows.columns) == ["row", "period", "segment", "metric", "value", "unit",
                                      "higher_is_better"]
        assert rows["row"].tolist() == list(range(2, 11))
        assert set(rows["period"]) == {"2026Q1"}
        assert rows["segment"].tolist() == ["Retail"] * 4 + ["Business"] * 4 + ["All"]
        first = rows.iloc[0]
        assert (first["metric"], first["value"], first["unit"], first["higher_is_better"]) == \
            ("customers", 12000.0, "count", True)
        refunds = rows[rows.metric == "refunds_credits"].iloc[0]
        assert (refunds["value"], refunds["unit"], refunds["higher_is_better"]) == (61250.0, "money", False)
        share = rows.iloc[-1]
        assert (share["segment"], share["metric"], share["value"], share["unit"]) == \
            ("All", "billing_complaints_share", 4.2, "percent")
        by = rows[rows.segment != "All"].groupby("metric")["value"].sum()
        assert by["customers"] == 12900.0 and by["service_contacts"] == 18500.0

    def test_metrics_european(self):
        parsed = read_upload(sample("metrics_european.csv"), "metrics_european.csv", "metrics")
        assert parsed.ok
        rows = parsed.rows
        assert rows[["row", "period", "segment", "metric", "value", "unit"]].values.tolist() == [
            [2, "2026Q1", "Retail", "refunds_credits", 61250.0, "money"],
            [3, "2026Q1", "Retail", "billing_complaints_share", 4.2, "percent"],
        ]

    def test_metrics_bad_names_exactly_the_four_problems(self):
        parsed = read_upload(sample("metrics_bad.csv"), "metrics_bad.csv", "metrics")
        assert not parsed.ok and parsed.rows.empty
        assert problems(parsed) == [
            "row 3, column value: must be 0 or more (got -3)",
            "row 4, column period: '2026Q7' is not a quarter: there is no quarter 7",
            "row 5, column value: must be a number (got 'four')",
            "row 6, column unit: 'minutes' is not a unit (use count, percent, money or hours)",
        ]
        assert [(p.row, p.column) for p in parsed.problems] == [
            (3, "value"), (4, "period"), (5, "value"), (6, "unit")]

    def test_effort_clean(self):
        parsed = read_upload(sample("effort_clean.csv"), "effort_clean.csv", "effort")
        assert parsed.ok
        rows = parsed.rows
        assert list(rows.columns) == ["row", "period", "department", "tier", "hours", "budget", "loop"]
        assert rows["tier"].tolist() == ["TM", "EL", "EM", "EL"]
        assert rows["loop"].tolist() == ["inner", "outer", None, "outer"]
        assert rows["budget"].tolist() == [60000.0, 9000.0, 52000.0, 28000.0]
        total, el = rows["hours"].sum(), rows.loc[rows.tier == "EL", "hours"].sum()
        assert (total, el) == (2750.0, 550.0)
        assert 0.5 * total - el == 825.0
        outer = rows.loc[rows.loop == "outer", "hours"].sum()
        said = rows.loc[rows.loop.notna(), "hours"].sum()
        assert (outer, said) == (550.0, 2050.0)

    def test_effort_titled_workbook(self):
        parsed = read_upload(sample("effort_titled.xlsx"), "effort_titled.xlsx", "effort")
        assert parsed.ok, problems(parsed)
        assert parsed.sheets == ("Sheet",) and parsed.sheet == "Sheet"
        rows = parsed.rows
        assert rows[["row", "period", "department", "tier", "hours"]].values.tolist() == [
            [3, "2026Q1", "Support", "TM", 1500.0],
            [4, "2026Q1", "Product", "EL", 350.0],
        ]
        assert rows["budget"].isna().all() and rows["loop"].tolist() == [None, None]
        assert "Skipped 1 row above the header (row 2)." in parsed.warnings

    def test_benchmarks(self):
        parsed = read_upload(sample("benchmarks.csv"), "benchmarks.csv", "benchmarks")
        assert parsed.ok
        assert parsed.rows.values.tolist() == [
            [2, "billing_complaints_share", 3.1, "percent", "Industry panel (illustrative)",
             "2025-12-31", "industry"]]
        assert list(parsed.rows.columns) == ["row", "metric", "value", "unit", "source", "as_of", "kind"]

    def test_identity_of_the_file(self):
        data = sample("metrics_clean.csv")
        parsed = read_upload(data, "q1.csv", "metrics")
        assert parsed.sha256 == hashlib.sha256(data).hexdigest()
        assert (parsed.kind, parsed.file_name, parsed.sheets, parsed.sheet) == ("metrics", "q1.csv", (), None)
        big = data + b"\n" * (5 * 1024 * 1024)     # hashed in a thread: the same digest
        assert read_upload(big, "q1.csv", "metrics").sha256 == hashlib.sha256(big).hexdigest()


class TestApi:
    def test_an_unknown_kind_raises(self):
        with pytest.raises(CxroiError, match="unknown upload kind 'metric'"):
            read_upload(b"x", "x.csv", "metric")
        with pytest.raises(CxroiError):
            template_csv("assumptions")
        with pytest.raises(CxroiError):
            template_xlsx("")

    def test_problem_text(self):
        assert str(Problem(3, "value", "must be 0 or more (got -3)")) == \
            "row 3, column value: must be 0 or more (got -3)"
        assert str(Problem(4, None, "duplicate of row 2 (same metric and kind)")) == \
            "row 4: duplicate of row 2 (same metric and kind)"
        assert str(Problem(None, "value", "appears twice")) == "column value: appears twice"
        assert str(Problem(None, None, "The file is empty.")) == "The file is empty."
        with pytest.raises(AttributeError):
            Problem(1, None, "x").row = 2  # type: ignore[misc]

    @pytest.mark.parametrize("kind", ["metrics", "effort", "benchmarks"])
    def test_rows_are_empty_with_the_canonical_columns_when_refused(self, kind):
        parsed = read(b"", kind)
        assert not parsed.ok and parsed.rows.empty
        assert list(parsed.rows.columns) == ["row", *(c.name for c in COLUMNS[kind])]
        assert parsed.rows["row"].dtype == np.int64

    def test_dtypes(self):
        metrics = read(HEADER + "2026Q1,Retail,customers,5,count\n").rows
        assert metrics.dtypes.astype(str).to_dict() == {
            "row": "int64", "period": "str", "segment": "str", "metric": "str",
            "value": "float64", "unit": "str", "higher_is_better": "bool"}
        effort = read("period,department,tier,hours\n2026Q1,Support,TM,5\n", "effort").rows
        assert effort.dtypes.astype(str).to_dict() == {
            "row": "int64", "period": "str", "department": "str", "tier": "str",
            "hours": "float64", "budget": "float64", "loop": "object"}

    def test_progress_goes_from_0_to_1(self):
        seen: list[tuple[float, str]] = []
        read_upload(sample("metrics_clean.csv"), "m.csv", "metrics", progress=lambda f, m: seen.append((f, m)))
        fractions = [f for f, _ in seen]
        assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
        assert all(isinstance(m, str) and m for _, m in seen)

    def test_no_streamlit_no_database_in_ingest(self):
        files = sorted(Path(ingest.__file__).parent.glob("*.py"))
        assert len(files) > 1                     # the package and its modules
        everything = set()
        for path in files:
            imported = set()
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    imported |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module:
                    imported.add(node.module.split(".")[0])
            assert not imported & {"streamlit", "duckdb"}, path.name
            everything |= imported
        assert "cxroi" in everything


class TestUploadLimit:
    def test_over_the_limit_before_parsing(self):
        parsed = read_upload(b"\xff" * (MAX_UPLOAD_BYTES + 1), "huge.xlsx", "metrics")
        assert problems(parsed) == [
            "The file is too large: 50,000,001 bytes, over the upload limit of 50 MB "
            "(50,000,000 bytes)."]

    def test_one_limit_for_the_browser_the_page_and_the_cli(self):
        import tomllib
        from pathlib import Path

        config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" /
                                "config.toml").read_text())
        assert config["server"]["maxUploadSize"] * 1_000_000 == MAX_UPLOAD_BYTES
        assert read_upload(b"\n" * MAX_UPLOAD_BYTES, "blank.csv", "metrics").problems == (
            Problem(None, None, "The file is empty."),)

    def test_over_a_lowered_limit(self, monkeypatch):
        monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 1_000_000)
        parsed = read(HEADER.encode() + b"2026Q1,Retail,customers,5,count\n" * 40_000)
        assert problems(parsed) == [
            "The file is too large: 1,280,033 bytes, over the upload limit of 1 MB "
            "(1,000,000 bytes)."]
