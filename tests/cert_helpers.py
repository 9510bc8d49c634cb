"""Shared arrangements for certification tests: valid forms, photos, a quick checker."""

from __future__ import annotations

import io
import re
from datetime import datetime

from PIL import Image, ImageDraw

from core import accounts, certification, codes, db

PASSWORD = "Secret123"

INDIVIDUAL_FORM = {
    "real_name": "张伟", "gender": "male", "birth_date": "1990-03-07", "id_type": "resident_id",
    "id_number": "110105199003071239", "id_valid_from": "2015-05-01", "id_valid_to": "2035-05-01",
    "id_long_term": False,
}
INSTITUTION_FORM = {
    "nationality": "CN", "province": "北京市", "city": "海淀区", "org_type": "enterprise",
    "org_name": "北京星河软件技术有限公司", "founded_on": "2012-06-18", "cert_type": "uscc",
    "cert_number": "91350100M000100Y43", "cert_valid_from": "2012-06-18", "cert_valid_to": None,
    "cert_long_term": True,
    "admin_real_name": "李娜", "admin_gender": "female", "admin_birth_date": "1985-11-20",
    "admin_id_type": "resident_id", "admin_id_number": "110108198511204565",
    "admin_id_valid_from": "2016-01-01", "admin_id_valid_to": None, "admin_id_long_term": True,
}


def photo_bytes(width: int = 1600, height: int = 1000, fmt: str = "JPEG", seed: int = 0) -> bytes:
    """A simple card-like photo, different for each seed."""
    image = Image.new("RGB", (width, height), (230 - seed % 50, 226, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle([width // 8, height // 8, width * 7 // 8, height * 7 // 8], outline=(20, 20, 20), width=6)
    for i in range(8):
        y = height // 5 + i * height // 12
        draw.line([(width // 5, y), (width // 5 + (seed * 37 + i * 91) % (width // 2), y)], fill=(30, 30, 30), width=5)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def quick_checker(data: bytes, slot: str) -> dict:
    """Stands in for the OCR-based check where a test is about storage and transactions."""
    import hashlib

    return {"problems": [], "phash": hashlib.sha256(data).hexdigest()[:16], "kind": slot}


def make_account(username: str = "zhangwei", phone: str = "13800138000",
                 identity: str = "individual", **extra: object) -> int:
    with db.session_scope() as session:
        return accounts.create_account(session, username=username, identity=identity,
                                       password=PASSWORD, phone=phone, **extra).id


def code_for(target: str) -> str:
    return re.search(r"(\d{6})", codes.outbox(target)[0].body).group(1)


def verify_contacts(account_id: int, request_id: int, email: str, now: datetime | None = None) -> None:
    phone = accounts.get_account(account_id).phone
    certification.send_contact_code(account_id, "email", email, now=now)
    certification.send_contact_code(account_id, "phone", now=now)
    certification.verify_contacts(account_id, request_id, email=email, email_code=code_for(email),
                                  phone_code=code_for(phone), now=now)


def ready_draft(account_id: int, form: dict | None = None, *, email: str | None = None,
                now: datetime | None = None, seed: int = 0) -> int:
    """A draft with contacts verified, the form filled and both photos attached."""
    draft = certification.open_draft(account_id, now=now)
    if not draft.data.get("contacts_verified"):
        verify_contacts(account_id, draft.id, email or f"u{account_id}@example.com", now=now)
    form = form or (INSTITUTION_FORM if draft.identity == "institution" else INDIVIDUAL_FORM)
    certification.save_draft(account_id, draft.id, form, now=now)
    for i, slot in enumerate(certification.SLOTS[draft.identity]):
        certification.attach_photo(account_id, draft.id, slot, photo_bytes(seed=seed * 10 + i + account_id * 100),
                                   checker=quick_checker, now=now)
    return draft.id


def submit_and_decide(account_id: int, *, approve: bool, reasons: list[str] | None = None, text: str = "",
                      now: datetime | None = None) -> int:
    """A ready request submitted and decided by a reviewer (created on first use); returns its id."""
    from core import review

    request_id = ready_draft(account_id, now=now)
    certification.submit(account_id, request_id, now=now)
    reviewer = accounts.find_account_id("shenhe01") or make_account("shenhe01", "13900000001", role="reviewer")
    review.claim(request_id, reviewer, now=now)
    review.decide(request_id, reviewer, approve=approve, reasons=reasons, text=text, now=now)
    return request_id
