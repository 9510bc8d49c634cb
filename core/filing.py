"""版权登记: the business gate (certified accounts only) and 一表一码 for software forms.

Every form needs its own authorisation code (授权码), sent to the registered phone of the
account that owns the form and bound to that form: a code never works for another form.
Employees of an institution file for it: the form belongs to the institution's account and the
code goes to the institution's registered phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from core import audit, codes, db, notices
from core.clock import china_date, utcnow
from core.errors import FieldCollector, NotFoundError, PermissionDenied, StateError, ValidationError
from core.models import Account, FilingForm

# R11 计算机软件著作权登记申请 is filed here; the other two are listed so the gate is the same.
BUSINESSES = ("R11", "R41", "contract")
FILED_HERE = ("R11",)
_VERSION = re.compile(r"^[Vv]?\d+(\.\d+){0,3}$")


@dataclass(frozen=True)
class FormView:
    id: int
    kind: str
    status: str
    data: dict[str, Any]
    created_at: datetime
    submitted_at: datetime | None


def _view(row: FilingForm) -> FormView:
    return FormView(row.id, row.kind, row.status, dict(row.data or {}), row.created_at, row.submitted_at)


def owner_of(session: Session, account_id: int) -> Account:
    """The account that files: the institution for its employees, otherwise the account itself."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFoundError("accounts.not_found")
    return session.get(Account, account.employer_id) if account.employer_id else account


def is_certified(account_id: int) -> bool:
    with db.session_scope() as session:
        return owner_of(session, account_id).certified_request_id is not None


def open_business(account_id: int, kind: str) -> None:
    """The gate: raises PermissionDenied("filing.not_certified") for an uncertified account."""
    if kind not in BUSINESSES:
        raise NotFoundError("filing.unknown_business")
    if not is_certified(account_id):
        raise PermissionDenied("filing.not_certified")
    if kind not in FILED_HERE:
        raise StateError("filing.offline_only", kind=kind)


def start_form(account_id: int, kind: str = "R11", *, now: datetime | None = None) -> FormView:
    """A new draft form for a certified account (the open draft of that kind if one exists)."""
    open_business(account_id, kind)
    now = now or utcnow()
    with db.session_scope() as session:
        owner = owner_of(session, account_id)
        row = session.exec(select(FilingForm).where(
            FilingForm.account_id == owner.id, FilingForm.kind == kind, FilingForm.status == "draft")
        ).first()
        if row is None:
            holder = owner.institution_name or owner.display_name or owner.username
            row = FilingForm(account_id=owner.id, kind=kind, created_at=now,
                             data={"rights_holders": [holder]})
            session.add(row)
            session.flush()
            audit.record(session, "filing.started", actor_id=account_id, entity="filing",
                         entity_id=row.id, now=now, kind=kind)
        return _view(row)


def _own_form(session: Session, account_id: int, form_id: int) -> tuple[Account, FilingForm]:
    owner = owner_of(session, account_id)
    row = session.get(FilingForm, form_id)
    if row is None or row.account_id != owner.id:
        raise NotFoundError("filing.not_found")
    return owner, row


def send_form_code(account_id: int, form_id: int, *, now: datetime | None = None) -> codes.SentCode:
    """获取授权码: a code for this one form, to the owner's registered phone."""
    with db.session_scope() as session:
        owner, row = _own_form(session, account_id, form_id)
        if row.status != "draft":
            raise StateError("filing.already_submitted")
        return codes.issue_code(session, codes.FORM_AUTH, owner.phone, context=f"form:{row.id}", now=now)


def _clean_r11(data: dict[str, Any], today: date) -> dict[str, Any]:
    fields = FieldCollector()
    name = (data.get("software_name") or "").strip()
    if not name or len(name) > 100:
        fields.add(ValidationError("filing.name_required", field="software_name"))
    version = (data.get("version") or "").strip()
    if not _VERSION.match(version):
        fields.add(ValidationError("filing.version_invalid", field="version"))
    completed = _date(fields, data.get("completed_on"), "completed_on")
    if completed and completed > today:
        fields.add(ValidationError("filing.completed_future", field="completed_on"))
    published = bool(data.get("published"))
    first_pub = _date(fields, data.get("published_on"), "published_on") if published else None
    place = (data.get("published_place") or "").strip() if published else ""
    if published and first_pub and completed and first_pub < completed:
        fields.add(ValidationError("filing.published_before_completed", field="published_on"))
    if published and first_pub and first_pub > today:
        fields.add(ValidationError("filing.published_future", field="published_on"))
    if published and not place:
        fields.add(ValidationError("filing.place_required", field="published_place"))
    holders = [h.strip() for h in data.get("rights_holders") or [] if h and h.strip()]
    if not holders:
        fields.add(ValidationError("filing.holders_required", field="rights_holders"))
    fields.raise_if_any()
    return {"software_name": name, "version": version, "completed_on": completed.isoformat(),
            "published": published, "published_on": first_pub.isoformat() if first_pub else None,
            "published_place": place, "rights_holders": holders}


def _date(fields: FieldCollector, value: Any, name: str) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        fields.add(ValidationError("filing.date_required", field=name))
        return None


def submit_form(account_id: int, form_id: int, data: dict[str, Any], code: str, *,
                now: datetime | None = None) -> FormView:
    """Validate the R11 form and submit it with its own fresh authorisation code."""
    now = now or utcnow()
    clean = _clean_r11(data, china_date(now))
    with db.session_scope() as session:
        owner, row = _own_form(session, account_id, form_id)
        if row.status != "draft":
            raise StateError("filing.already_submitted")
        if owner.certified_request_id is None:
            raise PermissionDenied("filing.not_certified")
        codes.consume_code(session, codes.FORM_AUTH, owner.phone, code, context=f"form:{row.id}",
                           now=now, field="auth_code")
        row.data, row.status, row.submitted_at = clean, "submitted", now
        session.add(row)
        audit.record(session, "filing.submitted", actor_id=account_id, entity="filing",
                     entity_id=row.id, now=now, kind=row.kind)
        notices.notify(session, owner.id, "filing_submitted", now=now, form_id=row.id,
                       software=clean["software_name"], version=clean["version"])
        return _view(row)


def save_form(account_id: int, form_id: int, data: dict[str, Any]) -> FormView:
    """Keep a draft form's fields without checking them."""
    with db.session_scope() as session:
        _, row = _own_form(session, account_id, form_id)
        if row.status != "draft":
            raise StateError("filing.already_submitted")
        row.data = {**(row.data or {}), **{k: _stored(v) for k, v in data.items()}}
        session.add(row)
        return _view(row)


def _stored(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def draft_changed(form: FormView, values: dict[str, Any]) -> bool:
    """Whether typed values differ from what the draft holds (so autosave writes only on change)."""
    return any(form.data.get(k) != _stored(v) for k, v in values.items())


def forms(account_id: int) -> list[FormView]:
    """版权查询: the owner's forms, newest first."""
    with db.session_scope() as session:
        owner = owner_of(session, account_id)
        rows = session.exec(select(FilingForm).where(FilingForm.account_id == owner.id)
                            .order_by(col(FilingForm.id).desc())).all()
        return [_view(r) for r in rows]
