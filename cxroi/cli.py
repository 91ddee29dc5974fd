"""``python -m cxroi``: the dashboard's operations without the browser.

Every command exits 0 on success and 1 on any error, with one plain sentence (no traceback).
``--db PATH`` (or ``$CXROI_DB``) picks the database; the default one is created and seeded
with the demo data on first use.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from cxroi.models import (
    BASELINES,
    Assumptions,
    CxroiError,
    Scenario,
    UploadMeta,
    assumption_info,
)

__all__ = ["main", "parse_scenario_ref"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 1 with one sentence, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"{self.prog}: {message} (see --help)\n")


def _build_parser() -> argparse.ArgumentParser:
    db = _Parser(add_help=False)
    db.add_argument("--db", default=argparse.SUPPRESS,
                    help="database file (default: $CXROI_DB or data/cxroi.duckdb)")
    db.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                    help="also print the causes cxroi logs (driver errors, tracebacks)")
    parser = _Parser(prog="python -m cxroi", description=__doc__.splitlines()[0], parents=[db])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = commands.add_parser("demo", parents=[db], help="load the demo dataset")
    demo.add_argument("--reset", action="store_true",
                      help="empty the database first (deletes everything in it)")

    upload = commands.add_parser("import", parents=[db], help="import a CSV or XLSX upload")
    upload.add_argument("kind", choices=("metrics", "effort", "benchmarks"))
    upload.add_argument("file", type=Path)
    upload.add_argument("--source", required=True, help='e.g. "Zendesk ticket export"')
    upload.add_argument("--scope", required=True, help='e.g. "NA enterprise, 62%% of revenue"')
    upload.add_argument("--by", default="", help="who is uploading")
    upload.add_argument("--sheet", default=None, help="the workbook sheet to read")
    upload.add_argument("--force", action="store_true",
                        help="import even if the same file is already active")

    uploads = commands.add_parser("uploads", parents=[db], help="list the upload history")
    uploads.add_argument("--json", action="store_true")

    rollback = commands.add_parser("rollback", parents=[db], help="undo an upload")
    rollback.add_argument("upload_id", type=int)

    scenario = commands.add_parser("scenario", parents=[db], help="save or list scenarios")
    actions = scenario.add_subparsers(dest="action", required=True, parser_class=_Parser)
    save = actions.add_parser("save", parents=[db], help="save a new scenario version")
    save.add_argument("name")
    save.add_argument("--from", dest="source", type=Path, required=True,
                      help="a JSON object of assumptions (keys not named keep defaults)")
    save.add_argument("--note", default="")
    save.add_argument("--by", default="")
    listing = actions.add_parser("list", parents=[db], help="list every scenario version")
    listing.add_argument("--json", action="store_true")

    report = commands.add_parser("report", parents=[db], help="the numbers behind every chart")
    which = report.add_mutually_exclusive_group()
    which.add_argument("--scenario", default=None, help="NAME or NAME@VERSION")
    which.add_argument("--assumptions", type=Path, default=None, help="a JSON assumptions file")
    report.add_argument("--segment", default="All")
    report.add_argument("--period", default=None)
    report.add_argument("--baseline", choices=BASELINES, default="normal")
    report.add_argument("--json", action="store_true")

    export = commands.add_parser("export", parents=[db], help="export the meeting deck")
    export.add_argument("what", choices=("deck",))
    export.add_argument("out", type=Path, help="OUT.pptx or OUT.pdf")
    export.add_argument("--scenario", default=None, help="NAME or NAME@VERSION")
    export.add_argument("--segment", default="All")
    export.add_argument("--baseline", choices=BASELINES, default="normal")
    return parser


def parse_scenario_ref(text: str) -> tuple[str, int | None]:
    """``NAME`` or ``NAME@VERSION`` -> (name, version or none for the latest).

    >>> parse_scenario_ref("Baseline@2"), parse_scenario_ref("Q3 plan")
    (('Baseline', 2), ('Q3 plan', None))
    """
    name, sep, version = text.rpartition("@")
    if sep and version.isdigit():
        return name, int(version)
    return text, None


def _read_assumptions(path: Path) -> Assumptions:
    """A scenario file named on the command line, read as the app reads an uploaded one."""
    from cxroi.whatif import MAX_SCENARIO_FILE_BYTES, read_scenario_file

    if not path.exists():
        raise CxroiError(f"There is no file {path}.")
    if not path.is_file():
        raise CxroiError(f"{path} is a folder, not a scenario file.")
    with path.open("rb") as file:
        return read_scenario_file(file.read(MAX_SCENARIO_FILE_BYTES + 1), path.name)


def _json(value: object) -> str:
    """Strict JSON: a number too large to be finite is an error, never ``Infinity`` or ``NaN``."""
    try:
        return json.dumps(value, indent=2, allow_nan=False)
    except ValueError:
        raise CxroiError("Some figures are too large to compute (a sum overflowed); check the "
                         "uploaded values for absurd magnitudes.") from None


def _warn_implausible(scenario: Scenario) -> None:
    for info in assumption_info():
        value = getattr(scenario.assumptions, info.key)
        if info.low is not None and not info.low <= value <= info.high:
            print(f"warning: {info.key} = {value:g} is outside the plausible range "
                  f"{info.low:g} to {info.high:g}", file=sys.stderr)


def _open(args: argparse.Namespace, *, seed: bool = True):
    from cxroi.demo import load_demo
    from cxroi.store import open_store

    if getattr(args, "db", None) == "":
        raise CxroiError("--db needs a database file's path (it was empty).")
    return open_store(getattr(args, "db", None), seed=load_demo if seed else None)


def _scenario(args: argparse.Namespace, store) -> Scenario:
    if getattr(args, "assumptions", None) is not None:
        assumptions = _read_assumptions(args.assumptions)
        return Scenario(name=args.assumptions.name, version=None, assumptions=assumptions)
    name, version = parse_scenario_ref(args.scenario or "Baseline")
    return store.scenario(name, version)


def _cmd_demo(args: argparse.Namespace) -> int:
    from cxroi.demo import load_demo

    store = _open(args, seed=False)
    if not store.is_empty():
        if not args.reset:
            raise CxroiError(f"The database {store.path} already holds data; run "
                             "'demo --reset' to empty it and load the demo instead.")
        store.reset()
    load_demo(store)
    print(f"Loaded the demo dataset into {store.path}.")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from cxroi.ingest import MAX_UPLOAD_BYTES, read_upload, upload_limit

    path: Path = args.file
    if not path.is_file():
        raise CxroiError(f"There is no file {path}.")
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        raise CxroiError(f"{path.name} is larger than the upload limit of "
                         f"{upload_limit()}; nothing was stored.")
    parsed = read_upload(path.read_bytes(), path.name, args.kind, sheet=args.sheet)
    for warning in parsed.warnings:  # every warning the Upload page shows
        print(f"warning: {warning}", file=sys.stderr)
    if not parsed.ok:
        for problem in parsed.problems:
            print(problem, file=sys.stderr)
        return 1
    store = _open(args)
    same = store.active_upload_with_hash(parsed.sha256)
    if same is not None and not args.force:
        raise CxroiError(f"{path.name} is already imported as upload {same.id} (same SHA-256); "
                         "use --force to import it again.")
    meta = UploadMeta.checked(kind=args.kind, file_name=path.name, sha256=parsed.sha256,
                              source=args.source, scope=args.scope, uploaded_by=args.by)
    preview = store.preview(args.kind, parsed.rows)
    upload = store.commit_upload(meta, parsed.rows)
    superseded = f"; superseded {preview.superseded_rows} earlier row(s)" \
        if preview.superseded_rows else ""
    print(f"Imported {upload.rows} {args.kind} row(s) from {path.name} as upload "
          f"{upload.id}{superseded}.")
    return 0


def _cmd_uploads(args: argparse.Namespace) -> int:
    uploads = _open(args).uploads()
    if args.json:
        print(_json([u.as_json() for u in uploads]))
        return 0
    for u in uploads:
        print(f"{u.id:>4}  {u.status:<11}  {u.kind:<10}  {u.rows:>8} rows  {u.uploaded_at}  "
              f"{u.file}  ({u.source}; {u.scope}; by {u.uploaded_by or 'unknown'})")
    if not uploads:
        print("No uploads yet.")
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    upload = _open(args).rollback(args.upload_id)
    print(f"Rolled back upload {upload.id} ({upload.file}); earlier rows are current again.")
    return 0


def _cmd_scenario(args: argparse.Namespace) -> int:
    store = _open(args)
    if args.action == "save":
        assumptions = _read_assumptions(args.source)
        saved = store.save_scenario(args.name, assumptions, note=args.note, by=args.by)
        _warn_implausible(saved)
        print(f"Saved scenario {saved.label}.")
        return 0
    scenarios = store.scenarios()
    if args.json:
        print(_json([
            {"name": s.name, "version": s.version,
             "created_at": s.created_at.isoformat() if s.created_at else None,
             "created_by": s.created_by, "note": s.note}
            for s in scenarios]))
        return 0
    for s in scenarios:
        print(f"{s.label:<30}  {s.created_at.isoformat() if s.created_at else ''}  "
              f"{s.created_by or '-'}  {s.note}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from cxroi import wording
    from cxroi.report import build_report

    store = _open(args)
    scenario = _scenario(args, store)
    _warn_implausible(scenario)
    report = build_report(store.dataset(args.segment), scenario, period=args.period,
                          baseline=args.baseline)
    if args.json:
        print(_json(report.as_json()))
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


def _cmd_export(args: argparse.Namespace) -> int:
    from cxroi.export import export_deck
    from cxroi.report import build_report

    store = _open(args)
    scenario = _scenario(args, store)
    report = build_report(store.dataset(args.segment), scenario, baseline=args.baseline)
    export_deck(report, args.out)
    print(f"Wrote {args.out}.")
    return 0


_COMMANDS = {"demo": _cmd_demo, "import": _cmd_import, "uploads": _cmd_uploads,
             "rollback": _cmd_rollback, "scenario": _cmd_scenario, "report": _cmd_report,
             "export": _cmd_export}


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
        return _COMMANDS[args.command](args)
    except CxroiError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted; nothing more was stored.", file=sys.stderr)
    except Exception:  # the last line of defence: one sentence, never a traceback
        logging.getLogger(__name__).exception("python -m cxroi %s failed", args.command)
        print("error: the command failed unexpectedly; nothing more was stored (run it again "
              "with --verbose to see why).", file=sys.stderr)
    return 1
