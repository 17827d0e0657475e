"""Charts in Chromium (tests/sites/charts-every: every kind, in English, Spanish and Arabic,
and a topic's series): no page scrolls sideways at 360 px, every label of a chart is 12 px or
more, each page is valid HTML (Nu), and axe finds no serious or critical violation in light
and dark, in each edition."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .conftest import Site, _served
from conftest import TESTS, copy_site, nu_html_errors

EVERY = TESTS / "sites" / "charts-every"
PAGES = (
    "briefs/every-chart/",
    "es/briefs/every-chart/",
    "ar/briefs/every-chart/",
    "topics/border/",
)


@pytest.fixture(scope="module")
def charts_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    source = copy_site(EVERY, tmp_path_factory.mktemp("charts") / "site")
    with _served(tmp_path_factory.mktemp("www-charts"), source) as served:
        yield served


SMALLEST_TEXT = """() => {
  const sizes = [...document.querySelectorAll('svg.chart-svg text')]
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  return [sizes.length, Math.min(...sizes)];
}"""


@pytest.mark.parametrize("path", PAGES)
def test_at_360_px_nothing_scrolls_sideways_and_no_label_is_under_12_px(
    browser: Browser, charts_site: Site, path: str
) -> None:
    made = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = made.new_page()
        page.goto(charts_site.url(path))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        count, smallest = page.evaluate(SMALLEST_TEXT)
        assert count > 3 and smallest >= 12, (count, smallest)
    finally:
        made.close()


def test_every_page_with_a_chart_is_valid_html(charts_site: Site) -> None:
    errors = nu_html_errors(charts_site.folder)
    assert [f"{m.get('url', '')}:{m.get('lastLine')}: {m.get('message')}" for m in errors] == []


AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' '));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violation(
    browser: Browser, charts_site: Site, axe_js: Path, path: str, scheme: str
) -> None:
    made = browser.new_context(color_scheme=scheme)
    try:
        page = made.new_page()
        page.goto(charts_site.url(path))
        page.locator("details.chart-data").first.evaluate("d => d.open = true")
        page.add_script_tag(path=str(axe_js))
        assert page.evaluate(AXE) == []
    finally:
        made.close()
