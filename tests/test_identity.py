"""Given a typed value, when it is cleaned, then it is normalised or refused with a field-bound key."""

from __future__ import annotations

from datetime import date

import pytest

from core import identity
from core.errors import ValidationError


@pytest.mark.parametrize(
    "raw, expected",
    [("13800138000", "13800138000"), ("+86 138 0013 8000", "13800138000"),
     ("0086-13800138000", "13800138000"), ("8613800138000", "13800138000"),
     (" 19912345678 ", "19912345678")],
)
def test_given_mainland_mobile_forms_when_cleaned_then_eleven_digits(raw: str, expected: str) -> None:
    assert identity.clean_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "abc", "+1 2025550123"])
def test_given_non_mainland_numbers_when_cleaned_then_phone_invalid(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        identity.clean_phone(raw)
    assert err.value.key == "identity.phone_invalid"
    assert err.value.field == "phone"


def test_given_empty_phone_then_required() -> None:
    with pytest.raises(ValidationError) as err:
        identity.clean_phone("  ")
    assert err.value.key == "identity.phone_required"


@pytest.mark.parametrize("raw", ["Zhang.San@Example.COM", "a_b+c@mail.example.cn"])
def test_given_valid_email_then_lowercased(raw: str) -> None:
    assert identity.clean_email(raw) == raw.lower()


@pytest.mark.parametrize("raw", ["no-at-sign", "a@b", "a@@b.com", "a b@c.com", "x@" + "a" * 250 + ".com"])
def test_given_bad_email_then_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        identity.clean_email(raw)
    assert err.value.key == "identity.email_invalid"


@pytest.mark.parametrize("raw", ["Zhang_San", "abcd", "a" * 20])
def test_given_valid_username_then_lowercased(raw: str) -> None:
    assert identity.clean_username(raw) == raw.lower()


@pytest.mark.parametrize("raw", ["abc", "1abcd", "a" * 21, "张三丰abc", "ab cd", "ab-cd"])
def test_given_bad_username_then_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        identity.clean_username(raw)
    assert err.value.key == "identity.username_invalid"


@pytest.mark.parametrize(
    "password, key",
    [("short1", "identity.password_length"), ("onlyletters", "identity.password_weak"),
     ("12345678", "identity.password_weak"), ("has space1", "identity.password_space"),
     ("x1" * 40, "identity.password_length"), ("", "identity.password_required")],
)
def test_given_weak_password_then_policy_key(password: str, key: str) -> None:
    with pytest.raises(ValidationError) as err:
        identity.check_password(password)
    assert err.value.key == key


def test_given_mismatched_confirmation_then_error_on_confirm_field() -> None:
    with pytest.raises(ValidationError) as err:
        identity.check_password("abcd1234", "abcd12345")
    assert (err.value.key, err.value.field) == ("identity.password_mismatch", "confirm")


@pytest.mark.parametrize(
    "raw, expected",
    [("zhangsan", ("username", "zhangsan")), ("ZhangSan", ("username", "zhangsan")),
     ("13800138000", ("phone", "13800138000")), ("+86 13800138000", ("phone", "13800138000")),
     ("A@B.cn", ("email", "a@b.cn"))],
)
def test_given_login_identifier_then_classified(raw: str, expected: tuple[str, str]) -> None:
    assert identity.classify_login(raw) == expected


def test_given_valid_resident_id_then_birth_date_and_gender_read() -> None:
    parsed = identity.parse_resident_id("11010519491231002x")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "female"  # 17th digit 2 is even
    assert parsed.province == "北京市"


@pytest.mark.parametrize(
    "raw, key",
    [("110105194912310023", "identity.id_checksum"), ("1101051949123100", "identity.id_length"),
     ("110105194913310021", "identity.id_invalid"), ("", "identity.id_required")],
)
def test_given_bad_resident_id_then_specific_key(raw: str, key: str) -> None:
    with pytest.raises(ValidationError) as err:
        identity.parse_resident_id(raw)
    assert err.value.key == key


def test_given_valid_credit_code_then_accepted() -> None:
    assert identity.clean_credit_code("91350100m000100y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "raw, key",
    [("91350100M000100Y44", "identity.credit_code_checksum"), ("9135", "identity.credit_code_invalid")],
)
def test_given_bad_credit_code_then_refused(raw: str, key: str) -> None:
    with pytest.raises(ValidationError) as err:
        identity.clean_credit_code(raw)
    assert err.value.key == key


@pytest.mark.parametrize("raw", ["张三", "阿依古丽·买买提", "John Smith"])
def test_given_real_names_then_accepted(raw: str) -> None:
    assert identity.clean_person_name(raw) == raw


@pytest.mark.parametrize("raw", ["张", "张三3", "<script>", "a" * 31])
def test_given_bad_names_then_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        identity.clean_person_name(raw)


def test_masks_hide_the_middle() -> None:
    assert identity.mask_id("11010519491231002X") == "1101********002X"
    assert identity.mask_phone("13800138000") == "138****8000"
    assert identity.mask_email("zhang@example.com") == "z***@example.com"
