"""Duplicates among the scanned files: exact copies and near duplicates, reading little.

Exact copies: `duplicate_sets` reads only files sharing a size, and the digests it
takes are kept in the files' `FileFacts` (and so in the scan cache): an unchanged file
is not read again on a later run.

Near duplicates are decided, as before, on whole-image hashes within `NEAR_DISTANCE`
(`near_duplicates`). A camera JPEG, though, is probed from its header alone and has
only its EXIF thumbnail's ``glance`` (`kinds.hashes`) (`FileFacts.glance`), which is wrong
altogether when the thumbnail is stale (an editor cropped the photo and kept the
original's thumbnail). So first every thumbnail-only photo with any other photo within
`GLANCE_DISTANCE` bits of its glance is decoded whole (hashes learnt and cached); a
decoded photo is then looked up by its own glance too, so a photo near what a stale
thumbnail's photo really shows is decoded in the next round. Rounds end when nothing
new is decoded; only then are the whole-image hashes compared.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Optional

from wenming_xl.evidence.kinds import (
    HASH_BITS,
    FactsCache,
    FileFacts,
    NearIndex,
    content_hash,
    duplicate_sets,
    hamming,
    hashes,
)

#: Two photos whose 256-bit difference hashes differ in at most this many bits are "similar".
NEAR_DISTANCE = 24
#: A thumbnail-only photo with another photo's glance this near is decoded whole. Measured
#: on camera-style photos: thumbnail vs whole photo ≤ 12 bits, a resized copy ≤ 9 more,
#: other photos 35 or more apart.
GLANCE_DISTANCE = 24


class ScannedFiles:
    """The scanned files' paths and facts; facts learnt later are kept and cached."""

    def __init__(self, paths: list[str], facts: list[FileFacts], cache: Optional[FactsCache]):
        self.paths = paths
        self.facts = facts
        self.cache = cache
        #: How many photos were decoded whole after the probe (near-duplicate candidates).
        self.decoded = 0

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
        if fx.dhash is None and fx.glance is not None:
            found = whole_hashes(self.paths[i])
            if found is None:
                return None
            self.decoded += 1
            fx = self.learn(i, dhash=found[0], glance=found[1])
        return fx.dhash

    def exact_sets(self, live: list[int]) -> list[list[int]]:
        """`duplicate_sets` over the files ``live`` (indices into ``live``' own order)."""
        pairs = [(self.paths[k], self.facts[k].size) for k in live]
        return duplicate_sets(pairs, lambda n, limit: self.digest(live[n], limit))


def whole_hashes(path: str) -> Optional[tuple[int, int]]:
    """`kinds.hashes` of the whole image at ``path`` (draft decode); None if unreadable."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with Image.open(path) as im:
                return hashes(im)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            return None


class WideIndex:
    """Whether any other added hash is within ``distance`` bits, for wide distances.

    `NearIndex`'s exact-block pigeonhole needs ``distance + 1`` blocks, which at 24 bits
    are so short that many hashes share one and every lookup compares them all.
    Here ``distance // 2 + 1`` blocks: two hashes within the distance differ in at most
    one bit of some block, so each block is looked up as it is and with each bit flipped.
    """

    def __init__(self, distance: int, bits: int = HASH_BITS):
        self.distance = distance
        n = distance // 2 + 1
        # Block b holds every n-th bit from bit b, as in NearIndex (blank margins).
        blocks = [[1 << i for i in range(b, bits, n)] for b in range(n)]
        self._masks = [sum(block) for block in blocks]
        #: Per block: the value itself (0) and each of its bits, to flip a looked-up value by.
        self._flips = [(0, *block) for block in blocks]
        self._tables: list[dict[int, list[tuple[int, int]]]] = [{} for _ in range(n)]

    def add(self, value: int, key: int) -> None:
        """Remember ``key`` with its hash (a key may be added under several hashes)."""
        for mask, table in zip(self._masks, self._tables):
            table.setdefault(value & mask, []).append((value, key))

    def any_near(self, value: int, exclude: int) -> bool:
        """Whether a key other than ``exclude`` was added with a hash within the distance."""
        limit = self.distance
        for flips, mask, table in zip(self._flips, self._masks, self._tables):
            part, get = value & mask, table.get
            for flip in flips:
                found = get(part ^ flip)
                if found is not None:
                    for other, key in found:
                        if key != exclude and hamming(value, other) <= limit:
                            return True
        return False


def near_duplicates(files: ScannedFiles, order: list[int]) -> dict[int, int]:
    """For files ``order`` (in that order): file → the earliest earlier one it is similar to.

    Similar: whole-image hashes within `NEAR_DISTANCE`, the same answer as decoding
    every photo whole when a photo's thumbnail glance is within `GLANCE_DISTANCE` of its
    near duplicates' (see the module docstring); a photo that cannot be decoded whole
    is left out.
    """
    _decode_candidates(files, order)
    index = NearIndex(NEAR_DISTANCE)
    out: dict[int, int] = {}
    for i in order:
        value = files.facts[i].dhash
        if value is None:
            continue  # no hash, or a thumbnail with no photo near it
        similar = index.find(value)
        if similar is not None:
            out[i] = similar  # type: ignore[assignment]
        index.add(value, i)
    return out


def _decode_candidates(files: ScannedFiles, order: list[int]) -> None:
    """Decode whole every thumbnail-only photo of ``order`` another photo may be near."""
    index = WideIndex(GLANCE_DISTANCE)
    pending: list[tuple[int, int]] = []  # (file, thumbnail glance) of thumbnail-only photos
    for i in order:
        fx = files.facts[i]
        if fx.glance is None:
            continue
        index.add(fx.glance, i)
        if fx.dhash is None:
            pending.append((i, fx.glance))
    while pending:
        near = {i for i, glance in pending if index.any_near(glance, i)}
        if not near:
            return
        for i in sorted(near):
            if files.whole_hash(i) is not None:
                index.add(files.facts[i].glance, i)  # type: ignore[arg-type]
        pending = [(i, glance) for i, glance in pending if i not in near]
