"""Extractive summaries, offline: the method registry, `summarize_text` and `summarize_articles`.

This is the only module that imports sumy. Methods are looked up by name in a plain dict, as in
sumy: sumy's own summarizers, `lead` (the first prose sentences) and `default`, which leads with
the opening and central sentences for short summaries and covers the text for long ones, without
repeats or dangling openers (see `adaptive`). Every method sees only the prose sentences
of a text, so photo credits, "Read more" trails and bylines never reach a summary, and every
summary sentence is a sentence of the source, in source order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.config import SummaryConfig
from digest.errors import DigestError
from digest.models import Article, Summary
from digest.summarize.languages import LANGUAGES, normalize
from digest.summarize.sentences import SentenceSplitter, is_prose

log = logging.getLogger(__name__)

SUMY_CLASSES = {
    "lexrank": ("lex_rank", "LexRankSummarizer"),
    "textrank": ("text_rank", "TextRankSummarizer"),
    "lsa": ("lsa", "LsaSummarizer"),
    "luhn": ("luhn", "LuhnSummarizer"),
    "edmundson": ("edmundson", "EdmundsonSummarizer"),
    "kl": ("kl", "KLSummarizer"),
    "sumbasic": ("sum_basic", "SumBasicSummarizer"),
    "reduction": ("reduction", "ReductionSummarizer"),
}
METHODS = (*SUMY_CLASSES, "lead", "default")
# These names run the vectorized scoring of `graphrank` instead of sumy's pure-Python
# graphs: the same picks (tests/test_summarize_methods.py), 40 to 140× faster at 1,000 sentences.
GRAPH_CLASSES = {"lexrank": "LexRank", "textrank": "TextRank", "reduction": "Reduction"}
# Above this many articles a process pool over all cores pays for its start-up. numpy already
# runs the graph products on several threads, so on 2 cores it only broke even at about 400
# articles (bench/bench_summarize.py, section 2); more cores pay sooner.
POOL_THRESHOLD = 300


@dataclass(frozen=True)
class Summaries:
    """The lead's summary and the teasers' summaries, in the order the teasers were given."""

    lead: Summary | None
    teasers: list[Summary]


def language_name(language: str) -> str:
    """sumy's name for a language given as a name or ISO code, any case ("EN", "German")."""
    name = normalize(language)
    if name is None:
        supported = ", ".join(sorted(LANGUAGES.values()))
        raise DigestError(f"unsupported summary language {language!r}",
                          f"use one of: {supported} (or their ISO codes)")
    return name


def check_method(method: str) -> str:
    """The method's name, or a DigestError naming the supported ones."""
    if method not in METHODS:
        raise DigestError(f"unknown summary method {method!r}",
                          f"use one of: {', '.join(METHODS)}")
    return method


def summarize_text(text: str, sentences: int = 3, method: str = "default",
                   language: str = "english", title: str | None = None) -> list[str]:
    """Pick `sentences` sentences of `text` that summarize it, in the order the text has them.

    `method` is one of ``METHODS``; `language` a name or ISO code ("english", "de"); `title`
    helps `default` and `edmundson`. A text with fewer prose sentences returns all of them.
    """
    picked, _ = _pick(text, sentences, check_method(method), language_name(language), title)
    return picked


def article_sentences(article: Article, default_language: str = "english") -> tuple[str, ...]:
    """Every sentence of an article's text, in order: what an editor picks a summary from."""
    try:
        language = language_name(article.language or default_language)
    except DigestError:
        language = language_name(default_language)
    return SentenceSplitter(language).to_sentences(article.text)


@dataclass(frozen=True)
class Job:
    """One summary to make: the text and everything that decides which sentences it gets."""

    text: str
    count: int
    method: str
    language: str
    title: str | None
    max_words: int | None = None

    def key(self) -> str:
        """The cache key of this summary."""
        from digest.store.sumcache import cache_key

        return cache_key(self.text, method=self.method, count=self.count,
                         language=self.language, title=self.title, max_words=self.max_words)


def summarize_articles(lead: Article | None, teasers: Sequence[Article], settings: SummaryConfig,
                       *, cache_dir: Path | None = None) -> Summaries:
    """Summarize the lead (`lead_sentences`) and each teaser (`teaser_sentences`, or as many
    sentences as fit in `teaser_words` words, at least one), reusing cached summaries."""
    method = check_method(settings.method)
    default_language = language_name(settings.language)
    jobs = [_job(a, settings.teaser_sentences, settings.teaser_words, method, default_language)
            for a in teasers]
    if lead is not None:
        jobs.insert(0, _job(lead, settings.lead_sentences, None, method, default_language))
    results = run_jobs(jobs, cache_dir)
    articles = ([lead] if lead is not None else []) + list(teasers)
    summaries = [Summary(article, tuple(sentences), tuple(scores))
                 for article, (sentences, scores) in zip(articles, results, strict=True)]
    if lead is not None:
        return Summaries(summaries[0], summaries[1:])
    return Summaries(None, summaries)


def _job(article: Article, count: int, max_words: int | None, method: str,
         default_language: str) -> Job:
    language = default_language
    if article.language:
        try:
            language = language_name(article.language)
        except DigestError:
            log.warning("%s: %s: unsupported language %r, summarized as %s",
                        article.source, article.uid, article.language, default_language)
    title = " ".join(t for t in (article.title, article.dek) if t) or None
    return Job(article.text, count, method, language, title, max_words)


def run_jobs(jobs: Sequence[Job], cache_dir: Path | None = None) -> list[tuple[list, list]]:
    """Each job's sentences and scores: from the cache when there, else summarized (in a
    process pool over all cores when there are more than POOL_THRESHOLD of them)."""
    from digest.progress import progress
    from digest.store import sumcache

    results: list[tuple[list, list] | None] = [None] * len(jobs)
    keys = [job.key() for job in jobs] if cache_dir is not None else []
    if cache_dir is not None:
        results = [sumcache.load(cache_dir, key) for key in keys]
    todo = [i for i, result in enumerate(results) if result is None]
    with progress("summarizing", len(todo)) as advance:
        for i, result in zip(todo, _compute([jobs[i] for i in todo]), strict=True):
            results[i] = result
            if cache_dir is not None:
                sumcache.store(cache_dir, keys[i], *result)
            advance(1)
    return [r for r in results if r is not None]


def _compute(jobs: list[Job]) -> Iterator[tuple[list, list]]:
    if len(jobs) <= POOL_THRESHOLD:
        yield from map(run_job, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor

    log.info("summarizing %d articles on %d cores", len(jobs), os.cpu_count() or 1)
    with ProcessPoolExecutor() as pool:
        yield from pool.map(run_job, jobs, chunksize=max(1, len(jobs) // 64))


def run_job(job: Job) -> tuple[list[str], list[float]]:
    """Summarize one job; an unexpected failure falls back to the first sentences, logged."""
    try:
        if job.max_words is None:
            return _pick(job.text, job.count, job.method, job.language, job.title)
        return _fit_words(job)
    except DigestError:
        raise
    except Exception as exc:  # one odd text never stops the issue
        log.warning("summary of %r failed (%s); using its first sentences", job.title, exc)
        return _pick(job.text, job.count, "lead", job.language, job.title)


def _fit_words(job: Job) -> tuple[list[str], list[float]]:
    """The largest summary (up to 10 sentences) within `max_words` words; at least one."""
    best = _pick(job.text, 1, job.method, job.language, job.title)
    for count in range(2, 11):
        picked = _pick(job.text, count, job.method, job.language, job.title)
        if _words(picked[0]) > (job.max_words or 0):
            break
        best = picked
        if len(picked[0]) < count:  # the text has no more prose sentences
            break
    return best


def _words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _pick(text: str, count: int, method: str, language: str, title: str | None,
          weights: Any = None) -> tuple[list[str], list[float]]:
    """The picked sentences and their scores; `weights` tunes `default` (see bench/)."""
    splitter = SentenceSplitter(language)
    paragraphs = [[s for s in p if is_prose(s)] for p in splitter.to_paragraphs(text)]
    prose = [s for p in paragraphs for s in p]
    if len(prose) <= count:
        return prose, [1.0] * len(prose)
    if method == "lead":
        return prose[:count], [1.0] * count
    if method == "default":
        from digest.summarize.adaptive import Weights, pick_default

        return pick_default(prose, count, _stemmer(language), _stop_words(language), title,
                            weights or Weights(), splitter.to_words)
    summarizer = _summarizer(method, language, title)
    if method in GRAPH_CLASSES:  # no sumy document: they read the words in one pass
        chosen = set(summarizer.pick(prose, count, splitter))  # type: ignore[attr-defined]
    else:
        chosen = {str(s) for s in summarizer(_document(paragraphs, splitter), count)}
    picked = [s for s in prose if s in chosen][:count]
    return picked, [1.0] * len(picked)


def _document(paragraphs: list[list[str]], splitter: SentenceSplitter) -> Any:
    """A sumy document of the prose sentences, paragraph by paragraph."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    return ObjectDocumentModel(
        [Paragraph([Sentence(s, splitter) for s in p]) for p in paragraphs if p]
    )


def _summarizer(method: str, language: str, title: str | None) -> Callable[..., Any]:
    """The summarizer behind a method name: for the graph methods, the numpy versions in
    `digest.summarize.graphrank`, which pick the same sentences as sumy's in a fraction of the
    time."""
    if method in GRAPH_CLASSES:
        from digest.summarize import graphrank

        graph = getattr(graphrank, GRAPH_CLASSES[method])(_stemmer(language))
        graph.stop_words = _stop_words(language)
        return graph  # type: ignore[no-any-return]
    return _sumy_summarizer(method, language, title)


def _sumy_summarizer(method: str, language: str, title: str | None) -> Callable[..., Any]:
    import importlib

    module_name, class_name = SUMY_CLASSES[method]
    module = importlib.import_module(f"sumy.summarizers.{module_name}")
    summarizer = getattr(module, class_name)(_stemmer(language))
    stop_words = _stop_words(language)
    if method == "edmundson":
        title_words = SentenceSplitter(language).to_words(title or "")
        summarizer.bonus_words = [w for w in title_words if w.lower() not in stop_words] or [
            "important", "significant", "key", "main"]
        summarizer.stigma_words = ["hardly", "impossible", "unlikely", "perhaps"]
        summarizer.null_words = sorted(stop_words)
    else:
        summarizer.stop_words = stop_words
    if method == "lsa":
        summarizer._create_dictionary = _sorted_dictionary(summarizer)
    return summarizer


def _sorted_dictionary(summarizer: Any) -> Callable[[Any], dict[str, int]]:
    """sumy's LSA word → row mapping, with the rows in sorted word order: sumy numbers a
    frozenset, whose order follows the per-process string hash, so the SVD and then the
    picks would change from one process to the next."""

    def create(document: Any) -> dict[str, int]:
        words = (summarizer.normalize_word(w) for w in document.words)
        unique = sorted({summarizer.stem_word(w) for w in words
                         if w not in summarizer._stop_words})
        return {w: i for i, w in enumerate(unique)}

    return create


def _stemmer(language: str) -> Callable[[str], str]:
    from digest.summarize.stemmers import stemmer  # sumy's stems without NLTK's slow start-up

    return stemmer(language)


def _stop_words(language: str) -> frozenset[str]:
    from digest.summarize.stemmers import (
        stop_words,  # sumy's lists, read without importing sumy.utils
    )

    try:
        return stop_words(language)
    except LookupError:  # sumy has none for this language: every word counts
        return frozenset()
