"""The schedule: crontab parsing, fire times across DST, and the real scheduler as a process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.config import ScheduleConfig, load_config
from digest.errors import DigestError
from digest.run.schedule import JOB_ID, JOB_REF, crontab_weekdays, make_trigger
from digest.store.state import open_store
from tests.smtpserver import SmtpServer, write_config

ROOT = Path(__file__).resolve().parent.parent
BERLIN = ZoneInfo("Europe/Berlin")
READERS = ["ann@example.org", "bob@example.org"]


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


def start_scheduler(config_path: Path) -> subprocess.Popen[str]:
    """`digest schedule` as its own process, its output captured."""
    env = {k: v for k, v in os.environ.items() if k != "DIGEST_TOKEN_SECRET"}
    return subprocess.Popen([sys.executable, "-m", "digest", "schedule", "-c", str(config_path)],
                            cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def stop_scheduler(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Send SIGTERM and collect what the scheduler printed."""
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    return out, err


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def issue_sent(config_path: Path) -> bool:
    """Whether issue 1 is recorded as sent."""
    path = load_config(config_path).state.path
    if not path.exists():
        return False
    with open_store(path, readonly=True) as store:
        try:
            record = store.issue(1)
        except sqlite3.OperationalError:  # the scheduler has not created the tables yet
            return False
        return record is not None and record.status == "sent"


@pytest.mark.slow
def test_the_scheduler_runs_the_job_survives_a_failed_run_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    with SmtpServer() as server:
        for reader in READERS:
            server.handler.fail(reader, 550, times=1)  # the first run fails for everyone
        config_path = write_config(tmp_path, server.port, READERS,
                                   schedule={"cron": {"second": "*/2"}})
        process = start_scheduler(config_path)
        try:
            done = wait_until(lambda: issue_sent(config_path))
        finally:
            out, err = stop_scheduler(process)
    assert done, err
    assert process.returncode == 0, err
    assert "digest schedule: next run at" in out
    assert "scheduled run failed: issue 1: every recipient failed" in err
    assert "issue 1 (resumed): 3 stories, sent 2, failed 0" in err
    assert sorted(server.handler.recipients()) == READERS
    assert list((tmp_path / "out" / "issues").glob("0001-*/issue.eml"))


@pytest.mark.slow
def test_a_run_missed_while_the_machine_was_off_runs_once_on_start(tmp_path: Path) -> None:
    from apscheduler.job import Job
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    schedule = {"cron": "0 8 * * fri", "timezone": "Europe/Berlin",
                "misfire_grace_seconds": 30 * 86400}
    with SmtpServer() as server:
        config_path = write_config(tmp_path, server.port, READERS, schedule=schedule)
        config = load_config(config_path)
        config.state.path.parent.mkdir(parents=True)
        # Three weekly fire times passed while the machine was off.
        store = SQLAlchemyJobStore(url=f"sqlite:///{config.state.path}")
        store.start(BackgroundScheduler(timezone=BERLIN), "default")
        store.add_job(Job(
            store._scheduler, id=JOB_ID, func=JOB_REF, trigger=make_trigger(config.schedule),
            executor="default", args=[str(config_path)], kwargs={}, name="digest run",
            misfire_grace_time=config.schedule.misfire_grace_seconds, coalesce=True,
            max_instances=1, next_run_time=datetime.now(UTC) - timedelta(days=20),
        ))
        store.shutdown()
        process = start_scheduler(config_path)
        try:
            done = wait_until(lambda: issue_sent(config_path))
            time.sleep(3)  # room for a second, wrong, catch-up run
        finally:
            out, err = stop_scheduler(process)
    assert done, err
    assert process.returncode == 0, err
    assert err.count("issue 1: 3 stories, sent 2") == 1, err
    assert "nothing new" not in err
    assert sorted(server.handler.recipients()) == READERS
    assert "next run at" in out


@pytest.mark.slow
def test_sigterm_while_sending_stops_after_the_message_in_flight_and_a_run_resumes(
    tmp_path: Path,
) -> None:
    readers = [f"reader{i:02d}@example.org" for i in range(20)]
    with SmtpServer(delay=0.3) as server:
        config_path = write_config(tmp_path, server.port, readers,
                                   schedule={"cron": {"second": "*/2"}})
        process = start_scheduler(config_path)
        try:
            assert wait_until(lambda: len(server.handler.recipients()) >= 2)
        finally:
            stopped_at = time.monotonic()
            _out, err = stop_scheduler(process)
        assert process.returncode == 0, err
        assert time.monotonic() - stopped_at < 5
        got = len(server.handler.recipients())
        assert 2 <= got < len(readers)
        env = {k: v for k, v in os.environ.items() if k != "DIGEST_TOKEN_SECRET"}
        again = subprocess.run([sys.executable, "-m", "digest", "run", "-c", str(config_path)],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"issue 1 (resumed): 3 stories, sent {len(readers) - got}, failed 0" in again.stderr
    assert sorted(server.handler.recipients()) == readers  # each exactly once
    assert issue_sent(config_path)
