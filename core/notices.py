"""消息中心: every status change and decision reaches the applicant here.

A notice stores its kind and parameters, not rendered text, so it shows in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from core import db
from core.clock import utcnow
from core.models import Notice

KINDS = ("submitted", "approved", "rejected", "filing_submitted", "contact_changed", "employee_added")


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: str
    params: dict[str, Any]
    created_at: datetime
    read: bool


def notify(session: Session, account_id: int, kind: str, *, now: datetime | None = None,
           **params: Any) -> None:
    """Add a notice inside the caller's transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    session.add(Notice(account_id=account_id, kind=kind, params=params, created_at=now or utcnow()))


def unread_count(account_id: int) -> int:
    with db.session_scope() as session:
        return session.exec(
            select(func.count()).select_from(Notice).where(
                Notice.account_id == account_id, col(Notice.read_at).is_(None))
        ).one()


def inbox(account_id: int, *, limit: int = 100) -> list[NoticeView]:
    """Newest first."""
    with db.session_scope() as session:
        rows = session.exec(
            select(Notice).where(Notice.account_id == account_id)
            .order_by(col(Notice.id).desc()).limit(limit)
        ).all()
        return [NoticeView(n.id, n.kind, dict(n.params or {}), n.created_at, n.read_at is not None)
                for n in rows]


def mark_read(account_id: int, notice_ids: list[int] | None = None, *, now: datetime | None = None) -> int:
    """Mark some (or all) of the account's notices read; returns how many changed."""
    stmt = update(Notice).where(col(Notice.account_id) == account_id, col(Notice.read_at).is_(None))
    if notice_ids is not None:
        stmt = stmt.where(col(Notice.id).in_(notice_ids))
    with db.session_scope() as session:
        return session.execute(stmt.values(read_at=now or utcnow())).rowcount
