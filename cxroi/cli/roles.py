"""``role grant``, ``role revoke``, ``role list``: who may do what once sign-in is on.

The shell is a local, trusted operator: this is how the first admin is granted
(``python -m cxroi role grant you@company.com admin``). Every change is audited with ``--by``.
"""

from __future__ import annotations

import argparse

from cxroi.access import ROLES
from cxroi.cli.common import Parser, add_by, open_for, operator, to_json

__all__ = ["register"]


def register(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    role = commands.add_parser("role", parents=[db], help="grant, revoke or list roles")
    actions = role.add_subparsers(dest="action", required=True, parser_class=Parser)
    for name, run, words in (("grant", _grant, "give EMAIL the role ROLE"),
                             ("revoke", _revoke, "take the role ROLE from EMAIL")):
        change = actions.add_parser(name, parents=[db], help=words)
        change.add_argument("email", metavar="EMAIL")
        change.add_argument("role", metavar="ROLE", help=f"one of {', '.join(ROLES)}")
        add_by(change)
        change.set_defaults(run=run)
    listing = actions.add_parser("list", parents=[db], help="everyone who holds a role")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_list)


def _grant(args: argparse.Namespace) -> int:
    store = open_for(args)
    store.grant(args.email, args.role, by=operator(args))
    print(f"Granted {args.role} to {args.email.strip().lower()}.")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    store = open_for(args)
    store.revoke(args.email, args.role, by=operator(args))
    print(f"Revoked {args.role} from {args.email.strip().lower()}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    held = open_for(args).roles()
    if args.json:
        print(to_json(held))
        return 0
    for entry in held:
        print(f"{entry['email']:<40}  {', '.join(entry['roles'])}")
    if not held:
        print("Nobody holds a role yet (grant the first admin: role grant EMAIL admin).")
    return 0
