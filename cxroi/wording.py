"""The sentences cxroi says: every headline, takeaway and subtitle, written once.

Charts put them in their titles, pages beside their cards, the deck on its slides and the CLI
in its summary, so one phrase means one number everywhere. Plain text only (never markup):
whoever renders a sentence escapes it for its medium.

==========================  ==============================================================
name                        the sentence
==========================  ==============================================================
`iceberg_headline`          "Finance sees $1.2M; it really costs $5.8M: hidden costs are 3.8x ..."
`hidden_takeaway`           "Hidden costs are 3.8x the visible tip"
`iceberg_subtitle`          the period, segment and what the areas mean
`snowball_steps_headline`   "The snowball: $1.2M finance sees grows to $5.8M ..."
`snowball_quarters_headline`  what poor experience has cost, and will if nothing changes
`melt_headline`             "Right first time saves $3.3M a year: NPV ..., payback ..."
`payback` / `pays_back`     "0.9 months" / "pays back in 0.9 months" (or never)
`relative_headline`         "11 of 14 measures are worse than normal; biggest move: ..."
`effort_headline`           "EL is 31% of effort: 1,240 hours short of 50%"
`loop_headline`             "Outer loop is 39% of looped effort, short of 50%"
`metric_label`              a metric's display name
`thumbnail_more`            "The 6 biggest moves of 13; +7 more on the Relative size page"
==========================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cxroi.format import money, multiple, percent, signed_percent
from cxroi.models import CANONICAL_METRICS
from cxroi.roi import EffortSplit, Iceberg, MeltResult, Snowball

if TYPE_CHECKING:
    from cxroi.report import RelativeView

__all__ = [
    "BASELINE_LABELS",
    "BASELINE_SHORT",
    "SEGMENT_CASE",
    "SNOWBALL_STEPS_SUBTITLE",
    "business_case_basis",
    "effort_headline",
    "effort_subtitle",
    "effort_trend_headline",
    "hidden_takeaway",
    "hours_short",
    "iceberg_headline",
    "iceberg_subtitle",
    "loop_headline",
    "loop_subtitle",
    "melt_headline",
    "melt_subtitle",
    "metric_label",
    "npv_label",
    "payback",
    "pays_back",
    "plain_period",
    "relative_headline",
    "relative_subtitle",
    "run_rate_note",
    "scenario_npv_headline",
    "size_word",
    "snowball_quarters_headline",
    "snowball_quarters_subtitle",
    "snowball_steps_headline",
    "thumbnail_more",
]


BASELINE_LABELS: dict[str, str] = {
    "previous": "previous quarter",
    "normal": "normal (mean of up to four earlier quarters)",
    "benchmark": "industry benchmark",
    "target": "target",
}
"""How a baseline kind reads in a footnote or a subtitle."""

BASELINE_SHORT: dict[str, str] = {
    "previous": "last quarter",
    "normal": "normal",
    "benchmark": "industry",
    "target": "target",
}
"""How a baseline kind reads in a label ("+38% vs normal")."""


def metric_label(metric: str) -> str:
    """A metric's display name, plain text (the canonical label, else the name as uploaded)."""
    canonical = CANONICAL_METRICS.get(metric)
    if canonical:
        return canonical.label
    text = metric.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def iceberg_headline(berg: Iceberg | None) -> str:
    """'Finance sees $1.2M; it really costs $5.8M: hidden costs are 3.8x the visible tip'.

    "x the tip" always means hidden / visible (`Iceberg.hidden_multiple`), wherever it is said.
    """
    if berg is None or berg.total <= 0:
        return "No cost of poor experience recorded yet"
    least = "at least " if berg.missing else ""
    if not berg.visible:
        return f"Finance sees nothing; it really costs {least}{money(berg.total)}"
    return (f"Finance sees {money(berg.visible)}; it really costs {least}{money(berg.total)}: "
            f"{hidden_takeaway(berg)[:1].lower()}{hidden_takeaway(berg)[1:]}")


def hidden_takeaway(berg: Iceberg | None) -> str:
    """'Hidden costs are 3.8x the visible tip'."""
    if berg is None or not berg.visible:
        return "No visible tip to compare with"
    return f"Hidden costs are {multiple(berg.hidden_multiple)} the visible tip"


def iceberg_subtitle(berg: Iceberg) -> str:
    """'Cost of poor experience, 2026Q1, All. Each layer's area is its money.'"""
    return (f"Cost of poor experience, {berg.period}, {berg.segment}. Each layer's area is its "
            "money.")


def snowball_steps_headline(ball: Snowball) -> str:
    """'The snowball: $1.2M finance sees grows to $5.8M once hidden costs are counted'."""
    if not ball.steps:
        return "No cost lines yet"
    return (f"The snowball: {money(ball.tip)} finance sees grows to "
            f"{money(ball.steps[-1].cumulative)} "
            "once hidden costs are counted")


SNOWBALL_STEPS_SUBTITLE = "The latest quarter's cost lines, added one by one"


def snowball_quarters_headline(ball: Snowball) -> str:
    """'Poor experience has cost $40M since 2024Q2; another $60M by 2029Q3 if nothing changes'."""
    actual, ahead = ball.running, ball.projection
    if not actual:
        return "No quarters yet"
    title = f"Poor experience has cost {money(actual[-1].cumulative)} since {actual[0].period}"
    if ahead:
        title += f"; another {money(ball.projected_cost)} by {ahead[-1].period} if nothing changes"
    return title


def snowball_quarters_subtitle(ball: Snowball) -> str:
    return f"Each future quarter at {run_rate_note(ball)}"


def payback(months: float | None) -> str:
    """'0.9 months', or 'never' when the business case never earns its investment back."""
    return "never" if months is None else f"{months:,.1f} months"


def pays_back(months: float | None) -> str:
    """'pays back in 0.9 months', or 'never pays back'.

    A $50,625 fix that nets $1,734,000 a year earns itself back in about ten days:

    >>> pays_back(12 * 50_625 / 1_734_000), pays_back(None)
    ('pays back in 0.4 months', 'never pays back')
    """
    return "never pays back" if months is None else f"pays back in {payback(months)}"


def melt_headline(case: MeltResult) -> str:
    """'Right first time saves $3.3M a year: NPV $7.7M, ROI 2,060%, payback 0.9 months'."""
    paid = ("never pays back" if case.payback_months is None
            else f"payback {payback(case.payback_months)}")
    return (f"Right first time saves {money(case.yearly_benefit)} a year (risk-adjusted): "
            f"NPV {money(case.npv)}, ROI {percent(case.roi)}, {paid}")


def melt_subtitle(berg: Iceberg, after: Iceberg, case: MeltResult) -> str:
    """What the picture shows (one quarter) and what the business case is built on (a year)."""
    text = (f"{berg.period}, {berg.segment}: prevention removes "
            f"{percent(1 - after.total / berg.total)} of every line (the dotted outline melts "
            f"away). {business_case_basis(case)}")
    return text + (f" {SEGMENT_CASE}" if berg.segment != "All" else "")


def business_case_basis(case: MeltResult) -> str:
    """'The saving is built on the last 4 quarters ($23M a year), for $250k up front and $50k a
    year.'"""
    return (f"The saving is built on the last {len(case.periods)} quarters "
            f"({money(case.annual_cost)} a year), for {money(case.investment)} up front and "
            f"{money(case.running_cost)} a year.")


SEGMENT_CASE = ("On a segment, the whole investment and running cost are charged to that "
                "segment.")


def run_rate_note(ball: Snowball) -> str:
    return f"the mean of the last four quarters, {money(ball.quarterly_run_rate)} a quarter"


def relative_subtitle(view: RelativeView, *, in_money: bool = False, without: int = 0) -> str:
    """What each bar is, against which baseline, and how many measures have none."""
    unit = "change in money" if in_money else "change in percent of the baseline"
    text = (f"{plain_period(view.period)}, {view.segment}: each bar is the {unit}, "
            f"against {BASELINE_LABELS[view.baseline]}")
    short = BASELINE_SHORT[view.baseline]
    return text + (f"; {without} left out (no {short} baseline)" if without else "")


def relative_headline(view: RelativeView, metrics: Sequence[str] | None = None) -> str:
    """'11 of 14 measures are worse than normal; biggest worse move: Service contacts +23%'.

    It leads with the biggest move in the wrong direction (the news an executive must hear),
    and counts only the measures that have the baseline.
    """
    bars = [b for b in view.bars if metrics is None or b.metric in metrics]
    known = sorted((b for b in bars if b.relative is not None), key=lambda b: b.relative,
                   reverse=True)
    short = BASELINE_SHORT[view.baseline]
    if not known:
        return f"No {short} baseline to compare with in {view.period or 'this period'}"
    bad = [b for b in known if b.worse]
    lead = max(bad or known, key=lambda b: abs(b.relative))
    if len(known) == 1:
        direction = "worse" if lead.worse else "better"
        return (f"{metric_label(lead.metric)} is {signed_percent(lead.relative)} vs {short}: "
                f"{direction}")
    if not bad:
        return (f"None of {len(known)} measures is worse than {short}; biggest move: "
                f"{metric_label(lead.metric)} {signed_percent(lead.relative)}")
    verb = "is" if len(bad) == 1 else "are"
    return (f"{len(bad)} of {len(known)} measures {verb} worse than {short}; biggest worse "
            f"move: {metric_label(lead.metric)} {signed_percent(lead.relative)}")


def hours_short(split: EffortSplit) -> str:
    """'3,440 h short' of the Experience Leadership target, or 'target met'."""
    return f"{split.el_gap_hours:,.0f} h short" if split.el_gap_hours > 0 else "target met"


def scenario_npv_headline(differences: Sequence) -> str:
    """'The iceberg is the same; prevention's NPV is $1.1M lower under B than under A'.

    ``differences`` are `cxroi.whatif.Difference` objects whose iceberg lines all agree.
    """
    if len(differences) != 1:
        return (f"The iceberg is the same; prevention's NPV differs from "
                f"{differences[0].reference}'s" if differences else "Nothing to compare yet")
    diff = differences[0]
    if diff.npv == 0:
        return f"{diff.other} and {diff.reference} give the same iceberg and the same NPV"
    side = "higher" if diff.npv > 0 else "lower"
    return (f"The iceberg is the same; prevention's NPV is {money(abs(diff.npv))} {side} "
            f"under {diff.other} than under {diff.reference}")


def npv_label(scenario_label: str) -> str:
    """'Prevention NPV under Baseline@1 (unsaved edit)': one pair of brackets at most."""
    return f"Prevention NPV under {scenario_label}"


def thumbnail_more(shown: int, total: int) -> str:
    """'The 6 biggest moves of 13; +7 more on the Relative size page' (none when all show)."""
    if total <= shown:
        return ""
    return f"The {shown} biggest moves of {total}; +{total - shown} more on the Relative size page"


def plain_period(period: str | None) -> str:
    return period or "No period"


def size_word(relative: float | None) -> str:
    """'small' (under 10%), 'medium' (10-25%) or 'large' (25% or more) change."""
    if relative is None:
        return "no baseline"
    size = abs(relative)
    return "small" if size < 0.10 else "medium" if size < 0.25 else "large"


def effort_headline(split: EffortSplit | None, target: float) -> str:
    """'EL is 31% of effort: 1,240 hours short of 50%'."""
    if split is None or not split.total_hours:
        return "No effort recorded yet"
    share = percent(split.shares["EL"])
    if split.el_gap_hours > 0:
        return (f"EL is {share} of effort: {split.el_gap_hours:,.0f} hours short of "
                f"{percent(target)}")
    return f"EL is {share} of effort: at or above the {percent(target)} target"


def effort_subtitle(period: str | None, target: float) -> str:
    return (f"{period or 'No period'}: share of hours by tier; Experience Leadership "
            f"(prevention) first, against the target of {percent(target)}")


def loop_subtitle(period: str | None, target: float) -> str:
    return (f"{period or 'No period'}: share of looped hours; outer loop (prevent "
            f"recurrence) against the target of {percent(target)}")


def effort_trend_headline(company: Sequence[EffortSplit], el_target: float) -> str:
    """'EL share went from 22% to 31% in 10 quarters; still short of 50%'."""
    if not company:
        return "No effort recorded yet"
    first, last = company[0], company[-1]
    title = (f"EL share went from {percent(first.shares['EL'])} to {percent(last.shares['EL'])} "
             f"in {len(company)} quarters" if len(company) > 1
             else f"EL share is {percent(last.shares['EL'])}")
    return title + ("; target met" if last.shares["EL"] >= el_target
                    else f"; still short of {percent(el_target)}")


def loop_headline(split: EffortSplit | None, target: float) -> str:
    """'Outer loop is 39% of looped effort, short of 50%'."""
    if split is None or split.outer_loop_share is None:
        return "No inner / outer loop recorded"
    share = split.outer_loop_share
    verdict = "short of" if share < target else "at or above"
    return f"Outer loop is {percent(share)} of looped effort, {verdict} {percent(target)}"


# --- the drill-down: key drivers, leading indicators, revenue at risk ------------------------
# (appended; `DriverResult` and `LeadingResult` come from cxroi.drivers, `RevenueAtRisk` from roi)

QUADRANTS: dict[str, str] = {
    "fix": "Fix first",
    "keep": "Keep it up",
    "watch": "Lower priority",
    "over": "Maintain",
}
"""The driver matrix's quadrants: important and below the average score (fix), important and
above (keep), less important and below (watch), less important and above (over)."""

QUADRANT_NOTES: dict[str, str] = {
    "fix": "matters most, scores lowest",
    "keep": "matters most, scores well",
    "watch": "matters less, scores lowest",
    "over": "matters less, scores well",
}

REVENUE_AT_RISK_LABEL = "Revenue at risk: exposure, never added to the cost"
"""Every view of revenue at risk says this (docs/design.md, "Revenue at risk")."""

REVENUE_AT_RISK_NOTE = (
    "Revenue exposure from this quarter's detractors, passives and promoters, in a year's "
    "revenue per customer. It is not a cost: it is never added to the iceberg or summed over "
    "quarters (the iceberg already prices customers lost and word of mouth).")

REVENUE_AT_RISK_FORMULAS: dict[str, str] = {
    "short_term": "detractors * detractor_revenue_at_risk * annual_revenue_per_customer",
    "long_term": "passives * passive_revenue_at_risk * annual_revenue_per_customer",
    "growth_potential": "promoters * promoter_growth_potential * annual_revenue_per_customer",
}
REVENUE_AT_RISK_NAMES: dict[str, str] = {
    "short_term": "Short-term risk (detractors)",
    "long_term": "Long-term risk (passives)",
    "growth_potential": "Growth potential (promoters)",
}

DRIVERS_EMPTY = ("There are no survey ratings yet. Import a ratings file on the Upload page "
                 "(one row per answer, or one row per respondent with a column per item) to "
                 "see which experiences drive loyalty.")


def item_label(item: str) -> str:
    """A survey item's display name: ``delivery_speed`` -> ``Delivery speed``."""
    text = item.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def drivers_headline(result) -> str:
    """"Delivery speed explains 41% of what drives likelihood to recommend" (plain text)."""
    if not result.drivers or result.r2 <= 0:
        return f"No driver explains {item_label(result.outcome).lower()} in {result.period}"
    top = result.drivers[0]
    return (f"{item_label(top.item)} explains {percent(top.share)} of what drives "
            f"{item_label(result.outcome).lower()}")


def drivers_subtitle(result) -> str:
    """The period, segment, n, R² and method: what the footnote of the bars must say."""
    method = "LMG (Shapley)" if result.method == "lmg" else "Johnson's relative weights"
    return (f"{result.period}, {result.segment}: {result.n:,} complete responses"
            f"{f' ({result.n_dropped:,} dropped for a missing answer)' if result.n_dropped else ''}"
            f"; R² = {result.r2:.2f}; {method}. Share of R², signed by the direction of r; "
            "grey bars are not significant (p >= 0.05).")


def matrix_headline(fix_first: Sequence[str]) -> str:
    """"Fix first: support helpfulness and returns process (important, scoring low)"."""
    if not fix_first:
        return "No important driver scores below the average: keep up the strengths"
    names = [item_label(name).lower() for name in fix_first]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Fix first: {listed} (important, scoring below the average)"


def drivers_text(result) -> str:
    """The ``drivers`` command's plain-text form: a summary line and one line per driver."""
    lines = [f"Key drivers of {result.outcome}, {result.period}, {result.segment} "
             f"({result.method}): n = {result.n:,} ({result.n_dropped:,} dropped), "
             f"R² = {result.r2:.4f}"]
    lines += [f"warning: {w}" for w in result.warnings]
    lines.append(f"{'item':<28} {'share':>7} {'importance':>10} {'r':>7} {'p_value':>9} "
                 f"{'beta':>7} {'mean':>7}")
    for d in result.drivers:
        flags = " ".join(f for f, on in (("significant", d.significant),
                                         ("suppressor", d.suppressor)) if on)
        lines.append(f"{d.item[:28]:<28} {percent(d.share, 1):>7} {d.importance:>10.4f} "
                     f"{d.r:>7.3f} {d.p_value:>9.4f} {d.beta:>7.3f} {d.mean:>7.2f}  {flags}".rstrip())
    return "\n".join(lines)


def leading_headline(result) -> str:
    """Which metric leads the outcome (after Holm's adjustment), or an honest sentence."""
    outcome = metric_label(result.outcome).lower()
    quarters = "a quarter" if result.lag == 1 else f"{result.lag} quarters"
    leading = [i for i in result.indicators if i.leading]
    if leading:
        names = [metric_label(i.metric).lower() for i in leading[:3]]
        return (f"{names[0][:1].upper() + names[0][1:]}"
                f"{' (and ' + ', '.join(names[1:]) + ')' if len(names) > 1 else ''} "
                f"moves {quarters} before {outcome} (Holm-adjusted p < 0.05)")
    if not result.indicators and not result.not_tested:
        return f"There is no other metric to test as a leading indicator of {outcome}"
    if not result.indicators:
        most = max((t.n for t in result.not_tested), default=0)
        return (f"Too few quarters to test a leading indicator of {outcome}: a test needs at "
                f"least 4 quarter pairs {result.lag} {'quarter' if result.lag == 1 else 'quarters'} "
                f"apart, and the data give at most {most}")
    return (f"No metric moves {quarters} before {outcome} once the {len(result.indicators)} "
            "tests are adjusted for testing many (Holm)")


def leading_text(result) -> str:
    """The ``leading`` command's plain-text form."""
    lines = [f"Leading indicators of {result.outcome}, lag {result.lag}, {result.segment}: "
             + leading_headline(result) + "."]
    lines.append(f"{'metric':<28} {'n':>3} {'r':>7} {'p_value':>9} {'p_holm':>9}")
    for i in result.indicators:
        lines.append(f"{i.metric[:28]:<28} {i.n:>3} {i.r:>7.3f} {i.p_value:>9.4f} "
                     f"{i.p_holm:>9.4f}  {'leading' if i.leading else ''}".rstrip())
    for t in result.not_tested:
        lines.append(f"{t.metric[:28]:<28} {t.n:>3}  not tested ({t.reason})")
    return "\n".join(lines)


def revenue_at_risk_headline(risk) -> str:
    """"$1.1M short-term and $1.4M long-term revenue at risk in 2026Q3: exposure, ..."."""
    parts = [f"{money(value)} {term}" for value, term in
             ((risk.short_term, "short-term"), (risk.long_term, "long-term")) if value is not None]
    if not parts:
        return f"No detractors or passives reported for {risk.period}"
    return (f"{' and '.join(parts)} revenue at risk in {risk.period}: exposure, never added to "
            "the cost")
# --- the drill-down: the vital few and action plans ------------------------------------------


def themed_part(themes) -> str:
    """'$119K of the $879K is explained by 3 themes.' (the iceberg's themed part)."""
    from cxroi.format import money as _money

    whole = themes.iceberg_total - themes.unattributed
    count = sum(1 for t in themes.items if t.money > 0)
    noun = "theme" if count == 1 else "themes"
    return (f"{_money(whole)} of the {_money(themes.iceberg_total)} is explained by "
            f"{count} {noun}.")


def vital_few_headline(themes) -> str:
    """The Pareto chart's title: how few themes carry 80% of the themed money."""
    from cxroi.format import percent as _percent

    vital = themes.vital_few
    if not vital:
        return "No theme carries any money yet"
    share = vital[-1].cumulative_share
    if len(vital) == 1:
        return f"One theme, {vital[0].theme}, is {_percent(share)} of the themed money"
    return f"{len(vital)} of {len(themes.items)} themes are {_percent(share)} of the themed money"


def pareto_subtitle(themes) -> str:
    from cxroi.format import money as _money

    return (f"{themes.period}, {themes.segment}. The vital few reach 80%; the useful many are "
            f"quick wins. Not explained by any theme: {_money(themes.unattributed)} of "
            f"{_money(themes.iceberg_total)}.")


def plans_headline(plans) -> str:
    """The plans timeline's title: how many plans, how many overdue."""
    late = sum(1 for p in plans if p.overdue)
    total = len(plans)
    noun = "action plan" if total == 1 else "action plans"
    if not late:
        return f"{total} {noun}, none overdue"
    return f"{total} {noun}, {late} overdue"


PLAN_STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "done": "Done",
                      "dropped": "Dropped"}
"""How a plan's status reads on screen."""

NO_THEMES = ("No themes for this segment yet: upload a themes file (period, segment, theme, "
             "count, metric, department) on the Upload page.")
NO_PLANS = "No action plans yet: add one below for a theme of the vital few."
PLAN_MONEY_BASIS = ("A plan's money is company-wide: its theme's year is 4 x the mean of the "
                    "theme's money over the four latest quarters with themes (segment All), "
                    "with the scenario's haircut, discount rate and horizon.")


# --- the deck's drill-down slides (deck branch) ----------------------------------------------


def drivers_note(result) -> str:
    """What a key-driver footnote adds to the survey's source and scope: respondents, n, R²
    and the method (the deck's slide and its speaker notes)."""
    method = "LMG (exact Shapley average)" if result.method == "lmg" else \
        "Johnson's relative weights"
    return (f"Respondents: {result.segment}. n = {result.n:,} complete responses "
            f"({result.n_dropped:,} dropped for a missing answer). R² = {result.r2:.3f}. "
            f"Importance: {method}; grey: p >= 0.05.")


def pareto_deck_subtitle(themes) -> str:
    """The Pareto slide's subtitle: the themed part, and the remainder shown apart."""
    from cxroi.format import money as _money

    return (f"{themed_part(themes)} Not explained by any theme: "
            f"{_money(themes.unattributed)} (not drawn). {themes.period}, {themes.segment}; "
            "the vital few reach 80%, the useful many are quick wins.")


def work_group_headline(department: str, items) -> str:
    """A work group's slide title: its top two themes first (plain text; names as written)."""
    from cxroi.format import money as _money

    top = list(items)[:2]
    if not top:
        return f"{department}: no theme this quarter"
    names = " and ".join(t.theme for t in top)
    return f"{department}: find the root causes of {names} first ({_money(sum(t.money for t in top))})"


def work_group_subtitle(department: str, items, themes) -> str:
    """The work group's themes, their money and their share of the themed money."""
    from cxroi.format import money as _money
    from cxroi.format import percent as _percent

    mine = list(items)
    total = sum(t.money for t in mine)
    whole = themes.iceberg_total - themes.unattributed
    noun = "theme" if len(mine) == 1 else "themes"
    return (f"{len(mine)} {noun} owned by {department}: {_money(total)}, "
            f"{_percent(total / whole if whole else 0.0)} of the themed money in "
            f"{themes.period}, {themes.segment}.")


def plans_case_headline(plans) -> str:
    """The plans table's title: the plan with the best business case (NPV), or none."""
    from cxroi.format import money as _money

    best = max(plans, key=lambda p: p.case.npv, default=None)
    if best is None or best.case.npv <= 0:
        return "No action plan pays back within the horizon yet"
    return (f"The best business case: {best.record.theme}, {_money(best.case.npv)} NPV "
            f"({pays_back(best.case.payback_months)})")


PLANS_TABLE_SUBTITLE = ("Each plan's latest version: theme, owner, due date and status, and its "
                        "business case under this scenario (NPV, ROI, payback)")
PLANS_TIMELINE_SUBTITLE = "From the day each plan was made to its due date, by status"
"""The plans timeline's subtitle, under the chart and on its slide."""
