"""Related briefs: those sharing the most topics and tags, then the most recent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from briefgen.model.site import Brief


def related_briefs(ordered: Sequence[Brief], limit: int) -> dict[str, tuple[Brief, ...]]:
    """For each brief, up to ``limit`` others, ranked by shared topics plus shared tags, then
    newest first, then slug. ``ordered`` is newest first, which the ranking relies on.

    Briefs are numbered by rank (0 is the newest) and each label is a bit set of its briefs'
    ranks, held in one Python integer. For a brief with labels L, the number of labels every
    other brief shares with it is added up across L's bit sets with a bit-sliced counter (a
    few whole-integer operations per label, done in C), so no two briefs are ever compared
    one by one; the newest briefs of the highest count are then the lowest set bits.
    """
    if limit <= 0:
        return {b.slug: () for b in ordered}
    members: dict[str, list[int]] = defaultdict(list)
    labels_of = []
    for rank, brief in enumerate(ordered):
        labels = sorted(_labels(brief))
        labels_of.append(labels)
        for label in labels:
            members[label].append(rank)
    size = len(ordered)
    sets = {label: _bitset(ranks, size) for label, ranks in members.items()}
    result = {}
    for rank, brief in enumerate(ordered):
        chosen = _most_shared(rank, [sets[label] for label in labels_of[rank]], size, limit)
        result[brief.slug] = tuple(ordered[r] for r in chosen)
    return result


def _bitset(ranks: list[int], size: int) -> int:
    raw = bytearray((size + 7) // 8)
    for r in ranks:
        raw[r >> 3] |= 1 << (r & 7)
    return int.from_bytes(raw, "little")


def _most_shared(rank: int, sets: list[int], size: int, limit: int) -> list[int]:
    """Ranks of up to ``limit`` briefs in most of ``sets``, newest first within a count."""
    planes: list[int] = []  # planes[j]: bit j of each brief's count of shared labels
    for carry in sets:
        for j, plane in enumerate(planes):
            planes[j], carry = plane ^ carry, plane & carry
            if not carry:
                break
        if carry:
            planes.append(carry)
    everyone = ((1 << size) - 1) ^ (1 << rank)  # never the brief itself
    chosen: list[int] = []
    for count in range(len(sets), 0, -1):
        exact = everyone
        for j, plane in enumerate(planes):
            exact &= plane if count >> j & 1 else ~plane
        while exact and len(chosen) < limit:
            lowest = exact & -exact
            chosen.append(lowest.bit_length() - 1)
            exact ^= lowest
        if len(chosen) == limit:
            break
    return chosen


def _labels(brief: Brief) -> set[str]:
    return {f"topic:{t}" for t in brief.topics} | {f"tag:{t.casefold()}" for t in brief.tags}
