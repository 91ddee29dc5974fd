"""Kind ``themes`` (docs/design.md): every rule the other kinds have, and the theme's own."""

from __future__ import annotations

from cxroi.ingest import read_upload, template_csv, template_xlsx
from tests.ingest.common import problems, read, sample, workbook

HEAD = "period,segment,theme,count,metric,department\n"


def themes(text: str):
    return read(text, "themes")


class TestAccepted:
    def test_the_sample_reads_as_written(self):
        parsed = read_upload(sample("themes_clean.csv"), "themes_clean.csv", "themes")
        assert parsed.ok and parsed.warnings == ()
        assert parsed.rows.drop(columns="row").values.tolist()[:3] == [
            ["2026Q1", "Retail", "Late delivery", 5000.0, "service_contacts", "Logistics"],
            ["2026Q1", "Retail", "Billing errors", 3000.0, "service_contacts", "Finance"],
            ["2026Q1", "Retail", "Billing errors", 20000.0, "refunds_credits", "Finance"],
        ]
        assert len(parsed.rows) == 7

    def test_names_are_trimmed_and_kept_as_written_metric_lower_cased_default_metric(self):
        parsed = themes(HEAD + "Q1 2026,Retail,  Late DELIVERY ,900,,  Logistics \n"
                        "2026-Q1,Retail,Late delivery,3,Customers_Lost,Logistics\n")
        assert problems(parsed) == []
        assert parsed.rows[["period", "theme", "metric", "department"]].values.tolist() == [
            ["2026Q1", "Late DELIVERY", "service_contacts", "Logistics"],
            ["2026Q1", "Late delivery", "customers_lost", "Logistics"]]

    def test_without_metric_and_department_columns(self):
        parsed = themes("period,segment,theme,count\n2026Q1,All,Login,12\n")
        assert parsed.ok
        assert parsed.rows.drop(columns="row").values.tolist() == [
            ["2026Q1", "All", "Login", 12.0, "service_contacts", None]]

    def test_money_counts_of_refunds_take_thousands_separators(self):
        parsed = themes(HEAD + '2026Q1,Retail,Billing,"$20,000",refunds_credits,Finance\n')
        assert parsed.rows["count"].tolist() == [20000.0]

    def test_a_row_without_department_does_not_clash(self):
        parsed = themes(HEAD + "2026Q1,A,Billing,1,,Finance\n2026Q1,B,Billing,1,,\n")
        assert parsed.ok

    def test_the_templates_import(self):
        for make, name in ((template_csv, "t.csv"), (template_xlsx, "t.xlsx")):
            assert read_upload(make("themes"), name, "themes").ok

    def test_a_workbook_with_a_title_row(self):
        data = workbook({"codes": [["Theme export Q1"], ["Period", "Segment", "Theme", "Count"],
                                   ["2026Q1", "All", "Login", 4]]})
        parsed = read(data, "themes", "t.xlsx")
        assert parsed.ok and parsed.rows["row"].tolist() == [3]


class TestRefused:
    def test_every_problem_is_named_and_nothing_is_kept(self):
        parsed = themes(HEAD +
                        "2026Q1,Retail,Late delivery,5,nps,Logistics\n"          # 2 unknown metric
                        "2026Q1,Retail,Late delivery,-5,,Logistics\n"            # 3 negative
                        "2026Q1,Retail,late delivery ,5,service_contacts,Ops\n"  # 4 dup + 2 depts
                        "2026Q7,Retail,Billing,5,,\n"                            # 5 no quarter 7
                        "2026Q1,Retail,Billing,5,refunds_credits,\n"             # 6
                        "2026Q1,Retail,BILLING,5,Refunds_Credits,Finance\n"      # 7 dup of 6
                        "2026Q1,Retail,Login,12%,,\n"                            # 8 percentage
                        "2026Q1,Retail,Login,abc,returns,\n")                    # 9 not a number
        depts = ("column department: the theme 'Late delivery' names 2 departments in this "
                 "file ('Logistics' and 'Ops'); one theme's rows must name the same department")
        assert problems(parsed) == [
            "row 2, column metric: 'nps' is not an iceberg input (use service_contacts, "
            "refunds_credits, returns, escalations, customers_lost, detractors, deals_delayed "
            "or frontline_leavers)",
            f"row 2, {depts}",
            "row 3, column count: must be 0 or more (got -5)",
            f"row 3, {depts}",
            "row 4: duplicate of row 3 (same period, segment, theme and metric)",
            f"row 4, {depts}",
            "row 5, column period: '2026Q7' is not a quarter: there is no quarter 7",
            "row 7: duplicate of row 6 (same period, segment, theme and metric)",
            "row 8, column count: must be a plain number, not a percentage (got '12%')",
            "row 9, column count: must be a number (got 'abc')",
        ]
        assert parsed.rows.empty and not parsed.ok

    def test_a_canonical_but_non_iceberg_metric_is_refused(self):
        parsed = themes(HEAD + "2026Q1,All,Login,5,customers,IT\n")
        assert problems(parsed) == [
            "row 2, column metric: 'customers' is not an iceberg input (use service_contacts, "
            "refunds_credits, returns, escalations, customers_lost, detractors, deals_delayed "
            "or frontline_leavers)"]

    def test_the_same_theme_in_two_periods_is_no_duplicate_but_one_department_per_file(self):
        parsed = themes(HEAD + "2026Q1,All,Login,5,,IT\n2026Q2,All,Login,5,,Security\n")
        assert [p.row for p in parsed.problems] == [2, 3]

    def test_required_cells(self):
        parsed = themes(HEAD + "2026Q1,,Login,5,,\n2026Q1,All,,5,,\n2026Q1,All,Login,,,\n")
        assert problems(parsed) == ["row 2, column segment: is empty",
                                    "row 3, column theme: is empty",
                                    "row 4, column count: is empty"]

    def test_header_only(self):
        assert problems(themes(HEAD)) == ["The file has a header but no data rows."]

    def test_a_metrics_file_is_not_a_themes_file(self):
        parsed = read_upload(sample("metrics_clean.csv"), "m.csv", "themes")
        assert not parsed.ok and "themes file" in problems(parsed)[0]
