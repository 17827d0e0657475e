"""The quick files of a saved brief (what ``serve`` serves of the search index before the
build): the index the catch-up writes after the build, byte for byte, made without writing
anything, and not made twice."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from test_multilingual import bilingual

from briefgen.config.overrides import NONE, Overrides
from briefgen.features.search import indexing, pagefind
from briefgen.pipeline.build import build
from briefgen.pipeline.deferred import catch_up
from briefgen.pipeline.preview_files import preview_files

from conftest import SITE_YAML, brief, read_tree, topic

PAGE = "briefs/b4/index.html"
SOURCE = "content/briefs/b4.md"


@pytest.fixture
def site(make_site) -> Path:
    files = {
        f"content/briefs/b{i}.md": brief(title=f"Brief {i}", body=f"Text{i}.\n") for i in range(9)
    }
    files["content/topics/cartels.md"] = topic()
    return make_site(files, site_yaml=SITE_YAML + "search:\n  partition_size: 3\n")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The folder the quick files are worked out in."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def nothing_made_before() -> None:
    """Each test starts with no partition kept from another."""
    indexing.MADE.clear()


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def _quick_page(site: Path, body: str) -> bytes:
    """The quick page of brief 4 with ``body``, made as ``serve`` makes it: from the model
    of a build whose work left for later is done."""
    made = build(site, defer=True, reuse=False)
    catch_up(site)
    assert made.preview is not None
    _edit(site / SOURCE, brief(title="Brief 4", body=body))
    page = made.preview.page(SOURCE)
    assert page is not None and page[0] == PAGE
    return page[1]


def _fragments_with(files: dict[str, bytes], word: bytes) -> list[str]:
    return [
        path
        for path, data in files.items()
        if path.endswith(".pf_fragment") and word in gzip.decompress(data)
    ]


def test_the_quick_files_are_what_the_catch_up_writes_and_nothing_is_written(
    site: Path, work: Path
) -> None:
    build(site)
    data = _quick_page(site, "Zanzibarquux plover.\n")
    output, cache = read_tree(site / "public"), read_tree(site / ".briefgen-cache")

    files = preview_files(site, NONE, PAGE, data, ("search",), work)

    assert files and all(path.startswith("pagefind/") for path in files)
    assert len(_fragments_with(files, b"Zanzibarquux")) == 1
    assert all(output.get(path) != data for path, data in files.items())  # only what changed
    assert read_tree(site / "public") == output
    assert read_tree(site / ".briefgen-cache") == cache
    assert list(work.iterdir()) == []  # its work folder is gone
    build(site, defer=True)
    catch_up(site)
    written = read_tree(site / "public")
    assert {path: written.get(path) for path in files} == files


def test_the_catch_up_takes_the_partition_made_for_the_quick_files(
    site: Path, work: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site)
    data = _quick_page(site, "Zanzibarquux plover.\n")
    runs = []
    real = pagefind.index_folder

    def counted(site_dir: Path, out_dir: Path) -> None:
        runs.append(site_dir)
        real(site_dir, out_dir)

    monkeypatch.setattr(pagefind, "index_folder", counted)
    assert preview_files(site, NONE, PAGE, data, ("search",), work)
    assert len(runs) == 1  # the partition of brief 4
    build(site, defer=True)
    catch_up(site)
    assert len(runs) == 1  # the same pages: the same files, not made again
    clean = tmp_path / "clean"
    build(site, cache=False, overrides=Overrides(str(clean)))
    assert read_tree(site / "public") == read_tree(clean)


def test_no_quick_files_while_the_index_is_behind_or_for_a_page_it_does_not_have(
    site: Path, work: Path
) -> None:
    build(site)
    data = _quick_page(site, "Zanzibarquux plover.\n")
    assert preview_files(site, NONE, "briefs/b99/index.html", data, ("search",), work) == {}
    assert preview_files(site, NONE, PAGE, data, ("nobody",), work) == {}
    build(site, defer=True)  # the index is now behind the pages until the catch-up
    assert preview_files(site, NONE, PAGE, data, ("search",), work) == {}


def test_the_quick_files_of_a_translation_are_its_languages_index(make_site, work: Path) -> None:
    root = bilingual(make_site)
    build(root)
    made = build(root, defer=True, reuse=False)
    catch_up(root)
    rel = "content/briefs/2025-02-04-raids.es.md"
    _edit(root / rel, (root / rel).read_text().replace("allanó laboratorios", "cerró almacenes"))
    assert made.preview is not None
    page, data = made.preview.page(rel)  # type: ignore[misc]

    files = preview_files(root, NONE, page, data, ("search",), work)

    assert files and all(path.startswith("pagefind/es/") for path in files)
    assert len(_fragments_with(files, "cerró almacenes".encode())) == 1
    build(root, defer=True)
    catch_up(root)
    written = read_tree(root / "public")
    assert {path: written.get(path) for path in files} == files


def test_a_partition_made_by_another_indexer_is_made_again(
    site: Path, work: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept partitions are the indexer's: one set in PAGEFIND_BINARY_PATH meanwhile (a
    stand-in, an upgrade) makes its own."""
    build(site)
    data = _quick_page(site, "Zanzibarquux plover.\n")
    assert preview_files(site, NONE, PAGE, data, ("search",), work)
    runs = tmp_path / "runs"
    other = tmp_path / "pagefind-other"
    other.write_text(f'#!/bin/sh\necho run >> "{runs}"\nexec "{pagefind.find_indexer()}" "$@"\n')
    other.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(other))
    build(site, defer=True)
    catch_up(site)
    assert runs.read_text().splitlines() == ["run"]
