"""The append-only audit log: every state change and decision writes one row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from core.clock import utcnow
from core.models import AuditEvent


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
