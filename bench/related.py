"""Related briefs on a generated site: the time they take, and how far they are from the rule
without its bound, every brief compared with every other.

    python bench/corpus.py 10000 /tmp/site --no-social-cards
    python bench/related.py /tmp/site --compare

The site's briefs are read as a build reads them (validated, published, newest first; their
bodies are not rendered) and ``related_briefs`` runs on them ``--runs`` times with the cycle
collector paused, as in a build. With ``--compare`` the lists are set against those of every
brief compared with every other on all of its labels (bit sets of the briefs holding each
label: quadratic, some 5 s at 100,000 briefs), and the share of those lists' entries that
briefgen lists too is printed: the overlap, 100 % when no brief has more common labels than
briefgen compares.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from briefgen.assemble import publishing
from briefgen.assemble.related import related_briefs
from briefgen.assemble.site import make_brief, newest_first, unique_slugs
from briefgen.config.load import load_config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.rendered import RenderedBody
from briefgen.model.site import EMPTY_BODY, Brief
from briefgen.pipeline.prepare import parse_briefs
from briefgen.pipeline.records import Index

T = TypeVar("T")


def read_briefs(root: Path, jobs: int) -> tuple[tuple[Brief, ...], int]:
    """The published briefs of the site at ``root``, newest first, and its ``related``."""
    config, diags = load_config(root)
    metas, _ = parse_briefs(root, Index({}, {}), diags, jobs)
    metas = unique_slugs(publishing.select(metas, config), Diagnostics())
    empty = RenderedBody(EMPTY_BODY, (), (), 0, (), ())
    return newest_first(make_brief(m, config, empty) for m in metas), config.related


def every_pair(ordered: Sequence[Brief], limit: int) -> dict[str, list[str]]:
    """The lists of the rule on all labels: for each brief, the count of labels every other
    shares with it, added up over its labels' bit sets (a Python integer each, bit ``r`` for
    the brief of rank ``r``) with a bit-sliced counter; the newest of the highest count are
    then the lowest set bits."""
    members: dict[str, list[int]] = defaultdict(list)
    labels_of = []
    for rank, brief in enumerate(ordered):
        topics = {f"topic:{t}" for t in brief.topics}
        labels = sorted(topics | {f"tag:{t.casefold()}" for t in brief.tags})
        labels_of.append(labels)
        for label in labels:
            members[label].append(rank)
    sets = {label: _bitset(ranks, len(ordered)) for label, ranks in members.items()}
    everyone = (1 << len(ordered)) - 1
    result = {}
    for rank, brief in enumerate(ordered):
        planes: list[int] = []  # planes[j]: bit j of each brief's count of shared labels
        for carry in (sets[label] for label in labels_of[rank]):
            for j, plane in enumerate(planes):
                planes[j], carry = plane ^ carry, plane & carry
                if not carry:
                    break
            if carry:
                planes.append(carry)
        chosen: list[str] = []
        for count in range(len(labels_of[rank]), 0, -1):
            exact = everyone ^ (1 << rank)  # never the brief itself
            for j, plane in enumerate(planes):
                exact &= plane if count >> j & 1 else ~plane
            while exact and len(chosen) < limit:
                lowest = exact & -exact
                chosen.append(ordered[lowest.bit_length() - 1].slug)
                exact ^= lowest
        result[brief.slug] = chosen
    return result


def _bitset(ranks: list[int], size: int) -> int:
    raw = bytearray((size + 7) // 8)
    for r in ranks:
        raw[r >> 3] |= 1 << (r & 7)
    return int.from_bytes(raw, "little")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site folder, as bench/corpus.py writes it")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (the best is printed)")
    parser.add_argument("--compare", action="store_true", help="set against every pair")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="processes that read")
    args = parser.parse_args()
    ordered, limit = read_briefs(args.site, args.jobs)
    gc.disable()
    runs = [_timed(related_briefs, ordered, limit) for _ in range(args.runs)]
    found, wall, cpu = runs[0][0], min(run[1] for run in runs), min(run[2] for run in runs)
    print(f"{len(ordered):,} briefs, related: {limit}: {wall:.3f} s ({cpu:.3f} s of CPU)")
    if args.compare:
        expected, wall, cpu = _timed(every_pair, ordered, limit)
        print(f"every pair compared: {wall:.3f} s ({cpu:.3f} s of CPU)")
        listed = sum(len(slugs) for slugs in expected.values())
        kept = sum(len(set(expected[s]) & {b.slug for b in found[s]}) for s in expected)
        same = sum(expected[s] == [b.slug for b in found[s]] for s in expected)
        print(f"overlap: {kept:,} of {listed:,} entries ({100 * kept / max(listed, 1):.2f} %)")
        print(f"lists the same, in the same order: {same:,} of {len(expected):,}")


def _timed(
    work: Callable[[Sequence[Brief], int], T], ordered: Sequence[Brief], limit: int
) -> tuple[T, float, float]:
    """What ``work`` gives, and the seconds it took on the clock and of this process's CPU
    (which a loaded machine changes less)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = work(ordered, limit)
    return result, time.perf_counter() - started, time.process_time() - cpu


if __name__ == "__main__":
    main()
