"""Log-in sessions that survive a browser refresh and a server restart.

A log-in creates one row. The browser tab that logged in holds a one-time *ticket* (in the
server-side Streamlit session) and hands it to the ``/auth/login`` route, which redeems it
once, within a minute, for the long-lived *token* it sets as an HttpOnly cookie. Only hashes
of both are stored. Logging out deletes the row; a password change deletes all the user's rows.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import col, select

from core import db
from core.clock import utcnow
from core.config import load_settings
from core.models import Account, AuthSession

COOKIE_NAME = "certdesk_session"
TICKET_TTL = timedelta(seconds=60)
# Writing last_seen on every rerun would make each click a write; once a minute is enough.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """Who is logged in, as the pages need it."""

    account_id: int
    session_id: int
    username: str
    role: str
    identity: str
    display_name: str | None
    institution_name: str | None
    employer_id: int | None

    @property
    def is_staff(self) -> bool:
        return self.role in ("reviewer", "admin")

    @property
    def acting_account_id(self) -> int:
        """Employees act for their institution: its admin account owns the requests and forms."""
        return self.employer_id or self.account_id


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def begin(account_id: int, *, now: datetime | None = None) -> str:
    """Open a session for a verified account and return its one-time ticket."""
    now = now or utcnow()
    ticket = secrets.token_urlsafe(32)
    with db.session_scope() as session:
        session.add(
            AuthSession(
                account_id=account_id,
                ticket_hash=_digest(ticket),
                ticket_expires_at=now + TICKET_TTL,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(days=load_settings().session_days),
            )
        )
    return ticket


def redeem_ticket(ticket: str, *, now: datetime | None = None) -> str | None:
    """Exchange a fresh, unused ticket for the cookie token; None if it is stale, used or unknown."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with db.session_scope() as session:
        # Conditional update: a ticket can be redeemed exactly once, even by racing requests.
        result = session.execute(
            update(AuthSession)
            .where(
                col(AuthSession.ticket_hash) == _digest(ticket or ""),
                col(AuthSession.token_hash).is_(None),
                col(AuthSession.ticket_expires_at) > now,
                col(AuthSession.expires_at) > now,
            )
            .values(token_hash=_digest(token))
        )
        return token if result.rowcount == 1 else None


def resolve(
    *, token: str | None = None, ticket: str | None = None, now: datetime | None = None
) -> Principal | None:
    """The logged-in user for a cookie token (or, before the cookie is set, the tab's ticket)."""
    if not token and not ticket:
        return None
    now = now or utcnow()
    if token:
        condition = col(AuthSession.token_hash) == _digest(token)
    else:
        condition = col(AuthSession.ticket_hash) == _digest(ticket or "")
    with db.session_scope() as session:
        row = session.exec(
            select(AuthSession, Account)
            .join(Account, col(Account.id) == col(AuthSession.account_id))
            .where(condition, col(AuthSession.expires_at) > now, col(Account.is_active))
        ).first()
        if row is None:
            return None
        auth, account = row
        if now - auth.last_seen_at > TOUCH_EVERY:
            auth.last_seen_at = now
            session.add(auth)
        return Principal(
            account_id=account.id,
            session_id=auth.id,
            username=account.username,
            role=account.role,
            identity=account.identity,
            display_name=account.display_name,
            institution_name=account.institution_name,
            employer_id=account.employer_id,
        )


def end(session_id: int) -> None:
    """Log out one session."""
    with db.session_scope() as session:
        session.execute(delete(AuthSession).where(col(AuthSession.id) == session_id))


def end_by_token(token: str) -> None:
    """Log out the session a cookie names (the /auth/logout route)."""
    with db.session_scope() as session:
        session.execute(delete(AuthSession).where(col(AuthSession.token_hash) == _digest(token)))


def end_all(session, account_id: int) -> None:  # noqa: ANN001 - an open SQLModel session
    """Log the account out everywhere, inside the caller's transaction."""
    session.execute(delete(AuthSession).where(col(AuthSession.account_id) == account_id))


def purge_expired(*, now: datetime | None = None) -> int:
    """Delete expired sessions; returns how many."""
    now = now or utcnow()
    with db.session_scope() as session:
        result = session.execute(delete(AuthSession).where(col(AuthSession.expires_at) <= now))
        return result.rowcount
