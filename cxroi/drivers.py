"""The statistics of the drill-down: which experiences drive loyalty, which metric leads.

Pure computation on arrays: numpy for the linear algebra, `scipy.stats` for the t
distribution, `cxroi.models` for the error and the quarters. No store, no I/O. The caller
hands in, for one period and segment, the survey answers (one score per respondent and
item) or the quarterly series of the metrics; every result is a small frozen object whose
``as_json()`` is exactly the CLI's ``drivers --json`` / ``leading --json`` object.

==========================  ==============================================================
function                    what it gives
==========================  ==============================================================
`key_drivers`               each driver's share of the outcome's explained variance (LMG /
                            Shapley, or Johnson's relative weights), its correlation, test,
                            standardised beta and mean score
`leading_indicators`        which metrics, k quarters earlier, correlate with the outcome
                            metric, with Holm's adjustment over the metrics tested
`correlation_test`          Pearson's r of two samples and its two-sided t test (df n - 2)
`holm`                      Holm's step-down adjusted p-values
==========================  ==============================================================

Conventions: importances, shares, ``r2`` and p-values are decimals (0.20 = 20%); scores stay
on the survey's own scale (``mean`` is in that scale); periods are calendar quarters
(``2026Q3``) and lags are counted in calendar quarters. Item and metric names are compared
in lower case and reported in lower case. Nothing here ever returns NaN or infinity: what
cannot be computed is refused with a `CxroiError` that says why, in one sentence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cxroi.models import ALL, CxroiError, parse_period, period_index

__all__ = [
    "SIGNIFICANCE",
    "FRAGILE_BELOW",
    "LMG_MAX_DRIVERS",
    "MIN_PAIRS",
    "METHODS",
    "Driver",
    "DriverResult",
    "key_drivers",
    "Indicator",
    "NotTested",
    "LeadingResult",
    "leading_indicators",
    "CorrelationTest",
    "correlation_test",
    "holm",
]

SIGNIFICANCE = 0.05
"""A p-value (or Holm-adjusted p-value) below this is significant."""
FRAGILE_BELOW = 30
"""Fewer complete responses than this still give key drivers, with a warning."""
LMG_MAX_DRIVERS = 15
"""The exact LMG averages over 2**p subsets; above this many drivers Johnson's weights serve."""
MIN_PAIRS = 4
"""A leading indicator is tested only with at least this many quarter pairs."""
METHODS: tuple[str, ...] = ("auto", "lmg", "johnson")

_COLLINEAR = 1e-10
"""A driver whose variance left unexplained by other drivers is below this share of its own
variance is a linear combination of them: it adds nothing to R² beyond them."""


# --- key drivers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Driver:
    """One driver of the outcome: how much it explains, how it moves with it, how it scores."""

    item: str
    importance: float
    """Its share of ``r2`` (LMG or relative weight): the drivers' importances add up to r2."""
    share: float
    """``importance / r2``: the drivers' shares add up to 1."""
    r: float
    """Pearson's correlation with the outcome."""
    p_value: float
    """Two-sided t test of ``r`` (df n - 2)."""
    beta: float
    """Standardised coefficient in the OLS of the outcome on all the drivers."""
    mean: float
    """Mean score over the respondents kept (the "performance" axis of the driver matrix)."""
    significant: bool
    """``p_value < 0.05``."""
    suppressor: bool
    """``beta`` and ``r`` have opposite signs (a zero has no sign)."""


@dataclass(frozen=True)
class DriverResult:
    """Key drivers of one outcome, for one period and segment."""

    outcome: str
    period: str
    segment: str
    method: str
    """``lmg`` or ``johnson``: the method that was used (``auto`` resolved)."""
    n: int
    """Respondents kept: those who answered the outcome and every driver."""
    n_dropped: int
    """Respondents left out for missing the outcome or any driver."""
    r2: float
    """R² of the OLS (with intercept) of the outcome on all the drivers."""
    warnings: tuple[str, ...]
    drivers: tuple[Driver, ...]
    """Most important first (ties by item name)."""

    def as_json(self) -> dict[str, Any]:
        """The ``drivers --json`` object (docs/design.md, "Command line"), plain JSON types only."""
        return {
            "outcome": self.outcome,
            "period": self.period,
            "segment": self.segment,
            "method": self.method,
            "n": self.n,
            "n_dropped": self.n_dropped,
            "r2": self.r2,
            "warnings": list(self.warnings),
            "drivers": [
                {"item": d.item, "importance": d.importance, "share": d.share, "r": d.r,
                 "p_value": d.p_value, "beta": d.beta, "mean": d.mean,
                 "significant": d.significant, "suppressor": d.suppressor}
                for d in self.drivers
            ],
        }


def key_drivers(
    outcome: str,
    answers: Mapping[str, Sequence[float | None] | np.ndarray],
    *,
    items: Sequence[str] | None = None,
    method: str = "auto",
    period: str = "",
    segment: str = ALL,
) -> DriverResult:
    """Which experiences drive the outcome: the key-driver analysis of one period and segment.

    Parameters
    ----------
    outcome
        The outcome item (e.g. ``likelihood_to_recommend``), case-insensitive.
    answers
        Item -> one score per respondent, the same respondent at the same position in every
        item (a wide ratings file's columns as they are; for a 2-D array ``scores`` with
        names ``names``: ``dict(zip(names, scores.T))``). ``None`` or NaN is an unanswered
        item. Scores are on the survey's own scale.
    items
        The drivers; default every other item with at least one answer (an item nobody
        answered is left out, with a warning).
    method
        ``lmg`` (exact LMG / Shapley, up to 15 drivers), ``johnson`` (Johnson's relative
        weights) or ``auto``: LMG up to 15 drivers, Johnson's above.
    period, segment
        Only carried into the result (and its JSON): the caller chose them.

    Notes
    -----
    Respondents missing the outcome or any driver are dropped (``n`` kept, ``n_dropped``).
    With ``p`` drivers, ``n <= p + 1`` is refused, and ``n < 30`` gives a warning. Everything
    follows from the correlation matrix of the kept answers (outcome and drivers):

    * ``R2(S) = r_S' R_SS^-1 r_S`` for a set ``S`` of drivers (``r_S`` their correlations
      with the outcome, ``R_SS`` among themselves): the R² of the OLS with intercept. All
      ``2**p`` values come from one sweep per driver; a driver that another set already
      explains to within 1e-10 of its variance adds nothing (a pseudo-inverse), so an exact
      copy of a driver leaves R² unchanged and shares the importance equally with it.
    * LMG: ``importance_j = sum over S not holding j of |S|! (p - |S| - 1)! / p!
      * (R2(S + j) - R2(S))``, the average over all orderings of the drivers of what ``j``
      adds to R² when it enters (Lindeman, Merenda and Gold 1980; relaimpo's ``lmg``).
    * Johnson (2000): with ``R_XX = V diag(w) V'`` and ``L = V diag(sqrt w) V'``,
      ``b = L^-1 r``, ``importance_j = sum over k of L_jk² b_k²``.
    * ``r2`` is the full set's R² and the importances add up to it; ``share = importance /
      r2`` (0 for every driver when ``r2`` is 0). ``beta = R_XX^-1 r`` (the minimum-norm
      solution when drivers are collinear, with a warning).
    * ``p_value`` of ``r``: ``t = r sqrt((n - 2) / (1 - r²))``, two-sided, df ``n - 2``
      (0 when ``|r| = 1``). ``significant = p_value < 0.05``; ``suppressor`` when ``beta``
      and ``r`` have opposite signs.

    Refused, naming the rule: an unknown item, the outcome among the drivers, no driver, an
    infinite score, items of different lengths, too few complete responses, an outcome or a
    driver with the same score from every respondent kept, ``lmg`` above 15 drivers.

    Examples
    --------
    Eight customers rated their likelihood to recommend, delivery and support; the last one
    skipped the recommendation question. Delivery explains most of what can be explained:

    >>> answers = {
    ...     "Recommend": [9, 7, 10, 4, 8, 3, 9, None],
    ...     "Delivery": [8, 7, 9, 3, 8, 4, 9, 6],
    ...     "Support": [7, 5, 8, 6, 6, 2, 7, 5],
    ... }
    >>> result = key_drivers("recommend", answers, period="2026Q1")
    >>> result.method, result.n, result.n_dropped, round(result.r2, 3)
    ('lmg', 7, 1, 0.991)
    >>> [(d.item, round(d.share, 2), round(d.mean, 2)) for d in result.drivers]
    [('delivery', 0.61, 6.86), ('support', 0.39, 5.86)]
    >>> result.warnings[0]
    'Only 7 complete responses: key drivers from fewer than 30 are fragile.'
    """
    if method not in METHODS:
        raise CxroiError(f"The method must be lmg, johnson or auto, not {method!r}.")
    columns = _columns(answers)
    target = _name(outcome)
    if target not in columns:
        raise CxroiError(f"The outcome {target!r} is not an item of these answers.")
    warnings: list[str] = []
    if items is None:
        drivers = [name for name in columns if name != target]
    else:
        drivers = _named_drivers(items, columns, target)
    # One row per variable (outcome first), one column per respondent: every pass below
    # runs along contiguous memory, and the kept answers are copied once.
    scores = [columns[target], *(columns[name] for name in drivers)]
    total = scores[0].shape[0]
    per_respondent = _row_sum(scores)  # NaN where an item is unanswered
    if np.isfinite(per_respondent).all():
        data = np.vstack(scores)
    else:
        for name, column in zip([target, *drivers], scores):
            if np.isinf(column).any():
                raise CxroiError(f"The item {name!r} has an infinite score; scores are "
                                 "finite numbers.")
        if items is None:
            silent = [name for name, column in zip(drivers, scores[1:])
                      if np.isnan(column).all()]
            if silent:
                warnings.append(f"No answers for {', '.join(silent)}: not used as drivers.")
                drivers = [name for name in drivers if name not in silent]
                scores = [columns[target], *(columns[name] for name in drivers)]
                per_respondent = _row_sum(scores)
        kept = ~np.isnan(per_respondent)
        data = np.vstack([column[kept] for column in scores])
    if not drivers:
        raise CxroiError(f"There is no other item to explain {target!r} with.")
    p = len(drivers)
    chosen = "johnson" if method == "johnson" or (method == "auto" and p > LMG_MAX_DRIVERS) \
        else "lmg"
    if chosen == "lmg" and p > LMG_MAX_DRIVERS:
        raise CxroiError(f"The exact LMG takes at most {LMG_MAX_DRIVERS} drivers, not {p}: "
                         "name fewer items or use the johnson method.")
    n = data.shape[1]
    if n <= p + 1:
        raise CxroiError(f"Key drivers need at least {p + 2} respondents who answered "
                         f"{target!r} and all {p} drivers; there are {n}.")
    if n < FRAGILE_BELOW:
        warnings.append(f"Only {n} complete responses: key drivers from fewer than "
                        f"{FRAGILE_BELOW} are fragile.")

    means = data.mean(axis=1)
    data -= means[:, None]  # our own copy: centred in place
    cross = data @ data.T
    constant = _constant_rows(cross, means, data)
    if constant[0]:
        raise CxroiError(f"Every respondent kept gave the outcome {target!r} the same score: "
                         "there is no variation to explain.")
    if constant.any():
        name = drivers[int(np.argmax(constant[1:]))]
        raise CxroiError(f"Every respondent kept gave {name!r} the same score, so it cannot "
                         "explain anything: leave it out of the drivers.")
    corr = _normalised(cross)
    r = corr[0, 1:]
    eigen_values, eigen_vectors = np.linalg.eigh(corr[1:, 1:])
    rank = eigen_values > _COLLINEAR * eigen_values.max()
    if not rank.all():
        warnings.append("Some drivers are linear combinations of others (collinear): they "
                        "share their importance and their betas are not unique.")
    base = eigen_vectors[:, rank]
    beta = base @ ((base.T @ r) / eigen_values[rank])
    if chosen == "lmg":
        r2_of = _subset_r2(corr)
        r2 = r2_of[-1]
        importance = _lmg(r2_of, p)
    else:
        importance = _relative_weights(eigen_values, eigen_vectors, r)
        r2 = float(importance.sum())
    r2 = min(max(float(r2), 0.0), 1.0)
    importance = np.maximum(importance, 0.0)
    share = importance / r2 if r2 > 0 else np.zeros(p)
    p_values = _p_values(r, n - 2)

    found = [
        Driver(item=name, importance=float(importance[j]), share=float(share[j]),
               r=float(r[j]), p_value=float(p_values[j]), beta=float(beta[j]),
               mean=float(means[j + 1]), significant=bool(p_values[j] < SIGNIFICANCE),
               suppressor=bool(beta[j] * r[j] < 0))
        for j, name in enumerate(drivers)
    ]
    found.sort(key=lambda d: (-round(d.importance, 12), d.item))
    return DriverResult(outcome=target, period=period, segment=segment, method=chosen, n=n,
                        n_dropped=total - n, r2=r2, warnings=tuple(warnings),
                        drivers=tuple(found))


def _name(name: str) -> str:
    return str(name).strip().lower()


def _columns(answers: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The answers as float columns (NaN for unanswered), names in lower case."""
    columns: dict[str, np.ndarray] = {}
    for name, scores in answers.items():
        key = _name(name)
        if key in columns:
            raise CxroiError(f"The item {key!r} is given twice (item names are not "
                             "case-sensitive).")
        try:
            column = np.asarray(scores, dtype=float)
        except (TypeError, ValueError):
            raise CxroiError(f"The item {key!r} has a score that is not a number.") from None
        if column.ndim != 1:
            raise CxroiError(f"The item {key!r} must hold one score per respondent.")
        columns[key] = column
    lengths = {len(column) for column in columns.values()}
    if len(lengths) > 1:
        raise CxroiError("Every item needs one score (or None) per respondent, but the items "
                         f"have {min(lengths)} to {max(lengths)}.")
    return columns


def _named_drivers(items: Sequence[str], columns: Mapping[str, np.ndarray],
                   target: str) -> list[str]:
    if isinstance(items, str):
        items = [items]
    drivers: list[str] = []
    for item in items:
        key = _name(item)
        if key not in columns:
            raise CxroiError(f"The driver {key!r} is not an item of these answers.")
        if key == target:
            raise CxroiError(f"The outcome {target!r} cannot also be one of its drivers.")
        if key in drivers:
            raise CxroiError(f"The driver {key!r} is named twice.")
        drivers.append(key)
    return drivers


def _row_sum(columns: Sequence[np.ndarray]) -> np.ndarray:
    """Element-wise sum of equal-length columns, without stacking them."""
    total = columns[0].copy()
    for column in columns[1:]:
        total += column
    return total


def _constant_rows(cross: np.ndarray, means: np.ndarray, centered: np.ndarray) -> np.ndarray:
    """Which rows of the centred (q, n) data hold one value throughout.

    A constant row centres to (almost) zeros, so only rows whose sum of squares is tiny
    for their size are checked value by value.
    """
    n = centered.shape[1]
    tiny = np.diag(cross) <= n * (1e-8 * np.maximum(np.abs(means), 1.0)) ** 2
    constant = np.zeros(len(means), dtype=bool)
    for row in np.flatnonzero(tiny):
        constant[row] = bool(np.ptp(centered[row]) == 0)
    return constant


def _normalised(cross: np.ndarray) -> np.ndarray:
    """The correlation matrix from a matrix of centred cross products (no zero diagonal)."""
    squares = np.diag(cross)
    corr = cross / np.sqrt(np.outer(squares, squares))  # exactly 1 for identical rows
    np.clip(corr, -1.0, 1.0, out=corr)
    np.fill_diagonal(corr, 1.0)
    return corr


def _correlation_matrix(centered: np.ndarray) -> np.ndarray:
    """Pearson correlations of the rows of a centred (q, n) array, no row constant."""
    return _normalised(centered @ centered.T)


def _subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of variable 0 on every subset of variables 1..p, indexed by bitmask (bit j: driver j).

    The subsets with highest driver ``b`` are those below ``2**b`` plus driver ``b``: one
    vectorised sweep on ``b`` of their residual correlation matrices gives all of them. Only
    the rows of the outcome and of drivers still to enter are carried along.
    """
    p = corr.shape[0] - 1
    r2 = np.zeros(1 << p)
    residual = corr[None, :, :]
    for b in range(p):
        rest = [0, *range(2, residual.shape[1])]
        pivot = residual[:, 1, 1]
        usable = pivot > _COLLINEAR
        column = residual[:, rest, 1]
        before = residual[:, rest][:, :, rest]
        scale = np.where(usable, 1.0 / np.where(usable, pivot, 1.0), 0.0)  # 0: adds nothing
        after = before - column[:, :, None] * column[:, None, :] * scale[:, None, None]
        r2[1 << b:2 << b] = 1.0 - after[:, 0, 0]
        residual = np.concatenate([before, after])
    return np.clip(r2, 0.0, 1.0)


def _lmg(r2: np.ndarray, p: int) -> np.ndarray:
    """Shapley values of the subset R² game: the exact LMG decomposition of the full R²."""
    masks = np.arange(1 << p)
    sizes = np.bitwise_count(masks)
    weights = np.array([1.0 / (p * math.comb(p - 1, s)) for s in range(p)])
    importance = np.empty(p)
    for j in range(p):
        bit = 1 << j
        without = masks[(masks & bit) == 0]
        importance[j] = weights[sizes[without]] @ (r2[without | bit] - r2[without])
    return importance


def _relative_weights(values: np.ndarray, vectors: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights from the eigen decomposition of R_XX."""
    values = np.clip(values, 0.0, None)
    root = (vectors * np.sqrt(values)) @ vectors.T
    usable = values > _COLLINEAR * values.max()
    inverse_root = (vectors[:, usable] / np.sqrt(values[usable])) @ vectors[:, usable].T
    weights = inverse_root @ r
    return (root**2) @ (weights**2)


def _p_values(r: np.ndarray, df: int) -> np.ndarray:
    """Two-sided p-values of Pearson correlations with ``df = n - 2`` (0 when |r| = 1)."""
    from scipy import stats  # half a second to import: paid by the first test, not by every page

    r = np.asarray(r, dtype=float)
    perfect = np.abs(r) >= 1.0
    t = np.abs(r) * np.sqrt(df / np.where(perfect, 1.0, 1.0 - r**2))
    return np.where(perfect, 0.0, 2.0 * stats.t.sf(t, df))


# --- one correlation and its test ----------------------------------------------------------


@dataclass(frozen=True)
class CorrelationTest:
    """Pearson's r of two samples and its two-sided t test."""

    r: float
    t: float | None
    """``r sqrt(df / (1 - r²))``; None when ``|r| = 1`` (t is infinite, p is 0)."""
    df: int
    """``n - 2``."""
    p_value: float


def correlation_test(x: Sequence[float], y: Sequence[float]) -> CorrelationTest:
    """Pearson's correlation of paired samples and its two-sided t test (R's ``cor.test``).

    Notes
    -----
    ``r = sum (x - mean x)(y - mean y) / sqrt(sum (x - mean x)² sum (y - mean y)²)``;
    ``t = r sqrt((n - 2) / (1 - r²))`` on ``n - 2`` degrees of freedom, two-sided. Refused:
    samples of different lengths, fewer than 3 pairs, a value that is not finite, a sample
    with no variation.

    Examples
    --------
    Six quarters of first-contact resolution (%) against satisfaction:

    >>> test = correlation_test([71, 74, 70, 78, 80, 83], [7.1, 7.3, 7.0, 7.6, 7.5, 7.9])
    >>> round(test.r, 3), test.df, round(test.p_value, 4)
    (0.97, 4, 0.0014)
    """
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise CxroiError(f"A correlation needs pairs: there are {xs.size} and {ys.size} values.")
    if xs.size < 3:
        raise CxroiError(f"A correlation test needs at least 3 pairs, not {xs.size}.")
    if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise CxroiError("A correlation test needs finite numbers only.")
    if np.ptp(xs) == 0 or np.ptp(ys) == 0:
        raise CxroiError("A sample with the same value throughout has no correlation.")
    r = float(_correlation_matrix(np.vstack([xs - xs.mean(), ys - ys.mean()]))[0, 1])
    df = xs.size - 2
    t = None if abs(r) >= 1.0 else r * math.sqrt(df / (1.0 - r * r))
    return CorrelationTest(r=r, t=t, df=df, p_value=float(_p_values(np.array([r]), df)[0]))


def holm(p_values: Sequence[float]) -> tuple[float, ...]:
    """Holm's (1979) step-down adjusted p-values, in the order given (R's ``p.adjust``).

    Notes
    -----
    With the ``m`` p-values sorted, ``p_(1) <= ... <= p_(m)``: ``adjusted_(i) = min(1, max
    over j <= i of (m - j + 1) p_(j))`` (monotone, capped at 1). No p-values give none.
    Refused: a p-value outside 0..1.

    Examples
    --------
    Four metrics tested, the smallest p multiplied by 4, the next by 3, and so on:

    >>> holm([0.01, 0.04, 0.03, 0.005])
    (0.03, 0.06, 0.06, 0.02)
    """
    values = np.asarray(p_values, dtype=float).reshape(-1)
    if not (np.isfinite(values).all() and ((values >= 0) & (values <= 1)).all()):
        raise CxroiError("Holm's adjustment takes p-values between 0 and 1 only.")
    m = values.size
    order = np.argsort(values, kind="stable")
    adjusted = np.minimum(np.maximum.accumulate((m - np.arange(m)) * values[order]), 1.0)
    result = np.empty(m)
    result[order] = adjusted
    return tuple(float(v) for v in result)


# --- leading indicators --------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A metric tested as a leading indicator of the outcome."""

    metric: str
    n: int
    """Quarter pairs: (metric at q - lag, outcome at q)."""
    r: float
    p_value: float
    p_holm: float
    """``p_value`` adjusted by Holm's method over all the metrics tested."""
    leading: bool
    """``p_holm < 0.05``."""


@dataclass(frozen=True)
class NotTested:
    """A metric that could not be tested, with its number of quarter pairs and why."""

    metric: str
    n: int
    reason: str
    """Not part of the JSON (whose shape is fixed): for the page and the log."""


@dataclass(frozen=True)
class LeadingResult:
    """Leading indicators of one outcome metric at one lag, for one segment."""

    outcome: str
    lag: int
    segment: str
    indicators: tuple[Indicator, ...]
    """Smallest p-value first (ties by metric)."""
    not_tested: tuple[NotTested, ...]
    """By metric name."""

    def as_json(self) -> dict[str, Any]:
        """The ``leading --json`` object (docs/design.md, "Command line"), plain JSON types only."""
        return {
            "outcome": self.outcome,
            "lag": self.lag,
            "segment": self.segment,
            "indicators": [
                {"metric": i.metric, "n": i.n, "r": i.r, "p_value": i.p_value,
                 "p_holm": i.p_holm, "leading": i.leading}
                for i in self.indicators
            ],
            "not_tested": [{"metric": t.metric, "n": t.n} for t in self.not_tested],
        }


def leading_indicators(
    outcome: str,
    series: Mapping[str, Mapping[str, float | None]],
    *,
    lag: int = 1,
    segment: str = ALL,
) -> LeadingResult:
    """Which metrics move ``lag`` quarters before the outcome metric.

    Parameters
    ----------
    outcome
        The outcome metric (e.g. ``customers_lost``), case-insensitive.
    series
        Metric -> quarter (``2026Q1``; any spelling `parse_period` accepts) -> value, for
        one segment (``All`` by the company-wide rule). ``None`` or NaN is no value.
    lag
        Calendar quarters between the metric and the outcome, at least 1.
    segment
        Only carried into the result (and its JSON).

    Notes
    -----
    For every other metric, the pairs are (metric at quarter ``q - lag``, outcome at ``q``)
    over the calendar quarters where both have a value (levels, no other transformation;
    gaps in either series just remove pairs). With at least 4 pairs: Pearson's ``r`` and
    its two-sided t-test ``p_value`` (see `correlation_test`); ``p_holm`` is Holm's
    adjustment over the metrics tested (see `holm`); ``leading = p_holm < 0.05``.

    Not tested (listed with their number of pairs, and a ``reason``): fewer than 4 pairs,
    or a metric, or an outcome, with the same value in every pair (a constant has no
    correlation; it is neither leading nor lagging). Refused: an unknown outcome, a lag
    below 1, a quarter given twice for one metric, an infinite value.

    Examples
    --------
    Escalations a quarter earlier track customers lost; returns do not, and deals delayed
    have only two quarters:

    >>> series = {
    ...     "customers_lost": {"2025Q2": 40, "2025Q3": 52, "2025Q4": 47, "2026Q1": 63,
    ...                        "2026Q2": 58, "2026Q3": 71},
    ...     "escalations": {"2025Q1": 10, "2025Q2": 15, "2025Q3": 11, "2025Q4": 18,
    ...                     "2026Q1": 17, "2026Q2": 19},
    ...     "returns": {"2025Q1": 30, "2025Q2": 28, "2025Q3": 33, "2025Q4": 29,
    ...                 "2026Q1": 31, "2026Q2": 30},
    ...     "deals_delayed": {"2026Q1": 5, "2026Q2": 6},
    ... }
    >>> result = leading_indicators("customers_lost", series)
    >>> [(i.metric, i.n, round(i.r, 2), i.leading) for i in result.indicators]
    [('escalations', 6, 0.96, True), ('returns', 6, -0.24, False)]
    >>> [(t.metric, t.n, t.reason) for t in result.not_tested]
    [('deals_delayed', 2, 'fewer than 4 quarter pairs')]
    """
    if isinstance(lag, bool) or not isinstance(lag, int) or lag < 1:
        raise CxroiError(f"The lag is a whole number of quarters, at least 1, not {lag!r}.")
    clean = _series(series)
    target = _name(outcome)
    if target not in clean:
        raise CxroiError(f"The outcome {target!r} is not one of these metrics.")
    wanted = clean[target]
    tested: list[tuple[str, int, float, float]] = []
    untested: list[NotTested] = []
    for metric in sorted(name for name in clean if name != target):
        values = clean[metric]
        quarters = [q for q in sorted(wanted) if q - lag in values]
        n = len(quarters)
        if n < MIN_PAIRS:
            untested.append(NotTested(metric, n, f"fewer than {MIN_PAIRS} quarter pairs"))
            continue
        x = np.array([values[q - lag] for q in quarters])
        y = np.array([wanted[q] for q in quarters])
        if np.ptp(x) == 0:
            untested.append(NotTested(metric, n, "the metric is constant over these quarters"))
            continue
        if np.ptp(y) == 0:
            untested.append(NotTested(metric, n, "the outcome is constant over these quarters"))
            continue
        test = correlation_test(x, y)
        tested.append((metric, n, test.r, test.p_value))
    adjusted = holm([p for *_, p in tested])
    indicators = sorted(
        (Indicator(metric, n, r, p, p_holm, p_holm < SIGNIFICANCE)
         for (metric, n, r, p), p_holm in zip(tested, adjusted, strict=True)),
        key=lambda i: (i.p_value, i.metric),
    )
    return LeadingResult(outcome=target, lag=lag, segment=segment,
                         indicators=tuple(indicators), not_tested=tuple(untested))


def _series(series: Mapping[str, Mapping[str, float | None]]) -> dict[str, dict[int, float]]:
    """Metric (lower case) -> quarter index -> finite value."""
    clean: dict[str, dict[int, float]] = {}
    for name, values in series.items():
        key = _name(name)
        if key in clean:
            raise CxroiError(f"The metric {key!r} is given twice (metric names are not "
                             "case-sensitive).")
        points: dict[int, float] = {}
        for period, value in values.items():
            quarter = parse_period(period)
            if value is None or math.isnan(value):
                continue
            if math.isinf(value):
                raise CxroiError(f"The metric {key!r} has an infinite value in {quarter}.")
            index = period_index(quarter)
            if index in points:
                raise CxroiError(f"The metric {key!r} has two values for {quarter}.")
            points[index] = float(value)
        clean[key] = points
    return clean
