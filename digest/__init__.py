"""digest: a weekly newsletter round-up from folders, feeds and web pages.

The public API is small: :func:`summarize_text` picks the sentences of a text that summarize it,
:func:`split_sentences` cuts a text into its sentences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from digest.models import VERSION as __version__

__all__ = ["__version__", "split_sentences", "summarize_text"]

if TYPE_CHECKING:
    from digest.summarize.methods import summarize_text
    from digest.summarize.sentences import split_sentences


def __getattr__(name: str) -> object:
    # Imported lazily so `digest --help` does not pay for sumy and numpy.
    if name == "summarize_text":
        from digest.summarize.methods import summarize_text

        return summarize_text
    if name == "split_sentences":
        from digest.summarize.sentences import split_sentences

        return split_sentences
    raise AttributeError(name)
