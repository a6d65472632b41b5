"""An aiosmtpd server on 127.0.0.1 that accepts every message and keeps only a count, in a
process of its own so it never shares an interpreter lock with the sender being measured.

    python bench/smtpsink.py [--delay SECONDS]

Prints its port on the first line; says how many messages it accepted when standard input ends.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
from typing import Any

from aiosmtpd.controller import Controller


class Sink:
    """Accepts every message after `delay` seconds and counts it."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Count the message, then accept it."""
        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        return "250 OK"


def main() -> None:
    """Serve until standard input closes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sink = Sink(args.delay)
    controller = Controller(sink, hostname="127.0.0.1", port=port, data_size_limit=None)
    controller.start()
    print(port, flush=True)
    sys.stdin.read()
    controller.stop()
    print(sink.count, flush=True)


if __name__ == "__main__":
    main()
