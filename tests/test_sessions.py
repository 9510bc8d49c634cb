"""Sessions: a one-time ticket becomes an HttpOnly cookie token; log-out ends it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import accounts, db, sessions

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _account() -> int:
    with db.session_scope() as session:
        return accounts.create_account(session, username="zhangsan", identity="individual",
                                       password="Secret123", phone="13800138000").id


def test_given_ticket_when_redeemed_then_token_resolves_and_ticket_cannot_be_redeemed_again() -> None:
    account_id = _account()
    ticket = sessions.begin(account_id, now=T0)
    token = sessions.redeem_ticket(ticket, now=T0 + timedelta(seconds=5))
    assert token and token != ticket
    assert sessions.resolve(token=token, now=T0).account_id == account_id
    assert sessions.redeem_ticket(ticket, now=T0 + timedelta(seconds=6)) is None


def test_given_stale_ticket_then_not_redeemable() -> None:
    ticket = sessions.begin(_account(), now=T0)
    assert sessions.redeem_ticket(ticket, now=T0 + timedelta(seconds=61)) is None
    assert sessions.redeem_ticket("made-up", now=T0) is None


def test_given_session_when_it_expires_then_token_no_longer_resolves() -> None:
    ticket = sessions.begin(_account(), now=T0)
    token = sessions.redeem_ticket(ticket, now=T0)
    assert sessions.resolve(token=token, now=T0 + timedelta(days=13)) is not None
    assert sessions.resolve(token=token, now=T0 + timedelta(days=14, seconds=1)) is None


def test_given_logout_then_token_and_ticket_are_dead() -> None:
    ticket = sessions.begin(_account(), now=T0)
    token = sessions.redeem_ticket(ticket, now=T0)
    principal = sessions.resolve(token=token, now=T0)
    sessions.end(principal.session_id)
    assert sessions.resolve(token=token, now=T0) is None
    assert sessions.resolve(ticket=ticket, now=T0) is None


def test_only_hashes_are_stored() -> None:
    ticket = sessions.begin(_account(), now=T0)
    token = sessions.redeem_ticket(ticket, now=T0)
    with db.get_engine().connect() as conn:
        dump = str(conn.exec_driver_sql("SELECT * FROM authsession").all())
    assert ticket not in dump and token not in dump
