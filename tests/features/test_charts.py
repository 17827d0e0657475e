"""The chart shortcode (briefgen/features/charts/): each kind drawn as SVG with its title and
description, its table equal to its data, its CSV download parsing back to that data, the
honest-chart checks at their lines, numbers in the edition's language, and a right-to-left
edition drawn mirrored."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest

from briefgen.features.charts.data import read_csv
from briefgen.pipeline.build import build
from briefgen.plugins import ShortcodeProblem

from conftest import REPO, SITE_YAML, brief, nu_html_errors
from trees import assert_same_as_clean

BRIEF = "content/briefs/a.md"
PAGE = "briefs/a/index.html"
SOURCES = """sources:
  - {id: cbp, title: CBP figures, publisher: CBP, url: "https://www.cbp.gov/"}
"""
LINE = 10  # the line of the body's first line
DAILY = """date,apprehensions
2025-01-20,2100
2025-01-25,1500
2025-02-04,229
"""
CATEGORIES = """cartel,members
Sinaloa,26000
CJNG,19000
Gulf,5000
"""
PAIRS = """crossing,before,after
San Diego,900,120
El Paso,700,60
"""


def chart(kind: str, data: str, args: str = 'title="T" source="cbp"') -> str:
    return f"Text [@cbp].\n\n{{{{< chart {kind} {args} >}}}}\n{data}{{{{< /chart >}}}}\n"


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Callable[..., Path]:
    def make(body: str, language: str = "en") -> Path:
        yaml = SITE_YAML.replace("language: en", f"language: {language}")
        return make_site({BRIEF: brief(body=body, extra=SOURCES)}, site_yaml=yaml)

    return make


def run(root: Path, cli) -> tuple[int, str, str]:
    result = cli("build", "--no-cache", "--source", root, "--output", root / "out")
    page = root / "out" / PAGE
    return result.code, result.err, page.read_text(encoding="utf-8") if page.exists() else ""


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("line", DAILY),
        ("column", CATEGORIES),
        ("bar", CATEGORIES),
        ("stacked", PAIRS),
        ("dots", PAIRS),
    ],
)
def test_each_kind_is_an_accessible_svg_with_its_data_as_table_and_csv(
    site, cli, kind, data
) -> None:
    code, err, page = run(site(chart(kind, data)), cli)
    assert code == 0, err
    svg = re.search(r"<svg class=\"chart-svg chart-" + kind + r"\".*?</svg>", page, re.S)
    assert svg is not None
    assert 'role="img"' in svg.group(0) and 'width="100%"' in svg.group(0)
    assert re.search(r"<title id=\"chart-[0-9a-f]{8}-t\">T</title>", svg.group(0))
    assert "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    want = list(csv.reader(io.StringIO(data)))
    table = re.search(r"<table>.*?</table>", page, re.S).group(0)
    cells = [
        [unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table)
    ]
    long = {"2025-01-20": "January 20, 2025", "2025-01-25": "January 25, 2025"}
    long["2025-02-04"] = "February 4, 2025"  # the table's dates are written out
    rows = [[long.get(r[0], r[0]), *(f"{int(v):,}" for v in r[1:])] for r in want[1:]]
    assert cells == [want[0], *rows]
    href = re.search(r'href="data:text/csv;charset=utf-8,([^"]*)" download="a-\d+\.csv"', page)
    assert list(csv.reader(io.StringIO(unquote(unescape(href.group(1)))))) == want


def test_the_description_states_from_and_to(site, cli) -> None:
    _, _, page = run(site(chart("line", DAILY)), cli)
    desc = re.search(r"<desc id=\"chart-[0-9a-f]{8}-d\">(.*?)</desc>", page).group(1)
    assert unescape(desc) == "apprehensions: 2,100 (January 20, 2025) → 229 (February 4, 2025)"


def test_numbers_and_dates_are_the_editions(site, cli) -> None:
    _, err, page = run(site(chart("line", DAILY), language="es"), cli)
    assert "<td>2.100</td>" in page, err
    assert ">20 ene<" in page


def test_a_right_to_left_edition_is_drawn_mirrored(site, cli) -> None:
    _, err, page = run(site(chart("line", DAILY), language="ar"), cli)
    first = re.search(r'<circle cx="([\d.]+)%" cy="[\d.]+" r="3"/>', page)
    assert first is not None, err
    assert float(first.group(1)) > 80  # the first date on the right


MISTAKES = [
    (
        chart("column", CATEGORIES, 'title="T" source="cbp" min=1000'),
        "error",
        LINE + 2,
        "starts at zero",
    ),
    (
        chart("line", DAILY.replace("1500", "about 1500")),
        "error",
        LINE + 5,
        "'about 1500' is not a number",
    ),
    (
        chart("line", DAILY.replace("2025-01-25", "late January")),
        "error",
        LINE + 5,
        "is not a date",
    ),
    (
        chart("line", DAILY.replace("2025-01-25,1500", "2025-01-25")),
        "error",
        LINE + 5,
        "1 value where",
    ),
    (chart("line", "date,n\n2025-01-20,3\n"), "warning", LINE + 2, "one point makes no chart"),
    (chart("line", DAILY, 'source="cbp"'), "warning", LINE + 2, "a chart needs a title"),
    (chart("line", DAILY, 'title="T"'), "warning", LINE + 2, "a chart needs a source"),
    (chart("line", "date,n\n2025-02-04,3\n2025-01-20,5\n"), "note", LINE + 5, "out of order"),
    (chart("stacked", "k,a,b\nx,1,-2\n"), "error", LINE + 2, "no part may be negative"),
    (chart("line", DAILY, 'title="T" source="ap"'), "error", LINE + 2, "no source of this brief"),
    (chart("pie", DAILY), "error", LINE + 2, "kind must be one of"),
]


@pytest.mark.parametrize(("body", "severity", "line", "message"), MISTAKES)
def test_each_mistake_is_reported_at_its_line(site, cli, body, severity, line, message) -> None:
    _, err, _ = run(site(body), cli)
    found = [
        e for e in err.splitlines() if e.startswith(f"{BRIEF}:{line}:") and f" {severity}: " in e
    ]
    assert any(message in e for e in found), err


def test_a_csv_file_beside_the_brief(make_site, cli) -> None:
    body = 'Text [@cbp].\n\n{{< chart column data="members.csv" title="T" source="cbp" />}}\n'
    root = make_site(
        {BRIEF: brief(body=body, extra=SOURCES), "content/briefs/members.csv": CATEGORIES}
    )
    code, err, page = run(root, cli)
    assert code == 0, err
    assert "<td>26,000</td>" in page


def test_every_mistake_of_a_table_is_reported_at_once() -> None:
    with pytest.raises(ShortcodeProblem) as raised:
        read_csv("k,n\na,x\nb,2\nc,y,3\nd,z\n", 20, dated=False)
    problems = [raised.value, *raised.value.also]
    assert [p.line for p in problems] == [21, 23, 24]


def test_every_kind_is_valid_html(site, cli) -> None:
    body = (
        chart("line", DAILY, 'title="T" source="cbp" mark="2025-01-25: A" rule="1000: B"')
        + chart("column", CATEGORIES, 'title="T" source="cbp" band="Sinaloa..CJNG: C"')
        + chart("bar", CATEGORIES)
        + chart("stacked", PAIRS)
        + chart("dots", PAIRS)
    )
    root = site(body)
    code, err, _ = run(root, cli)
    assert code == 0, err
    errors = nu_html_errors(root / "out" / "briefs" / "a")
    assert [f"{m.get('lastLine')}: {m.get('message')}" for m in errors] == []


# --- a series across briefs -------------------------------------------------------------------


def point(figure: object, day: str, series: str = "apprehensions") -> str:
    return (
        f"  - {{figure: {figure}, label: on {day}, series: {series}, date: {day}, source: cbp}}\n"
    )


def dated_brief(name: str, day: str, points: str) -> tuple[str, str]:
    extra = "key_facts:\n" + points + SOURCES
    return f"content/briefs/{name}.md", brief(
        title=name, date=day, body="Text [@cbp].\n", extra=extra
    )


TOPIC_PAGE = "topics/cartels/index.html"


def test_points_of_one_series_in_several_briefs_make_one_chart_on_the_topic(make_site, cli) -> None:
    files = dict(
        [
            dated_brief("old", "2025-01-21", point(2100, "2025-01-20")),
            dated_brief("new", "2025-02-05", point(229, "2025-02-04") + point(1500, "2025-01-25")),
        ]
    )
    root = make_site(files)
    result = cli("build", "--no-cache", "--source", root, "--output", root / "out")
    assert result.code == 0, result.err
    page = (root / "out" / TOPIC_PAGE).read_text(encoding="utf-8")
    assert page.count('<svg class="chart-svg chart-line"') == 1
    rows = re.findall(r"<tr><th scope=\"row\">([^<]*)</th><td>([^<]*)</td>", page)
    assert rows == [
        ("January 20, 2025", "2,100"),
        ("January 25, 2025", "1,500"),
        ("February 4, 2025", "229"),
    ]
    desc = re.search(r'<desc id="series-[0-9a-f]{8}-d">(.*?)</desc>', page).group(1)
    assert unescape(desc) == "apprehensions: 2,100 (January 20, 2025) → 229 (February 4, 2025)"


def test_two_values_for_one_date_are_a_warning_naming_both_files(make_site, cli) -> None:
    files = dict(
        [
            dated_brief("old", "2025-01-21", point(2100, "2025-01-20") + point(250, "2025-02-04")),
            dated_brief("new", "2025-02-05", point(229, "2025-02-04")),
        ]
    )
    root = make_site(files)
    result = cli("build", "--no-cache", "--source", root, "--output", root / "out")
    warnings = [line for line in result.err.splitlines() if "two values" in line]
    assert warnings == [
        "content/briefs/new.md:7:1: warning: series 'apprehensions' has two values for "
        "2025-02-04: 229 here and 250 in content/briefs/old.md:8; the newer is drawn"
    ], result.err
    page = (root / "out" / TOPIC_PAGE).read_text(encoding="utf-8")
    assert "<td>229</td>" in page and "<td>250</td>" not in page


def test_a_series_of_one_point_is_a_warning_and_no_chart(make_site, cli) -> None:
    root = make_site(dict([dated_brief("only", "2025-01-21", point(2100, "2025-01-20"))]))
    result = cli("build", "--no-cache", "--source", root, "--output", root / "out")
    assert "series 'apprehensions' has one point: it makes no chart" in result.err
    assert "chart-svg" not in (root / "out" / TOPIC_PAGE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fact", "message"),
    [
        ("{figure: '229', label: x, series: a, date: 2025-02-04}", "has a number for its figure"),
        ("{figure: 229, label: x, series: a}", "needs its 'date'"),
        ("{figure: 229, label: x, date: 2025-02-04}", "places it in a 'series'"),
        ("{figure: 229, label: x, series: a, date: soon}", "'date' must be a date"),
    ],
)
def test_a_point_of_a_series_is_checked_at_its_line(make_site, cli, fact, message) -> None:
    files = {"content/briefs/a.md": brief(extra=f"key_facts:\n  - {fact}\n")}
    root = make_site(files)
    result = cli("build", "--no-cache", "--source", root, "--output", root / "out")
    assert result.code == 1
    assert any(
        line.startswith("content/briefs/a.md:7:") and message in line
        for line in result.err.splitlines()
    ), result.err


def test_a_point_added_in_one_brief_redraws_the_topics_chart_as_a_clean_build(
    make_site, tmp_path
) -> None:
    files = dict(
        [
            dated_brief("old", "2025-01-21", point(2100, "2025-01-20")),
            dated_brief("new", "2025-02-05", point(229, "2025-02-04")),
        ]
    )
    root = make_site(files)
    build(root)
    before = (root / "public" / TOPIC_PAGE).read_bytes()
    path, text = dated_brief(
        "new", "2025-02-05", point(229, "2025-02-04") + point(1500, "2025-01-25")
    )
    (root / path).write_text(text, encoding="utf-8")
    build(root)
    tree = assert_same_as_clean(root, tmp_path / "clean")
    assert tree[TOPIC_PAGE] != before and b"1,500" in tree[TOPIC_PAGE]


def test_a_series_charted_on_one_topic_is_no_warning_where_it_has_one_point(make_site, cli) -> None:
    old_path, old = dated_brief("old", "2025-01-21", point(2100, "2025-01-20"))
    old = old.replace("topics: [cartels]", "topics: [cartels, border]")
    files = {old_path: old, **dict([dated_brief("new", "2025-02-05", point(229, "2025-02-04"))])}
    root = make_site(files)
    result = cli("build", "--no-cache", "--source", root, "--output", root / "out")
    assert "one point" not in result.err
    assert "chart-svg" in (root / "out" / TOPIC_PAGE).read_text(encoding="utf-8")
    assert "chart-svg" not in (root / "out/topics/border/index.html").read_text(encoding="utf-8")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_palette_keeps_its_contrast_with_the_page_light_and_dark() -> None:
    """Each series colour against the page's background, as the theme sets both: 4.5:1 or
    more (a chart's marks need 3:1; its direct labels are text, in the page's ink)."""
    css = (REPO / "themes/default/static/css/style.css").read_text(encoding="utf-8")
    schemes: dict[str, dict[str, str]] = {"light": {}, "dark": {}}
    for dark, block in re.findall(
        r"(@media \(prefers-color-scheme: dark\) \{\s*)?:root \{([^}]*)\}", css
    ):
        schemes["dark" if dark else "light"].update(
            re.findall(r"--([a-z0-9-]+): (#[0-9a-f]{6});", block)
        )
    for scheme, found in schemes.items():
        colours = [found[f"chart-{n}"] for n in range(1, 5)]
        assert all(_contrast(c, found["bg"]) >= 4.5 for c in colours), (scheme, colours)
