"""Sign-in and roles through AppTest: open mode, the sign-in page, no role, read-only roles,
forged widget values that store nothing, the Admin and Audit pages.

Sign-in is on when the secrets hold ``[auth]``: AppTest takes them as ``at.secrets`` and the
signed-in person as ``at.user`` (the ``st.login`` redirect itself is tested in a browser,
tests/e2e/test_sign_in.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroi import access
from cxroi.store import Store, open_store
from ui.widgets import FEW_ROWS

from .test_assumptions import open_tab

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
SAMPLES = ROOT / "tests" / "data" / "samples"
CLIENT_SECRET = "client-secret-7f3a9c1e5b"
COOKIE_SECRET = "cookie-secret-2d8e4b6a0c9f"
SECRETS = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
             "cookie_secret": COOKIE_SECRET, "client_id": "cxroi",
             "client_secret": CLIENT_SECRET,
             "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
    "cxroi": {"group_roles": {"cx-team": "cx_lead", "money": ["finance"]}},
}
SAVE = "FormSubmitter:assumptions.save-Save as a new version"
RESTORE = "FormSubmitter:scenarios.restore_form-Restore as a new version"


@pytest.fixture
def demo(app_db: Path) -> Store:
    store = open_store(app_db)
    store.grant("exec@example.com", "executive", by="root")
    store.grant("lead@example.com", "cx_lead", by="root")
    store.grant("fin@example.com", "finance", by="root")
    store.grant("boss@example.com", "admin", by="root")
    return store


def app(user: dict | None = None, page: str | None = None, *,
        secrets: dict | None = SECRETS) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if secrets is not None:
        at.secrets = {key: dict(value) for key, value in secrets.items()}
    if user is not None:
        at.user = dict(user)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def signed_in(email: str, page: str | None = None, **claims) -> AppTest:
    return app({"is_logged_in": True, "email": email, **claims}, page)


def plain(elements) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", str(e.value)) for e in elements]


def everything(at: AppTest) -> str:
    """Every text the run put on screen, sidebar included (to look for secrets)."""
    found = []
    for kind in ("title", "markdown", "caption", "text", "info", "warning", "error", "success",
                 "button", "metric", "subheader"):
        for element in getattr(at, kind):
            found.append(str(getattr(element, "value", "")) + str(getattr(element, "label", "")))
    return "\n".join(found)


@pytest.fixture
def courtesy_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages show every button enabled, whatever the role: only the handlers' check is left."""
    import ui.access

    monkeypatch.setattr(ui.access, "allowed", lambda permission: True)
    monkeypatch.setattr(ui.access, "read_only", lambda permission: False)


def demote(store: Store, email: str, old: str, new: str) -> None:
    store.grant(email, new, by="boss@example.com")
    store.revoke(email, old, by="boss@example.com")


def stored(store: Store) -> tuple:
    return (store.uploads(), store.scenarios(), store.audit(), store.data_version())


class TestOpenMode:
    def test_everything_works_and_the_sidebar_says_anyone_can_change_data(self, demo):
        at = app(secrets=None, page="pages/upload.py")
        assert access.OPEN_MODE in plain(at.sidebar.warning)
        assert not at.info or access.refusal("upload", ()) not in plain(at.info)
        assert at.text_input(key="upload.by")  # the typed name stays in open mode
        assert not at.get("file_uploader")[0].proto.disabled

    def test_admin_and_audit_pages_open_for_everyone(self, demo):
        at = app(secrets=None, page="pages/admin.py")
        assert at.title[0].value == "Admin: roles"
        at.switch_page("pages/audit.py").run()
        assert at.title[0].value == "Audit trail"


class TestSignInPage:
    def test_signed_out_sees_what_cxroi_is_and_a_sign_in_button_and_no_data(self, demo):
        at = app({"is_logged_in": False})
        assert access.SIGN_IN_INTRO in plain(at.markdown)
        assert [b.label for b in at.button] == ["Sign in"]
        assert not at.metric and not at.dataframe and not at.get("plotly_chart")
        assert not at.sidebar.selectbox  # no scenario, segment or period either

    def test_a_deep_link_is_gated_too(self, demo):
        at = app({}, page="pages/upload.py")
        assert [b.label for b in at.button] == ["Sign in"]
        assert not at.get("file_uploader")

    def test_no_secret_is_ever_on_screen(self, demo):
        for at in (app({}), signed_in("nobody@example.com"), signed_in("boss@example.com"),
                   signed_in("boss@example.com", "pages/admin.py")):
            text = everything(at)
            assert CLIENT_SECRET not in text and COOKIE_SECRET not in text

    def test_no_secret_is_ever_logged(self, demo, caplog):
        import logging

        caplog.set_level(logging.DEBUG)
        at = app({})
        at.button(key="access.sign_in").click().run()
        # AppTest's secrets do not reach st.login's own check, which refuses: one sentence
        assert not at.exception
        assert any(e.startswith("Sign-in could not start") for e in plain(at.error))
        signed_in("nobody@example.com")
        at = signed_in("exec@example.com", "pages/upload.py")
        at.button(key="access.sign_out").click().run()
        assert caplog.records  # something was logged at all
        assert CLIENT_SECRET not in caplog.text and COOKIE_SECRET not in caplog.text

    def test_an_incomplete_auth_section_names_the_missing_keys_and_admits_nobody(self, demo):
        auth = {k: v for k, v in SECRETS["auth"].items() if k != "client_secret"}
        at = app({"is_logged_in": True, "email": "boss@example.com"}, secrets={"auth": auth})
        assert any("has no client_secret" in e for e in plain(at.error))
        assert not at.button and not at.metric and not at.get("plotly_chart")


def test_scrubbing_takes_every_auth_value_out_of_a_message():
    from ui.access import _scrubbed

    auth = {**SECRETS["auth"], "okta": {"client_secret": "nested-secret-value"}}
    text = f"bad {CLIENT_SECRET} and {COOKIE_SECRET} and nested-secret-value"
    assert _scrubbed(text, auth) == "bad *** and *** and ***"


class TestRoles:
    def test_no_role_is_one_sentence_saying_to_ask_an_admin_and_nothing_else(self, demo):
        at = signed_in("Nobody@Example.com", "pages/iceberg.py")
        assert plain(at.warning) == [access.NO_ROLE.format(email="nobody@example.com")]
        assert not at.metric and not at.dataframe and not at.get("plotly_chart")
        assert not at.info and not at.selectbox
        assert "nobody@example.com" in plain(at.sidebar.text)
        assert [b.label for b in at.sidebar.button] == ["Sign out"]

    def test_the_sidebar_shows_the_email_and_roles_and_sign_out(self, demo):
        at = signed_in("LEAD@example.com")
        assert "lead@example.com" in plain(at.sidebar.text)
        assert "Roles: cx_lead" in plain(at.sidebar.caption)
        assert at.button(key="access.sign_out")
        assert access.OPEN_MODE not in plain(at.sidebar.warning)

    def test_groups_map_to_roles_through_the_secrets(self, demo):
        at = signed_in("new@example.com", groups=["cx-team", "money", "staff"])
        assert "Roles: cx_lead, finance" in plain(at.sidebar.caption)
        assert not at.warning or access.NO_ROLE.format(email="new@example.com") not in plain(
            at.warning)

    def test_sign_out_clears_the_person(self, demo):
        at = signed_in("lead@example.com")
        at.button(key="access.sign_out").click().run()
        assert at.user.get("is_logged_in") is False

    @pytest.mark.parametrize(("email", "admin", "audit"), [
        ("boss@example.com", True, True), ("fin@example.com", False, True),
        ("lead@example.com", False, False), ("exec@example.com", False, False)])
    def test_only_admins_see_admin_and_only_admin_and_finance_see_audit(self, demo, email,
                                                                        admin, audit):
        at = signed_in(email)
        for page, title, shown in (("pages/admin.py", "Admin: roles", admin),
                                   ("pages/audit.py", "Audit trail", audit)):
            if shown:
                at.switch_page(page).run()
                assert title in [t.value for t in at.title]
            else:  # not in the navigation at all
                with pytest.raises(ValueError, match="Could not find a navigation page"):
                    at.switch_page(page)

    def test_a_page_run_alone_still_checks_the_role(self, demo):
        at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60)
        at.secrets = {key: dict(value) for key, value in SECRETS.items()}
        at.user = {"is_logged_in": True, "email": "fin@example.com"}
        at.run()
        assert not at.exception
        assert plain(at.error) == ["Your role (finance) may not grant or revoke roles; ask an "
                                   "admin for admin."]
        assert not at.get("form") and not at.dataframe


def choose_file(at: AppTest, name: str) -> AppTest:
    at.get("file_uploader")[0].set_value((name, (SAMPLES / name).read_bytes(), "text/csv"))
    return at.run()


class TestUploadPage:
    def test_an_executive_reads_it_read_only_with_one_sentence(self, demo):
        at = signed_in("exec@example.com", "pages/upload.py")
        assert access.refusal("upload", {"executive"}) in plain(at.info)
        assert at.get("file_uploader")[0].proto.disabled
        assert at.button(key="upload.rollback.go").disabled
        assert at.table[-1].value["Upload"].tolist()  # the history is still there to read

    def test_a_forged_click_by_an_executive_stores_nothing(self, demo):
        """The page was rendered for a cx_lead, who is then made an executive: the click the
        old page still sends changes nothing (the button is disabled now; Streamlit drops a
        disabled widget's value, and the handler would refuse it anyway, see below)."""
        at = signed_in("lead@example.com", "pages/upload.py")
        at.text_input(key="upload.source").set_value("Zendesk export")
        at.text_input(key="upload.scope").set_value("Retail")
        at = choose_file(at, "metrics_clean.csv")
        demote(demo, "lead@example.com", "cx_lead", "executive")
        before = stored(demo)
        at.button(key="upload.commit").click().run()
        assert not at.exception
        assert at.button(key="upload.commit").disabled
        assert access.refusal("upload", {"executive"}) in plain(at.info)
        assert stored(demo) == before

    def test_the_handlers_check_the_role_even_when_the_page_shows_buttons(self, demo,
                                                                          courtesy_off):
        before = stored(demo)
        at = signed_in("exec@example.com", "pages/upload.py")
        at.text_input(key="upload.source").set_value("Zendesk export")
        at.text_input(key="upload.scope").set_value("Retail")
        at = choose_file(at, "metrics_clean.csv")
        at.button(key="upload.commit").click().run()
        assert not at.exception
        assert plain(at.error) == [
            "Nothing was stored: " + access.refusal("upload", {"executive"})]
        at.button(key="upload.rollback.go").click().run()
        at.button(key="upload.rollback.yes").click().run()
        assert access.refusal("rollback", {"executive"}) in plain(at.error)
        assert stored(demo) == before

    def test_a_cx_lead_uploads_as_their_email_without_typing_a_name(self, demo):
        at = signed_in("Lead@Example.com", "pages/upload.py")
        assert not [t for t in at.text_input if t.key == "upload.by"]
        at.text_input(key="upload.source").set_value("Zendesk export")
        at.text_input(key="upload.scope").set_value("Retail")
        at = choose_file(at, "metrics_clean.csv")
        at.button(key="upload.commit").click().run()
        latest = demo.uploads()[0]
        assert (latest.file, latest.uploaded_by) == ("metrics_clean.csv", "lead@example.com")
        at.button(key="upload.rollback.go").click().run()
        at.button(key="upload.rollback.yes").click().run()
        assert demo.uploads()[0].status == "rolled_back"
        assert [(e.who, e.action) for e in demo.audit()[-2:]] == [
            ("lead@example.com", "upload"), ("lead@example.com", "rollback")]

    def test_in_open_mode_the_typed_name_is_recorded(self, demo):
        at = app(secrets=None, page="pages/upload.py")
        at.text_input(key="upload.source").set_value("Zendesk export")
        at.text_input(key="upload.scope").set_value("Retail")
        at.text_input(key="upload.by").set_value("Ana Lima")
        at = choose_file(at, "metrics_clean.csv")
        at.button(key="upload.commit").click().run()
        assert demo.uploads()[0].uploaded_by == "Ana Lima"
        assert demo.audit()[-1].who == "Ana Lima"


class TestAssumptionsPage:
    def test_a_cx_lead_reads_it_read_only_and_a_forged_value_changes_nothing(self, demo):
        at = signed_in("lead@example.com", "pages/assumptions.py")
        assert access.refusal("assumptions", {"cx_lead"}) in plain(at.info)
        assert at.text_input(key="assumptions.cost_per_contact").proto.disabled  # money: text
        assert at.button(key=SAVE).disabled
        at.session_state["assumptions.cost_per_contact"] = "99"  # forged into the input
        at.run()
        assert "assumptions.draft" not in at.session_state
        assert next(m.value for m in at.metric if m.label == "Assumptions changed") == "0"

    def test_saving_checks_the_role_even_when_the_page_shows_the_button(self, demo,
                                                                         courtesy_off):
        before = stored(demo)
        at = signed_in("lead@example.com", "pages/assumptions.py")
        at.text_input(key="assumptions.save_name").input("Forged")
        at.button(key=SAVE).click().run()
        assert plain(at.error) == ["Not saved: " + access.refusal("scenarios", {"cx_lead"})]
        assert stored(demo) == before

    def test_finance_saves_as_their_email_and_restores(self, demo):
        at = signed_in("fin@example.com", "pages/assumptions.py")
        assert not [t for t in at.text_input if t.key == "assumptions.save_by"]
        at.text_input(key="assumptions.cost_per_contact").input("11").run()
        at.text_input(key="assumptions.save_name").input("Q3 plan")
        at.button(key=SAVE).click().run()
        saved = demo.scenario("Q3 plan")
        assert (saved.version, saved.created_by, saved.assumptions.cost_per_contact) == (
            1, "fin@example.com", 11.0)
        assert demo.audit()[-1].who == "fin@example.com"

    def test_restoring_checks_the_role_even_when_the_page_shows_the_button(self, demo,
                                                                            courtesy_off):
        demo.save_scenario("Baseline", demo.scenario("Baseline").assumptions.model_copy(
            update={"cost_per_contact": 12.0}), by="fin@example.com")
        before = stored(demo)
        at = open_tab(signed_in("lead@example.com", "pages/scenarios.py"),
                      "History and restore")
        at.button(key=RESTORE).click().run()
        assert "Not restored: " + access.refusal("scenarios", {"cx_lead"}) in plain(at.error)
        assert stored(demo) == before

    def test_a_cx_lead_sees_restore_disabled_with_the_reason(self, demo):
        demo.save_scenario("Baseline", demo.scenario("Baseline").assumptions.model_copy(
            update={"cost_per_contact": 12.0}), by="fin@example.com")
        at = open_tab(signed_in("lead@example.com", "pages/scenarios.py"),
                      "History and restore")
        assert access.refusal("scenarios", {"cx_lead"}) in plain(at.info)
        assert at.button(key=RESTORE).disabled
        assert not [t for t in at.text_input if t.key == "scenarios.restore_by"]


class TestAdminPage:
    def test_an_admin_grants_and_revokes_after_a_confirmation(self, demo):
        at = signed_in("boss@example.com", "pages/admin.py")
        at.text_input(key="admin.grant.email").input("New.Person@Example.com")
        at.selectbox(key="admin.grant.role").set_value("finance")
        at.button(key="FormSubmitter:admin.grant-Grant").click().run()
        assert not at.exception
        assert demo.roles_of("new.person@example.com") == {"finance"}
        assert "Granted finance to new.person@example.com." in plain(at.success)
        entry = demo.audit()[-1]
        assert (entry.who, entry.action, entry.target) == (
            "boss@example.com", "role_grant", "role finance of new.person@example.com")

        at.selectbox(key="admin.revoke").set_value(("new.person@example.com", "finance")).run()
        at.button(key="admin.revoke.go").click().run()
        assert demo.roles_of("new.person@example.com") == {"finance"}  # asked first
        assert any("Revoke the role finance from new.person@example.com?" in w
                   for w in plain(at.warning))
        at.button(key="admin.revoke.yes").click().run()
        assert demo.roles_of("new.person@example.com") == set()
        assert demo.audit()[-1].action == "role_revoke"

    def test_a_bad_grant_is_one_sentence_and_changes_nothing(self, demo):
        before = (demo.roles(), demo.audit())
        at = signed_in("boss@example.com", "pages/admin.py")
        at.text_input(key="admin.grant.email").input("not an email")
        at.button(key="FormSubmitter:admin.grant-Grant").click().run()
        assert plain(at.error) == ["Nothing was changed: 'not an email' is not an email "
                                   "address (name@company.com)."]
        assert (demo.roles(), demo.audit()) == before


class TestAuditPage:
    def test_finance_filters_the_trail_and_downloads_it_as_inert_csv(self, demo, monkeypatch):
        from cxroi.export import sheets

        written = []
        real = sheets.to_csv_bytes
        monkeypatch.setattr(sheets, "to_csv_bytes", lambda frame: written.append(frame)
                            or real(frame))
        demo.grant("=cmd|calc@example.com", "executive", by="-evil")
        at = signed_in("fin@example.com", "pages/audit.py")
        assert not at.exception
        total = len(demo.audit())  # the demo's writes, the fixture's 4 grants, this one
        assert total > FEW_ROWS and not at.dataframe  # the latest, read whole; the grid waits
        latest = at.table[0].value
        assert len(latest) == FEW_ROWS and latest["who"].iloc[-1] == "\\-evil"  # escaped
        assert f"The {FEW_ROWS} latest of these {total}." in plain(at.caption)
        at.toggle(key="audit.every").set_value(True).run()
        assert len(at.dataframe[0].value) == total
        assert at.dataframe[0].value["at"].is_monotonic_increasing  # oldest first
        at.multiselect(key="audit.who").set_value(["-evil"]).run()
        assert list(at.table[0].value["who"]) == ["\\-evil"] and not at.dataframe
        assert f"1 of {total} entries." in plain(at.caption)
        at.multiselect(key="audit.who").set_value([])
        at.multiselect(key="audit.action").set_value(["role_grant"]).run()
        assert len(at.table[0].value) == 5 and not at.main.toggle
        csv = real(written[-1]).decode("utf-8-sig")
        assert ",'-evil," in csv and ",-evil," not in csv  # a cell never starts a formula


PAGES = ("overview", "relative", "iceberg", "effort", "upload", "assumptions", "scenarios",
         "export", "admin", "audit")
WRITES = {"upload": "upload", "assumptions": "assumptions"}
"""A page -> the permission whose absence makes it read-only with one sentence."""


@pytest.mark.parametrize("role", access.ROLES)
def test_every_role_on_every_page(demo, role):
    """What each role is shown and refused, page by page; nothing changes by looking."""
    email = {"executive": "exec@example.com", "cx_lead": "lead@example.com",
             "finance": "fin@example.com", "admin": "boss@example.com"}[role]
    before = stored(demo)
    at = signed_in(email)
    for name in PAGES:
        opens = access.may({role}, {"admin": "roles", "audit": "audit"}.get(name, "view"))
        if not opens:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"pages/{name}.py")
            continue
        at.switch_page(f"pages/{name}.py").run()
        assert not at.exception, (role, name, [e.value for e in at.exception])
        assert not at.error, (role, name, plain(at.error))
        refused = name in WRITES and not access.may({role}, WRITES[name])
        assert (access.refusal(WRITES.get(name, "view"), {role}) in plain(at.info)) is refused
        assert f"Roles: {role}" in plain(at.sidebar.caption)
    assert stored(demo) == before
