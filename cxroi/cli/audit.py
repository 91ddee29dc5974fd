"""``audit``: every write, oldest first, as the store recorded it."""

from __future__ import annotations

import argparse

from cxroi.cli.common import open_for, to_json

__all__ = ["register"]


def register(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    audit = commands.add_parser("audit", parents=[db], help="every write, oldest first")
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(run=_audit)


def _audit(args: argparse.Namespace) -> int:
    entries = open_for(args).audit()
    if args.json:
        print(to_json([e.as_json() for e in entries]))
        return 0
    for e in entries:
        print(f"{e.at}  {e.who:<24}  {e.action:<14}  {e.target}  {e.detail}")
    if not entries:
        print("Nothing has been written yet.")
    return 0
