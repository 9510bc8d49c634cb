"""Verification and authorisation codes, and the one interface every SMS / e-mail goes through.

Rules: six digits, stored as a keyed hash, valid five minutes, single use, void after five
wrong tries, a new one only sixty seconds after the last, bound to a purpose, a target and
optionally a context (one filing form for 一表一码).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session, col, select

from core import db
from core.clock import utcnow
from core.config import load_settings, secret_key
from core.errors import CodeError, ValidationError
from core.identity import clean_email, clean_phone
from core.messages import translate
from core.models import OutboxMessage, VerificationCode

CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=5)
RESEND_AFTER = timedelta(seconds=60)
MAX_ATTEMPTS = 5

REGISTER = "register"
LOGIN = "login"
RESET = "reset"
CHANGE_CONTACT = "change_contact"
VERIFY_CONTACT = "verify_contact"
FORM_AUTH = "form_auth"
PURPOSES = (REGISTER, LOGIN, RESET, CHANGE_CONTACT, VERIFY_CONTACT, FORM_AUTH)


@dataclass(frozen=True)
class Outgoing:
    channel: str  # sms | email
    target: str
    subject: str
    body: str


class Sender(Protocol):
    """Delivers an SMS or e-mail. ``simulated`` senders keep what they send readable in the app."""

    simulated: bool

    def send(self, session: Session, message: Outgoing) -> None: ...


class OutboxSender:
    """The default: the message lands in the simulated outbox, worded as the real one would be."""

    simulated = True

    def send(self, session: Session, message: Outgoing) -> None:
        session.add(
            OutboxMessage(
                channel=message.channel,
                target=message.target,
                subject=message.subject,
                body=message.body,
            )
        )


def get_sender() -> Sender:
    """The configured sender: ``outbox`` or ``package.module:ClassName`` of a real gateway."""
    spec = load_settings().sender
    if spec == "outbox":
        return OutboxSender()
    module_name, _, class_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), class_name)()


def sending_is_simulated() -> bool:
    return bool(get_sender().simulated)


def _hash(code: str, purpose: str, target: str, context: str) -> str:
    message = f"{purpose}|{target}|{context}|{code}".encode()
    return hmac.new(secret_key(), message, hashlib.sha256).hexdigest()


def _channel_of(target: str) -> str:
    return "email" if "@" in target else "sms"


def _compose(purpose: str, channel: str, code: str) -> tuple[str, str]:
    minutes = int(CODE_TTL.total_seconds() // 60)
    body = translate(f"codes.{channel}.{purpose}", code=code, minutes=minutes)
    subject = translate("codes.email.subject") if channel == "email" else ""
    return subject, body


@dataclass(frozen=True)
class SentCode:
    target: str
    channel: str
    expires_at: datetime
    resend_at: datetime


def _latest(session: Session, purpose: str, target: str, context: str) -> VerificationCode | None:
    stmt = (
        select(VerificationCode)
        .where(
            VerificationCode.purpose == purpose,
            VerificationCode.target == target,
            VerificationCode.context == context,
        )
        .order_by(col(VerificationCode.created_at).desc(), col(VerificationCode.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def issue_code(
    session: Session,
    purpose: str,
    target: str,
    *,
    context: str = "",
    now: datetime | None = None,
    sender: Sender | None = None,
) -> SentCode:
    """Create and send a code inside the caller's transaction (target already normalised)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown code purpose {purpose!r}")
    now = now or utcnow()
    last = _latest(session, purpose, target, context)
    if last is not None and now < last.created_at + RESEND_AFTER:
        wait = int((last.created_at + RESEND_AFTER - now).total_seconds()) + 1
        raise CodeError("codes.cooldown", field="code", seconds=wait)
    # A new code makes every earlier one for the same purpose and target useless.
    session.execute(
        update(VerificationCode)
        .where(
            col(VerificationCode.purpose) == purpose,
            col(VerificationCode.target) == target,
            col(VerificationCode.context) == context,
            col(VerificationCode.used_at).is_(None),
            col(VerificationCode.voided_at).is_(None),
        )
        .values(voided_at=now)
    )
    code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
    channel = _channel_of(target)
    session.add(
        VerificationCode(
            purpose=purpose,
            channel=channel,
            target=target,
            context=context,
            code_hash=_hash(code, purpose, target, context),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    )
    subject, body = _compose(purpose, channel, code)
    (sender or get_sender()).send(session, Outgoing(channel, target, subject, body))
    return SentCode(target, channel, now + CODE_TTL, now + RESEND_AFTER)


def consume_code(
    session: Session,
    purpose: str,
    target: str,
    code: str,
    *,
    context: str = "",
    now: datetime | None = None,
    field: str = "code",
) -> None:
    """Check a code and use it up, or raise CodeError.

    Call it before the transaction writes anything else: a wrong try is committed at once.
    """
    now = now or utcnow()
    code = (code or "").strip()
    if not code:
        raise ValidationError("codes.required", field=field)
    if len(code) != CODE_LENGTH or not code.isdigit():
        raise CodeError("codes.format", field=field, length=CODE_LENGTH)
    last = _latest(session, purpose, target, context)
    if last is None:
        raise CodeError("codes.not_sent", field=field)
    if last.used_at is not None:
        raise CodeError("codes.used", field=field)
    if last.voided_at is not None:
        raise CodeError("codes.void", field=field)
    if now >= last.expires_at:
        raise CodeError("codes.expired", field=field)
    if not hmac.compare_digest(last.code_hash, _hash(code, purpose, target, context)):
        last.attempts += 1
        if last.attempts >= MAX_ATTEMPTS:
            last.voided_at = now
        # The wrong try must count even though the caller's transaction will roll back on
        # the error; callers consume the code before they write anything else.
        session.add(last)
        session.commit()
        left = MAX_ATTEMPTS - last.attempts
        if left <= 0:
            raise CodeError("codes.too_many_attempts", field=field)
        raise CodeError("codes.wrong", field=field, left=left)
    # Conditional update: of two concurrent uses of one code, exactly one wins.
    won = session.execute(
        update(VerificationCode)
        .where(col(VerificationCode.id) == last.id, col(VerificationCode.used_at).is_(None))
        .values(used_at=now)
    )
    if won.rowcount != 1:
        raise CodeError("codes.used", field=field)


def send_code(
    purpose: str, target: str, *, context: str = "", now: datetime | None = None
) -> SentCode:
    """Issue a code in its own transaction (for pages: the "发送验证码" button)."""
    with db.session_scope() as session:
        return issue_code(session, purpose, target, context=context, now=now)


def outbox(targets: str | list[str] | None = None, *, limit: int = 50) -> list[OutboxMessage]:
    """Simulated messages, newest first; only those to ``targets`` when given."""
    if isinstance(targets, str):
        targets = [targets]
    with db.session_scope() as session:
        stmt = select(OutboxMessage)
        if targets is not None:
            stmt = stmt.where(col(OutboxMessage.target).in_(targets))
        stmt = stmt.order_by(col(OutboxMessage.id).desc()).limit(limit)
        return list(session.exec(stmt).all())


def normalise_target(raw: str) -> str:
    """A typed phone or e-mail in the form codes are sent to; unknown forms are kept as typed."""
    value = (raw or "").strip()
    try:
        return clean_email(value) if "@" in value else clean_phone(value)
    except ValidationError:
        return value
