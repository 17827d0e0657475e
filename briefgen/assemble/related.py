"""Related briefs: those sharing the most labels (topics and tags), then the most recent.

The rule. A brief's labels are its topics and its tags (tags without regard to case). The
briefs related to a brief are the others that share at least one label with it, ranked by
the number of labels they share, then newest first, then by slug (the order of
``newest_first``), and cut at the site's ``related`` setting. A label held by more than
``RARE`` briefs is common; of its common labels a brief is compared by its ``MAX_COMMON``
rarest only (held by the fewest briefs, then by name): a label most briefs carry says the
least about what a brief is about, and the bound keeps the work per brief small. People,
organizations and places are not labels: a brief's tags already name the ones it is about
(``tom-homan`` beside ``people: [Tom Homan]``), so counting both would count one fact
twice, and each has a page of its own listing every brief that names it.

How, in time linear in the number of briefs (``B`` the brief, ``X`` another, ``c`` the
number of labels they share, ``limit`` the setting):

- The holders of a rare label are few: ``B`` reads them all and counts what each shares.
- Every set of common labels of every brief is indexed with the briefs holding it, newest
  first. An ``X`` sharing only common labels with ``B`` shares exactly one set ``S`` of them.
  If ``X`` is among the ``limit`` most related to ``B``, every holder of ``S`` newer than
  ``X`` shares at least ``c`` labels with ``B`` and is newer, so ranks before ``X``: there are
  fewer than ``limit`` of them besides ``B`` itself, and ``X`` is among the first
  ``limit + 1`` holders of ``S``. So ``B`` reads only those, the largest sets first; the
  first size at which it has found ``limit`` others, with what it found before and the
  holders of its rare labels sharing as many, holds its whole answer.

A brief thus reads at most ``RARE`` entries for each rare label it has and
``(limit + 1) * (2 ** MAX_COMMON - 1)`` for its common ones, however many briefs the site
has, and the answer is the one the rule gives.
"""

from __future__ import annotations

import pickle
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, combinations, compress, repeat
from math import comb
from operator import itemgetter
from typing import NamedTuple

from briefgen.model.site import Brief
from briefgen.util.hashing import digest

RARE = 32  # a label held by at most this many briefs is rare: its holders are read whole
# Each brief has 2 ** MAX_COMMON - 1 sets of common labels at most: the bound keeps its work
# small whatever its front matter says.
MAX_COMMON = 8


Ranks = list[list[int]]  # for each brief by rank, the ranks of its related briefs


@dataclass
class Remembered:
    """The rankings earlier builds worked out, by a digest of what each was worked out from
    (``before``, kept in the build cache), and those this build used (``now``, for the
    cache). Related lists depend on nothing but every brief's labels, their order and the
    setting: a rebuild after an edit to a body, a title or a summary works none out again
    (2.5 s of CPU at 100,000 briefs)."""

    before: Mapping[str, Ranks] = field(default_factory=dict)
    now: dict[str, Ranks] = field(default_factory=dict)


def related_briefs(
    ordered: Sequence[Brief], limit: int, remembered: Remembered | None = None
) -> dict[str, tuple[Brief, ...]]:
    """For each brief, up to ``limit`` others, ranked by the rule of this module.
    ``ordered`` is newest first, which the ranking relies on."""
    if limit <= 0:
        return {b.slug: () for b in ordered}
    if remembered is None:
        ranked = rank_related(label_keys(ordered), limit).ranks
    else:
        key = ranking_key(ordered, limit)
        known = remembered.before.get(key)
        ranked = known if known is not None else rank_related(label_keys(ordered), limit).ranks
        remembered.now[key] = ranked
    brief = ordered.__getitem__
    pairs = zip(ordered, ranked, strict=True)
    return {b.slug: tuple(map(brief, ranks)) for b, ranks in pairs}


def ranking_key(ordered: Sequence[Brief], limit: int) -> str:
    """A digest of everything a ranking is worked out from: the labels of every brief in
    order, the setting and the rule's bounds."""
    labels = [sorted(_labels(b)) for b in ordered]
    return digest(pickle.dumps((limit, RARE, MAX_COMMON, labels), protocol=5))


@dataclass(frozen=True)
class Keys:
    """Each brief's labels as numbers, briefs by rank (0 the newest), labels in increasing
    order: a label's number is its place among all labels, the rarest first (then by name)."""

    rare: list[tuple[int, ...]]  # held by at most RARE briefs
    common: list[tuple[int, ...]]  # the others, the brief's MAX_COMMON rarest
    holders: dict[int, list[int]]  # a rare label's briefs, newest first


def label_keys(ordered: Sequence[Brief]) -> Keys:
    """The labels of ``ordered`` (newest first), numbered, split and bounded as the rule says."""
    labels = [_labels(b) for b in ordered]
    held = Counter(chain.from_iterable(labels))
    order = sorted(held, key=lambda label: (held[label], label))
    number = {label: n for n, label in enumerate(order)}
    common_from = bisect_left([held[label] for label in order], RARE + 1)
    rare, common = [], []
    for of_one in labels:
        numbers = sorted(map(number.__getitem__, of_one))
        cut = bisect_left(numbers, common_from)
        rare.append(tuple(numbers[:cut]))
        common.append(tuple(numbers[cut : cut + MAX_COMMON]))
    holders: dict[int, list[int]] = defaultdict(list)
    for rank, numbers in enumerate(rare):
        for label in numbers:
            holders[label].append(rank)
    return Keys(rare, common, dict(holders))


@dataclass(frozen=True)
class Ranking:
    """For each brief (by rank): the ranks of its related briefs, most related first, and
    how many entries it read, of rare labels' holders and of the index (the brief's work)."""

    ranks: list[list[int]]
    examined: list[int]


def rank_related(keys: Keys, limit: int) -> Ranking:
    """The related briefs of each brief: those sharing its rare labels, counted, and the
    sets of its common labels from the largest down, until a brief has found ``limit``
    others sharing as many labels as the sets of the size it has come down to (see the
    module's docstring)."""
    search = _Search(keys, limit)
    waiting = search.waiting()
    for size in range(search.top(), 0, -1):
        waiting.difference_update(search.sets_of(size, waiting))
        if not waiting:
            break
    return Ranking(search.chosen, search.examined)


class _Search:
    """What the search for related briefs carries from one size of sets to the next: each
    brief's list so far, its work, and the briefs sharing its rare labels, by count."""

    def __init__(self, keys: Keys, limit: int) -> None:
        self.keys = keys
        self.limit = limit
        self.head = itemgetter(slice(0, limit + 1))  # a brief may be one of its sets' holders
        self.briefs = range(len(keys.common))
        self.chosen: list[list[int]] = [[] for _ in self.briefs]
        self.examined = [0] * len(self.briefs)
        self.counted = {
            rank: _read_rare(keys, rank, self.examined) for rank in compress(self.briefs, keys.rare)
        }
        # for each number of labels: the briefs a holder of whose rare labels shares that many
        self.at_count: dict[int, list[int]] = defaultdict(list)
        for rank, by_count in self.counted.items():
            for shared in by_count:
                self.at_count[shared].append(rank)

    def waiting(self) -> set[int]:
        return set(chain(compress(self.briefs, self.keys.common), *self.at_count.values()))

    def top(self) -> int:
        return max(chain(map(len, self.keys.common), self.at_count), default=0)

    def sets_of(self, size: int, waiting: set[int]) -> list[int]:
        """The briefs sharing ``size`` labels with each waiting brief, added to its list; the
        briefs whose lists are then full. The level lives only here: one in memory at a time."""
        level = _level(self.keys.common, size)
        searching = set(self.at_count.get(size, ()))
        if level is not None:
            searching.update(compress(self.briefs, level.counts))  # those with sets this size
        done = []
        # each brief's list is its own: the order in which they are visited changes nothing
        for rank in searching & waiting:
            counted = self.counted.get(rank)
            found = set(counted.get(size, ())) if counted else set()
            if level is not None and level.counts[rank]:
                end = level.ends[rank]
                heads = map(self.head, level.lists[end - level.counts[rank] : end])
                candidates = list(chain.from_iterable(heads))
                self.examined[rank] += len(candidates)
                found.update(candidates)
                found.discard(rank)
            have = self.chosen[rank]
            found.difference_update(have)
            have.extend(sorted(found))  # they share `size` labels, more than any found later
            if len(have) >= self.limit:
                del have[self.limit :]
                done.append(rank)
        return done


def _read_rare(keys: Keys, rank: int, examined: list[int]) -> dict[int, list[int]]:
    """The briefs holding a rare label of brief ``rank``, by the number of labels they share
    with it."""
    lists = [keys.holders[label] for label in keys.rare[rank]]
    examined[rank] += sum(map(len, lists))
    others = set(chain.from_iterable(lists))
    others.discard(rank)
    mine = set(keys.rare[rank]).union(keys.common[rank])
    by_count: dict[int, list[int]] = defaultdict(list)
    for other in others:
        lacking = mine.difference(keys.rare[other], keys.common[other])  # what it does not share
        by_count[len(mine) - len(lacking)].append(other)
    return by_count


class _Level(NamedTuple):
    """Every set of one size of common labels of every brief, with the briefs holding it,
    newest first: for each brief in rank order, the holder list of each of its sets (one list
    for each set, shared by its holders); where each brief's run of lists ends, and its length
    (0 for a brief with fewer common labels)."""

    lists: list[list[int]]
    ends: list[int]
    counts: list[int]


def _level(common: Sequence[tuple[int, ...]], size: int) -> _Level | None:
    """The sets of ``size`` labels; None when no two briefs hold the same one: then there is
    nothing to find."""
    counts = list(map(comb, map(len, common), repeat(size)))
    index: defaultdict[tuple[int, ...], list[int]] = defaultdict(list)
    sets = chain.from_iterable(map(combinations, common, repeat(size)))
    # all in C, as below: the work is a dictionary look-up for each set, and an append
    lists = list(map(index.__getitem__, sets))
    if len(index) == len(lists):
        return None
    owners = chain.from_iterable(map(repeat, range(len(common)), counts))
    deque(map(list.append, lists, owners), maxlen=0)
    return _Level(lists, list(accumulate(counts)), counts)


def _labels(brief: Brief) -> set[str]:
    return {f"topic:{t}" for t in brief.topics} | {f"tag:{t.casefold()}" for t in brief.tags}
