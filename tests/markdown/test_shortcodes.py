"""Shortcodes as a desk writes them: the syntax read with its positions, where a shortcode is
and is not one (code, paragraphs, lists, quotes, nesting), what each mistake reports, and
incremental builds that know which bodies drew which template (the golden sites
tests/sites/shortcodes-own and shortcodes-mistakes show whole sites)."""

from __future__ import annotations

import pytest

from briefgen.markdown.shortcode_syntax import parse_tag
from briefgen.model.diagnostics import ContentError
from briefgen.pipeline.build import build

from conftest import SITE_YAML, brief, topic
from trees import assert_same_as_clean

BOX = '<aside class="box" data-tone="{{ args.tone | default(\'plain\') }}">{{ body }}</aside>\n'


def _site(make_site, body: str, extra: dict[str, str] | None = None, site_yaml: str = SITE_YAML):
    files = {
        "content/topics/cartels.md": topic(),
        "content/briefs/a.md": brief(body=body),
        "templates/shortcodes/box.html": BOX,
        **(extra or {}),
    }
    return make_site(files, site_yaml)


def _body(root) -> str:
    html = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    return html.split('<div class="body">', 1)[1].split("</div>", 1)[0].strip()


def _errors(root) -> list[str]:
    with pytest.raises(ContentError) as failed:
        build(root)
    return [d.format() for d in failed.value.diagnostics.errors]


# --- the syntax ------------------------------------------------------------------------------


def test_arguments_by_position_and_name_with_quotes_escapes_and_their_columns() -> None:
    tag = parse_tag('{{< video "a b" key=bare title="say \\"hi\\"" other=\'x y\' />}}')
    assert tag.name == "video" and tag.self_closing and not tag.problem
    assert [(a.key, a.value, a.col) for a in tag.args] == [
        (None, "a b", 11),
        ("key", "bare", 17),
        ("title", 'say "hi"', 26),
        ("other", "x y", 45),
    ]


def test_arguments_over_several_lines_keep_their_line() -> None:
    tag = parse_tag('{{< post https://x.test/1\n  author="A"\n  handle="@a" >}}')
    assert [(a.key, a.line, a.col) for a in tag.args] == [
        (None, 0, 10),
        ("author", 1, 3),
        ("handle", 2, 3),
    ]


def test_an_address_with_a_query_is_one_bare_argument() -> None:
    tag = parse_tag('{{< video https://www.youtube.com/watch?v=abc&t=5 title="A, B" >}}')
    assert not tag.problem
    assert [(a.key, a.value, a.col) for a in tag.args] == [
        (None, "https://www.youtube.com/watch?v=abc&t=5", 11),
        ("title", "A, B", 51),
    ]
    named = parse_tag("{{< embed src=https://x.example/?a=1 height=400 >}}")
    assert [(a.key, a.value) for a in named.args] == [
        ("src", "https://x.example/?a=1"),
        ("height", "400"),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{{< Video >}}", "name is lowercase"),
        ("{{< quote =x >}}", "cannot read the argument"),
        ("{{< video a=b=c >}}", "cannot read the argument"),
        ('{{< video "open >}}', "cannot read the argument"),
    ],
)
def test_a_tag_that_cannot_be_read_says_why(text: str, problem: str) -> None:
    assert problem in parse_tag(text).problem


# --- where a shortcode is one ----------------------------------------------------------------


def test_a_body_is_markdown_and_shortcodes_nest(make_site) -> None:
    body = (
        '{{< box tone="alert" >}}\n'
        "**Bold** and a [link](https://example.org/briefings/).\n\n"
        "{{< box >}}\nInner\n{{< /box >}}\n"
        "{{< /box >}}\n"
    )
    root = _site(make_site, body)
    build(root)
    assert _body(root) == (
        '<aside class="box" data-tone="alert"><p><strong>Bold</strong> and a '
        '<a href="https://example.org/briefings/">link</a>.</p>\n'
        '<aside class="box" data-tone="plain"><p>Inner</p>\n</aside>\n</aside>'
    )


def test_a_shortcode_may_follow_a_paragraph_line_and_sit_in_a_list_or_a_quote(make_site) -> None:
    body = "Text\n{{< box />}}\n\n- item\n\n  {{< box />}}\n\n> {{< box />}}\n"
    root = _site(make_site, body)
    build(root)
    assert _body(root).count('<aside class="box"') == 3


def test_in_code_a_shortcode_is_text(make_site) -> None:
    body = "`{{< box >}}`\n\n```\n{{< box >}}\n```\n\n    {{< nothing >}}\n"
    root = _site(make_site, body)
    build(root)
    html = _body(root)
    assert "<aside" not in html and html.count("{{&lt; box &gt;}}") == 2


def test_theme_words_are_the_editions_and_a_source_argument_cites(make_site) -> None:
    plugin = """
from briefgen.plugins import Param, Shortcode, hookimpl

class Plugin:
    @hookimpl
    def briefgen_shortcodes(self):
        return [Shortcode("said", params=(Param("source", "source", required=True),),
                          words=("page.search",))]
"""
    template = "<p>{{ t('page.search') }}{{ cite.source }}</p>\n"
    root = _site(
        make_site,
        "Claim [@wire].\n\n{{< said source=wire >}}\n",
        {"plugins/said.py": plugin, "templates/shortcodes/said.html": template},
        SITE_YAML.replace("language: en", "language: es") + "plugins: [said]\n",
    )
    (root / "content/briefs/a.md").write_text(
        brief(
            body="Claim [@wire].\n\n{{< said source=wire >}}\n",
            extra='sources:\n  - {id: wire, title: Wire, url: "https://example.com/"}',
        )
    )
    build(root)
    html = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    assert '<p>Búsqueda<sup class="cite"><a href="#source-1" id="cite-1-2"' in html


# --- mistakes --------------------------------------------------------------------------------


def test_two_plugins_may_not_declare_one_name(make_site) -> None:
    plugin = """
from briefgen.plugins import Shortcode, hookimpl

@hookimpl
def briefgen_shortcodes():
    return [Shortcode("box"), Shortcode("Bad Name"), Shortcode("odd", body="sometimes")]
"""
    root = _site(
        make_site,
        "Text.\n",
        {"plugins/one.py": plugin, "plugins/two.py": plugin},
        SITE_YAML + "plugins: [one, two]\n",
    )
    assert sorted(_errors(root)) == [
        "site.yaml: error: plugin 'one': shortcode 'odd': unknown body 'sometimes'",
        "site.yaml: error: plugin 'one': shortcode name 'Bad Name': lowercase letters, digits, - and _",
        "site.yaml: error: plugin 'two': shortcode 'box' is one's already",
        "site.yaml: error: plugin 'two': shortcode 'odd': unknown body 'sometimes'",
        "site.yaml: error: plugin 'two': shortcode name 'Bad Name': lowercase letters, digits, - and _",
    ]


def test_a_plugin_that_fails_preparing_is_an_error_at_the_shortcode(make_site) -> None:
    plugin = """
from briefgen.plugins import Shortcode, hookimpl

@hookimpl
def briefgen_shortcodes():
    return [Shortcode("broken", prepare=lambda call: 1 / 0)]
"""
    root = _site(
        make_site,
        "Text.\n\n{{< broken >}}\n",
        {"plugins/one.py": plugin},
        SITE_YAML + "plugins: [one]\n",
    )
    assert _errors(root) == [
        "content/briefs/a.md:10:1: error: plugin 'one' failed preparing 'broken': "
        "ZeroDivisionError: division by zero"
    ]


# --- incremental builds ----------------------------------------------------------------------


def test_an_edited_template_renders_again_the_bodies_that_drew_it_and_only_those(
    make_site, tmp_path
) -> None:
    root = _site(
        make_site,
        "{{< box >}}\nIn a box.\n{{< /box >}}\n",
        {"content/briefs/b.md": brief(title="Another", body="No shortcode.\n")},
    )
    first = build(root)
    assert first.site is not None
    (root / "templates/shortcodes/box.html").write_text(BOX.replace("box", "boxed", 1))
    build(root)
    assert 'class="boxed"' in _body(root)
    assert_same_as_clean(root, tmp_path / "clean")


def test_a_replaced_file_renders_again_the_body_that_names_it(make_site, tmp_path) -> None:
    template = '<a href="{{ args.file.url }}">{{ args.file.size }} bytes</a>\n'
    plugin = """
from briefgen.plugins import Param, Shortcode, hookimpl

@hookimpl
def briefgen_shortcodes():
    return [Shortcode("doc", params=(Param("file", "file", required=True, positional=True),))]
"""
    root = _site(
        make_site,
        "{{< doc files/report.pdf >}}\n",
        {
            "plugins/one.py": plugin,
            "templates/shortcodes/doc.html": template,
            "content/briefs/files/report.pdf": "%PDF-1.4 short",
        },
        SITE_YAML + "plugins: [one]\n",
    )
    build(root)
    assert "14 bytes" in _body(root)
    (root / "content/briefs/files/report.pdf").write_text("%PDF-1.4 a longer one")
    build(root)
    assert "21 bytes" in _body(root)
    got = assert_same_as_clean(root, tmp_path / "clean")
    assert got["media/briefs/files/report.pdf"] == b"%PDF-1.4 a longer one"
