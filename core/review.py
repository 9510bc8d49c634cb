"""The reviewer's desk: the queue, claims, the case view, decisions and their reasons.

Two reviewers never hold or decide the same request: a claim is a conditional UPDATE that only
succeeds on an unclaimed (or idle for 30 minutes) pending request, and a decision is a
conditional UPDATE that only succeeds for the reviewer whose claim is live. The database decides
races (row locks on PostgreSQL, BEGIN IMMEDIATE on SQLite).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, union, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from core import audit, certification, db, notices
from core.clock import CHINA, china_date, utcnow
from core.errors import ConflictError, NotFoundError, PermissionDenied, StateError, ValidationError
from core.identity import as_phone, mask_id, mask_phone, parse_resident_id
from core.models import ADMIN, INDIVIDUAL, REVIEWER, Account, CertificationRequest, Photo

CLAIM_IDLE = timedelta(minutes=30)
PENDING = certification.PENDING
REASONS = ("blurry", "watermark", "incomplete", "no_face", "licence_not_flat", "expired",
           "mismatch", "checksum", "duplicate", "other")
# Which automatic photo problems suggest which reason (pre-ticked for the reviewer, never decided).
SUGGESTED = {"blurry": "blurry", "resolution_low": "blurry", "too_dark": "blurry", "too_bright": "blurry",
             "watermark_wrong": "watermark", "no_face": "no_face", "not_flat": "licence_not_flat"}
PAGE_SIZE = 25


def _staff(session: Session, reviewer_id: int) -> Account:
    account = session.get(Account, reviewer_id)
    if account is None or account.role not in (REVIEWER, ADMIN) or not account.is_active:
        raise PermissionDenied("review.staff_only")
    return account


def _cutoff(now: datetime) -> datetime:
    return now - CLAIM_IDLE


def _claim_live(row: CertificationRequest, now: datetime) -> bool:
    return bool(row.claimed_by and row.claim_touched_at and row.claim_touched_at > _cutoff(now))


# --- queue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    identity: str | None = None  # individual | institution
    status: str = PENDING  # pending | approved | rejected | all
    overdue: bool = False
    has_findings: bool = False
    reviewer: str | None = None  # username: claimed by (pending) or decided by
    search: str | None = None  # exact username, phone, name, ID number or credit code


@dataclass(frozen=True)
class QueueRow:
    id: int
    username: str
    identity: str
    holder_name: str | None
    status: str
    round: int
    kind: str
    submitted_at: datetime | None
    due_date: date | None
    due_estimated: bool
    overdue: bool
    has_findings: bool
    claimed_by: str | None
    decided_by: str | None


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


def _search_condition(term: str):  # noqa: ANN202 - a SQL condition
    """Exact match on any of the searchable fields; each branch uses its own index."""
    term = term.strip()
    by_account = select(CertificationRequest.id).join(
        Account, col(Account.id) == col(CertificationRequest.account_id))
    branches = [
        by_account.where(col(Account.username) == term.lower()),
        select(CertificationRequest.id).where(col(CertificationRequest.holder_name) == term),
        select(CertificationRequest.id).where(col(CertificationRequest.id_number) == term.upper()),
        select(CertificationRequest.id).where(col(CertificationRequest.credit_code) == term.upper()),
    ]
    phone = as_phone(term)
    if phone:
        branches.append(by_account.where(col(Account.phone) == phone))
    number = term.lstrip("#")
    # A request number is short; an 18-digit ID number must not be compared as one (it would
    # overflow PostgreSQL's integer).
    if number.isdigit() and len(number) <= 9:
        branches.append(select(CertificationRequest.id).where(col(CertificationRequest.id) == int(number)))
    return col(CertificationRequest.id).in_(union(*branches).scalar_subquery())


def _queue_where(flt: QueueFilter, now: datetime, claimer, decider) -> list:  # noqa: ANN001 - aliases
    today = china_date(now)
    where = [col(CertificationRequest.status) != certification.DRAFT]
    if flt.status != "all":
        where.append(col(CertificationRequest.status) == flt.status)
    if flt.identity:
        where.append(col(CertificationRequest.identity) == flt.identity)
    if flt.overdue:
        where += [col(CertificationRequest.status) == PENDING, col(CertificationRequest.due_date) < today]
    if flt.has_findings:
        where.append(col(CertificationRequest.has_findings))
    if flt.reviewer:
        # Pending work is "claimed by", decided work "decided by"; "all" means either.
        name = flt.reviewer.strip().lower()
        if flt.status == PENDING:
            where.append(claimer.username == name)
        elif flt.status in ("approved", "rejected"):
            where.append(decider.username == name)
        else:
            where.append(or_(claimer.username == name, decider.username == name))
    if flt.search and flt.search.strip():
        where.append(_search_condition(flt.search))
    return where


def queue(flt: QueueFilter, *, page: int = 1, page_size: int = PAGE_SIZE,
          now: datetime | None = None) -> QueuePage:
    """One page of the queue, by due date (oldest promise first), paged in SQL."""
    now = now or utcnow()
    claimer, decider = aliased(Account), aliased(Account)
    where = _queue_where(flt, now, claimer, decider)
    base = (
        select(CertificationRequest, Account.username, claimer.username, decider.username)
        .join(Account, col(Account.id) == col(CertificationRequest.account_id))
        .join(claimer, col(claimer.id) == col(CertificationRequest.claimed_by), isouter=True)
        .join(decider, col(decider.id) == col(CertificationRequest.decided_by), isouter=True)
        .where(*where)
    )
    count = (
        select(func.count()).select_from(CertificationRequest)
        .join(Account, col(Account.id) == col(CertificationRequest.account_id))
        .join(claimer, col(claimer.id) == col(CertificationRequest.claimed_by), isouter=True)
        .join(decider, col(decider.id) == col(CertificationRequest.decided_by), isouter=True)
        .where(*where)
    )
    today = china_date(now)
    with db.session_scope() as session:
        total = session.exec(count).one()
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        result = session.exec(
            base.order_by(col(CertificationRequest.due_date), col(CertificationRequest.id))
            .limit(page_size).offset((page - 1) * page_size)
        ).all()
        rows = [
            QueueRow(
                id=r.id, username=username, identity=r.identity, holder_name=r.holder_name, status=r.status,
                round=r.round, kind=r.kind, submitted_at=r.submitted_at, due_date=r.due_date,
                due_estimated=r.due_estimated,
                overdue=r.status == PENDING and r.due_date is not None and r.due_date < today,
                has_findings=r.has_findings,
                claimed_by=claimed if r.status == PENDING and _claim_live(r, now) else None,
                decided_by=decided,
            )
            for r, username, claimed, decided in result
        ]
    return QueuePage(rows, total, page, pages)


@dataclass(frozen=True)
class Counters:
    waiting: int
    overdue: int
    claimed_by_me: int
    decided_today: int


def counters(reviewer_id: int, *, now: datetime | None = None) -> Counters:
    """The four numbers at the top of the queue."""
    now = now or utcnow()
    today = china_date(now)
    start = datetime(today.year, today.month, today.day, tzinfo=CHINA)
    pending = col(CertificationRequest.status) == PENDING
    with db.session_scope() as session:
        def count(*where) -> int:  # noqa: ANN002
            return session.exec(select(func.count()).select_from(CertificationRequest).where(*where)).one()

        return Counters(
            waiting=count(pending),
            overdue=count(pending, col(CertificationRequest.due_date) < today),
            claimed_by_me=count(pending, col(CertificationRequest.claimed_by) == reviewer_id,
                                col(CertificationRequest.claim_touched_at) > _cutoff(now)),
            decided_today=count(col(CertificationRequest.decided_by) == reviewer_id,
                                col(CertificationRequest.decided_at) >= start),
        )


# --- claims -----------------------------------------------------------------------------------


def _claimable(reviewer_id: int, now: datetime):  # noqa: ANN202 - a SQL condition
    return and_(
        col(CertificationRequest.status) == PENDING,
        or_(col(CertificationRequest.claimed_by).is_(None),
            col(CertificationRequest.claimed_by) == reviewer_id,
            col(CertificationRequest.claim_touched_at) <= _cutoff(now)),
    )


def claim(request_id: int, reviewer_id: int, *, now: datetime | None = None) -> None:
    """Take a request to work on it. Refused if another reviewer's claim is live or it is decided."""
    now = now or utcnow()
    with db.session_scope() as session:
        _staff(session, reviewer_id)
        won = session.execute(
            update(CertificationRequest)
            .where(col(CertificationRequest.id) == request_id, _claimable(reviewer_id, now))
            .values(claimed_by=reviewer_id, claim_touched_at=now)
        ).rowcount == 1
        if won:
            audit.record(session, "request.claimed", actor_id=reviewer_id, entity="request",
                         entity_id=request_id, now=now)
            return
        row = session.get(CertificationRequest, request_id)
        if row is None or row.status == certification.DRAFT:
            raise NotFoundError("review.not_found")
        if row.status != PENDING:
            raise StateError("review.already_decided", status=row.status)
        holder = session.get(Account, row.claimed_by)
        raise ConflictError("review.claimed_by_other", name=holder.display_name or holder.username)


def release(request_id: int, reviewer_id: int, *, now: datetime | None = None) -> None:
    """Give a claimed request back to the queue."""
    now = now or utcnow()
    with db.session_scope() as session:
        released = session.execute(
            update(CertificationRequest)
            .where(col(CertificationRequest.id) == request_id,
                   col(CertificationRequest.claimed_by) == reviewer_id)
            .values(claimed_by=None, claim_touched_at=None)
        ).rowcount
        if released:
            audit.record(session, "request.released", actor_id=reviewer_id, entity="request",
                         entity_id=request_id, now=now)


def touch(request_id: int, reviewer_id: int, *, now: datetime | None = None) -> bool:
    """Keep my claim alive while I work on the case; False if it is no longer mine."""
    now = now or utcnow()
    with db.session_scope() as session:
        return session.execute(
            update(CertificationRequest)
            .where(col(CertificationRequest.id) == request_id,
                   col(CertificationRequest.claimed_by) == reviewer_id,
                   col(CertificationRequest.claim_touched_at) > _cutoff(now),
                   col(CertificationRequest.status) == PENDING)
            .values(claim_touched_at=now)
        ).rowcount == 1


def next_request(reviewer_id: int, *, now: datetime | None = None) -> int | None:
    """下一个: claim the unclaimed pending request with the earliest due date; None if none is left."""
    now = now or utcnow()
    for _ in range(5):  # another reviewer may take the same one a moment earlier: try the next
        with db.session_scope() as session:
            _staff(session, reviewer_id)
            candidate = session.exec(
                select(CertificationRequest.id)
                .where(col(CertificationRequest.status) == PENDING,
                       or_(col(CertificationRequest.claimed_by).is_(None),
                           col(CertificationRequest.claim_touched_at) <= _cutoff(now)))
                .order_by(col(CertificationRequest.due_date), col(CertificationRequest.id)).limit(1)
            ).first()
        if candidate is None:
            return None
        try:
            claim(candidate, reviewer_id, now=now)
            return candidate
        except ConflictError:
            continue
    return None


# --- case -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One automatic data finding; ``ok`` False means the reviewer should look closely."""

    code: str
    ok: bool
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryItem:
    id: int
    round: int
    kind: str
    status: str
    submitted_at: datetime | None
    decided_at: datetime | None
    reasons: list[str]
    reason_text: str


@dataclass(frozen=True)
class Case:
    request: certification.RequestView
    username: str
    phone_masked: str
    email: str | None
    masked: dict[str, str]  # field → masked ID number
    data_findings: list[Finding]
    history: list[HistoryItem]
    claimed_by_me: bool
    claimed_by: str | None
    suggested_reasons: list[str]
    certified_id: int | None
    # Username of every other account a finding names (a duplicate number, a reused photo).
    account_names: dict[int, str] = field(default_factory=dict)


def _id_findings(data: dict[str, Any], prefix: str) -> list[Finding]:
    number = data.get(f"{prefix}id_number") or ""
    if data.get(f"{prefix}id_type", "resident_id") != "resident_id":
        return [Finding(f"{prefix}id_other_type", True, {"type": data.get(f"{prefix}id_type")})]
    try:
        parsed = parse_resident_id(number)
    except ValidationError as err:
        return [Finding(f"{prefix}id_checksum", False, {"error": err.key})]
    findings = [Finding(f"{prefix}id_checksum", True)]
    birth_ok = data.get(f"{prefix}birth_date") == parsed.birth_date.isoformat()
    gender_ok = data.get(f"{prefix}gender") == parsed.gender
    findings.append(Finding(f"{prefix}birth_gender", birth_ok and gender_ok,
                            {"birth": parsed.birth_date.isoformat(), "gender": parsed.gender}))
    return findings


def data_findings(session: Session, row: CertificationRequest) -> list[Finding]:
    """The form checked against the ID number and credit code; duplicates across accounts."""
    data = dict(row.data or {})
    if row.identity == INDIVIDUAL:
        findings = _id_findings(data, "")
    else:
        findings = _id_findings(data, "admin_")
        findings.append(Finding("credit_code", bool(row.credit_code), {}))
    others = select(CertificationRequest.account_id).where(
        col(CertificationRequest.account_id) != row.account_id,
        col(CertificationRequest.status) != certification.DRAFT)
    for name, value in (("dup_id_number", row.id_number), ("dup_credit_code", row.credit_code)):
        if not value:
            continue
        column = CertificationRequest.id_number if name == "dup_id_number" else CertificationRequest.credit_code
        accounts_ = sorted(set(session.exec(others.where(col(column) == value)).all()))
        findings.append(Finding(name, not accounts_, {"accounts": accounts_}))
    account = session.get(Account, row.account_id)
    phone_owners = session.exec(select(Account.id).where(Account.phone == account.phone,
                                                         Account.id != account.id)).all()
    findings.append(Finding("dup_phone", not phone_owners, {"accounts": list(phone_owners)}))
    return findings


def case(request_id: int, reviewer_id: int, *, now: datetime | None = None) -> Case:
    """Everything a reviewer needs to decide, ID numbers masked."""
    now = now or utcnow()
    with db.session_scope() as session:
        _staff(session, reviewer_id)
        row = session.get(CertificationRequest, request_id)
        if row is None or row.status == certification.DRAFT:
            raise NotFoundError("review.not_found")
        account = session.get(Account, row.account_id)
        view = certification.request_view(session, row)
        history_rows = session.exec(
            select(CertificationRequest)
            .where(CertificationRequest.account_id == row.account_id,
                   col(CertificationRequest.id) != row.id,
                   col(CertificationRequest.status) != certification.DRAFT)
            .order_by(col(CertificationRequest.id).desc())
        ).all()
        history = [HistoryItem(h.id, h.round, h.kind, h.status, h.submitted_at, h.decided_at,
                               list(h.reasons or []), h.reason_text) for h in history_rows]
        claimer = session.get(Account, row.claimed_by) if _claim_live(row, now) else None
        findings = data_findings(session, row)
        named = {i for f in findings for i in f.params.get("accounts", [])} | \
            {i for photo in view.photos.values() for i in photo.findings.get("reused_by", [])}
        names = dict(session.exec(select(Account.id, Account.username).where(col(Account.id).in_(sorted(named)))).all()) \
            if named else {}
    masked = {name: mask_id(view.data.get(name)) for name in ("id_number", "admin_id_number", "cert_number")
              if view.data.get(name)}
    problems = {p for photo in view.photos.values() for p in photo.problems}
    suggested = sorted({SUGGESTED[p] for p in problems if p in SUGGESTED}, key=REASONS.index)
    if any(not f.ok for f in findings if f.code.startswith("dup_")):
        suggested.append("duplicate")
    return Case(
        request=view, username=account.username, phone_masked=mask_phone(account.phone),
        email=account.email, masked=masked, data_findings=findings, history=history,
        claimed_by_me=claimer is not None and claimer.id == reviewer_id,
        claimed_by=(claimer.display_name or claimer.username) if claimer else None,
        suggested_reasons=suggested, certified_id=account.certified_request_id, account_names=names,
    )


def reveal_id(request_id: int, reviewer_id: int, *, now: datetime | None = None) -> dict[str, str]:
    """显示完整号码: the full ID numbers, and an audit row saying who looked."""
    now = now or utcnow()
    with db.session_scope() as session:
        _staff(session, reviewer_id)
        row = session.get(CertificationRequest, request_id)
        if row is None:
            raise NotFoundError("review.not_found")
        full = {name: row.data.get(name) for name in ("id_number", "admin_id_number", "cert_number")
                if (row.data or {}).get(name)}
        audit.record(session, "request.id_revealed", actor_id=reviewer_id, entity="request",
                     entity_id=request_id, now=now, fields=sorted(full))
        return full


def photo_for_review(reviewer_id: int, photo_id: int) -> bytes:
    """A photo's original bytes for the case view (staff only)."""
    with db.session_scope() as session:
        _staff(session, reviewer_id)
        if session.get(Photo, photo_id) is None:
            raise NotFoundError("cert.photo_not_found")
    return certification.photo_bytes(None, photo_id)


# --- decide -------------------------------------------------------------------------------------


def decide(request_id: int, reviewer_id: int, *, approve: bool, reasons: list[str] | None = None,
           text: str = "", now: datetime | None = None) -> None:
    """Approve, or reject with reasons; status, certified data, message and audit row in one transaction."""
    now = now or utcnow()
    reasons = list(dict.fromkeys(reasons or []))
    text = (text or "").strip()
    if not approve:
        if not reasons:
            raise ValidationError("review.reason_required", field="reasons")
        unknown = [r for r in reasons if r not in REASONS]
        if unknown:
            raise ValidationError("review.reason_unknown", field="reasons")
        if "other" in reasons and not text:
            raise ValidationError("review.other_needs_text", field="text")
    if len(text) > 500:
        raise ValidationError("review.text_too_long", field="text")
    with db.session_scope() as session:
        _staff(session, reviewer_id)
        # The gate: only the live claimer of a pending request gets this row (and its lock).
        gate = session.execute(
            update(CertificationRequest)
            .where(col(CertificationRequest.id) == request_id,
                   col(CertificationRequest.status) == PENDING,
                   col(CertificationRequest.claimed_by) == reviewer_id,
                   col(CertificationRequest.claim_touched_at) > _cutoff(now))
            .values(claim_touched_at=now)
        ).rowcount
        row = session.get(CertificationRequest, request_id)
        if gate != 1:
            _refuse(session, row, reviewer_id)
        session.refresh(row)
        if approve:
            certification.apply_approval(session, row, reviewer_id=reviewer_id, now=now)
            notices.notify(session, row.account_id, "approved", now=now, request_id=row.id)
        else:
            certification.apply_rejection(session, row, reviewer_id=reviewer_id, reasons=reasons,
                                          text=text, now=now)
            notices.notify(session, row.account_id, "rejected", now=now, request_id=row.id,
                           reasons=reasons, text=text)
        row.claimed_by, row.claim_touched_at = None, None
        session.add(row)
        audit.record(session, "request.approved" if approve else "request.rejected", actor_id=reviewer_id,
                     entity="request", entity_id=row.id, now=now, reasons=reasons,
                     round=row.round, kind=row.kind)


def _refuse(session: Session, row: CertificationRequest | None, reviewer_id: int) -> None:
    if row is None or row.status == certification.DRAFT:
        raise NotFoundError("review.not_found")
    if row.status != PENDING:
        decider = session.get(Account, row.decided_by) if row.decided_by else None
        raise ConflictError("review.already_decided_by",
                            name=(decider.display_name or decider.username) if decider else "—")
    if row.claimed_by and row.claimed_by != reviewer_id:
        holder = session.get(Account, row.claimed_by)
        raise ConflictError("review.claimed_by_other", name=holder.display_name or holder.username)
    raise ConflictError("review.claim_first")
