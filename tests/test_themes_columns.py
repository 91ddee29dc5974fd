"""Themes priced from columns (`ThemeCounts`, what the store reads for the drill-down) say
exactly what the rows say, bit for bit, and exactly what the first, row-by-row implementation
of `roi.themes_money` said: it is kept below as the oracle (issue #13 made it faster, and no
figure may move, not even in its last bit)."""

from __future__ import annotations

import math
from collections import namedtuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxroi import roi
from cxroi.dataset import ThemeCounts
from cxroi.models import ALL, Assumptions
from cxroi.store import Store

from .helpers import upload

Row = namedtuple("Row", "theme metric count department")
METRICS = sorted(roi.ICEBERG_METRICS)
# "Straße" and "STRASSE" differ in lower case (two store rows) but not casefolded (one theme)
NAMES = ["Late delivery", "late DELIVERY", "Billing", "Straße", "STRASSE", "Login", "Cé", "cÉ"]


def oracle(berg: roi.Iceberg, rows) -> tuple:
    """The first implementation of `roi.themes_money`, row by row, as a plain tuple."""
    costs = roi.unit_costs(berg)
    metric_of = {spec.key: spec.metric for spec in roi.ICEBERG_LINES}
    values = {metric_of[line.key]: float(line.inputs[metric_of[line.key]]) for line in berg.lines}
    rows = list(rows)
    coded: dict[str, list[float]] = {}
    for row in rows:
        coded.setdefault(row.metric, []).append(float(row.count))
    scale, warnings = {}, []
    for metric in sorted(coded):
        total, value = math.fsum(coded[metric]), values.get(metric, 0.0)
        if metric not in costs:
            warnings.append(f"{metric}: the themes name {total:,.0f} but the iceberg has no "
                            f"{metric} in {berg.period or 'this period'}; they add nothing.")
        elif total > value:
            scale[metric] = value / total
            warnings.append(f"{metric}: the themes add up to {total:,.0f}, more than the "
                            f"{value:,.0f} recorded (comments coded to several themes); each "
                            f"count is scaled by {scale[metric]:.4f}.")
    names, departments, counts = {}, {}, {}
    for row in rows:
        key = row.theme.casefold()
        names.setdefault(key, row.theme)
        if departments.get(key) is None:
            departments[key] = row.department
        counts.setdefault(key, {}).setdefault(row.metric, []).append(float(row.count))
    money = {}
    for key, metrics in counts.items():
        money[key] = {}
        for metric, found in metrics.items():
            count = math.fsum(found) * scale.get(metric, 1.0)
            money[key][metric] = (count, count * costs.get(metric, 0.0))
    totals = {key: math.fsum(m for _, m in by.values()) for key, by in money.items()}
    order = sorted(totals, key=lambda key: (-totals[key], names[key]))
    whole = math.fsum(totals.values())
    items, running, crossed = [], [], False
    for key in order:
        running.append(totals[key])
        reached = math.fsum(running)
        items.append((names[key], departments[key], totals[key],
                      totals[key] / whole if whole else 0.0,
                      reached / whole if whole else 0.0,
                      whole > 0 and not crossed and totals[key] > 0,
                      sorted(money[key].items())))
        crossed = crossed or (whole > 0 and reached * 5 >= whole * 4)
    return (berg.period, berg.segment, berg.total, berg.total - whole, tuple(warnings), items)


def said(themes: roi.Themes) -> tuple:
    """What a `Themes` says, in the oracle's shape."""
    return (themes.period, themes.segment, themes.iceberg_total, themes.unattributed,
            themes.warnings,
            [(t.theme, t.department, t.money, t.share, t.cumulative_share, t.vital_few,
              sorted(t.by_metric.items())) for t in themes.items])


def bits(value: object) -> str:
    """``repr`` tells 0.0 from -0.0 and every last bit, where ``==`` does not."""
    return repr(value)


counts_ = st.one_of(st.integers(0, 10_000).map(float),
                    st.floats(0, 1e7, allow_nan=False, allow_infinity=False),
                    st.sampled_from([0.0, -0.0, 0.1, 1e-300, 123.45]))
values_ = st.dictionaries(st.sampled_from(METRICS),
                          st.one_of(st.integers(0, 50_000).map(float),
                                    st.floats(0, 1e6, allow_nan=False)), min_size=0)


@st.composite
def theme_counts(draw) -> ThemeCounts:
    """One period's columns as the store gives them: one entry per lower-cased name."""
    names = sorted(set(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8))),
                   key=str.lower)
    names = list({name.lower(): name for name in names}.values())
    metrics = draw(st.lists(st.sampled_from(METRICS), min_size=1, max_size=4, unique=True))
    columns = {m: [draw(st.one_of(st.none(), counts_)) for _ in names] for m in sorted(metrics)}
    for i in range(len(names)):   # every theme has a row of some metric
        if all(column[i] is None for column in columns.values()):
            columns[metrics[0]][i] = draw(counts_)
    counts = {m: tuple(column) for m, column in columns.items()
              if any(c is not None for c in column)}
    departments = tuple(draw(st.sampled_from([None, "Ops", "IT"])) for _ in names)
    return ThemeCounts("2026Q1", tuple(names), departments, counts)


@settings(max_examples=300, deadline=None)
@given(values=values_, columns=theme_counts())
def test_columns_say_what_the_rows_said_bit_for_bit(values, columns):
    berg = roi.iceberg(values, Assumptions(), period="2026Q1")
    found = roi.themes_money(berg, columns)
    assert bits(said(found)) == bits(oracle(berg, columns.rows()))
    assert bits(said(roi.themes_money(berg, columns.rows()))) == bits(said(found))
    assert found.money == {t.theme.casefold(): t.money for t in found.items}


@settings(max_examples=300, deadline=None)
@given(values=values_,
       rows=st.lists(st.builds(Row, st.sampled_from(NAMES), st.sampled_from(METRICS), counts_,
                               st.sampled_from([None, "Ops", "IT"])), max_size=30))
def test_rows_say_what_they_said_bit_for_bit(values, rows):
    """Several rows of one theme and metric, spellings merged by casefolding, zeros signed."""
    berg = roi.iceberg(values, Assumptions(), period="2026Q1")
    assert bits(said(roi.themes_money(berg, rows))) == bits(oracle(berg, rows))


@settings(max_examples=100, deadline=None)
@given(values=values_, quarters=st.lists(theme_counts(), min_size=1, max_size=6))
def test_a_themes_year_is_what_it_was(values, quarters):
    berg = roi.iceberg(values, Assumptions(), period="2026Q1")
    priced = [roi.themes_money(berg, q) for q in quarters]
    expected: dict[str, list[float]] = {}
    for quarter in priced[-4:]:
        for item in quarter.items:
            expected.setdefault(item.theme.casefold(), []).append(item.money)
    years = roi.theme_annual_costs(priced)
    assert sorted(years) == sorted(expected)
    for name, year in years.items():
        assert bits(year) == bits(4.0 * math.fsum(expected[name]) / len(priced[-4:]))

@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False))
       | st.lists(st.sampled_from([0.1, 0.2, 0.3, 1e16, -1e16, 1.0, 2.0 ** -60, -0.0])))
def test_running_sums_are_each_prefix_fsum(values):
    from cxroi.roi.themes import _running_sums

    assert bits(_running_sums(values)) == bits([math.fsum(values[:i + 1])
                                                for i in range(len(values))])


def test_items_are_built_once_and_on_first_use():
    berg = roi.iceberg({"service_contacts": 100}, Assumptions(), period="2026Q1")
    found = roi.themes_money(berg, ThemeCounts("2026Q1", ("A", "B"), (None, "IT"),
                                               {"service_contacts": (60.0, 40.0)}))
    assert "items" not in vars(found) and found.money == {"a": 480.0, "b": 320.0}
    assert found.items is found.items and [t.theme for t in found.vital_few] == ["A", "B"]


class TestTheStoreColumns:
    """The drill-down's columns hold the very cells `theme_rows` reads, period by period."""

    @pytest.fixture
    def db(self) -> Store:
        store = Store(":memory:")
        upload(store, "themes", [
            ("2026Q1", "Retail", "Late delivery", 900, "service_contacts", "Logistics"),
            ("2026Q1", "Online", "late DELIVERY", 100.5, "service_contacts", None),
            ("2026Q1", "Online", "Late delivery", 3, "customers_lost", None),
            ("2026Q1", "Online", "Login", 7, "returns", "IT"),
            ("2026Q1", "Retail", "Straße", 50, "returns", "Ops"),
            ("2026Q1", "Online", "STRASSE", 5, "returns", None),
            ("2026Q2", "Retail", "Login", 2, "returns", "IT"),
            ("2026Q2", "Online", "Billing", 0, "refunds_credits", "Finance")])
        # an uploaded All row wins for its (period, metric): escalations of 2026Q1
        upload(store, "themes", [("2026Q1", "All", "Billing", 4, "escalations", None),
                                 ("2026Q1", "Retail", "Login", 9, "escalations", "IT")],
               name="all.csv")
        yield store
        store.close()

    @pytest.mark.parametrize("segment", [ALL, "Online", "Retail", "Nowhere"])
    def test_columns_are_the_rows(self, db, segment):
        drill = db.drilldown(segment)
        records = db.theme_rows(segment)
        cells = [(q.period, theme.lower(), metric, column[i])
                 for q in drill.themes for i, theme in enumerate(q.themes)
                 for metric, column in sorted(q.counts.items()) if column[i] is not None]
        assert cells == [(r.period, r.theme.lower(), r.metric, r.count) for r in records]
        # a theme is shown as its first row (by metric) spells it, as the rows were priced
        first: dict[tuple[str, str], str] = {}
        for r in records:
            first.setdefault((r.period, r.theme.lower()), r.theme)
        assert [(q.period, theme) for q in drill.themes for theme in q.themes] == [
            (period, name) for (period, _), name in first.items()]
        assert [(r.period, r.theme.lower(), r.metric, r.count)
                for q in drill.themes for r in q.rows()] == [c for c in cells]
        for quarter in drill.themes:   # every metric column holds at least one count
            assert all(any(c is not None for c in col) for col in quarter.counts.values())

    def test_a_themes_department_is_its_first_metrics_that_names_one(self, db):
        quarter = db.drilldown("Online").themes[0]
        assert dict(zip(quarter.themes, quarter.departments)) == {
            "Late delivery": None, "Login": "IT", "STRASSE": None}
        company = db.drilldown(ALL).themes[0]
        assert dict(zip(company.themes, company.departments)) == {
            "Billing": None, "Late delivery": "Logistics", "Login": "IT", "STRASSE": None,
            "Straße": "Ops"}
        # the uploaded All row of escalations, not Retail's Login; the sum elsewhere
        assert company.counts["escalations"] == (4.0, None, None, None, None)
        assert company.counts["service_contacts"] == (None, 1000.5, None, None, None)

    def test_all_reads_no_second_copy_of_the_company_metrics(self, db):
        assert db.drilldown(ALL).company_metrics == ()
        assert db.drilldown("Online").company_metrics == db.dataset(ALL).metrics
        lean = db.drilldown(ALL, history=False)
        assert lean.company_themes is lean.themes
        assert [q.period for q in lean.themes] == ["2026Q1", "2026Q2"]
