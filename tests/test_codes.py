"""Codes: six digits, hashed, five minutes, single use, five tries, sixty-second resend, bound."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from core import codes, db
from core.errors import CodeError, ValidationError
from core.models import OutboxMessage, VerificationCode
from tests.race import race

T0 = datetime(2026, 11, 2, 1, 0, 0, tzinfo=UTC)
PHONE = "13800138000"


def _sent_code(target: str = PHONE) -> str:
    body = codes.outbox(target)[0].body
    return re.search(r"(\d{6})", body).group(1)


def _consume(code: str, *, now: datetime, purpose: str = codes.REGISTER, target: str = PHONE,
             context: str = "") -> None:
    with db.session_scope() as session:
        codes.consume_code(session, purpose, target, code, context=context, now=now)


def test_given_a_sent_code_then_outbox_has_full_text_and_db_has_only_a_hash() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    code = _sent_code()
    message = codes.outbox(PHONE)[0]
    assert message.channel == "sms"
    assert message.body.startswith("【中国版权保护中心】") and "5分钟" in message.body
    with db.session_scope() as session:
        row = session.exec(select(VerificationCode)).one()
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_given_right_code_when_used_twice_then_second_use_refused() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    code = _sent_code()
    _consume(code, now=T0 + timedelta(seconds=30))
    with pytest.raises(CodeError) as err:
        _consume(code, now=T0 + timedelta(seconds=31))
    assert err.value.key == "codes.used"


def test_given_code_when_five_minutes_pass_then_expired_but_not_one_second_before() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    code = _sent_code()
    with pytest.raises(CodeError) as err:
        _consume(code, now=T0 + timedelta(minutes=5))
    assert err.value.key == "codes.expired"
    codes.send_code(codes.REGISTER, PHONE, now=T0 + timedelta(minutes=6))
    fresh = _sent_code()
    _consume(fresh, now=T0 + timedelta(minutes=10, seconds=59))


def test_given_five_wrong_tries_then_code_void_even_for_the_right_one() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    code = _sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    lefts = []
    for _ in range(4):
        with pytest.raises(CodeError) as err:
            _consume(wrong, now=T0)
        lefts.append(err.value.params["left"])
    assert lefts == [4, 3, 2, 1]
    with pytest.raises(CodeError) as err:
        _consume(wrong, now=T0)
    assert err.value.key == "codes.too_many_attempts"
    with pytest.raises(CodeError) as err:
        _consume(code, now=T0)
    assert err.value.key == "codes.void"


def test_given_wrong_try_when_caller_rolls_back_then_attempt_still_counted() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    code = _sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    with pytest.raises(CodeError):
        with db.session_scope() as session:
            codes.consume_code(session, codes.REGISTER, PHONE, wrong, now=T0)
    with db.session_scope() as session:
        assert session.exec(select(VerificationCode)).one().attempts == 1


def test_given_a_code_when_resent_within_sixty_seconds_then_refused_with_wait() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    with pytest.raises(CodeError) as err:
        codes.send_code(codes.REGISTER, PHONE, now=T0 + timedelta(seconds=45))
    assert err.value.key == "codes.cooldown" and err.value.params["seconds"] == 16
    codes.send_code(codes.REGISTER, PHONE, now=T0 + timedelta(seconds=60))


def test_given_a_resent_code_then_the_older_code_is_void() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    first = _sent_code()
    codes.send_code(codes.REGISTER, PHONE, now=T0 + timedelta(seconds=61))
    second = _sent_code()
    if first != second:
        with pytest.raises(CodeError):
            _consume(first, now=T0 + timedelta(seconds=62))
    _consume(second, now=T0 + timedelta(seconds=63))


def test_given_code_for_one_purpose_then_useless_for_another() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    code = _sent_code()
    with pytest.raises(CodeError) as err:
        _consume(code, now=T0, purpose=codes.RESET)
    assert err.value.key == "codes.not_sent"


def test_given_code_for_one_target_then_useless_for_another() -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    code = _sent_code()
    with pytest.raises(CodeError):
        _consume(code, now=T0, target="13900139000")


def test_given_code_bound_to_one_form_then_useless_for_another_form() -> None:
    codes.send_code(codes.FORM_AUTH, PHONE, context="form:1", now=T0)
    code = _sent_code()
    with pytest.raises(CodeError):
        _consume(code, now=T0, purpose=codes.FORM_AUTH, context="form:2")
    _consume(code, now=T0, purpose=codes.FORM_AUTH, context="form:1")


@pytest.mark.parametrize("typed, key", [("", "codes.required"), ("12345", "codes.format"),
                                        ("12a456", "codes.format")])
def test_given_malformed_code_then_format_error_without_spending_a_try(typed: str, key: str) -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    with pytest.raises((CodeError, ValidationError)) as err:
        _consume(typed, now=T0)
    assert err.value.key == key
    with db.session_scope() as session:
        assert session.exec(select(VerificationCode)).one().attempts == 0


def test_given_e_mail_target_then_sent_as_e_mail_with_subject() -> None:
    codes.send_code(codes.RESET, "a@example.com", now=T0)
    message = codes.outbox("a@example.com")[0]
    assert message.channel == "email" and message.subject


def test_given_two_threads_using_one_code_then_exactly_one_succeeds(any_db: str) -> None:
    codes.send_code(codes.REGISTER, PHONE, now=T0)
    code = _sent_code()
    outcomes = race(lambda: _consume(code, now=T0), lambda: _consume(code, now=T0))
    assert sorted(outcomes) == ["codes.used", "ok"]


def test_given_configured_gateway_then_pages_need_no_change(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTDESK_SENDER", f"{__name__}:RecordingGateway")
    RecordingGateway.sent.clear()
    codes.send_code(codes.LOGIN, PHONE, now=T0)
    assert not codes.sending_is_simulated()
    assert RecordingGateway.sent[0].target == PHONE
    with db.session_scope() as session:
        assert session.exec(select(OutboxMessage)).all() == []


class RecordingGateway:
    """Stands where an SMS gateway client would: it records instead of calling out."""

    simulated = False
    sent: list[codes.Outgoing] = []

    def send(self, session, message: codes.Outgoing) -> None:  # noqa: ANN001
        self.sent.append(message)
