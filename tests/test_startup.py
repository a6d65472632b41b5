"""Start-up stays light: `digest --help` and rendering a folder import only what they use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("numpy", "scipy", "sumy", "nltk", "trafilatura", "feedparser", "httpx", "apscheduler",
         "jinja2", "mjml", "lxml", "requests", "starlette", "uvicorn", "multipart")
NETWORK_AND_SCHEDULE = ("trafilatura", "feedparser", "httpx", "apscheduler", "requests")

# Runs the CLI in a fresh interpreter and prints, as JSON, which top-level packages it imported.
PROBE = """
import json, sys
from digest.cli import main
sys.argv = ["digest", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
finally:
    sys.stdout.flush()
    sys.__stderr__.write("\\nMODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def imported_by(*args: str, cwd: Path | None = None) -> tuple[set[str], str]:
    """The top-level packages `digest ARGS` imports, and what it printed on stderr."""
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True,
                            text=True, timeout=120, cwd=cwd, check=False)
    head, _, modules = result.stderr.rpartition("\nMODULES ")
    assert modules, result.stderr
    return set(json.loads(modules)), head


def test_help_imports_no_heavy_package() -> None:
    modules, _ = imported_by("--help")
    assert "click" in modules  # the probe saw the CLI run
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_command_help_imports_no_heavy_package() -> None:
    for command in ("render", "run", "schedule", "extract", "subscribers", "serve"):
        modules, _ = imported_by(command, "--help")
        assert not modules & set(HEAVY), (command, sorted(modules & set(HEAVY)))


def test_render_of_text_files_imports_no_network_nltk_or_scheduler(
    tmp_path: Path, data: Path
) -> None:
    (tmp_path / "config.yaml").write_text(
        f"sources:\n  - name: desk\n    kind: folder\n    path: {data / 'articles'}\n"
        "state:\n  path: state/state.db\n",
        encoding="utf-8",
    )
    modules, err = imported_by("render", "-c", str(tmp_path / "config.yaml"), "-o",
                               str(tmp_path / "issue.html"), cwd=tmp_path)
    assert "issue 1:" in err, err
    assert (tmp_path / "issue.html").stat().st_size > 1000
    assert not modules & set(NETWORK_AND_SCHEDULE), sorted(modules & set(NETWORK_AND_SCHEDULE))
    assert "nltk" not in modules  # sumy's stemmers are loaded without NLTK's package start-up
    assert "scipy" not in modules  # articles of usual length are scored with plain numpy


def test_fast_stemmers_give_sumy_stems_and_stop_words() -> None:
    code = """
import json, sys
from digest.summarize.stemmers import stemmer, stop_words
words = ["international", "added", "universities", "running", "Häuser", "generously"]
out = {lang: [stemmer(lang)(w.lower()) for w in words] for lang in ("english", "german")}
out["nltk_loaded"] = "nltk" in sys.modules
out["stop"] = sorted(stop_words("english"))
out["stop_de"] = sorted(stop_words("german"))
print(json.dumps(out))
"""
    fast = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                     text=True, check=True, timeout=60).stdout)
    assert fast.pop("nltk_loaded") is False
    sumy_stemmers = pytest.importorskip("sumy.nlp.stemmers")
    sumy_utils = pytest.importorskip("sumy.utils")
    words = ["international", "added", "universities", "running", "Häuser", "generously"]
    for lang in ("english", "german"):
        expected = sumy_stemmers.Stemmer(lang)
        assert fast[lang] == [expected(w.lower()) for w in words], lang
    assert fast["stop"] == sorted(sumy_utils.get_stop_words("english"))
    assert fast["stop_de"] == sorted(sumy_utils.get_stop_words("german"))


def test_stems_stay_right_when_the_snowball_module_cannot_load_alone() -> None:
    code = """
import sys
from digest.summarize import stemmers

def broken():
    raise ImportError("an NLTK laid out differently")

stemmers._isolated_snowball = broken
print(stemmers.stemmer("english")("running"), stemmers.stemmer("english")("universities"),
      "nltk" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=120)
    assert result.stdout.split() == ["run", "univers", "True"]  # sumy's own way, NLTK and all
