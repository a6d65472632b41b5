"""Runs `digest run` on a schedule with APScheduler, its job kept in the state database.

The job is stored by reference (`digest.run.schedule:run_job` plus the config path) in a SQLAlchemy
job store inside the same SQLite file as the state, under a fixed id. A machine that was off at
fire time runs the missed issue once when it starts again (coalesced, within the grace time).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from digest.config import Config
from digest.errors import DigestError
from digest.run.cron import crontab_weekdays, make_trigger, schedule_timezone

__all__ = ["crontab_weekdays", "make_trigger", "schedule_timezone"]

log = logging.getLogger(__name__)

JOB_ID = "digest-run"
JOB_REF = "digest.run.schedule:run_job"
REVIEW_JOB_ID = "digest-review"
# How often an issue held for review is checked for approval or a passed deadline.
REVIEW_CHECK_MINUTES = 5

# Set by SIGTERM/SIGINT: a run in progress stops after the message in flight.
STOP = threading.Event()


def run_job(config_path: str) -> None:
    """The scheduled job: one `digest run` with the config at `config_path`; never raises."""
    from digest.config import load_config
    from digest.run.job import run_issue

    try:
        result = run_issue(load_config(config_path), stop=STOP)
    except DigestError as exc:
        log.error("scheduled run failed: %s", exc.message)
    except Exception:
        log.exception("scheduled run failed")
    else:
        log.info("%s", result.summary)


def review_job(config_path: str) -> None:
    """Send an issue held for review once it is approved or past its deadline; never raises.

    Quiet unless it sends: an issue still awaiting review, or the weekly run holding the lock,
    is the normal case.
    """
    from digest.config import load_config
    from digest.run.job import run_issue
    from digest.run.lock import Busy

    try:
        result = run_issue(load_config(config_path), stop=STOP, held_only=True, wait=0)
    except Busy:
        log.debug("review check skipped: a run is in progress")
    except DigestError as exc:
        log.error("review check failed: %s", exc.message)
    except Exception:
        log.exception("review check failed")
    else:
        log.log(logging.INFO if result.sent or result.failed else logging.DEBUG, "%s",
                result.summary)


def add_review_job(scheduler: Any, config_path: Path) -> Any:
    """Check held issues now and every few minutes (kept in memory, not in the job store)."""
    from datetime import UTC

    return scheduler.add_job(
        review_job, "interval", minutes=REVIEW_CHECK_MINUTES, args=[str(config_path)],
        id=REVIEW_JOB_ID, name="digest review check", jobstore="memory", replace_existing=True,
        coalesce=True, max_instances=1, next_run_time=datetime.now(UTC),
    )


def make_scheduler(config: Config) -> Any:
    """A BlockingScheduler whose job store lives in the state database."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler

    from digest.store.state import open_store

    with open_store(config.state.path):
        pass  # the state tables exist before the job store shares the file
    from apscheduler.jobstores.memory import MemoryJobStore

    store = SQLAlchemyJobStore(url=f"sqlite:///{config.state.path}")
    return BlockingScheduler(jobstores={"default": store, "memory": MemoryJobStore()},
                             timezone=schedule_timezone(config.schedule))


def add_run_job(scheduler: Any, config: Config, config_path: Path) -> Any:
    """Add (or replace) the run job; a stored next run time survives when the trigger is the same.

    Keeping the stored time is what lets a run missed while the machine was off start once now.
    """
    trigger = make_trigger(config.schedule)
    existing = scheduler.get_job(JOB_ID)
    keep: dict[str, Any] = {}
    same = existing is not None and repr(existing.trigger) == repr(trigger)
    if same and existing.next_run_time is not None:
        keep["next_run_time"] = existing.next_run_time
    return scheduler.add_job(
        JOB_REF, trigger, args=[str(config_path)], id=JOB_ID, name="digest run",
        replace_existing=True, coalesce=True, max_instances=1,
        misfire_grace_time=config.schedule.misfire_grace_seconds, **keep,
    )


def serve(config: Config, config_path: Path, announce: Callable[[str], None] = print) -> None:
    """Run the scheduler until SIGTERM or SIGINT, then stop after the message in flight."""
    from apscheduler.events import EVENT_SCHEDULER_STARTED

    make_trigger(config.schedule)  # a bad schedule fails before anything is created
    scheduler = make_scheduler(config)

    def started(_event: Any) -> None:
        job = add_run_job(scheduler, config, config_path.resolve())
        if config.delivery.review.to:
            add_review_job(scheduler, config_path.resolve())
        when = job.next_run_time
        announce(f"digest schedule: next run at {_format(when)} ({config.schedule.timezone})")

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received; stopping after the message in flight",
                 signal.Signals(signum).name)
        STOP.set()
        if scheduler.running:
            scheduler.shutdown(wait=True)

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()


def _format(when: datetime | None) -> str:
    return "never" if when is None else when.isoformat(sep=" ", timespec="seconds")
