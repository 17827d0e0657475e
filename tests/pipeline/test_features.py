"""briefgen's own features are plugins like any other: each can be taken out, and the example
site then builds without it, differing from the full build only by that feature's files and
markup."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefgen.config.overrides import Overrides
from briefgen.features import BUILTIN
from briefgen.pipeline.build import build

from conftest import EXAMPLE_BASE, REPO, read_tree

# What each feature adds, as (its files, the markup it adds to pages)
FEATURES = {
    "feeds": (
        re.compile(r"(^|/)feed\.(xml|json)$"),
        re.compile(
            r'<link rel="alternate" type="application/(atom\+xml|feed\+json)"[^>]*>\n'
            r'|<p class="feed-link">.*</p>\n'
            r'|<a href="[^"]*feed\.(xml|json)">[^<]*</a> · '
        ),
    ),
    "sitemap": (re.compile(r"^(sitemap\.xml|robots\.txt)$"), None),
    "jsonld": (None, re.compile(r'(?s)<script type="application/ld\+json">\n.*?\n</script>\n')),
    "search": (
        re.compile(r"^pagefind/|^(es/)?search/index\.html$"),
        re.compile(
            r'    <form class="site-search" role="search"[^>]*>\n(?:.*\n)*?    </form>\n'
            r'    <a class="search-fallback" [^>]*>[^<]*</a>\n'
            r'| data-pagefind-[a-z]+(?:="[^"]*")?'
        ),
    ),
    # the shortcodes' cards and players (without the feature, the theme's templates draw
    # nothing in their place), and the script a page with a card loads
    "embeds": (
        re.compile(r"^media/briefs/media/"),  # the files only a shortcode shows
        re.compile(
            r'(?s)<figure class="(?:embed embed-[a-z]+|post-card|pull-quote|picture-figure)">'
            r"\n.*?\n</figure>"
            r'|<script src="[^"]*/embeds\.js" defer></script>\n'
        ),
    ),
    # the charts: each one figure, drawn where its shortcode stands
    "charts": (
        None,
        re.compile(
            r'(?s)<figure class="chart" id="[^"]*">\n.*?\n</figure>'
            r'|<section class="topic-series".*?</section>\n'
        ),
    ),
}


def test_every_builtin_feature_is_described_here() -> None:
    assert set(FEATURES) | {"cards"} == set(BUILTIN)


def test_the_example_without_cards_is_the_example_with_social_cards_off(tmp_path) -> None:
    """The cards' files and what pages say of them (og:image, the JSON-LD image) are what
    `social_cards: false` leaves out: a build without the feature is that build."""
    site = tmp_path / "site"
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, site / name)
    (site / "site.yaml").write_text((REPO / "site.yaml").read_text() + "social_cards: false\n")
    off = Overrides(output_dir=str(tmp_path / "off"), base_url=EXAMPLE_BASE)
    build(site, cache=False, overrides=off)
    out = Overrides(output_dir=str(tmp_path / "without"), base_url=EXAMPLE_BASE)
    build(REPO, cache=False, overrides=out, without=("cards",))
    without, setting_off = read_tree(tmp_path / "without"), read_tree(tmp_path / "off")
    assert without == setting_off
    assert not [p for p in without if p.startswith("media/cards/")]


@pytest.mark.parametrize("name", sorted(FEATURES))
def test_the_example_builds_without_each_feature(name: str, example_build: Path, tmp_path) -> None:
    out = tmp_path / "public"
    overrides = Overrides(output_dir=str(out), base_url=EXAMPLE_BASE)
    build(REPO, cache=False, overrides=overrides, without=(name,))
    full, without = read_tree(example_build), read_tree(out)
    files, markup = FEATURES[name]
    if name in TEXT_MARKUP:  # pages lose text: the search index's files, named by their
        full, without = _unindexed(full), _unindexed(without)  # content, change names
    gone = sorted(set(full) - set(without))
    if files is None:  # markup only
        assert gone == []
    else:
        assert gone and all(files.search(path) for path in gone), gone
        assert not [path for path in full if files.search(path) and path in without]
    assert not set(without) - set(full)
    changed = sorted(p for p in without if without[p] != full[p])
    if name in DATA_BODIES:  # its data becomes Markdown: the pages' text changes with it
        pages = [p for p in changed if p.endswith(".html")]
        assert pages and not [p for p in without if b'class="chart' in without[p]]
        return
    if markup is None:
        assert changed == []
        return
    pages = [p for p in changed if p.endswith(".html")]
    kept = [p for p in without if p.endswith(".html")]
    marked = [p for p in kept if markup.search(full[p].decode("utf-8"))]
    assert sorted(pages) == sorted(marked), "the pages that changed are not those with its markup"
    for path in pages:
        expected, got = markup.sub("", full[path].decode("utf-8")), without[path].decode("utf-8")
        if name in TEXT_MARKUP:  # a shortcode's source= cites: its back-links go
            expected, got = _uncited(expected), _uncited(got)
        assert got == expected, path
    # the search index holds the pages' text: it changes with them; the sitemap lists every
    # page: it loses the feature's own pages, and nothing else changes
    for path in changed:
        if path == "sitemap.xml":
            assert without[path] == _sitemap_without(full[path], gone)
        else:  # the feeds carry the bodies, and a shortcode's markup with them
            page_or_feed = path.endswith((".html", "feed.xml", "feed.json"))
            assert page_or_feed or path.startswith("pagefind/"), path


# Features whose shortcodes' bodies are data: without the feature a body is Markdown, read
# (counted as words, its names linked as entities) as any other.
DATA_BODIES = {"charts"}
# Features whose markup holds text the search index reads: the shortcodes' quotes and posts.
TEXT_MARKUP = {"embeds", "charts"}
_CITED_AT = re.compile(r' ?<span class="cited-at">.*?</span>')
_CITATION_NUMBER = re.compile(r"cite-(\d+)-\d+")


def _unindexed(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The tree less the search index's fragments, indexes and metadata."""
    named = re.compile(r"^pagefind/(?:[a-z-]+/)?(?:fragment/|index/|pagefind\.[a-z-]+_)")
    return {path: data for path, data in tree.items() if not named.search(path)}


def _uncited(page: str) -> str:
    """A page less its citations' back-links, each citation's number among its source's
    left out: a feature's citations taken away renumber the others."""
    return _CITATION_NUMBER.sub(r"cite-\1-n", _CITED_AT.sub("", page))


def _sitemap_without(data: bytes, gone: list[str]) -> bytes:
    """The example's sitemap less the entries of the pages of ``gone``."""
    text = data.decode("utf-8")
    for path in gone:
        if path.endswith("index.html"):
            loc = re.escape(EXAMPLE_BASE + path.removesuffix("index.html"))
            text = re.sub(rf"  <url><loc>{loc}</loc>\n(?:    .*\n)*?  </url>\n", "", text)
    return text.encode("utf-8")
