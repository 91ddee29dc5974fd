"""``drivers`` and ``leading``: which experiences drive loyalty, which metric leads.

``drivers --outcome ITEM [--period P] [--segment S] [--items A,B] [--method lmg|johnson]
[--json]`` and ``leading --outcome METRIC [--lag K] [--segment S] [--json]`` print exactly the
contract's JSON (docs/design.md, "Command line") with ``--json``, a plain table without.
Survey ratings come in through the generic ``import ratings FILE``.
"""

from __future__ import annotations

import argparse
import sys

from cxroi.cli.common import open_for, to_json
from cxroi.models import ALL, CxroiError

__all__ = ["register"]


def _lag(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the lag is a whole number of quarters, not {text!r}") \
            from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"the lag is at least 1 quarter, not {value}")
    return value


def register(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    from cxroi.drilldown import DRIVER_METHODS

    drivers = commands.add_parser("drivers", parents=[db],
                                  help="key drivers of a survey outcome item")
    drivers.add_argument("--outcome", required=True, help="the outcome item, e.g. "
                         "likelihood_to_recommend")
    drivers.add_argument("--period", default=None,
                         help="the quarter (default: the latest with ratings)")
    drivers.add_argument("--segment", default=ALL, help="a segment, or All (the default) to "
                         "pool every segment's respondents")
    drivers.add_argument("--items", default=None,
                         help="the drivers, comma-separated (default: every other item)")
    drivers.add_argument("--method", choices=DRIVER_METHODS, default=None,
                         help="lmg (exact, up to 15 drivers) or johnson (relative weights); "
                              "default lmg up to 15 drivers, johnson above")
    drivers.add_argument("--json", action="store_true")
    drivers.set_defaults(run=_drivers)

    leading = commands.add_parser("leading", parents=[db],
                                  help="leading indicators of an outcome metric")
    leading.add_argument("--outcome", required=True, help="the outcome metric, e.g. "
                         "customers_lost")
    leading.add_argument("--lag", type=_lag, default=1, help="quarters between (default 1)")
    leading.add_argument("--segment", default=ALL, help="a segment, or All (the company-wide "
                         "figures, the default)")
    leading.add_argument("--json", action="store_true")
    leading.set_defaults(run=_leading)


def _drivers(args: argparse.Namespace) -> int:
    from cxroi import wording
    from cxroi.drilldown import drivers_for

    items = None
    if args.items is not None:
        items = [name.strip() for name in args.items.split(",") if name.strip()]
        if not items:
            raise CxroiError("--items needs at least one item name (comma-separated).")
    result = drivers_for(open_for(args), args.outcome, period=args.period,
                         segment=args.segment, items=items, method=args.method or "auto")
    if args.json:
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(to_json(result.as_json()))
    else:
        print(wording.drivers_text(result))
    return 0


def _leading(args: argparse.Namespace) -> int:
    from cxroi import wording
    from cxroi.drilldown import leading_for

    result = leading_for(open_for(args), args.outcome, lag=args.lag, segment=args.segment)
    print(to_json(result.as_json()) if args.json else wording.leading_text(result))
    return 0
