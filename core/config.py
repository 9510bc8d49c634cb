"""Settings from the environment, with embedded defaults that work on a fresh clone."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    # Bytes; .streamlit/config.toml's server.maxUploadSize (MB) matches the default.
    max_upload_bytes: int = 10 * 1024 * 1024
    # Pixels after decoding; a 200-megapixel decompression bomb is refused before decoding.
    max_pixels: int = 50_000_000
    min_long_side: int = 1000
    demo_mode: bool = True
    # "outbox" keeps SMS / e-mail in the simulated outbox; a dotted path names a real sender.
    sender: str = "outbox"
    session_days: int = 14
    secure_cookies: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def load_settings() -> Settings:
    """Read settings from the environment on every call (tests change the environment)."""
    data_dir = Path(os.environ.get("CERTDESK_DATA_DIR", ROOT / "data"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'certdesk.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=url,
        max_upload_bytes=_int("CERTDESK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        max_pixels=_int("CERTDESK_MAX_PIXELS", 50_000_000),
        min_long_side=_int("CERTDESK_MIN_LONG_SIDE", 1000),
        demo_mode=os.environ.get("CERTDESK_DEMO", "1") != "0",
        sender=os.environ.get("CERTDESK_SENDER", "outbox"),
        session_days=_int("CERTDESK_SESSION_DAYS", 14),
        secure_cookies=os.environ.get("CERTDESK_SECURE_COOKIES", "0") == "1",
    )


def secret_key() -> bytes:
    """The server's secret pepper for hashing short codes: CERTDESK_SECRET, else a file in DATA_DIR.

    Six-digit codes are cheap to brute-force from a bare hash, so their hash is keyed.
    """
    env = os.environ.get("CERTDESK_SECRET")
    if env:
        return env.encode()
    path = load_settings().data_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"secret.{os.getpid()}.tmp")
        tmp.write_text(secrets.token_hex(32))
        # os.link fails if another process won the race; its secret is as good as ours.
        try:
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink()
    return path.read_text().strip().encode()
