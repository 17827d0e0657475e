"""Pictures in Chromium: nothing moves while they arrive over a slow connection (the sum of
Chromium's ``layout-shift`` entries stays under 0.01, on a phone and on a desktop), the
browser picks a modern format, and the check itself catches a page whose pictures lack
their size."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from .conftest import MakePage, Site

LEAD_BRIEF = "briefs/spy-planes-spotted-off-sinaloa/"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# Sums every layout shift not caused by input, once the page has settled.
SHIFTS = """() => new Promise(resolve => {
  let sum = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) { if (!e.hadRecentInput) { sum += e.value; } }
  }).observe({type: "layout-shift", buffered: true});
  // read from the top while the pictures arrive, then scroll down to the lazy ones
  setTimeout(() => { window.scrollTo(0, document.body.scrollHeight);
    setTimeout(() => resolve(sum), 800); }, 1500);
})"""


LATE = """<script>addEventListener("load", () => setTimeout(() => {
  for (const e of document.querySelectorAll("[data-src], [data-srcset]")) {
    for (const name of ["srcset", "src"]) { if (e.dataset[name]) { e.setAttribute(name, e.dataset[name]); } }
  } }, 300));</script>"""


def _slow(page: Page) -> None:
    """Text at once, pictures late: 150 ms of latency and 400 kB/s."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 150,
            "downloadThroughput": 400_000,
            "uploadThroughput": 400_000,
        },
    )


def _shift(page: Page, site: Site, path: str) -> float:
    _slow(page)
    page.goto(site.url(path), wait_until="commit")
    page.wait_for_load_state("load", timeout=60_000)
    return float(page.evaluate(SHIFTS))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["", LEAD_BRIEF, "topics/border-crackdown/"])
def test_nothing_moves_while_pictures_load(
    make_page: MakePage, site: Site, viewport: dict[str, int], path: str
) -> None:
    page = make_page(viewport=viewport)
    shifted = _shift(page, site, path)
    assert shifted < 0.01, f"{path or 'home'}: layout shifts sum to {shifted:.4f}"
    pictures = page.locator("main img")
    assert pictures.count() >= (0 if path == "" else 1)  # the latest briefs may have none
    for i in range(pictures.count()):
        img = pictures.nth(i)
        assert img.get_attribute("width") and img.get_attribute("height"), img.evaluate(
            "e => e.outerHTML"
        )
        assert img.get_attribute("alt"), img.evaluate("e => e.outerHTML")


def test_the_measure_catches_pictures_without_a_size(make_page: MakePage, site: Site) -> None:
    """The same page with width and height taken out of its HTML does shift: the test above
    can fail."""
    page = make_page(viewport=DESKTOP)  # where the lead picture is on the first screen
    html = (site.folder / LEAD_BRIEF / "index.html").read_text(encoding="utf-8")
    bare = re.sub(r' (width|height)="\d+"', "", html)
    # the pictures arrive after the text has been shown, as over a slow connection
    bare = re.sub(r' (src|srcset)="([^"]*/media/[^"]*)"', r' data-\1="\2"', bare)
    bare = bare.replace("</body>", LATE + "</body>")
    page.route(
        site.url(LEAD_BRIEF),
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=bare),
    )
    assert _shift(page, site, LEAD_BRIEF) >= 0.01


def test_the_browser_takes_a_modern_format_at_a_fitting_width(
    make_page: MakePage, site: Site
) -> None:
    page = make_page(viewport=PHONE)
    page.goto(site.url(LEAD_BRIEF))
    lead = page.locator(".lead-image img")
    lead.evaluate("img => img.decode()")
    chosen = str(lead.evaluate("img => img.currentSrc"))
    assert re.search(r"-(480|800)w\.(avif|webp)$", chosen), chosen
