"""The append-only audit log: every state change and decision writes one row."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from core import db
from core.clock import CHINA, china_time, utcnow
from core.models import Account, AuditEvent


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    entity: str,
    entity_id: int | None,
    now: datetime | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit row to the caller's transaction, so it commits or rolls back with the change."""
    event = AuditEvent(
        at=now or utcnow(),
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None  # exact action, or a prefix ending in "." such as "request."
    actor: str | None = None  # username
    entity: str | None = None
    entity_id: int | None = None
    start: date | None = None  # Beijing dates, inclusive
    end: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str | None
    action: str
    entity: str
    entity_id: int | None
    detail: dict[str, Any]


def _filtered(stmt, flt: AuditFilter):  # noqa: ANN001, ANN202 - a Select
    if flt.action:
        if flt.action.endswith("."):
            stmt = stmt.where(col(AuditEvent.action).startswith(flt.action))
        else:
            stmt = stmt.where(AuditEvent.action == flt.action)
    if flt.actor:
        stmt = stmt.where(Account.username == flt.actor.strip().lower())
    if flt.entity:
        stmt = stmt.where(AuditEvent.entity == flt.entity)
    if flt.entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == flt.entity_id)
    if flt.start:
        stmt = stmt.where(AuditEvent.at >= _day_start(flt.start))
    if flt.end:
        stmt = stmt.where(AuditEvent.at < _day_start(flt.end + timedelta(days=1)))
    return stmt


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CHINA).astimezone(UTC)


def search(flt: AuditFilter, *, limit: int = 50, offset: int = 0) -> tuple[list[AuditRow], int]:
    """One page of audit rows, newest first, and how many match in all (paged in SQL)."""
    base = select(AuditEvent, Account.username).join(
        Account, col(Account.id) == col(AuditEvent.actor_id), isouter=True
    )
    count_stmt = _filtered(
        select(func.count()).select_from(AuditEvent).join(
            Account, col(Account.id) == col(AuditEvent.actor_id), isouter=True
        ),
        flt,
    )
    stmt = _filtered(base, flt).order_by(col(AuditEvent.id).desc()).limit(limit).offset(offset)
    with db.session_scope() as session:
        total = session.exec(count_stmt).one()
        rows = [
            AuditRow(e.id, e.at, username, e.action, e.entity, e.entity_id, dict(e.detail or {}))
            for e, username in session.exec(stmt).all()
        ]
    return rows, total


def actions() -> list[str]:
    """The distinct actions present, for the filter's choices."""
    with db.session_scope() as session:
        return sorted(session.exec(select(AuditEvent.action).distinct()).all())


def to_csv(flt: AuditFilter, *, max_rows: int = 100_000) -> bytes:
    """The filtered log as UTF-8 CSV with a BOM, so Excel opens the Chinese correctly."""
    rows, _ = search(flt, limit=max_rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "time_beijing", "actor", "action", "entity", "entity_id", "detail"])
    for row in rows:
        writer.writerow([
            row.id, china_time(row.at).strftime("%Y-%m-%d %H:%M:%S"), row.actor or "",
            row.action, row.entity, row.entity_id if row.entity_id is not None else "",
            json.dumps(row.detail, ensure_ascii=False, sort_keys=True),
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
