"""Admin: who holds which role; grant a role, revoke one after a confirmation. Audited."""

import pandas as pd
import streamlit as st

from cxroi.access import ROLES
from cxroi.format import escape_markdown
from cxroi.models import CxroiError
from ui import access
from ui.loaders import store
from ui.state import ensure_frame

EMAIL, ROLE, BY = "admin.grant.email", "admin.grant.role", "admin.by"
REVOKE, ARMED, FLASH, PROBLEM = "admin.revoke", "admin.revoke.armed", "admin.flash", "admin.problem"

ensure_frame()
st.title("Admin: roles")
who = access.page_requires("roles")
st.caption("executive sees every page and takes the deck; cx_lead also uploads, rolls back and "
           "manages themes and plans; finance also edits assumptions, scenarios and plans' "
           "money, and reads the audit trail; admin may do everything. Every change is "
           "recorded in the audit trail.")
if not who.signed_in:
    st.info("Open mode: these roles take effect once sign-in is configured "
            "(docs/operations.md, \"Sign-in\").", icon=":material/info:")
if flash := st.session_state.pop(FLASH, None):
    st.success(escape_markdown(flash), icon=":material/check_circle:")
if problem := st.session_state.pop(PROBLEM, None):
    st.error(escape_markdown(problem), icon=":material/error:")

held = store().roles()
if held:
    st.dataframe(pd.DataFrame([{"email": h["email"], "roles": ", ".join(h["roles"])}
                               for h in held]), hide_index=True, width="stretch")
else:
    st.info("Nobody holds a role yet.")
by = "" if who.signed_in else st.text_input("Your name (for the audit trail)", key=BY,
                                          max_chars=200)


def change(kind: str, email: str, role: str) -> None:
    """Grant or revoke, checked right here on the server, then one message for the next run."""
    try:
        acting = access.require("roles", by)
        if kind == "grant":
            store().grant(email, role, by=acting)
        else:
            store().revoke(email, role, by=acting)
    except CxroiError as exc:
        st.session_state[PROBLEM] = f"Nothing was changed: {exc}"
    else:
        st.session_state[FLASH] = (f"Granted {role} to {email.strip().lower()}." if kind == "grant"
                                   else f"Revoked {role} from {email.strip().lower()}.")


st.subheader("Grant a role", anchor=False)
with st.form("admin.grant", border=True):
    left, right = st.columns([3, 1])
    left.text_input("Email", key=EMAIL, max_chars=320, placeholder="name@company.com")
    right.selectbox("Role", ROLES, key=ROLE)
    if st.form_submit_button("Grant", type="primary", icon=":material/person_add:"):
        change("grant", st.session_state.get(EMAIL) or "", st.session_state.get(ROLE) or "")
        st.rerun()

pairs = [(h["email"], role) for h in held for role in h["roles"]]
if pairs:
    st.subheader("Revoke a role", anchor=False)
    pair = st.selectbox("Role to revoke", pairs, key=REVOKE,
                        format_func=lambda p: f"{p[0]}: {p[1]}")
    armed = st.session_state.get(ARMED)
    if armed is not None and armed != pair:
        st.session_state.pop(ARMED, None)
        armed = None
    if armed is None:
        if st.button("Revoke…", key="admin.revoke.go", icon=":material/person_remove:"):
            st.session_state[ARMED] = pair
            st.rerun()
    else:
        own = who.signed_in and armed == (who.email, "admin")
        st.warning(escape_markdown(
            f"Revoke the role {armed[1]} from {armed[0]}?"
            + (" It is your own admin role: you will no longer see this page." if own else "")),
            icon=":material/person_remove:")
        yes, no = st.columns(2)
        if no.button("Cancel", key="admin.revoke.no"):
            st.session_state.pop(ARMED, None)
            st.rerun()
        if yes.button(escape_markdown(f"Yes, revoke {armed[1]} from {armed[0]}"),
                      type="primary", key="admin.revoke.yes"):
            st.session_state.pop(ARMED, None)
            change("revoke", *armed)
            st.rerun()
