"""The built-in shortcodes in Chromium: a page with every one asks nothing of another host as
it loads; each card that loads a player is reached with Tab, and Enter puts the player in
its place, with its title, its permissions and the focus, and only then is the player's
host asked; with JavaScript off every embed offers a link to the original; the page is
valid HTML (Nu); and axe finds no serious or critical violation, light or dark, on a phone
and on a desktop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from .conftest import HOST, TIMEOUT_MS, Site, _served
from conftest import TESTS, copy_site, nu_html_errors

# The brief that uses every built-in shortcode, the page `make lighthouse` measures too.
EVERY = TESTS / "sites" / "shortcodes-every"
PAGE = "briefs/every-shortcode/"


@pytest.fixture(scope="module")
def embeds_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    source = copy_site(EVERY, tmp_path_factory.mktemp("embeds") / "site")
    with _served(tmp_path_factory.mktemp("www-embeds"), source) as served:
        yield served


class Elsewhere:
    """Every request to another host, answered here with an empty page: nothing leaves the
    machine, and the test sees what was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def route(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname == HOST:
            route.continue_()
            return
        self.asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><title>x</title>")


@pytest.fixture
def context(browser: Browser) -> Iterator[tuple[BrowserContext, Elsewhere]]:
    made = browser.new_context(viewport={"width": 1000, "height": 900})
    made.set_default_timeout(TIMEOUT_MS)
    elsewhere = Elsewhere()
    made.route("**/*", elsewhere.route)
    yield made, elsewhere
    made.close()


def _open(context: BrowserContext, site: Site) -> Page:
    page = context.new_page()
    page.goto(site.url(PAGE), wait_until="networkidle")
    return page


def test_nothing_is_asked_of_another_host_until_enter_loads_the_player(
    context: tuple[BrowserContext, Elsewhere], embeds_site: Site
) -> None:
    browser_context, elsewhere = context
    page = _open(browser_context, embeds_site)
    assert elsewhere.asked == []
    card = page.locator("a.embed-facade").first
    card.focus()
    page.keyboard.press("Enter")
    frame = page.locator("figure.embed-video iframe")
    frame.wait_for()
    assert frame.get_attribute("title") == "A press conference"
    assert frame.get_attribute("allow") == (
        "autoplay; fullscreen; picture-in-picture; encrypted-media"
    )
    assert frame.get_attribute("loading") == "lazy"
    assert frame.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    assert page.url == embeds_site.url(PAGE)  # played in place: the link was not followed
    page.wait_for_timeout(200)
    assert [urlsplit(a).hostname for a in elsewhere.asked] == ["www.youtube-nocookie.com"]


# Each card that loads a player of another host, and the host Enter on it asks.
PLAYERS = (
    ("figure.embed-video", "www.youtube-nocookie.com", "iframe"),
    ("figure.embed-audio", "media.example.org", "audio"),
    ("figure.embed-frame", "www.openstreetmap.org", "iframe"),
)


@pytest.mark.parametrize(("figure", "host", "player"), PLAYERS)
def test_each_card_is_reached_with_tab_and_started_with_enter(
    context: tuple[BrowserContext, Elsewhere],
    embeds_site: Site,
    figure: str,
    host: str,
    player: str,
) -> None:
    browser_context, elsewhere = context
    page = _open(browser_context, embeds_site)
    card = page.locator(f"{figure} a.embed-facade")
    for _ in range(200):  # Tab through the page until the card has the focus
        page.keyboard.press("Tab")
        if card.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail(f"Tab never reaches the card of {figure}")
    assert elsewhere.asked == []
    page.keyboard.press("Enter")
    page.locator(f"{figure} {player}").wait_for()
    assert page.url == embeds_site.url(PAGE)
    page.wait_for_timeout(200)
    assert host in {urlsplit(a).hostname for a in elsewhere.asked}


def test_a_sound_of_another_host_plays_in_an_audio_element_on_a_click(
    context: tuple[BrowserContext, Elsewhere], embeds_site: Site
) -> None:
    browser_context, elsewhere = context
    page = _open(browser_context, embeds_site)
    page.locator("figure.embed-audio a.embed-facade").click()
    audio = page.locator("figure.embed-audio audio")
    audio.wait_for()
    assert audio.get_attribute("aria-label") == "The desk's podcast, episode 1"
    assert page.locator("figure.embed-frame iframe").count() == 0  # the others wait


def test_without_javascript_a_card_is_a_link_to_the_original(
    browser: Browser, embeds_site: Site
) -> None:
    made = browser.new_context(java_script_enabled=False)
    elsewhere = Elsewhere()
    made.route("**/*", elsewhere.route)
    try:
        page = made.new_page()
        page.goto(embeds_site.url(PAGE))
        page.locator("a.embed-facade").first.click()
        page.wait_for_url("https://www.youtube.com/**")
        assert page.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    finally:
        made.close()


def test_without_javascript_every_embed_offers_its_link(
    browser: Browser, embeds_site: Site
) -> None:
    made = browser.new_context(java_script_enabled=False)
    made.route("**/*", Elsewhere().route)
    expected = {
        "figure.embed-video >> nth=1": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "figure.embed-audio": "https://media.example.org/episode-1.mp3",
        "figure.embed-document": "media/drones-over-mexico-fact-sheet.pdf",
        "figure.embed-frame": "&layer=mapnik",
        "figure.post-card": "https://social.example.org/@desk/113990000000000001",
    }
    try:
        page = made.new_page()
        page.goto(embeds_site.url(PAGE))
        for figure, address in expected.items():
            links = page.locator(figure).locator("a[href]")
            hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
            assert any(h.endswith(address) for h in hrefs), (figure, hrefs)
            assert links.first.is_visible(), figure
        # A file of the site plays in the browser's own player, which needs no script.
        video = page.locator("figure.embed-video >> nth=0").locator("video[controls]")
        src = video.locator("source").first.get_attribute("src", timeout=1000) or ""
        assert src.endswith("media/surveillance-flights.webm")
    finally:
        made.close()


def test_the_page_with_every_shortcode_is_valid_html(embeds_site: Site) -> None:
    errors = nu_html_errors(embeds_site.folder / PAGE)
    assert [f"{m.get('lastLine')}: {m.get('message')}" for m in errors] == []


AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' '));
}"""


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(
    browser: Browser, embeds_site: Site, axe_js: Path, scheme: str, width: int
) -> None:
    made = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    made.route("**/*", Elsewhere().route)
    try:
        page = made.new_page()
        page.goto(embeds_site.url(PAGE), wait_until="networkidle")
        page.add_script_tag(path=str(axe_js))
        assert page.evaluate(AXE) == []
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{wide} px wide at {width} px: the reader scrolls sideways"
    finally:
        made.close()
