"""Related briefs: the rule (most shared labels, then newest, then slug), checked against a
brief-by-brief comparison, and the bound on the work each brief does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Sequence

import pytest

from briefgen.assemble import related as related_module
from briefgen.assemble.related import (
    MAX_COMMON,
    RARE,
    Remembered,
    label_keys,
    rank_related,
    ranking_key,
    related_briefs,
)
from briefgen.assemble.site import newest_first
from briefgen.model.dates import Timestamp
from briefgen.model.site import Brief

START = dt.datetime(2025, 1, 1, 6, tzinfo=dt.timezone.utc)


def _brief(slug: str, hours: int, topics: Sequence[str] = (), tags: Sequence[str] = ()) -> Brief:
    return Brief(
        source_path=f"{slug}.md",
        slug=slug,
        title=slug,
        summary="s",
        topics=tuple(topics),
        tags=tuple(tags),
        date=Timestamp.from_value(START + dt.timedelta(hours=hours)),
    )


def _corpus(count: int, seed: int = 1) -> tuple[Brief, ...]:
    """Briefs with a few of 12 topics and of 150 tags, some labels held by many and some by
    few, many briefs at the same hour (so that the slug decides)."""
    rng = random.Random(seed)
    topics = [f"topic-{n}" for n in range(12)]
    tags = [f"Tag-{n}" for n in range(150)]
    weights = [1 / (1 + n) for n in range(150)]  # a long tail: rare labels
    briefs = []
    for n in range(count):
        chosen = rng.choices(tags, weights, k=rng.randint(0, 6))
        upper = [t.upper() for t in rng.sample(chosen, len(chosen) // 3)]  # case is ignored
        briefs.append(
            _brief(
                f"b{rng.randrange(10**6):06d}-{n}",
                rng.randrange(count // 3 + 1),
                rng.sample(topics, rng.randint(1, 3)),
                chosen + upper,
            )
        )
    return newest_first(briefs)


def _labels(brief: Brief) -> set[str]:
    return {f"topic:{t}" for t in brief.topics} | {f"tag:{t.casefold()}" for t in brief.tags}


def _by_the_rule(ordered: Sequence[Brief], limit: int) -> dict[str, list[str]]:
    """Every brief compared with every other: those sharing labels, the most first, then
    the newest (the order of ``ordered``)."""
    labels = [_labels(b) for b in ordered]
    result = {}
    for i, brief in enumerate(ordered):
        shared = [(-len(labels[i] & labels[j]), j) for j in range(len(ordered)) if j != i]
        result[brief.slug] = [ordered[j].slug for count, j in sorted(shared) if count][:limit]
    return result


@pytest.mark.parametrize(("count", "limit"), [(60, 3), (400, 1), (400, 3), (400, 7)])
def test_the_lists_are_those_of_the_rule(count: int, limit: int) -> None:
    ordered = _corpus(count)
    keys = label_keys(ordered)
    assert max(map(len, keys.common)) < MAX_COMMON  # no brief is compared by fewer labels
    assert any(keys.rare)
    assert any(keys.common) == (count > 100)  # in the larger site, both ways of finding them
    related = related_briefs(ordered, limit)
    assert {slug: [b.slug for b in found] for slug, found in related.items()} == _by_the_rule(
        ordered, limit
    )


def test_more_shared_labels_then_newer_then_slug() -> None:
    me = _brief("me", 10, ["cartels"], ["cia", "drones"])
    briefs = [
        me,
        _brief("two-old", 1, ["cartels"], ["CIA"]),  # two labels: before any newer one
        _brief("one-newest", 20, ["cartels"]),
        _brief("one-b", 5, [], ["drones"]),  # one label at the same hour: by slug
        _brief("one-a", 5, ["cartels"]),
        _brief("one-c", 5, ["cartels"]),
        _brief("none", 30, ["border"], ["ports"]),
    ]
    ordered = newest_first(briefs)
    related = related_briefs(ordered, 4)
    assert [b.slug for b in related["me"]] == ["two-old", "one-newest", "one-a", "one-b"]
    assert related["none"] == ()
    assert [b.slug for b in related_briefs(ordered, 2)["me"]] == ["two-old", "one-newest"]
    assert all(found == () for found in related_briefs(ordered, 0).values())


def test_of_many_common_labels_a_brief_is_compared_by_its_rarest() -> None:
    tags = [f"t{n}" for n in range(MAX_COMMON + 1)]
    # each tag held by more than RARE other briefs, t0 by the fewest and the last by the most
    fillers = [
        _brief(f"filler-{tag}-{k}", 0, ["other"], [tag])
        for n, tag in enumerate(tags)
        for k in range(RARE + 1 + n)
    ]
    many = _brief("many", 50, ["many"], tags)
    most_held_only = _brief("most-held-only", 60, ["x"], [tags[-1]])
    rarest_only = _brief("rarest-only", 1, ["y"], [tags[0]])
    ordered = newest_first([*fillers, many, most_held_only, rarest_only])
    related = related_briefs(ordered, len(ordered))
    assert "rarest-only" in [b.slug for b in related["many"]]
    assert "most-held-only" not in [b.slug for b in related["many"]]
    assert "many" not in [b.slug for b in related["most-held-only"]]


def _bound(rare: tuple[int, ...], common: tuple[int, ...], limit: int) -> int:
    return RARE * len(rare) + (limit + 1) * (2 ** len(common) - 1)


@pytest.mark.parametrize("limit", [1, 3])
def test_the_work_of_a_brief_does_not_grow_with_the_site(limit: int) -> None:
    """Entries read by each brief: at most RARE for each of its rare labels and ``limit + 1``
    for each set of its common labels; on average no more in a site ten times as large (had
    it read every holder of its labels, ten times as many)."""
    means = []
    for count in (500, 5000):
        keys = label_keys(_corpus(count, seed=2))
        examined = rank_related(keys, limit).examined
        bounds = [_bound(r, c, limit) for r, c in zip(keys.rare, keys.common, strict=True)]
        assert all(e <= b for e, b in zip(examined, bounds, strict=True))
        assert max(examined) < 300
        means.append(sum(examined) / count)
    assert means[1] < 1.5 * means[0]


def test_a_remembered_ranking_is_used_while_labels_order_and_setting_hold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a rebuild after an edit to bodies or titles does: no ranking worked out again."""
    briefs = _corpus(300)
    first = Remembered()
    expected = related_briefs(briefs, 3, first)
    assert list(first.now) == [ranking_key(briefs, 3)]
    retitled = newest_first([dataclasses.replace(b, title=b.title + "!") for b in briefs])
    monkeypatch.setattr(related_module, "rank_related", lambda *a: pytest.fail("worked out"))
    again = Remembered(first.now)
    got = related_briefs(retitled, 3, again)
    assert {k: [b.slug for b in v] for k, v in got.items()} == {
        k: [b.slug for b in v] for k, v in expected.items()
    }
    assert again.now == first.now


@pytest.mark.parametrize("change", ["tag", "topic", "order", "setting"])
def test_a_change_to_what_a_ranking_comes_from_changes_its_key(change: str) -> None:
    briefs = list(_corpus(50))
    limit = 3
    if change == "tag":
        briefs[7] = dataclasses.replace(briefs[7], tags=(*briefs[7].tags, "new-tag"))
    elif change == "topic":
        briefs[7] = dataclasses.replace(briefs[7], topics=("topic-99",))
    elif change == "order":
        briefs[7], briefs[8] = briefs[8], briefs[7]
    else:
        limit = 4
    assert ranking_key(briefs, limit) != ranking_key(_corpus(50), 3)
    assert ranking_key(_corpus(50), 3) == ranking_key(list(_corpus(50)), 3)
