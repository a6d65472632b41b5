"""Learn `default`'s weights on the tuning half of the evaluation sets (never the test half).

Usage: python bench/tune_default.py [--data FOLDER] [--rounds N] [--out weights.json]
       [--start weights.json]

Each tuning record's sentences, signals (`digest.summarize.adaptive.features`), cosines and
ROUGE tokens are computed once; then coordinate ascent changes one weight at a time (steps of
±0.1 to ±2) and keeps a change when the mean ROUGE-1 F1 over the four sets (xsum, frank,
writers, bbc; each set counts the same) rises. The weights of position and of the headline stay
non-negative. The vector for texts without a title (`Weights.untitled`; only the CNN/DM sets
have none) is then chosen from a grid over its few signals that count (`UNTITLED_GRID`): the
point whose neighbourhood (itself and one step along each axis) has the best mean ROUGE-1 gain
over Lead-3 (each set counting the same), so that no lucky single point on ~180 articles wins;
its paired bootstrap interval against Lead-3 on the tuning half is printed. ROUGE-1 here is
computed from the same tokens `rouge-score` uses (its tokenizer with Porter stemming), so it
matches `bench/eval_summaries.py`. The result is printed as JSON
for `eval_summaries.py --weights` and as the `Weights(...)` to ship.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from eval_summaries import DEFAULT_DATA, SETS, Record, bootstrap, load_set

from digest.summarize.adaptive import FEATURES, Weights, blend, features, select, vector
from digest.summarize.graphrank import GraphSummarizer, containment, tfidf_cosine
from digest.summarize.methods import _stemmer, _stop_words
from digest.summarize.sentences import WORD, SentenceSplitter, is_dangling, is_prose

# An opening that holds the headline, or the text's centre, is evidence that the lead is a
# summary: a negative weight would learn the build of the XSum-like set (whose opening was cut
# off, so the new first sentence follows up on the headline) rather than news.
NON_NEGATIVE = {"position", "title", "lead_central", "lead_title"}
UNTITLED_ONLY = {"forward"}  # learned for texts without a title only, by the grid
UNTITLED_GRID = {"position": (2.0, 3.0, 4.0, 5.0, 6.0), "forward": (1.0, 1.5, 2.0, 3.0),
                 "centroid": (0.5, 1.0, 1.5), "lexrank": (0.0, 0.5),
                 "length": (-0.9, -0.6, -0.3)}
STEPS = (-2.0, -1.0, -0.5, -0.2, -0.1, 0.1, 0.2, 0.5, 1.0, 2.0)


@dataclass
class Prepared:
    """What choosing sentences for one record needs, computed once."""

    count: int
    raw: np.ndarray  # signals at decay 1: position columns are recomputed per decay
    cosine: np.ndarray
    same: np.ndarray
    dangling: np.ndarray
    tokens: np.ndarray  # sentence × token counts (rouge-score's tokens)
    references: list[np.ndarray]  # token counts of each reference
    titled: bool = True  # False: the text has no title words, `Weights.untitled` applies


def prepare(record: Record, tokenize) -> Prepared | None:
    """One record's sentences and signals, or None when every method returns all of them."""
    splitter = SentenceSplitter("english")
    prose = [s for p in splitter.to_paragraphs(record.text) for s in p if is_prose(s)]
    if len(prose) <= record.count:
        return None
    scorer = GraphSummarizer(_stemmer("english"))
    scorer.stop_words = _stop_words("english")
    terms = [scorer._terms(WORD.findall(s)) for s in prose]
    cosine = tfidf_cosine(terms)
    title = scorer._terms(WORD.findall(record.title or ""))
    raw = features(terms, cosine, title, decay=1.0)
    sentence_tokens = [Counter(tokenize(s)) for s in prose]
    reference_tokens = [Counter(tokenize(r)) for r in record.references]
    vocabulary = {t: i for i, t in enumerate(
        sorted({t for c in sentence_tokens + reference_tokens for t in c}))}
    return Prepared(record.count, raw, cosine, containment(terms) > Weights().duplicate,
                    np.array([is_dangling(s) for s in prose]),
                    _counts(sentence_tokens, vocabulary),
                    list(_counts(reference_tokens, vocabulary)), bool(title))


def _counts(counters: list[Counter], vocabulary: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(counters), max(len(vocabulary), 1)))
    for row, counter in enumerate(counters):
        for token, count in counter.items():
            out[row, vocabulary[token]] = count
    return out


def with_decay(raw: np.ndarray, decay: float) -> np.ndarray:
    """The signals for another position decay (columns 0, 7 and 8 scale with exp(-i/decay))."""
    out = raw.copy()
    n = len(raw)
    old = np.exp(-np.arange(n) / 1.0)
    new = np.exp(-np.arange(n) / decay)
    out[:, 0] = new
    for column in (7, 8):
        out[:, column] = raw[:, column] / np.where(old > 0, old, 1.0) * new
    return out


def rouge1(picked: np.ndarray, reference: np.ndarray) -> float:
    """ROUGE-1 F1 of token count vectors."""
    overlap = float(np.minimum(picked, reference).sum())
    if not overlap:
        return 0.0
    precision = overlap / float(picked.sum())
    recall = overlap / float(reference.sum())
    return 200 * precision * recall / (precision + recall)


def _key(weights: Weights, regime: str, titled: bool) -> tuple:
    """The weights a record of this regime depends on."""
    shared = (weights.decay, weights.short_share, weights.long_share)
    short = weights.short if titled else weights.untitled
    if regime == "short":
        return (*shared, short, weights.redundancy, weights.dangling)
    if regime == "long":
        return (*shared, weights.long, weights.dangling_long)
    return (*shared, short, weights.long, weights.redundancy, weights.dangling,
            weights.dangling_long)


def record_score(item: Prepared, signals: np.ndarray, weights: Weights) -> float:
    """ROUGE-1 of `default`'s picks for one prepared record."""
    fade = blend(item.count, len(item.tokens), weights)
    score = signals @ vector(weights, fade, item.titled)
    if item.count == 1:
        gain = score - item.dangling * (fade * weights.dangling
                                        + (1 - fade) * weights.dangling_long)
        picked = [int(np.argmax(gain))]
    else:
        picked = select(score, item.count, item.cosine, item.same, item.dangling, fade, weights)
    summary = item.tokens[picked].sum(axis=0)
    return max(rouge1(summary, ref) for ref in item.references)


def objective(sets: dict[str, list[Prepared]], weights: Weights, cache: dict) -> dict[str, float]:
    """Mean ROUGE-1 per set for these weights (each record's result is kept by the weights
    it depends on, so changing a short-summary weight rescores no long summary)."""
    if weights.decay not in cache:
        cache[weights.decay] = {name: [with_decay(p.raw, weights.decay) for p in items]
                                for name, items in sets.items()}
    out = {}
    for name, items in sets.items():
        total = 0.0
        for index, (item, signals) in enumerate(zip(items, cache[weights.decay][name],
                                                    strict=True)):
            fade = blend(item.count, len(item.tokens), weights)
            regime = "short" if fade == 1 else "long" if fade == 0 else "mixed"
            key = (name, index, _key(weights, regime, item.titled))
            if key not in cache:
                cache[key] = record_score(item, signals, weights)
            total += cache[key]
        out[name] = total / len(items)
    return out


def candidates(weights: Weights):
    """Every weights object one step away from `weights`."""
    for which in ("short", "long"):
        vector = getattr(weights, which)
        for index in range(len(FEATURES)):
            if FEATURES[index] in UNTITLED_ONLY:
                continue
            for step in STEPS:
                changed = list(vector)
                changed[index] = round(changed[index] + step, 3)
                if FEATURES[index] in NON_NEGATIVE and changed[index] < 0:
                    continue
                yield f"{which}.{FEATURES[index]}", replace(weights, **{which: tuple(changed)})
    for field, steps in (("decay", (-3.0, -1.0, 1.0, 3.0)), ("redundancy", (-0.5, 0.5)),
                         ("dangling", (-0.5, 0.5)), ("dangling_long", (-0.2, 0.2)),
                         ("short_share", (-0.05, 0.05)), ("long_share", (-0.05, 0.05))):
        for step in steps:
            value = round(getattr(weights, field) + step, 3)
            if value > 0 and (field != "long_share" or value > weights.short_share + 0.01) and (
                    field != "short_share" or value < weights.long_share - 0.01):
                yield field, replace(weights, **{field: value})


def lead_scores(items: list[Prepared]) -> list[float]:
    """ROUGE-1 of Lead-3 (the first `count` prose sentences) for each record."""
    return [max(rouge1(p.tokens[:p.count].sum(axis=0), ref) for ref in p.references)
            for p in items]


def untitled_grid(sets: dict[str, list[Prepared]], weights: Weights) -> Weights:
    """`weights` with the untitled vector whose grid neighbourhood does best against Lead-3."""
    groups = {name: [p for p in items if not p.titled] for name, items in sets.items()}
    # A set with a handful of such texts (a headline of stop words only) would decide nothing.
    groups = {name: items for name, items in groups.items() if len(items) >= 20}
    signals = {name: [with_decay(p.raw, weights.decay) for p in items]
               for name, items in groups.items()}
    lead = {name: lead_scores(items) for name, items in groups.items()}
    axes = [FEATURES.index(name) for name in UNTITLED_GRID]

    def scores(combo: tuple[int, ...]) -> dict[str, list[float]]:
        return {name: [record_score(p, s, _untitled(weights, axes, combo))
                       for p, s in zip(items, signals[name], strict=True)]
                for name, items in groups.items()}

    gains = {combo: [float(np.mean(v)) - float(np.mean(lead[name]))
                     for name, v in scores(combo).items()]
             for combo in itertools.product(*(range(len(v)) for v in UNTITLED_GRID.values()))}

    def smoothed(combo: tuple[int, ...]) -> float:
        near = [combo] + [(*combo[:i], combo[i] + step, *combo[i + 1:])
                          for i in range(len(combo)) for step in (-1, 1)]
        near = [c for c in near if c in gains]
        return float(np.mean([gains[c] for c in near]))  # over the points, then the sets

    best = max(gains, key=smoothed)
    for name, values in scores(best).items():
        low, high = bootstrap(values, lead[name])
        print(f"untitled {name}: {np.mean(values) - np.mean(lead[name]):+.2f} over Lead-3 "
              f"[{low:+.2f}, {high:+.2f}] (neighbourhood {smoothed(best):+.2f})", flush=True)
    return _untitled(weights, axes, best)


def _untitled(weights: Weights, axes: list[int], combo: tuple[int, ...]) -> Weights:
    values = list(weights.untitled)
    for axis, options, choice in zip(axes, UNTITLED_GRID.values(), combo, strict=True):
        values[axis] = options[choice]
    return replace(weights, untitled=tuple(values))


def main() -> None:
    """Prepare the tuning half, climb, print the weights."""
    from rouge_score import tokenizers

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--out", type=Path, default=Path("default_weights.json"))
    parser.add_argument("--start", type=Path, help="weights to start from (JSON), else the shipped")
    args = parser.parse_args()
    tokenize = tokenizers.DefaultTokenizer(use_stemmer=True).tokenize
    sets = {}
    for name in SETS:
        prepared = [prepare(r, tokenize) for r in load_set(name, args.data, "tune")]
        sets[name] = [p for p in prepared if p is not None]
        print(f"{name}: {len(sets[name])} tuning records", flush=True)
    cache: dict = {}
    weights = Weights()
    if args.start:
        start = json.loads(args.start.read_text())
        weights = Weights(**{k: tuple(v) if isinstance(v, list) else v for k, v in start.items()})
    best = objective(sets, weights, cache)
    print("start", {k: round(v, 2) for k, v in best.items()}, flush=True)
    for round_number in range(args.rounds):
        improved = False
        for label, candidate in candidates(weights):
            figures = objective(sets, candidate, cache)
            if sum(figures.values()) > sum(best.values()) + 1e-6:
                weights, best, improved = candidate, figures, True
                print(f"round {round_number + 1}: {label} -> "
                      f"{ {k: round(v, 2) for k, v in best.items()} }", flush=True)
        if not improved:
            break
    weights = untitled_grid(sets, weights)
    args.out.write_text(json.dumps(asdict(weights)))
    print(json.dumps(asdict(weights)))
    print(weights)


if __name__ == "__main__":
    main()
