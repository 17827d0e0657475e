"""Related briefs: those sharing the most labels (topics and tags), then the most recent.

The rule. A brief's labels are its topics and its tags (tags without regard to case). The
briefs related to a brief are the others that share at least one label with it, ranked by
the number of labels they share, then newest first, then by slug (the order of
``newest_first``), and cut at the site's ``related`` setting. A brief with more than
``MAX_LABELS`` labels is compared by its ``MAX_LABELS`` rarest (held by the fewest briefs of
the site, then by name): a label most briefs carry says the least about what a brief is about.
People, organizations and places are not labels. A brief's tags already name the ones it is
mostly about (``tom-homan`` beside ``people: [Tom Homan]``), so counting both would count one
fact twice, and each has pages of its own that list every brief naming it.

How, in time linear in the number of briefs. A brief ``B`` sharing ``c`` labels with ``X``
shares exactly one set ``S`` of ``c`` labels with it. Every set of labels of every brief is
indexed with the briefs holding it, newest first. If ``X`` is among the ``limit`` briefs most
related to ``B``, every holder of ``S`` newer than ``X`` shares at least ``c`` labels with
``B`` and is newer, so ranks before ``X``: there are fewer than ``limit`` of them besides
``B`` itself, and ``X`` is among the first ``limit + 1`` holders of ``S``. So ``B`` reads
only the first ``limit + 1`` holders of each of its sets, the largest sets first: the first
size at which it has found ``limit`` others, with everything found at larger sizes, holds its
whole answer. A brief thus examines at most ``(limit + 1) * (2 ** MAX_LABELS - 1)``
candidates, however many briefs the site has, and the answer is the one the rule gives.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, combinations, repeat
from math import comb
from operator import itemgetter

from briefgen.model.site import Brief

# A brief's labels searched for related briefs: each brief has 2 ** MAX_LABELS - 1 sets of
# them, so the bound is what keeps the work per brief small whatever its front matter says.
MAX_LABELS = 8


def related_briefs(ordered: Sequence[Brief], limit: int) -> dict[str, tuple[Brief, ...]]:
    """For each brief, up to ``limit`` others, ranked by the rule of this module.
    ``ordered`` is newest first, which the ranking relies on."""
    if limit <= 0:
        return {b.slug: () for b in ordered}
    ranking = rank_related(label_keys(ordered), limit)
    brief = ordered.__getitem__
    pairs = zip(ordered, ranking.ranks, strict=True)
    return {b.slug: tuple(map(brief, ranks)) for b, ranks in pairs}


def label_keys(ordered: Sequence[Brief]) -> list[tuple[int, ...]]:
    """Each brief's labels as numbers, in increasing order: a label's number is its place
    among all labels, the rarest first (then by name), so that the first ``MAX_LABELS`` of
    a brief are its rarest."""
    labels = [_labels(b) for b in ordered]
    held = Counter(chain.from_iterable(labels))
    number = {label: n for n, label in enumerate(sorted(held, key=lambda x: (held[x], x)))}
    return [tuple(sorted(map(number.__getitem__, of_one))[:MAX_LABELS]) for of_one in labels]


@dataclass(frozen=True)
class Ranking:
    """For each brief (by rank, 0 the newest): the ranks of its related briefs, most related
    first, and how many entries of the index it read to find them (the brief's work)."""

    ranks: list[list[int]]
    examined: list[int]


def rank_related(keys: Sequence[tuple[int, ...]], limit: int) -> Ranking:
    """The related briefs of each brief, given each brief's labels as numbers (``keys``,
    newest brief first): the sets of labels from the largest down, until a brief has found
    ``limit`` others (see the module's docstring)."""
    head = itemgetter(slice(0, limit + 1))  # a brief may be one of its sets' holders
    chosen: list[list[int]] = [[] for _ in keys]
    examined = [0] * len(keys)
    waiting = [rank for rank, key in enumerate(keys) if key]
    for size in range(max(map(len, keys), default=0), 0, -1):
        level = _level(keys, size)
        if level is None:
            continue
        lists, ends, counts = level
        still = []
        for rank in waiting:
            end, count = ends[rank], counts[rank]
            if count:
                candidates = list(chain.from_iterable(map(head, lists[end - count : end])))
                examined[rank] += len(candidates)
                found = set(candidates)
                have = chosen[rank]
                found.discard(rank)
                found.difference_update(have)
                have.extend(sorted(found))  # they share `size` labels, more than any found later
                if len(have) >= limit:
                    del have[limit:]
                    continue
            still.append(rank)
        waiting = still
        if not waiting:
            break
    return Ranking(chosen, examined)


def _level(
    keys: Sequence[tuple[int, ...]], size: int
) -> tuple[list[list[int]], list[int], list[int]] | None:
    """Every set of ``size`` labels of every brief, with the briefs holding it, newest first.
    For each brief in rank order, the holder list of each of its sets (one list for each set,
    shared by its holders); where each brief's run of lists ends, and how long it is. None
    when no two briefs hold the same set of this size: then there is nothing to find."""
    counts = list(map(comb, map(len, keys), repeat(size)))
    index: defaultdict[tuple[int, ...], list[int]] = defaultdict(list)
    sets = chain.from_iterable(map(combinations, keys, repeat(size)))
    # all in C, as below: the work is a dictionary look-up for each set, and an append
    lists = list(map(index.__getitem__, sets))
    if len(index) == len(lists):
        return None
    owners = chain.from_iterable(map(repeat, range(len(keys)), counts))
    deque(map(list.append, lists, owners), maxlen=0)
    return lists, list(accumulate(counts)), counts


def _labels(brief: Brief) -> set[str]:
    return {f"topic:{t}" for t in brief.topics} | {f"tag:{t.casefold()}" for t in brief.tags}
