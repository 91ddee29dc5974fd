"""``plan add``, ``plan update``, ``plan list``: action plans, append-only versions."""

from __future__ import annotations

import argparse
import datetime as dt

from cxroi.cli.common import add_by, open_for, operator, to_json
from cxroi.models import PLAN_STATUSES, CxroiError

__all__ = ["register"]

_TEXT_FIELDS = (("--theme", "theme"), ("--root-cause", "root_cause"), ("--action", "action"),
                ("--owner", "owner"), ("--due", "due"), ("--indicator", "indicator"),
                ("--note", "note"))
_NUMBER_FIELDS = (("--investment", "investment"), ("--running-cost", "running_cost"),
                  ("--expected-reduction", "expected_reduction"), ("--target", "indicator_target"))


def register(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    plan = commands.add_parser("plan", parents=[db], help="action plans for the vital few")
    verbs = plan.add_subparsers(dest="verb", required=True, parser_class=type(plan))

    add = verbs.add_parser("add", parents=[db], help="a new action plan (prints its id)")
    for flag, key in _TEXT_FIELDS:
        required = key in ("theme", "root_cause", "action", "owner", "due")
        add.add_argument(flag, dest=key, required=required, default=None,
                         help="YYYY-MM-DD" if key == "due" else None)
    for flag, key in _NUMBER_FIELDS:
        add.add_argument(flag, dest=key, default=None, metavar="X")
    add_by(add)
    add.set_defaults(run=_add)

    update = verbs.add_parser("update", parents=[db], help="a new version of a plan")
    update.add_argument("plan_id", metavar="ID")
    update.add_argument("--status", default=None, help=", ".join(PLAN_STATUSES))
    for flag, key in _TEXT_FIELDS:
        update.add_argument(flag, dest=key, default=None)
    for flag, key in _NUMBER_FIELDS:
        update.add_argument(flag, dest=key, default=None, metavar="X")
    add_by(update)
    update.set_defaults(run=_update)

    listing = verbs.add_parser("list", parents=[db], help="the latest version of each plan")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_list)


def _fields(args: argparse.Namespace) -> dict[str, object]:
    """The fields given on the command line (numbers read as numbers, with the flag named)."""
    fields: dict[str, object] = {}
    for flag, key in _TEXT_FIELDS:
        if getattr(args, key, None) is not None:
            fields[key] = getattr(args, key)
    if getattr(args, "status", None) is not None:
        fields["status"] = args.status
    for flag, key in _NUMBER_FIELDS:
        text = getattr(args, key, None)
        if text is None:
            continue
        try:
            fields[key] = float(text.replace(",", "").replace("$", "").strip())
        except ValueError:
            raise CxroiError(f"{flag} must be a number (got {text!r}); nothing was stored.") from None
    return fields


def _add(args: argparse.Namespace) -> int:
    plan = open_for(args).add_plan(by=operator(args), **_fields(args))
    print(plan.id)
    return 0


def _update(args: argparse.Namespace) -> int:
    try:
        plan_id = int(args.plan_id)
    except ValueError:
        raise CxroiError(f"A plan id is a whole number (got {args.plan_id!r}).") from None
    changes = _fields(args)
    if not changes:
        raise CxroiError("Nothing to update: name at least one field, e.g. --status done.")
    plan = open_for(args).update_plan(plan_id, changes, by=operator(args))
    print(f"Updated action plan {plan.id} to version {plan.version} ({plan.status}).")
    return 0


def _list(args: argparse.Namespace) -> int:
    from cxroi.report import build_report

    store = open_for(args)
    report = build_report(store.dataset(), store.scenario("Baseline"),
                          drilldown=store.drilldown(history=False),
                          today=dt.datetime.now(dt.UTC).date())
    if args.json:
        print(to_json([plan.as_json() for plan in report.plans]))
        return 0
    for view in report.plans:
        plan, case = view.record, view.case
        late = ", OVERDUE" if view.overdue else ""
        print(f"{plan.id:>4} v{plan.version}  {plan.status:<11}  due {plan.due}{late}  "
              f"{plan.theme}: {plan.action} (owner {plan.owner}; NPV ${case.npv:,.0f})")
    if not report.plans:
        print("No action plans yet.")
    return 0
