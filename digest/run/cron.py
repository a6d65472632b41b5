"""Reads `schedule.*`: the time zone and the cron trigger, and checks them for every command.

`check_schedule` makes the checks of `make_trigger` without loading APScheduler, so that
`digest render` stays light; `digest run` and `digest schedule` build the trigger itself.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.config import ScheduleConfig
from digest.errors import DigestError

WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def schedule_timezone(schedule: ScheduleConfig) -> tzinfo:
    """The schedule's time zone; a DigestError names an unknown one."""
    try:
        return ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DigestError(f"schedule.timezone: unknown time zone {schedule.timezone!r}",
                          "use an IANA name such as 'Europe/Berlin' or 'UTC'") from None


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field with numbers (0 or 7 = Sunday) written as day names.

    APScheduler 3 counts 0 as Monday, so numbers are translated to the names it reads the same
    way as cron does.
    """
    items = []
    for item in field.split(","):
        match = re.fullmatch(r"(\d)(?:-(\d))?(?:/(\d+))?", item)
        if match is None:
            items.append(item)
            continue
        first, last, step = match.groups()
        end = int(last) if last is not None else (7 if step else int(first))
        days = range(int(first), end + 1, int(step or 1))
        items.extend(WEEKDAYS[day] for day in days)
    return ",".join(dict.fromkeys(items))


_CRON_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12),
                ("day_of_week", 0, 7))
_NAMES = {"month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                    "dec"),
          "day_of_week": ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
_MAPPING_FIELDS = {"year", "month", "day", "week", "day_of_week", "hour", "minute", "second",
                   "start_date", "end_date", "jitter"}
_ITEM = re.compile(r"(?:\*|(\w+)(?:-(\w+))?)(?:/(\d+))?")


def check_schedule(schedule: ScheduleConfig) -> None:
    """The checks `make_trigger` makes, without loading APScheduler (for `digest render`):
    a known time zone, and a crontab whose every field is in range, or known cron fields."""
    schedule_timezone(schedule)
    hint = "write a crontab such as '0 8 * * fri', or a mapping such as {day_of_week: fri, hour: 8}"
    if isinstance(schedule.cron, dict):
        unknown = sorted(set(schedule.cron) - _MAPPING_FIELDS)
        if unknown:
            raise DigestError(f"schedule.cron: unknown cron field {unknown[0]!r}", hint)
        return
    fields = schedule.cron.split()
    if len(fields) != 5:
        raise DigestError(f"schedule.cron: expected 5 fields, got {len(fields)}", hint)
    for text, (name, low, high) in zip(fields, _CRON_FIELDS, strict=True):
        for item in text.split(","):
            match = _ITEM.fullmatch(item.lower())
            values = [v for v in match.groups()[:2] if v] if match else [item]
            if not match or not all(_in_range(v, name, low, high) for v in values):
                raise DigestError(f"schedule.cron: {item!r} is not a valid {name} value", hint)


def _in_range(value: str, name: str, low: int, high: int) -> bool:
    if value.isdigit():
        return low <= int(value) <= high
    return value in _NAMES.get(name, ())


def make_trigger(schedule: ScheduleConfig) -> Any:
    """The CronTrigger for `schedule.cron`: a 5-field crontab string or APScheduler cron fields."""
    from apscheduler.triggers.cron import CronTrigger

    zone = schedule_timezone(schedule)
    try:
        if isinstance(schedule.cron, str):
            fields = schedule.cron.split()
            if len(fields) != 5:
                raise ValueError(f"expected 5 fields, got {len(fields)}")
            fields[4] = crontab_weekdays(fields[4])
            return CronTrigger.from_crontab(" ".join(fields), timezone=zone)
        return CronTrigger(timezone=zone, **schedule.cron)
    except (ValueError, TypeError) as exc:
        raise DigestError(f"schedule.cron: {exc}",
                          "write a crontab such as '0 8 * * fri', or a mapping of cron "
                          "fields such as {day_of_week: fri, hour: 8}") from None
