"""Streamed Content-Encoding decoding with the size cap on the decoded bytes.

A response may stack encodings (``Content-Encoding: gzip, gzip``): each layer is inflated a
bounded step at a time from the layer below, so a few kilobytes that would expand to gigabytes
never occupy more than one step of memory before the cap stops them.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator

STEP = 64 * 1024  # most bytes one layer hands up at a time
MAX_LAYERS = 4
_GZIP = 16 + zlib.MAX_WBITS


class DecodingError(ValueError):
    """A body whose Content-Encoding is unknown, stacked too deep, or damaged."""


def encodings(header: str) -> list[str]:
    """The codings of a Content-Encoding header in the order they were applied."""
    names = [name.strip().lower() for name in header.split(",")]
    return [name for name in names if name and name != "identity"]


def decoded(raw: Iterable[bytes], header: str) -> Iterator[bytes]:
    """The body decoded through every coding named in `header`, at most `STEP` bytes a piece."""
    applied = encodings(header)
    if len(applied) > MAX_LAYERS:
        raise DecodingError(f"{len(applied)} stacked content encodings")
    chunks: Iterator[bytes] = iter(raw)
    for name in reversed(applied):  # the last coding applied is undone first
        if name in ("gzip", "x-gzip"):
            chunks = _inflate(chunks, lambda: zlib.decompressobj(_GZIP))
        elif name == "deflate":
            chunks = _inflate(chunks, None)
        else:
            raise DecodingError(f"unsupported content encoding {name[:40]!r}")
    return chunks


def _inflate(chunks: Iterator[bytes], make: Callable[[], zlib._Decompress] | None
             ) -> Iterator[bytes]:
    """One coding undone; `make` None means deflate, zlib-wrapped or raw (both are seen)."""
    inflater = make() if make else None
    try:
        for chunk in chunks:
            if inflater is None:  # deflate: the first byte says whether a zlib header is there
                raw = bool(chunk) and (chunk[0] & 0x0F) != 8
                inflater = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
            data = chunk
            while data:
                out = inflater.decompress(data, STEP)
                data = inflater.unconsumed_tail
                if out:
                    yield out
                if inflater.eof and make is not None and inflater.unused_data:
                    data, inflater = inflater.unused_data, make()  # another gzip member
                elif not data and len(out) == STEP:
                    data = b""
                    yield from _drain(inflater)
        if inflater is not None:
            yield from _drain(inflater)
    except zlib.error as exc:
        raise DecodingError(f"damaged compressed body: {exc}") from exc


def _drain(inflater: zlib._Decompress) -> Iterator[bytes]:
    """Output still held inside the inflater once its input is used up, a step at a time."""
    while True:
        out = inflater.decompress(inflater.unconsumed_tail, STEP)
        if out:
            yield out
        if len(out) < STEP and not inflater.unconsumed_tail:
            return
