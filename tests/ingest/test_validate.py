"""Every rule on every row (cxroi.ingest.validate): values, units, duplicates, all or nothing."""

from __future__ import annotations

from cxroi.models import CANONICAL_METRICS
from tests.ingest.common import HEADER, problems, read


class TestValues:
    def test_negative_values(self):
        parsed = read(HEADER + "2026Q1,A,returns,-3,count\n2026Q1,B,returns,\"-$1,200\",count\n"
                      "2026Q1,C,returns,-0,count\n")
        assert problems(parsed) == ["row 2, column value: must be 0 or more (got -3)",
                                    "row 3, column value: must be 0 or more (got -$1,200)"]


class TestUnits:
    def test_unit_rules(self):
        parsed = read(HEADER +
                      "2026Q1,A,customers,5,money\n"       # canonical: its own unit only
                      "2026Q1,B,customers,5%,\n"           # canonical: never a percentage
                      "2026Q1,A,nps,12%,count\n"           # % but the unit says count
                      "2026Q1,A,hold_time,5,\n"            # a free metric needs a unit
                      "2026Q1,A,satisfaction,5,Percent\n"  # units ignore case
                      "2026Q1,C,customers,5,COUNT\n"
                      "2026Q1,D,customers,5%,percent\n")   # both wrong: both said
        assert problems(parsed) == [
            "row 2, column unit: customers is measured in count, not money",
            "row 3, column value: is a percentage, but customers is measured in count",
            "row 4, column value: is a percentage, but the unit is count",
            "row 5, column unit: is empty; a metric that is not canonical needs a unit (count, "
            "percent, money or hours)",
            "row 8, column value: is a percentage, but customers is measured in count",
            "row 8, column unit: customers is measured in count, not percent",
        ]

    def test_no_unit_column_for_canonical_metrics(self):
        parsed = read("period,segment,metric,value\n2026Q1,A,Revenue,100\n2026Q1,A,RETURNS,3\n")
        assert parsed.ok
        assert parsed.rows[["metric", "unit", "higher_is_better"]].values.tolist() == [
            ["revenue", "money", True], ["returns", "count", False]]

    def test_a_near_canonical_name_is_kept_with_a_warning(self):
        parsed = read(HEADER + "2026Q1,A,Service Contacts,5,count\n")
        assert parsed.ok and parsed.rows["metric"].tolist() == ["service contacts"]
        assert parsed.warnings == ("The metric 'service contacts' is kept as written and does not "
                                   "feed the iceberg; did you mean 'service_contacts'?",)


class TestDuplicates:
    def test_after_normalising_both_rows_are_named(self):
        parsed = read(HEADER + "2026Q1,Retail,returns,1,count\n2026-Q1,Retail,Returns,2,count\n"
                      "Q1 2026,Retail,RETURNS ,3,count\n2026Q1,retail,returns,4,count\n")
        assert problems(parsed) == [
            "row 3: duplicate of row 2 (same period, segment and metric)",
            "row 4: duplicate of row 2 (same period, segment and metric)",
        ]
        assert parsed.rows.empty

    def test_effort_duplicates_include_the_loop(self):
        parsed = read("period,department,tier,hours,loop\n2026Q1,A,TM,1,\n2026Q1,A,TM,2,inner\n"
                      "2026Q1,A,Touchpoint Management,3,\n2026Q1,A,TM,4,Inner\n2026Q1,A,EM,5,\n", "effort")
        assert problems(parsed) == [
            "row 4: duplicate of row 2 (same period, department, tier and loop)",
            "row 5: duplicate of row 3 (same period, department, tier and loop)",
        ]

    def test_empty_rows_in_a_benchmarks_file_are_ignored(self):
        parsed = read("metric,value,unit,source,as_of,kind\nreturns,1,count,A,2025-12-31,\n,,,,,\n\n"
                      "escalations,1,count,A,2025-12-31,target\n", "benchmarks")
        assert parsed.ok and parsed.rows["row"].tolist() == [2, 5]
        assert parsed.rows["kind"].tolist() == ["industry", "target"]

    def test_benchmark_duplicates_use_the_default_kind(self):
        parsed = read("metric,value,unit,source,as_of,kind\nreturns,1,count,A,2025-12-31,\n"
                      "Returns,2,count,B,2025-12-31,Industry\nreturns,3,count,C,2025-12-31,target\n",
                      "benchmarks")
        assert problems(parsed) == ["row 3: duplicate of row 2 (same metric and kind)"]

    def test_rows_with_a_bad_key_are_not_duplicates(self):
        parsed = read(HEADER + "2026Q9,A,returns,1,count\n2026Q9,A,returns,1,count\n")
        assert problems(parsed) == [
            "row 2, column period: '2026Q9' is not a quarter: there is no quarter 9",
            "row 3, column period: '2026Q9' is not a quarter: there is no quarter 9"]

    def test_one_bad_row_refuses_the_file_and_every_problem_is_listed_in_order(self):
        good = "".join(f"2026Q1,S{i},returns,{i},count\n" for i in range(200))
        parsed = read(HEADER + good + "2026Q7,X,returns,-1,minutes\n" + good.replace("2026Q1", "2026Q2")
                      + "2026Q2,S5,returns,1,count\n")
        assert parsed.rows.empty and not parsed.ok
        assert problems(parsed) == [
            "row 202, column period: '2026Q7' is not a quarter: there is no quarter 7",
            "row 202, column value: must be 0 or more (got -1)",
            "row 202, column unit: 'minutes' is not a unit (use count, percent, money or hours)",
            "row 403: duplicate of row 208 (same period, segment and metric)",
        ]


def test_every_canonical_metric_has_its_unit_in_the_rows():
    body = "".join(f"2026Q1,A,{name},1,\n" for name in CANONICAL_METRICS)
    parsed = read(HEADER + body)
    assert parsed.ok
    assert dict(zip(parsed.rows["metric"], parsed.rows["unit"])) == {
        name: m.unit for name, m in CANONICAL_METRICS.items()}
    assert dict(zip(parsed.rows["metric"], parsed.rows["higher_is_better"])) == {
        name: m.higher_is_better for name, m in CANONICAL_METRICS.items()}
