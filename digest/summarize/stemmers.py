"""Word stemmers and stop words that load in milliseconds, the same ones sumy uses.

sumy's `Stemmer` wraps NLTK's Snowball stemmers, and importing NLTK's package runs all of
NLTK's start-up, which imports scipy.stats when scipy is installed: 1 to 2 seconds before the
first word is stemmed. The Snowball module itself needs only a few small NLTK modules, so it is
loaded here on its own, with NLTK's package and its corpus loader left out, and the rest of NLTK
stays unimported. Any failure falls back to sumy's own `Stemmer`, so the stems are always NLTK's.
Stop words are read from sumy's data files directly, without importing sumy's utilities (which
pull in an HTTP client and a language database).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
import pkgutil
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Stemmer = Callable[[str], str]
# Languages that sumy stems with its own code rather than NLTK's Snowball.
SUMY_OWN = {"czech", "slovak", "greek", "polish", "ukrainian", "hebrew", "chinese", "japanese",
            "korean"}
# Languages whose words sumy only lower-cases (its `null_stemmer`).
UNSTEMMED = {"hebrew", "chinese", "japanese", "korean"}
_LOCK = threading.Lock()
STEMS_KEPT = 200_000  # distinct words remembered per language (a few tens of MB at most)


@functools.cache
def stemmer(language: str) -> Stemmer:
    """The stemming function sumy's `Stemmer(language)` would use, for a lower-case name.

    Stems are remembered across texts: a week's articles share most of their words, and
    Snowball's suffix rules cost far more than a look-up.
    """
    return functools.lru_cache(maxsize=STEMS_KEPT)(_uncached(language))


def _uncached(language: str) -> Stemmer:
    if language in UNSTEMMED:
        return str.lower
    if language not in SUMY_OWN:
        snowball = _snowball_module()
        found = getattr(snowball, language.capitalize() + "Stemmer", None) if snowball else None
        if found is not None:
            return found().stem  # type: ignore[no-any-return]
    from sumy.nlp.stemmers import Stemmer as SumyStemmer

    return SumyStemmer(language)  # type: ignore[no-any-return]


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """sumy's stop words for a lower-case language name (as `sumy.utils.get_stop_words`)."""
    try:
        data = pkgutil.get_data("sumy", f"data/stopwords/{language}.txt")
    except OSError as exc:
        raise LookupError(f"Stop-words are not available for language {language}.") from exc
    text = (data or b"").decode("utf-8")
    return frozenset(w.rstrip() for w in text.splitlines() if w)


@functools.cache
def _snowball_module() -> Any:
    """NLTK's `nltk.stem.snowball`, imported without running NLTK's package start-up."""
    if "nltk" in sys.modules:  # already paid for: use the real thing
        return importlib.import_module("nltk.stem.snowball")
    with _LOCK:
        try:
            return _isolated_snowball()
        except Exception as exc:  # an NLTK whose layout changed: sumy's way still works
            log.debug("loading NLTK's Snowball stemmers on their own failed (%s)", exc)
            return None


def _isolated_snowball() -> Any:
    """Import the Snowball module under empty stand-ins for its parent packages, then forget
    the stand-ins so that a later `import nltk` runs NLTK's real start-up."""
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = next(iter(spec.submodule_search_locations))
    before = set(sys.modules)
    for name, folder in (("nltk", root), ("nltk.stem", f"{root}/stem"),
                         ("nltk.corpus", f"{root}/corpus")):
        package = types.ModuleType(name)
        package.__path__ = [folder]
        sys.modules[name] = package
    sys.modules["nltk.corpus"].stopwords = None  # type: ignore[attr-defined]  # unused: NLTK's stop-word option stays off
    try:
        return importlib.import_module("nltk.stem.snowball")
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]
