"""Hostile Markdown bodies: raw HTML, script URLs, pathological nesting.

Cases:
- raw ``<script>``, ``<iframe>``, ``<img src=x onerror=…>``, ``<svg onload=…>``,
  ``<a href="javascript:…">``, ``<object>``, ``<form>``, ``<style>``, an HTML comment and a
  ``<base>`` tag: shown as text by default
- links and images whose URL is ``javascript:``, ``JaVaScRiPt:``, ``vbscript:``, ``file:``,
  ``data:text/html``, ``data:image/svg+xml``, entity-encoded (``javascript&colon;``,
  ``&#106;avascript:``, ``&#x6A;``, ``&#58;``), whitespace- or control-prefixed, split by a
  tab or newline, as reference definitions, and as autolinks ``<javascript:alert(1)>``:
  never emitted as an href or src; ``data:image/png`` images stay (documented)
- a link title that tries to break out of its attribute; hostile footnote labels and
  headings
- all of the above through a whole build, in a brief and in a topic introduction: no live
  markup anywhere in public/
- pathological input: 10,000 nested ``>``, 10,000 nested list items (bulleted, ordered,
  flat), 100,000 ``*`` / ``_`` / ``[`` / ``<`` / backticks, 25,000 ``![``, a 1,000 × 50
  table, a 100 × 50 table of tags: each body, rendered alone, takes under a second and its
  output is escaped; a whole build of the quick ones takes under two seconds and is safe
- 10,000 identical headings: their unique ids (``same-1`` … ``same-9999``) in under a
  second, measured in a child process stopped after 2 s
- ``markdown: {allow_html: true}``: raw HTML passes through (that is the documented
  consequence: anyone who can edit content/ can run scripts on the site), while
  Markdown-syntax ``javascript:`` links are still refused
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from ._support import (
    FAST_SITE,
    LiveMarkup,
    build,
    dangerous_url,
    live_markup,
    render_body,
)
from conftest import REPO, SITE_YAML, brief, topic

RAW_HTML = [
    "<script>alert(1)</script>",
    '<iframe src="https://evil.example/"></iframe>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    '<base href="https://evil.example/">',
    '<div onmouseover="alert(1)">hover</div>',
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
]


def _live(html: str) -> list[str]:
    checker = LiveMarkup(("/briefings/static/js/",))
    checker.feed(html)
    checker.close()
    return checker.problems


@pytest.mark.parametrize("body", RAW_HTML, ids=lambda b: b[:30])
def test_raw_html_is_escaped_by_default(body) -> None:
    html, diags = render_body(body + "\n")
    assert diags == []
    assert _live(html) == []
    for tag in (
        "<script",
        "<iframe",
        "<img",
        "<svg",
        "<a ",
        "<object",
        "<form",
        "<style",
        "<!--",
        "<base",
        "<div",
        "<SCRIPT",
    ):
        assert tag not in html, tag
    assert "&lt;" in html


SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&#58;alert(1)",
    "&#0000106&#0000097vascript:alert(1)",
    "%20javascript:alert(1)",
    "<\tjavascript:alert(1)>",
    "<javascript:alert(1)>",
    "java&#x09;script:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "\u00a0javascript:alert(1)",
]


def _link_forms(url: str) -> list[str]:
    return [
        f"[link]({url})",
        f"![image]({url})",
        f"[link][ref]\n\n[ref]: {url}",
        f'[link]({url} "title")',
    ]


@pytest.mark.parametrize("url", SCRIPT_URLS, ids=lambda u: repr(u)[:32])
def test_script_urls_are_never_emitted(url) -> None:
    for body in _link_forms(url):
        html, _ = render_body(body + "\n")
        assert _live(html) == [], (body, html)
        for attr in ("href", "src"):
            for value in _attr_values(html, attr):
                assert not dangerous_url(value), (body, value)


def _attr_values(html: str, name: str) -> list[str]:
    values: list[str] = []

    class Collect(LiveMarkup):
        def handle_starttag(self, tag, attrs):  # noqa: ANN001
            values.extend(v or "" for k, v in attrs if k == name)

    Collect(()).feed(html)
    return values


@pytest.mark.parametrize(
    "autolink",
    [
        "<javascript:alert(1)>",
        "<JAVASCRIPT:alert(1)>",
        "<vbscript:msgbox(1)>",
        "<data:text/html,<script>alert(1)</script>>",
        "<file:///etc/passwd>",
    ],
)
def test_autolinks_with_script_schemes_stay_text(autolink) -> None:
    html, _ = render_body(autolink + "\n")
    assert "href" not in html
    assert html.startswith("<p>&lt;")


def test_a_png_data_image_is_kept_as_documented() -> None:
    html, _ = render_body("![dot](data:image/png;base64,iVBORw0KGgo=)\n")
    assert '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" />' in html


def test_a_link_title_cannot_break_out_of_its_attribute() -> None:
    html, _ = render_body('[a](https://example.org/ "t\\" onmouseover=alert(1) x=\\"")\n')
    assert _live(html) == []
    assert 'title="t&quot; onmouseover=alert(1) x=&quot;"' in html


def test_hostile_footnote_labels_and_headings_are_escaped() -> None:
    body = (
        'Text[^"><script>alert(1)</script>].\n\n'
        '[^"><script>alert(1)</script>]: the note\n\n'
        "## <img src=x onerror=alert(2)> heading\n"
    )
    html, _ = render_body(body)
    assert _live(html) == []
    assert "<script>" not in html and "<img" not in html
    assert '<h2 id="img-src-x-onerror-alert-2-heading">' in html


def test_a_whole_build_of_every_attack_has_no_live_markup(make_site, cli) -> None:
    # left out: image forms (a URL without a scheme names an image file, which does not
    # exist) and control characters (a file holding one is refused: see test_encoding)
    bodies = RAW_HTML + [
        form
        for url in SCRIPT_URLS
        for form in _link_forms(url)
        if not form.startswith("!") and not any(ord(c) < 32 for c in form.replace("\n", ""))
    ]
    body = "\n\n".join(bodies) + "\n"
    root = make_site(
        {
            "content/briefs/x.md": brief(body=body),
            "content/topics/cartels.md": topic(body=body),
        },
        site_yaml=SITE_YAML,  # with search: the indexed page and the search page too
    )
    build(cli, root, expect=0)
    assert live_markup(root / "public") == []
    page = (root / "public/briefs/x/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    intro = (root / "public/topics/cartels/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in intro


# ---- pathological input --------------------------------------------------------------------


def _table(rows: int, cell: str) -> str:
    return (
        "| "
        + " | ".join(f"h{i}" for i in range(50))
        + " |\n"
        + "|"
        + "---|" * 50
        + "\n"
        + ("| " + " | ".join(cell for _ in range(50)) + " |\n") * rows
    )


RUNAWAY_SECONDS = 2.0

PATHOLOGICAL = {
    "10000 nested >": ">" * 10_000 + " <script>alert(1)</script>\n",
    "149 nested > lines": "".join(">" * i + " q\n" for i in range(1, 150)) + "> <b>x</b>\n",
    "10000 nested list items": "- " * 10_000 + "<script>alert(1)</script>\n",
    "10000 nested ordered items": "1. " * 10_000 + "<b>x</b>\n",
    "10000 flat list items": "- <i>item</i>\n" * 10_000,
    "100000 *": "*" * 100_000 + "<script>\n",
    "100000 _": "_" * 100_000 + "<script>\n",
    "100000 [": "[" * 100_000 + "<script>\n",
    "25000 ![": "![" * 25_000 + "<script>\n",
    "100000 <": "<" * 100_000 + "script>\n",
    "100000 `": "`" * 100_000 + "\n",
    "50000 *_": "*_" * 50_000 + "\n",
    "1000x50 table": _table(999, "cell") + "| <b>x</b> |\n",
    "100x50 table of tags": _table(100, "<b>c</b><script>"),
    # shortcodes, none of them known: each is one error, found in one pass over the lines
    "10000 unclosed shortcodes": "{{< x >}}\n\n" * 10_000,
    "5000 opened, 5000 closed": "{{< x >}}\n" * 5_000 + "{{< /x >}}\n" * 5_000,
    "10000 tags never ended": "{{< x <script>\n" * 10_000,
    "1000 arguments": "{{< x " + 'k="<b>v</b>" ' * 1_000 + ">}}\n",
}

# Each body is rendered alone in a fresh interpreter, away from the test runner's heap (whose
# size slows the garbage collector down): the best of up to five runs, stopping under 1 s.
# The test's bound is a guard against runaway (quadratic) rendering with room for a loaded
# machine, not a speed target: bench/pathological_markdown.py prints the real figures, each
# under a second on the 2-core reference machine.
_RENDER_ALL = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, sys.argv[1])
    from briefgen.config.values import MarkdownConfig
    from briefgen.model.diagnostics import Diagnostics
    from briefgen.markdown.renderer import render
    from briefgen.markdown.links import Resolver
    bodies = json.load(open(sys.argv[2], encoding="utf-8"))
    results = {}
    for name, body in bodies.items():
        best = float("inf")
        for _ in range(5):
            started = time.process_time()  # a busy machine's other processes do not count
            html = render(body, path="content/briefs/x.md", body_line=8, options=MarkdownConfig(),
                          resolver=Resolver(), diags=Diagnostics()).html
            best = min(best, time.process_time() - started)
            if best < 1.0:
                break
        results[name] = {"seconds": best, "html": html}
    json.dump(results, open(sys.argv[3], "w", encoding="utf-8"))
    """
)


@pytest.fixture(scope="module")
def rendered_alone(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("pathological")
    (folder / "bodies.json").write_text(json.dumps(PATHOLOGICAL), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-c", _RENDER_ALL, str(REPO), folder / "bodies.json", folder / "out.json"],
        check=True,
        timeout=120,
    )
    return json.loads((folder / "out.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_body_renders_without_running_away(rendered_alone, name) -> None:
    seconds, html = rendered_alone[name]["seconds"], rendered_alone[name]["html"]
    assert seconds < RUNAWAY_SECONDS, f"{name}: {seconds:.2f} s"
    assert _live(html) == []
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html


FAST_PATHOLOGICAL = [
    "10000 nested >",
    "10000 nested list items",
    "100000 *",
    "100000 <",
    "100000 `",
]


def test_a_whole_build_of_pathological_briefs_is_quick_and_safe(make_site, cli) -> None:
    """The bodies that Markdown can dismiss quickly also build (pages, feeds) quickly."""
    files = {
        f"content/briefs/p{i}.md": brief(title=f"Case {i}", body=PATHOLOGICAL[name])
        for i, name in enumerate(FAST_PATHOLOGICAL)
    }
    root = make_site({**files, "content/topics/cartels.md": topic()}, site_yaml=FAST_SITE)
    started = time.perf_counter()
    build(cli, root, expect=0)
    assert time.perf_counter() - started < 2.0
    assert live_markup(root / "public") == []


_HEADINGS = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, sys.argv[1])
    from briefgen.config.values import MarkdownConfig
    from briefgen.model.diagnostics import Diagnostics
    from briefgen.markdown.renderer import render
    from briefgen.markdown.links import Resolver
    body = "## Same\\n\\n" * 10_000
    started = time.process_time()  # a busy machine's other processes do not count
    html = render(body, path="x.md", body_line=1, options=MarkdownConfig(), resolver=Resolver(),
                  diags=Diagnostics()).html
    print(f"{time.process_time() - started:.3f}")
    assert 'id="same-9999"' in html and html.count('id="same"') == 1
    """
)


def test_ten_thousand_identical_headings_render_in_linear_time() -> None:
    """Unique heading ids (``same``, ``same-1``, ``same-2``…) must not be found by counting up
    from 1 for every repeat, which is quadratic: it took 4.4 s here, and hours for a brief
    under the 5 MB limit (it now takes about 0.25 s). Run in a child process stopped after
    5 s, so that a slow render cannot hold up the suite."""
    try:
        child = subprocess.run(
            [sys.executable, "-c", _HEADINGS, str(REPO)],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("still rendering after 5 s")
    assert float(child.stdout) < RUNAWAY_SECONDS


# ---- allow_html ----------------------------------------------------------------------------


def test_allow_html_lets_raw_html_through_but_not_markdown_script_links(make_site, cli) -> None:
    """``markdown: {allow_html: true}`` is for sites whose authors are all trusted: raw HTML,
    scripts and event handlers included, goes to readers as written, so anyone who can edit
    content/ can run JavaScript on the site's origin. Markdown-syntax links with script
    schemes are still refused; the same URL in a raw ``<a>`` tag is not."""
    body = (
        "<script>alert(1)</script>\n\n[md](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n"
    )
    root = make_site(
        {"content/briefs/x.md": brief(body=body), "content/topics/cartels.md": topic()},
        site_yaml=FAST_SITE + "markdown:\n  allow_html: true\n",
    )
    build(cli, root, expect=0)
    page = (root / "public/briefs/x/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in page
    assert "<img src=x onerror=alert(3)>" in page
    assert "[md](javascript:alert(2))" in page and 'href="javascript:' not in page
    html, _ = render_body('<a href="javascript:alert(4)">raw</a>\n', allow_html=True)
    assert 'href="javascript:alert(4)"' in html


def test_hostile_entities_citations_and_go_deeper_stay_text(make_site, cli) -> None:
    """Names, entity files, citations and go-deeper titles are text wherever they land:
    entity links in the body, entity and index pages, JSON-LD, the digest's sources."""
    evil = "<img src=x onerror=alert(1)>"
    extra = (
        "sources:\n  - {id: a, title: '" + evil + "', url: 'https://example.org/'}\n"
        "people: ['Ana " + evil + "', '</script><script>alert(1)</script> Bo']\n"
        "go_deeper:\n  - {link: 'https://example.org/x', title: '" + evil + "'}\n"
    )
    body = "Ana " + evil + " met </script><script>alert(1)</script> Bo [@a].\n\n[@<b>x</b>]\n"
    entity = "---\ndescription: '" + evil + "'\n---\n\n" + evil + "\n"
    root = make_site(
        {
            "content/briefs/x.md": brief(body=body, extra=extra),
            "content/topics/cartels.md": topic(),
            "content/entities/people/ana-img-src-x-onerror-alert-1.md": entity,
        },
        site_yaml=SITE_YAML + "markdown:\n  link_entities: true\n",
    )
    build(cli, root, expect=0)
    assert live_markup(root / "public") == []
    person = root / "public/people/ana-img-src-x-onerror-alert-1/index.html"
    assert "&lt;img src=x onerror=alert(1)&gt;" in person.read_text(encoding="utf-8")
    page = (root / "public/briefs/x/index.html").read_text(encoding="utf-8")
    assert 'class="entity-link">Ana &lt;img src=x onerror=alert(1)&gt;</a>' in page
