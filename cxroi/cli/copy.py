"""``copy --to TARGET``: the whole database (``--db``) into an empty lake, history and all."""

from __future__ import annotations

import argparse

from cxroi.cli.common import add_by, open_for, operator

__all__ = ["register"]


def register(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    copy = commands.add_parser(
        "copy", parents=[db],
        help="copy the whole database (--db) into an empty DuckLake or database file")
    copy.add_argument("--to", required=True, metavar="TARGET",
                      help="ducklake:postgres:<connection string> (with $CXROI_LAKE_DATA), "
                           "ducklake:PATH.ducklake, or a new .duckdb file")
    add_by(copy)
    copy.set_defaults(run=_copy)


def _copy(args: argparse.Namespace) -> int:
    from cxroi.models import CxroiError
    from cxroi.store import copy_store, open_store

    if not args.to.strip():
        raise CxroiError("--to needs the target database (it was empty).")
    source = open_for(args, seed=False)
    copied = copy_store(source, open_store(args.to), by=operator(args))
    rows = sum(n for table, n in copied.items() if table != "audit")
    print(f"Copied {rows:,} rows in {len(copied)} tables, with {copied.get('audit', 0):,} audit "
          f"entries, from {source.path} to {open_store(args.to).path}.")
    return 0
