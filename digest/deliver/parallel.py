"""Sending over several SMTP connections at once: one shared queue of recipients, one shared
pace, and the records of every connection made one at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from digest.deliver.smtp import Letter, Mailer, Record, Report, send_all


class _Queue:
    """The recipients still to send to, handed out one at a time to the sending threads."""

    def __init__(self, recipients: Iterable[str], stop: threading.Event | None) -> None:
        self._items = iter(recipients)
        self._lock = threading.Lock()
        self.stop = stop
        self.halt = threading.Event()  # an unreachable server: every thread stops
        self.stopped = False

    def __iter__(self) -> _Queue:
        return self

    def __next__(self) -> str:
        with self._lock:
            if self.halt.is_set():
                raise StopIteration
            if self.stop is not None and self.stop.is_set():
                self.stopped = True
                raise StopIteration
            return next(self._items)


def send_parallel(connect: Callable[[], Mailer], connections: int, sender: str,
                  recipients: list[str], make_message: Callable[[str], Letter], record: Record,
                  stop: threading.Event | None = None) -> Report:
    """`send_all` over up to `connections` connections at once, each in its own thread.

    Each recipient is recorded "sending" before their message and "sent" once the server took
    it (`record` under one lock); every final dot passes one gate (`digest.deliver.gate`), so a
    crash leaves at most one message whose delivery nobody knows. An unreachable server stops
    every thread after its message in flight (the first Unreachable is raised).
    """
    count = max(1, min(connections, len(recipients)))
    if count == 1:
        with connect() as mailer:
            return send_all(mailer, sender, recipients, make_message, record, stop=stop)
    queue = _Queue(recipients, stop)
    lock, gate = threading.Lock(), threading.Lock()
    reports: list[Report] = []
    errors: list[BaseException] = []

    def locked(recipient: str, status: str, error: str | None) -> None:
        with lock:
            record(recipient, status, error)

    def work() -> None:
        try:
            with connect() as mailer:
                mailer.gate = gate
                reports.append(send_all(mailer, sender, queue, make_message, locked))
        except BaseException as exc:  # reported to the caller below, after every thread ends
            errors.append(exc)
            queue.halt.set()

    _run_threads(work, count)
    if errors:
        raise errors[0]
    return _merged(reports, queue.stopped)


def _merged(reports: list[Report], stopped: bool) -> Report:
    merged = Report(stopped=stopped or any(r.stopped for r in reports),
                    late=any(r.late for r in reports))
    for report in reports:
        merged.sent.extend(report.sent)
        merged.failed.update(report.failed)
    return merged


def _run_threads(work: Callable[[], None], count: int) -> None:
    threads = [threading.Thread(target=work, name=f"smtp-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
