"""The store's notion of now (timezone-aware UTC), and the operator's local calendar (China)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")


def now() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    return datetime.now(CHINA).date()


def local_day_start(day: date) -> datetime:
    """The UTC instant at which `day` begins in China."""
    return datetime.combine(day, time.min, tzinfo=CHINA).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(CHINA)
