"""ui.access's reading of the sign-in settings and the token, without a running app."""

from __future__ import annotations

import pytest
import streamlit as st

from ui import access

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 32,
        "client_id": "cxroi", "client_secret": "s" * 32,
        "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration"}


class TestProvider:
    def test_the_default_provider_complete(self):
        assert access._provider(AUTH) == (None, "")

    def test_a_named_provider_takes_its_keys_from_its_own_section(self):
        shared = {k: AUTH[k] for k in access.SHARED_KEYS}
        named = {k: AUTH[k] for k in access.PROVIDER_KEYS}
        assert access._provider({**shared, "okta": named}) == ("okta", "")

    def test_missing_keys_are_named_and_no_value_is(self):
        provider, problem = access._provider({**AUTH, "client_secret": "", "client_id": None})
        assert provider is None
        assert "has no client_id, client_secret" in problem
        assert AUTH["cookie_secret"] not in problem

    def test_an_unreadable_file_is_a_problem_not_open_mode(self, monkeypatch, tmp_path):
        broken = tmp_path / "secrets.toml"
        broken.write_text("[auth\nclient_secret = 'x'", encoding="utf-8")
        monkeypatch.setattr(st.secrets, "load_if_toml_exists", lambda: False)
        monkeypatch.setattr(st, "get_option", lambda name: [str(broken)])
        secrets = access._secrets()
        assert "auth" in secrets  # sign-in stays on...
        assert "could not be read" in access._provider(secrets["auth"])[1]  # ...and closed

    def test_no_secrets_file_at_all_is_open_mode(self, monkeypatch, tmp_path):
        monkeypatch.setattr(st.secrets, "load_if_toml_exists", lambda: False)
        monkeypatch.setattr(st, "get_option", lambda name: [str(tmp_path / "none.toml")])
        assert access._secrets() == {}


class TestEmail:
    @pytest.mark.parametrize(("claims", "email"), [
        ({"email": "Ana@Example.com"}, "ana@example.com"),
        ({"email": "", "preferred_username": "Ana@Contoso.onmicrosoft.com"},
         "ana@contoso.onmicrosoft.com"),
        ({"upn": "b@x.com"}, "b@x.com"),
        ({"preferred_username": "ana"}, ""),
        ({"email": "not an address"}, ""),
        ({}, ""),
    ])
    def test_the_address_is_the_email_claim_or_an_address_like_username(self, claims, email):
        assert access._email_of(claims) == email


class TestIdentity:
    def test_open_mode_may_everything(self):
        who = access.Identity("open")
        assert all(who.may(p) for p in ("upload", "roles", "reset", "audit"))

    def test_signed_out_may_nothing(self):
        assert not access.Identity("signed_out").may("view")

    def test_signed_in_may_what_the_roles_say(self):
        who = access.Identity("signed_in", "a@x.com", frozenset({"finance"}))
        assert who.may("scenarios") and who.may("audit") and not who.may("upload")
