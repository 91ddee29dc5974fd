"""The database's tables: each kind's grain and columns, and the migrations that build them.

Migrations are append-only: a new table or column is a new numbered script at the end,
never an edit of one that may already have run on someone's database.
"""

from __future__ import annotations

__all__ = ["GRAINS", "COLUMNS", "MIGRATIONS", "RESETTABLE", "counted"]

GRAINS: dict[str, tuple[str, ...]] = {
    "metrics": ("period", "segment", "metric"),
    "effort": ("period", "department"),
    "benchmarks": ("metric", "kind"),
    "ratings": ("period", "segment"),
    "themes": ("period", "segment", "metric"),
}
"""Each kind's table and the columns at which a new upload supersedes older rows."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "metrics": ("period", "segment", "metric", "value", "unit", "higher_is_better"),
    "effort": ("period", "department", "tier", "hours", "budget", "loop"),
    "benchmarks": ("metric", "kind", "value", "unit", "source", "as_of"),
    "ratings": ("period", "segment", "respondent", "item", "score"),
    "themes": ("period", "segment", "theme", "count", "metric", "department"),
}
"""Each kind's canonical columns (ingest's rows, after ``row``); the stored columns after
``upload_id`` and ``row_no``, but for ratings (see `counted`)."""


def counted(kind: str, alias: str) -> str:
    """SQL counting the canonical rows behind ``alias``'s stored rows of ``kind``.

    A stored row is a canonical row, but for ratings: a ``ratings`` row is one respondent of
    one upload (period, segment, respondent, the supersede grain and ``current``), holding
    ``answers`` of the canonical rows, which are stored as small integers in
    ``rating_answers`` (respondent and item numbers, the score) and ``rating_items`` (each
    upload's item names). Narrow rows are what keeps a 50,000-respondent import near the
    engine's own floor (docs/decisions.md).

    >>> counted("ratings", "t"), counted("metrics", "t")
    ('sum(t.answers)', 'count(*)')
    """
    return f"sum({alias}.answers)" if kind == "ratings" else "count(*)"

RESETTABLE: tuple[str, ...] = ("metrics", "metric_info", "current_segments", "effort",
                               "benchmarks", "uploads", "scenarios", "settings", "ratings",
                               "rating_answers", "rating_items", "themes", "plans")
"""The tables ``demo --reset`` empties (the audit trail is never emptied)."""

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
        CREATE SEQUENCE upload_ids START 1;
        CREATE TABLE uploads (
            id INTEGER PRIMARY KEY DEFAULT nextval('upload_ids'),
            kind VARCHAR NOT NULL CHECK (kind IN ('metrics', 'effort', 'benchmarks')),
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            uploaded_at TIMESTAMP NOT NULL,
            uploaded_by VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            scope VARCHAR NOT NULL,
            row_count INTEGER NOT NULL,
            demo BOOLEAN NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('active', 'superseded', 'rolled_back')),
            rolled_back_at TIMESTAMP
        );
        CREATE TABLE metrics (
            upload_id INTEGER NOT NULL, row_no INTEGER NOT NULL,
            period VARCHAR NOT NULL, segment VARCHAR NOT NULL, metric VARCHAR NOT NULL,
            value DOUBLE NOT NULL, unit VARCHAR NOT NULL, higher_is_better BOOLEAN NOT NULL,
            current BOOLEAN NOT NULL,
            company_wide BOOLEAN NOT NULL  -- segment = 'All', kept so reads group on a flag
        );
        CREATE TABLE metric_info (  -- one unit and direction per metric, the latest upload's
            metric VARCHAR PRIMARY KEY, unit VARCHAR NOT NULL, higher_is_better BOOLEAN NOT NULL
        );
        CREATE TABLE current_segments (  -- derived on every metrics write, for fast reads
            segment VARCHAR PRIMARY KEY
        );
        CREATE TABLE effort (
            upload_id INTEGER NOT NULL, row_no INTEGER NOT NULL,
            period VARCHAR NOT NULL, department VARCHAR NOT NULL, tier VARCHAR NOT NULL,
            hours DOUBLE NOT NULL, budget DOUBLE, loop VARCHAR,
            current BOOLEAN NOT NULL
        );
        CREATE TABLE benchmarks (
            upload_id INTEGER NOT NULL, row_no INTEGER NOT NULL,
            metric VARCHAR NOT NULL, kind VARCHAR NOT NULL, value DOUBLE NOT NULL,
            unit VARCHAR NOT NULL, source VARCHAR NOT NULL, as_of VARCHAR NOT NULL,
            current BOOLEAN NOT NULL
        );
        CREATE TABLE scenarios (
            name VARCHAR NOT NULL, version INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL, note VARCHAR NOT NULL,
            assumptions VARCHAR NOT NULL,
            PRIMARY KEY (name, version)
        );
        CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
        CREATE TABLE data_version (version BIGINT NOT NULL);
        INSERT INTO data_version VALUES (0);
    """),
    (2, """
        -- the kinds are checked in code (GRAINS), so a new kind needs no table rebuild
        CREATE TABLE uploads_new (
            id INTEGER PRIMARY KEY DEFAULT nextval('upload_ids'),
            kind VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            uploaded_at TIMESTAMP NOT NULL,
            uploaded_by VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            scope VARCHAR NOT NULL,
            row_count INTEGER NOT NULL,
            demo BOOLEAN NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('active', 'superseded', 'rolled_back')),
            rolled_back_at TIMESTAMP
        );
        INSERT INTO uploads_new SELECT * FROM uploads;
        DROP TABLE uploads;
        ALTER TABLE uploads_new RENAME TO uploads;
        CREATE TABLE audit (  -- every write, append-only; ids are given inside the write
            id BIGINT NOT NULL, written_at TIMESTAMP NOT NULL, who VARCHAR NOT NULL,
            action VARCHAR NOT NULL, target VARCHAR NOT NULL, detail VARCHAR NOT NULL
        );
    """),
    (3, """
        -- survey answers, one row per (respondent, item); DuckLake-compatible: no keys,
        -- checks, indexes or sequences
        CREATE TABLE ratings (
            upload_id INTEGER NOT NULL, row_no INTEGER NOT NULL,
            period VARCHAR NOT NULL, segment VARCHAR NOT NULL, respondent VARCHAR NOT NULL,
            item VARCHAR NOT NULL, score DOUBLE NOT NULL,
            current BOOLEAN NOT NULL
        );
    """),
    (4, """
        -- DuckLake-compatible: no keys, checks, indexes or sequences; ids given in the write
        CREATE TABLE themes (
            upload_id INTEGER NOT NULL, row_no INTEGER NOT NULL,
            period VARCHAR NOT NULL, segment VARCHAR NOT NULL, theme VARCHAR NOT NULL,
            count DOUBLE NOT NULL, metric VARCHAR NOT NULL, department VARCHAR,
            current BOOLEAN NOT NULL
        );
        CREATE TABLE plans (  -- append-only versions: a change is version n+1
            id INTEGER NOT NULL, version INTEGER NOT NULL,
            theme VARCHAR NOT NULL, root_cause VARCHAR NOT NULL, action VARCHAR NOT NULL,
            owner VARCHAR NOT NULL, due DATE NOT NULL, status VARCHAR NOT NULL,
            investment DOUBLE NOT NULL, running_cost DOUBLE NOT NULL,
            expected_reduction DOUBLE NOT NULL, indicator VARCHAR, indicator_target DOUBLE,
            created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL, note VARCHAR NOT NULL
        );
    """),
    (5, """
        -- who holds which role (docs/design.md "Sign-in and roles"); emails lower-case.
        -- DuckLake-compatible: no keys or checks; one row per (email, role), kept so by
        -- the write (cxroi/store/roles.py), and a revoke deletes it (the audit keeps history)
        CREATE TABLE roles (
            email VARCHAR NOT NULL, role VARCHAR NOT NULL,
            granted_at TIMESTAMP NOT NULL, granted_by VARCHAR NOT NULL
        );
    """),
    (6, """
        -- survey answers as narrow rows (schema.counted): one ratings row per respondent of
        -- an upload, numbered from 0 in (period, segment, respondent) order; one
        -- rating_items row per item an upload answers, numbered from 0 by name; one
        -- rating_answers row per answer. DuckLake-compatible: no keys, checks or sequences
        CREATE TABLE rating_items (
            upload_id INTEGER NOT NULL, item_no INTEGER NOT NULL, item VARCHAR NOT NULL
        );
        INSERT INTO rating_items
            SELECT upload_id, (row_number() OVER (PARTITION BY upload_id ORDER BY item) - 1),
                   item
            FROM (SELECT DISTINCT upload_id, item FROM ratings);
        CREATE TABLE respondents (
            upload_id INTEGER NOT NULL, respondent_no INTEGER NOT NULL, row_no INTEGER NOT NULL,
            period VARCHAR NOT NULL, segment VARCHAR NOT NULL, respondent VARCHAR NOT NULL,
            answers INTEGER NOT NULL, current BOOLEAN NOT NULL
        );
        INSERT INTO respondents
            SELECT upload_id, (row_number() OVER (PARTITION BY upload_id
                                                  ORDER BY period, segment, respondent) - 1),
                   min(row_no), period, segment, respondent, count(*), bool_or(current)
            FROM ratings GROUP BY upload_id, period, segment, respondent;
        CREATE TABLE rating_answers (
            upload_id INTEGER NOT NULL, respondent_no INTEGER NOT NULL,
            item_no INTEGER NOT NULL, score DOUBLE NOT NULL
        );
        INSERT INTO rating_answers
            SELECT r.upload_id, n.respondent_no, i.item_no, r.score
            FROM ratings r
            JOIN respondents n USING (upload_id, period, segment, respondent)
            JOIN rating_items i USING (upload_id, item);
        DROP TABLE ratings;
        ALTER TABLE respondents RENAME TO ratings;
    """),
)
"""Every schema change in order; a database records which it has applied."""

UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "schema_migrations": ("version",),
    "uploads": ("id",),
    "metric_info": ("metric",),
    "current_segments": ("segment",),
    "scenarios": ("name", "version"),
    "settings": ("key",),
}
"""The keys the embedded file enforces (PRIMARY KEY) and a lake cannot: a lake's write checks
them inside its transaction before committing (`cxroi.store.lake.unique_sql`). A new table
with a key adds it here."""
__all__ += ["UNIQUE_KEYS"]
