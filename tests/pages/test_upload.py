"""The Upload page through AppTest: refuse with every problem, preview, commit, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxroi.store import Store, open_store

from tests.helpers import unescaped, upload

from .test_assumptions import open_page

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
PAGE = "pages/upload.py"


@pytest.fixture
def demo(app_db: Path) -> Store:
    return open_store(app_db)


def choose_file(at, name: str, data: bytes | None = None):
    data = data if data is not None else (SAMPLES / name).read_bytes()
    uploader = at.get("file_uploader")[0]
    uploader.set_value((name, data, "text/csv"))
    return at.run()


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def rollback_selector(at):
    return at.selectbox(key="upload.rollback")


def statuses(store: Store) -> dict[int, str]:
    return {u.id: u.status for u in store.uploads()}


def texts_plain(elements) -> list[str]:
    return [unescaped(e.value) for e in elements]


def test_a_bad_file_is_refused_with_every_problem_and_nothing_stored(demo):
    before = (demo.uploads(), demo.row_counts(), demo.data_version())
    at = choose_file(open_page(PAGE), "metrics_bad.csv")
    assert not at.exception
    assert "refused: 4 problems" in texts(at.error)
    table = at.dataframe[-1].value
    assert list(zip(table["row"], table["column"])) == [
        (3, "value"), (4, "period"), (5, "value"), (6, "unit")]
    assert not [b for b in at.button if b.key == "upload.commit"]
    assert (demo.uploads(), demo.row_counts(), demo.data_version()) == before


def test_a_good_file_previews_then_commits_and_can_be_rolled_back(demo):
    newest = demo.uploads()[0].file
    at = open_page(PAGE)
    at.text_input(key="upload.source").set_value("Zendesk export")
    at.text_input(key="upload.scope").set_value("Retail and Business")
    at = choose_file(at, "metrics_clean.csv")
    assert not at.exception and not at.error
    assert "9 metrics rows read" in texts(at.success)
    metrics = {m.label: m.value for m in at.metric}
    # the demo already has 2026Q1: Retail's and Business's figures there are superseded
    assert (metrics["Rows"], metrics["New periods"]) == ("9", "none")
    assert metrics["Earlier rows it supersedes"] == "8"  # 4 Retail + 4 Business figures
    online = next(m.value for m in demo.dataset("Online").metrics
                  if (m.period, m.metric) == ("2026Q1", "customers"))
    assert demo.uploads()[0].file == newest  # nothing stored by the preview

    at.button(key="upload.commit").click().run()
    latest = demo.uploads()[0]
    assert (latest.file, latest.rows, latest.source, latest.status) == (
        "metrics_clean.csv", 9, "Zendesk export", "active")
    assert "Stored upload" in texts(at.success)
    company = {m.metric: m.value for m in demo.dataset("All").metrics if m.period == "2026Q1"}
    assert company["customers"] == 12_000 + 900 + online  # Retail + Business + Online

    assert at.selectbox(key="upload.rollback").value == latest.id  # the newest, by default
    at.button(key="upload.rollback.go").click().run()
    assert demo.uploads()[0].status == "active"  # asked first, nothing rolled back yet
    at.button(key="upload.rollback.yes").click().run()
    assert demo.uploads()[0].status == "rolled_back"
    retail = {m.metric: m.value for m in demo.dataset("Retail").metrics if m.period == "2026Q1"}
    assert retail["customers"] != 12_000  # the demo's own figure is back


def test_the_same_file_twice_asks_before_importing_again(demo):
    at = open_page(PAGE)
    at.text_input(key="upload.source").set_value("s")
    at.text_input(key="upload.scope").set_value("s")
    at = choose_file(at, "benchmarks.csv")
    at.segmented_control(key="upload.kind").set_value("benchmarks").run()
    at.button(key="upload.commit").click().run()
    count = len(demo.uploads())
    at = choose_file(at, "benchmarks.csv")
    assert "already imported" in texts(at.warning)
    assert at.button(key="upload.commit").disabled
    at.checkbox(key="upload.again").check().run()
    at.button(key="upload.commit").click().run()
    assert len(demo.uploads()) == count + 1


def test_commit_waits_for_source_and_scope(demo):
    at = choose_file(open_page(PAGE), "metrics_clean.csv")
    assert at.button(key="upload.commit").disabled
    assert "source" in texts(at.info)


def test_a_file_is_read_once_however_often_the_page_reruns(demo, monkeypatch):
    """Typing the source or scope reruns the page; a large file must not be read again."""
    import cxroi.ingest

    reads = []
    real = cxroi.ingest.read_upload
    monkeypatch.setattr(cxroi.ingest, "read_upload",
                        lambda *args, **kwargs: reads.append(args[1]) or real(*args, **kwargs))
    at = choose_file(open_page(PAGE), "metrics_clean.csv")
    at.text_input(key="upload.source").set_value("Zendesk export").run()
    at.text_input(key="upload.scope").set_value("Retail and Business").run()
    assert reads == ["metrics_clean.csv"]
    assert not at.button(key="upload.commit").disabled
    at.segmented_control(key="upload.kind").set_value("effort").run()
    assert reads == ["metrics_clean.csv", "metrics_clean.csv"], "another kind reads it again"
    assert "refused" in texts(at.error)


def test_the_selector_holds_an_upload_by_id_when_another_session_rolls_it_back(demo):
    """Another session's rollback must never move the choice onto another upload."""
    newest, older = demo.uploads()[0], demo.uploads()[1]
    at = open_page(PAGE)
    assert rollback_selector(at).value == newest.id
    rollback_selector(at).set_value(older.id).run()
    demo.rollback(older.id)  # another session, straight at the store
    at.run()
    assert not at.exception
    assert rollback_selector(at).value == older.id  # still the upload the person chose
    assert f"{older.id}: {older.file} ({older.kind}, rolled_back)" in rollback_selector(at).options
    assert not [b for b in at.button if b.key == "upload.rollback.go"]
    assert statuses(demo)[newest.id] == "active"


def test_a_confirmed_rollback_of_an_upload_changed_meanwhile_rolls_back_nothing(demo):
    """Chosen and confirmed as active, rolled back by another session before "Yes": the page
    must roll back nothing (not the newest upload instead) and say why in one sentence."""
    newest, older = demo.uploads()[0], demo.uploads()[1]
    at = open_page(PAGE)
    rollback_selector(at).set_value(older.id).run()
    at.button(key="upload.rollback.go").click().run()
    demo.rollback(older.id)  # another session
    before = statuses(demo)
    at.button(key="upload.rollback.yes").click().run()
    assert not at.exception
    assert statuses(demo) == before and before[newest.id] == "active"
    errors = "\n".join(texts_plain(at.error))
    assert f"Upload {older.id} ({older.file}) is now rolled_back, not active as shown; " \
           "nothing was rolled back." in errors
    assert not [b for b in at.button if b.key == "upload.rollback.yes"]  # asked again, if at all


def test_a_rollback_happens_only_after_a_confirmation_that_names_the_upload(demo):
    newest, older = demo.uploads()[0], demo.uploads()[1]
    before = statuses(demo)
    at = open_page(PAGE)
    rollback_selector(at).set_value(older.id).run()
    assert not [b for b in at.button if b.key == "upload.rollback.yes"]
    at.button(key="upload.rollback.go").click().run()
    assert statuses(demo) == before  # asked, nothing rolled back yet
    warning = "\n".join(texts_plain(at.warning))
    for part in (f"upload {older.id} ({older.file}, {older.kind}, {older.rows:,} rows, "
                 f"from {older.uploaded_at})", "earlier rows it replaced come back"):
        assert part in warning
    assert unescaped(at.button(key="upload.rollback.yes").label).startswith(
        f"Yes, roll back upload {older.id} ({older.file}, {older.kind}, {older.rows:,} rows")

    rollback_selector(at).set_value(newest.id).run()  # another choice: the question resets
    assert not [b for b in at.button if b.key == "upload.rollback.yes"]
    rollback_selector(at).set_value(older.id).run()
    assert not [b for b in at.button if b.key == "upload.rollback.yes"]
    at.button(key="upload.rollback.go").click().run()
    at.button(key="upload.rollback.no").click().run()  # cancel
    assert not [b for b in at.button if b.key == "upload.rollback.yes"]
    assert statuses(demo) == before

    at.button(key="upload.rollback.go").click().run()
    at.button(key="upload.rollback.yes").click().run()
    assert not at.exception and not at.error
    after = statuses(demo)
    assert after[older.id] == "rolled_back" and after[newest.id] == "active"
    assert {i: s for i, s in after.items() if i != older.id} == {
        i: s for i, s in before.items() if i != older.id}
    assert f"Rolled back upload {older.id} ({older.file})" in "\n".join(texts_plain(at.success))
    assert rollback_selector(at).value == newest.id  # the newest still undoable
    assert not [o for o in rollback_selector(at).options if o.startswith(f"{older.id}:")]


def test_after_a_commit_the_selector_shows_the_newest_upload(demo):
    at = open_page(PAGE)
    older = demo.uploads()[1]
    rollback_selector(at).set_value(older.id).run()
    at.button(key="upload.rollback.go").click().run()  # a question left open
    at.text_input(key="upload.source").set_value("s")
    at.text_input(key="upload.scope").set_value("s")
    at = choose_file(at, "metrics_clean.csv")
    at.button(key="upload.commit").click().run()
    assert not at.exception
    newest = demo.uploads()[0]
    assert newest.file == "metrics_clean.csv"
    assert rollback_selector(at).value == newest.id
    assert not [b for b in at.button if b.key == "upload.rollback.yes"]


def test_a_file_name_made_of_markdown_is_shown_as_text(demo):
    hostile = "[click me](http://evil.example).csv"
    at = choose_file(open_page(PAGE), hostile, (SAMPLES / "metrics_clean.csv").read_bytes())
    assert not at.exception
    shown = [str(e.value) for e in (*at.success, *at.error, *at.warning, *at.info)]
    assert any("click me" in text for text in shown)
    for text in shown:  # escaped: the brackets cannot make a link
        assert "[click me](http" not in text
    assert hostile in texts_plain(at.success)[0]


def test_a_duplicate_row_names_the_whole_row_not_column_none(demo):
    data = (b"period,segment,metric,value,unit\n2026Q1,Retail,returns,5,count\n"
            b"2026-Q1,Retail,returns,6,count\n")
    at = choose_file(open_page(PAGE), "dup.csv", data)
    table = at.dataframe[-1].value
    assert list(table["column"]) == ["(the whole row)"]
    assert "None" not in " ".join(map(str, table["column"]))
    assert "duplicate of row 2" in table["problem"][0]


def test_the_preview_says_what_an_all_row_and_a_partial_quarter_would_change(demo):
    before = (demo.uploads(), demo.row_counts(), demo.data_version())
    all_row = b"period,segment,metric,value\n2026Q1,All,service_contacts,1200\n"
    at = choose_file(open_page(PAGE), "template.csv", all_row)
    said = "\n".join(texts_plain(at.warning))
    assert "2026Q1 company-wide service contacts becomes the uploaded All row, 1,200 (was" in said
    assert "far from its normal" in said
    assert (demo.uploads(), demo.row_counts(), demo.data_version()) == before  # nothing stored

    partial = (b"period,segment,metric,value\n2026Q4,Retail,service_contacts,5000\n"
               b"2026Q4,Retail,returns,300\n")
    at = choose_file(open_page(PAGE), "q4.csv", partial)
    said = "\n".join(texts_plain(at.warning))
    assert "The charts will open on 2026Q4 (now 2026Q3)." in said
    assert "2026Q4: 1 of 3 segments reported; missing Business, Online." in said
    headline = [m for m in at.metric if m.label.startswith("After this upload")]
    assert headline and headline[0].label == "After this upload: 2026Q4"
    assert (demo.uploads(), demo.row_counts(), demo.data_version()) == before


def test_every_page_says_so_while_the_quarter_shown_is_partial(demo):
    at = open_page("pages/overview.py")
    assert not [w for w in at.warning if "is partial" in str(w.value)]
    done = choose_file(open_page(PAGE), "q4.csv", b"period,segment,metric,value\n"
                       b"2026Q4,Retail,service_contacts,5000\n")
    done.text_input(key="upload.source").set_value("CRM")
    done.text_input(key="upload.scope").set_value("Retail")
    done.run()
    done.button(key="upload.commit").click().run()
    assert demo.dataset().periods[-1] == "2026Q4"
    at = open_page("pages/overview.py")
    assert [str(w.value) for w in at.warning if "is partial" in str(w.value)] == [
        "2026Q4 is partial: 1 of 3 segments have reported so far, so its company-wide figures "
        "add up only what has arrived."]


def test_the_kind_control_always_has_a_kind(demo):
    at = open_page("pages/upload.py")
    kind = at.segmented_control(key="upload.kind")
    assert kind.proto.required, "clicking the chosen kind must not leave no kind"
    assert kind.value == "metrics"


def test_the_template_help_shows_every_canonical_name_in_full(demo):
    from cxroi.models import CANONICAL_METRICS

    at = open_page("pages/upload.py")
    assert not at.dataframe or all("note" not in d.value.columns for d in at.dataframe)
    notes = " ".join(unescaped(n) for n in at.table[0].value["note"])  # wraps, never cut
    for name in CANONICAL_METRICS:
        assert name in notes


def test_the_history_leads_with_what_identifies_an_upload(demo):
    at = open_page("pages/upload.py")
    table = at.table[-1].value
    assert list(table.columns) == ["Upload", "Status", "Kind", "Rows", "File", "Periods",
                                   "Uploaded (UTC)", "By"]
    newest = demo.uploads()[0]
    assert (int(table["Upload"].iloc[0]), unescaped(table["File"].iloc[0])) == (newest.id,
                                                                               newest.file)
    assert not at.dataframe     # the plain table: no grid to draw on every visit


def test_the_history_says_which_quarters_each_upload_covers(demo):
    at = open_page(PAGE)
    table = at.table[-1].value
    by_file = dict(zip(map(unescaped, table["File"]), map(unescaped, table["Periods"])))
    assert by_file["demo_metrics.csv"] == "2024Q2 to 2026Q3 (10 quarters)"
    assert by_file["demo_benchmarks.csv"] == ""  # benchmarks have no quarter


def test_every_upload_with_its_whole_hash_is_a_grid_behind_a_toggle(demo):
    for number in range(12):        # 12 more uploads: the plain table shows the 12 latest
        upload(demo, "benchmarks", [("nps", "industry", 30 + number, "score")],
               name=f"b{number}.csv")
    at = open_page(PAGE)
    count = len(demo.uploads())
    assert len(at.table[-1].value) == 12
    assert f"The 12 latest of {count} uploads." in [c.value for c in at.caption]
    at.toggle(key="upload.every").set_value(True).run()
    grid = at.dataframe[-1].value
    assert len(grid) == count and list(grid["sha256"]) == [u.sha256 for u in demo.uploads()]
    assert demo.upload_periods()[1] == tuple(demo.dataset().periods)  # the metrics upload
