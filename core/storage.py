"""Content-addressed file store: a file's name is the SHA-256 of its bytes.

Files are written (atomically) before the database row that names them, so a crash leaves at
most an unreferenced file, never a row without its file. Writing the same bytes twice is free.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from core.config import load_settings
from core.errors import NotFoundError


def _root() -> Path:
    return load_settings().data_dir / "photos"


def _path(key: str) -> Path:
    if len(key) != 64 or any(ch not in "0123456789abcdef" for ch in key):
        raise NotFoundError("storage.bad_key")
    return _root() / key[:2] / key[2:4] / key


def put(data: bytes) -> str:
    """Store bytes and return their key (hex SHA-256)."""
    key = hashlib.sha256(data).hexdigest()
    path = _path(key)
    if path.exists():
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return key


def get(key: str) -> bytes:
    path = _path(key)
    if not path.exists():
        raise NotFoundError("storage.missing")
    return path.read_bytes()


def exists(key: str) -> bool:
    return _path(key).exists()
