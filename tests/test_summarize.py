"""Summaries: methods by name, languages, lengths, readability, the cache, the pool and the CLI."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_graphrank import load_news

from digest.cli import cli
from digest.config import SummaryConfig
from digest.errors import DigestError
from digest.models import Article
from digest.summarize import methods as summarize
from digest.summarize.methods import METHODS, summarize_articles, summarize_text
from digest.summarize.sentences import SentenceSplitter

NEWS = """Photo: Town Council

The town council of Millbrook voted on Tuesday to rebuild the flood wall along the river. \
The new wall will be a metre higher than the old one and will cost about £14m.

Councillors approved the plan by nine votes to two. The two who voted against wanted to buy \
land upstream first. Supporters said that land would take a decade to buy.

Work is due to start in the spring. The riverside path will be closed during the work. \
Residents who lost furniture in the last flood welcomed the vote.

Read more ›"""


def article(uid: str, text: str = NEWS, title: str | None = None, **fields: object) -> Article:
    return Article(title=title or f"Story {uid}", text=text, source="test", uid=uid, **fields)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_picks_source_sentences_in_source_order(method: str) -> None:
    sentences = SentenceSplitter().to_sentences(NEWS)
    picked = summarize_text(NEWS, 3, method, "english", title="Flood wall")
    assert len(picked) == 3
    positions = [sentences.index(s) for s in picked]
    assert positions == sorted(positions)
    assert not any(s.startswith(("Photo", "Read more")) for s in picked)


def test_a_short_text_gives_all_its_prose_sentences() -> None:
    text = "Photo: AP\n\nThe bridge reopened on Monday after repairs. Traffic is back to normal."
    assert summarize_text(text, 5) == [
        "The bridge reopened on Monday after repairs.", "Traffic is back to normal."]
    assert summarize_text("", 3) == []


def test_default_teasers_open_with_the_point(data: Path) -> None:
    """A two-sentence teaser of a news story starts with the story's first sentence."""
    for title, text in load_news(data):
        picked = summarize_text(text, 2, title=title)
        assert picked[0] == SentenceSplitter().to_sentences(text)[0], title


def test_unknown_method_and_language_name_the_supported_ones() -> None:
    with pytest.raises(DigestError) as method_error:
        summarize_text(NEWS, 2, method="bert")
    assert "'bert'" in str(method_error.value) and "lexrank" in (method_error.value.hint or "")
    with pytest.raises(DigestError) as language_error:
        summarize_text(NEWS, 2, language="klingon")
    assert "klingon" in str(language_error.value)
    assert "german" in (language_error.value.hint or "")


@pytest.mark.parametrize("language", ["en", "EN", "English", "en-GB"])
def test_language_names_and_codes(language: str) -> None:
    assert summarize.language_name(language) == "english"
    assert summarize.language_name("de") == summarize.language_name("German") == "german"


def test_lead_and_teasers_get_their_lengths_in_order() -> None:
    settings = SummaryConfig(lead_sentences=4, teaser_sentences=1)
    teasers = [article(str(i)) for i in range(3)]
    result = summarize_articles(article("lead"), teasers, settings)
    assert result.lead is not None and len(result.lead.sentences) == 4
    assert [s.article.uid for s in result.teasers] == ["0", "1", "2"]
    assert all(len(s.sentences) == 1 for s in result.teasers)
    assert len(result.lead.scores) == 4
    assert summarize_articles(None, [], settings) == summarize.Summaries(None, [])


def test_teaser_words_caps_length_without_cutting_a_sentence() -> None:
    settings = SummaryConfig(teaser_sentences=2, teaser_words=30)
    (teaser,) = summarize_articles(None, [article("a")], settings).teasers
    assert len(teaser.sentences) >= 1 and sum(len(s.split()) for s in teaser.sentences) <= 30
    assert all(s in SentenceSplitter().to_sentences(NEWS) for s in teaser.sentences)
    tiny = SummaryConfig(teaser_words=5)
    (one,) = summarize_articles(None, [article("b")], tiny).teasers
    assert len(one.sentences) == 1  # at least one sentence, even past the word limit


def test_article_language_wins_and_a_bad_one_falls_back(caplog) -> None:
    german = ("Der Stadtrat hat am Dienstag den Bau einer neuen Brücke beschlossen. Die Arbeiten "
              "beginnen im Frühjahr. Die Brücke soll im nächsten Jahr fertig sein. Anwohner "
              "begrüßten die Entscheidung des Rates.")
    settings = SummaryConfig(teaser_sentences=2)
    result = summarize_articles(None, [article("de", german, language="de"),
                                       article("xx", language="xx")], settings)
    assert result.teasers[0].sentences[0].startswith("Der Stadtrat")
    assert len(result.teasers[1].sentences) == 2
    assert "unsupported language 'xx'" in caplog.text


def test_the_cache_spares_a_second_summarizing(tmp_path: Path, monkeypatch) -> None:
    settings = SummaryConfig()
    first = summarize_articles(article("lead"), [article("t")], settings, cache_dir=tmp_path)
    assert len(list(tmp_path.rglob("*.json"))) == 2

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("summarized again despite the cache")

    monkeypatch.setattr(summarize, "_pick", refuse)
    again = summarize_articles(article("lead"), [article("t")], settings, cache_dir=tmp_path)
    assert again == first
    with pytest.raises(AssertionError):  # other settings are another entry
        summarize_articles(None, [article("t")], SummaryConfig(teaser_sentences=3),
                           cache_dir=tmp_path)


def test_a_damaged_cache_entry_is_summarized_again(tmp_path: Path, caplog) -> None:
    settings = SummaryConfig()
    first = summarize_articles(None, [article("t")], settings, cache_dir=tmp_path)
    (entry,) = tmp_path.rglob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        again = summarize_articles(None, [article("t")], settings, cache_dir=tmp_path)
    assert again == first and "unreadable entry" in caplog.text
    assert json.loads(entry.read_text(encoding="utf-8"))["sentences"]


def test_many_articles_use_the_pool_with_the_same_result(data: Path, monkeypatch,
                                                         caplog) -> None:
    teasers = [article(str(i), text, title=title) for i, (title, text) in
               enumerate(load_news(data)[:6])]
    alone = summarize_articles(None, teasers, SummaryConfig())
    monkeypatch.setattr(summarize, "POOL_THRESHOLD", 2)
    with caplog.at_level(logging.INFO, logger="digest.summarize.methods"):
        pooled = summarize_articles(None, teasers, SummaryConfig())
    assert "summarizing 6 articles on" in caplog.text
    assert pooled == alone


def test_cli_summarizes_files_and_names_the_missing_one(tmp_path: Path) -> None:
    good = tmp_path / "story.txt"
    good.write_text(NEWS, encoding="utf-8")
    missing = tmp_path / "gone.txt"
    result = CliRunner().invoke(cli, ["summarize", str(good), str(missing), "-n", "2"])
    assert result.exit_code == 1
    assert f"Error: {missing}: No such file or directory" in result.stderr
    assert result.stdout.startswith(f"=== {good}\nThe town council of Millbrook voted")
    as_json = CliRunner().invoke(
        cli, ["summarize", str(good), str(missing), "--format", "json", "-m", "lead", "-l", "en"])
    entries = json.loads(as_json.stdout)
    assert [e["input"] for e in entries] == [str(good), str(missing)]
    assert len(entries[0]["sentences"]) == 3 and entries[0]["error"] is None
    assert entries[1]["sentences"] == [] and str(missing) in entries[1]["error"]


def test_cli_rejects_an_unknown_method(tmp_path: Path) -> None:
    good = tmp_path / "story.txt"
    good.write_text(NEWS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["summarize", str(good), "-m", "magic"])
    assert result.exit_code == 1
    assert "unknown summary method 'magic'" in result.stderr


def test_every_method_picks_the_same_in_processes_with_other_hash_seeds(data: Path) -> None:
    """String hashing changes from process to process: no method's picks may follow it."""
    script = """
import json, sys
sys.path.insert(0, "tests")
from pathlib import Path
from test_graphrank import load_news
from digest.summarize.methods import METHODS, summarize_text
news = load_news(Path("tests/data"))
print(json.dumps({m: [summarize_text(text, count, m, "en", title=title) for title, text in news
                      for count in (1, 3, 4, 5)] for m in METHODS}))
"""
    root = data.parent.parent
    runs = []
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                              text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1] == runs[2]
    assert set(runs[0]) == set(METHODS)


def test_a_teaser_says_what_the_headline_promises_even_after_a_scene_setting_opening() -> None:
    text = ("Mary Jones still keeps a row of sandbags by her front door, just in case. She has "
            "lived by the river for forty years and has seen the water come in three times.\n\n"
            "On Tuesday the town council approved a new flood wall along the river, a metre "
            "higher than the old one. Work on the wall starts in the spring and will cost about "
            "fourteen million pounds.\n\n"
            "Neighbours gathered outside the town hall to hear the result of the vote.")
    title = "Council approves a new flood wall"
    (teaser,) = summarize_text(text, 1, title=title)
    assert teaser.startswith("On Tuesday the town council approved a new flood wall")
    (first,) = summarize_text(text, 1, method="lead", title=title)
    assert first.startswith("Mary Jones")  # the opening says nothing of the headline
