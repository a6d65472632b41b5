"""The schedule: crontab parsing, fire times across DST, and the real scheduler as a process."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from digest.config import ScheduleConfig
from digest.errors import DigestError
from digest.schedule import crontab_weekdays, make_trigger

BERLIN = ZoneInfo("Europe/Berlin")


def fire_times(cron: str | dict, start: datetime, count: int, zone: str = "Europe/Berlin") -> list:
    """The next `count` fire times of a schedule after `start`."""
    trigger = make_trigger(ScheduleConfig(cron=cron, timezone=zone))
    times, previous, now = [], None, start
    for _ in range(count):
        previous = trigger.get_next_fire_time(previous, now)
        times.append(previous)
        now = previous + timedelta(seconds=1)
    return times


@pytest.mark.parametrize(
    ("before", "after", "offsets"),
    [
        (date(2026, 3, 27), date(2026, 4, 3), (1, 2)),  # clocks go forward on 29 March
        (date(2026, 10, 23), date(2026, 10, 30), (2, 1)),  # and back on 25 October
    ],
)
def test_weekly_runs_keep_their_local_hour_across_dst(before: date, after: date,
                                                      offsets: tuple[int, int]) -> None:
    start = datetime.combine(before - timedelta(days=2), datetime.min.time(), BERLIN)
    first, second = fire_times("0 8 * * fri", start, 2)
    assert (first.date(), second.date()) == (before, after)
    assert (first.hour, first.minute, second.hour, second.minute) == (8, 0, 8, 0)
    assert first.utcoffset() == timedelta(hours=offsets[0])
    assert second.utcoffset() == timedelta(hours=offsets[1])
    elapsed = second.astimezone(UTC) - first.astimezone(UTC)
    assert elapsed == timedelta(days=7) - timedelta(hours=offsets[1] - offsets[0])


def test_crontab_weekday_numbers_count_from_sunday_as_in_cron() -> None:
    start = datetime(2026, 6, 1, tzinfo=BERLIN)  # a Monday
    assert [t.strftime("%a") for t in fire_times("0 8 * * 5", start, 2)] == ["Fri", "Fri"]
    assert [t.strftime("%a") for t in fire_times("0 8 * * 0", start, 1)] == ["Sun"]
    assert [t.strftime("%a") for t in fire_times("0 8 * * 7", start, 1)] == ["Sun"]
    workdays = [t.strftime("%a") for t in fire_times("30 6 * * 1-5", start, 6)]
    assert workdays == ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon"]
    assert crontab_weekdays("0,3-4") == "sun,wed,thu"
    assert crontab_weekdays("fri") == "fri"


def test_a_mapping_of_cron_fields_may_name_seconds() -> None:
    start = datetime(2026, 6, 1, 12, 0, 1, tzinfo=UTC)
    times = fire_times({"second": "*/2"}, start, 3, zone="UTC")
    assert [(t.minute, t.second) for t in times] == [(0, 2), (0, 4), (0, 6)]


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (ScheduleConfig(cron="0 8 * fri"), "schedule.cron: expected 5 fields, got 4"),
        (ScheduleConfig(cron="0 25 * * fri"), "schedule.cron: "),
        (ScheduleConfig(cron={"hours": 8}), "schedule.cron: "),
        (ScheduleConfig(timezone="Mars/Olympus"), "schedule.timezone: unknown time zone"),
    ],
)
def test_a_bad_schedule_is_one_line_naming_the_key(schedule: ScheduleConfig, message: str) -> None:
    with pytest.raises(DigestError) as caught:
        make_trigger(schedule)
    assert caught.value.message.startswith(message)
    assert "\n" not in caught.value.message
