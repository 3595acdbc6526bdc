"""Duplicates among the scanned files: exact copies and near duplicates, reading little.

Exact copies: `duplicate_sets` reads only files sharing a size, and the digests it
takes are kept in the files' `FileFacts` (and so in the scan cache): an unchanged file
is not read again on a later run. Near duplicates: a photo's hash may come from its
EXIF thumbnail (`FileFacts.thumb`), a few bits away from the whole image's, and a
thumbnail can be stale. So candidates are looked up `THUMB_SLACK` bits wider, and each
is confirmed with both images' whole-image hashes (decoded when first needed, then
cached), within exactly `NEAR_DISTANCE`: the same answer as decoding every photo.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

from wenming_xl.evidence.kinds import (
    FactsCache,
    FileFacts,
    NearIndex,
    content_hash,
    duplicate_sets,
    full_dhash,
    hamming,
)

#: Two photos whose 256-bit difference hashes differ in at most this many bits are "similar".
NEAR_DISTANCE = 24
#: How much wider candidates are looked up by thumbnail hashes before being confirmed.
THUMB_SLACK = 12


class ScannedFiles:
    """The scanned files' paths and facts; facts learnt later are kept and cached."""

    def __init__(self, paths: list[str], facts: list[FileFacts], cache: Optional[FactsCache]):
        self.paths = paths
        self.facts = facts
        self.cache = cache

    def learn(self, i: int, **changes: object) -> FileFacts:
        """Record what was learnt about file ``i`` (and cache it)."""
        fx = dataclasses.replace(self.facts[i], **changes)
        self.facts[i] = fx
        if self.cache is not None:
            self.cache.put(fx)
        return fx

    def digest(self, i: int, limit: Optional[int]) -> Optional[str]:
        """File ``i``'s digest of its first ``limit`` bytes (None: whole), from its facts if known."""
        fx = self.facts[i]
        known = fx.digest if limit is None else fx.head_digest
        if known is not None:
            return known
        value = content_hash(self.paths[i], limit)
        if value is not None:
            self.learn(i, **{"digest" if limit is None else "head_digest": value})
        return value

    def whole_hash(self, i: int) -> Optional[int]:
        """File ``i``'s whole-image hash, decoding it the first time it is needed."""
        fx = self.facts[i]
        if fx.dhash is None and fx.thumb is not None:
            value = full_dhash(self.paths[i])
            if value is None:
                return None
            fx = self.learn(i, dhash=value)
        return fx.dhash

    def exact_sets(self, live: list[int]) -> list[list[int]]:
        """`duplicate_sets` over the files ``live`` (indices into ``live``' own order)."""
        pairs = [(self.paths[k], self.facts[k].size) for k in live]
        return duplicate_sets(pairs, lambda n, limit: self.digest(live[n], limit))


class NearFinder:
    """The earliest earlier photo within `NEAR_DISTANCE` of each photo, in the order asked."""

    def __init__(self, files: ScannedFiles):
        self.files = files
        self.index = NearIndex(NEAR_DISTANCE + THUMB_SLACK)

    def similar(self, i: int) -> Optional[int]:
        """File ``i``'s near duplicate among the files passed before (None if none); adds ``i``."""
        key = self.files.facts[i].near_hash
        if key is None:
            return None
        found = self.index.find(key, accept=lambda j: self._confirm(i, j))
        self.index.add(key, i)
        return found  # type: ignore[return-value]

    def _confirm(self, i: int, j: object) -> bool:
        assert isinstance(j, int)
        a = self.files.whole_hash(i)
        b = self.files.whole_hash(j)
        return a is not None and b is not None and hamming(a, b) <= NEAR_DISTANCE
