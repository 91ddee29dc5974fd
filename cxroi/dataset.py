"""The plain records the store reads and everything downstream receives (no SQL, no I/O).

`report`, `roi`, `charts` and `export` take these, so none of them needs the store (or
DuckDB) to be imported.

| record | what it is |
|---|---|
| `Dataset` | everything a report needs, for one segment, at one data version |
| `MetricRecord` | one metric's value in a period (company-wide by the `All` rule, or a segment's) |
| `EffortRecord` | hours of one department, tier and loop in a period |
| `BenchmarkRecord` | an industry or target baseline for a metric |
| `Upload` | one row of the upload history |
| `UploadPreview` | what committing an upload would change |
| `AuditEntry` | one write, as the audit trail keeps it |
| `ThemeRecord` | a theme's count of one iceberg metric in a period |
| `ThemeCounts` | one period's theme counts as columns: a theme an entry, a metric a column |
| `PlanRecord` | one version of an action plan |
| `Drilldown` | the themes and plans a report's drill-down needs |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Dataset", "MetricRecord", "EffortRecord", "BenchmarkRecord", "Upload",
           "UploadPreview", "AuditEntry", "ThemeRecord", "ThemeCounts", "PlanRecord", "Drilldown"]


@dataclass(frozen=True)
class Upload:
    """One row of the upload history."""

    id: int
    kind: str
    file: str
    sha256: str
    uploaded_at: str
    uploaded_by: str
    source: str
    scope: str
    rows: int
    status: str
    demo: bool

    def as_json(self) -> dict[str, object]:
        """The CLI's ``uploads --json`` object."""
        return {key: getattr(self, key) for key in (
            "id", "kind", "file", "sha256", "uploaded_at", "uploaded_by", "source", "scope",
            "rows", "status")}


@dataclass(frozen=True)
class AuditEntry:
    """One write: who (a signed-in email, or the command line's ``--by``), when (ISO 8601,
    UTC), what (``upload``, ``rollback``, ``scenario_save``...), which stored thing, and a
    plain description."""

    at: str
    who: str
    action: str
    target: str
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"at": self.at, "who": self.who, "action": self.action, "target": self.target,
                "detail": self.detail}


@dataclass(frozen=True)
class UploadPreview:
    """What committing an upload would change."""

    kind: str
    rows: int
    new_periods: tuple[str, ...]
    superseded_rows: int
    """Rows of earlier uploads that this upload would supersede."""
    superseded_uploads: tuple[int, ...]


@dataclass(frozen=True)
class MetricRecord:
    period: str
    metric: str
    unit: str
    value: float
    higher_is_better: bool
    segments: int
    """How many segments the value stands for (1 for an uploaded row)."""
    company_wide: bool = False
    """An uploaded ``All`` row (it speaks for the whole company, however many segments)."""


@dataclass(frozen=True)
class EffortRecord:
    period: str
    department: str
    tier: str
    loop: str | None
    hours: float


@dataclass(frozen=True)
class BenchmarkRecord:
    metric: str
    kind: str
    value: float
    unit: str
    source: str
    as_of: str


@dataclass(frozen=True)
class Dataset:
    """Everything a report needs from the store, for one segment, at one data version."""

    version: int
    segment: str
    periods: tuple[str, ...]
    """Every quarter with metrics (any segment) or effort, sorted."""
    metrics: tuple[MetricRecord, ...]
    effort: tuple[EffortRecord, ...]
    benchmarks: tuple[BenchmarkRecord, ...]
    segments: tuple[str, ...]
    """The segments with metrics, company-wide ``All`` excluded."""
    sources: dict[str, tuple[tuple[str, str], ...]]
    """(source, scope) pairs of the active uploads, per kind."""
    demo: bool
    company: str


# --- the drill-down: themes and action plans -----------------------------------------------


@dataclass(frozen=True)
class ThemeRecord:
    """A theme's count of one iceberg metric in a period (company-wide by the `All` rule, or a
    segment's): "900 of this quarter's service contacts were about late delivery"."""

    period: str
    theme: str
    metric: str
    count: float
    department: str | None


@dataclass(frozen=True)
class ThemeCounts:
    """One period's theme counts as columns (what `cxroi.roi.themes_money` prices): the
    same figures as one `ThemeRecord` per theme and metric, without an object per row.

    Entry ``i`` is one theme (themes told apart by their lower-cased name): ``themes[i]`` its
    name as shown, ``departments[i]`` the work group its rows name (the first metric's that
    names one), and ``counts[metric][i]`` its count of ``metric`` (none where it has no row of
    that metric). ``counts`` holds the metrics with any row in the period."""

    period: str
    themes: tuple[str, ...]
    departments: tuple[str | None, ...]
    counts: Mapping[str, tuple[float | None, ...]]

    def rows(self) -> tuple[ThemeRecord, ...]:
        """The same counts as records, by theme, then metric (each with its theme's
        department)."""
        metrics = sorted(self.counts)
        return tuple(
            ThemeRecord(self.period, theme, metric, self.counts[metric][i], department)
            for i, (theme, department) in enumerate(zip(self.themes, self.departments))
            for metric in metrics if self.counts[metric][i] is not None)


@dataclass(frozen=True)
class PlanRecord:
    """One version of an action plan, as stored (``due`` and ``created_at`` in ISO 8601)."""

    id: int
    version: int
    theme: str
    root_cause: str
    action: str
    owner: str
    due: str
    status: str
    investment: float
    running_cost: float
    expected_reduction: float
    indicator: str | None
    indicator_target: float | None
    created_at: str
    created_by: str
    note: str

    def fields(self) -> dict[str, object]:
        """What a person wrote of this version (the fields of `cxroi.models.PlanFields`)."""
        return {key: getattr(self, key) for key in (
            "theme", "root_cause", "action", "owner", "due", "status", "investment",
            "running_cost", "expected_reduction", "indicator", "indicator_target", "note")}


@dataclass(frozen=True)
class Drilldown:
    """What the drill-down needs beside a segment's `Dataset`, read in one snapshot.

    ``themes`` are the segment's theme counts, one `ThemeCounts` per period with themes
    (oldest first); ``company_themes`` and ``company_metrics`` are the company-wide (`All`)
    ones a plan's money is taken from (for `All`, ``company_themes`` are the same objects as
    ``themes`` and ``company_metrics`` is empty: the segment's own `Dataset` holds them);
    ``plans`` the latest version of each plan."""

    segment: str
    themes: tuple[ThemeCounts, ...]
    company_themes: tuple[ThemeCounts, ...]
    company_metrics: tuple[MetricRecord, ...]
    plans: tuple[PlanRecord, ...]
