"""The cell rules (cxroi.ingest.cells): numbers, names, periods, tiers, loops, flags, dates."""

from __future__ import annotations

import math

import pytest

from cxroi.ingest.cells import parse_number
from tests.ingest.common import HEADER, problems, read


class TestNumbers:
    def test_semicolon_with_decimal_commas(self):
        parsed = read("period;segment;metric;value;unit\n"
                      "2026Q1;A;refunds_credits;61.250,00;money\n"
                      "2026Q1;B;refunds_credits;61 250,5;money\n"
                      "2026Q1;C;refunds_credits;1.234.567;money\n"
                      "2026Q1;D;refunds_credits;4.2;money\n"
                      "2026Q1;E;refunds_credits;€ 12,5;money\n"
                      "2026Q1;F;refunds_credits;0.125;money\n"
                      "2026Q1;G;refunds_credits;7;money\n")
        assert parsed.ok, problems(parsed)
        assert parsed.rows["value"].tolist() == [61250.0, 61250.5, 1234567.0, 4.2, 12.5, 0.125, 7.0]

    def test_an_ambiguous_dot_in_a_semicolon_file_is_refused(self):
        parsed = read("period;segment;metric;value;unit\n2026Q1;A;refunds_credits;1.500;money\n"
                      "2026Q1;B;returns;12.345;count\n")
        assert problems(parsed) == [
            "row 2, column value: is ambiguous in a ;-separated file ('1.500' could be 1500 or "
            "1.500): write 1500 or 1,500",
            "row 3, column value: is ambiguous in a ;-separated file ('12.345' could be 12345 or "
            "12.345): write 12345 or 12,345"]

    def test_comma_file_quoted_thousands_money_and_percent(self):
        parsed = read(HEADER +
                      '2026Q1,A,service_contacts,"12,500",count\n'
                      '2026Q1,A,refunds_credits,"$1,234.50",money\n'
                      "2026Q1,B,refunds_credits,$1234,money\n"
                      '2026Q1,A,nps,12%,\n'
                      '2026Q1,A,billing_share, 4.5 % ,percent\n'
                      '2026Q1,C,refunds_credits,"1,234,567.5",money\n'
                      "2026Q1,C,customers,1e3,\n")
        assert parsed.ok, problems(parsed)
        assert parsed.rows[["value", "unit"]].values.tolist() == [
            [12500.0, "count"], [1234.5, "money"], [1234.0, "money"], [12.0, "percent"],
            [4.5, "percent"], [1234567.5, "money"], [1000.0, "count"]]

    def test_a_decimal_comma_in_a_comma_file_is_not_guessed(self):
        parsed = read(HEADER + '2026Q1,A,returns,"4,2",count\n2026Q1,B,returns,"12,50",count\n')
        assert problems(parsed) == ["row 2, column value: must be a number (got '4,2')",
                                    "row 3, column value: must be a number (got '12,50')"]

    def test_values_that_are_not_finite_numbers(self):
        parsed = read(HEADER + "2026Q1,A,returns,inf,count\n2026Q1,B,returns,NaN,count\n"
                      "2026Q1,C,returns,n/a,count\n2026Q1,D,returns,,count\n2026Q1,E,returns,-Infinity,count\n"
                      "2026Q1,F,returns,1e999,count\n2026Q1,G,returns,%,count\n2026Q1,H,returns,12 500,count\n")
        assert problems(parsed) == [
            "row 2, column value: must be a finite number (got 'inf')",
            "row 3, column value: must be a finite number (got 'NaN')",
            "row 4, column value: must be a number (got 'n/a')",
            "row 5, column value: is empty",
            "row 6, column value: must be a finite number (got '-Infinity')",
            "row 7, column value: must be a finite number (got '1e999')",
            "row 8, column value: must be a number (got '%')",
            "row 9, column value: must be a number (got '12 500')",
        ]

    def test_negative_zero_is_zero(self):
        parsed = read(HEADER + "2026Q1,C,returns,-0,count\n")
        value = parsed.rows["value"].iloc[0]
        assert value == 0.0 and math.copysign(1, value) == 1.0


@pytest.mark.parametrize("text, decimal_comma, expected", [
    ("12,500", False, (12500.0, False)), ("$1,234.50", False, (1234.5, False)),
    ("12%", False, (12.0, True)), ("61250,00", True, (61250.0, False)),
    ("4,2%", True, (4.2, True)), ("61.250,00", True, (61250.0, False)),
    ("4.2", True, (4.2, False)), (" 7 ", False, (7.0, False)), ("-0", False, (0.0, False)),
])
def test_parse_number(text, decimal_comma, expected):
    assert parse_number(text, decimal_comma=decimal_comma) == expected


class TestText:
    def test_names_are_kept_exactly(self):
        names = ["<b>Retail</b>", "Ünïcödé 東京 🚀", "O'Brien & Co; \"quoted\"", "=SUM(A1:A9)",
                 "+1+1", "@cmd", "-2+3", "NA", "None", "null", "007", "Line one\nline two"]
        body = "".join(f'2026Q1,"{n.replace(chr(34), chr(34) * 2)}",returns,1,count\n' for n in names)
        parsed = read(HEADER + body + '2026Q1,"  padded  ",returns,1,count\n')
        assert parsed.ok, problems(parsed)
        assert parsed.rows["segment"].tolist() == [*names, "padded"]
        assert parsed.rows["row"].tolist() == list(range(2, 2 + len(names) + 1))

    def test_numeric_looking_names_keep_their_zeros(self):
        parsed = read(HEADER + "2026Q1,007,returns,1,count\n2026Q1,1.50,returns,1,count\n")
        assert parsed.ok and parsed.rows["segment"].tolist() == ["007", "1.50"]
        effort = read("period,department,tier,hours\n2026Q1,0042,TM,1\n2026Q1,TRUE,TM,1\n", "effort")
        assert effort.ok and effort.rows["department"].tolist() == ["0042", "TRUE"]

    def test_period_spellings(self):
        spellings = ["2026Q3", "2026-Q3", "2026 Q3", "Q3 2026", "Q3-2026", "q3/2026", "2026-08-14"]
        body = "".join(f"{s},S{i},returns,1,count\n" for i, s in enumerate(spellings))
        parsed = read(HEADER + body)
        assert parsed.ok and set(parsed.rows["period"]) == {"2026Q3"}

    def test_bad_periods(self):
        parsed = read(HEADER + "2026Q5,A,returns,1,count\n26Q1,A,returns,1,count\n"
                      ",A,returns,1,count\n2026-02-30,A,returns,1,count\n")
        assert problems(parsed) == [
            "row 2, column period: '2026Q5' is not a quarter: there is no quarter 5",
            "row 3, column period: '26Q1' is not a quarter (write it like 2026Q3)",
            "row 4, column period: is empty",
            "row 5, column period: '2026-02-30' is not a valid date",
        ]

    def test_empty_required_text(self):
        parsed = read(HEADER + "2026Q1, ,returns,1,count\n2026Q1,A,,1,count\n")
        assert problems(parsed) == ["row 2, column segment: is empty", "row 3, column metric: is empty"]

    def test_tiers_and_loops(self):
        parsed = read("period,department,tier,hours,budget,loop\n"
                      "2026Q1,A,Touchpoint Management,1,,Inner\n"
                      "2026Q1,A,experience management,2,,OUTER\n"
                      "2026Q1,A,EXPERIENCE-LEADERSHIP,3,,outer loop\n"
                      "2026Q1,B,tm,4,10,\n2026Q1,B,Em,5,,\n2026Q1,B,el,6,\"$1,000\",\n", "effort")
        assert parsed.ok, problems(parsed)
        rows = parsed.rows
        assert rows["tier"].tolist() == ["TM", "EM", "EL", "TM", "EM", "EL"]
        assert rows["loop"].tolist() == ["inner", "outer", "outer", None, None, None]
        assert rows["budget"].isna().tolist() == [True, True, True, False, True, False]
        assert rows["budget"].iloc[5] == 1000.0

    def test_bad_effort_rows(self):
        parsed = read("period,department,tier,hours,budget,loop\n"
                      "2026Q1,A,Leadership,1,,middle\n2026Q1,A,TM,12%,-5,\n2026Q1,A,EM,,,\n", "effort")
        assert problems(parsed) == [
            "row 2, column tier: must be TM, EM or EL (or Touchpoint Management, Experience "
            "Management, Experience Leadership) (got 'Leadership')",
            "row 2, column loop: must be inner or outer, or left empty (got 'middle')",
            "row 3, column hours: must be a plain number, not a percentage (got '12%')",
            "row 3, column budget: must be 0 or more (got -5)",
            "row 4, column hours: is empty",
        ]

    def test_benchmark_dates_and_kinds(self):
        parsed = read("Metric,Value,Unit,Source,As Of,Kind\n"
                      "customers,1,count,P,31/12/2025,\n"
                      "returns,1,count,P,12/31/2025,Target\n"
                      "escalations,1,count,P,31.12.2025,industry\n"
                      "detractors,1,count,P,\"Dec 31, 2025\",\n"
                      "promoters,1,count,P,31 December 2025,\n"
                      "passives,1,count,P,2025-12-31 00:00:00,\n"
                      "revenue,1,money,P,2025/12/31,\n"
                      "nps,4.5%,percent,P,2025-06-30,target\n", "benchmarks")
        assert parsed.ok, problems(parsed)
        assert set(parsed.rows["as_of"][:7]) == {"2025-12-31"}
        assert parsed.rows["kind"].tolist() == ["industry", "target", "industry", "industry",
                                                "industry", "industry", "industry", "target"]
        assert parsed.rows["value"].iloc[-1] == 4.5

    def test_bad_benchmark_rows(self):
        parsed = read("metric,value,unit,source,as_of,kind\n"
                      "customers,1,count,P,03/04/2025,goal\n"
                      "returns,1,,,2025-02-30,\n"
                      "escalations,1,count,P,yesterday,\n", "benchmarks")
        assert problems(parsed) == [
            "row 2, column as_of: '03/04/2025' is ambiguous (day 3 of month 4, or day 4 of month "
            "3?): write it as YYYY-MM-DD",
            "row 2, column kind: must be industry or target, or left empty (got 'goal')",
            "row 3, column unit: is empty",
            "row 3, column source: is empty",
            "row 3, column as_of: '2025-02-30' is not a valid date",
            "row 4, column as_of: 'yesterday' is not a date (write it like 2025-12-31)",
        ]


class TestFlags:
    def test_higher_is_better_spellings_and_defaults(self):
        parsed = read("period,segment,metric,value,unit,Higher Is Better\n"
                      "2026Q1,A,csat,1,count,yes\n2026Q1,B,csat,1,count,No\n2026Q1,C,csat,1,count,Y\n"
                      "2026Q1,D,csat,1,count,n\n2026Q1,E,csat,1,count,1\n2026Q1,F,csat,1,count,0\n"
                      "2026Q1,G,csat,1,count,TRUE\n2026Q1,H,csat,1,count,false\n"
                      "2026Q1,I,csat,1,count,\n2026Q1,I,customers,1,,\n2026Q1,I,returns,1,,\n"
                      "2026Q1,J,customers,1,,no\n")
        assert parsed.ok
        assert parsed.rows["higher_is_better"].tolist() == [
            True, False, True, False, True, False, True, False, False, True, False, False]

    def test_a_bad_flag(self):
        parsed = read("period,segment,metric,value,unit,higher_is_better\n2026Q1,A,csat,1,count,maybe\n")
        assert problems(parsed) == [
            "row 2, column higher_is_better: must be true or false (or yes/no, y/n, 1/0) (got 'maybe')"]
