"""Regenerate the golden files of the rendered sample issue: ``python tests/regen_golden.py``.

Run it after an intended change to the templates or the renderer, look at the diff, commit it.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
WHEN = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def masked(text: str) -> str:
    """Volatile parts replaced by placeholders: dates, Message-ID and MIME boundaries."""
    text = re.sub(r"^Date: .*$", "Date: <DATE>", text, flags=re.MULTILINE)
    text = re.sub(r"^Message-ID: .*$", "Message-ID: <MESSAGE-ID>", text, flags=re.MULTILINE)
    return re.sub(r"={15}\d+==", "<BOUNDARY>", text)


def outputs() -> dict[str, str]:
    """The sample issue rendered to MJML, HTML, text and a complete message, masked."""
    sys.path.insert(0, str(HERE))
    from issue_factory import newsletter, seeds_issue

    from digest.render.message import build_message
    from digest.render.templates import render_issue

    issue, config = seeds_issue(), newsletter()
    rendered = render_issue(issue, config, None, token="golden-token")
    message = build_message(rendered, issue, config, "reader@example.com", token="golden-token",
                            date=WHEN, message_id="<golden@example.org>")
    return {
        "issue.mjml": rendered.mjml,
        "issue.html": rendered.html,
        "issue.txt": rendered.text,
        "issue.eml": masked(bytes(message).decode("ascii")),
    }


def main() -> None:
    """Write every golden file."""
    GOLDEN.mkdir(exist_ok=True)
    for name, content in outputs().items():
        (GOLDEN / name).write_text(content, encoding="utf-8", newline="")
        print(f"wrote {GOLDEN / name} ({len(content.encode())} bytes)")


if __name__ == "__main__":
    main()
