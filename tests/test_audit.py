"""The audit log is append-only in the database itself, searchable and exportable."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from core import audit, db
from core.models import AuditEvent


def _events() -> None:
    with db.session_scope() as session:
        audit.record(session, "account.login", actor_id=None, entity="account", entity_id=1,
                     now=datetime(2026, 10, 8, 1, 0, tzinfo=UTC))
        audit.record(session, "account.locked", actor_id=None, entity="account", entity_id=2,
                     now=datetime(2026, 10, 9, 1, 0, tzinfo=UTC), note="五次错误")


def test_given_audit_rows_then_update_and_delete_are_refused_by_the_database(any_db: str) -> None:
    _events()
    for statement in ("UPDATE auditevent SET action = 'x'", "DELETE FROM auditevent"):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.session_scope() as session:
                session.execute(text(statement))
    with db.session_scope() as session:
        assert {e.action for e in session.exec(select(AuditEvent)).all()} == {"account.login", "account.locked"}


def test_given_filters_then_search_pages_in_sql_newest_first() -> None:
    _events()
    rows, total = audit.search(audit.AuditFilter(action="account."))
    assert total == 2 and [r.action for r in rows] == ["account.locked", "account.login"]
    rows, total = audit.search(audit.AuditFilter(start=date(2026, 10, 9), end=date(2026, 10, 9)))
    assert total == 1 and rows[0].detail == {"note": "五次错误"}
    rows, total = audit.search(audit.AuditFilter(), limit=1, offset=1)
    assert total == 2 and [r.action for r in rows] == ["account.login"]


def test_csv_export_has_a_bom_and_beijing_times() -> None:
    _events()
    data = audit.to_csv(audit.AuditFilter()).decode("utf-8")
    assert data.startswith("\ufeffid,time_beijing")
    assert "2026-10-09 09:00:00" in data and "五次错误" in data
