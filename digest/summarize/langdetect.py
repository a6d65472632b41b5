"""The language of an article whose source and document do not say, offline.

Three steps, cheapest first, on the first `SAMPLE` characters:
1. the script: kana means Japanese, other Han characters Chinese, and Greek, Hebrew and Arabic
   letters their languages;
2. stop words: when at least `STOP_SHARE` of the words are stop words of the fallback language
   and no other language's list holds more, it is the fallback (most articles of a week are in
   the newsletter's language, and this costs microseconds);
3. otherwise py3langid (a small Naive Bayes model inside its wheel, loaded once per process,
   about a second), trusted when its normalised probability is at least `MIN_PROBABILITY` and
   the language is one digest summarizes.
Anything else keeps the fallback.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from digest.config import SummaryConfig
from digest.models import Article
from digest.summarize.languages import CODES, LANGUAGES

log = logging.getLogger(__name__)

SAMPLE = 2000
STOP_SAMPLE = 800  # characters, about 130 words: plenty to see a language's stop words
STOP_SHARE = 0.25
MIN_PROBABILITY = 0.6
MIN_WORDS = 4
WORD = re.compile(r"[^\W\d_]+")
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
SCRIPTS = {"greek": re.compile(r"[\u0370-\u03ff]"), "hebrew": re.compile(r"[\u0590-\u05ff]"),
           "arabic": re.compile(r"[\u0600-\u06ff]")}
_LOCK = threading.Lock()


def with_languages(articles: Sequence[Article], settings: SummaryConfig) -> list[Article]:
    """The articles, each that says no language given the one detected from its text (an ISO
    code; `summary.language` where detection is unsure or `summary.detect_language` is off)."""
    if not settings.detect_language:
        return list(articles)
    from digest.summarize.methods import language_name

    fallback = language_name(settings.language)
    out = []
    for article in articles:
        if not article.language:
            name = detect(f"{article.title}\n\n{article.text}", fallback)
            article = replace(article, language=CODES[name])
        out.append(article)
    return out


def detect(text: str, fallback: str) -> str:
    """The language name (as in `languages`) of `text`, else `fallback`."""
    sample = text[:SAMPLE]
    size = len(sample) - sample.count(" ")  # about the letters, and cheap
    by_script = None if sample.isascii() else _by_script(sample, size)
    if by_script:
        return by_script
    words = WORD.findall(sample[:STOP_SAMPLE].lower())
    if len(words) < MIN_WORDS:
        return fallback
    if _mostly_stop_words(words, fallback):
        return fallback
    code, probability = _identifier().classify(sample)
    name = LANGUAGES.get(code)
    if name is None or probability < MIN_PROBABILITY:
        return fallback
    return name


def _by_script(sample: str, letters: int) -> str | None:
    han = len(HAN.findall(sample))
    kana = len(KANA.findall(sample))
    if han + kana > 0.3 * letters:
        return "japanese" if kana > 0.1 * (han + kana) else "chinese"
    for name, script in SCRIPTS.items():
        if len(script.findall(sample)) > 0.5 * letters:
            return name
    return None


def _mostly_stop_words(words: list[str], language: str) -> bool:
    """Whether the words are mostly the language's stop words, more than any other list's."""
    lists = _stop_lists()
    if language not in lists or not words:
        return False
    counts = Counter(words)
    hits = {name: sum(n for w, n in counts.items() if w in stop) for name, stop in lists.items()}
    return hits[language] >= STOP_SHARE * len(words) and hits[language] >= max(hits.values())


@functools.cache
def _stop_lists() -> dict[str, frozenset[str]]:
    from digest.summarize.stemmers import stop_words

    lists = {}
    for name in CODES:
        try:
            lists[name] = stop_words(name)
        except LookupError:
            continue
    return lists


@functools.cache
def _identifier() -> Any:
    with _LOCK:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        log.debug("loading the language identifier")
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
