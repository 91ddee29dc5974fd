"""Scenarios: named, versioned sets of assumptions, append-only (a save is a new version)."""

from __future__ import annotations

import datetime as dt
import json
import re

import duckdb

from cxroi.models import Assumptions, CxroiError, Scenario
from cxroi.store.audit import Audit, record
from cxroi.store.base import utc_now

__all__ = ["Scenarios", "BASELINE_NOTE"]

BASELINE_NOTE = "The illustrative defaults."


class Scenarios(Audit):
    """Saving and reading scenario versions."""

    def save_scenario(self, name: str, assumptions: Assumptions, *, note: str = "",
                      by: str = "") -> Scenario:
        """Save ``assumptions`` as the next version of scenario ``name`` (never overwrites)."""
        name = name.strip()
        if not name:
            raise CxroiError("A scenario needs a name.")
        if len(name) > 10_000:
            raise CxroiError("A scenario name has at most 10,000 characters.")
        if re.search(r"@\d+$", name):
            raise CxroiError(f"A scenario name cannot end in @ and a number ({name}): that is "
                             "how a version is written, as in Baseline@2.")
        with self._write() as cur:
            version = insert_scenario(cur, name, assumptions, by, note)
            record(cur, by, "scenario_save", f"scenario {name}@{version}", note)
        return self.scenario(name, version)

    def scenarios(self) -> list[Scenario]:
        """Every version of every scenario: Baseline first, then by name; newest version first."""
        with self._cursor() as cur:
            rows = cur.execute(
                "SELECT name, version, created_at, created_by, note, assumptions FROM scenarios "
                "ORDER BY name <> 'Baseline', name, version DESC").fetchall()
        return [_scenario(row) for row in rows]

    def scenario(self, name: str, version: int | None = None) -> Scenario:
        """One scenario version; the latest when ``version`` is none."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT name, version, created_at, created_by, note, assumptions FROM scenarios "
                "WHERE name = ? AND (? IS NULL OR version = ?) ORDER BY version DESC LIMIT 1",
                [name, version, version]).fetchone()
        if row is None:
            which = name if version is None else f"{name}@{version}"
            raise CxroiError(f"There is no scenario {which}.")
        return _scenario(row)


def insert_scenario(cur: duckdb.DuckDBPyConnection, name: str, assumptions: Assumptions,
                    by: str, note: str) -> int:
    """Write the next version of ``name`` inside the open transaction; its number."""
    version = cur.execute("SELECT coalesce(max(version), 0) + 1 FROM scenarios WHERE name = ?",
                          [name]).fetchone()[0]
    cur.execute("INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?)",
                [name, version, utc_now(), by, note, assumptions.model_dump_json()])
    return version


def _scenario(row: tuple) -> Scenario:
    name, version, created_at, created_by, note, assumptions = row
    return Scenario(name=name, version=version, created_at=created_at.replace(tzinfo=dt.UTC),
                    created_by=created_by, note=note,
                    assumptions=Assumptions.model_validate(json.loads(assumptions)))
