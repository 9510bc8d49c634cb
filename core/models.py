"""The tables. Times are aware UTC; JSON columns hold form data and findings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from core.clock import utcnow

# Identity types and roles are plain strings so they read well in SQL and in CSV exports.
INDIVIDUAL = "individual"
INSTITUTION = "institution"
APPLICANT = "applicant"
REVIEWER = "reviewer"
ADMIN = "admin"


class Account(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    # Stored lower-case: log-in is case-insensitive, uniqueness too.
    username: str = Field(max_length=40, unique=True, index=True)
    identity: str = Field(max_length=16)  # individual | institution
    role: str = Field(default=APPLICANT, max_length=16, index=True)
    # One mobile number belongs to one rights holder: the unique index is the rule.
    phone: Optional[str] = Field(default=None, max_length=11, unique=True, index=True)
    email: Optional[str] = Field(default=None, max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=200)
    display_name: Optional[str] = Field(default=None, max_length=60)
    institution_name: Optional[str] = Field(default=None, max_length=120)
    # Employees of an institution point at their admin; None for everyone else.
    employer_id: Optional[int] = Field(default=None, foreign_key="account.id", index=True)
    failed_logins: int = 0
    locked_until: Optional[datetime] = None
    # The approved request whose data is in force; a pending re-certification does not touch it.
    # Not a foreign key: it would make a cycle with CertificationRequest.account_id.
    certified_request_id: Optional[int] = None
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)


class AuthSession(SQLModel, table=True):
    """One log-in. The cookie token and the one-time hand-over ticket are stored hashed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    token_hash: Optional[str] = Field(default=None, max_length=64, unique=True, index=True)
    ticket_hash: str = Field(max_length=64, unique=True, index=True)
    ticket_expires_at: datetime
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_seen_at: datetime = Field(default_factory=utcnow)


class Grant(SQLModel, table=True):
    """A short-lived proof that a code was verified, for flows that span two screens."""

    id: Optional[int] = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=32)
    account_id: int = Field(foreign_key="account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    expires_at: datetime
    used_at: Optional[datetime] = None


class VerificationCode(SQLModel, table=True):
    __table_args__ = (Index("ix_code_lookup", "purpose", "target", "context"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=32)
    channel: str = Field(max_length=8)  # sms | email
    target: str = Field(max_length=254)
    # Binds a code to one thing, e.g. one filing form for 一表一码; "" when unbound.
    context: str = Field(default="", max_length=64)
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    attempts: int = 0
    used_at: Optional[datetime] = None
    voided_at: Optional[datetime] = None


class OutboxMessage(SQLModel, table=True):
    """What a real SMS gateway or mail server would have delivered."""

    id: Optional[int] = Field(default=None, primary_key=True)
    channel: str = Field(max_length=8)
    target: str = Field(max_length=254, index=True)
    subject: str = Field(default="", max_length=120)
    body: str
    created_at: datetime = Field(default_factory=utcnow, index=True)


class AuditEvent(SQLModel, table=True):
    """Append-only: a database trigger refuses UPDATE and DELETE."""

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: Optional[int] = Field(default=None, index=True)
    action: str = Field(max_length=48, index=True)
    entity: str = Field(max_length=32)
    entity_id: Optional[int] = Field(default=None, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class Notice(SQLModel, table=True):
    """A message in the applicant's 消息中心. Text is a catalogue key plus its parameters."""

    id: Optional[int] = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    kind: str = Field(max_length=32)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    read_at: Optional[datetime] = None


class Address(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    recipient: str = Field(max_length=40)
    phone: str = Field(max_length=11)
    region: str = Field(max_length=80)
    detail: str = Field(max_length=200)
    postcode: str = Field(default="", max_length=6)
    is_default: bool = False
    created_at: datetime = Field(default_factory=utcnow)


_OPEN = "status IN ('draft', 'pending')"


class CertificationRequest(SQLModel, table=True):
    """One round of certification: a draft, then pending, then approved or rejected.

    A rejected round is never reopened in place: resubmitting copies it into a new round, so
    the history of rounds and decisions stays as it was.
    """

    __table_args__ = (
        Index("ix_request_queue", "status", "due_date", "id"),
        # At most one open (draft or pending) request per account, decided by the database.
        Index("uq_request_open", "account_id", unique=True,
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    identity: str = Field(max_length=16)
    status: str = Field(default="draft", max_length=16, index=True)
    kind: str = Field(default="initial", max_length=16)  # initial | recert
    round: int = 1  # 1 for a first try, +1 for each resubmission after a rejection
    previous_id: Optional[int] = Field(default=None, foreign_key="certificationrequest.id")
    step: int = 0  # where the applicant left the stepper
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    # Copies of the key fields, for search, duplicate checks and the queue.
    holder_name: Optional[str] = Field(default=None, max_length=120, index=True)
    id_number: Optional[str] = Field(default=None, max_length=18, index=True)
    credit_code: Optional[str] = Field(default=None, max_length=18, index=True)
    has_findings: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: Optional[datetime] = Field(default=None, index=True)
    due_date: Optional[date] = None
    due_estimated: bool = False
    claimed_by: Optional[int] = Field(default=None, foreign_key="account.id", index=True)
    claim_touched_at: Optional[datetime] = None
    decided_at: Optional[datetime] = Field(default=None, index=True)
    decided_by: Optional[int] = Field(default=None, foreign_key="account.id", index=True)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    reason_text: str = ""
    # Bumped on every state change; a decision names the version it saw.
    version: int = 1


class Photo(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("request_id", "slot"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="certificationrequest.id", index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    slot: str = Field(max_length=16)  # handheld | id_copy | licence
    sha256: str = Field(max_length=64, index=True)
    format: str = Field(max_length=8)
    width: int
    height: int
    size_bytes: int
    phash: Optional[str] = Field(default=None, max_length=16, index=True)
    findings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    problems: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class CertifiedHolder(SQLModel, table=True):
    """One rights holder, one account: the unique key is the ID number or credit code."""

    id: Optional[int] = Field(default=None, primary_key=True)
    holder_key: str = Field(max_length=24, unique=True)
    account_id: int = Field(foreign_key="account.id", unique=True)
    request_id: int = Field(foreign_key="certificationrequest.id")
    certified_at: datetime = Field(default_factory=utcnow)


class FilingForm(SQLModel, table=True):
    """A software registration form (R11...) — 一表一码: its own authorisation code."""

    id: Optional[int] = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    kind: str = Field(max_length=8)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    status: str = Field(default="draft", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: Optional[datetime] = None
