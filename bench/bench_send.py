"""Sending speed: messages per second to a local SMTP server, with each reader's own copy.

The goal: a personal copy per reader (own unsubscribe token in the body and the headers) as
`digest run` builds it costs little more than one shared message, and one reused connection
beats a connection per message. Measured in the same run, on an aiosmtpd server on 127.0.0.1,
against three baselines:

- shared: render once, send the same message to everyone (no personal token anywhere);
- render per reader: personal copies, each rendered from scratch;
- reconnect: personal copies, but a new SMTP connection for every message.

    python bench/bench_send.py [--readers 300] [--stories 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from aiosmtpd.controller import Controller
from issue_factory import big_issue, newsletter
from smtpserver import Handler, free_port

from digest.config import Config, SmtpConfig
from digest.deliver.smtp import Mailer, recipient_token, send_all
from digest.render.message import build_message, list_id
from digest.render.templates import render_issue
from digest.run.publish import personal_messages

SENDER = "roundup@example.org"


def per_reader_render(issue, config) -> Callable[[str], EmailMessage]:  # type: ignore[no-untyped-def]
    """Each reader's own copy rendered from scratch with their token (the plain way)."""
    listed = list_id(config)

    def make(reader: str) -> EmailMessage:
        token = recipient_token(reader, listed)
        rendered = render_issue(issue, config, None, token=token)
        return build_message(rendered, issue, config, reader, token=token)

    return make


def shared(issue, config) -> Callable[[str], EmailMessage]:  # type: ignore[no-untyped-def]
    """One rendering and one message for everyone (the baseline)."""
    message = build_message(render_issue(issue, config, None), issue, config, None)
    return lambda reader: message


def timed(port: int, readers: list[str], make: Callable[[str], EmailMessage],
          reconnect: bool) -> float:
    """Seconds to send one message to each reader."""
    smtp = SmtpConfig(host="127.0.0.1", port=port, security="none")
    start = time.perf_counter()
    with Mailer(smtp) as mailer:
        def record(reader: str, status: str, error: str | None) -> None:
            if reconnect and status == "sent":
                mailer.close()

        report = send_all(mailer, SENDER, readers, make, record)
    elapsed = time.perf_counter() - start
    assert len(report.sent) == len(readers), report.failed
    return elapsed


def main() -> None:
    """Print messages per second for the personal copies and both baselines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=300)
    parser.add_argument("--stories", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = newsletter(unsubscribe_url="https://example.org/unsubscribe?token={token}")
    full = Config(newsletter=config)
    issue = dataclasses.replace(big_issue(args.stories), number=1)
    readers = [f"reader{i:05d}@example.org" for i in range(args.readers)]
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    makers = {
        "personal copies (digest run), one connection": (personal_messages(full, issue), False),
        "baseline: shared message, one connection": (shared(issue, config), False),
        "baseline: render per reader, one connection": (per_reader_render(issue, config), False),
        "baseline: personal copies, reconnect each": (personal_messages(full, issue), True),
    }
    runs: dict[str, float] = {}
    try:
        timed(port, readers[:5], personal_messages(full, issue), False)  # warm up
        for _ in range(args.repeat):  # interleaved, best of `repeat` each
            for name, (make, reconnect) in makers.items():
                seconds = timed(port, readers, make, reconnect)
                runs[name] = min(seconds, runs.get(name, seconds))
                handler.received.clear()
    finally:
        controller.stop()
    size = len(bytes(personal_messages(full, issue)(readers[0])))
    print(f"{args.readers} readers, {args.stories}-story issue, {size / 1024:.1f} KB per message, "
          f"best of {args.repeat}")
    for name, seconds in runs.items():
        print(f"{name:48s} {seconds:6.2f} s  {args.readers / seconds:7.1f} msg/s  "
              f"{1000 * seconds / args.readers:6.2f} ms/msg")


if __name__ == "__main__":
    main()
