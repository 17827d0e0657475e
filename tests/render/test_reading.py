"""Reading aids and page furniture: reading time, tables of contents, related briefs,
breadcrumbs, social meta, and the search page and index."""

from __future__ import annotations

import datetime as dt  # noqa: I001
from pathlib import Path

import pytest

from briefgen.assemble.related import related_briefs
from briefgen.model.dates import Timestamp
from briefgen.model.site import Brief

from conftest import brief, topic


def _page(root: Path, path: str) -> str:
    return (root / "public" / path / "index.html").read_text()


def _words(n: int) -> str:
    return " ".join(["word"] * n) + "\n"


def test_reading_time_and_word_count(make_site, cli) -> None:
    root = make_site(
        {"content/briefs/a.md": brief(body=_words(660)), "content/topics/cartels.md": topic()}
    )
    assert cli("build", "-q", "--source", root).code == 0
    assert " · 3 min read (660 words)</span>" in _page(root, "briefs/a")


def test_short_brief_reads_in_one_minute(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(body="Two words.\n")})
    assert cli("build", "-q", "--source", root).code == 0
    assert " · 1 min read (2 words)</span>" in _page(root, "briefs/a")


@pytest.mark.parametrize(
    ("words", "headings", "front", "expected"),
    [
        (500, 2, "", True),  # long enough with two headings
        (300, 2, "", False),  # too short
        (500, 1, "", False),  # one heading is no table of contents
        (300, 2, "toc: true\n", True),  # the brief asks for one
        (500, 2, "toc: false\n", False),  # the brief declines one
    ],
)
def test_table_of_contents_on_long_briefs(
    make_site, cli, words: int, headings: int, front: str, expected: bool
) -> None:
    body = "".join(f"## Part {i}\n\n{_words(words // headings)}\n" for i in range(headings))
    root = make_site({"content/briefs/a.md": brief(body=body, extra=front)})
    assert cli("build", "-q", "--source", root).code == 0
    html = _page(root, "briefs/a")
    assert ('<nav class="toc"' in html) is expected
    if expected:
        assert '<li class="toc-level-2"><a href="#part-0">Part 0</a></li>' in html


def _b(slug: str, day: int, topics: tuple[str, ...], tags: tuple[str, ...] = ()) -> Brief:
    return Brief(
        source_path=f"{slug}.md",
        slug=slug,
        title=slug.upper(),
        summary="s",
        topics=topics,
        tags=tags,
        date=Timestamp.from_value(dt.date(2025, 2, day)),
    )


def test_related_ranks_shared_labels_then_recency() -> None:
    me = _b("me", 10, ("cartels", "trade"), ("cia",))
    both = _b("both", 1, ("cartels", "trade"))  # two shared topics, the oldest brief
    tag_and_topic = _b("tagged", 2, ("cartels",), ("CIA",))  # a topic and a tag (tags ignore case)
    newer_one = _b("newer", 9, ("trade",))  # one shared, newer
    older_one = _b("older", 3, ("cartels",))  # one shared, older
    unrelated = _b("none", 11, ("border",))
    ordered = sorted(
        [me, both, tag_and_topic, newer_one, older_one, unrelated],
        key=lambda b: b.date,
        reverse=True,
    )
    related = related_briefs(ordered, 4)
    # two shared labels each: the newer first; then one shared label each, newer first
    assert [b.slug for b in related["me"]] == ["tagged", "both", "newer", "older"]
    assert related["none"] == ()
    assert all(len(v) <= 2 for v in related_briefs(ordered, 2).values())
    assert related_briefs(ordered, 0)["me"] == ()


def test_related_section_on_the_page(make_site, cli) -> None:
    root = make_site(
        {
            "content/briefs/a.md": brief(title="Alpha", topics="[cartels, trade]"),
            "content/briefs/b.md": brief(title="Beta", topics="[trade]", date="2025-02-01"),
            "content/briefs/c.md": brief(title="Gamma", topics="[border]"),
        }
    )
    assert cli("build", "-q", "--source", root).code == 0
    html = _page(root, "briefs/a")
    assert '<h2 id="related-heading">Related briefs</h2>' in html
    assert '<a href="/briefings/briefs/b/">Beta</a>' in html
    assert "Gamma" not in html
    assert '<section class="related"' not in _page(root, "briefs/c")


def test_breadcrumbs(make_site, cli) -> None:
    root = make_site(
        {"content/briefs/a.md": brief(title="Alpha"), "content/topics/cartels.md": topic()}
    )
    assert cli("build", "-q", "--source", root).code == 0
    html = _page(root, "briefs/a")
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    crumbs = html.split('<nav class="breadcrumbs"')[1].split("</nav>")[0]
    assert [c.split(">")[1].split("<")[0] for c in crumbs.split("<a ")[1:]] == [
        "Home",
        "Cartels",
        "Alpha",
    ]
    assert '<a href="/briefings/briefs/a/" aria-current="page">Alpha</a>' in crumbs
    topic_crumbs = (
        _page(root, "topics/cartels").split('<nav class="breadcrumbs"')[1].split("</nav>")[0]
    )
    assert "Topics</a>" in topic_crumbs and 'aria-current="page">Cartels</a>' in topic_crumbs


def test_social_meta_on_every_page(make_site, cli) -> None:
    root = make_site(
        {"content/briefs/a.md": brief(title="Alpha", summary="The dek.", extra="tags: [cia]\n")}
    )
    assert cli("build", "-q", "--source", root).code == 0
    html = _page(root, "briefs/a")
    for tag in (
        '<meta name="description" content="The dek.">',
        '<meta property="og:type" content="article">',
        '<meta property="og:title" content="Alpha">',
        '<meta property="og:url" content="https://example.org/briefings/briefs/a/">',
        '<meta property="article:published_time" content="2025-02-04T00:00:00Z">',
        '<meta property="article:tag" content="cia">',
        '<meta name="twitter:card" content="summary_large_image">',
        # no picture of its own: its social card, drawn for it
        '<meta property="og:image" content="https://example.org/briefings/media/cards/briefs/a.png">',
        '<meta property="og:image:width" content="1200">',
        '<meta property="og:image:alt" content="Alpha">',
        '<link rel="canonical" href="https://example.org/briefings/briefs/a/">',
        '<html lang="en">',
    ):
        assert tag in html, tag
    for page in ("", "topics", "archive", "search", "topics/cartels"):
        other = _page(root, page)
        assert '<meta property="og:type" content="website">' in other
        assert '<meta name="twitter:description"' in other
        assert 'content="https://example.org/briefings/media/cards/site.png"' in other
    assert (root / "public/media/cards/briefs/a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_search_page_index_and_header_box(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(body="Reconnaissance flights.\n")})
    assert cli("build", "-q", "--source", root).code == 0
    public = root / "public"
    assert (public / "pagefind/pagefind.js").is_file()
    assert (public / "pagefind/pagefind-entry.json").is_file()
    assert not (public / "pagefind/pagefind-ui.js").exists()  # unused interfaces are not published
    home = _page(root, "")
    assert (
        '<form class="site-search" role="search" action="/briefings/search/" method="get">' in home
    )
    assert '<a class="search-fallback" href="/briefings/topics/">' in home
    search = _page(root, "search")
    assert '<option value="cartels">Cartels</option>' in search
    assert 'data-bundle="/briefings/pagefind/"' in search
    assert "data-pagefind-body" in _page(root, "briefs/a")
    assert "data-pagefind-body" not in home  # only briefs are indexed


def test_search_can_be_turned_off(make_site, cli) -> None:
    yaml = "title: T\nbase_url: /\nsearch:\n  enabled: false\n"
    root = make_site({"content/briefs/a.md": brief()}, site_yaml=yaml)
    assert cli("build", "-q", "--source", root).code == 0
    assert not (root / "public/pagefind").exists()
    assert not (root / "public/search").exists()
    assert "site-search" not in _page(root, "")


def test_missing_indexer_fails_the_build_and_keeps_the_old_site(
    make_site, cli, monkeypatch
) -> None:
    root = make_site({"content/briefs/a.md": brief()})
    assert cli("build", "-q", "--source", root).code == 0
    before = _page(root, "")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(root / "no-such-indexer"))
    # a changed page makes an incremental build run the indexer again
    (root / "content/briefs/a.md").write_text(brief(body="Changed.\n"), encoding="utf-8")
    run = cli("build", "--source", root)
    assert run.code == 1
    assert "error: cannot run the Pagefind indexer" in run.err
    assert "Traceback" not in run.err
    assert _page(root, "") == before
