"""Rules for the identifiers people type: phone, e-mail, username, password, ID number, credit code.

Each ``clean_*`` function returns the normalised value or raises ValidationError with a
message key and the form field it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from core.errors import ValidationError

_PHONE = re.compile(r"^1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,19}$")
# Chinese names may carry the middle dot of minority and foreign names (·).
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fa5·•A-Za-z][\u4e00-\u9fa5·•A-Za-z .]{0,28}[\u4e00-\u9fa5A-Za-z.]$")

PASSWORD_MIN = 8
PASSWORD_MAX = 64


def clean_phone(raw: str, field: str = "phone") -> str:
    """A mainland mobile number as 11 digits; accepts +86 / 0086 prefixes, spaces and dashes."""
    if not re.sub(r"[\s\-]", "", raw or ""):
        raise ValidationError("identity.phone_required", field=field)
    phone = as_phone(raw)
    if phone is None:
        raise ValidationError("identity.phone_invalid", field=field)
    return phone


def as_phone(raw: str) -> str | None:
    """The 11-digit number if ``raw`` is a mainland mobile number in any usual form, else None."""
    digits = re.sub(r"[\s\-]", "", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
            break
    return digits if _PHONE.match(digits) else None


def clean_email(raw: str, field: str = "email") -> str:
    """An e-mail address, trimmed and lower-cased."""
    value = (raw or "").strip().lower()
    if not value:
        raise ValidationError("identity.email_required", field=field)
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValidationError("identity.email_invalid", field=field)
    return value


def clean_username(raw: str, field: str = "username") -> str:
    """4-20 letters, digits or underscores, starting with a letter; stored lower-case."""
    value = (raw or "").strip()
    if not value:
        raise ValidationError("identity.username_required", field=field)
    if not _USERNAME.match(value):
        raise ValidationError("identity.username_invalid", field=field)
    return value.lower()


def check_password(password: str, confirm: str | None = None, field: str = "password") -> str:
    """At least 8 characters with letters and digits; the confirmation must match."""
    if not password:
        raise ValidationError("identity.password_required", field=field)
    if len(password) < PASSWORD_MIN or len(password) > PASSWORD_MAX:
        raise ValidationError(
            "identity.password_length", field=field, min=PASSWORD_MIN, max=PASSWORD_MAX
        )
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise ValidationError("identity.password_weak", field=field)
    if any(ch.isspace() for ch in password):
        raise ValidationError("identity.password_space", field=field)
    if confirm is not None and confirm != password:
        raise ValidationError("identity.password_mismatch", field="confirm")
    return password


def classify_login(identifier: str) -> tuple[str, str]:
    """Which column a log-in name refers to: ("phone" | "email" | "username", normalised value)."""
    value = (identifier or "").strip()
    if not value:
        raise ValidationError("identity.login_required", field="identifier")
    if "@" in value:
        return "email", value.lower()
    compact = re.sub(r"[\s\-]", "", value)
    if compact.lstrip("+").isdigit():
        return "phone", clean_phone(compact, field="identifier")
    return "username", value.lower()


def clean_person_name(raw: str, field: str = "real_name") -> str:
    """A real name: 2-30 characters, Chinese or Latin letters, with · allowed inside."""
    value = re.sub(r"\s+", " ", (raw or "").strip())
    if not value:
        raise ValidationError("identity.name_required", field=field)
    if not _PERSON_NAME.match(value):
        raise ValidationError("identity.name_invalid", field=field)
    return value


def clean_org_name(raw: str, field: str = "org_name") -> str:
    """An institution's full name: 2-100 characters, no control characters."""
    value = re.sub(r"\s+", " ", (raw or "").strip())
    if not value:
        raise ValidationError("identity.org_name_required", field=field)
    if len(value) < 2 or len(value) > 100 or any(ord(ch) < 32 for ch in value):
        raise ValidationError("identity.org_name_invalid", field=field)
    return value


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    gender: str  # "male" | "female"
    province: str | None


def parse_resident_id(raw: str, field: str = "id_number") -> ResidentId:
    """A mainland resident ID number (居民身份证), checksum and birth date verified by python-stdnum."""
    value = (raw or "").strip().upper()
    if not value:
        raise ValidationError("identity.id_required", field=field)
    try:
        number = ric.validate(value)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError("identity.id_checksum", field=field) from exc
    except stdnum_errors.InvalidLength as exc:
        raise ValidationError("identity.id_length", field=field) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError("identity.id_invalid", field=field) from exc
    # The 17th digit is odd for men and even for women (GB 11643).
    gender = "male" if int(number[16]) % 2 else "female"
    # validate() has already checked that the region code is known for the birth date.
    province = ric.get_birth_place(number).get("province")
    return ResidentId(number, ric.get_birth_date(number), gender, province)


def clean_credit_code(raw: str, field: str = "credit_code") -> str:
    """A unified social credit code (统一社会信用代码), checksum verified by python-stdnum."""
    value = (raw or "").strip().upper()
    if not value:
        raise ValidationError("identity.credit_code_required", field=field)
    try:
        return uscc.validate(value)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError("identity.credit_code_checksum", field=field) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError("identity.credit_code_invalid", field=field) from exc


def mask_id(number: str | None) -> str:
    """1101********002X: first four and last four shown; eight stars whatever the length."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * 8
    return number[:4] + "*" * 8 + number[-4:]


def mask_phone(phone: str | None) -> str:
    """138****8000."""
    if not phone or len(phone) != 11:
        return phone or ""
    return phone[:3] + "****" + phone[-4:]


def mask_email(email: str | None) -> str:
    """z***@example.com."""
    if not email or "@" not in email:
        return email or ""
    local, domain = email.split("@", 1)
    return (local[:1] + "***@" + domain) if local else email
