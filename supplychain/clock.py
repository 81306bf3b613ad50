"""Time in one place, below the services: today's date, the current moment, the report time zone.

Services, commands, jobs and views all read time here (never from a view module), so tests and
every entry point agree and nothing needs the web layer to know what day it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_REPORT_TIMEZONE = "Asia/Shanghai"


def today() -> date:
    """Today's date where the process runs."""
    return date.today()


def now() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


def report_zone(name: str | None) -> tzinfo:
    """The zone report timestamps are printed in (REPORT_TIMEZONE); UTC when the name is unknown."""
    try:
        return ZoneInfo(name or DEFAULT_REPORT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
