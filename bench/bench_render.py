"""HTML size and rendering time of the round-up, against a straightforward template.

The goal: a 30-story issue stays under the 90 KB budget (Gmail clips at 102 KB), with at most
2 KB of HTML per teaser. The baseline, measured in the same run, overrides the teaser partials
with the straightforward layout: one MJML section per teaser with an image column, a text
column, a divider and a button.

    python bench/bench_render.py [--stories 10 30 60] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from issue_factory import big_issue, newsletter

from digest.render.templates import render_issue

BASELINE_SECTION = """\
    <mj-section padding="16px 0 0"><mj-column>
      <mj-text><h2>{{ section.name }}</h2></mj-text>
    </mj-column></mj-section>
{% for story in section.stories %}
    <mj-section padding="8px 0">
      <mj-column width="30%">
{% if story.image %}
        <mj-image src="{{ story.image.src }}" alt="{{ story.image.alt }}" padding="10px 25px" />
{% endif %}
      </mj-column>
      <mj-column width="70%">
        <mj-text font-size="20px" font-weight="700" padding="10px 25px">{{ story.title }}</mj-text>
        <mj-text font-size="16px" line-height="1.5">{{ story.summary | join(" ") }}</mj-text>
        <mj-text font-size="13px" color="#5f5f5f">{{ story.authors }} · {{ story.date }}</mj-text>
{% if story.url %}
        <mj-button href="{{ story.url }}" align="left">Read more</mj-button>
{% endif %}
        <mj-divider border-width="1px" border-color="#e4e1d8" />
      </mj-column>
    </mj-section>
{% endfor %}
"""


def measure(stories: int, templates: Path | None, repeat: int) -> tuple[int, float, float]:
    """HTML bytes, bytes per teaser and the median rendering time in ms of an issue."""
    # no trimming here: the budget check is what is being measured
    config = newsletter().model_copy(update={"max_html_kb": 100_000})
    issue = big_issue(stories)
    bare = len(render_issue(big_issue(1), config, templates).html.encode())
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rendered = render_issue(issue, config.model_copy(), templates)  # a copy: no reuse
        times.append((time.perf_counter() - start) * 1000)
    size = len(rendered.html.encode())
    return size, (size - bare) / max(1, stories - 1), statistics.median(times)


def readers(count: int) -> None:
    """Time one copy per reader of a 30-story issue: reused rendering against rendering afresh."""
    issue, config = big_issue(30), newsletter()
    start = time.perf_counter()
    for n in range(count):
        render_issue(issue, config, None, token=f"reader-{n}")
    reused = (time.perf_counter() - start) * 1000 / count
    start = time.perf_counter()
    for n in range(count):
        fresh = config.model_copy()  # another object: no reuse, as if rendered separately
        render_issue(issue, fresh, None, token=f"reader-{n}")
    afresh = (time.perf_counter() - start) * 1000 / count
    print(f"{count} readers, 30 stories: {reused:.3f} ms a copy reusing the rendering, "
          f"{afresh:.3f} ms rendering afresh (baseline)")


def main() -> None:
    """Print size and speed for each issue size, ours and the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, nargs="+", default=[10, 30, 60])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--readers", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        baseline = Path(folder)
        (baseline / "_section.mjml.j2").write_text(BASELINE_SECTION, encoding="utf-8")
        print(f"{'stories':>7} {'template':>9} {'html KB':>8} {'B/teaser':>9} {'render ms':>10}")
        for stories in args.stories:
            for name, templates in (("digest", None), ("baseline", baseline)):
                size, per, ms = measure(stories, templates, args.repeat)
                print(f"{stories:>7} {name:>9} {size / 1024:>8.1f} {per:>9.0f} {ms:>10.2f}")
    print("budget: 90 KB for a 30-story issue, at most 2048 B per teaser")
    readers(args.readers)


if __name__ == "__main__":
    main()
