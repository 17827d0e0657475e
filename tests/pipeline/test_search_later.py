"""A build that leaves the search index for later (what ``serve`` does) writes the pages and
keeps the old index; bringing the index up to date afterwards gives the site a clean build
gives, byte for byte, and nothing is left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.config.overrides import Overrides
from briefgen.pipeline.build import build
from briefgen.pipeline.deferred import catch_up

from conftest import SITE_YAML, brief, read_tree, staging_left, topic


@pytest.fixture
def site(make_site) -> Path:
    files = {
        f"content/briefs/b{i}.md": brief(title=f"Brief {i}", body=f"Text{i}.\n") for i in range(9)
    }
    files["content/topics/cartels.md"] = topic()
    return make_site(files, site_yaml=SITE_YAML + "search:\n  partition_size: 3\n")


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_pages_first_then_the_index_equals_a_clean_build(site: Path, tmp_path: Path) -> None:
    build(site)
    index_before = {
        k: v for k, v in read_tree(site / "public").items() if k.startswith("pagefind/")
    }
    _edit(site / "content/briefs/b4.md", brief(title="Brief 4", body="Text4, revised.\n"))

    result = build(site, defer=True)
    assert [(name, later.work) for name, later in result.deferred] == [("search", "search index")]
    public = read_tree(site / "public")
    assert b"revised" in public["briefs/b4/index.html"]
    assert {k: v for k, v in public.items() if k.startswith("pagefind/")} == index_before

    again = build(site, defer=True)
    assert again.site is None  # nothing to build again,
    assert again.deferred == result.deferred  # but the index is still behind: serve asks for it
    assert catch_up(site) == result.deferred
    assert catch_up(site) == ()  # caught up
    build(site, cache=False, overrides=Overrides(str(tmp_path / "clean")))
    assert read_tree(site / "public", record=True) == read_tree(tmp_path / "clean", record=True)
    assert staging_left(site) == []


def test_a_normal_build_after_a_later_one_brings_the_index_up_to_date(
    site: Path, tmp_path: Path
) -> None:
    build(site)
    _edit(site / "content/briefs/b2.md", brief(title="Brief 2, retitled", body="Text2.\n"))
    build(site, defer=True)
    build(site)  # e.g. `briefgen build` after a session of `serve` on the same output
    build(site, cache=False, overrides=Overrides(str(tmp_path / "clean")))
    assert read_tree(site / "public", record=True) == read_tree(tmp_path / "clean", record=True)


@pytest.mark.parametrize("gone", ["pagefind/pagefind-entry.json", "briefs/b1/index.html"])
def test_a_file_removed_between_the_build_and_catching_up_is_written_by_the_next_build(
    site: Path, tmp_path: Path, gone: str
) -> None:
    """Catching up trusts the output as the build before it found it, seconds earlier; a
    file that went meanwhile is found by the next build, with nothing else to do."""
    build(site)
    _edit(site / "content/briefs/b4.md", brief(title="Brief 4", body="Text4, revised.\n"))
    build(site, defer=True)
    (site / "public" / gone).unlink()
    catch_up(site)
    build(site)
    build(site, cache=False, overrides=Overrides(str(tmp_path / "clean")))
    assert read_tree(site / "public", record=True) == read_tree(tmp_path / "clean", record=True)
    assert staging_left(site) == []
