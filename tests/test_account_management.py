"""账户管理: phone / e-mail changes with codes, institution name, employees, addresses."""

from __future__ import annotations

import pytest

from core import accounts, certification, db, notices
from core.clock import china_moment
from core.errors import AuthError, CodeError, ConflictError, NotFoundError, PermissionDenied, StateError
from tests.cert_helpers import PASSWORD, code_for, make_account, ready_draft
from tests.race import race

NOW = china_moment(2026, 11, 2, 10)


def test_given_codes_to_old_and_new_numbers_then_phone_changes_and_applicant_is_told() -> None:
    account_id = make_account()
    accounts.send_change_code(account_id, "old_phone", now=NOW)
    accounts.send_change_code(account_id, "new_phone", "13900139000", now=NOW)
    info = accounts.change_phone(account_id, code_for("13800138000"), "13900139000",
                                 code_for("13900139000"), now=NOW)
    assert info.phone == "13900139000"
    assert [n.kind for n in notices.inbox(account_id)] == ["contact_changed"]
    accounts.login_with_password("13900139000", PASSWORD, portal="individual", now=NOW)


def test_given_wrong_old_code_then_phone_unchanged() -> None:
    account_id = make_account()
    accounts.send_change_code(account_id, "old_phone", now=NOW)
    accounts.send_change_code(account_id, "new_phone", "13900139000", now=NOW)
    wrong = f"{(int(code_for('13800138000')) + 1) % 10**6:06d}"
    with pytest.raises(CodeError) as err:
        accounts.change_phone(account_id, wrong, "13900139000", code_for("13900139000"), now=NOW)
    assert err.value.field == "old_code"
    assert accounts.get_account(account_id).phone == "13800138000"


def test_given_a_taken_number_then_no_code_is_sent() -> None:
    account_id = make_account()
    make_account("lisi", "13900139000")
    with pytest.raises(ConflictError) as err:
        accounts.send_change_code(account_id, "new_phone", "13900139000", now=NOW)
    assert err.value.field == "new_phone"


def test_given_a_phone_change_racing_a_registration_for_that_number_then_one_wins(any_db: str) -> None:
    """Different purposes mean both codes are valid: the unique index alone decides."""
    account_id = make_account()
    accounts.send_change_code(account_id, "old_phone", now=NOW)
    accounts.send_change_code(account_id, "new_phone", "13900139000", now=NOW)
    old_code, new_code = code_for("13800138000"), code_for("13900139000")
    accounts.send_register_code("13900139000", now=NOW)
    register_code = code_for("13900139000")
    def change() -> str:
        accounts.change_phone(account_id, old_code, "13900139000", new_code, now=NOW)
        return "changed"

    def register() -> str:
        accounts.register(identity="individual", username="lisi", phone="13900139000",
                          code=register_code, password=PASSWORD, confirm=PASSWORD, now=NOW)
        return "registered"

    outcomes = race(change, register)
    assert sorted(outcomes) in (["accounts.phone_taken", "changed"], ["accounts.phone_taken", "registered"])
    with db.session_scope() as session:
        from sqlmodel import select

        from core.models import Account

        holders = session.exec(select(Account).where(Account.phone == "13900139000")).all()
    assert len(holders) == 1


def test_given_code_to_new_address_then_email_changes() -> None:
    account_id = make_account()
    accounts.send_change_code(account_id, "new_email", "New@Example.com", now=NOW)
    info = accounts.change_email(account_id, "new@example.com", code_for("new@example.com"), now=NOW)
    assert info.email == "new@example.com"


def test_given_certified_institution_then_name_changes_only_by_recertification() -> None:
    admin = make_account("xinghe", "13700137000", identity="institution", institution_name="星河")
    assert accounts.change_institution_name(admin, "北京星河软件有限公司").institution_name == "北京星河软件有限公司"
    request_id = ready_draft(admin, now=NOW)
    certification.submit(admin, request_id, now=NOW)
    with db.session_scope() as session:
        from core.models import CertificationRequest

        certification.apply_approval(session, session.get(CertificationRequest, request_id),
                                     reviewer_id=admin, now=NOW)
    with pytest.raises(StateError) as err:
        accounts.change_institution_name(admin, "别的名字有限公司")
    assert err.value.key == "accounts.name_certified"


def test_given_password_change_then_old_password_required() -> None:
    account_id = make_account()
    with pytest.raises(AuthError):
        accounts.change_password(account_id, "nope12345", "NewPass456", "NewPass456")
    accounts.change_password(account_id, PASSWORD, "NewPass456", "NewPass456")
    accounts.login_with_password("zhangwei", "NewPass456", portal="individual")


def test_given_institution_admin_then_employees_log_in_on_their_own_and_cannot_add_others() -> None:
    admin = make_account("xinghe", "13700137000", identity="institution", institution_name="星河软件")
    employee = accounts.add_employee(admin, username="xh_wang", display_name="王芳", password="Staff1234",
                                     confirm="Staff1234", now=NOW)
    assert employee.employer_id == admin and employee.user_type_key == "accounts.user_type.employee"
    result = accounts.login_with_password("xh_wang", "Staff1234", portal="institution", now=NOW)
    assert result.account.institution_name == "星河软件"
    with pytest.raises(PermissionDenied):
        accounts.add_employee(employee.id, username="xh_li", display_name="李雷", password="Staff1234",
                              confirm="Staff1234")
    with pytest.raises(PermissionDenied):
        certification.open_draft(employee.id)
    assert [e.username for e in accounts.employees(admin)] == ["xh_wang"]


def test_given_disabled_employee_then_log_in_refused_and_sessions_end() -> None:
    admin = make_account("xinghe", "13700137000", identity="institution")
    employee = accounts.add_employee(admin, username="xh_wang", display_name="王芳", password="Staff1234",
                                     confirm="Staff1234")
    ticket = accounts.login_with_password("xh_wang", "Staff1234", portal="institution").ticket
    accounts.set_employee_active(admin, employee.id, False)
    from core import sessions

    assert sessions.resolve(ticket=ticket) is None
    with pytest.raises(AuthError):
        accounts.login_with_password("xh_wang", "Staff1234", portal="institution")


def test_individuals_cannot_add_employees() -> None:
    account_id = make_account()
    with pytest.raises(PermissionDenied):
        accounts.add_employee(account_id, username="helper1", display_name="王芳", password="Staff1234",
                              confirm="Staff1234")


def test_addresses_keep_exactly_one_default() -> None:
    account_id = make_account()
    first = accounts.save_address(account_id, recipient="张伟", phone="13800138000", region="北京市海淀区",
                                  detail="中关村大街1号", postcode="100080")
    second = accounts.save_address(account_id, recipient="张伟", phone="13800138000", region="上海市徐汇区",
                                   detail="漕溪北路88号")
    assert [(a.id, a.is_default) for a in accounts.addresses(account_id)] == [(first, True), (second, False)]
    accounts.set_default_address(account_id, second)
    assert accounts.addresses(account_id)[0].id == second
    accounts.save_address(account_id, address_id=first, recipient="张伟", phone="13800138000",
                          region="北京市朝阳区", detail="建国路9号", postcode="100022")
    assert {a.region for a in accounts.addresses(account_id)} == {"北京市朝阳区", "上海市徐汇区"}
    accounts.delete_address(account_id, second)
    assert [(a.id, a.is_default) for a in accounts.addresses(account_id)] == [(first, True)]


def test_addresses_are_private_and_validated() -> None:
    owner, other = make_account(), make_account("lisi", "13900139000")
    address = accounts.save_address(owner, recipient="张伟", phone="13800138000", region="北京市",
                                    detail="中关村大街1号")
    with pytest.raises(NotFoundError):
        accounts.delete_address(other, address)
    from core.errors import FormInvalid

    with pytest.raises(FormInvalid) as err:
        accounts.save_address(owner, recipient="", phone="1", region="", detail="", postcode="12")
    assert set(err.value.errors) == {"recipient", "address_phone", "region", "detail", "postcode"}
