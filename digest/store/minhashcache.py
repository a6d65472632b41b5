"""The MinHash cache: each article text's signature and each checked pair's verdict, kept from
one render to the next.

Finding duplicates in a big week spends most of its time cutting texts into 5-word shingles:
every text for its signature, and both texts of every candidate pair for the exact check. A
re-render of the same week takes both from here. One file, `dedupe/minhash.npz` in the cache
folder, holds what the last render used (texts named by a 16-byte BLAKE2 digest, pairs by both
digests), rewritten through `digest.store.cache` when something was added; a damaged or outdated
file counts as empty.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from digest.store.cache import Codec, Slot

# Bump when shingles, permutations or the same-story test change, so an old file stops matching.
VERSION = "minhash-2"


def text_key(text: str) -> bytes:
    """The 16-byte digest that names a text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class MinHashCache:
    """Signatures (None for a text of no words) and pair verdicts of the texts of one run,
    by index; without a cache folder it only holds what this run computes."""

    def __init__(self, cache_dir: Path | None, permutations: int, texts: Sequence[str]) -> None:
        self.slot = Slot(cache_dir / "dedupe" / "minhash.npz", NPZ, version=VERSION,
                         label="duplicate cache", again="hashing again") if cache_dir else None
        self.permutations = permutations
        self.keys = [text_key(text) for text in texts]
        self.signatures: dict[bytes, Any] = {}
        self.verdicts: dict[bytes, bool] = {}
        self.changed = False
        data = self.slot.get() if self.slot else None
        if data is not None and data["signatures"].shape[1:] == (permutations,):
            try:
                self._take(data)
            except ValueError:  # arrays of unequal lengths: a damaged file is empty
                self.signatures, self.verdicts = {}, {}

    def _take(self, data: dict[str, Any]) -> None:
        import numpy as np

        signatures = data["signatures"].astype(np.uint64)
        for key, row, empty in zip(data["keys"], signatures, data["empty"], strict=True):
            self.signatures[key.tobytes()] = None if empty else row
        for pair, same in zip(data["pairs"], data["same"], strict=True):
            self.verdicts[pair.tobytes()] = bool(same)

    def known(self, index: int) -> bool:
        """Whether text `index` has a signature (or is known to have no words)."""
        return self.keys[index] in self.signatures

    def column(self, index: int) -> Any:
        """The signature of text `index`, None for a text of no words."""
        return self.signatures[self.keys[index]]

    def remember(self, index: int, column: Any) -> None:
        """Keep the signature of text `index`."""
        self.signatures[self.keys[index]] = column
        self.changed = True

    def verdict(self, i: int, j: int) -> bool | None:
        """Whether texts i and j were found the same story, None when not checked before."""
        return self.verdicts.get(self.keys[i] + self.keys[j])

    def judge(self, i: int, j: int, same: bool) -> None:
        """Keep the verdict on texts i and j."""
        self.verdicts[self.keys[i] + self.keys[j]] = same
        self.changed = True

    def save(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Write this run's signatures and the verdicts on `pairs`, if anything was added."""
        if self.slot is None or not self.changed:
            return
        import numpy as np

        keys = list(dict.fromkeys(self.keys))
        columns = [self.signatures[key] for key in keys]
        signatures = np.zeros((len(keys), self.permutations), dtype=np.uint32)
        for row, column in enumerate(columns):
            if column is not None:
                signatures[row] = column
        joined = [self.keys[i] + self.keys[j] for i, j in pairs]
        arrays = {
            "keys": np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 16),
            "signatures": signatures,
            "empty": np.array([column is None for column in columns], dtype=bool),
            "pairs": np.frombuffer(b"".join(joined), dtype=np.uint8).reshape(len(joined), 32),
            "same": np.array([self.verdicts[pair] for pair in joined], dtype=bool),
        }
        self.slot.put(arrays)


def _dump(arrays: dict[str, Any]) -> bytes:
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _load(data: bytes) -> dict[str, Any]:
    import numpy as np

    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        return {name: arrays[name] for name in ("keys", "signatures", "empty", "pairs", "same")}


NPZ = Codec(".npz", _dump, _load)
