"""Sign-in and roles in the app: who is here, what they may do, and the check every write makes.

Sign-in is on exactly when Streamlit's secrets (``.streamlit/secrets.toml``) hold an
``[auth]`` section (docs/design.md "Sign-in and roles"). Then app.py's `gate` shows a sign-in
page until `st.user` is signed in, and one sentence to a signed-in person with no role.
A person's roles are the store's (``role grant``, the Admin page) plus those their token's
``groups`` claim maps to through ``[cxroi.group_roles]`` of the same secrets. Without
``[auth]`` the app is in **open mode**: everyone may do everything, and the sidebar says so.

Every write calls `require` inside its handler, right before it writes: hiding or disabling
a button is only a courtesy, a forged widget value still meets the check. No secret, token
or cookie is ever shown or logged here: only the section and key *names* are read out loud.

==================  ====================================================================
`Identity`          who is here: open mode, signed out, or signed in with email and roles
`identity`          this run's `Identity` (once per run)
`gate`              app.py's sign-in gate: returns the identity of someone admitted, else stops
`sidebar`           the signed-in person, their roles and "Sign out"; or the open-mode warning
`allowed`           whether this person may do something (to show a page read-only)
`read_only`         `allowed`, and the sentence why not when not
`require`           the check inside a write's handler: the name to record, or `CxroiError`
`page_requires`     a page only some roles may open: one sentence and a stop for the rest
`visible`           the navigation without the pages this person may not open
`load_audit`        the audit trail, cached by the data version
==================  ====================================================================
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache as _lru_cache

import streamlit as st

from cxroi import access
from cxroi.dataset import AuditEntry
from cxroi.models import CxroiError
from cxroi.store import Store
from ui.loaders import get_store, store
from ui.state import once_per_run

log = logging.getLogger(__name__)

SHARED_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
PAGE_PERMISSIONS = {"admin": "roles", "audit": "audit"}
"""A page's url_path -> the permission needed to open it (every other page: ``view``)."""
SIGN_OUT = "access.sign_out"


@dataclass(frozen=True)
class Identity:
    """Who is using this session.

    ``mode`` is ``open`` (no sign-in configured: anyone may do anything), ``signed_out`` or
    ``signed_in``; ``email`` is lower-case, ``roles`` the store's and the groups' together.
    """

    mode: str
    email: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    problem: str = ""
    """Why sign-in cannot work (a configuration gap), said without any secret's value."""

    @property
    def signed_in(self) -> bool:
        return self.mode == "signed_in"

    def may(self, permission: str) -> bool:
        return self.mode == "open" or (self.signed_in and access.may(self.roles, permission))


def _secrets() -> Mapping:
    """Streamlit's secrets, or ``{}`` when there are none.

    A secrets file that exists but cannot be read must not open the app to everyone: it
    counts as a sign-in configuration with a problem (the gate then admits nobody).
    """
    if st.secrets.load_if_toml_exists():
        return st.secrets
    files = st.get_option("secrets.files") or []
    if any(os.path.isfile(path) for path in files):
        return {"auth": {"__unreadable__": True}}
    return {}


def _section(mapping: Mapping, key: str) -> Mapping:
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _provider(auth: Mapping) -> tuple[str | None, str]:
    """(the provider ``st.login`` takes, or none for the default; what is missing, in words)."""
    if auth.get("__unreadable__"):
        return None, ("The sign-in settings (.streamlit/secrets.toml) could not be read: fix "
                      "the file and restart the app.")
    named = [key for key, value in auth.items() if isinstance(value, Mapping)]
    provider = None if "client_id" in auth or not named else named[0]
    keys = auth if provider is None else {**auth, **auth[provider]}
    missing = [key for key in SHARED_KEYS + PROVIDER_KEYS if not keys.get(key)]
    if missing:
        return provider, ("Sign-in is configured but incomplete: [auth] in "
                          f".streamlit/secrets.toml has no {', '.join(missing)}. Fix the file "
                          "and restart the app.")
    return provider, ""


def sign_in_configured() -> bool:
    """Whether Streamlit's secrets hold an ``[auth]`` section (sign-in on)."""
    return "auth" in _secrets()


def _email_of(user: Mapping) -> str:
    """The signed-in person's address: the token's ``email``, else an address-like
    ``preferred_username`` or ``upn`` (Entra ID sends those when ``email`` is empty)."""
    for claim in ("email", "preferred_username", "upn"):
        value = user.get(claim)
        if isinstance(value, str) and "@" in value:
            try:
                return access.normal_email(value)
            except CxroiError:
                continue
    return ""


@_lru_cache(maxsize=256)
def _stored_roles(db: Store, version: int, email: str) -> frozenset[str]:
    del version  # the key: a grant or revoke bumps the data version
    return db.roles_of(email)


def _identity() -> Identity:
    secrets = _secrets()
    if "auth" not in secrets:
        return Identity("open")
    _, problem = _provider(_section(secrets, "auth"))
    if problem or not st.user.get("is_logged_in"):
        return Identity("signed_out", problem=problem)
    email = _email_of(st.user)
    if not email:
        return Identity("signed_in")
    db = store()
    roles = _stored_roles(db, db.data_version(), email)
    mapping = _section(_section(secrets, "cxroi"), "group_roles")
    if mapping:
        roles |= access.roles_from_groups(st.user.get("groups"), mapping)
    return Identity("signed_in", email, frozenset(roles))


def identity() -> Identity:
    """This run's identity, worked out once per run (the roles are cached by data version)."""
    return once_per_run("identity", _identity)


def allowed(permission: str) -> bool:
    return identity().may(permission)


def read_only(permission: str) -> bool:
    """Whether this person may not ``permission``; if so, the page says why in one sentence."""
    who = identity()
    if who.may(permission):
        return False
    st.info(access.refusal(permission, who.roles), icon=":material/lock:")
    return True


def require(permission: str, typed: str = "") -> str:
    """The check a write's handler makes right before it writes.

    Returns the name to record as the author: the signed-in email, or in open mode the name
    the person typed (``typed``). Raises `CxroiError` with one sentence when this person may
    not; handlers already show a `CxroiError` as "Nothing was stored: ...". Worked out
    afresh, not from the run's memo: a callback runs before the run that would renew it.
    """
    who = _identity()
    if not who.may(permission):
        log.info("refused %s for %s", permission, who.email or who.mode)
        raise CxroiError(access.refusal(permission, who.roles))
    return who.email if who.signed_in else typed.strip()


def page_requires(permission: str) -> Identity:
    """For a page only some roles may open: one sentence and nothing else for the others."""
    who = identity()
    if not who.may(permission):
        sentence = access.refusal(permission, who.roles).removeprefix("Read only: ")
        st.error(sentence[:1].upper() + sentence[1:], icon=":material/lock:")
        st.stop()
    return who


def visible(groups: Mapping[str, list], who: Identity) -> dict[str, list]:
    """The navigation's groups without the pages ``who`` may not open (and empty groups)."""
    shown = {name: [page for page in pages
                    if who.may(PAGE_PERMISSIONS.get(page.url_path, "view"))]
             for name, pages in groups.items()}
    return {name: pages for name, pages in shown.items() if pages}


def gate(groups: Mapping[str, list]) -> Identity:
    """app.py's sign-in gate: the identity of someone who may see the app, else a stop.

    Open mode and signed-in people with a role pass. Everyone else sees either the sign-in
    page (what cxroi is, "Sign in") or, signed in without a role, one sentence saying to
    ask an admin, and nothing of the data.
    """
    who = identity()
    if who.mode == "open" or who.roles:
        return who
    st.navigation(dict(groups), position="hidden")  # the page asked for stays in the URL
    if who.signed_in:  # one sentence, and nothing of the data
        sidebar(who)
        if who.email:
            st.warning(access.NO_ROLE.format(email=who.email), icon=":material/lock:")
        else:
            st.warning("Your identity provider did not send an email address, so cxroi cannot "
                       "tell who you are: ask an admin to add the email claim.",
                       icon=":material/lock:")
    else:
        _sign_in_page(who)
    st.stop()


def _sign_in_page(who: Identity) -> None:
    st.title("cxroi: the cost of poor experience")
    st.write(access.SIGN_IN_INTRO)
    if who.problem:
        st.error(who.problem, icon=":material/error:")
        return
    auth = _section(_secrets(), "auth")
    provider, _ = _provider(auth)
    if st.button("Sign in", type="primary", icon=":material/login:", key="access.sign_in"):
        try:
            st.login(provider) if provider else st.login()
        except Exception as exc:  # noqa: BLE001 - Streamlit's own check of [auth] refused it
            log.warning("st.login refused the sign-in settings: %s", _scrubbed(str(exc), auth))
            st.error("Sign-in could not start: Streamlit did not accept the [auth] settings "
                     "in .streamlit/secrets.toml. The server's log says why; see "
                     "docs/operations.md, \"Sign-in\".", icon=":material/error:")


def _scrubbed(text: str, auth: Mapping) -> str:
    """``text`` without any value of the ``[auth]`` settings in it (secrets never reach a log)."""
    values = [v for v in auth.values() if isinstance(v, str) and len(v) >= 4]
    for section in (v for v in auth.values() if isinstance(v, Mapping)):
        values += [v for v in section.values() if isinstance(v, str) and len(v) >= 4]
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "***")
    return text


def sidebar(who: Identity) -> None:
    """The signed-in person and their roles with "Sign out"; in open mode, the warning."""
    with st.sidebar:
        if who.mode == "open":
            st.warning(access.OPEN_MODE, icon=":material/lock_open:")
            return
        st.caption("Signed in as")
        st.text(who.email or "(no email address)")
        ordered = [role for role in access.ROLES if role in who.roles]
        st.caption(f"Roles: {', '.join(ordered) if ordered else 'none'}")
        if st.button("Sign out", key=SIGN_OUT, icon=":material/logout:"):
            st.logout()


def load_audit(version: int) -> list[AuditEntry]:
    """Every audit entry, oldest first (a shared list: never mutate it)."""
    return _audit_of(get_store(), version)


@_lru_cache(maxsize=4)
def _audit_of(db: Store, version: int) -> list[AuditEntry]:
    del version
    return db.audit()


def clear_caches() -> None:
    _stored_roles.cache_clear()
    _audit_of.cache_clear()
