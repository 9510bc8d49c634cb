"""Real-name certification: drafts, the individual and institution forms, photos, submission,
status, resubmission after a rejection, and re-certification.

Status machine of one request (one round):
    draft --submit--> pending --approve--> approved
                              --reject---> rejected
A rejected round stays rejected; "修改后重新提交" opens a new round copied from it. A certified
account can "重新认证": a new draft copied from the data in force, which stays in force until the
new round is approved. At most one draft or pending request per account (a partial unique index).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core import audit, codes, db, notices, photos, storage, workdays
from core.clock import china_date, utcnow
from core.errors import (
    ConflictError,
    DomainError,
    FieldCollector,
    NotFoundError,
    PermissionDenied,
    PhotoError,
    StateError,
    ValidationError,
)
from core.identity import (
    clean_credit_code,
    clean_email,
    clean_org_name,
    clean_person_name,
    mask_id,
    parse_resident_id,
)
from core.models import INDIVIDUAL, INSTITUTION, Account, CertificationRequest, CertifiedHolder, Photo

log = logging.getLogger("certdesk.certification")

DRAFT, PENDING, APPROVED, REJECTED = "draft", "pending", "approved", "rejected"
OPEN_STATES = (DRAFT, PENDING)

# The stepper: 选择身份 → 完善账户信息 → 申请认证 → 审核信息 → 认证成功
STEP_IDENTITY, STEP_CONTACTS, STEP_FORM, STEP_REVIEW, STEP_DONE = range(5)

ID_TYPES = ("resident_id", "hk_macau_permit", "taiwan_permit", "passport")
GENDERS = ("male", "female")
ORG_TYPES = ("enterprise", "public_institution", "social_org", "government", "other")
CERT_TYPES = ("uscc",)
NATIONALITIES = ("CN", "HK", "MO", "TW", "other")
PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区", "台湾省",
)
SLOTS = {INDIVIDUAL: ("handheld", "id_copy"), INSTITUTION: ("licence", "id_copy")}
# What a new form starts with: the seed's defaults (居民身份证, 中国, 统一社会信用代码证书).
FORM_DEFAULTS = {
    INDIVIDUAL: {"id_type": "resident_id"},
    INSTITUTION: {"nationality": "CN", "cert_type": "uscc", "admin_id_type": "resident_id"},
}
_OTHER_ID = re.compile(r"^[A-Z0-9]{5,20}$")

# The checker runs at upload; tests and the bench may swap it for a cheaper one.
PhotoChecker = Callable[[bytes, str], dict[str, Any]]


# --- views ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoView:
    id: int
    slot: str
    sha256: str
    format: str
    width: int
    height: int
    size_bytes: int
    problems: list[str]
    findings: dict[str, Any]

    @classmethod
    def of(cls, row: Photo) -> PhotoView:
        return cls(row.id, row.slot, row.sha256, row.format, row.width, row.height, row.size_bytes,
                   list(row.problems or []), dict(row.findings or {}))


@dataclass(frozen=True)
class RequestView:
    id: int
    account_id: int
    identity: str
    status: str
    kind: str
    round: int
    step: int
    data: dict[str, Any]
    photos: dict[str, PhotoView]
    submitted_at: datetime | None
    due_date: date | None
    due_estimated: bool
    decided_at: datetime | None
    reasons: list[str]
    reason_text: str
    has_findings: bool

    @property
    def slots(self) -> tuple[str, ...]:
        return SLOTS[self.identity]


@dataclass(frozen=True)
class CertStatus:
    """认证信息: what the applicant sees, derived from the account's requests."""

    code: str  # none | pending | approved | rejected
    current: RequestView | None  # the newest request
    certified: RequestView | None  # the approved data in force
    draft_id: int | None

    @property
    def label_key(self) -> str:
        return f"cert.status.{self.code}"

    @property
    def screen(self) -> str:
        """Which screen of the stepper to show: start | identity | contacts | form | review | rejected | done."""
        current = self.current
        if current is not None and current.status == DRAFT:
            return ("identity", "contacts", "form")[min(current.step, STEP_FORM)]
        if current is not None and current.status == PENDING:
            return "review"
        if current is not None and current.status == REJECTED:
            return "rejected"
        return "done" if self.certified is not None else "start"

    @property
    def step_index(self) -> int:
        """The stepper position of ``screen``."""
        return {"start": STEP_IDENTITY, "identity": STEP_IDENTITY, "contacts": STEP_CONTACTS,
                "form": STEP_FORM, "review": STEP_REVIEW, "rejected": STEP_REVIEW,
                "done": STEP_DONE}[self.screen]

    @property
    def recert_pending(self) -> bool:
        return self.certified is not None and self.current is not None and self.current.status == PENDING

    @property
    def recert_rejected(self) -> bool:
        return (self.certified is not None and self.current is not None
                and self.current.status == REJECTED and self.current.id != self.certified.id)


def request_view(session: Session, row: CertificationRequest) -> RequestView:
    rows = session.exec(select(Photo).where(Photo.request_id == row.id)).all()
    return RequestView(
        id=row.id, account_id=row.account_id, identity=row.identity, status=row.status,
        kind=row.kind, round=row.round, step=row.step, data=dict(row.data or {}),
        photos={p.slot: PhotoView.of(p) for p in rows}, submitted_at=row.submitted_at,
        due_date=row.due_date, due_estimated=row.due_estimated, decided_at=row.decided_at,
        reasons=list(row.reasons or []), reason_text=row.reason_text, has_findings=row.has_findings,
    )


def _account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFoundError("accounts.not_found")
    return account


def _latest(session: Session, account_id: int) -> CertificationRequest | None:
    return session.exec(
        select(CertificationRequest)
        .where(CertificationRequest.account_id == account_id)
        .order_by(col(CertificationRequest.id).desc())
        .limit(1)
    ).first()


def status_of(account_id: int) -> CertStatus:
    """The account's certification status, as shown on 认证信息."""
    with db.session_scope() as session:
        account = _account(session, account_id)
        latest = _latest(session, account_id)
        certified_row = (session.get(CertificationRequest, account.certified_request_id)
                         if account.certified_request_id else None)
        current = request_view(session, latest) if latest else None
        certified = request_view(session, certified_row) if certified_row else None
    draft_id = current.id if current and current.status == DRAFT else None
    if certified is not None:
        code = APPROVED
    elif current is None or current.status == DRAFT:
        code = "none"
    else:
        code = current.status
    return CertStatus(code, current, certified, draft_id)


def get_request(account_id: int, request_id: int) -> RequestView:
    """One of the account's own requests."""
    with db.session_scope() as session:
        return request_view(session, _own(session, account_id, request_id))


def _own(session: Session, account_id: int, request_id: int) -> CertificationRequest:
    row = session.get(CertificationRequest, request_id)
    if row is None or row.account_id != account_id:
        raise NotFoundError("cert.not_found")
    return row


def _own_draft(session: Session, account_id: int, request_id: int) -> CertificationRequest:
    row = _own(session, account_id, request_id)
    if row.status != DRAFT:
        raise StateError("cert.not_editable", status=row.status)
    return row


# --- drafts ---------------------------------------------------------------------------------


def open_draft(account_id: int, *, now: datetime | None = None) -> RequestView:
    """The account's draft: the existing one, or a new one.

    A new draft after a rejection is the next round, copied from the rejected one; on a
    certified account it is a re-certification copied from the data in force.
    """
    now = now or utcnow()
    with db.session_scope() as session:
        account = _account(session, account_id)
        if account.role != "applicant" or account.employer_id:
            raise PermissionDenied("cert.only_holder")
        latest = _latest(session, account_id)
        if latest is not None and latest.status == DRAFT:
            return request_view(session, latest)
        if latest is not None and latest.status == PENDING:
            raise StateError("cert.already_pending")
        source, kind, round_no = None, "initial", 1
        if latest is not None and latest.status == REJECTED:
            source, kind, round_no = latest, latest.kind, latest.round + 1
        elif account.certified_request_id:
            source, kind = session.get(CertificationRequest, account.certified_request_id), "recert"
        draft = CertificationRequest(
            account_id=account_id, identity=account.identity, status=DRAFT, kind=kind,
            round=round_no, previous_id=source.id if source else None,
            step=STEP_FORM if source else STEP_IDENTITY,
            data=dict(source.data) if source else dict(FORM_DEFAULTS[account.identity]),
            created_at=now, updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(draft)
                session.flush()
        except IntegrityError:
            # Another tab opened the draft a moment ago: the partial unique index said no.
            raise ConflictError("cert.draft_exists") from None
        if source is not None:
            for old in session.exec(select(Photo).where(Photo.request_id == source.id)).all():
                session.add(Photo(**old.model_dump(exclude={"id", "request_id", "created_at"}),
                                  request_id=draft.id, created_at=now))
        audit.record(session, "request.draft_opened", actor_id=account_id, entity="request",
                     entity_id=draft.id, now=now, kind=kind, round=round_no)
        session.flush()
        return request_view(session, draft)


def save_draft(account_id: int, request_id: int, data: dict[str, Any], *, step: int | None = None,
               now: datetime | None = None) -> RequestView:
    """Keep what was typed (no validation yet): leaving and coming back loses nothing."""
    now = now or utcnow()
    with db.session_scope() as session:
        row = _own_draft(session, account_id, request_id)
        merged = dict(row.data or {})
        merged.update({k: _jsonable(v) for k, v in data.items() if k in _EDITABLE[row.identity]})
        if row.kind == "recert" and row.identity == INDIVIDUAL:
            # The ID number of a certified individual cannot change.
            merged["id_number"] = (row.data or {}).get("id_number")
        row.data = merged
        if step is not None:
            row.step = step
        row.updated_at = now
        session.add(row)
        return request_view(session, row)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def set_step(account_id: int, request_id: int, step: int) -> None:
    with db.session_scope() as session:
        row = _own_draft(session, account_id, request_id)
        if step > STEP_CONTACTS and not (row.data or {}).get("contacts_verified"):
            raise ValidationError("cert.contacts_first", field="form")
        row.step = step
        session.add(row)


# --- step 2: 完善账户信息 ------------------------------------------------------------------------


def send_contact_code(account_id: int, channel: str, target: str = "",
                      *, now: datetime | None = None) -> codes.SentCode:
    """A code to the e-mail being added, or to the account's registered phone."""
    with db.session_scope() as session:
        account = _account(session, account_id)
        if channel == "email":
            email = clean_email(target)
            taken = session.exec(select(Account.id).where(Account.email == email,
                                                          Account.id != account_id)).first()
            if taken:
                raise ConflictError("accounts.email_taken", field="email")
            return codes.issue_code(session, codes.VERIFY_CONTACT, email, now=now)
        return codes.issue_code(session, codes.VERIFY_CONTACT, account.phone, now=now)


def verify_contacts(account_id: int, request_id: int, *, email: str, email_code: str,
                    phone_code: str, now: datetime | None = None) -> RequestView:
    """完善账户信息: prove the e-mail and the phone with their codes; the e-mail joins the account."""
    now = now or utcnow()
    fields = FieldCollector()
    email = fields.check("email", clean_email, email)
    if not (email_code or "").strip():
        fields.add(ValidationError("codes.required", field="email_code"))
    if not (phone_code or "").strip():
        fields.add(ValidationError("codes.required", field="phone_code"))
    fields.raise_if_any()
    with db.session_scope() as session:
        account = _account(session, account_id)
        row = _own_draft(session, account_id, request_id)
        codes.consume_code(session, codes.VERIFY_CONTACT, email, email_code, now=now, field="email_code")
        codes.consume_code(session, codes.VERIFY_CONTACT, account.phone, phone_code, now=now,
                           field="phone_code")
        account.email = email
        session.add(account)
        try:
            session.flush()
        except IntegrityError:
            raise ConflictError("accounts.email_taken", field="email") from None
        row.data = {**(row.data or {}), "email": email, "contacts_verified": True}
        row.step = max(row.step, STEP_FORM)
        row.updated_at = now
        session.add(row)
        audit.record(session, "account.contacts_verified", actor_id=account_id, entity="account",
                     entity_id=account_id, now=now)
        return request_view(session, row)


# --- step 3: the forms ------------------------------------------------------------------------

_PERSON = ("real_name", "gender", "birth_date", "id_type", "id_number", "id_valid_from",
           "id_valid_to", "id_long_term")
_ADMIN = tuple(f"admin_{name}" for name in _PERSON)
_ORG = ("nationality", "province", "city", "org_type", "org_name", "founded_on", "cert_type",
        "cert_number", "cert_valid_from", "cert_valid_to", "cert_long_term")
_EDITABLE = {INDIVIDUAL: set(_PERSON), INSTITUTION: set(_ORG) | set(_ADMIN)}


def person_fields(prefix: str = "") -> list[str]:
    """The form fields of one person ("admin_" for an institution's administrator)."""
    return [prefix + name for name in _PERSON]


def institution_fields() -> list[str]:
    return list(_ORG)


def _as_date(value: Any, field_name: str, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationError("cert.date_required", field=field_name)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError("cert.date_invalid", field=field_name) from None


def autofill_from_id(number: str) -> dict[str, str] | None:
    """Birth date and gender read from a resident ID number, or None while it is not valid."""
    try:
        parsed = parse_resident_id(number)
    except DomainError:
        return None
    return {"birth_date": parsed.birth_date.isoformat(), "gender": parsed.gender}


def _validity(fields: FieldCollector, data: dict[str, Any], prefix: str, today: date,
              clean: dict[str, Any]) -> None:
    start = fields.check(f"{prefix}_valid_from", _as_date, data.get(f"{prefix}_valid_from"),
                         f"{prefix}_valid_from")
    long_term = bool(data.get(f"{prefix}_long_term"))
    end = None if long_term else fields.check(
        f"{prefix}_valid_to", _as_date, data.get(f"{prefix}_valid_to"), f"{prefix}_valid_to")
    if start and start > today:
        fields.add(ValidationError("cert.valid_from_future", field=f"{prefix}_valid_from"))
    if start and end and end <= start:
        fields.add(ValidationError("cert.valid_to_before_from", field=f"{prefix}_valid_to"))
    elif end and end < today:
        fields.add(ValidationError("cert.expired", field=f"{prefix}_valid_to"))
    clean.update({f"{prefix}_valid_from": start.isoformat() if start else None,
                  f"{prefix}_valid_to": end.isoformat() if end else None,
                  f"{prefix}_long_term": long_term})


def _person(fields: FieldCollector, data: dict[str, Any], p: str, today: date) -> dict[str, Any]:
    """Validate one person (the individual, or an institution's administrator with p="admin_")."""
    clean: dict[str, Any] = {}
    clean[f"{p}real_name"] = fields.check(f"{p}real_name", clean_person_name,
                                          data.get(f"{p}real_name", ""), f"{p}real_name")
    gender = data.get(f"{p}gender")
    if gender not in GENDERS:
        fields.add(ValidationError("cert.gender_required", field=f"{p}gender"))
    birth = fields.check(f"{p}birth_date", _as_date, data.get(f"{p}birth_date"), f"{p}birth_date")
    if birth and birth >= today:
        fields.add(ValidationError("cert.birth_future", field=f"{p}birth_date"))
    id_type = data.get(f"{p}id_type") or "resident_id"
    if id_type not in ID_TYPES:
        fields.add(ValidationError("cert.id_type_invalid", field=f"{p}id_type"))
    number = (data.get(f"{p}id_number") or "").strip().upper()
    if id_type == "resident_id":
        parsed = fields.check(f"{p}id_number", parse_resident_id, number, f"{p}id_number")
        if parsed is not None:
            number = parsed.number
            if birth and parsed.birth_date != birth:
                fields.add(ValidationError("cert.birth_mismatch", field=f"{p}birth_date",
                                           expected=parsed.birth_date.isoformat()))
            if gender in GENDERS and parsed.gender != gender:
                fields.add(ValidationError("cert.gender_mismatch", field=f"{p}gender"))
    elif not _OTHER_ID.match(number):
        fields.add(ValidationError("cert.other_id_invalid", field=f"{p}id_number"))
    clean.update({f"{p}gender": gender, f"{p}birth_date": birth.isoformat() if birth else None,
                  f"{p}id_type": id_type, f"{p}id_number": number})
    _validity(fields, data, f"{p}id", today, clean)
    return clean


def _institution(fields: FieldCollector, data: dict[str, Any], today: date) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, options in (("nationality", NATIONALITIES), ("org_type", ORG_TYPES),
                          ("cert_type", CERT_TYPES), ("province", PROVINCES)):
        value = data.get(name) or (options[0] if name in ("nationality", "cert_type") else None)
        if value not in options:
            fields.add(ValidationError(f"cert.{name}_required", field=name))
        clean[name] = value
    city = (data.get("city") or "").strip()
    if not city or len(city) > 40:
        fields.add(ValidationError("cert.city_required", field="city"))
    clean["city"] = city
    clean["org_name"] = fields.check("org_name", clean_org_name, data.get("org_name", ""))
    founded = fields.check("founded_on", _as_date, data.get("founded_on"), "founded_on", required=False)
    if founded and founded > today:
        fields.add(ValidationError("cert.founded_future", field="founded_on"))
    clean["founded_on"] = founded.isoformat() if founded else None
    clean["cert_number"] = fields.check("cert_number", clean_credit_code,
                                        data.get("cert_number", ""), "cert_number")
    _validity(fields, data, "cert", today, clean)
    return clean


def validate_form(identity: str, data: dict[str, Any], *, today: date,
                  certified: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check a whole form; every wrong field is reported at once. Returns the clean data."""
    fields = FieldCollector()
    if identity == INDIVIDUAL:
        clean = _person(fields, data, "", today)
        if certified and clean.get("id_number") != certified.get("id_number"):
            fields.add(ValidationError("cert.id_number_fixed", field="id_number"))
    else:
        clean = {**_institution(fields, data, today), **_person(fields, data, "admin_", today)}
    fields.raise_if_any()
    return clean


# --- photos ----------------------------------------------------------------------------------


def default_checker(data: bytes, slot: str) -> dict[str, Any]:
    """The full automatic check (format, sharpness, watermark, face / licence, pHash)."""
    from core import checks

    return checks.check_photo(data, kind=slot).to_record()


def attach_photo(account_id: int, request_id: int, slot: str, data: bytes, *,
                 checker: PhotoChecker | None = None, now: datetime | None = None) -> PhotoView:
    """Take a photo in: refuse non-images by content, store it by hash, check it, file it in its slot.

    The file is written before its row; a refused photo changes nothing.
    """
    now = now or utcnow()
    with db.session_scope() as session:
        row = _own_draft(session, account_id, request_id)
        if slot not in SLOTS[row.identity]:
            raise ValidationError("cert.slot_invalid", field=slot)
    loaded = photos.load_photo(data)  # PhotoError (not_image, corrupt, bomb...) stops here
    findings = (checker or default_checker)(data, slot)
    problems = [p for p in findings.get("problems", []) if p]
    key = storage.put(data)
    # Before the write transaction: confirming candidates takes up to about a second.
    reused = _reused_by_others(account_id, key, findings.get("phash"), data)
    if reused:
        findings = {**findings, "reused_by": reused}
    with db.session_scope() as session:
        row = _own_draft(session, account_id, request_id)
        for old in session.exec(select(Photo).where(Photo.request_id == row.id, Photo.slot == slot)).all():
            session.delete(old)
        session.flush()
        photo = Photo(
            request_id=row.id, account_id=account_id, slot=slot, sha256=key, format=loaded.format,
            width=loaded.width, height=loaded.height, size_bytes=len(data),
            phash=findings.get("phash"), findings=findings, problems=problems, created_at=now,
        )
        session.add(photo)
        row.updated_at = now
        session.add(row)
        audit.record(session, "request.photo_uploaded", actor_id=account_id, entity="request",
                     entity_id=row.id, now=now, slot=slot, sha256=key[:12], problems=problems)
        session.flush()
        return PhotoView.of(photo)


def _reused_by_others(account_id: int, sha256: str, phash: str | None, data: bytes) -> list[int]:
    """Accounts other than this one that uploaded the same or nearly the same photo.

    The same bytes are the same photo. A near hash is only a candidate (every ID scan has about
    the same layout): the nearest ``reuse.MAX_CANDIDATES`` are confirmed picture to picture.
    """
    from core import reuse
    from core.quality import PHASH_NEAR, phash_distance

    with db.session_scope() as session:
        others = set(session.exec(select(Photo.account_id).where(
            Photo.sha256 == sha256, Photo.account_id != account_id)).all())
        hashed = session.exec(select(Photo.id, Photo.account_id, Photo.phash, Photo.sha256).where(
            Photo.account_id != account_id, col(Photo.phash).is_not(None))).all() if phash else []
    # Nearest hash first, then the newest photo.
    near = sorted((distance, -photo_id, other_id, key) for photo_id, other_id, other_hash, key in hashed
                  if other_id not in others and (distance := phash_distance(phash, other_hash)) <= PHASH_NEAR)
    mine = None
    for _, _, other_id, key in near[:reuse.MAX_CANDIDATES]:
        if other_id in others or not storage.exists(key):
            continue
        mine = reuse.thumbnail(data) if mine is None else mine
        try:
            theirs = reuse.thumbnail(storage.get(key))
        except PhotoError as err:
            # Another account's stored file that no longer decodes must not block this upload.
            log.warning("reuse check skipped stored photo %s: %s", key[:12], err.code)
            continue
        if reuse.same_picture(mine, theirs):
            others.add(other_id)
    return sorted(others)


def photo_bytes(account_id: int | None, photo_id: int) -> bytes:
    """The stored original of a photo; applicants (account_id given) only see their own."""
    with db.session_scope() as session:
        row = session.get(Photo, photo_id)
        if row is None or (account_id is not None and row.account_id != account_id):
            raise NotFoundError("cert.photo_not_found")
        key = row.sha256
    return storage.get(key)


# --- submit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    request: RequestView
    due: workdays.DueDate


def submit(account_id: int, request_id: int, *, now: datetime | None = None) -> Submitted:
    """申请认证: validate everything and move the draft to pending in one transaction."""
    now = now or utcnow()
    with db.session_scope() as session:
        account = _account(session, account_id)
        row = _own_draft(session, account_id, request_id)
        data = dict(row.data or {})
        if not data.get("contacts_verified"):
            raise ValidationError("cert.contacts_first", field="form")
        certified = None
        if account.certified_request_id and row.identity == INDIVIDUAL:
            certified = session.get(CertificationRequest, account.certified_request_id).data
        fields = FieldCollector()
        clean = fields.check("form", validate_form, row.identity, data, today=china_date(now),
                             certified=certified)
        present = {p.slot: p for p in session.exec(select(Photo).where(Photo.request_id == row.id)).all()}
        missing = [slot for slot in SLOTS[row.identity] if slot not in present]
        for slot in missing:
            fields.add(ValidationError("cert.photo_missing", field=slot))
        fields.raise_if_any()
        assert clean is not None  # no errors means validate_form returned
        due = workdays.due_date(now)
        row.data = {**data, **clean}
        row.holder_name = clean.get("org_name") or clean.get("real_name")
        row.id_number = clean.get("id_number") or clean.get("admin_id_number")
        row.credit_code = clean.get("cert_number")
        row.has_findings = any(p.problems or (p.findings or {}).get("reused_by") for p in present.values())
        row.status, row.step = PENDING, STEP_REVIEW
        row.submitted_at, row.updated_at = now, now
        row.due_date, row.due_estimated = due.day, due.estimated
        row.version += 1
        session.add(row)
        audit.record(session, "request.submitted", actor_id=account_id, entity="request",
                     entity_id=row.id, now=now, round=row.round, kind=row.kind,
                     due=due.day.isoformat())
        notices.notify(session, account_id, "submitted", now=now, request_id=row.id,
                       due=due.day.isoformat(), estimated=due.estimated)
        session.flush()
        return Submitted(request_view(session, row), due)


# --- decisions (called by core.review inside its transaction) -------------------------------


def holder_key(row: CertificationRequest) -> str:
    """Who the rights holder is: the credit code of an institution, the ID number of a person."""
    return (row.credit_code if row.identity == INSTITUTION else row.id_number) or ""


def apply_approval(session: Session, row: CertificationRequest, *, reviewer_id: int, now: datetime) -> None:
    """Put the request's data in force; one rights holder, one account (unique index decides)."""
    if row.status != PENDING:
        raise StateError("cert.not_pending", status=row.status)
    account = _account(session, row.account_id)
    row.status, row.step = APPROVED, STEP_DONE
    row.decided_at, row.decided_by = now, reviewer_id
    row.version += 1
    account.certified_request_id = row.id
    session.add_all([row, account])
    holder = session.exec(select(CertifiedHolder).where(CertifiedHolder.account_id == account.id)).first()
    if holder is None:
        holder = CertifiedHolder(account_id=account.id, holder_key=holder_key(row), request_id=row.id,
                                 certified_at=now)
    else:
        holder.holder_key, holder.request_id, holder.certified_at = holder_key(row), row.id, now
    if row.identity == INSTITUTION:
        account.institution_name = row.data.get("org_name") or account.institution_name
    account.display_name = account.display_name or (row.data.get("real_name") if row.identity == INDIVIDUAL else None)
    try:
        with session.begin_nested():
            session.add(holder)
            session.flush()
    except IntegrityError:
        raise ConflictError("cert.holder_taken") from None


def apply_rejection(session: Session, row: CertificationRequest, *, reviewer_id: int, reasons: list[str],
                    text: str, now: datetime) -> None:
    if row.status != PENDING:
        raise StateError("cert.not_pending", status=row.status)
    row.status = REJECTED
    row.decided_at, row.decided_by = now, reviewer_id
    row.reasons, row.reason_text = list(reasons), text
    row.version += 1
    session.add(row)


# --- re-certification view ---------------------------------------------------------------------


@dataclass(frozen=True)
class CertifiedInfo:
    """The certified data in force, ID numbers masked, for 账户管理 → 实名认证."""

    identity: str
    # (field name, value, whether the value is an option code to translate, e.g. "male")
    rows: list[tuple[str, str, bool]] = field(default_factory=list)
    certified_at: datetime | None = None


_CODED = {"gender", "id_type", "org_type", "cert_type", "nationality", "admin_gender", "admin_id_type"}
_SHOWN = {
    INDIVIDUAL: ("real_name", "gender", "birth_date", "id_type", "id_number", "id_valid_to"),
    INSTITUTION: ("org_name", "org_type", "province", "city", "cert_type", "cert_number",
                  "cert_valid_to", "admin_real_name", "admin_id_number"),
}


def certified_info(account_id: int) -> CertifiedInfo | None:
    """What is certified now (ID numbers masked), or None when the account is not certified."""
    status = status_of(account_id)
    if status.certified is None:
        return None
    data = status.certified.data
    rows = []
    for name in _SHOWN[status.certified.identity]:
        value, coded = data.get(name), name in _CODED
        if name.endswith("id_number") or name == "cert_number":
            value = mask_id(value)
        elif name.endswith("valid_to") and not value:
            value, coded = "long_term", True
        rows.append((name, "" if value is None else str(value), coded))
    return CertifiedInfo(status.certified.identity, rows, status.certified.decided_at)
