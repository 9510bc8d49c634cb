"""Shared fixtures: the repo root on sys.path, a fresh database and data folder per test.

Every test gets its own SQLite file and data folder. Tests that take the ``any_db`` fixture
run twice: on SQLite and on a real PostgreSQL server that this file starts once per test
session (initdb into a temporary folder; ``make test`` installs the server if it is missing).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core import db  # noqa: E402
from tests import pgserver  # noqa: E402

os.environ.setdefault("CERTDESK_SECRET", "test-secret")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder and SQLite database for each test."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("CERTDESK_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = f"sqlite:///{folder / 'certdesk.db'}"
    db.use_database(url)
    yield folder
    db.forget(url)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server on loopback for this test session; yields its base URL."""
    with pgserver.running() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[str]:
    """Run the test on SQLite and on PostgreSQL; yields the backend's name."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    url = pgserver.fresh_database(request.getfixturevalue("pg_server"))
    db.use_database(url)
    yield "postgresql"
    db.forget(url)
