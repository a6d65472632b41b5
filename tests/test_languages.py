"""Language per article: a mixed week summarizes each story in its own language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest import pipeline
from digest.config import SummaryConfig, load_config
from digest.models import Article
from digest.summarize.langdetect import detect, with_languages


def mixed_config(tmp_path: Path, data: Path, extra: str = "") -> Path:
    shutil.copytree(data / "mixed", tmp_path / "mixed")
    config = tmp_path / "config.yaml"
    config.write_text(
        "newsletter:\n  language: en\n"
        "sources:\n  - name: town\n    kind: folder\n    path: mixed\n"
        f"summary:\n  teaser_sentences: 2\n  cache: false\n{extra}"
        "state:\n  path: state/state.db\n", encoding="utf-8")
    return config


def test_a_mixed_folder_is_summarized_per_language(tmp_path: Path, data: Path) -> None:
    built = pipeline.build_issue(load_config(mixed_config(tmp_path, data)))
    summaries = [built.issue.lead, *built.issue.teasers]
    by_language = {s.article.language: s for s in summaries if s is not None}
    assert set(by_language) == {"en", "de", "fr", "ja"}
    german = by_language["de"].sentences
    # German rules: "am 3. Oktober" is no sentence end, as English rules would make it.
    assert german[0] == ("Die neue Brücke über die Elbe wird am 3. Oktober für den Verkehr "
                         "freigegeben.")
    japanese = by_language["ja"].sentences
    # Japanese rules: sentences end at 。 (an English splitter finds no sentence end at all).
    assert len(japanese) == 2 and all(s.endswith("。") for s in japanese)
    assert by_language["fr"].sentences[0].startswith("La bibliothèque municipale sera")
    assert built.issue.lead is not None and built.issue.lead.article.language in by_language


def test_without_detection_every_article_gets_the_configured_language(tmp_path: Path,
                                                                      data: Path) -> None:
    config = mixed_config(tmp_path, data, "  detect_language: false\n")
    built = pipeline.build_issue(load_config(config))
    shown = [s.article for s in [built.issue.lead, *built.issue.teasers] if s is not None]
    assert len(shown) == 4 and {a.language for a in shown} == {None}


def test_a_language_the_source_gives_is_kept() -> None:
    article = Article(title="Bridge", text="The bridge reopened on Monday after repairs.",
                      source="s", uid="1", language="de")
    (kept,) = with_languages([article], SummaryConfig())
    assert kept.language == "de"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council met on Monday and approved the budget for the new school.", "english"),
        ("Der Stadtrat hat am Dienstag den Bau einer neuen Brücke beschlossen.", "german"),
        ("De gemeenteraad heeft dinsdag besloten een nieuwe brug te bouwen.", "dutch"),
        ("El ayuntamiento aprobó el martes la construcción de un nuevo puente.", "spanish"),
        ("今日は晴れです。明日は雨でしょう。", "japanese"),
        ("今天天气很好。我们明天去北京。", "chinese"),
        ("Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία.", "greek"),
        ("OK", "english"),
    ],
)
def test_detect(text: str, expected: str) -> None:
    assert detect(text, "english") == expected
