"""Language names and ISO codes, as summarizing, splitting and detection use them.

The summarized languages are those sumy stems offline (NLTK's Snowball stemmers and sumy's own
Czech, Slovak, Polish, Greek and Ukrainian ones; Hebrew, Chinese and Japanese words are only
lower-cased, as in sumy). This module imports nothing.
"""

from __future__ import annotations

LANGUAGES = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
    "fi": "finnish", "hu": "hungarian", "ro": "romanian", "ru": "russian", "cs": "czech",
    "sk": "slovak", "pl": "polish", "el": "greek", "uk": "ukrainian", "ar": "arabic",
    "he": "hebrew", "ja": "japanese", "zh": "chinese",
}  # fmt: skip
CODES = {name: code for code, name in LANGUAGES.items()}
ALIASES = {"nb": "no", "nn": "no", "iw": "he"}
# Scripts that write sentences without spaces between them (and words without spaces).
UNSPACED = frozenset({"japanese", "chinese"})


def normalize(language: str) -> str | None:
    """The lower-case name for a name or ISO code in any case ("EN", "de-AT", "German"),
    or None when it is none of the known languages."""
    text = language.strip().lower().replace("_", "-")
    code = ALIASES.get(text.split("-")[0], text.split("-")[0])
    if code in LANGUAGES:
        return LANGUAGES[code]
    return text if text in CODES else None
