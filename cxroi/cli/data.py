"""``demo``, ``import``, ``uploads``, ``rollback``: the data the CX leads bring."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cxroi.cli.common import add_by, open_for, operator, to_json
from cxroi.models import CxroiError, UploadMeta

__all__ = ["register"]


def register(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    from cxroi.ingest import KINDS

    demo = commands.add_parser("demo", parents=[db], help="load the demo dataset")
    demo.add_argument("--reset", action="store_true",
                      help="empty the database first (deletes everything in it)")
    add_by(demo)
    demo.set_defaults(run=_demo)

    upload = commands.add_parser("import", parents=[db], help="import a CSV or XLSX upload")
    upload.add_argument("kind", choices=KINDS)
    upload.add_argument("file", type=Path)
    upload.add_argument("--source", required=True, help='e.g. "Zendesk ticket export"')
    upload.add_argument("--scope", required=True, help='e.g. "NA enterprise, 62%% of revenue"')
    add_by(upload)
    upload.add_argument("--sheet", default=None, help="the workbook sheet to read")
    upload.add_argument("--force", action="store_true",
                        help="import even if the same file is already active")
    upload.set_defaults(run=_import)

    uploads = commands.add_parser("uploads", parents=[db], help="list the upload history")
    uploads.add_argument("--json", action="store_true")
    uploads.set_defaults(run=_uploads)

    rollback = commands.add_parser("rollback", parents=[db], help="undo an upload")
    rollback.add_argument("upload_id", type=int)
    add_by(rollback)
    rollback.set_defaults(run=_rollback)


def _demo(args: argparse.Namespace) -> int:
    from cxroi.demo import load_demo

    store = open_for(args, seed=False)
    if not store.is_empty():
        if not args.reset:
            raise CxroiError(f"The database {store.path} already holds data; run "
                             "'demo --reset' to empty it and load the demo instead.")
        store.reset(by=operator(args))
    load_demo(store)
    print(f"Loaded the demo dataset into {store.path}.")
    return 0


def _import(args: argparse.Namespace) -> int:
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
    store = open_for(args)
    same = store.active_upload_with_hash(parsed.sha256)
    if same is not None and not args.force:
        raise CxroiError(f"{path.name} is already imported as upload {same.id} (same SHA-256); "
                         "use --force to import it again.")
    meta = UploadMeta.checked(kind=args.kind, file_name=path.name, sha256=parsed.sha256,
                              source=args.source, scope=args.scope, uploaded_by=operator(args))
    preview = store.preview(args.kind, parsed.rows)
    upload = store.commit_upload(meta, parsed.rows)
    superseded = f"; superseded {preview.superseded_rows} earlier row(s)" \
        if preview.superseded_rows else ""
    print(f"Imported {upload.rows} {args.kind} row(s) from {path.name} as upload "
          f"{upload.id}{superseded}.")
    return 0


def _uploads(args: argparse.Namespace) -> int:
    uploads = open_for(args).uploads()
    if args.json:
        print(to_json([u.as_json() for u in uploads]))
        return 0
    for u in uploads:
        print(f"{u.id:>4}  {u.status:<11}  {u.kind:<10}  {u.rows:>8} rows  {u.uploaded_at}  "
              f"{u.file}  ({u.source}; {u.scope}; by {u.uploaded_by or 'unknown'})")
    if not uploads:
        print("No uploads yet.")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    upload = open_for(args).rollback(args.upload_id, by=operator(args))
    print(f"Rolled back upload {upload.id} ({upload.file}); earlier rows are current again.")
    return 0
