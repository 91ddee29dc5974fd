"""``report`` and ``export deck``: the numbers behind every chart, and the meeting deck."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from cxroi.cli.common import open_for, scenario_of, to_json, warn_implausible
from cxroi.models import BASELINES

__all__ = ["register", "deck_drivers"]

log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    report = commands.add_parser("report", parents=[db], help="the numbers behind every chart")
    which = report.add_mutually_exclusive_group()
    which.add_argument("--scenario", default=None, help="NAME or NAME@VERSION")
    which.add_argument("--assumptions", type=Path, default=None, help="a JSON assumptions file")
    report.add_argument("--segment", default="All")
    report.add_argument("--period", default=None)
    report.add_argument("--baseline", choices=BASELINES, default="normal")
    report.add_argument("--json", action="store_true")
    report.set_defaults(run=_report)

    export = commands.add_parser("export", parents=[db], help="export the meeting deck")
    export.add_argument("what", choices=("deck",))
    export.add_argument("out", type=Path, help="OUT.pptx or OUT.pdf")
    export.add_argument("--scenario", default=None, help="NAME or NAME@VERSION")
    export.add_argument("--segment", default="All")
    export.add_argument("--baseline", choices=BASELINES, default="normal")
    groups = export.add_mutually_exclusive_group()
    groups.add_argument("--group", action="append", default=[], metavar="DEPARTMENT",
                        help="add a slide for this work group's themes (repeatable)")
    groups.add_argument("--groups", action="store_true",
                        help="add a slide for every work group that owns a theme")
    export.set_defaults(run=_export)


def _report(args: argparse.Namespace) -> int:
    from cxroi import wording
    from cxroi.report import build_report

    store = open_for(args)
    scenario = scenario_of(args, store)
    warn_implausible(scenario)
    report = build_report(store.dataset(args.segment), scenario, period=args.period,
                          baseline=args.baseline,
                          drilldown=store.drilldown(args.segment, period=args.period,
                                                    history=False))
    if args.json:
        print(to_json(report.as_json()))
        return 0
    berg, melt = report.latest_iceberg, report.melt
    print(f"Scenario {scenario.label}, segment {args.segment}, periods "
          f"{', '.join(report.periods) or 'none'}")
    if berg is not None:
        print(f"{berg.period}: visible ${berg.visible:,.2f}, hidden ${berg.hidden:,.2f}, "
              f"total ${berg.total:,.2f}")
    payback = wording.payback(melt.payback_months)
    roi_text = "n/a" if melt.roi is None else f"{melt.roi:.1%}"
    print(f"Prevention: annual cost ${melt.annual_cost:,.2f}, NPV ${melt.npv:,.2f}, "
          f"ROI {roi_text}, payback {payback}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from cxroi.export import export_deck, work_groups
    from cxroi.report import build_report

    store = open_for(args)
    scenario = scenario_of(args, store)
    report = build_report(store.dataset(args.segment), scenario, baseline=args.baseline,
                          drilldown=store.drilldown(args.segment))
    groups = work_groups(report) if args.groups else args.group
    export_deck(report, args.out, drivers=deck_drivers(store, args.segment), groups=groups)
    print(f"Wrote {args.out}.")
    return 0


def deck_drivers(store, segment: str):
    """The deck's key drivers: `drivers_for` of the deck's outcome among the segment's
    respondents (``All`` when the segment has no ratings of its own), latest quarter,
    automatic method; none when it refuses (no ratings, no such item, too few answers),
    which leaves the slide out and never stops the deck."""
    from cxroi.drilldown import drivers_for
    from cxroi.export.deck import DRIVERS_OUTCOME
    from cxroi.models import ALL, CxroiError

    try:
        asked = segment if segment in store.rating_segments() else ALL
        return drivers_for(store, DRIVERS_OUTCOME, segment=asked)
    except CxroiError as exc:
        log.info("The deck leaves out the key drivers: %s", exc)
        return None
