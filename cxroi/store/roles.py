"""Roles: who holds which of `cxroi.access.ROLES`, granted and revoked, every change audited.

Emails are compared case-insensitively: stored lower-case (`cxroi.access.normal_email`).
A shared catalog (DuckLake) has no unique keys, so "one row per (email, role)" is kept by
the write itself, under the store's write lock and inside its transaction. ``demo --reset``
leaves the roles alone: emptying the data must not lock the admins out.
"""

from __future__ import annotations

from cxroi.access import ROLES, check_role, normal_email
from cxroi.models import CxroiError
from cxroi.store.audit import Audit, record
from cxroi.store.base import utc_now

__all__ = ["Roles"]


class Roles(Audit):
    """Granting, revoking and reading roles."""

    def grant(self, email: str, role: str, *, by: str = "") -> None:
        """Give ``email`` the role ``role``; a role already held is one sentence, not a write."""
        email, role = normal_email(email), check_role(role)
        with self._write() as cur:
            held = cur.execute("SELECT count(*) FROM roles WHERE email = ? AND role = ?",
                               [email, role]).fetchone()[0]
            if held:
                raise CxroiError(f"{email} already has the role {role}; nothing was changed.")
            cur.execute("INSERT INTO roles VALUES (?, ?, ?, ?)",
                        [email, role, utc_now(), by or "unknown"])
            record(cur, by, "role_grant", f"role {role} of {email}", f"granted {role} to {email}")

    def revoke(self, email: str, role: str, *, by: str = "") -> None:
        """Take the role ``role`` from ``email``; a role not held is one sentence, not a write."""
        email, role = normal_email(email), check_role(role)
        with self._write() as cur:
            held = cur.execute("SELECT count(*) FROM roles WHERE email = ? AND role = ?",
                               [email, role]).fetchone()[0]
            if not held:
                raise CxroiError(f"{email} does not have the role {role}; nothing was changed.")
            cur.execute("DELETE FROM roles WHERE email = ? AND role = ?", [email, role])
            record(cur, by, "role_revoke", f"role {role} of {email}",
                   f"revoked {role} from {email}")

    def roles(self) -> list[dict[str, object]]:
        """Everyone who holds a role: ``[{"email", "roles"}]`` by email, roles in `ROLES` order."""
        with self._cursor() as cur:
            rows = cur.execute("SELECT email, role FROM roles ORDER BY email").fetchall()
        held: dict[str, set[str]] = {}
        for email, role in rows:
            held.setdefault(email, set()).add(role)
        return [{"email": email, "roles": [r for r in ROLES if r in roles]}
                for email, roles in held.items()]

    def roles_of(self, email: str) -> frozenset[str]:
        """The roles the store grants ``email`` (any case); none for an unknown address."""
        with self._cursor() as cur:
            rows = cur.execute("SELECT DISTINCT role FROM roles WHERE email = ?",
                               [str(email).strip().lower()]).fetchall()
        return frozenset(row[0] for row in rows)
