"""`delivery.deadline` bounds sending: a server that answers every command slowly cannot hold a
run (or its lock) past it. The readers it did not reach stay pending, as after a kill, and the
next run sends to them only. Real `digest run` children; servers on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from digest.store.state import open_store
from tests.hostile import SlowSmtp, run_cli
from tests.smtpserver import SmtpServer, write_config

READERS = [f"reader{i}@example.org" for i in range(6)]
DEADLINE = 3


def _deliveries(tmp_path: Path) -> dict[str, str]:
    with open_store(tmp_path / "state" / "state.db", readonly=True) as store:
        return {r.lower(): s for r, s in store.deliveries(1).items()}


def test_a_slow_server_stops_sending_at_the_deadline_and_the_next_run_sends_the_rest(
        tmp_path: Path) -> None:
    with SlowSmtp(every=0.4) as slow:
        config = write_config(tmp_path, slow.port, READERS, connections=2, deadline=DEADLINE)
        seconds, _, code, _, err = run_cli(["run", "-c", str(config)], timeout=120)
        slow_took = set(slow.accepted)
    assert code == 0, err  # as when some readers failed: the next run resumes the issue
    assert "Traceback" not in err
    assert seconds < DEADLINE + 60  # a bound from the deadline, not a benchmark
    after_first = _deliveries(tmp_path)
    sent = {r for r, s in after_first.items() if s == "sent"}
    waiting = [r for r in READERS if r not in sent]
    assert waiting  # at 1.6 s a message over two connections, 3 s cannot reach six readers
    assert sent <= slow_took  # nobody recorded sent who was not
    summary = err.strip().splitlines()[-1]
    assert f"sent {len(sent)}, failed 0, {len(waiting)} wait for the next run" in summary
    assert f"delivery.deadline of {DEADLINE} s reached" in summary
    assert all(reader in err for reader in waiting)  # the report names who waits

    with SmtpServer() as server:
        write_config(tmp_path, server.port, READERS, connections=2, deadline=DEADLINE)
        _, _, code, _, err = run_cli(["run", "-c", str(config)], timeout=120)
        resent = server.handler.recipients()
    assert code == 0, err
    assert "(resumed)" in err and f"sent {len(waiting)}, failed 0" in err
    assert sorted(resent) == sorted(waiting)  # exactly the readers still waiting, once each
    in_flight = {r for r, s in after_first.items() if s == "sending"}
    assert slow_took & set(resent) <= in_flight  # only a message in flight may come twice
    assert slow_took | set(resent) == set(READERS)  # every reader has the issue
    assert set(_deliveries(tmp_path).values()) == {"sent"}


def test_a_run_waits_for_the_lock_of_one_stuck_sending_instead_of_failing(
        tmp_path: Path) -> None:
    readers = [f"reader{i}@example.org" for i in range(12)]
    with SlowSmtp(every=0.4) as slow:  # 12 readers at 1.6 s each: sending lasts the 14 s
        config = str(write_config(tmp_path, slow.port, readers, connections=1, deadline=14))
        first: list[tuple[int, str]] = []
        running = threading.Thread(
            target=lambda: first.append(run_cli(["run", "-c", config], timeout=120)[2::2]))
        running.start()
        while not slow.accepted and running.is_alive():
            time.sleep(0.05)  # the first run is sending from here on, and holds the lock
        # longer than the 10 s a run used to wait; the default wait now covers the whole run
        _, _, code, _, err = run_cli(["run", "-c", config], timeout=120)
        running.join()
    assert first and first[0][0] == 0, first
    assert "wait for the next run" in first[0][1]
    assert code == 0, err
    assert "another digest run is in progress" not in err  # it got the lock once the first ended
    assert "issue 1 (resumed)" in err  # and took up the readers the first left waiting


def test_a_reply_dripped_a_byte_at_a_time_cannot_outlast_the_deadline(tmp_path: Path) -> None:
    readers = READERS[:2]
    with SlowSmtp(every=0.1, drip=0.2) as slow:  # MAIL's reply alone would take 40 s
        config = write_config(tmp_path, slow.port, readers, connections=1, deadline=DEADLINE)
        seconds, _, code, _, err = run_cli(["run", "-c", str(config)], timeout=120)
    assert code == 0, err
    assert "Traceback" not in err
    assert seconds < DEADLINE + 15  # not the 40 s the reply takes: the deadline cut it off
    assert slow.accepted == []
    assert "sent 0, failed 0, 2 wait for the next run" in err.strip().splitlines()[-1]
    assert "sent" not in set(_deliveries(tmp_path).values())  # nobody recorded sent
