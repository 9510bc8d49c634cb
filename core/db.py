"""Engine and session scope: SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, create_engine

from core.config import load_settings

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_active_url: str | None = None


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
    cur = dbapi_conn.cursor()
    # WAL lets readers work while a reviewer writes; busy_timeout makes racing writers wait.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy connection
    # BEGIN IMMEDIATE takes the write lock at the start, so two writers serialise instead
    # of one failing with "database is locked" half-way through its transaction.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _build_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30, "isolation_level": None}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def engine_for(url: str) -> Engine:
    """One engine per URL per process, created on first use."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _build_engine(url)
        return engine


def forget(url: str) -> None:
    """Close and drop the engine of ``url`` (tests create many throwaway databases)."""
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def use_database(url: str | None) -> Engine:
    """Point the services at ``url`` (None: back to the configured default) and create tables."""
    global _active_url
    _active_url = url
    engine = get_engine()
    init_db(engine)
    return engine


def get_engine() -> Engine:
    """The engine the services use now."""
    return engine_for(_active_url or load_settings().database_url)


def is_postgres(engine: Engine | None = None) -> bool:
    return (engine or get_engine()).dialect.name == "postgresql"


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


_APPEND_ONLY_SQLITE = """
CREATE TRIGGER IF NOT EXISTS audit_no_{op} BEFORE {op_upper} ON auditevent
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END
"""

_APPEND_ONLY_PG = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit rows are append-only'; END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_no_change ON auditevent;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON auditevent
FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""


def init_db(engine: Engine | None = None) -> None:
    """Create missing tables and the database-side guard that keeps audit rows append-only."""
    import core.models  # noqa: F401 - registers the tables

    engine = engine or get_engine()
    SQLModel.metadata.create_all(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for op in ("update", "delete"):
                conn.exec_driver_sql(_APPEND_ONLY_SQLITE.format(op=op, op_upper=op.upper()))
        elif engine.dialect.name == "postgresql":
            conn.execute(text(_APPEND_ONLY_PG))
