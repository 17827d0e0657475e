"""A reader's journey through the example site in Chromium: clicking from the home page to a
brief and on to a related one, searching, phone and desktop widths, dark mode, JavaScript
off, printing, accessibility (axe-core) and the skip link."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .conftest import (
    BASE_PATH,
    Brief,
    MakePage,
    Site,
    example_briefs,
    example_topics,
    unique_word,
    unique_words,
)

TOPIC_URL = re.compile(re.escape(BASE_PATH) + r"topics/[a-z0-9-]+/$")
BRIEF_URL = re.compile(re.escape(BASE_PATH) + r"briefs/[a-z0-9-]+/$")
TABLE_BRIEF = "briefs/border-apprehensions-fall-to-229/"
# A search result link, in the Pagefind UI or in the theme's own results list.
RESULT_LINK = ".pagefind-ui__result-link, .search-results li a"
PHONE = {"width": 360, "height": 740}


def _path(page: Page) -> str:
    return urlsplit(page.url).path


def _goto(page: Page, site: Site, path: str) -> None:
    response = page.goto(site.url(path))
    assert response is not None and response.ok, (
        f"{site.url(path)}: HTTP {response and response.status}"
    )


def _first_topic() -> str:
    return f"topics/{sorted(example_topics())[0]}/"


# --- the click path ------------------------------------------------------------------------


def test_home_to_topic_to_brief_to_related_brief(page: Page, site: Site) -> None:
    _goto(page, site, "")
    expect(page.locator("h1")).to_be_visible()

    page.locator(".topic-counts a").first.click()
    expect(page).to_have_url(TOPIC_URL)
    expect(page.locator("h1")).to_be_visible()

    page.locator(".brief-item-title a").first.click()
    expect(page).to_have_url(BRIEF_URL)
    expect(page.locator("h1")).to_be_visible()
    first_brief = _path(page)

    related = page.locator("section.related a")
    expect(related.first).to_be_visible()
    related.first.click()
    expect(page).to_have_url(BRIEF_URL)
    expect(page.locator("h1")).to_be_visible()
    assert _path(page) != first_brief, "the first related brief is the brief itself"


# --- search --------------------------------------------------------------------------------


def _expect_first_result(page: Page, brief: Brief) -> None:
    results = page.locator(RESULT_LINK)
    expect(results.first).to_be_visible()
    hrefs = [
        urlsplit(urljoin(page.url, h)).path
        for h in results.evaluate_all("els => els.map(e => e.href)")
    ]
    assert hrefs[0] == brief.url_path, f"results {hrefs}, expected {brief.url_path} first"


def test_search_page_finds_the_one_brief_with_a_word(page: Page, site: Site) -> None:
    word, brief = unique_word()
    _goto(page, site, f"search/?q={quote(word)}")
    _expect_first_result(page, brief)
    page.locator(RESULT_LINK).first.click()
    expect(page).to_have_url(re.compile(re.escape(brief.url_path) + "$"))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".body")).to_contain_text(word, ignore_case=True)


def test_search_finds_briefs_in_every_partition_of_the_index(page: Page, site: Site) -> None:
    """The site is built with partitions of 4 briefs: a brief of each partition is found,
    through the partitions the search page merges into the first."""
    from briefgen.features.search.pagefind import partition_count, partition_of

    count = partition_count(len(example_briefs()), 4)
    assert count > 1
    by_part: dict[int, tuple[str, Brief]] = {}
    for word, brief in sorted(unique_words().items()):
        if len(word) < 9:  # a short word stems short ("adding" → "ad") and matches others
            continue
        by_part.setdefault(partition_of(f"briefs/{brief.slug}/index.html", count), (word, brief))
    assert len(by_part) > 1
    for word, brief in by_part.values():
        _goto(page, site, f"search/?q={quote(word)}")
        _expect_first_result(page, brief)


def test_a_spanish_query_finds_the_spanish_brief_not_the_english_one(
    page: Page, site: Site
) -> None:
    """The Spanish search page searches the Spanish index: a word of one Spanish brief finds
    that brief, and no result leads to an English page."""
    found = unique_words("es")
    word = min(w for w in found if len(w) >= 9)
    brief = found[word]
    _goto(page, site, f"es/search/?q={quote(word)}")
    _expect_first_result(page, brief)
    hrefs = page.locator(RESULT_LINK).evaluate_all("els => els.map(e => e.href)")
    assert all(urlsplit(h).path.startswith(BASE_PATH + "es/") for h in hrefs), hrefs
    english = unique_word()[0]
    _goto(page, site, f"es/search/?q={quote(english)}")
    expect(page.locator(".search-status")).not_to_be_empty()
    assert page.locator(RESULT_LINK).count() == 0


def test_the_language_switcher_leads_to_the_translation(page: Page, site: Site) -> None:
    brief = next(b for b in example_briefs("es"))
    english = brief.path.with_name(brief.path.name.replace(".es.md", ".md"))
    original = next(b for b in example_briefs() if b.path == english)
    _goto(page, site, original.url_path[len(BASE_PATH) :])
    page.locator("nav.languages a[hreflang=es]").click()
    expect(page).to_have_url(re.compile(re.escape(brief.url_path) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_header_search_box_leads_to_results(page: Page, site: Site) -> None:
    word, brief = unique_word()
    _goto(page, site, "archive/")
    form = page.locator("form.site-search")
    expect(form).to_be_visible()
    expect(page.locator("a.search-fallback")).to_be_hidden()
    form.locator("input[name=q]").fill(word)
    form.locator("input[name=q]").press("Enter")
    expect(page).to_have_url(re.compile(re.escape(BASE_PATH) + r"search/\?q=" + word))
    _expect_first_result(page, brief)


def test_search_can_be_filtered_by_topic(page: Page, site: Site) -> None:
    topics = example_topics()
    _goto(page, site, "search/?q=mexico")
    expect(page.locator(RESULT_LINK).first).to_be_visible()
    pagefind_ui = page.locator(".pagefind-ui__filter-panel")
    if pagefind_ui.count():
        labels = page.locator(".pagefind-ui__filter-label").all_inner_texts()
        assert any(t in label for label in labels for t in topics.values()), labels
        return
    select = page.locator("select[name=topic]")
    expect(select).to_be_visible()
    options = select.locator("option").all_inner_texts()
    assert set(topics.values()) <= {o.strip() for o in options}, options

    # Choosing a topic leaves only briefs of that topic: the alphabetically first primary topic
    # of the briefs that mention Mexico.
    mexico = [b for b in example_briefs() if "mexico" in b.path.read_text(encoding="utf-8").lower()]
    slug = sorted(b.front["topics"][0] for b in mexico)[0]
    in_topic = sorted(b.url_path for b in mexico if slug in b.front["topics"])
    select.select_option(slug)
    expect(page).to_have_url(re.compile(r"[?&]topic=" + slug))
    try:
        page.wait_for_function(
            """([selector, allowed]) => {
              const links = [...document.querySelectorAll(selector)];
              return links.length > 0 && links.every(a => allowed.includes(new URL(a.href).pathname));
            }""",
            arg=[RESULT_LINK, in_topic],
            timeout=5000,
        )
    except PlaywrightTimeoutError:
        hrefs = [
            urlsplit(h).path
            for h in page.locator(RESULT_LINK).evaluate_all("els => els.map(e => e.href)")
        ]
        pytest.fail(
            f"results for topic {slug}: {hrefs}; expected some of {in_topic} and nothing else"
        )


# --- widths --------------------------------------------------------------------------------


def test_no_horizontal_scroll_at_360px(make_page: MakePage, site: Site) -> None:
    page = make_page(viewport=PHONE)
    word, _ = unique_word()
    paths = [
        "",
        TABLE_BRIEF,
        _first_topic(),
        "topics/",
        "archive/",
        "search/",
        f"search/?q={word}",
        "404.html",
    ]
    paths += [
        b.url_path[len(BASE_PATH) :]
        for b in example_briefs()
        if b.url_path[len(BASE_PATH) :] != TABLE_BRIEF
    ]
    paths += [f"topics/{slug}/" for slug in sorted(example_topics())[1:]]
    too_wide = []
    for path in paths:
        _goto(page, site, path)
        if "?q=" in path:
            expect(page.locator(RESULT_LINK).first).to_be_visible()
        width = page.evaluate(
            """() => {
              const doc = document.documentElement;
              if (doc.scrollWidth <= window.innerWidth) return null;
              const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
              return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide};
            }"""
        )
        if width:
            too_wide.append(f"/{path}: {width}")
    assert not too_wide, "pages wider than a 360 px screen:\n" + "\n".join(too_wide)


MEASURE_JS = """() => {
  const p = document.querySelector('.body p');
  const style = getComputedStyle(p);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = p.textContent.replace(/\\s+/g, ' ').trim();
  const perChar = ctx.measureText(text).width / text.length;
  const width = p.getBoundingClientRect().width;
  return {width, fontSize: parseFloat(style.fontSize), perChar, chars: width / perChar};
}"""


def test_brief_line_length_at_1280px(page: Page, site: Site) -> None:
    _goto(page, site, TABLE_BRIEF)
    m = page.evaluate(MEASURE_JS)
    assert m["width"] <= 760, f"body paragraphs are {m['width']:.0f} px wide at 1280 px: {m}"
    assert 45 <= m["chars"] <= 90, f"about {m['chars']:.0f} characters a line: {m}"


BOXES_JS = """() => {
  const box = selector => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY,
            width: r.width};
  };
  return {header: box('.brief-header'), entities: box('.brief-header .entities'),
          facts: box('.key-facts'), toc: box('.toc'), body: box('.body'),
          sources: box('article[data-pagefind-body] .sources'), updates: box('.updates'),
          scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth};
}"""


def _rail_boxes(page: Page) -> dict:
    boxes = page.evaluate(BOXES_JS)
    missing = [k for k in ("header", "entities", "facts", "body", "sources") if not boxes[k]]
    assert not missing, f"{TABLE_BRIEF} has no {missing}"
    return boxes


def test_the_rail_sits_beside_the_text_at_1280px(make_page: MakePage, site: Site) -> None:
    page = make_page(viewport={"width": 1280, "height": 800})
    _goto(page, site, TABLE_BRIEF)
    b = _rail_boxes(page)
    body, facts, sources, entities = b["body"], b["facts"], b["sources"], b["entities"]
    assert body["width"] <= 760, f"the text is {body['width']:.0f} px wide: {b}"
    for name, box in [("key facts", facts), ("sources", sources), ("names", entities)]:
        assert box["left"] >= body["right"], f"the {name} are not beside the text: {b}"
        assert box["right"] <= b["innerWidth"], f"the {name} are off the screen: {b}"
    assert facts["top"] < 800, f"the key facts start below the first screen: {b}"
    # one rail, top to bottom: names, key facts, sources
    assert entities["bottom"] <= facts["top"] <= facts["bottom"] <= sources["top"], b
    assert b["scrollWidth"] <= b["innerWidth"], b


def test_the_rail_folds_into_the_column_on_a_phone(make_page: MakePage, site: Site) -> None:
    page = make_page(viewport=PHONE)
    _goto(page, site, TABLE_BRIEF)
    b = _rail_boxes(page)
    header, facts, body, sources = b["header"], b["facts"], b["body"], b["sources"]
    assert header["top"] <= b["entities"]["top"] <= b["entities"]["bottom"] <= header["bottom"], b
    assert header["bottom"] <= facts["top"], f"the key facts are not under the header: {b}"
    assert facts["bottom"] <= (b["toc"] or body)["top"], (
        f"the key facts are not above the text: {b}"
    )
    assert body["bottom"] <= sources["top"], f"the sources are not under the text: {b}"
    if b["updates"]:
        assert sources["bottom"] <= b["updates"]["top"], b
    for name in ("header", "entities", "facts", "body", "sources"):
        assert b[name]["left"] >= 0 and b[name]["right"] <= PHONE["width"], f"{name}: {b}"
    assert b["scrollWidth"] <= PHONE["width"], f"wider than the phone: {b}"


def test_the_rail_is_on_the_left_in_a_right_to_left_edition(
    make_page: MakePage, rtl_site: Site
) -> None:
    page = make_page(viewport={"width": 1280, "height": 800})
    _goto(page, rtl_site, "ar/briefs/troops-deployed/")
    b = page.evaluate(BOXES_JS)
    assert b["facts"] and b["sources"], f"the Arabic brief has no key facts or sources: {b}"
    for name in ("facts", "sources"):
        assert b[name]["right"] <= b["body"]["left"], f"the {name} are not left of the text: {b}"
    assert b["scrollWidth"] <= b["innerWidth"], b


# --- colour schemes, JavaScript off, print -------------------------------------------------

BACKGROUND_JS = """() => {
  for (const el of [document.body, document.documentElement]) {
    const c = getComputedStyle(el).backgroundColor;
    const m = c.match(/[\\d.]+/g).map(Number);
    if (m.length < 4 || m[3] > 0) return m.slice(0, 3);
  }
  return [255, 255, 255];
}"""


def _luminance(rgb: list[float]) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_mode_darkens_the_background(page: Page, site: Site) -> None:
    _goto(page, site, TABLE_BRIEF)
    page.emulate_media(color_scheme="light")
    light = _luminance(page.evaluate(BACKGROUND_JS))
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(50)
    dark = _luminance(page.evaluate(BACKGROUND_JS))
    assert dark < 0.2, f"dark-mode background luminance {dark:.3f}"
    assert light > 0.5, f"light-mode background luminance {light:.3f}"


def test_without_javascript(make_page: MakePage, site: Site) -> None:
    page = make_page(java_script_enabled=False)
    _goto(page, site, "")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".brief-item-title a").first).to_be_visible()
    fallback = page.locator("a.search-fallback")
    expect(fallback).to_be_visible()
    expect(page.locator("form.site-search")).to_be_hidden()
    assert urlsplit(urljoin(page.url, fallback.get_attribute("href"))).path == BASE_PATH + "topics/"

    _goto(page, site, TABLE_BRIEF)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".body p").first).to_be_visible()
    expect(page.locator(".body > table")).to_be_visible()  # the text's, not a chart's data


def test_print_hides_navigation_and_shows_source_urls(page: Page, site: Site) -> None:
    _goto(page, site, TABLE_BRIEF)
    page.emulate_media(media="print")
    navs = page.locator(".site-header nav")  # the site's, and the language switcher
    assert navs.count() == 2
    assert navs.evaluate_all("els => els.map(el => getComputedStyle(el).display)") == ["none"] * 2
    links = page.locator(".sources a[href^='http']")
    assert links.count(), "the brief has no source links"
    after = links.evaluate_all(
        "els => els.map(e => [e.href, getComputedStyle(e, '::after').content])"
    )
    missing = [href for href, content in after if "http" not in content]
    assert not missing, f"printed sources without their URL: {missing} ({after})"


# --- accessibility -------------------------------------------------------------------------

AXE_PAGES = {
    "home": "",
    "brief": TABLE_BRIEF,
    "topic": "topics/diplomatic-fallout/",
    "topics": "topics/",
    "archive": "archive/",
    "search": "search/",
    "search-results": "search/?q=mexico",
    "es-home": "es/",
    "es-brief": "es/briefs/detenciones-en-la-frontera-caen-a-un-minimo-sin-precedentes/",
    "es-topic": "es/topics/diplomatic-fallout/",
    "es-search-results": "es/search/?q=soberania",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_serious_violations(
    make_page: MakePage, site: Site, axe_js, name: str, scheme: str
) -> None:
    page = make_page(color_scheme=scheme)
    path = AXE_PAGES[name]
    _goto(page, site, path)
    if "?q=" in path:
        expect(page.locator(RESULT_LINK).first).to_be_visible()
    page.add_script_tag(path=str(axe_js))
    violations = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
        }"""
    )
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['summary']}" for n in v["nodes"])
        for v in bad
    ]
    assert not bad, f"axe on /{path} ({scheme}):\n" + "\n".join(report)


def test_skip_link_appears_on_focus(page: Page, site: Site) -> None:
    _goto(page, site, "")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.skip-link')"), page.evaluate(
        "document.activeElement.outerHTML"
    )
    page.wait_for_function(
        """() => {
          const r = document.activeElement.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
            && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
        }""",
        timeout=2000,
    )
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'main'", timeout=2000)


RTL_PAGES = ["ar/", "ar/briefs/troops-deployed/", "ar/topics/border/", "ar/timeline/", "ar/search/"]


@pytest.mark.parametrize("path", RTL_PAGES)
def test_a_right_to_left_edition_is_mirrored_and_accessible(
    make_page: MakePage, rtl_site: Site, axe_js, path: str
) -> None:
    page = make_page()
    _goto(page, rtl_site, path)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    main = page.locator("main").bounding_box()
    heading = page.locator("h1").first.bounding_box()
    assert main and heading
    # right aligned: the heading starts at the right edge of the column, not the left
    assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 40
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                             .map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' '));
        }"""
    )
    assert result == [], f"axe on /{path}: {result}"
