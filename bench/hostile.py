"""Each hostile input beside one good source: seconds and peak memory of `digest run`.

    python bench/hostile.py [NAME_PART ...]

One row a case of `tests/hostile.py` (a raw-socket server on 127.0.0.1 for the HTTP cases,
generated files for the rest), run as a child process the way the tests run it; peak memory is
the child's maximum resident set (wait4). The first row is the good source beside an empty
folder: what any run costs. Each row also says whether the run ended cleanly (exit 0, no
traceback), whether the good story is in the issue and whether anything from outside a folder
source was published.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile import CASES, GOOD_TITLE, SECRET, Case, RawServer, run_case


def _empty(tmp: Path, server: RawServer) -> dict[str, Any]:
    (tmp / "empty").mkdir()
    return {"name": "hostile", "kind": "folder", "path": str(tmp / "empty")}


def main(only: list[str]) -> None:
    """Run the cases (those whose name holds one of `only`, when given) and print the table."""
    cases = [Case("baseline: the good source beside an empty folder", _empty), *CASES]
    print("| case | seconds | bound | peak MB | clean | good story | leak |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for number, case in enumerate(cases):
            if only and number and not any(part in case.name for part in only):
                continue
            tmp = Path(scratch) / f"case{number}"
            tmp.mkdir()
            outcome = run_case(case, tmp)
            clean = outcome.returncode == 0 and "Traceback" not in outcome.stderr
            leak = SECRET in outcome.html or "root:x:0" in outcome.html
            print(f"| {case.name} | {outcome.seconds:.1f} | {case.bound:g} | "
                  f"{outcome.peak_mb:.0f} | {'yes' if clean else 'NO'} | "
                  f"{'yes' if GOOD_TITLE in outcome.html else 'NO'} | "
                  f"{'LEAK' if leak else 'none'} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
