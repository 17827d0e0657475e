"""Feeds, sitemap and robots.txt of the example site, and feed details on small sites."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from conftest import EXAMPLE_BASE, REPO, brief, topic

BASE = EXAMPLE_BASE


@pytest.fixture(scope="module")
def built(example_build: Path) -> Path:
    return example_build


def _file_for(out: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    rel = url[len(BASE) :]
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def _atom_files(out: Path) -> list[Path]:
    """Every Atom feed of every language (the Spanish ones under es/)."""
    return [
        out / "feed.xml",
        *sorted((out / "topics").glob("*/feed.xml")),
        out / "es/feed.xml",
        *sorted((out / "es/topics").glob("*/feed.xml")),
    ]


def test_every_atom_feed_parses_cleanly_and_links_to_pages(built: Path) -> None:
    feeds = _atom_files(built)
    topics = [p for p in (REPO / "content/topics").glob("*.md") if "." not in p.stem]
    assert len(feeds) == 2 * (1 + len(topics))
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.entries, path
        for entry in parsed.entries:
            assert _file_for(built, entry.link).is_file(), entry.link
            assert entry.id.startswith("tag:example.org,2025-")
            assert entry.summary and entry.content[0].value
        dates = [e.published_parsed for e in parsed.entries]
        assert dates == sorted(dates, reverse=True)  # newest first


def test_json_feed_follows_the_1_1_spec(built: Path) -> None:
    """feedparser 6 reads no JSON Feed, so the spec's required fields are checked here."""
    data = json.loads((built / "feed.json").read_text())
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == "Drones over Mexico"
    assert data["home_page_url"] == BASE and data["feed_url"] == BASE + "feed.json"
    assert data["authors"] == [{"name": "Drones over Mexico"}]
    assert len(data["items"]) == 14
    assert len({item["id"] for item in data["items"]}) == 14
    rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"].startswith("tag:example.org,")
        assert _file_for(built, item["url"]).is_file()
        assert item["content_html"] and item["summary"] and item["title"]
        assert rfc3339.match(item["date_published"]) and rfc3339.match(item["date_modified"])
        assert 'href="/' not in item["content_html"]  # links made absolute for readers
    published = [item["date_published"] for item in data["items"]]
    assert published == sorted(published, reverse=True)


def test_feed_content_links_are_absolute(built: Path) -> None:
    text = (built / "feed.xml").read_text()
    assert 'href="/briefings/' not in text
    assert 'href="https://example.org/briefings/briefs/' in text


def test_entry_ids_survive_a_move_to_another_subpath(
    tmp_path: Path, built: Path, example_source: Path, cli
) -> None:
    other = tmp_path / "moved"
    assert (
        cli(
            "build",
            "-q",
            "--source",
            example_source,
            "--output",
            other,
            "--base-url",
            "https://example.org/news/",
        ).code
        == 0
    )
    ids = lambda p: [e.id for e in feedparser.parse(p.read_bytes()).entries]  # noqa: E731
    assert ids(other / "feed.xml") == ids(built / "feed.xml")


def test_sitemap_lists_exactly_the_html_pages(built: Path) -> None:
    tree = ElementTree.parse(built / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [u.findtext("s:loc", namespaces=ns) for u in tree.getroot().findall("s:url", ns)]
    pages = {p.relative_to(built).as_posix() for p in built.rglob("*.html")} - {
        "404.html",
        "es/404.html",
    }
    listed = {_file_for(built, loc).relative_to(built).as_posix() for loc in locs}
    assert len(locs) == len(listed)
    assert listed == pages
    lastmods = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in tree.getroot()
    }
    # a brief's lastmod is its `updated` date when it has one
    assert lastmods[BASE + "briefs/spy-planes-spotted-off-sinaloa/"] == "2025-02-18"
    assert lastmods[BASE + "briefs/state-department-reviews-six-cartels/"] == "2025-02-04"


def test_robots_txt_names_the_sitemap(built: Path) -> None:
    assert (
        built / "robots.txt"
    ).read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_alternate_links_in_home_and_topic_heads(built: Path) -> None:
    home = (built / "index.html").read_text()
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Drones over Mexico (Atom)" href="{BASE}feed.xml">'
        in home
    )
    assert (
        f'type="application/feed+json" title="Drones over Mexico (JSON Feed)" href="{BASE}feed.json">'
        in home
    )
    topic_page = (built / "topics/cartels/index.html").read_text()
    assert f'href="{BASE}topics/cartels/feed.xml">' in topic_page


def test_feeds_limit_and_topic_feed_members(make_site, cli) -> None:
    files = {
        f"content/briefs/b{i}.md": brief(title=f"B{i}", date=f"2025-02-{i + 1:02d}")
        for i in range(5)
    }
    files["content/topics/cartels.md"] = topic()
    root = make_site(
        files, site_yaml="title: T\nbase_url: https://news.example/\nfeeds:\n  limit: 3\n"
    )
    assert cli("build", "-q", "--source", root).code == 0
    parsed = feedparser.parse((root / "public/feed.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["B4", "B3", "B2"]
    assert len(json.loads((root / "public/feed.json").read_text())["items"]) == 3
    topic_feed = feedparser.parse((root / "public/topics/cartels/feed.xml").read_bytes())
    assert [e.title for e in topic_feed.entries] == ["B4", "B3", "B2"]


def test_updated_comes_from_the_brief(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(extra="updated: 2025-03-01T10:00:00-06:00\n")})
    assert cli("build", "-q", "--source", root).code == 0
    text = (root / "public/feed.xml").read_text()
    assert "<updated>2025-03-01T10:00:00-06:00</updated>" in text
    assert "<published>2025-02-04T00:00:00Z</published>" in text


def test_titles_are_escaped_in_every_feed(make_site, cli) -> None:
    title = '"</title><script>alert(1)</script> & more"'
    root = make_site({"content/briefs/a.md": brief(title=title)})
    assert cli("build", "-q", "--source", root).code == 0
    for name in ("feed.xml", "topics/cartels/feed.xml", "sitemap.xml"):
        assert "<script>" not in (root / "public" / name).read_text()
    assert feedparser.parse((root / "public/feed.xml").read_bytes()).entries[
        0
    ].title == title.strip('"')
    assert json.loads((root / "public/feed.json").read_text())["items"][0]["title"] == title.strip(
        '"'
    )


def test_empty_site_still_has_valid_feeds(make_site, cli) -> None:
    root = make_site({})
    assert cli("build", "-q", "--source", root).code == 0
    parsed = feedparser.parse((root / "public/feed.xml").read_bytes())
    assert not parsed.bozo and parsed.entries == []
    assert re.search(
        r"<updated>1970-01-01T00:00:00Z</updated>", (root / "public/feed.xml").read_text()
    )


def test_json_outputs_carry_no_markup_characters(make_site, cli) -> None:
    title = '"<script>alert(1)</script> & co"'
    root = make_site(
        {
            "content/topics/cartels.md": topic(),
            "content/briefs/x.md": brief(title=title, summary='"a < b & c > d"'),
        }
    )
    assert cli("build", "--source", root, "--quiet").code == 0
    feed = (root / "public/feed.json").read_text(encoding="utf-8")
    assert not set("<>&") & set(feed)
    assert "\\u003cscript\\u003e" in feed
    assert json.loads(feed)["items"][0]["title"] == "<script>alert(1)</script> & co"
    page = (root / "public/briefs/x/index.html").read_text(encoding="utf-8")
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert ld and not set("<>&") & set(ld.group(1))
    (root / "content/briefs/bad.md").write_text(brief(title="B", date="<b>"), encoding="utf-8")
    report = cli("check", "--source", root, "--format", "json").out
    assert "\\u003cb\\u003e" in report or "<b>" not in report
    assert not set("<>&") & set(report)
