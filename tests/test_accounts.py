"""Accounts: register with a code, one phone one holder, log-in both ways, lock-out, recovery."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from core import accounts, codes, db, sessions
from core.errors import AuthError, CodeError, ConflictError, FormInvalid, ValidationError
from core.models import Account, AuditEvent
from tests.race import race

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
PASSWORD = "Secret123"


def _code(target: str) -> str:
    return re.search(r"(\d{6})", codes.outbox(target)[0].body).group(1)


def register(username: str = "zhangsan", phone: str = "13800138000", identity: str = "individual",
             now: datetime = T0) -> accounts.AccountInfo:
    accounts.send_register_code(phone, now=now)
    return accounts.register(identity=identity, username=username, phone=phone, code=_code(phone),
                             password=PASSWORD, confirm=PASSWORD, now=now)


def test_given_valid_form_and_code_when_registering_then_account_with_argon2_hash() -> None:
    info = register(username="ZhangSan")
    assert info.username == "zhangsan" and info.role == "applicant" and info.identity == "individual"
    with db.session_scope() as session:
        row = session.get(Account, info.id)
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash
        audit_actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert "account.created" in audit_actions


def test_given_registered_phone_when_asking_a_code_then_refused_before_sending() -> None:
    register()
    with pytest.raises(ConflictError) as err:
        accounts.send_register_code("+86 138 0013 8000", now=T0 + timedelta(minutes=2))
    assert (err.value.key, err.value.field) == ("accounts.phone_taken", "phone")


def test_given_taken_username_then_refused_and_code_not_spent() -> None:
    register()
    accounts.send_register_code("13900139000", now=T0)
    code = _code("13900139000")
    with pytest.raises(ConflictError) as err:
        accounts.register(identity="individual", username="ZHANGSAN", phone="13900139000",
                          code=code, password=PASSWORD, confirm=PASSWORD, now=T0)
    assert err.value.key == "accounts.username_taken"
    info = accounts.register(identity="individual", username="lisi", phone="13900139000",
                             code=code, password=PASSWORD, confirm=PASSWORD, now=T0)
    assert info.username == "lisi"


def test_given_several_bad_fields_then_every_field_reported_at_once() -> None:
    with pytest.raises(FormInvalid) as err:
        accounts.register(identity="individual", username="1x", phone="123", code="",
                          password="short", confirm="short", now=T0)
    assert set(err.value.errors) == {"username", "phone", "password", "code"}


def test_given_wrong_code_when_registering_then_no_account() -> None:
    accounts.send_register_code("13800138000", now=T0)
    wrong = f"{(int(_code('13800138000')) + 1) % 10**6:06d}"
    with pytest.raises(CodeError):
        accounts.register(identity="individual", username="zhangsan", phone="13800138000",
                          code=wrong, password=PASSWORD, confirm=PASSWORD, now=T0)
    assert accounts.count_accounts() == 0


def test_given_two_simultaneous_registrations_with_one_phone_then_exactly_one_account(any_db: str) -> None:
    """The unique index, not a look-up, decides: both threads pass the friendly pre-check."""

    def create(name: str) -> None:
        with db.session_scope() as session:
            accounts.create_account(session, username=name, identity="individual",
                                    password=PASSWORD, phone="13800138000")

    outcomes = race(lambda: create("user0x"), lambda: create("user1x"), ok="created")
    assert sorted(outcomes) == ["accounts.phone_taken", "created"]
    assert accounts.count_accounts() == 1


@pytest.mark.parametrize("identifier", ["zhangsan", "ZhangSan", "13800138000", "+86 13800138000"])
def test_given_account_when_logging_in_by_name_or_phone_then_ticket_resolves(identifier: str) -> None:
    info = register()
    result = accounts.login_with_password(identifier, PASSWORD, portal="individual", now=T0)
    principal = sessions.resolve(ticket=result.ticket, now=T0)
    assert principal is not None and principal.account_id == info.id


def test_given_wrong_portal_then_told_which_portal() -> None:
    register(identity="institution")
    with pytest.raises(AuthError) as err:
        accounts.login_with_password("zhangsan", PASSWORD, portal="individual", now=T0)
    assert err.value.key == "accounts.use_institution_portal"


def test_given_unknown_user_then_same_message_as_wrong_password() -> None:
    with pytest.raises(AuthError) as err:
        accounts.login_with_password("nobody", PASSWORD, portal="individual", now=T0)
    assert err.value.key == "accounts.bad_credentials"


def test_given_five_wrong_passwords_in_a_row_then_locked_fifteen_minutes() -> None:
    register()
    lefts = []
    for i in range(4):
        with pytest.raises(AuthError) as err:
            accounts.login_with_password("zhangsan", "Wrong1234", portal="individual",
                                         now=T0 + timedelta(seconds=i))
        lefts.append(err.value.params["left"])
    assert lefts == [4, 3, 2, 1]
    with pytest.raises(AuthError) as err:
        accounts.login_with_password("zhangsan", "Wrong1234", portal="individual", now=T0)
    assert err.value.key == "accounts.locked" and err.value.params["minutes"] == 15
    # The right password does not open a locked account...
    with pytest.raises(AuthError) as err:
        accounts.login_with_password("zhangsan", PASSWORD, portal="individual",
                                     now=T0 + timedelta(minutes=14, seconds=59))
    assert err.value.key == "accounts.locked"
    # ...until the fifteen minutes are over.
    accounts.login_with_password("zhangsan", PASSWORD, portal="individual",
                                 now=T0 + timedelta(minutes=15))


def test_given_a_success_between_misses_then_counter_restarts() -> None:
    register()
    for _ in range(4):
        with pytest.raises(AuthError):
            accounts.login_with_password("zhangsan", "Wrong1234", portal="individual", now=T0)
    accounts.login_with_password("zhangsan", PASSWORD, portal="individual", now=T0)
    with pytest.raises(AuthError) as err:
        accounts.login_with_password("zhangsan", "Wrong1234", portal="individual", now=T0)
    assert err.value.params["left"] == 4


def test_given_phone_code_when_logging_in_then_session_even_while_locked() -> None:
    info = register()
    for _ in range(5):
        with pytest.raises(AuthError):
            accounts.login_with_password("zhangsan", "Wrong1234", portal="individual", now=T0)
    later = T0 + timedelta(minutes=2)
    accounts.send_login_code("13800138000", now=later)
    result = accounts.login_with_code("13800138000", _code("13800138000"), portal="individual",
                                      now=later)
    assert result.account.id == info.id


def test_given_unregistered_phone_then_no_login_code_sent() -> None:
    with pytest.raises(Exception) as err:
        accounts.send_login_code("13900139000", now=T0)
    assert err.value.key == "accounts.phone_unknown"
    assert codes.outbox("13900139000") == []


def test_given_reset_by_phone_then_new_password_works_old_does_not_and_sessions_end() -> None:
    register()
    old = accounts.login_with_password("zhangsan", PASSWORD, portal="individual", now=T0)
    later = T0 + timedelta(minutes=1)
    assert sessions.resolve(ticket=old.ticket, now=later) is not None
    accounts.send_reset_code("phone", "13800138000", now=later)
    grant = accounts.verify_reset_code("phone", "13800138000", _code("13800138000"), now=later)
    accounts.reset_password(grant, "NewPass456", "NewPass456", now=later)
    assert sessions.resolve(ticket=old.ticket, now=later) is None
    with pytest.raises(AuthError):
        accounts.login_with_password("zhangsan", PASSWORD, portal="individual", now=later)
    accounts.login_with_password("zhangsan", "NewPass456", portal="individual", now=later)
    with pytest.raises(AuthError) as err:
        accounts.reset_password(grant, "Other789x", "Other789x", now=later)
    assert err.value.key == "accounts.reset_expired"


def test_given_reset_by_email_of_unknown_address_then_not_found() -> None:
    with pytest.raises(Exception) as err:
        accounts.send_reset_code("email", "who@example.com", now=T0)
    assert err.value.key == "accounts.email_unknown"


def test_given_reset_grant_older_than_fifteen_minutes_then_refused() -> None:
    register()
    accounts.send_reset_code("phone", "13800138000", now=T0)
    grant = accounts.verify_reset_code("phone", "13800138000", _code("13800138000"), now=T0)
    with pytest.raises(AuthError):
        accounts.reset_password(grant, "NewPass456", "NewPass456", now=T0 + timedelta(minutes=16))


def test_given_change_password_then_old_required_and_every_session_ends() -> None:
    info = register()
    first = accounts.login_with_password("zhangsan", PASSWORD, portal="individual", now=T0)
    second = accounts.login_with_password("zhangsan", PASSWORD, portal="individual", now=T0)
    assert sessions.resolve(ticket=first.ticket, now=T0) is not None
    with pytest.raises(AuthError) as err:
        accounts.change_password(info.id, "Wrong1234", "NewPass456", "NewPass456", now=T0)
    assert err.value.field == "old_password"
    with pytest.raises(ValidationError):
        accounts.change_password(info.id, PASSWORD, PASSWORD, PASSWORD, now=T0)
    accounts.change_password(info.id, PASSWORD, "NewPass456", "NewPass456", now=T0)
    assert sessions.resolve(ticket=first.ticket, now=T0) is None
    assert sessions.resolve(ticket=second.ticket, now=T0) is None


def test_no_password_or_code_is_stored_in_clear() -> None:
    register()
    accounts.login_with_password("zhangsan", PASSWORD, portal="individual", now=T0)
    with db.get_engine().connect() as conn:
        dump = "\n".join(str(row) for table in ("account", "verificationcode", "authsession")
                         for row in conn.exec_driver_sql(f"SELECT * FROM {table}"))
    assert PASSWORD not in dump
    code = _code("13800138000")
    assert code not in dump.replace("13800138000", "")
