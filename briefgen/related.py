"""Related briefs: those sharing the most topics and tags, then the most recent."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from briefgen.model import Brief


def related_briefs(ordered: Sequence[Brief], limit: int) -> dict[str, tuple[Brief, ...]]:
    """For each brief, up to ``limit`` others, ranked by shared topics plus shared tags, then
    newest first, then slug. ``ordered`` is newest first, which the ranking relies on.

    An inverted index keeps this near-linear: only briefs sharing a label are compared.
    """
    if limit <= 0:
        return {b.slug: () for b in ordered}
    rank = {b.slug: i for i, b in enumerate(ordered)}  # 0 is the newest
    members: dict[str, list[Brief]] = defaultdict(list)
    for brief in ordered:
        for label in _labels(brief):
            members[label].append(brief)
    result = {}
    for brief in ordered:
        shared: Counter[str] = Counter()
        for label in _labels(brief):
            shared.update(other.slug for other in members[label] if other.slug != brief.slug)
        best = sorted(shared, key=lambda slug: (-shared[slug], rank[slug]))[:limit]
        result[brief.slug] = tuple(ordered[rank[slug]] for slug in best)
    return result


def _labels(brief: Brief) -> set[str]:
    return {f"topic:{t}" for t in brief.topics} | {f"tag:{t.casefold()}" for t in brief.tags}
