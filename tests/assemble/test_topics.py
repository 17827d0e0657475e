"""Topics, pagination, previous/next links, drafts and the archive, read from built pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import brief, topic

# per_page is 2 in the test site.yaml
BRIEFS = {
    "content/briefs/2024-12-20-oldest.md": brief(title="Oldest", date="2024-12-20"),
    "content/briefs/2025-01-10-january-one.md": brief(
        title="January one", date="2025-01-10", topics="[cartels, trade]"
    ),
    "content/briefs/2025-02-01-february-one.md": brief(title="February one", date="2025-02-01"),
    "content/briefs/2025-02-04-february-two.md": brief(
        title="February two", date="2025-02-04", topics="[trade, cartels]"
    ),
    "content/briefs/2025-02-10-newest.md": brief(
        title="Newest", date="2025-02-10", topics="[cartels, border-crackdown]"
    ),
    "content/topics/cartels.md": topic(),
    "content/topics/trade.md": topic(title="Trade", description="Tariffs and trade pressure."),
}
DRAFT = {
    "content/briefs/2025-02-11-draft-brief.md": brief(
        title="Draft brief", date="2025-02-11", extra="draft: true\n"
    )
}
CARTELS_NEWEST_FIRST = ["Newest", "February two", "February one", "January one", "Oldest"]


@pytest.fixture
def site(make_site, cli) -> Path:
    root = make_site({**BRIEFS, **DRAFT})
    run = cli("build", "--source", root)
    assert run.code == 0, run.err
    return root / "public"


def page(public: Path, rel: str) -> str:
    return (public / rel / "index.html").read_text(encoding="utf-8")


def item_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="brief-item-title"><a href="[^"]+">([^<]+)</a></h3>', html)


def rel_link(html: str, rel: str) -> str | None:
    found = re.findall(rf'<a rel="{rel}" href="([^"]+)"', html)
    assert len(found) <= 1
    return found[0] if found else None


def test_topic_pages_list_briefs_newest_first(site: Path) -> None:
    pages = ["topics/cartels", "topics/cartels/page/2", "topics/cartels/page/3"]
    assert [item_titles(page(site, p)) for p in pages] == [
        ["Newest", "February two"],
        ["February one", "January one"],
        ["Oldest"],
    ]
    assert item_titles(page(site, "topics/trade")) == ["February two", "January one"]


def test_pagination_pages_exist_and_stop(site: Path) -> None:
    assert (site / "topics/cartels/index.html").is_file()
    assert (site / "topics/cartels/page/2/index.html").is_file()
    assert (site / "topics/cartels/page/3/index.html").is_file()
    assert not (site / "topics/cartels/page/4").exists()
    assert not (site / "topics/cartels/page/1").exists()
    assert not (site / "topics/trade/page").exists()


def test_pagination_previous_and_next_links(site: Path) -> None:
    first, second, third = (
        page(site, p) for p in ("topics/cartels", "topics/cartels/page/2", "topics/cartels/page/3")
    )
    assert (rel_link(first, "prev"), rel_link(first, "next")) == (
        None,
        "/briefings/topics/cartels/page/2/",
    )
    assert (rel_link(second, "prev"), rel_link(second, "next")) == (
        "/briefings/topics/cartels/",
        "/briefings/topics/cartels/page/3/",
    )
    assert (rel_link(third, "prev"), rel_link(third, "next")) == (
        "/briefings/topics/cartels/page/2/",
        None,
    )
    assert '<a href="/briefings/topics/cartels/page/2/" aria-current="page">2</a>' in second
    assert "<title>Cartels (page 2) · Test Briefings</title>" in second
    assert '<span class="page-number">(page 3 of 3)</span>' in third


def test_single_page_topic_has_no_pagination(site: Path) -> None:
    assert 'class="pagination"' not in page(site, "topics/trade")


def test_topic_intro_only_on_first_page(site: Path) -> None:
    assert "<p>Intro.</p>" in page(site, "topics/cartels")
    assert "<p>Intro.</p>" not in page(site, "topics/cartels/page/2")


def test_topic_counts_on_topics_index(site: Path) -> None:
    html = page(site, "topics")
    found = re.findall(
        r'<a href="/briefings/topics/([\w-]+)/">([^<]+)</a> <span class="count">([^<]+)</span>',
        html,
    )
    assert found == [
        ("border-crackdown", "Border crackdown", "1 brief"),
        ("cartels", "Cartels", "5 briefs"),
        ("trade", "Trade", "2 briefs"),
    ]


def test_topic_counts_and_latest_briefs_on_home(site: Path) -> None:
    html = page(site, "")
    counts = re.findall(
        r'<li><a href="/briefings/topics/([\w-]+)/">[^<]+</a> <span class="count">(\d+)</span>',
        html,
    )
    assert counts == [("border-crackdown", "1"), ("cartels", "5"), ("trade", "2")]
    assert item_titles(html) == ["Newest", "February two"]
    assert "All 5 briefs in the archive →" in html


def test_undescribed_topic_title_comes_from_its_slug(make_site, cli) -> None:
    root = make_site(BRIEFS)
    run = cli("build", "--source", root)
    assert run.code == 0
    assert "topic 'border-crackdown' has no file content/topics/border-crackdown.md" in run.err
    html = page(root / "public", "topics/border-crackdown")
    assert "<h1>Border crackdown</h1>" in html
    assert "<title>Border crackdown · Test Briefings</title>" in html
    assert '<meta name="description" content="Briefs on Border crackdown">' in html


def test_described_topic_without_briefs_still_has_a_page(make_site, cli) -> None:
    root = make_site(
        {**BRIEFS, "content/topics/quiet.md": topic(title="Quiet", description="Nothing yet.")}
    )
    assert cli("build", "--source", root, "--quiet").code == 0
    html = page(root / "public", "topics/quiet")
    assert "<p>No briefs on this topic yet.</p>" in html
    assert "0 briefs, newest first" in html


@pytest.mark.parametrize(
    ("slug", "previous", "next_"),
    [
        ("oldest", None, "/briefings/briefs/january-one/"),
        ("january-one", "/briefings/briefs/oldest/", "/briefings/briefs/february-one/"),
        ("february-one", "/briefings/briefs/january-one/", "/briefings/briefs/february-two/"),
        ("newest", "/briefings/briefs/february-two/", None),
        # first topic is trade: neighbours come from trade, not cartels
        ("february-two", "/briefings/briefs/january-one/", None),
    ],
)
def test_previous_and_next_within_the_first_topic(
    site: Path, slug: str, previous: str | None, next_: str | None
) -> None:
    html = page(site, f"briefs/{slug}")
    assert (rel_link(html, "prev"), rel_link(html, "next")) == (previous, next_)


def test_prev_next_block_names_the_first_topic(site: Path) -> None:
    assert (
        '<h2 id="prev-next-heading">More in <a href="/briefings/topics/trade/">Trade</a></h2>'
        in page(site, "briefs/february-two")
    )
    assert (
        '<h2 id="prev-next-heading">More in <a href="/briefings/topics/cartels/">Cartels</a></h2>'
        in page(site, "briefs/february-one")
    )


def test_brief_alone_in_its_topic_has_no_prev_next(make_site, cli) -> None:
    root = make_site(
        {"content/briefs/solo.md": brief(title="Solo"), "content/topics/cartels.md": topic()}
    )
    assert cli("build", "--source", root, "--quiet").code == 0
    assert 'class="prev-next"' not in page(root / "public", "briefs/solo")


def test_drafts_are_excluded_by_default(site: Path) -> None:
    assert not (site / "briefs/draft-brief").exists()
    assert "Draft brief" not in page(site, "topics/cartels") + page(site, "archive") + page(
        site, ""
    )
    assert "5 briefs, newest first" in page(site, "topics/cartels")


def test_drafts_are_included_with_the_option(make_site, cli) -> None:
    root = make_site({**BRIEFS, **DRAFT})
    run = cli("build", "--source", root, "--drafts")
    assert run.code == 0, run.err
    assert re.search(r"^built 6 briefs, 3 topics, ", run.out)
    public = root / "public"
    html = page(public, "briefs/draft-brief")
    assert '<span class="badge">Draft</span>' in html
    assert item_titles(page(public, "topics/cartels")) == ["Draft brief", "Newest"]
    assert "6 briefs, newest first" in page(public, "topics/cartels")
    assert '<p class="lede">6 briefs, newest first.</p>' in page(public, "archive")
    assert re.search(r'topics/cartels/">Cartels</a> <span class="count">6</span>', page(public, ""))


def test_build_summary_counts_without_drafts(make_site, cli) -> None:
    run = cli("build", "--source", make_site({**BRIEFS, **DRAFT}))
    assert re.search(r"^built 5 briefs, 3 topics, ", run.out)


def test_archive_groups_by_month_newest_first(site: Path) -> None:
    html = page(site, "archive")
    months = re.findall(
        r'<h2 id="(\d{4}-\d{2})">([^<]+) <span class="count">(\d+)</span></h2>', html
    )
    assert months == [
        ("2025-02", "February 2025", "3"),
        ("2025-01", "January 2025", "1"),
        ("2024-12", "December 2024", "1"),
    ]
    sections = html.split('<section class="month"')[1:]
    per_month = [
        re.findall(r'<a href="/briefings/briefs/[\w-]+/">([^<]+)</a>', s) for s in sections
    ]
    assert per_month == [["Newest", "February two", "February one"], ["January one"], ["Oldest"]]
    assert '<time datetime="2025-02-10">10 February 2025</time>' in html


def test_same_day_briefs_are_ordered_by_time_then_slug(make_site, cli) -> None:
    root = make_site(
        {
            "content/briefs/b-midnight.md": brief(title="Midnight b", date="2025-02-04"),
            "content/briefs/a-midnight.md": brief(title="Midnight a", date="2025-02-04"),
            "content/briefs/evening.md": brief(title="Evening", date="2025-02-04T18:00:00-06:00"),
            "content/topics/cartels.md": topic(),
        },
        site_yaml="title: T\nper_page: 10\n",
    )
    assert cli("build", "--source", root, "--quiet").code == 0
    assert item_titles(page(root / "public", "topics/cartels")) == [
        "Evening",
        "Midnight a",
        "Midnight b",
    ]


def test_two_topic_files_with_the_same_slug_are_reported(make_site, cli) -> None:
    root = make_site(
        {
            "content/briefs/a.md": brief(),
            "content/topics/cartels.md": topic(title="Cartels"),
            "content/topics/Cartels_.md": topic(title="Other cartels"),
        }
    )
    run = cli("build", "--source", root)
    assert run.code == 1
    assert "content/topics/Cartels_.md" in run.err and "content/topics/cartels.md" in run.err
