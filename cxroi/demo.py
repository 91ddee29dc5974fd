"""The demo dataset: a fictional company, deterministic, believable, labelled as demo.

*Harborline Outfitters* sells outdoor gear to consumers (Retail, Online) and to clubs and
schools (Business). Ten quarters, 2024Q2 to 2026Q3: every canonical metric for each
segment, a first-contact-resolution share (percent, uploaded for ``All`` too), effort for
five departments with inner and outer loop, industry and target benchmarks, a quarterly
customer survey (600 respondents a quarter: likelihood to recommend, 0-10, and eight
experiences rated 1-5, some skipped), the themes of each segment's contacts, returns and
comments (eleven, a long tail), and three action plans (one in progress, one overdue, one
done). The last quarter is worse than normal on purpose (delivery slips): that is what the
dashboard is for.

The rows go through `Store.commit_upload` like any upload, marked ``demo``.
"""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pandas as pd

from cxroi.models import ALL, CANONICAL_METRICS, UploadMeta, next_period
from cxroi.store import Store

__all__ = ["COMPANY", "FIRST_PERIOD", "PERIODS", "load_demo", "demo_frames"]

COMPANY = "Harborline Outfitters (demo)"
FIRST_PERIOD = "2024Q2"
PERIODS = tuple(next_period(FIRST_PERIOD, i) for i in range(10))

# Quarterly level of each metric per segment in the first period.
_LEVELS: dict[str, dict[str, float]] = {
    "Retail": {
        "customers": 48_000, "revenue": 14_400_000, "customers_lost": 520,
        "service_contacts": 21_000, "escalations": 140, "refunds_credits": 182_000,
        "returns": 2_600, "promoters": 3_900, "passives": 2_700, "detractors": 1_300,
        "deals_delayed": 25, "frontline_leavers": 14,
    },
    "Online": {
        "customers": 31_000, "revenue": 8_700_000, "customers_lost": 430,
        "service_contacts": 16_500, "escalations": 95, "refunds_credits": 121_000,
        "returns": 3_400, "promoters": 2_600, "passives": 2_100, "detractors": 1_000,
        "deals_delayed": 10, "frontline_leavers": 9,
    },
    "Business": {
        "customers": 2_400, "revenue": 6_100_000, "customers_lost": 22,
        "service_contacts": 5_200, "escalations": 120, "refunds_credits": 58_000,
        "returns": 420, "promoters": 410, "passives": 300, "detractors": 120,
        "deals_delayed": 140, "frontline_leavers": 6,
    },
}
_FCR = {"Retail": 71.0, "Online": 66.0, "Business": 78.0, ALL: 70.0}
_DEPARTMENTS = {  # quarterly hours: TM (inner), EM, EL (outer)
    "Customer Support": (5200, 900, 900),
    "Marketing": (600, 1900, 400),
    "Sales": (1500, 700, 300),
    "Product": (300, 500, 1200),
    "Operations": (1100, 300, 700),
}


def _metric_rows() -> pd.DataFrame:
    rng = random.Random(2026)
    rows = []
    for index, period in enumerate(PERIODS):
        season = 1.0 + (0.12 if period.endswith("Q4") else 0.0)
        last = index == len(PERIODS) - 1
        for segment, levels in _LEVELS.items():
            for metric, level in levels.items():
                good = CANONICAL_METRICS[metric].higher_is_better
                trend = 1.0 + (0.012 if good else 0.018) * index
                spike = 1.0 if good or not last else 1.22  # the quarter that can't stand
                noise = rng.uniform(0.96, 1.04)
                value = level * trend * season * spike * noise
                value = round(value, 2) if CANONICAL_METRICS[metric].unit == "money" else round(value)
                rows.append((period, segment, metric, float(value)))
        for segment, level in _FCR.items():
            drift = -0.4 * index - (3.0 if last else 0.0)
            rows.append((period, segment, "first_contact_resolution",
                         round(level + drift + rng.uniform(-0.8, 0.8), 1)))
    frame = pd.DataFrame(rows, columns=["period", "segment", "metric", "value"])
    units = {m: c.unit for m, c in CANONICAL_METRICS.items()}
    better = {m: c.higher_is_better for m, c in CANONICAL_METRICS.items()}
    frame["unit"] = frame["metric"].map(units).fillna("percent")
    frame["higher_is_better"] = frame["metric"].map(better).fillna(True).astype(bool)
    return frame


def _effort_rows() -> pd.DataFrame:
    rng = random.Random(7)
    rows = []
    for index, period in enumerate(PERIODS):
        shift = 1.0 + 0.03 * index  # leadership effort grows slowly
        for department, (tm, em, el) in _DEPARTMENTS.items():
            for tier, hours, loop in (("TM", tm / shift, "inner"), ("EM", em, None),
                                      ("EL", el * shift, "outer")):
                hours = round(hours * rng.uniform(0.95, 1.05))
                rows.append((period, department, tier, float(hours), float(hours * 62), loop))
    return pd.DataFrame(rows, columns=["period", "department", "tier", "hours", "budget", "loop"])


def _benchmark_rows() -> pd.DataFrame:
    source = "CX industry panel 2025 (illustrative)"
    rows = [
        ("first_contact_resolution", "industry", 74.0, "percent", source, "2025-12-31"),
        ("first_contact_resolution", "target", 80.0, "percent", "Harborline CX plan (demo)",
         "2026-01-15"),
        ("escalations", "target", 300.0, "count", "Harborline CX plan (demo)", "2026-01-15"),
        ("customers_lost", "industry", 2_100.0, "count", source, "2025-12-31"),
    ]
    return pd.DataFrame(rows, columns=["metric", "kind", "value", "unit", "source", "as_of"])


# The quarterly customer survey: the outcome (0-10) and eight experiences rated 1-5, each
# with its mean score and how strongly it moves the likelihood to recommend. Support and
# delivery matter most and score low: the driver matrix's "fix first".
_OUTCOME = "likelihood_to_recommend"
_DRIVERS: dict[str, tuple[float, float]] = {   # item -> (mean score 1-5, weight in the outcome)
    "support_helpfulness": (3.0, 0.95),
    "delivery_speed": (3.2, 0.80),
    "product_quality": (4.1, 0.70),
    "ease_of_returns": (3.4, 0.35),
    "order_accuracy": (4.3, 0.30),
    "website_ease": (3.9, 0.05),
    "price_value": (3.5, 0.25),
    "staff_knowledge": (4.0, 0.0),
}
_RESPONDENTS = {"Retail": 260, "Online": 220, "Business": 120}   # per quarter
_UNANSWERED = 0.02   # share of driver items skipped


def _rating_rows() -> pd.DataFrame:
    """A few hundred survey respondents per quarter and segment (seeded, so always the same)."""
    rng = np.random.default_rng(2026)
    items = [_OUTCOME, *_DRIVERS]
    means = np.array([m for m, _ in _DRIVERS.values()])
    weights = np.array([w for _, w in _DRIVERS.values()])
    parts = []
    for index, period in enumerate(PERIODS):
        last = index == len(PERIODS) - 1
        for segment, count in _RESPONDENTS.items():
            mood = rng.normal(size=(count, 1))
            shift = np.where(np.array(list(_DRIVERS)) == "delivery_speed", -0.5 if last else 0, 0)
            raw = means + shift + 0.3 * mood + rng.normal(0, 0.85, size=(count, len(means)))
            drivers = np.clip(np.rint(raw), 1, 5)
            centred = (drivers - means) @ weights
            outcome = np.clip(np.rint(7.0 + 0.9 * centred + rng.normal(0, 1.3, count)), 0, 10)
            scores = np.column_stack([outcome, drivers])
            skipped = rng.random(scores.shape) < _UNANSWERED
            skipped[:, 0] = rng.random(count) < 0.01
            scores[skipped] = np.nan
            who, what = np.nonzero(~np.isnan(scores))
            prefix = f"{segment[0]}{period[2:4]}{period[-1]}-"
            parts.append(pd.DataFrame({
                "period": period, "segment": segment,
                "respondent": [f"{prefix}{i + 1:04d}" for i in who.tolist()],
                "item": np.asarray(items, dtype=object)[what],
                "score": scores[who, what]}))
    return pd.concat(parts, ignore_index=True)
# What each segment's iceberg inputs are about: theme -> (department, {metric: share}).
# A long tail: two themes carry most of the money, the rest a little each.
_THEMES: dict[str, tuple[str, dict[str, float]]] = {
    "Late delivery": ("Operations", {"service_contacts": 0.21, "escalations": 0.15,
                                     "customers_lost": 0.12, "detractors": 0.16}),
    "Billing errors": ("Finance", {"service_contacts": 0.14, "refunds_credits": 0.24,
                                   "escalations": 0.20, "customers_lost": 0.07,
                                   "deals_delayed": 0.30}),
    "Login problems": ("Product", {"service_contacts": 0.08, "detractors": 0.05}),
    "Sizing confusion": ("Product", {"service_contacts": 0.05, "returns": 0.34}),
    "Damaged on arrival": ("Operations", {"refunds_credits": 0.12, "returns": 0.18,
                                          "service_contacts": 0.03}),
    "Unhelpful staff": ("Customer Support", {"customers_lost": 0.04, "detractors": 0.07,
                                             "service_contacts": 0.02}),
    "Understaffed shifts": ("Customer Support", {"frontline_leavers": 0.25,
                                                 "escalations": 0.05}),
    "Promo code failures": ("Marketing", {"service_contacts": 0.03, "refunds_credits": 0.02}),
    "Slow refunds": ("Finance", {"service_contacts": 0.025, "escalations": 0.03}),
    "Warranty claims": ("Customer Support", {"service_contacts": 0.015, "returns": 0.03}),
    "Store stock gaps": ("Sales", {"service_contacts": 0.01, "deals_delayed": 0.08}),
}


def _theme_rows(metrics: pd.DataFrame) -> pd.DataFrame:
    """Each segment's themes per quarter: a share of the segment's own metric, with noise."""
    rng = random.Random(13)
    values = {(r.period, r.segment, r.metric): r.value for r in metrics.itertuples()}
    rows = []
    for period in PERIODS:
        for segment in _LEVELS:
            for theme, (department, shares) in _THEMES.items():
                drift = 1.0 + (0.04 if theme == "Late delivery" else -0.01) * PERIODS.index(period)
                for metric, share in shares.items():
                    value = values.get((period, segment, metric))
                    if not value:
                        continue
                    count = value * share * drift * rng.uniform(0.9, 1.1)
                    count = round(count, 2) if metric == "refunds_credits" else round(count)
                    if count > 0:
                        rows.append((period, segment, theme, float(count), metric, department))
    return pd.DataFrame(rows, columns=["period", "segment", "theme", "count", "metric",
                                       "department"])


_PLANS = (
    dict(theme="Late delivery", root_cause="The carrier contract has no delivery-time "
         "commitment, and orders are released to the warehouse once a day.",
         action="Renegotiate the carrier contract with a two-day commitment; release orders "
         "every hour.", owner="Operations lead (demo)", due="2027-06-30", investment=60_000,
         running_cost=12_000, expected_reduction=0.6, indicator="escalations",
         indicator_target=300, note="Pilot in Online first."),
    dict(theme="Billing errors", root_cause="Manual price overrides at checkout are not "
         "checked against the promotion calendar.",
         action="Block overrides outside the calendar; a daily mismatch report to Finance.",
         owner="Finance controller (demo)", due="2026-06-30", investment=25_000,
         running_cost=4_000, expected_reduction=0.5, indicator="refunds_credits",
         indicator_target=250_000),
    dict(theme="Login problems", root_cause="Password resets expire before the e-mail "
         "arrives for some mail providers.",
         action="Longer reset links and a one-time code by text message.",
         owner="Product manager (demo)", due="2026-03-31", investment=15_000,
         running_cost=2_000, expected_reduction=0.7, indicator="first_contact_resolution",
         indicator_target=80),
)
_PLAN_STATUSES = ("in_progress", "planned", "done")
"""The demo plans' current statuses: one moving, one overdue (still planned), one done."""


def demo_frames() -> dict[str, pd.DataFrame]:
    """The demo's rows per kind, in the store's canonical columns (with ``row`` numbers)."""
    # ratings and themes before benchmarks: the benchmarks stay the demo's latest upload
    metrics = _metric_rows()
    frames = {"metrics": metrics, "effort": _effort_rows(), "ratings": _rating_rows(),
              "themes": _theme_rows(metrics), "benchmarks": _benchmark_rows()}
    for frame in frames.values():
        frame.insert(0, "row", range(2, len(frame) + 2))
    return frames


_META = {
    "metrics": ("Harborline ticketing, CRM and survey exports (demo)",
                "All Harborline customers: Retail, Online and Business segments (demo)"),
    "effort": ("Harborline timesheets (demo)", "Five departments, all staff hours (demo)"),
    "benchmarks": ("CX industry panel and Harborline CX plan (demo)", "Company-wide (demo)"),
    "ratings": ("Harborline quarterly customer survey (demo)",
                "Survey respondents in the Retail, Online and Business segments (demo)"),
    "themes": ("Harborline comment and contact-reason coding (demo)",
               "Contacts, returns, escalations and survey comments of all segments (demo)"),
}


def load_demo(store: Store) -> None:
    """Load the demo into ``store`` as one demo upload per kind and name the company."""
    for kind, frame in demo_frames().items():
        source, scope = _META[kind]
        digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
        meta = UploadMeta(kind=kind, file_name=f"demo_{kind}.csv", sha256=digest, source=source,
                          scope=scope, uploaded_by="cxroi demo", demo=True)
        store.commit_upload(meta, frame)
    store.set_setting("company", COMPANY)
    for fields, status in zip(_PLANS, _PLAN_STATUSES):
        plan = store.add_plan(by="cxroi demo", **fields)
        if status != "planned":
            store.update_plan(plan.id, {"status": status}, by="cxroi demo")
