"""Shared fixtures: the repo root on sys.path, a fresh database and data folder per test.

Every test gets its own SQLite file and data folder. Tests that take the ``any_db`` fixture
run twice: on SQLite and on a real PostgreSQL server that this file starts once per test
session (initdb into a temporary folder; ``make test`` installs the server if it is missing).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core import db  # noqa: E402

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not found:
        raise RuntimeError(
            "PostgreSQL server binaries are missing: run `make test` (it installs them) "
            "or set CERTDESK_TEST_PG_URL to a server you started"
        )
    return found[-1]


def _as_postgres(cmd: str) -> None:
    if os.geteuid() == 0:
        subprocess.run(["su", "postgres", "-c", cmd], check=True, capture_output=True)
    else:
        subprocess.run(cmd, shell=True, check=True, capture_output=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server on loopback for this test session; yields its base URL."""
    given = os.environ.get("CERTDESK_TEST_PG_URL")
    if given:
        yield given.rstrip("/")
        return
    bin_dir = _pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="certdesk-pg-"))
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    _as_postgres(f"{bin_dir}/initdb -D {folder} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8")
    _as_postgres(
        f"{bin_dir}/pg_ctl -D {folder} -l {folder}/log -w "
        f"-o '-c listen_addresses=127.0.0.1 -p {port} -k /tmp -c fsync=off' start"
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        _as_postgres(f"{bin_dir}/pg_ctl -D {folder} -m immediate stop")
        shutil.rmtree(folder, ignore_errors=True)


def _fresh_pg_database(base_url: str) -> str:
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return f"{base_url}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[str]:
    """Run the test on SQLite and on PostgreSQL; yields the backend's name."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    url = _fresh_pg_database(request.getfixturevalue("pg_server"))
    db.use_database(url)
    yield "postgresql"
    db.forget(url)
