"""The briefing fields on the page: why it matters, figures, the change log and its
correction banner, the review note, entities, and the NewsArticle JSON-LD."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import REPO, brief, run_cli, topic, write_site

EXTRA = """\
sources:
  - {id: pvdn, title: Drone flights, publisher: Puerto Vallarta Daily News, url: 'https://www.vallartadaily.com/'}
key_facts:
  - The border is 1,800 miles long
  - {figure: 229, label: migrants apprehended on February 4, source: pvdn}
why_it_matters: Fewer crossings are the measure the administration points to.
whats_next: Congress reviews the figures in March.
people: [Tom Homan]
organizations: [U.S. Border Patrol]
places: [Querétaro]
updates:
  - {date: 2025-02-06, kind: update, note: Added the Senate reaction.}
  - {date: 2025-02-08, kind: correction, note: 'The figure is 229, not 292.'}
review_by: 2025-03-01
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The brief's page, built once for the tests that read it."""
    root = write_site(
        tmp_path_factory.mktemp("briefing") / "site",
        {
            "content/briefs/a.md": brief(title="Apprehensions </script><b>fall</b>", extra=EXTRA),
            "content/topics/cartels.md": topic(),
        },
    )
    assert run_cli("build", "--source", root, "-q").code == 0
    return (root / "public/briefs/a/index.html").read_text(encoding="utf-8")


def _jsonld(page: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_why_it_matters_is_shown_and_describes_the_page(page: str) -> None:
    why = "Fewer crossings are the measure the administration points to."
    assert f"<strong>Why it matters:</strong> {why}</p>" in page
    assert f'<meta name="description" content="{why}">' in page


def test_figures_stand_out_in_the_key_facts(page: str) -> None:
    assert (
        '<strong class="figure">229</strong> <span class="label">migrants apprehended on'
        " February 4</span>" in page
    )
    assert "<li>The border is 1,800 miles long</li>" in page


def test_change_log_newest_first_with_a_correction_banner(page: str) -> None:
    log = page[page.index('id="updates-heading"') :]
    assert log.index("8 February 2025") < log.index("6 February 2025")
    assert '<span class="kind">Correction</span>: The figure is 229, not 292.' in log
    assert '<p class="notice correction" role="note"><strong>Correction</strong>' in page


def test_a_passed_review_date_shows_a_note_instead_of_hiding_the_brief(page: str) -> None:
    assert "was due for review on 1 March 2025 and may be outdated" in page


def test_entities_and_whats_next(page: str) -> None:
    assert '<dt>People</dt><dd><a href="/briefings/people/tom-homan/">Tom Homan</a></dd>' in page
    assert '<dt>Places</dt><dd><a href="/briefings/places/queretaro/">Querétaro</a></dd>' in page
    assert "<p>Congress reviews the figures in March.</p>" in page


def test_news_article_json_ld_names_headline_dates_and_citations(page: str) -> None:
    data = _jsonld(page)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Apprehensions </script><b>fall</b>"
    assert data["datePublished"] == "2025-02-04T00:00:00Z"
    assert data["dateModified"] == "2025-02-08T00:00:00Z"  # the newest change-log entry
    assert data["citation"][0]["url"] == "https://www.vallartadaily.com/"
    assert {"@type": "Person", "name": "Tom Homan"} in data["about"]
    block = page[page.index("application/ld+json") : page.index("</script>", page.index("ld+json"))]
    assert "<" not in block[block.index("\n") :]  # nothing in it can close the element


def test_feeds_follow_the_change_log_and_use_why_it_matters(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(extra=EXTRA)})
    assert cli("build", "--source", root, "-q").code in (0, 1)
    atom = (root / "public/feed.xml").read_text(encoding="utf-8")
    assert "<updated>2025-02-08T00:00:00Z</updated>" in atom
    assert (
        "<summary>Fewer crossings are the measure the administration points to.</summary>" in atom
    )


def test_an_outdated_note_appears_when_time_passes_even_with_nothing_edited(
    make_site, cli, monkeypatch
) -> None:
    root = make_site(
        {
            "content/briefs/a.md": brief(extra="review_by: 2025-03-01\n"),
            "content/topics/cartels.md": topic(),
        }
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740000000")  # 19 February 2025
    assert cli("build", "--source", root, "-q").code == 0
    page = Path(root / "public/briefs/a/index.html")
    assert "may be outdated" not in page.read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1741000000")  # 3 March 2025
    assert cli("build", "--source", root, "-q").code == 0
    assert "may be outdated" in page.read_text(encoding="utf-8")


# --- the example site -------------------------------------------------------------------------


def test_every_example_brief_page_carries_json_ld_with_its_headline_and_dates(
    example_build: Path,
) -> None:
    pages = sorted(example_build.glob("briefs/*/index.html"))
    assert len(pages) == 14
    for path in pages:
        page = path.read_text(encoding="utf-8")
        data = _jsonld(page)
        title = re.search(r"<h1>(.*?)</h1>", page, re.S)
        assert title is not None
        assert html.unescape(title.group(1)) == data["headline"], path
        assert data["datePublished"] <= data["dateModified"]


def test_the_example_shows_figures_corrections_and_entities(example_build: Path) -> None:
    apprehensions = (
        example_build / "briefs/border-apprehensions-fall-to-229/index.html"
    ).read_text(encoding="utf-8")
    assert '<strong class="figure">229</strong>' in apprehensions
    assert ">Tom Homan</a></dd>" in apprehensions
    spy_planes = (example_build / "briefs/spy-planes-spotted-off-sinaloa/index.html").read_text(
        encoding="utf-8"
    )
    assert '<p class="notice correction" role="note">' in spy_planes
    assert "they were detected off its coast" in spy_planes


def _example_events() -> list[tuple[str, str]]:
    """(date, event) of every timeline entry in the example content, read from the files."""
    from briefgen.model.diagnostics import Diagnostics
    from briefgen.pipeline.prepare import Index, parse_briefs

    metas, _ = parse_briefs(REPO, Index({}, {}), Diagnostics(), jobs=1)
    metas = [m for m in metas if not m.path.endswith(".es.md")]  # the English edition
    return [(e.date.isoformat(), e.event) for m in metas for e in m.structure.timeline]


def test_the_timeline_lists_every_example_event_in_date_order(example_build: Path) -> None:
    page = (example_build / "timeline/index.html").read_text(encoding="utf-8")
    shown = [
        (when, html.unescape(event))
        for when, event in re.findall(
            r'<time datetime="([^"]+)">[^<]*</time> <span class="event">([^<]*)</span>', page
        )
    ]
    expected = _example_events()
    assert len(expected) >= 5
    assert sorted(shown) == sorted(expected)  # every event, once
    days = [when for when, _ in shown]
    assert days == sorted(days, key=lambda d: (d[:4], d[5:7] or "", d[8:10] or ""))


def test_the_corrections_page_lists_every_example_correction(example_build: Path) -> None:
    from briefgen.model.diagnostics import Diagnostics
    from briefgen.pipeline.prepare import Index, parse_briefs

    metas, _ = parse_briefs(REPO, Index({}, {}), Diagnostics(), jobs=1)
    metas = [m for m in metas if not m.path.endswith(".es.md")]  # the English edition
    notes = [u.note for m in metas for u in m.structure.updates if u.kind == "correction"]
    page = (example_build / "corrections/index.html").read_text(encoding="utf-8")
    assert notes and all(html.escape(note, quote=False) in page for note in notes)
    assert page.count("<li><time") == len(notes)


def test_each_example_entity_page_lists_exactly_the_briefs_naming_it(example_build: Path) -> None:
    from briefgen.model.diagnostics import Diagnostics
    from briefgen.model.urls import slugify
    from briefgen.pipeline.prepare import Index, parse_briefs

    metas, _ = parse_briefs(REPO, Index({}, {}), Diagnostics(), jobs=1)
    metas = [m for m in metas if not m.path.endswith(".es.md")]  # the English edition
    checked = 0
    for kind in ("people", "organizations", "places"):
        naming: dict[str, set[str]] = {}
        for m in metas:
            for name in getattr(m.structure, kind):
                naming.setdefault(slugify(name), set()).add(m.slug)
        index = (example_build / kind / "index.html").read_text(encoding="utf-8")
        for slug, slugs in naming.items():
            page = (example_build / kind / slug / "index.html").read_text(encoding="utf-8")
            listed = set(
                re.findall(r'class="brief-item-title"><a href="/briefings/briefs/([^/]+)/"', page)
            )
            assert listed == slugs, (kind, slug)
            assert f'href="/briefings/{kind}/{slug}/"' in index
            checked += 1
    assert checked >= 8


def test_names_that_slug_alike_are_one_entity_with_an_accent_free_address(make_site, cli) -> None:
    root = make_site(
        {
            "content/briefs/a.md": brief(title="A", extra="places: [Querétaro]\n"),
            "content/briefs/b.md": brief(
                title="B", date="2025-02-05", extra="places: [Querétaro]\n"
            ),
            "content/briefs/c.md": brief(
                title="C", date="2025-02-06", extra="places: [Queretaro]\n"
            ),
            "content/topics/cartels.md": topic(),
        }
    )
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/places/queretaro/index.html").read_text(encoding="utf-8")
    assert "<h1>Querétaro</h1>" in page  # the spelling most briefs use
    assert page.count('class="brief-item-title"') == 3
    assert sorted(p.name for p in (root / "public/places").iterdir()) == ["index.html", "queretaro"]


def test_a_story_page_lists_its_briefs_latest_first_then_in_order(make_site, cli) -> None:
    story = 'story: "Drones over Mexico"\n'
    root = make_site(
        {
            "content/briefs/a.md": brief(title="First", date="2025-02-01", extra=story),
            "content/briefs/b.md": brief(title="Second", date="2025-02-03", extra=story),
            "content/briefs/c.md": brief(title="Third", date="2025-02-05", extra=story),
            "content/briefs/d.md": brief(title="Elsewhere", date="2025-02-06"),
            "content/topics/cartels.md": topic(),
        }
    )
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/stories/drones-over-mexico/index.html").read_text(encoding="utf-8")
    assert "<h1>Drones over Mexico</h1>" in page
    assert re.findall(r'class="brief-item-title"><a href="[^"]+">([^<]+)</a>', page) == [
        "Third",
        "First",
        "Second",
    ]
    second = (root / "public/briefs/b/index.html").read_text(encoding="utf-8")
    assert 'Part of the story <a href="/briefings/stories/drones-over-mexico/">' in second
    assert '<span class="label">Earlier</span> <a href="/briefings/briefs/a/">First</a>' in second
    assert '<span class="label">Later</span> <a href="/briefings/briefs/c/">Third</a>' in second


def test_the_example_story_page_starts_with_its_latest_brief(example_build: Path) -> None:
    pages = list(example_build.glob("stories/*/index.html"))
    assert len(pages) == 1
    titles = re.findall(
        r'class="brief-item-title"><a href="/briefings/briefs/([^/]+)/"',
        pages[0].read_text(encoding="utf-8"),
    )
    assert titles[0] == "mexico-insists-on-sovereignty" and len(titles) == 4


def test_home_shows_recently_updated_briefs_latest_change_first(make_site, cli) -> None:
    log = "updates:\n  - {date: 2025-02-20, kind: update, note: More.}\n"
    root = make_site(
        {
            "content/briefs/a.md": brief(title="Logged", date="2025-02-01", extra=log),
            "content/briefs/b.md": brief(
                title="Edited", date="2025-02-02", extra="updated: 2025-02-10\n"
            ),
            "content/briefs/c.md": brief(title="Untouched", date="2025-02-03"),
            "content/topics/cartels.md": topic(),
        }
    )
    assert cli("build", "--source", root, "-q").code == 0
    home = (root / "public/index.html").read_text(encoding="utf-8")
    section = home[home.index('id="updated-heading"') :]
    section = section[: section.index("</section>")]
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section) == ["Logged", "Edited"]


def test_every_example_brief_cites_its_sources_and_each_number_has_its_source(
    example_build: Path,
) -> None:
    pages = sorted(example_build.glob("briefs/*/index.html"))
    assert len(pages) == 14
    for path in pages:
        page = path.read_text(encoding="utf-8")
        cited = set(re.findall(r'<a href="#source-(\d+)" id="cite-\1-\d+"', page))
        listed = set(re.findall(r'<li id="source-(\d+)">', page))
        assert cited, f"{path} cites nothing"
        assert cited == listed, f"{path}: cited {cited}, listed {listed}"


def test_example_topic_pages_show_their_numbers_and_timelines(example_build: Path) -> None:
    page = (example_build / "topics/border-crackdown/index.html").read_text(encoding="utf-8")
    numbers = page[page.index('<section class="by-the-numbers"') :]
    numbers = numbers[: numbers.index("</section>")]
    figures = re.findall(r'<strong class="figure">([^<]+)</strong>', numbers)
    assert {"229", "500", "1,500", "140"} <= set(figures)
    timeline = page[page.index('<section class="topic-timeline"') :]
    assert "Northern Command adds 500 personnel" in timeline
    assert '<a class="from" href="/briefings/briefs/border-apprehensions-fall-to-229/">' in timeline


def test_example_go_deeper_entities_and_descriptions(example_build: Path) -> None:
    page = (example_build / "briefs/sheinbaum-responds-to-drone-reports/index.html").read_text(
        encoding="utf-8"
    )
    deeper = page[page.index('<section class="go-deeper"') :]
    assert '<a href="/briefings/briefs/mexico-insists-on-sovereignty/">' in deeper
    assert 'class="entity-link">Claudia Sheinbaum</a>' in page  # link_entities: true
    person = (example_build / "people/claudia-sheinbaum/index.html").read_text(encoding="utf-8")
    assert '<p class="lede">President of Mexico' in person
    assert '<a href="/briefings/briefs/sheinbaum-responds-to-drone-reports/">her response</a>' in (
        person
    )
