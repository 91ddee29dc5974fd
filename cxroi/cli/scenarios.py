"""``scenario save`` and ``scenario list``: finance's versioned assumptions."""

from __future__ import annotations

import argparse
from pathlib import Path

from cxroi.cli.common import (
    Parser,
    add_by,
    open_for,
    operator,
    read_assumptions,
    to_json,
    warn_implausible,
)

__all__ = ["register"]


def register(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    scenario = commands.add_parser("scenario", parents=[db], help="save or list scenarios")
    actions = scenario.add_subparsers(dest="action", required=True, parser_class=Parser)
    save = actions.add_parser("save", parents=[db], help="save a new scenario version")
    save.add_argument("name")
    save.add_argument("--from", dest="source", type=Path, required=True,
                      help="a JSON object of assumptions (keys not named keep defaults)")
    save.add_argument("--note", default="")
    add_by(save)
    save.set_defaults(run=_save)
    listing = actions.add_parser("list", parents=[db], help="list every scenario version")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_list)


def _save(args: argparse.Namespace) -> int:
    store = open_for(args)
    assumptions = read_assumptions(args.source)
    saved = store.save_scenario(args.name, assumptions, note=args.note, by=operator(args))
    warn_implausible(saved)
    print(f"Saved scenario {saved.label}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    scenarios = open_for(args).scenarios()
    if args.json:
        print(to_json([
            {"name": s.name, "version": s.version,
             "created_at": s.created_at.isoformat() if s.created_at else None,
             "created_by": s.created_by, "note": s.note}
            for s in scenarios]))
        return 0
    for s in scenarios:
        print(f"{s.label:<30}  {s.created_at.isoformat() if s.created_at else ''}  "
              f"{s.created_by or '-'}  {s.note}")
    return 0
