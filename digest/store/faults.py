"""Fault injection for the crash tests: end the process abruptly at a named point of a run.

`DIGEST_KILL_AT` names one point (see `POINTS`); when the run reaches it, the process kills
itself with SIGKILL, as a power cut or the OOM killer would: no cleanup, no flush, no `finally`.
Unset (always, outside the tests), `kill_point` does nothing.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "mid-archive",      # the files are written to the temporary folder, not renamed yet
    "after-archive",    # the archive holds the issue; nothing recorded in the state store
    "after-built",      # the issue is recorded as built, with its snapshot; nobody sent to
    "mid-send",         # the second reader's message was accepted, its delivery not recorded
    "before-recording", # every reader has it; documents and the issue not yet recorded as sent
)


def kill_point(name: str) -> None:
    """Kill this process now if `DIGEST_KILL_AT` names `name`."""
    if os.environ.get("DIGEST_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
