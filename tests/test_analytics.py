"""The dashboard's numbers on a small hand-computed set across the 2026 National Day holiday.

Requests (Beijing dates; 10-01..10-07 off, Saturday 10-10 a make-up workday):
    r1 09-28 → 09-30 approved  by A, round 1: turnaround 2
    r2 09-29 → 10-09 rejected  by A, round 1 [blurry, watermark]: 3 (09-30, 10-08, 10-09)
    r3 09-30 → 10-12 approved  by B, round 1: 4 (10-08, 10-09, 10-10, 10-12) — late
    r4 10-08 → 10-08 approved  by B, round 2: 0
    r5 10-09 → 10-13 rejected  by A, round 1 [blurry]: 3 (10-10, 10-12, 10-13)
    r6 10-10 → still pending
"""

from __future__ import annotations

from datetime import date

import pytest

from core import analytics, db
from core.clock import china_moment
from core.models import CertificationRequest
from tests.cert_helpers import make_account

START, END = date(2026, 9, 28), date(2026, 10, 13)


def _request(account_id: int, submitted, decided=None, status="pending", reviewer=None, round_=1,
             reasons=()) -> None:
    with db.session_scope() as session:
        session.add(CertificationRequest(
            account_id=account_id, identity="individual", status=status, round=round_, kind="initial",
            submitted_at=submitted, decided_at=decided, decided_by=reviewer, reasons=list(reasons),
        ))


@pytest.fixture
def national_day(any_db: str) -> None:
    a = make_account("shenhe01", "13900000001", role="reviewer")
    b = make_account("shenhe02", "13900000002", role="reviewer")
    people = [make_account(f"user{i}x", f"1380000000{i}") for i in range(6)]
    m = china_moment
    _request(people[0], m(2026, 9, 28, 10), m(2026, 9, 30, 15), "approved", a)
    _request(people[1], m(2026, 9, 29, 10), m(2026, 10, 9, 11), "rejected", a, reasons=["blurry", "watermark"])
    _request(people[2], m(2026, 9, 30, 16), m(2026, 10, 12, 9), "approved", b)
    _request(people[3], m(2026, 10, 8, 9), m(2026, 10, 8, 17), "approved", b, round_=2)
    _request(people[4], m(2026, 10, 9, 10), m(2026, 10, 13, 10), "rejected", a, reasons=["blurry"])
    _request(people[5], m(2026, 10, 10, 10))


def test_summary_median_p90_and_promise(national_day: None) -> None:
    board = analytics.dashboard(START, END)
    assert board.summary == analytics.Summary(decisions=5, median=3.0, p90=4.0, within_share=0.8,
                                              waiting_now=1)


def test_weekly_median_p90_and_share_within_three_working_days(national_day: None) -> None:
    table = analytics.dashboard(START, END).by_week
    assert table.to_dict("records") == [
        {"week": date(2026, 9, 28), "decisions": 1, "median": 2.0, "p90": 2.0, "within_share": 1.0},
        {"week": date(2026, 10, 5), "decisions": 2, "median": 1.5, "p90": 3.0, "within_share": 1.0},
        {"week": date(2026, 10, 12), "decisions": 2, "median": 3.5, "p90": 4.0, "within_share": 0.5},
    ]


def test_distribution(national_day: None) -> None:
    table = analytics.dashboard(START, END).distribution
    assert dict(zip(table["turnaround"], table["decisions"])) == {0: 1, 2: 1, 3: 2, 4: 1}


def test_backlog_arrivals_and_decisions_per_day(national_day: None) -> None:
    table = analytics.dashboard(START, END).backlog.set_index("day")
    assert list(table.loc[date(2026, 9, 28)]) == [1, 0, 1]
    assert list(table.loc[date(2026, 9, 30)]) == [1, 1, 2]
    assert list(table.loc[date(2026, 10, 4)]) == [0, 0, 2]
    assert list(table.loc[date(2026, 10, 10)]) == [1, 0, 3]
    assert list(table.loc[date(2026, 10, 13)]) == [0, 1, 1]
    assert len(table) == 16


def test_backlog_carries_what_was_waiting_before_the_range(national_day: None) -> None:
    table = analytics.dashboard(date(2026, 10, 8), date(2026, 10, 9)).backlog
    # r2 and r3 were waiting since September; r4 came and went on 10-08; r5 came, r2 left on 10-09.
    assert table.to_dict("records") == [
        {"day": date(2026, 10, 8), "arrivals": 1, "decisions": 1, "waiting": 2},
        {"day": date(2026, 10, 9), "arrivals": 1, "decisions": 1, "waiting": 2},
    ]


def test_rejections_pass_rates_rounds_and_throughput(national_day: None) -> None:
    board = analytics.dashboard(START, END)
    assert board.reasons.to_dict("records") == [{"reason": "blurry", "rejections": 2},
                                                {"reason": "watermark", "rejections": 1}]
    assert (board.passes.first_round_decisions, board.passes.first_time_pass_rate) == (4, 0.5)
    assert board.passes.rounds.to_dict("records") == [{"round": 1, "approvals": 2}, {"round": 2, "approvals": 1}]
    assert board.throughput.to_dict("records") == [
        {"day": date(2026, 9, 30), "reviewer": "shenhe01", "decisions": 1},
        {"day": date(2026, 10, 8), "reviewer": "shenhe02", "decisions": 1},
        {"day": date(2026, 10, 9), "reviewer": "shenhe01", "decisions": 1},
        {"day": date(2026, 10, 12), "reviewer": "shenhe02", "decisions": 1},
        {"day": date(2026, 10, 13), "reviewer": "shenhe01", "decisions": 1},
    ]


def test_an_empty_range_is_empty_not_an_error() -> None:
    board = analytics.dashboard(date(2025, 1, 1), date(2025, 1, 31))
    assert board.empty and board.summary.median is None and board.by_week.empty


def test_csv_has_a_bom() -> None:
    import pandas as pd

    assert analytics.to_csv(pd.DataFrame({"原因": ["照片模糊不清"]})).startswith("\ufeff原因".encode())
