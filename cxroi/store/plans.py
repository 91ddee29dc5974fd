"""Action plans: append-only versions (like scenarios); a change is version n+1.

Ids are ``coalesce(max(id), 0) + 1`` inside the write (no sequences: DuckLake has none);
every field is checked by `cxroi.models.PlanFields` before anything is written, the theme
against every theme ever uploaded, inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import duckdb

from cxroi.dataset import PlanRecord
from cxroi.models import PLAN_FIELDS, CxroiError, PlanFields
from cxroi.store.audit import Audit, record
from cxroi.store.base import iso_utc, utc_now

__all__ = ["Plans", "latest_plans"]

_COLUMNS = ("id", "version", *PLAN_FIELDS[:-1], "created_at", "created_by", "note")
_SELECT = ", ".join(_COLUMNS)


class Plans(Audit):
    """Adding, changing and reading action plans."""

    def add_plan(self, *, by: str = "", **fields: object) -> PlanRecord:
        """A new plan (version 1); `CxroiError` in one sentence, and nothing stored, when a
        field is wrong or the theme was never uploaded."""
        checked = PlanFields.checked(**fields)
        with self._write() as cur:
            theme = _known_theme(cur, checked.theme)
            plan_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM plans").fetchone()[0]
            _insert(cur, plan_id, 1, checked.model_copy(update={"theme": theme}), by)
            record(cur, by, "plan_add", f"plan {plan_id}",
                   f"version 1: {theme}, {checked.status}, due {checked.due.isoformat()}")
            return _read(cur, "WHERE id = ? AND version = 1", [plan_id])[0]

    def update_plan(self, plan_id: int, changes: Mapping[str, object], *,
                    by: str = "") -> PlanRecord:
        """Version n+1 of plan ``plan_id``: the latest version with ``changes`` applied
        (nothing is overwritten). An unknown id, an unknown field, a wrong value or no change
        at all is refused in one sentence."""
        with self._write() as cur:
            found = _read(cur, "WHERE id = ? ORDER BY version DESC LIMIT 1", [plan_id])
            if not found:
                raise CxroiError(f"There is no action plan {plan_id}.")
            latest = found[0]
            checked = PlanFields.checked(**{**latest.fields(), **dict(changes)})
            theme = (latest.theme if checked.theme == latest.theme
                     else _known_theme(cur, checked.theme))
            checked = checked.model_copy(update={"theme": theme})
            if checked == PlanFields.checked(**latest.fields()):
                raise CxroiError(f"Action plan {plan_id} already says that; nothing was stored.")
            version = latest.version + 1
            _insert(cur, plan_id, version, checked, by)
            changed = [k for k in PLAN_FIELDS
                       if getattr(checked, k) != getattr(PlanFields.checked(**latest.fields()), k)]
            record(cur, by, "plan_update", f"plan {plan_id}",
                   f"version {version}: {', '.join(changed)} changed; status {checked.status}")
            return _read(cur, "WHERE id = ? AND version = ?", [plan_id, version])[0]

    def plans(self) -> tuple[PlanRecord, ...]:
        """The latest version of every plan, by id."""
        with self._cursor() as cur:
            return latest_plans(cur)

    def plan(self, plan_id: int) -> PlanRecord:
        """The latest version of one plan."""
        history = self.plan_history(plan_id)
        return history[-1]

    def plan_history(self, plan_id: int) -> tuple[PlanRecord, ...]:
        """Every version of plan ``plan_id``, oldest first."""
        with self._cursor() as cur:
            found = _read(cur, "WHERE id = ? ORDER BY version", [plan_id])
        if not found:
            raise CxroiError(f"There is no action plan {plan_id}.")
        return found


def latest_plans(cur: duckdb.DuckDBPyConnection) -> tuple[PlanRecord, ...]:
    """The latest version of every plan, by id (inside a read the caller holds)."""
    return _read(cur, "QUALIFY version = max(version) OVER (PARTITION BY id) ORDER BY id", [])


def _known_theme(cur: duckdb.DuckDBPyConnection, theme: str) -> str:
    """The theme as last uploaded (case does not tell themes apart), or `CxroiError`."""
    found = cur.execute(
        "SELECT theme FROM themes WHERE lower(theme) = lower(?) "
        "ORDER BY upload_id DESC, row_no DESC LIMIT 1", [theme]).fetchone()
    if found is None:
        raise CxroiError(f"There is no theme {theme!r} in the uploads; a plan is for a theme "
                         "that has been uploaded (upload its rows first).")
    return found[0]


def _insert(cur: duckdb.DuckDBPyConnection, plan_id: int, version: int, fields: PlanFields,
            by: str) -> None:
    cur.execute(
        f"INSERT INTO plans ({_SELECT}) VALUES ({', '.join('?' * len(_COLUMNS))})",
        [plan_id, version, fields.theme, fields.root_cause, fields.action, fields.owner,
         fields.due, fields.status, fields.investment, fields.running_cost,
         fields.expected_reduction, fields.indicator, fields.indicator_target, utc_now(),
         by or "unknown", fields.note])


def _read(cur: duckdb.DuckDBPyConnection, where: str, params: list[object]) -> tuple[PlanRecord, ...]:
    rows = cur.execute(f"SELECT {_SELECT} FROM plans {where}", params).fetchall()
    return tuple(_record(row) for row in rows)


_DUE, _CREATED_AT = _COLUMNS.index("due"), _COLUMNS.index("created_at")


def _record(row: tuple) -> PlanRecord:
    values = list(row)
    due = values[_DUE]
    values[_DUE] = due.isoformat() if isinstance(due, dt.date) else str(due)
    values[_CREATED_AT] = iso_utc(values[_CREATED_AT])
    return PlanRecord(*values)
