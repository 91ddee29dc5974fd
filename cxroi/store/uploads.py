"""Uploads: preview, commit, history, rollback. Uploads are never deleted.

Each data row carries a ``current`` flag: a new upload supersedes earlier rows at the grain
of its kind, a rollback restores the latest earlier rows, and an upload's ``status``
(active, superseded, rolled_back) follows from its rows. Values are always bound; table
names come only from the `GRAINS` allow-list.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from cxroi.dataset import Dataset, Upload, UploadPreview
from cxroi.models import ALL, CxroiError, UploadMeta
from cxroi.store.audit import Audit, record
from cxroi.store.base import arrow, iso_utc, utc_now
from cxroi.store.ratings import Narrow, narrow, store_answers
from cxroi.store.reads import read_dataset
from cxroi.store.schema import COLUMNS, GRAINS, counted

__all__ = ["Uploads"]


class Uploads(Audit):
    """The upload history and its rows."""

    def is_empty(self) -> bool:
        """True when nothing has ever been uploaded (scenarios do not count)."""
        with self._cursor() as cur:
            return cur.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0

    def preview(self, kind: str, rows: pd.DataFrame) -> UploadPreview:
        """What committing ``rows`` (ingest's canonical frame) would change."""
        grain = _grain(kind)
        keys, on = ", ".join(grain), _match("t", "n", grain)
        with self._cursor() as cur:
            cur.register("incoming", narrow(rows).respondents if kind == "ratings"
                         else arrow(rows))
            try:
                superseded = cur.execute(
                    f"SELECT {counted(kind, 't')}, list(DISTINCT t.upload_id ORDER BY t.upload_id) "
                    f"FROM {kind} t SEMI JOIN (SELECT DISTINCT {keys} FROM incoming) n ON {on} "
                    "WHERE t.current").fetchone()
                new_periods: list[str] = []
                if kind == "ratings":     # a survey's quarters are new when no survey has them
                    new_periods = [r[0] for r in cur.execute(
                        "SELECT DISTINCT period FROM incoming WHERE period NOT IN "
                        "(SELECT period FROM ratings WHERE current) ORDER BY period").fetchall()]
                elif "period" in rows.columns:
                    new_periods = [r[0] for r in cur.execute(
                        "SELECT DISTINCT period FROM incoming WHERE period NOT IN "
                        "(SELECT period FROM metrics WHERE current UNION "
                        " SELECT period FROM effort WHERE current) ORDER BY period").fetchall()]
            finally:
                cur.unregister("incoming")
        return UploadPreview(kind, len(rows), tuple(new_periods), superseded[0] or 0,
                             tuple(superseded[1] or ()))

    def commit_upload(self, meta: UploadMeta, rows: pd.DataFrame) -> Upload:
        """Store one validated upload in one transaction; earlier rows at its grain step aside.

        ``rows`` is ingest's canonical frame: a ``row`` column (the spreadsheet row number)
        and the kind's `COLUMNS`. The audit names ``meta.uploaded_by``.
        """
        kind = meta.kind
        grain = _grain(kind)
        if rows.empty:
            raise CxroiError("An upload needs at least one data row.")
        missing = [c for c in ("row", *COLUMNS[kind]) if c not in rows.columns]
        if missing:
            raise CxroiError(f"The rows lack the column(s) {', '.join(missing)}.")
        columns, on = ", ".join(COLUMNS[kind]), _match("t", "n", grain)
        answers: Narrow | None = narrow(rows) if kind == "ratings" else None
        with self._write() as cur:
            # the id is given here, inside the write, not by a sequence (a lake has none)
            upload_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM uploads").fetchone()[0]
            cur.execute(
                "INSERT INTO uploads (id, kind, file_name, sha256, uploaded_at, uploaded_by, "
                "source, scope, row_count, demo, status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
                [upload_id, kind, meta.file_name, meta.sha256, utc_now(), meta.uploaded_by,
                 meta.source, meta.scope, len(rows), meta.demo])
            cur.register("incoming", answers.respondents if answers else arrow(rows))
            try:
                cur.execute(
                    f"UPDATE {kind} t SET current = false WHERE t.current "
                    f"AND EXISTS (SELECT 1 FROM incoming n WHERE {on})")
                if answers:
                    store_answers(cur, upload_id, answers)
                else:
                    extra = ", company_wide" if kind == "metrics" else ""
                    flag = ", segment = $all" if kind == "metrics" else ""
                    cur.execute(
                        f"INSERT INTO {kind} (upload_id, row_no, {columns}, current{extra}) "
                        f"SELECT $id, row, {columns}, true{flag} FROM incoming",
                        {"id": upload_id, **({"all": ALL} if kind == "metrics" else {})})
                if kind == "metrics":
                    _store_metric_info(cur)
            finally:
                cur.unregister("incoming")
            _refresh_status(cur, kind)
            record(cur, meta.uploaded_by, "upload", f"upload {upload_id}",
                   f"{kind} file {meta.file_name}, {len(rows):,} rows")
            return _uploads(cur, "WHERE id = ?", [upload_id])[0]

    def what_if(self, meta: UploadMeta, rows: pd.DataFrame, segment: str = ALL) -> Dataset:
        """``segment``'s dataset as it would be after `commit_upload`; nothing is stored.

        The upload is written in its own transaction exactly as a commit would write it, the
        dataset is read inside that transaction, and the transaction is rolled back.
        """
        seen: list[Dataset] = []

        def read_then_undo(cur: duckdb.DuckDBPyConnection) -> None:
            seen.append(read_dataset(cur, segment, self._version_sql()))
            raise _Undo

        self._before_commit.look = read_then_undo
        try:
            self.commit_upload(meta, rows)
        except _Undo:
            pass
        finally:
            self._before_commit.look = None
        return seen[0]

    def uploads(self) -> list[Upload]:
        """The upload history, newest first."""
        with self._cursor() as cur:
            return _uploads(cur, "", [])

    def upload_periods(self) -> dict[int, tuple[str, ...]]:
        """The quarters each upload's rows cover, by upload id (benchmarks have none)."""
        union = " UNION ALL ".join(  # table names from GRAINS only
            f"SELECT DISTINCT upload_id, period FROM {kind}"
            for kind, grain in GRAINS.items() if "period" in grain)
        with self._cursor() as cur:
            rows = cur.execute(f"SELECT upload_id, list(DISTINCT period ORDER BY period) "
                               f"FROM ({union}) GROUP BY upload_id").fetchall()
        return {upload_id: tuple(periods) for upload_id, periods in rows}

    def upload(self, upload_id: int) -> Upload:
        with self._cursor() as cur:
            found = _uploads(cur, "WHERE id = ?", [upload_id])
        if not found:
            raise CxroiError(f"There is no upload {upload_id}.")
        return found[0]

    def active_upload_with_hash(self, sha256: str) -> Upload | None:
        """The active upload of the same file, if any (the same file uploaded twice)."""
        with self._cursor() as cur:
            found = _uploads(cur, "WHERE sha256 = ? AND status = 'active'", [sha256])
        return found[0] if found else None

    def rollback(self, upload_id: int, *, seen_status: str | None = None,
                 by: str = "") -> Upload:
        """Undo an upload: its rows step aside and the latest earlier rows come back.

        ``seen_status`` is the status the person saw when they chose this upload: if another
        session has changed it since, nothing is rolled back and the sentence says so.
        """
        with self._write() as cur:
            found = _uploads(cur, "WHERE id = ?", [upload_id])
            if not found:
                raise CxroiError(f"There is no upload {upload_id}.")
            if seen_status is not None and found[0].status != seen_status:
                raise CxroiError(f"Upload {upload_id} ({found[0].file}) is now {found[0].status}, "
                                 f"not {seen_status} as shown; nothing was rolled back. Look at "
                                 "the history again.")
            if found[0].status == "rolled_back":
                raise CxroiError(f"Upload {upload_id} is already rolled back.")
            kind = found[0].kind
            grain = _grain(kind)
            cur.execute("UPDATE uploads SET status = 'rolled_back', rolled_back_at = ? WHERE id = ?",
                        [utc_now(), upload_id])
            cur.execute(
                f"UPDATE {kind} t SET current = coalesce(t.upload_id = w.latest, false) FROM ("
                f"  SELECT {_cols('x', grain)}, "
                f"         max(x.upload_id) FILTER (WHERE u.status <> 'rolled_back') AS latest"
                f"  FROM {kind} x JOIN uploads u ON u.id = x.upload_id"
                f"  SEMI JOIN (SELECT DISTINCT {_cols('y', grain)} FROM {kind} y"
                f"             WHERE y.upload_id = ?) k ON {_match('x', 'k', grain)}"
                f"  GROUP BY ALL) w WHERE {_match('t', 'w', grain)}",
                [upload_id])
            _refresh_status(cur, kind)
            record(cur, by, "rollback", f"upload {upload_id}",
                   f"{kind} file {found[0].file}, was {found[0].status}")
            return _uploads(cur, "WHERE id = ?", [upload_id])[0]


class _Undo(Exception):
    """Raised inside a write to roll it back after `Uploads.what_if` has read it."""


def _grain(kind: str) -> tuple[str, ...]:
    try:
        return GRAINS[kind]
    except KeyError:
        names = ", ".join(GRAINS)
        raise CxroiError(f"kind must be one of {names} (got {kind!r})") from None


def _cols(alias: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{c}" for c in columns)


def _match(left: str, right: str, columns: tuple[str, ...]) -> str:
    return " AND ".join(f"{left}.{c} = {right}.{c}" for c in columns)


def _store_metric_info(cur: duckdb.DuckDBPyConnection) -> None:
    """A metric keeps one unit: refuse an upload that gives a stored metric another one;
    else each of the upload's metrics takes its unit and direction from it.

    The incoming rows are read once, into one row per (metric, unit) (a million rows hold
    a few dozen); the check and the upsert use those, bound as lists."""
    found = cur.execute("SELECT metric, unit, bool_or(higher_is_better) FROM incoming "
                        "GROUP BY metric, unit ORDER BY metric, unit").fetchall()
    metrics = sorted({metric for metric, _, _ in found})
    stored = dict(cur.execute("SELECT metric, unit FROM metric_info "
                              "WHERE metric IN (SELECT unnest($metrics))",
                              {"metrics": metrics}).fetchall())
    for metric, given, _ in found:
        if metric in stored and stored[metric] != given:
            raise CxroiError(f"metric {metric} is stored in unit {stored[metric]}, but this file "
                             f"gives {given}; use a new metric name or the stored unit.")
    units: dict[str, str] = {}
    higher: dict[str, bool] = {}
    for metric, unit, flag in found:
        units.setdefault(metric, unit)
        higher[metric] = higher.get(metric, False) or bool(flag)
    # an upsert as DELETE + INSERT: a lake has no key to replace on
    cur.execute("DELETE FROM metric_info WHERE metric IN (SELECT unnest($metrics))",
                {"metrics": metrics})
    cur.execute("INSERT INTO metric_info SELECT unnest($metrics), unnest($units), "
                "unnest($higher)", {"metrics": metrics, "units": [units[m] for m in metrics],
                                    "higher": [higher[m] for m in metrics]})


def _refresh_status(cur: duckdb.DuckDBPyConnection, kind: str) -> None:
    """An upload is active while any of its rows is current, else superseded.

    Also rebuilds ``current_segments``, the derived list of segments with current metrics.
    """
    if kind == "metrics":
        cur.execute("DELETE FROM current_segments")
        cur.execute("INSERT INTO current_segments SELECT DISTINCT segment FROM metrics "
                    "WHERE current AND NOT company_wide")
    cur.execute(
        f"UPDATE uploads SET status = CASE WHEN id IN "
        f"(SELECT DISTINCT upload_id FROM {kind} WHERE current) THEN 'active' ELSE 'superseded' END "
        "WHERE kind = ? AND status <> 'rolled_back'", [kind])


def _uploads(cur: duckdb.DuckDBPyConnection, where: str, params: list[object]) -> list[Upload]:
    rows = cur.execute(
        "SELECT id, kind, file_name, sha256, uploaded_at, uploaded_by, source, scope, row_count, "
        f"status, demo FROM uploads {where} ORDER BY id DESC", params).fetchall()
    return [Upload(r[0], r[1], r[2], r[3], iso_utc(r[4]), r[5], r[6], r[7], r[8], r[9], r[10])
            for r in rows]
