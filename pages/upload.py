"""Upload: a quarter's figures in, every problem named, a preview, one commit, and undo."""

import pandas as pd
import streamlit as st

from cxroi.ingest import (
    COLUMNS,
    KINDS,
    MAX_UPLOAD_BYTES,
    read_upload,
    template_csv,
    template_xlsx,
)
from cxroi.dataset import Upload
from cxroi.format import escape_markdown
from cxroi.models import CxroiError, UploadMeta, period_span
from ui import access
from ui.impact import impact_of, show_impact
from ui.loaders import data_version, store, upload_history, upload_periods
from ui.state import ensure_frame
from ui.widgets import FEW_ROWS, guarded, static_table

ensure_frame()
st.title("Upload a quarter")
st.caption("A file with any bad row is refused as a whole, and every problem is listed. "
           "Nothing is stored until you commit; any upload can be rolled back later.")
st.session_state.setdefault("upload.round", 0)
# the upload id chosen to roll back, and the upload (as shown) the person asked to roll back
ROLLBACK, ARMED = "upload.rollback", "upload.rollback.armed"
ROLLBACK_PROBLEM = "upload.rollback.problem"
_text = st.column_config.TextColumn
HISTORY_COLUMNS = {  # what identifies an upload first, so 1280 px shows it; the hash last
    "id": st.column_config.NumberColumn("Upload", width="small"),
    "status": _text("Status", width="small"), "kind": _text("Kind"),
    "rows": st.column_config.NumberColumn("Rows", width="small", format="localized"),
    "file": _text("File"), "periods": _text("Periods"), "uploaded_at": _text("Uploaded (UTC)"),
    "uploaded_by": _text("By", width="small"), "source": _text("Source"),
    "scope": _text("Scope"), "sha256": _text("SHA-256", width="small")}
# The latest uploads are a plain table of what identifies each, read whole at 1280 px (a
# grid costs Chromium about 0.3 s on every visit); every upload, with its source, scope and
# SHA-256, is a grid behind a toggle.
PLAIN_COLUMNS = ("id", "status", "kind", "rows", "file", "periods", "uploaded_at",
                 "uploaded_by")
may_upload = not access.read_only("upload")  # says why in one sentence when not

kind = st.segmented_control("What is in the file?", KINDS, default="metrics", key="upload.kind",
                            required=True)  # clicking the chosen kind never leaves none
kind = kind or "metrics"
with st.expander(f"Templates and columns for {kind}"):
    left, right = st.columns(2)  # each file is made on its click, not on every rerun
    left.download_button("CSV template", lambda: template_csv(kind), f"cxroi_{kind}_template.csv",
                         "text/csv", icon=":material/download:", on_click="ignore")
    right.download_button("Excel template", lambda: template_xlsx(kind),
                          f"cxroi_{kind}_template.xlsx", icon=":material/download:",
                          on_click="ignore")
    if kind == "ratings":   # survey tools export one row per respondent, a column per item
        left.download_button("CSV template, one row per respondent",
                             lambda: template_csv(kind, "wide"),
                             "cxroi_ratings_wide_template.csv", "text/csv",
                             icon=":material/download:", on_click="ignore")
        right.download_button("Excel template, one row per respondent",
                              lambda: template_xlsx(kind, "wide"),
                              "cxroi_ratings_wide_template.xlsx", icon=":material/download:",
                              on_click="ignore")
    # a static table wraps long notes (the canonical metric names) instead of cutting them;
    # it reads markdown, so every cell is escaped
    st.table(pd.DataFrame([{"column": c.name, "required": "yes" if c.required else "no",
                            "example": c.example, "note": c.note} for c in COLUMNS[kind]]
                          ).map(escape_markdown), hide_index=True)

uploaded = st.file_uploader("CSV or Excel file", type=["csv", "txt", "xlsx", "xlsm"],
                            key=f"upload.file.{st.session_state['upload.round']}",
                            disabled=not may_upload)
meta_left, meta_mid, meta_right = st.columns(3)
source = meta_left.text_input("Source", placeholder="Zendesk ticket export", key="upload.source",
                              max_chars=1000)
scope = meta_mid.text_input("Scope", placeholder="NA enterprise accounts, 62% of revenue",
                            key="upload.scope", max_chars=1000)
who = "" if access.identity().signed_in else meta_right.text_input(  # signed in: the email
    "Uploaded by", key="upload.by", max_chars=200)


def held(name: str, key: tuple, compute):
    """``compute()`` once per session while ``key`` stays the same: a large file is read and
    previewed once, not on every rerun (typing the source reruns the page), and no copy of
    a million rows is made per rerun; a new file, kind, sheet or data version replaces it."""
    kept = st.session_state.get(name)
    if kept is None or kept[0] != key:
        kept = (key, compute())
        st.session_state[name] = kept
    return kept[1]


if uploaded is not None:
    with guarded("Reading the file"):
        if uploaded.size > MAX_UPLOAD_BYTES:
            st.error(f"{escape_markdown(uploaded.name)} is larger than the "
                     f"{MAX_UPLOAD_BYTES // 2**20} MB upload limit; nothing was read or stored. "
                     "Split it by quarter.")
            st.stop()
        with st.status(f"Reading {escape_markdown(uploaded.name)}", expanded=False) as status:
            sheet = st.session_state.get("upload.sheet")
            parsed = held("upload.parsed", (uploaded.file_id, kind, sheet),
                          lambda: read_upload(uploaded.getvalue(), uploaded.name, kind,
                                              sheet=sheet))
            status.update(label=f"Read {escape_markdown(uploaded.name)}", state="complete")
        if len(parsed.sheets) > 1:
            st.selectbox("Sheet", parsed.sheets, key="upload.sheet",
                         index=parsed.sheets.index(parsed.sheet) if parsed.sheet else 0)
        for warning in parsed.warnings:
            st.warning(warning, icon=":material/info:")
        if not parsed.ok:
            count = len(parsed.problems)
            st.error(f"{escape_markdown(uploaded.name)} was refused: {count} "
                     f"problem{'s' * (count != 1)}. Nothing was stored. Fix them in the file "
                     "and upload it again.")
            st.dataframe(pd.DataFrame([{"row": p.row,
                                        "column": p.column or ("(the whole row)" if p.row
                                                               else "(the whole file)"),
                                        "problem": p.message,
                                        "as one line": str(p)} for p in parsed.problems]),
                         hide_index=True, width="stretch")
            st.stop()
        preview = held("upload.preview", (uploaded.file_id, kind, sheet, data_version()),
                       lambda: store().preview(kind, parsed.rows))
        st.success(f"{len(parsed.rows):,} {kind} rows read from "
                   f"{escape_markdown(uploaded.name)}; nothing is stored yet.")
        facts = st.columns(3)
        facts[0].metric("Rows", f"{preview.rows:,}")
        facts[1].metric("New periods", ", ".join(preview.new_periods) or "none")
        facts[2].metric("Earlier rows it supersedes", f"{preview.superseded_rows:,}",
                        help=f"From upload(s) {', '.join(map(str, preview.superseded_uploads))}"
                        if preview.superseded_uploads else "None: nothing earlier changes.")
        show_impact(held("upload.impact", (uploaded.file_id, kind, sheet, data_version()),
                         lambda: impact_of(kind, parsed.rows)))
        st.dataframe(parsed.rows.head(500), hide_index=True, width="stretch")
        same = store().active_upload_with_hash(parsed.sha256)
        again = True
        if same is not None:
            st.warning(f"This exact file is already imported as upload {same.id} "
                       f"({same.uploaded_at}). Import it again?", icon=":material/content_copy:")
            again = st.checkbox("Yes, import it again", key="upload.again")
        ready = bool(source.strip() and scope.strip()) and again
        if not (source.strip() and scope.strip()):
            st.info("Say where the data comes from (source) and what it covers (scope): "
                    "every chart's footnote shows them.")
        if st.button("Commit upload", type="primary", disabled=not (ready and may_upload),
                     key="upload.commit"):
            try:
                meta = UploadMeta.checked(kind=kind, file_name=uploaded.name,
                                          sha256=parsed.sha256, source=source, scope=scope,
                                          uploaded_by=access.require("upload", who))
                with st.spinner("Storing in one transaction..."):
                    done = store().commit_upload(meta, parsed.rows)
            except CxroiError as exc:
                st.error(escape_markdown(f"Nothing was stored: {exc}"))
            else:
                st.session_state["upload.round"] += 1  # a fresh, empty file picker
                st.session_state.pop(ROLLBACK, None)  # the selector shows the newest upload
                st.session_state.pop(ARMED, None)
                st.session_state["upload.flash"] = (
                    f"Stored upload {done.id}: {done.rows:,} {kind} rows from "
                    f"{escape_markdown(done.file)}.")
                st.rerun()

else:  # no file chosen (or just committed): let go of the last one's rows
    st.session_state.pop("upload.parsed", None)
    st.session_state.pop("upload.preview", None)
    st.session_state.pop("upload.impact", None)


def described(u: Upload) -> str:
    """What rolling back ``u`` takes away, as plain text."""
    return f"upload {u.id} ({u.file}, {u.kind}, {u.rows:,} rows, from {u.uploaded_at})"


def rollback_choice(history: list[Upload]) -> None:
    """Choose an upload by id, ask before rolling it back, and roll back only what was shown.

    The selector's value is the upload id, so another session's rollback or new upload never
    moves it onto a different upload; the chosen one stays listed (with its new status) until
    the person chooses another. The confirmation belongs to one id and remembers the status
    it showed: if the upload changed since, nothing is rolled back and the page says so.
    """
    by_id = {u.id: u for u in history}
    chosen = st.session_state.get(ROLLBACK)
    ids = [u.id for u in history if u.status != "rolled_back" or u.id == chosen]
    if not ids:
        return
    choice = st.selectbox("Roll back an upload", ids, key=ROLLBACK,
                          format_func=lambda i: f"{i}: {by_id[i].file} ({by_id[i].kind}, "
                                                f"{by_id[i].status})")
    upload = by_id[choice]
    if problem := st.session_state.pop(ROLLBACK_PROBLEM, None):
        st.error(escape_markdown(problem), icon=":material/error:")
    armed = st.session_state.get(ARMED)
    if armed is not None and armed.id != choice:  # another upload chosen: ask again
        st.session_state.pop(ARMED, None)
        armed = None
    if armed is None:
        if upload.status == "rolled_back":
            st.caption(escape_markdown(f"Upload {upload.id} is already rolled back."))
        elif st.button(f"Roll back upload {upload.id}…", key="upload.rollback.go",
                       icon=":material/undo:", disabled=not access.allowed("rollback")):
            st.session_state[ARMED] = upload  # the upload as the person sees it now
            st.rerun()
        return
    st.warning(escape_markdown(
        f"Roll back {described(armed)}, {armed.status} when you asked? Its rows leave every "
        "chart and the earlier rows it replaced come back."), icon=":material/undo:")
    yes, no = st.columns(2)
    if no.button("Cancel", key="upload.rollback.no"):
        st.session_state.pop(ARMED, None)
        st.rerun()
    if yes.button(escape_markdown(f"Yes, roll back {described(armed)}"), type="primary",
                  key="upload.rollback.yes"):
        st.session_state.pop(ARMED, None)
        try:
            done = store().rollback(armed.id, seen_status=armed.status, by=access.require(
                "rollback", st.session_state.get("upload.by") or ""))
        except CxroiError as exc:
            st.session_state[ROLLBACK_PROBLEM] = str(exc)
        else:
            st.session_state.pop(ROLLBACK, None)  # next: the newest upload still undoable
            st.session_state["upload.flash"] = escape_markdown(
                f"Rolled back upload {done.id} ({done.file}); the rows it replaced are "
                "current again.")
        st.rerun()


if flash := st.session_state.pop("upload.flash", None):
    st.success(flash, icon=":material/check_circle:")

st.subheader("Upload history")
with guarded("The upload history"):
    history = upload_history(data_version())
    if not history:
        st.info("No uploads yet.")
    else:
        covered = upload_periods(data_version())
        every = pd.DataFrame([{**u.as_json(), "periods": period_span(covered[u.id])
                               if covered.get(u.id) else ""} for u in history]
                             )[list(HISTORY_COLUMNS)]
        latest = every.head(FEW_ROWS)[list(PLAIN_COLUMNS)]
        latest = latest.assign(rows=[f"{n:,}" for n in latest["rows"]])
        static_table(latest.rename(columns={k: HISTORY_COLUMNS[k]["label"]
                                            for k in PLAIN_COLUMNS}))
        if len(history) > FEW_ROWS:
            st.caption(f"The {FEW_ROWS} latest of {len(history):,} uploads.")
        if st.toggle(f"Every upload ({len(history):,}), with its source, scope and SHA-256",
                     key="upload.every"):
            st.dataframe(every, hide_index=True, width="stretch", column_config=HISTORY_COLUMNS)
        rollback_choice(history)
