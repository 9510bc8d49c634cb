"""Time in one place. Services take ``now`` so tests can pin it; times are aware UTC.

SQLModel stores aware datetimes as UTC on both SQLite and PostgreSQL and gives them back
aware, so comparisons never mix naive and aware values.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def china_date(moment: datetime) -> date:
    """The calendar date in Beijing of a moment (working days are counted there)."""
    return moment.astimezone(CHINA).date()


def china_time(moment: datetime) -> datetime:
    """A moment as Beijing wall-clock time, for display."""
    return moment.astimezone(CHINA)


def china_moment(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A Beijing wall-clock moment as aware UTC (handy in seeds and tests)."""
    return datetime(year, month, day, hour, minute, tzinfo=CHINA).astimezone(UTC)
