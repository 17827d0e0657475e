"""The search index in partitions: every searchable page is in exactly one, the search page
is told which to merge, and a rebuild re-indexes only the partitions whose pages changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from briefgen.features.search import pagefind as search

from conftest import SITE_YAML, brief, topic

BRIEFS = 12


@pytest.fixture
def partitioned(make_site) -> Path:
    files = {
        f"content/briefs/b{i:02}.md": brief(title=f"Brief {i}", body=f"Word{i} text.\n")
        for i in range(BRIEFS)
    }
    files["content/topics/cartels.md"] = topic()
    return make_site(files, site_yaml=SITE_YAML + "search:\n  partition_size: 4\n")


def _count_indexer_runs(monkeypatch) -> list[list[str]]:
    """Each run of the indexer, as the pages it was given."""
    runs: list[list[str]] = []
    real = search.index_folder

    def counted(site_dir: Path, out_dir: Path) -> None:
        runs.append(sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")))
        real(site_dir, out_dir)

    monkeypatch.setattr(search, "index_folder", counted)
    return runs


def _partition(rel: Path) -> str:
    """The partition a file of the index belongs to: part-<n>, or the first one."""
    return rel.parts[1] if rel.parts[1].startswith("part-") else "first"


def _bundles(public: Path) -> list[Path]:
    listing = json.loads((public / "pagefind" / "parts.json").read_text())
    return [public / "pagefind", *(public / "pagefind" / part for part in listing["parts"])]


def test_the_partition_count_is_the_power_of_two_that_keeps_them_small() -> None:
    assert [search.partition_count(n, 500) for n in (0, 1, 500, 501, 10_000, 100_000)] == [
        1,
        1,
        1,
        2,
        32,
        256,
    ]


def test_every_brief_is_in_exactly_one_partition(partitioned: Path, cli) -> None:
    assert cli("build", "--quiet", "--source", partitioned).code == 0
    bundles = _bundles(partitioned / "public")
    # 12 pages at 4 a partition: 4 partitions, those that the hash leaves empty not written
    pages = [f"briefs/b{i:02}/index.html" for i in range(BRIEFS)]
    assert len(bundles) == len({search.partition_of(page, 4) for page in pages}) > 1
    fragments = [len(list((b / "fragment").iterdir())) for b in bundles]
    assert sum(fragments) == BRIEFS and all(fragments)
    # the first bundle is complete; the others are merged into it and need no scripts of theirs
    assert (bundles[0] / "pagefind.js").is_file()
    for bundle in bundles:
        assert (bundle / "pagefind-entry.json").is_file()
        assert not list(bundle.glob("pagefind-ui*"))


def test_an_edit_reindexes_one_partition_and_nothing_changed_reindexes_none(
    partitioned: Path, cli, monkeypatch
) -> None:
    assert cli("build", "--quiet", "--source", partitioned).code == 0
    runs = _count_indexer_runs(monkeypatch)
    assert cli("build", "--quiet", "--source", partitioned).code == 0
    assert runs == []
    public = partitioned / "public"
    before = {
        p: p.stat().st_mtime_ns for b in _bundles(public) for p in b.rglob("*") if p.is_file()
    }
    edited = partitioned / "content/briefs/b05.md"
    edited.write_text(brief(title="Brief 5", body="Word5 text, and a new sentence.\n"))
    os.utime(edited, ns=(edited.stat().st_atime_ns, edited.stat().st_mtime_ns + 2_000_000_000))
    assert cli("build", "--quiet", "--source", partitioned).code == 0
    assert len(runs) == 1 and "briefs/b05/index.html" in runs[0]
    assert 0 < len(runs[0]) < BRIEFS
    after = {p: p.stat().st_mtime_ns for b in _bundles(public) for p in b.rglob("*") if p.is_file()}
    touched = {_partition(p.relative_to(public)) for p in after if before.get(p) != after[p]}
    assert len(touched) == 1  # the files of one partition, no other


def test_partitioned_bytes_equal_a_clean_build(partitioned: Path, cli, tmp_path: Path) -> None:
    assert cli("build", "--quiet", "--source", partitioned).code == 0
    edited = partitioned / "content/briefs/b07.md"
    edited.write_text(brief(title="Brief 7, retitled", body="Word7 text.\n"))
    os.utime(edited, ns=(edited.stat().st_atime_ns, edited.stat().st_mtime_ns + 2_000_000_000))
    assert cli("build", "--quiet", "--source", partitioned).code == 0
    clean = tmp_path / "clean"
    assert (
        cli("build", "--quiet", "--no-cache", "--source", partitioned, "--output", clean).code == 0
    )
    public = partitioned / "public"
    ours = {
        p.relative_to(public): p.read_bytes()
        for p in (public / "pagefind").rglob("*")
        if p.is_file()
    }
    theirs = {
        p.relative_to(clean): p.read_bytes() for p in (clean / "pagefind").rglob("*") if p.is_file()
    }
    assert ours == theirs
