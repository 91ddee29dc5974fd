"""The store: connect, migrate, read, write. All of cxroi's SQL lives in this package.

==================  =======================================================================
``Store``           one database: a DuckDB connection, a cursor per use, serialised writes
``open_store``      the process's one `Store` of a path (``$CXROI_DB`` or `DEFAULT_DB`)
``forget_store``    close and forget it (tests, ``demo --reset``)
``driver_sentence`` a DuckDB error as one plain sentence
``GRAINS``          each kind's table and the grain at which an upload supersedes
``COLUMNS``         each kind's stored columns
==================  =======================================================================

The rooms, one module each; `Store` is their union:

=============  ==============================================================================
``schema``     the tables: grains, columns, the append-only migrations
``errors``     DuckDB's errors as sentences
``base``       the connection, cursors, the write transaction, the data version
``audit``      the audit trail, written inside every write's own transaction
``uploads``    preview, commit, history, rollback (supersede, never delete)
``reads``      a segment's dataset in one snapshot; segments; row counts
``scenarios``  versioned assumptions
``roles``      who holds which role, granted and revoked (audited)
``database``   `Store` itself, reset and settings, the open stores of the process
``lake``       DuckLake: ``ducklake:`` targets, the offline extensions, the lake's DDL
``copy``       a whole database into an empty one (``copy --to``)
=============  ==============================================================================
"""

from __future__ import annotations

from cxroi.store.database import DEFAULT_DB, Store, forget_store, open_store
from cxroi.store.errors import driver_sentence
from cxroi.store.schema import COLUMNS, GRAINS
from cxroi.store.copy import copy_store

__all__ = ["DEFAULT_DB", "GRAINS", "COLUMNS", "Store", "open_store", "forget_store",
           "driver_sentence"]
__all__ += ["copy_store"]
