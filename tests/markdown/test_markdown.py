"""Markdown rendering: the cases in fixtures/markdown_cases.txt (tables, strikethrough,
footnotes, heading ids, typography, escaped raw HTML, refused script links), plus render():
links to other briefs, link errors at their line and column, headings for the table of contents."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from briefgen.config.values import MarkdownConfig
from briefgen.markdown import links, renderer
from briefgen.markdown.links import FILENAME_KEY, resolve_href
from briefgen.markdown.renderer import heading_id, make_parser, render
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.rendered import LinkRef
from briefgen.model.site import Heading

from conftest import TESTS, brief

CASES_FILE = TESTS / "fixtures" / "markdown_cases.txt"
SEPARATOR = "~~~~~~"
DIVIDER = "......"
OPTION_FLAGS = {"allow_html": {"allow_html": True}, "no_typographer": {"typographer": False}}


@dataclass(frozen=True)
class Case:
    title: str
    source: str
    expected: str
    options: MarkdownConfig


def parse_cases(text: str) -> list[Case]:
    """Split the fixture file into cases; anything before the first separator is a comment."""
    chunks: list[list[str]] = []
    for line in text.split("\n"):
        if line == SEPARATOR:
            chunks.append([])
        elif chunks:
            chunks[-1].append(line)
    cases = []
    for lines in chunks:
        while lines and lines[-1] == "":
            lines.pop()
        if DIVIDER not in lines or not lines[0].strip():
            raise ValueError(f"malformed case: {lines[:1]}")
        cut = lines.index(DIVIDER)
        title, options = lines[0], {}
        for flag in re.findall(r"\[(\w+)\]", title):
            options.update(OPTION_FLAGS[flag])
        cases.append(
            Case(
                title=re.sub(r"\s*\[\w+\]", "", title),
                source="\n".join(lines[1:cut]) + "\n",
                expected="\n".join(lines[cut + 1 :]) + "\n",
                options=MarkdownConfig(**options),
            )
        )
    return cases


CASES = parse_cases(CASES_FILE.read_text(encoding="utf-8"))
UNSAFE_HREF = re.compile(
    r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data:text/html)""", re.I
)


def html_of(source: str, **options: object) -> str:
    diags = Diagnostics()
    result = render(
        source,
        path="content/briefs/a.md",
        body_line=1,
        options=MarkdownConfig(**options),
        resolver=links.Resolver(),
        diags=diags,
    )
    assert diags.items == []
    return result.html


def test_fixture_file_parses_into_distinct_cases() -> None:
    titles = [c.title for c in CASES]
    assert len(titles) >= 25
    assert len(set(titles)) == len(titles)
    assert any(c.options.allow_html for c in CASES)
    assert any(not c.options.typographer for c in CASES)


def test_case_parser_rejects_a_case_without_divider() -> None:
    with pytest.raises(ValueError, match="malformed case"):
        parse_cases(f"comment\n{SEPARATOR}\ntitle\ninput only\n")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.title)
def test_markdown_case(case: Case) -> None:
    html = html_of(
        case.source, allow_html=case.options.allow_html, typographer=case.options.typographer
    )
    assert html == case.expected
    assert not UNSAFE_HREF.search(html)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<b>x</b>",
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
@pytest.mark.parametrize("allow_html", [False, True])
def test_script_links_are_never_emitted_as_href(href: str, allow_html: bool) -> None:
    source = f"[a]({href}) ![b]({href}) [c][ref]\n\n[ref]: {href}\n"
    html = html_of(source, allow_html=allow_html)
    assert "<a " not in html and "<img" not in html
    assert not UNSAFE_HREF.search(html)


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        '<iframe src="https://evil.example/"></iframe>',
        "<img src=x onerror=alert(1)>",
    ],
)
def test_raw_html_is_escaped_by_default(raw: str) -> None:
    html = html_of(f"Text {raw}\n")
    assert raw not in html
    assert "&lt;" in html


def test_allow_html_passes_raw_html_through() -> None:
    html = html_of(
        '<aside class="note">Kept</aside>\n\nA <mark>marked</mark> word.\n', allow_html=True
    )
    assert html == '<aside class="note">Kept</aside>\n<p>A <mark>marked</mark> word.</p>\n'


def test_parser_is_cached_per_options() -> None:
    assert make_parser(MarkdownConfig()) is make_parser(MarkdownConfig())
    assert make_parser(MarkdownConfig()) is not make_parser(MarkdownConfig(allow_html=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The numbers", "the-numbers"),
        ("Querétaro raids", "queretaro-raids"),
        ("!!!", "section"),
        ("", "section"),
    ],
)
def test_heading_id(text: str, expected: str) -> None:
    assert heading_id(text) == expected


# --- render(): links between briefs ----------------------------------------------------------------

TARGETS = {
    "content/briefs/b.md": "/briefings/briefs/b/",
    "content/briefs/2025/Querétaro.md": "/briefings/briefs/queretaro/",
    "content/topics/cartels.md": "/briefings/topics/cartels/",
    FILENAME_KEY + "Querétaro.md": "content/briefs/2025/Querétaro.md",
}


def run(body: str, body_line: int = 7, **options: object) -> tuple[renderer.Rendered, list[str]]:
    diags = Diagnostics()
    result = render(
        body,
        path="content/briefs/a.md",
        body_line=body_line,
        options=MarkdownConfig(**options),
        resolver=links.Resolver(TARGETS),
        diags=diags,
    )
    return result, [d.format() for d in diags.sorted()]


def test_md_links_become_page_urls_keeping_anchors() -> None:
    result, messages = run("See [b](b.md) and [part](b.md#the-numbers).\n")
    assert messages == []
    assert result.html == (
        '<p>See <a href="/briefings/briefs/b/">b</a> and '
        '<a href="/briefings/briefs/b/#the-numbers">part</a>.</p>\n'
    )
    assert result.links == (
        LinkRef("content/briefs/a.md", "content/briefs/b.md", "", 7, 9),
        LinkRef("content/briefs/a.md", "content/briefs/b.md", "the-numbers", 7, 26),
    )


def test_relative_link_to_a_topic_file() -> None:
    result, messages = run("[Cartels](../topics/cartels.md)\n")
    assert messages == []
    assert 'href="/briefings/topics/cartels/"' in result.html


def test_bare_file_name_finds_a_brief_in_another_folder_and_is_unquoted() -> None:
    result, messages = run("[q](Quer%C3%A9taro.md) [r](Querétaro.md)\n")
    assert messages == []
    assert result.html.count('href="/briefings/briefs/queretaro/"') == 2


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/x.md",
        "#local",
        "/absolute/b.md",
        "mailto:desk@example.org",
        "b.mdx",
        "notes.txt",
    ],
)
def test_other_links_are_left_alone(href: str) -> None:
    result, messages = run(f"[x]({href})\n")
    assert messages == []
    assert result.links == ()
    assert f'href="{href}"' in result.html


def test_unknown_md_target_on_third_line_of_a_paragraph() -> None:
    body = "\nFirst line of the paragraph,\nsecond line,\nand the third [x](nope.md) one.\n"
    result, messages = run(body, body_line=7)
    # body line 7 is blank; the paragraph's third line is file line 10
    assert messages == [
        "content/briefs/a.md:10:19: error: link to 'nope.md': no such brief or topic (content/briefs/nope.md)"
    ]
    assert result.links == ()


def test_unknown_md_target_after_a_hard_break() -> None:
    _, messages = run("one  \ntwo\\\nthree [x](missing.md)\n", body_line=3)
    assert messages == [
        "content/briefs/a.md:5:11: error: link to 'missing.md': no such brief or topic (content/briefs/missing.md)"
    ]


def test_unknown_md_targets_in_list_quote_and_table_are_each_reported() -> None:
    body = (
        "- item\n- item [a](gone-a.md)\n\n"
        "> quoted\n> more [b](gone-b.md)\n\n"
        "| x | y |\n|---|---|\n| 1 | [c](gone-c.md) |\n"
    )
    _, messages = run(body, body_line=1)
    assert messages == [
        "content/briefs/a.md:2:12: error: link to 'gone-a.md': no such brief or topic (content/briefs/gone-a.md)",
        "content/briefs/a.md:5:12: error: link to 'gone-b.md': no such brief or topic (content/briefs/gone-b.md)",
        "content/briefs/a.md:9:11: error: link to 'gone-c.md': no such brief or topic (content/briefs/gone-c.md)",
    ]


def test_unknown_relative_target_names_the_resolved_path() -> None:
    _, messages = run("[t](../topics/gone.md)\n", body_line=1)
    assert messages == [
        "content/briefs/a.md:1:5: error: link to '../topics/gone.md': no such brief or topic (content/topics/gone.md)"
    ]


def test_link_after_a_code_span_that_wraps_a_line() -> None:
    _, messages = run("Use `a long\ncode span` then [x](nope.md).\n", body_line=1)
    assert messages == [
        "content/briefs/a.md:2:21: error: link to 'nope.md': no such brief or topic (content/briefs/nope.md)"
    ]


def test_resolve_href() -> None:
    assert resolve_href("b.md#x", "content/briefs/a.md", TARGETS) == (
        "/briefings/briefs/b/",
        "content/briefs/b.md",
        "x",
    )
    assert resolve_href("nope.md", "content/briefs/a.md", TARGETS) == (
        None,
        "content/briefs/nope.md",
        "",
    )
    assert resolve_href("https://x.org/b.md", "content/briefs/a.md", TARGETS) is None


# --- render(): headings ----------------------------------------------------------------------------


def test_headings_are_collected_for_the_table_of_contents() -> None:
    body = "# Title\n\n## The numbers\n\nText.\n\n### Deep `code` part\n\n## The numbers\n\n#### Fine print\n"
    result, _ = run(body)
    assert result.headings == (
        Heading(1, "title", "Title"),
        Heading(2, "the-numbers", "The numbers"),
        Heading(3, "deep-code-part", "Deep code part"),
        Heading(2, "the-numbers-1", "The numbers"),
        Heading(4, "fine-print", "Fine print"),
    )
    assert '<h2 id="the-numbers-1">The numbers</h2>' in result.html


def test_brief_page_table_of_contents_lists_levels_two_and_three(make_site, cli) -> None:
    body = "# Top\n\n## Groups on the list\n\n### Sinaloa\n\n#### Too deep\n\n## Why it matters\n"
    root = make_site(
        {
            "content/briefs/2025-02-04-six.md": brief(
                title="Six cartels", extra="toc: true\n", body=body
            ),
            "content/topics/cartels.md": "---\ntitle: Cartels\n---\n",
        }
    )
    assert cli("build", "--source", root, "--quiet").code == 0
    html = (root / "public/briefs/six/index.html").read_text(encoding="utf-8")
    toc = html[
        html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))
    ]
    assert re.findall(r'<li class="toc-level-(\d)"><a href="#([\w-]+)">', toc) == [
        ("2", "groups-on-the-list"),
        ("3", "sinaloa"),
        ("2", "why-it-matters"),
    ]
    assert '<h4 id="too-deep">Too deep</h4>' in html


def test_brief_page_has_no_table_of_contents_by_default(make_site, cli) -> None:
    root = make_site(
        {
            "content/briefs/2025-02-04-six.md": brief(
                title="Six cartels", body="## One\n\n## Two\n"
            ),
            "content/topics/cartels.md": "---\ntitle: Cartels\n---\n",
        }
    )
    assert cli("build", "--source", root, "--quiet").code == 0
    html = (root / "public/briefs/six/index.html").read_text(encoding="utf-8")
    assert 'class="toc"' not in html
    assert '<h2 id="one">One</h2>' in html


def test_repeated_identical_links_each_get_their_own_column() -> None:
    _, errors = run("x [a](no.md) and [b](no.md)\n\n> quote\n> [c](no.md)\n", body_line=10)
    assert errors == [
        "content/briefs/a.md:10:7: error: link to 'no.md': no such brief or topic (content/briefs/no.md)",
        "content/briefs/a.md:10:22: error: link to 'no.md': no such brief or topic (content/briefs/no.md)",
        "content/briefs/a.md:13:7: error: link to 'no.md': no such brief or topic (content/briefs/no.md)",
    ]


@pytest.mark.parametrize(
    ("body", "href"),
    [
        ("Thanks to [@rvagg](https://github.com/rvagg).\n", "https://github.com/rvagg"),
        (
            "Read [@SheinbaumC](https://x.com/SheinbaumC 'her account').\n",
            "https://x.com/SheinbaumC",
        ),
        ("Ask [@desk][team].\n\n[team]: https://example.org/team\n", "https://example.org/team"),
        ("Ask [@desk][].\n\n[@desk]: https://example.org/desk\n", "https://example.org/desk"),
        ("Ask [@desk].\n\n[@DESK]: https://example.org/desk\n", "https://example.org/desk"),
    ],
)
def test_bracket_with_at_sign_that_is_a_link_is_not_a_citation(body: str, href: str) -> None:
    result, messages = run(body)
    assert messages == []
    assert f'href="{href}"' in result.html
    assert 'class="cite"' not in result.html and result.cited == ()


def test_citation_beside_links_and_email_addresses() -> None:
    diags = Diagnostics()
    body = "Mail desk@example.org or [@team](https://t.example) [@a; @b] and @c.\n"
    result = render(
        body,
        path="content/briefs/a.md",
        body_line=7,
        options=MarkdownConfig(),
        resolver=links.Resolver(TARGETS),
        diags=diags,
        sources=("a", "b"),
    )
    assert diags.sorted() == []
    assert result.cited == (1, 2)
    assert "desk@example.org" in result.html and "and @c." in result.html
    assert '<a href="https://t.example">@team</a>' in result.html
