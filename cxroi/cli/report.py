"""``report`` and ``export deck``: the numbers behind every chart, and the meeting deck."""

from __future__ import annotations

import argparse
from pathlib import Path

from cxroi.cli.common import open_for, scenario_of, to_json, warn_implausible
from cxroi.models import BASELINES

__all__ = ["register"]


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
    from cxroi.export import export_deck
    from cxroi.report import build_report

    store = open_for(args)
    scenario = scenario_of(args, store)
    report = build_report(store.dataset(args.segment), scenario, baseline=args.baseline,
                          drilldown=store.drilldown(args.segment))
    export_deck(report, args.out)
    print(f"Wrote {args.out}.")
    return 0
