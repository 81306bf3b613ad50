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
    """The one zone every timestamp is shown in (REPORT_TIMEZONE); the default zone when the name is unknown."""
    try:
        return ZoneInfo(name or DEFAULT_REPORT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_REPORT_TIMEZONE)


def moment_text(moment: datetime, zone: tzinfo, seconds: bool = False) -> str:
    """A stored timestamp in `zone` with the zone's offset, as pages and PDFs print it: "2026-11-27 22:05 +08:00"
    (naive timestamps are UTC, as SQLite returns them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    offset = local.strftime("%z")
    suffix = " UTC" if offset in ("+0000", "-0000") else f" {offset[:3]}:{offset[3:]}"
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + suffix
