"""``python -m cxroi``: the dashboard's operations without the browser.

Every command exits 0 on success and 1 on any error, with one plain sentence (no traceback).
``--db PATH`` (or ``$CXROI_DB``) picks the database; the default one is created and seeded
with the demo data on first use.

Each room registers its own commands (``register(commands, db)``, each command's function
set as ``run``):

==============  ==========================================================
``common``      the parser, opening the store, strict JSON, ``--by``
``data``        ``demo``, ``import``, ``uploads``, ``rollback``
``scenarios``   ``scenario save``, ``scenario list``
``report``      ``report``, ``export deck``
``audit``       ``audit``
``drivers``     ``drivers``, ``leading``
``plans``       ``plan add``, ``plan update``, ``plan list``
``copy``        ``copy --to``: a whole database into an empty lake
``roles``       ``role grant``, ``role revoke``, ``role list``
==============  ==========================================================
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from cxroi.cli import audit, data, drivers, plans, report, roles, scenarios
from cxroi.cli import copy as copy_room
from cxroi.cli.common import Parser, parse_scenario_ref
from cxroi.models import CxroiError

__all__ = ["main", "parse_scenario_ref"]

_ROOMS = (data, scenarios, report, audit, drivers, plans, roles, copy_room)


def _build_parser() -> argparse.ArgumentParser:
    db = Parser(add_help=False)
    db.add_argument("--db", default=argparse.SUPPRESS,
                    help="database file or ducklake:... lake (default: $CXROI_DB or "
                         "data/cxroi.duckdb)")
    db.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                    help="also print the causes cxroi logs (driver errors, tracebacks)")
    parser = Parser(prog="python -m cxroi", description=__doc__.splitlines()[0], parents=[db])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for room in _ROOMS:
        room.register(commands, db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 success, 1 any error)."""
    try:
        args = _build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (1), already printed
        return int(exc.code or 0)
    if getattr(args, "verbose", False):
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.run(args)
    except CxroiError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted; nothing more was stored.", file=sys.stderr)
    except Exception:  # the last line of defence: one sentence, never a traceback
        logging.getLogger("cxroi.cli").exception("python -m cxroi %s failed", args.command)
        print("error: the command failed unexpectedly; nothing more was stored (run it again "
              "with --verbose to see why).", file=sys.stderr)
    return 1
