"""The demo seed fills an empty database once, consistently, and never touches a used one."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from core import accounts, analytics, audit, certification, db, demo, notices, review
from core.clock import china_date, china_moment, utcnow
from core.models import CertificationRequest, Photo


@pytest.fixture(scope="module")
def small_world() -> dict:
    return {"history": 6, "queue": 2, "ocr": False}


def test_given_empty_database_then_a_consistent_world_is_seeded(small_world: dict) -> None:
    lines = demo.seed(progress=lambda _m: None, **small_world)
    assert any("shenhe01" in line for line in lines)
    assert accounts.count_accounts(role="reviewer") == 2
    states = {name: certification.status_of(accounts.find_account_id(name)).code
              for name in ("zhangwei", "lina2026", "xinghe_tech", "liuyang", "chenjing", "zhaolei")}
    assert states == {"zhangwei": "approved", "lina2026": "none", "xinghe_tech": "approved",
                      "liuyang": "rejected", "chenjing": "pending", "zhaolei": "pending"}
    liu = accounts.find_account_id("liuyang")
    assert notices.inbox(liu)[0].kind == "rejected"
    queue = review.queue(review.QueueFilter())
    assert queue.total >= 4
    assert review.queue(review.QueueFilter(has_findings=True)).total >= 1  # zhaolei's blurred photo
    today = china_date(utcnow())
    board = analytics.dashboard(today - timedelta(days=70), today)
    assert board.summary.waiting_now == queue.total
    decisions = audit.search(audit.AuditFilter(action="request.approved"))[1]
    assert decisions >= 2
    # Every demo person certified with an ID number that python-stdnum accepts.
    for row in queue.rows:
        case = review.case(row.id, accounts.find_account_id("shenhe01"))
        assert all(f.ok for f in case.data_findings if f.code.endswith("checksum"))
    # One reused photo, and only one: the second account with zhangwei's ID card uploaded his
    # ID copy saved again; every other ID scan, of the same layout, is someone else's.
    with db.session_scope() as session:
        reused = [(p.slot, p.findings["reused_by"]) for p in session.exec(select(Photo)).all()
                  if (p.findings or {}).get("reused_by")]
    assert reused == [("id_copy", [accounts.find_account_id("zhangwei")])]
    hint = demo.login_hint()
    assert hint is not None and hint.reviewer == "shenhe01" and "lina2026" in hint.applicants
    accounts.login_with_password("shenhe01", demo.DEMO_PASSWORD, portal="staff")


def test_given_used_database_then_seed_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    with db.session_scope() as session:
        accounts.create_account(session, username="someone", identity="individual",
                                password="Secret123", phone="13800138000")
    assert demo.main(["--if-empty"]) == 0
    assert "skipped" in capsys.readouterr().out
    assert accounts.count_accounts() == 1
    assert demo.main([]) == 1


def test_given_demo_mode_off_then_nothing_seeded_and_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTDESK_DEMO", "0")
    assert demo.main(["--if-empty"]) == 0
    assert accounts.count_accounts() == 0
    assert demo.login_hint() is None


@pytest.mark.parametrize("now", [
    china_moment(2026, 11, 29, 1, 17),  # a Sunday, before office hours
    china_moment(2026, 10, 7, 12, 0),   # the last day of the National Day holiday
])
def test_given_seeding_at_night_or_in_a_holiday_then_nothing_lies_in_the_future(
        small_world: dict, now: datetime) -> None:
    demo.seed(now=now, progress=lambda _m: None, **small_world)
    with db.session_scope() as session:
        rows = session.exec(select(CertificationRequest)).all()
    moments = [m for r in rows for m in (r.submitted_at, r.decided_at) if m is not None]
    assert moments and max(moments) <= now
    for r in rows:
        if r.decided_at is not None:
            assert r.decided_at >= r.submitted_at
    today = china_date(now)
    queue = review.queue(review.QueueFilter(), now=now)
    assert analytics.dashboard(today - timedelta(days=70), today).summary.waiting_now == queue.total
