"""A throwaway PostgreSQL server on loopback (initdb into a temporary folder), for tests and benches."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not found:
        raise RuntimeError(
            "PostgreSQL server binaries are missing: run `make test` (it installs them) "
            "or set CERTDESK_TEST_PG_URL to a server you started"
        )
    return found[-1]


def _as_postgres(cmd: str) -> None:
    # initdb refuses to run as root.
    if os.geteuid() == 0:
        subprocess.run(["su", "postgres", "-c", cmd], check=True, capture_output=True)
    else:
        subprocess.run(cmd, shell=True, check=True, capture_output=True)


@contextmanager
def running() -> Iterator[str]:
    """Start a server (or use CERTDESK_TEST_PG_URL); yields its base URL without a database name."""
    given = os.environ.get("CERTDESK_TEST_PG_URL")
    if given:
        yield given.rstrip("/")
        return
    bin_dir = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="certdesk-pg-"))
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    _as_postgres(f"{bin_dir}/initdb -D {folder} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8")
    _as_postgres(f"{bin_dir}/pg_ctl -D {folder} -l {folder}/log -w "
                 f"-o '-c listen_addresses=127.0.0.1 -p {port} -k /tmp -c fsync=off' start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        _as_postgres(f"{bin_dir}/pg_ctl -D {folder} -m immediate stop")
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(base_url: str) -> str:
    """Create an empty database on the server; returns its URL."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return f"{base_url}/{name}"
