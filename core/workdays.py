"""China working days: official holidays and make-up workdays (调休) from chinesecalendar.

chinesecalendar knows only the years whose schedule the State Council has published (up to
2026 today). For later years we fall back to the `holidays` package's China calendar
(statutory holidays, weekends off, no make-up workdays) and say that the answer is estimated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
import holidays

from core.clock import china_date

PROMISE_DAYS = 3  # "我们将在1-3个工作日内审核"


@lru_cache(maxsize=64)
def _fallback_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.China(years=year).keys())


@lru_cache(maxsize=4096)
def workday_info(day: date) -> tuple[bool, bool]:
    """(is a working day, answer is estimated)."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5 and day not in _fallback_holidays(day.year), True


def is_workday(day: date) -> bool:
    return workday_info(day)[0]


@dataclass(frozen=True)
class DueDate:
    day: date
    estimated: bool  # the calendar for some day on the way is not published yet


def add_workdays(start: date, count: int) -> DueDate:
    """The ``count``-th working day after ``start`` (start itself not counted)."""
    day, seen, estimated = start, 0, False
    while seen < count:
        day += timedelta(days=1)
        working, guess = workday_info(day)
        estimated = estimated or guess
        seen += working
    return DueDate(day, estimated)


def due_date(submitted_at: datetime, days: int = PROMISE_DAYS) -> DueDate:
    """The promise: decided by the end of the 3rd working day after the day of submission (Beijing)."""
    return add_workdays(china_date(submitted_at), days)


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; 0 when decided the same day."""
    if end <= start:
        return 0
    return sum(is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


def turnaround(submitted_at: datetime, decided_at: datetime) -> int:
    """Turnaround in working days, counted on Beijing dates."""
    return workdays_between(china_date(submitted_at), china_date(decided_at))
