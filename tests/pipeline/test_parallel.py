"""Builds on several processes: the same bytes as on one, cold and incremental."""

from __future__ import annotations

import pytest

from briefgen.config.overrides import Overrides
from briefgen.pipeline import prepare
from briefgen.pipeline.build import build
from briefgen.util import parallel

from conftest import brief, read_tree, topic


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork workers even for a handful of items (a real site needs hundreds per worker)."""
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(prepare, "PARSE_PER_WORKER", 1)


def _site(make_site):
    files = {
        f"content/briefs/b{i:02d}.md": brief(
            title=f"Brief {i}",
            date=f"2025-02-{1 + i % 27:02d}",
            topics="[cartels, border]" if i % 3 else "[drones]",
            body=f"Text {i}.\n\n## Part {i}\n\nSee [the first](b00.md#part-0).[^n]\n\n[^n]: A note.\n",
        )
        for i in range(24)
    }
    files["content/topics/cartels.md"] = topic()
    return make_site(files)


def test_map_chunks_keeps_order_across_workers(forced) -> None:
    items = list(range(200))
    assert parallel.map_chunks(lambda chunk: [x * 2 for x in chunk], items, 2, None, 1) == [
        x * 2 for x in items
    ]


def test_two_processes_build_the_same_bytes_as_one(make_site, tmp_path, forced) -> None:
    root = _site(make_site)
    build(root, cache=False, jobs=1, overrides=Overrides(str(tmp_path / "one")))
    build(root, cache=False, jobs=2, overrides=Overrides(str(tmp_path / "two")))
    one, two = read_tree(tmp_path / "one"), read_tree(tmp_path / "two")
    assert len(one) > 30
    assert one == two


def test_incremental_builds_on_two_processes_match_a_clean_build(
    make_site, tmp_path, forced
) -> None:
    root = _site(make_site)
    build(root, jobs=2)  # cold, with the cache: bodies go to pack files from the workers
    (root / "content/briefs/b05.md").write_text(brief(title="Brief 5, retitled"), "utf-8")
    result = build(root, jobs=2)
    assert 0 < result.pages_rendered < result.pages
    build(root, cache=False, jobs=1, overrides=Overrides(str(tmp_path / "clean")))
    assert read_tree(root / "public") == read_tree(tmp_path / "clean")


def test_workers_report_every_problem(make_site, forced) -> None:
    root = _site(make_site)
    for i in (3, 7):
        (root / f"content/briefs/b{i:02d}.md").write_text(
            brief(title=f"B{i}", body="[gone](missing.md)\n"), "utf-8"
        )
    from briefgen.model.diagnostics import ContentError

    with pytest.raises(ContentError) as caught:
        build(root, jobs=2)
    errors = [d.format() for d in caught.value.diagnostics.errors]
    assert errors == [
        f"content/briefs/b0{i}.md:8:8: error: link to 'missing.md': no such brief or topic "
        "(content/briefs/missing.md)"
        for i in (3, 7)
    ]
