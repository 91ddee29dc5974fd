"""Roles: the table of who may do what, the store's grants, and ``python -m cxroi role``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cxroi import access
from cxroi.cli import main
from cxroi.dataset import AuditEntry
from cxroi.models import CxroiError
from cxroi.store import Store, open_store


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "roles.duckdb"


class TestTheTable:
    """docs/design.md "Sign-in and roles", row by row."""

    def test_executive_sees_and_changes_nothing(self):
        assert access.MAY["executive"] == {"view"}

    def test_cx_lead_uploads_rolls_back_themes_and_plans_only(self):
        assert access.MAY["cx_lead"] == {"view", "upload", "rollback", "themes", "plans"}

    def test_finance_edits_assumptions_scenarios_plan_money_and_reads_the_audit(self):
        assert access.MAY["finance"] == {"view", "assumptions", "scenarios", "plan_money",
                                         "audit"}

    def test_admin_may_everything_and_alone_grants_roles_and_resets(self):
        assert access.MAY["admin"] == set(access.PERMISSIONS)
        assert access.roles_with("roles") == ("admin",)
        assert access.roles_with("reset") == ("admin",)
        assert access.roles_with("audit") == ("finance", "admin")

    def test_no_role_or_an_unknown_role_grants_nothing(self):
        assert not access.may(set(), "view")
        assert not access.may({"owner"}, "view")
        with pytest.raises(KeyError):
            access.may({"admin"}, "fly")

    def test_refusal_names_the_role_held_and_whom_to_ask_for(self):
        assert access.refusal("scenarios", {"cx_lead", "executive"}) == (
            "Read only: your roles (executive, cx_lead) may not save and restore scenarios; "
            "ask an admin for finance or admin.")

    def test_groups_map_through_the_secrets_table_and_typos_grant_nothing(self):
        mapping = {"cx": "cx_lead", "money": ["finance", "adimn"], "all": ["executive"]}
        assert access.roles_from_groups(["cx", "money", "other"], mapping) == {"cx_lead",
                                                                                "finance"}
        assert access.roles_from_groups("all", mapping) == {"executive"}
        assert access.roles_from_groups(None, mapping) == set()

    @pytest.mark.parametrize("text", ["ana", "ana@", "@x.com", "ana@x", "a b@x.com",
                                      "ana@x..com", "a" * 320 + "@x.com"])
    def test_malformed_emails_are_one_sentence(self, text):
        with pytest.raises(CxroiError, match="is not an email address"):
            access.normal_email(text)

    def test_audit_filters_by_who_action_and_utc_day(self):
        entries = [AuditEntry("2026-03-01T10:00:00+00:00", "a@x.com", "upload", "upload 1", ""),
                   AuditEntry("2026-03-02T10:00:00+00:00", "b@x.com", "rollback", "upload 1", ""),
                   AuditEntry("2026-03-03T23:59:59+00:00", "a@x.com", "rollback", "upload 2", "")]
        assert access.filter_audit(entries, who=["a@x.com"]) == [entries[0], entries[2]]
        assert access.filter_audit(entries, actions=["rollback"]) == entries[1:]
        assert access.filter_audit(entries, start=dt.date(2026, 3, 2),
                                   end=dt.date(2026, 3, 3)) == entries[1:]
        assert access.filter_audit(entries, end=dt.date(2026, 2, 28)) == []
        assert access.filter_audit(entries) == entries


class TestStore:
    def test_grant_stores_lower_case_and_compares_any_case(self, db):
        store = Store(db)
        store.grant(" Ana.Lima@Example.COM ", "finance", by="root")
        store.grant("ana.lima@example.com", "admin", by="root")
        assert store.roles() == [{"email": "ana.lima@example.com", "roles": ["finance", "admin"]}]
        assert store.roles_of("ANA.LIMA@example.com") == {"finance", "admin"}
        assert store.roles_of("nobody@example.com") == set()
        store.close()

    def test_every_change_is_audited_and_bumps_the_data_version(self, db):
        store = Store(db)
        start = store.data_version()
        store.grant("b@x.com", "cx_lead", by="root@x.com")
        store.revoke("B@X.com", "cx_lead", by="root@x.com")
        assert store.data_version() == start + 2
        assert [(e.who, e.action, e.target) for e in store.audit()] == [
            ("root@x.com", "role_grant", "role cx_lead of b@x.com"),
            ("root@x.com", "role_revoke", "role cx_lead of b@x.com")]
        assert store.roles() == []
        store.close()

    def test_granting_twice_or_revoking_what_is_not_held_changes_nothing(self, db):
        store = Store(db)
        store.grant("b@x.com", "cx_lead", by="root")
        before = (store.roles(), store.audit(), store.data_version())
        with pytest.raises(CxroiError, match="already has the role cx_lead"):
            store.grant("B@x.com", "cx_lead")
        with pytest.raises(CxroiError, match="does not have the role finance"):
            store.revoke("b@x.com", "finance")
        with pytest.raises(CxroiError, match="There is no role 'boss'"):
            store.grant("b@x.com", "boss")
        assert (store.roles(), store.audit(), store.data_version()) == before
        store.close()

    def test_roles_survive_a_reset(self, db):
        store = Store(db)
        store.grant("root@x.com", "admin", by="root")
        store.reset(by="root@x.com")
        assert store.roles_of("root@x.com") == {"admin"}
        store.close()

    def test_migration_5_adds_a_table_ducklake_can_hold(self):
        from cxroi.store.schema import MIGRATIONS

        script = dict(MIGRATIONS)[5].upper()
        assert "CREATE TABLE ROLES" in script
        for word in ("PRIMARY KEY", "UNIQUE", "CHECK", "INDEX", "SEQUENCE"):
            assert word not in _code(script)


def _code(script: str) -> str:
    """A migration without its comments."""
    return "\n".join(line.split("--")[0] for line in script.splitlines())


class TestCommandLine:
    def test_grant_list_revoke(self, capsys, db):
        assert run(capsys, "--db", str(db), "role", "grant", "Ana@X.com", "admin",
                   "--by", "root") == (0, "Granted admin to ana@x.com.\n", "")
        assert run(capsys, "--db", str(db), "role", "grant", "fin@x.com", "finance")[0] == 0
        code, out, _ = run(capsys, "--db", str(db), "role", "list", "--json")
        assert code == 0
        assert json.loads(out) == [{"email": "ana@x.com", "roles": ["admin"]},
                                   {"email": "fin@x.com", "roles": ["finance"]}]
        assert run(capsys, "--db", str(db), "role", "revoke", "FIN@x.com", "finance",
                   "--by", "root")[0] == 0
        code, out, _ = run(capsys, "--db", str(db), "role", "list", "--json")
        assert json.loads(out) == [{"email": "ana@x.com", "roles": ["admin"]}]
        code, out, _ = run(capsys, "--db", str(db), "audit", "--json")
        assert [(e["who"], e["action"], e["target"]) for e in json.loads(out)] == [
            ("root", "role_grant", "role admin of ana@x.com"),
            (json.loads(out)[1]["who"], "role_grant", "role finance of fin@x.com"),
            ("root", "role_revoke", "role finance of fin@x.com")]
        assert json.loads(out)[1]["who"]  # --by defaults to the login name, never empty

    def test_list_says_when_nobody_holds_a_role(self, capsys, db):
        code, out, _ = run(capsys, "--db", str(db), "role", "list")
        assert code == 0 and "Nobody holds a role yet" in out
        assert run(capsys, "--db", str(db), "role", "list", "--json")[1] == "[]\n"

    @pytest.mark.parametrize(("args", "sentence"), [
        (("grant", "ana@x.com", "boss"), "error: There is no role 'boss': the roles are "
                                         "executive, cx_lead, finance and admin.\n"),
        (("grant", "not-an-email", "admin"), "error: 'not-an-email' is not an email address "
                                             "(name@company.com).\n"),
        (("revoke", "ana@x.com", "admin"), "error: ana@x.com does not have the role admin; "
                                           "nothing was changed.\n"),
    ])
    def test_a_bad_request_is_one_sentence_and_exit_1(self, capsys, db, args, sentence):
        assert run(capsys, "--db", str(db), "role", *args) == (1, "", sentence)
        store = open_store(db)
        assert store.roles() == [] and store.audit() == []

    def test_granting_twice_exits_1(self, capsys, db):
        assert run(capsys, "--db", str(db), "role", "grant", "a@x.com", "cx_lead")[0] == 0
        code, out, err = run(capsys, "--db", str(db), "role", "grant", "A@x.com", "cx_lead")
        assert (code, out) == (1, "")
        assert err == "error: a@x.com already has the role cx_lead; nothing was changed.\n"
