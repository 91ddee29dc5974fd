"""Who may do what: the roles of docs/design.md "Sign-in and roles", as one table.

Pure: no store, no streamlit. The store keeps who holds which role (`cxroi.store.roles`);
the app (``ui/access.py``) asks this module whether the signed-in person may write.

=====================  ================================================================
`ROLES`                the four role names, from least to most rights
`PERMISSIONS`          each permission's name and what it lets a person do, in words
`MAY`                  role -> the permissions it grants (the contract's table)
`may`                  whether any of a person's roles grants a permission
`roles_with`           the roles that grant a permission (to say whom to ask)
`check_role`           a role name, or one sentence saying it is not one
`normal_email`         an email address, trimmed and lower-case, or one sentence
`roles_from_groups`    the roles an identity token's ``groups`` claim maps to
`refusal`              the sentence a person reads when their roles do not allow a write
`filter_audit`         the audit entries that match the Audit page's filters
=====================  ================================================================

>>> may({"cx_lead"}, "upload"), may({"executive"}, "upload"), may({"finance"}, "scenarios")
(True, False, True)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from cxroi.models import CxroiError

__all__ = ["ROLES", "PERMISSIONS", "MAY", "may", "roles_with", "check_role", "normal_email",
           "roles_from_groups", "refusal", "filter_audit", "NO_ROLE", "OPEN_MODE",
           "SIGN_IN_INTRO", "MAX_EMAIL_CHARS"]

ROLES: tuple[str, ...] = ("executive", "cx_lead", "finance", "admin")

PERMISSIONS: dict[str, str] = {
    "view": "see every page, the presentation view, the deck and the downloads",
    "upload": "upload a quarter",
    "rollback": "roll back an upload",
    "themes": "manage themes",
    "plans": "manage action plans",
    "plan_money": "edit action plans' money",
    "assumptions": "edit the assumptions",
    "scenarios": "save and restore scenarios",
    "reset": "reset the database or load the demo data",
    "roles": "grant or revoke roles",
    "audit": "read the audit trail",
}

_EXECUTIVE = frozenset({"view"})
MAY: dict[str, frozenset[str]] = {
    "executive": _EXECUTIVE,
    "cx_lead": _EXECUTIVE | {"upload", "rollback", "themes", "plans"},
    "finance": _EXECUTIVE | {"assumptions", "scenarios", "plan_money", "audit"},
    "admin": frozenset(PERMISSIONS),
}
"""The contract's table: executive sees; cx_lead also uploads, rolls back, manages themes and
plans; finance also edits assumptions, saves and restores scenarios, edits plans' money and
reads the audit trail (the Audit page is for admin and finance); admin may do everything."""

NO_ROLE = ("You are signed in as {email}, but you have no role in cxroi yet: ask an admin to "
           "grant you one (executive, cx_lead, finance or admin).")
OPEN_MODE = ("Open mode: sign-in is not configured, so anyone who can reach this address can "
             "change data.")
SIGN_IN_INTRO = ("cxroi turns each quarter's customer-experience figures and finance's unit "
                 "costs into the cost of poor experience, where it hides, and what preventing "
                 "it is worth. Sign in with your company account to continue.")
MAX_EMAIL_CHARS = 320
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def may(roles: Iterable[str], permission: str) -> bool:
    """Whether any of ``roles`` grants ``permission`` (an unknown role grants nothing)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return any(permission in MAY.get(role, ()) for role in roles)


def roles_with(permission: str) -> tuple[str, ...]:
    """The roles that grant ``permission``, in `ROLES` order.

    >>> roles_with("audit")
    ('finance', 'admin')
    """
    return tuple(role for role in ROLES if permission in MAY[role])


def check_role(role: str) -> str:
    """``role`` when it is one of `ROLES`, else one sentence naming the four."""
    if role not in MAY:
        raise CxroiError(f"There is no role {role!r}: the roles are "
                         f"{', '.join(ROLES[:-1])} and {ROLES[-1]}.")
    return role


def normal_email(text: str) -> str:
    """An email address as stored and compared: trimmed, lower-case; else one sentence.

    >>> normal_email("  Ana.Lima@Example.COM ")
    'ana.lima@example.com'
    """
    email = str(text).strip().lower()
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(email):
        shown = email if len(email) <= 80 else email[:80] + "..."
        raise CxroiError(f"{shown!r} is not an email address (name@company.com).")
    return email


def roles_from_groups(groups: object, mapping: Mapping[str, object]) -> frozenset[str]:
    """The roles that the token's ``groups`` claim maps to through ``[cxroi.group_roles]``.

    ``groups`` is the claim as the provider sent it (a list of names, or one name);
    ``mapping`` maps a group name to a role or a list of roles. Names that map to no known
    role are ignored: a typo in the mapping never grants anything.

    >>> sorted(roles_from_groups(["cx-team", "staff"], {"cx-team": ["cx_lead", "finance"]}))
    ['cx_lead', 'finance']
    """
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, Iterable):
        return frozenset()
    found: set[str] = set()
    for group in groups:
        mapped = mapping.get(str(group), ())
        for role in [mapped] if isinstance(mapped, str) else mapped:
            if role in MAY:
                found.add(role)
    return frozenset(found)


def refusal(permission: str, roles: Iterable[str]) -> str:
    """What a person reads when none of their roles allows ``permission``.

    >>> refusal("upload", {"executive"})
    'Read only: your role (executive) may not upload a quarter; ask an admin for cx_lead or admin.'
    """
    held = sorted(roles, key=lambda r: ROLES.index(r) if r in ROLES else len(ROLES))
    who = (f"your role{'s' * (len(held) != 1)} ({', '.join(held)})" if held
           else "without a role you")
    ask = " or ".join(roles_with(permission))
    return f"Read only: {who} may not {PERMISSIONS[permission]}; ask an admin for {ask}."


def filter_audit(entries: Sequence, *, who: Iterable[str] = (), actions: Iterable[str] = (),
                 start: dt.date | None = None, end: dt.date | None = None) -> list:
    """The entries (`cxroi.dataset.AuditEntry`) written by any of ``who``, of any of
    ``actions``, on a UTC day from ``start`` to ``end`` inclusive; an empty filter keeps all.
    """
    who, actions = set(who), set(actions)
    kept = []
    for entry in entries:
        day = dt.date.fromisoformat(entry.at[:10])
        if ((not who or entry.who in who) and (not actions or entry.action in actions)
                and (start is None or day >= start) and (end is None or day <= end)):
            kept.append(entry)
    return kept
