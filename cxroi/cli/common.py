"""What every command shares: the parser, opening the store, strict JSON, who is acting."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import NoReturn

from cxroi.models import Assumptions, CxroiError, Scenario, assumption_info

__all__ = ["Parser", "open_for", "to_json", "read_assumptions", "scenario_of",
           "warn_implausible", "parse_scenario_ref", "operator", "add_by"]


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 1 with one sentence, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"{self.prog}: {message} (see --help)\n")


def add_by(parser: argparse.ArgumentParser) -> None:
    """The ``--by NAME`` of a command that writes (the audit trail names them)."""
    parser.add_argument("--by", default="",
                        help="who is doing this (default: your login name on this machine)")


def operator(args: argparse.Namespace) -> str:
    """Who runs a writing command: ``--by``, else the login name (the CLI is a local,
    trusted operator; docs/design.md "Sign-in and roles")."""
    named = (getattr(args, "by", "") or "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "command line"


def parse_scenario_ref(text: str) -> tuple[str, int | None]:
    """``NAME`` or ``NAME@VERSION`` -> (name, version or none for the latest).

    >>> parse_scenario_ref("Baseline@2"), parse_scenario_ref("Q3 plan")
    (('Baseline', 2), ('Q3 plan', None))
    """
    name, sep, version = text.rpartition("@")
    if sep and version.isdigit():
        return name, int(version)
    return text, None


def read_assumptions(path: Path) -> Assumptions:
    """A scenario file named on the command line, read as the app reads an uploaded one."""
    from cxroi.whatif import MAX_SCENARIO_FILE_BYTES, read_scenario_file

    if not path.exists():
        raise CxroiError(f"There is no file {path}.")
    if not path.is_file():
        raise CxroiError(f"{path} is a folder, not a scenario file.")
    with path.open("rb") as file:
        return read_scenario_file(file.read(MAX_SCENARIO_FILE_BYTES + 1), path.name)


def to_json(value: object) -> str:
    """Strict JSON: a number too large to be finite is an error, never ``Infinity`` or ``NaN``."""
    try:
        return json.dumps(value, indent=2, allow_nan=False)
    except ValueError:
        raise CxroiError("Some figures are too large to compute (a sum overflowed); check the "
                         "uploaded values for absurd magnitudes.") from None


def warn_implausible(scenario: Scenario) -> None:
    for info in assumption_info():
        value = getattr(scenario.assumptions, info.key)
        if info.low is not None and not info.low <= value <= info.high:
            print(f"warning: {info.key} = {value:g} is outside the plausible range "
                  f"{info.low:g} to {info.high:g}", file=sys.stderr)


def open_for(args: argparse.Namespace, *, seed: bool = True):
    """The store the command names (``--db``, ``$CXROI_DB`` or the seeded default)."""
    from cxroi.demo import load_demo
    from cxroi.store import open_store

    if getattr(args, "db", None) == "":
        raise CxroiError("--db needs a database file's path (it was empty).")
    return open_store(getattr(args, "db", None), seed=load_demo if seed else None)


def scenario_of(args: argparse.Namespace, store) -> Scenario:
    """The scenario a reading command asks for: ``--assumptions``, ``--scenario`` or Baseline."""
    if getattr(args, "assumptions", None) is not None:
        assumptions = read_assumptions(args.assumptions)
        return Scenario(name=args.assumptions.name, version=None, assumptions=assumptions)
    name, version = parse_scenario_ref(getattr(args, "scenario", None) or "Baseline")
    return store.scenario(name, version)
