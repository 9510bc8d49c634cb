"""Working days with the official calendar, holidays and make-up workdays included."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core import workdays
from core.clock import china_moment


@pytest.mark.parametrize(
    "submitted, due",
    [
        # Monday → Thursday
        (china_moment(2026, 11, 2), date(2026, 11, 5)),
        # Friday → Wednesday
        (china_moment(2026, 11, 6), date(2026, 11, 11)),
        # Saturday → Wednesday (Mon, Tue, Wed)
        (china_moment(2026, 11, 7), date(2026, 11, 11)),
        # National Day 2026: 10-01..10-07 off; Saturday 10-10 is a make-up workday and counts
        (china_moment(2026, 9, 30), date(2026, 10, 10)),
        (china_moment(2026, 10, 8), date(2026, 10, 12)),
    ],
)
def test_due_date_is_three_working_days_after_submission(submitted: datetime, due: date) -> None:
    result = workdays.due_date(submitted)
    assert result == workdays.DueDate(due, estimated=False)


def test_make_up_saturday_counts_as_a_working_day() -> None:
    assert workdays.is_workday(date(2026, 10, 10)) and not workdays.is_workday(date(2026, 10, 3))


def test_late_evening_utc_is_already_the_next_day_in_beijing() -> None:
    # 2026-11-01 17:00 UTC is Monday 01:00 in Beijing
    assert workdays.due_date(datetime(2026, 11, 1, 17, 0, tzinfo=UTC)).day == date(2026, 11, 5)


def test_given_submission_on_2026_12_30_then_a_due_date_is_estimated_into_2027() -> None:
    result = workdays.due_date(china_moment(2026, 12, 30))
    # 12-31 (Thu) counts; 2027-01-01 is New Year's Day; then Mon 01-04 and Tue 01-05
    assert result == workdays.DueDate(date(2027, 1, 5), estimated=True)


def test_spring_festival_2027_is_skipped_by_the_fallback() -> None:
    result = workdays.add_workdays(date(2027, 2, 4), 1)
    assert result.day > date(2027, 2, 10) and result.estimated


@pytest.mark.parametrize(
    "start, end, expected",
    [(date(2026, 11, 2), date(2026, 11, 2), 0), (date(2026, 11, 2), date(2026, 11, 5), 3),
     (date(2026, 9, 30), date(2026, 10, 9), 2), (date(2026, 9, 30), date(2026, 10, 12), 4), (date(2026, 11, 6), date(2026, 11, 9), 1)],
)
def test_workdays_between(start: date, end: date, expected: int) -> None:
    assert workdays.workdays_between(start, end) == expected
