"""Accounts: register, log in (password or SMS code), lock-out, password recovery and change."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core import audit, codes, db, notices, sessions
from core.clock import utcnow
from core.errors import (
    AuthError,
    ConflictError,
    FieldCollector,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from core.identity import (
    check_password,
    classify_login,
    clean_email,
    clean_org_name,
    clean_person_name,
    clean_phone,
    clean_username,
    mask_email,
    mask_phone,
)
from core.models import (
    ADMIN,
    APPLICANT,
    INDIVIDUAL,
    INSTITUTION,
    REVIEWER,
    Account,
    Address,
    Grant,
)

MAX_FAILED_LOGINS = 5
LOCK_FOR = timedelta(minutes=15)
GRANT_TTL = timedelta(minutes=15)
IDENTITIES = (INDIVIDUAL, INSTITUTION)
# The log-in page's three doors: 个人用户, 企业(管理员), and staff.
PORTALS = ("individual", "institution", "staff")

_hasher = PasswordHasher()


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    identity: str
    role: str
    phone: str | None
    email: str | None
    display_name: str | None
    institution_name: str | None
    employer_id: int | None
    certified_request_id: int | None
    created_at: datetime
    is_active: bool = True

    @classmethod
    def of(cls, account: Account) -> AccountInfo:
        return cls(
            id=account.id,
            username=account.username,
            identity=account.identity,
            role=account.role,
            phone=account.phone,
            email=account.email,
            display_name=account.display_name,
            institution_name=account.institution_name,
            employer_id=account.employer_id,
            certified_request_id=account.certified_request_id,
            created_at=account.created_at,
            is_active=account.is_active,
        )

    @property
    def is_institution_admin(self) -> bool:
        """Manages employees and certifies the institution (添加员工账户, 实名认证)."""
        return self.role == APPLICANT and self.identity == INSTITUTION and self.employer_id is None

    @property
    def can_certify(self) -> bool:
        """Individuals and institution admins certify; employees and staff do not."""
        return self.role == APPLICANT and self.employer_id is None

    @property
    def user_type_key(self) -> str:
        """Catalogue key of the 用户类型 shown in 账户管理 (e.g. 机构账户管理员)."""
        if self.role != APPLICANT:
            return f"accounts.user_type.{self.role}"
        if self.identity == INSTITUTION:
            return "accounts.user_type.employee" if self.employer_id else "accounts.user_type.org_admin"
        return "accounts.user_type.individual"


@dataclass(frozen=True)
class LoginResult:
    account: AccountInfo
    ticket: str  # hand to sessions / the /auth/login route


def hash_password(password: str) -> str:
    """argon2id; the clear password is never stored."""
    return _hasher.hash(password)


def _password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verifying against a throwaway hash for unknown names keeps the answer time the same,
    # so timing does not tell which usernames exist.
    return _hasher.hash(secrets.token_hex(16))


# --- creating accounts -------------------------------------------------------------------


def _conflict_for(session: Session, username: str, phone: str | None, email: str | None) -> ConflictError:
    if session.exec(select(Account.id).where(Account.username == username)).first():
        return ConflictError("accounts.username_taken", field="username")
    if phone and session.exec(select(Account.id).where(Account.phone == phone)).first():
        return ConflictError("accounts.phone_taken", field="phone")
    if email and session.exec(select(Account.id).where(Account.email == email)).first():
        return ConflictError("accounts.email_taken", field="email")
    return ConflictError("accounts.duplicate")


def create_account(
    session: Session,
    *,
    username: str,
    identity: str,
    password: str,
    phone: str | None,
    email: str | None = None,
    role: str = APPLICANT,
    display_name: str | None = None,
    institution_name: str | None = None,
    employer_id: int | None = None,
    now: datetime | None = None,
    password_hash: str | None = None,
) -> Account:
    """Insert an account (values already clean). The database's unique indexes decide races.

    ``password_hash`` lets a bulk seed hash one shared demo password once instead of per account.
    """
    now = now or utcnow()
    account = Account(
        username=username,
        identity=identity,
        role=role,
        phone=phone,
        email=email,
        password_hash=password_hash or hash_password(password),
        display_name=display_name,
        institution_name=institution_name,
        employer_id=employer_id,
        created_at=now,
        password_changed_at=now,
    )
    try:
        # A savepoint keeps the caller's transaction usable after a unique violation.
        with session.begin_nested():
            session.add(account)
            session.flush()
    except IntegrityError:
        raise _conflict_for(session, username, phone, email) from None
    audit.record(
        session, "account.created", actor_id=employer_id or account.id, entity="account",
        entity_id=account.id, now=now, role=role, identity=identity,
    )
    return account


def send_register_code(phone: str, *, now: datetime | None = None) -> codes.SentCode:
    """Validate a phone for registration and send it a code; a number already used is refused."""
    phone = clean_phone(phone)
    with db.session_scope() as session:
        if session.exec(select(Account.id).where(Account.phone == phone)).first():
            raise ConflictError("accounts.phone_taken", field="phone")
        return codes.issue_code(session, codes.REGISTER, phone, now=now)


def register(
    *,
    identity: str,
    username: str,
    phone: str,
    code: str,
    password: str,
    confirm: str,
    now: datetime | None = None,
) -> AccountInfo:
    """Create an applicant account after checking every field and the SMS code."""
    if identity not in IDENTITIES:
        raise ValidationError("accounts.identity_required", field="identity")
    fields = FieldCollector()
    username = fields.check("username", clean_username, username)
    phone = fields.check("phone", clean_phone, phone)
    fields.check("password", check_password, password, confirm)
    if not (code or "").strip():
        fields.add(ValidationError("codes.required", field="code"))
    fields.raise_if_any()
    with db.session_scope() as session:
        existing = _conflict_for(session, username, phone, None)
        if existing.key != "accounts.duplicate":
            raise existing
        codes.consume_code(session, codes.REGISTER, phone, code, now=now)
        account = create_account(
            session, username=username, identity=identity, password=password, phone=phone, now=now
        )
        return AccountInfo.of(account)


# --- logging in ----------------------------------------------------------------------------


def _find_by_login(session: Session, identifier: str) -> Account | None:
    column, value = classify_login(identifier)
    return session.exec(select(Account).where(getattr(Account, column) == value)).first()


def _check_portal(account: Account, portal: str) -> None:
    if portal not in PORTALS:
        raise ValidationError("accounts.portal_required", field="portal")
    if account.role in (REVIEWER, ADMIN):
        if portal != "staff":
            raise AuthError("accounts.use_staff_portal", field="portal")
        return
    if portal == "staff":
        raise AuthError("accounts.not_staff", field="portal")
    if account.identity == INSTITUTION and portal != "institution":
        raise AuthError("accounts.use_institution_portal", field="portal")
    if account.identity == INDIVIDUAL and portal != "individual":
        raise AuthError("accounts.use_individual_portal", field="portal")


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() + 59) // 60)


def login_with_password(
    identifier: str, password: str, *, portal: str, now: datetime | None = None
) -> LoginResult:
    """Log in with username, phone or e-mail and password. Five misses in a row lock 15 minutes."""
    now = now or utcnow()
    if not password:
        raise ValidationError("identity.password_required", field="password")
    refusal: AuthError | None = None
    with db.session_scope() as session:
        account = _find_by_login(session, identifier)
        if account is None or not account.is_active:
            _password_matches(_dummy_hash(), password)
            raise AuthError("accounts.bad_credentials", field="password")
        if account.locked_until and account.locked_until > now:
            raise AuthError("accounts.locked", minutes=_minutes_left(account.locked_until, now))
        if not _password_matches(account.password_hash, password):
            account.failed_logins += 1
            if account.failed_logins >= MAX_FAILED_LOGINS:
                account.failed_logins = 0
                account.locked_until = now + LOCK_FOR
                audit.record(session, "account.locked", actor_id=None, entity="account",
                             entity_id=account.id, now=now)
                refusal = AuthError("accounts.locked", minutes=int(LOCK_FOR.total_seconds() // 60))
            else:
                refusal = AuthError(
                    "accounts.bad_password", field="password",
                    left=MAX_FAILED_LOGINS - account.failed_logins,
                )
            session.add(account)
        else:
            _check_portal(account, portal)
            account.failed_logins = 0
            account.locked_until = None
            if _hasher.check_needs_rehash(account.password_hash):
                account.password_hash = hash_password(password)
            session.add(account)
            audit.record(session, "account.login", actor_id=account.id, entity="account",
                         entity_id=account.id, now=now, method="password")
            info = AccountInfo.of(account)
    # Raised after the block so the failure counter is committed, not rolled back.
    if refusal is not None:
        raise refusal
    return LoginResult(info, sessions.begin(info.id, now=now))


def send_login_code(phone: str, *, now: datetime | None = None) -> codes.SentCode:
    """Send a log-in code to a registered phone."""
    phone = clean_phone(phone)
    with db.session_scope() as session:
        if not session.exec(select(Account.id).where(Account.phone == phone)).first():
            raise NotFoundError("accounts.phone_unknown", field="phone")
        return codes.issue_code(session, codes.LOGIN, phone, now=now)


def login_with_code(phone: str, code: str, *, portal: str, now: datetime | None = None) -> LoginResult:
    """Log in with the phone and an SMS code (works while the password is locked)."""
    now = now or utcnow()
    phone = clean_phone(phone)
    with db.session_scope() as session:
        account = session.exec(select(Account).where(Account.phone == phone)).first()
        if account is None or not account.is_active:
            raise NotFoundError("accounts.phone_unknown", field="phone")
        codes.consume_code(session, codes.LOGIN, phone, code, now=now)
        _check_portal(account, portal)
        audit.record(session, "account.login", actor_id=account.id, entity="account",
                     entity_id=account.id, now=now, method="code")
        info = AccountInfo.of(account)
    return LoginResult(info, sessions.begin(info.id, now=now))


# --- password recovery and change ------------------------------------------------------------


def _reset_target(channel: str, target: str) -> tuple[str, str]:
    if channel == "phone":
        return "phone", clean_phone(target, field="target")
    if channel == "email":
        return "email", clean_email(target, field="target")
    raise ValidationError("accounts.channel_required", field="channel")


def send_reset_code(channel: str, target: str, *, now: datetime | None = None) -> codes.SentCode:
    """找回密码 step 1: a code to the account's phone or e-mail."""
    column, value = _reset_target(channel, target)
    with db.session_scope() as session:
        if not session.exec(select(Account.id).where(getattr(Account, column) == value)).first():
            raise NotFoundError(f"accounts.{column}_unknown", field="target")
        return codes.issue_code(session, codes.RESET, value, now=now)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def verify_reset_code(
    channel: str, target: str, code: str, *, now: datetime | None = None
) -> str:
    """找回密码 step 2: the code checks out; returns a 15-minute grant for setting the password."""
    now = now or utcnow()
    column, value = _reset_target(channel, target)
    with db.session_scope() as session:
        account = session.exec(select(Account).where(getattr(Account, column) == value)).first()
        if account is None:
            raise NotFoundError(f"accounts.{column}_unknown", field="target")
        codes.consume_code(session, codes.RESET, value, code, now=now)
        token = secrets.token_urlsafe(32)
        session.add(
            Grant(purpose="reset", account_id=account.id, token_hash=_digest(token),
                  expires_at=now + GRANT_TTL)
        )
        return token


def reset_password(grant: str, password: str, confirm: str, *, now: datetime | None = None) -> None:
    """找回密码 step 3: set the new password, unlock, and end every session of the account."""
    now = now or utcnow()
    check_password(password, confirm)
    with db.session_scope() as session:
        row = session.exec(
            select(Grant).where(Grant.token_hash == _digest(grant or ""), Grant.purpose == "reset")
        ).first()
        if row is None or row.used_at is not None or row.expires_at <= now:
            raise AuthError("accounts.reset_expired")
        row.used_at = now
        account = session.get(Account, row.account_id)
        _set_password(session, account, password, now)
        audit.record(session, "account.password_reset", actor_id=account.id, entity="account",
                     entity_id=account.id, now=now)


def _set_password(session: Session, account: Account, password: str, now: datetime) -> None:
    account.password_hash = hash_password(password)
    account.password_changed_at = now
    account.failed_logins = 0
    account.locked_until = None
    session.add(account)
    sessions.end_all(session, account.id)


def change_password(
    account_id: int, old: str, new: str, confirm: str, *, now: datetime | None = None
) -> None:
    """账户管理 → 修改密码: the old password is required; every session ends."""
    now = now or utcnow()
    check_password(new, confirm)
    with db.session_scope() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFoundError("accounts.not_found")
        if not _password_matches(account.password_hash, old or ""):
            raise AuthError("accounts.old_password_wrong", field="old_password")
        if old == new:
            raise ValidationError("accounts.password_same", field="password")
        _set_password(session, account, new, now)
        audit.record(session, "account.password_changed", actor_id=account.id, entity="account",
                     entity_id=account.id, now=now)


def get_account(account_id: int) -> AccountInfo:
    with db.session_scope() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFoundError("accounts.not_found")
        return AccountInfo.of(account)


def find_account_id(identifier: str) -> int | None:
    """The id of the account a username / phone / e-mail names, if any (tests, seed, CLI)."""
    with db.session_scope() as session:
        account = _find_by_login(session, identifier)
        return account.id if account else None


def count_accounts(role: str | None = None) -> int:
    with db.session_scope() as session:
        stmt = select(func.count()).select_from(Account)
        if role:
            stmt = stmt.where(Account.role == role)
        return session.exec(stmt).one()


# --- account management (账户管理) -----------------------------------------------------------


def send_change_code(account_id: int, which: str, target: str = "", *,
                     now: datetime | None = None) -> codes.SentCode:
    """Codes for changing contacts: ``old_phone`` (the current number), ``new_phone``, ``new_email``."""
    with db.session_scope() as session:
        account = _holder_account(session, account_id)
        if which == "old_phone":
            return codes.issue_code(session, codes.CHANGE_CONTACT, account.phone, context="old", now=now)
        if which == "new_phone":
            phone = clean_phone(target, field="new_phone")
            if phone == account.phone:
                raise ValidationError("accounts.phone_same", field="new_phone")
            if session.exec(select(Account.id).where(Account.phone == phone)).first():
                raise ConflictError("accounts.phone_taken", field="new_phone")
            return codes.issue_code(session, codes.CHANGE_CONTACT, phone, context="new", now=now)
        if which == "new_email":
            email = clean_email(target, field="new_email")
            if session.exec(select(Account.id).where(Account.email == email,
                                                     Account.id != account_id)).first():
                raise ConflictError("accounts.email_taken", field="new_email")
            return codes.issue_code(session, codes.CHANGE_CONTACT, email, context="new", now=now)
    raise ValueError(f"unknown contact change {which!r}")


def _holder_account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFoundError("accounts.not_found")
    return account


def _save_unique(session: Session, account: Account, field: str) -> None:
    """Flush a contact change; the unique index decides a race for the same number or address."""
    try:
        with session.begin_nested():
            session.add(account)
            session.flush()
    except IntegrityError:
        key = "accounts.phone_taken" if field == "new_phone" else "accounts.email_taken"
        raise ConflictError(key, field=field) from None


def change_phone(account_id: int, old_code: str, new_phone: str, new_code: str, *,
                 now: datetime | None = None) -> AccountInfo:
    """修改手机号: a code to the old number and one to the new; the new number must be free."""
    now = now or utcnow()
    new_phone = clean_phone(new_phone, field="new_phone")
    with db.session_scope() as session:
        account = _holder_account(session, account_id)
        codes.consume_code(session, codes.CHANGE_CONTACT, account.phone, old_code, context="old",
                           now=now, field="old_code")
        codes.consume_code(session, codes.CHANGE_CONTACT, new_phone, new_code, context="new",
                           now=now, field="new_code")
        old = account.phone
        account.phone = new_phone
        _save_unique(session, account, "new_phone")
        audit.record(session, "account.phone_changed", actor_id=account_id, entity="account",
                     entity_id=account_id, now=now, old=old[-4:] if old else None, new=new_phone[-4:])
        notices.notify(session, account_id, "contact_changed", now=now, what="phone",
                       value=mask_phone(new_phone))
        return AccountInfo.of(account)


def change_email(account_id: int, new_email: str, code: str, *, now: datetime | None = None) -> AccountInfo:
    """修改邮箱: a code to the new address."""
    now = now or utcnow()
    new_email = clean_email(new_email, field="new_email")
    with db.session_scope() as session:
        account = _holder_account(session, account_id)
        codes.consume_code(session, codes.CHANGE_CONTACT, new_email, code, context="new", now=now,
                           field="new_code")
        account.email = new_email
        _save_unique(session, account, "new_email")
        audit.record(session, "account.email_changed", actor_id=account_id, entity="account",
                     entity_id=account_id, now=now)
        notices.notify(session, account_id, "contact_changed", now=now, what="email",
                       value=mask_email(new_email))
        return AccountInfo.of(account)


def change_institution_name(account_id: int, name: str, *, now: datetime | None = None) -> AccountInfo:
    """修改机构名称: only before certification; a certified name changes through 重新认证."""
    now = now or utcnow()
    name = clean_org_name(name, field="institution_name")
    with db.session_scope() as session:
        account = _holder_account(session, account_id)
        if account.identity != INSTITUTION or account.employer_id:
            raise PermissionDenied("accounts.not_institution_admin")
        if account.certified_request_id:
            raise StateError("accounts.name_certified", field="institution_name")
        account.institution_name = name
        session.add(account)
        audit.record(session, "account.institution_renamed", actor_id=account_id, entity="account",
                     entity_id=account_id, now=now)
        return AccountInfo.of(account)


# --- employees (添加员工账户) ----------------------------------------------------------------------


def add_employee(admin_id: int, *, username: str, display_name: str, password: str, confirm: str,
                 phone: str = "", now: datetime | None = None) -> AccountInfo:
    """An institution admin adds an employee who logs in with their own credentials."""
    now = now or utcnow()
    fields = FieldCollector()
    username = fields.check("username", clean_username, username)
    display_name = fields.check("display_name", clean_person_name, display_name, "display_name")
    phone = fields.check("phone", clean_phone, phone) if (phone or "").strip() else None
    fields.check("password", check_password, password, confirm)
    fields.raise_if_any()
    with db.session_scope() as session:
        admin = _holder_account(session, admin_id)
        if admin.identity != INSTITUTION or admin.employer_id or admin.role != APPLICANT:
            raise PermissionDenied("accounts.not_institution_admin")
        employee = create_account(
            session, username=username, identity=INSTITUTION, password=password, phone=phone,
            display_name=display_name, institution_name=admin.institution_name, employer_id=admin.id,
            now=now,
        )
        notices.notify(session, admin.id, "employee_added", now=now, username=username)
        return AccountInfo.of(employee)


def employees(admin_id: int) -> list[AccountInfo]:
    with db.session_scope() as session:
        rows = session.exec(select(Account).where(Account.employer_id == admin_id)
                            .order_by(col(Account.id))).all()
        return [AccountInfo.of(a) for a in rows]


def set_employee_active(admin_id: int, employee_id: int, active: bool, *, now: datetime | None = None) -> None:
    """Disable or re-enable an employee; disabling ends their log-ins at once."""
    now = now or utcnow()
    with db.session_scope() as session:
        employee = session.get(Account, employee_id)
        if employee is None or employee.employer_id != admin_id:
            raise NotFoundError("accounts.not_found")
        employee.is_active = active
        session.add(employee)
        if not active:
            sessions.end_all(session, employee.id)
        audit.record(session, "account.employee_enabled" if active else "account.employee_disabled",
                     actor_id=admin_id, entity="account", entity_id=employee_id, now=now)


# --- addresses (地址管理) ------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressInfo:
    id: int
    recipient: str
    phone: str
    region: str
    detail: str
    postcode: str
    is_default: bool


def _clean_address(recipient: str, phone: str, region: str, detail: str, postcode: str) -> dict:
    fields = FieldCollector()
    values = {
        "recipient": fields.check("recipient", clean_person_name, recipient, "recipient"),
        "phone": fields.check("address_phone", clean_phone, phone, "address_phone"),
        "region": (region or "").strip(),
        "detail": (detail or "").strip(),
        "postcode": (postcode or "").strip(),
    }
    if not values["region"]:
        fields.add(ValidationError("accounts.region_required", field="region"))
    if not 4 <= len(values["detail"]) <= 200:
        fields.add(ValidationError("accounts.detail_required", field="detail"))
    if values["postcode"] and not (values["postcode"].isdigit() and len(values["postcode"]) == 6):
        fields.add(ValidationError("accounts.postcode_invalid", field="postcode"))
    fields.raise_if_any()
    return values


def addresses(account_id: int) -> list[AddressInfo]:
    """Default first, then newest."""
    with db.session_scope() as session:
        rows = session.exec(select(Address).where(Address.account_id == account_id)
                            .order_by(col(Address.is_default).desc(), col(Address.id).desc())).all()
        return [AddressInfo(a.id, a.recipient, a.phone, a.region, a.detail, a.postcode, a.is_default)
                for a in rows]


def save_address(account_id: int, *, recipient: str, phone: str, region: str, detail: str,
                 postcode: str = "", make_default: bool = False, address_id: int | None = None) -> int:
    """Add or edit an address. The first address, or one marked default, becomes the only default."""
    values = _clean_address(recipient, phone, region, detail, postcode)
    with db.session_scope() as session:
        if address_id is None:
            row = Address(account_id=account_id, **values)
        else:
            row = session.get(Address, address_id)
            if row is None or row.account_id != account_id:
                raise NotFoundError("accounts.address_not_found")
            for name, value in values.items():
                setattr(row, name, value)
        has_default = session.exec(select(Address.id).where(
            Address.account_id == account_id, col(Address.is_default))).first()
        session.add(row)
        session.flush()
        if make_default or not has_default:
            _make_default(session, account_id, row.id)
        return row.id


def _make_default(session: Session, account_id: int, address_id: int) -> None:
    for row in session.exec(select(Address).where(Address.account_id == account_id)).all():
        row.is_default = row.id == address_id
        session.add(row)


def set_default_address(account_id: int, address_id: int) -> None:
    with db.session_scope() as session:
        row = session.get(Address, address_id)
        if row is None or row.account_id != account_id:
            raise NotFoundError("accounts.address_not_found")
        _make_default(session, account_id, address_id)


def delete_address(account_id: int, address_id: int) -> None:
    """Delete; if it was the default, the newest remaining address becomes the default."""
    with db.session_scope() as session:
        row = session.get(Address, address_id)
        if row is None or row.account_id != account_id:
            raise NotFoundError("accounts.address_not_found")
        was_default = row.is_default
        session.delete(row)
        session.flush()
        if was_default:
            newest = session.exec(select(Address).where(Address.account_id == account_id)
                                  .order_by(col(Address.id).desc())).first()
            if newest is not None:
                _make_default(session, account_id, newest.id)
