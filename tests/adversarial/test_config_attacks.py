"""A broken or hostile ``site.yaml``, theme or template: exit 2 for configuration, exit 1 for
templates, always at the file and line, never a traceback, never a change to the last good
build.

Cases:
- site.yaml missing, empty, only comments, malformed, a list, a scalar, not UTF-8, holding a
  NUL, with duplicate keys, a ``!!python/object/apply`` tag (never run), a billion-laughs
  alias bomb (refused in under a second)
- a wrong type or value for settings (title, base_url, per_page, related, feeds.limit,
  markdown, markdown.toc_levels, params, git_dates, output_dir)
- unknown keys, top-level and in sections: warnings with a "did you mean" suggestion, errors
  with --strict
- an unknown theme, and theme names that try to leave themes/ (``../``, absolute, ``.``,
  backslashes, NUL)
- a site template with an undefined variable, a syntax error, an unknown filter, a missing
  include, one that raises (``{{ 1 / 0 }}``), one that extends or includes itself, a
  recursive macro: an error naming the template file and line; an error in a site theme's
  own template names that file
- a template that is not UTF-8, used or not: an error at its line, not a traceback
- an error in a theme's base template, hit by six templates: one line, and a summary that
  counts it once
- a base_url that tries to break out of attributes: escaped everywhere
- a ``language`` that is not a language tag (``../``, ``/``, markup, a space): exit 2 and
  nothing written (Pagefind names its index files after it); real tags build, with every
  index file inside the output
- after each kind of failure, the previous public/ is byte-identical and no staging folder
  is left
"""

from __future__ import annotations

import json
import time

import pytest

from ._support import (
    FAST_SITE,
    LOCK,
    build,
    diagnostic,
    live_markup,
    snapshot,
    summary,
    written_outside,
)
from conftest import REPO, SITE_YAML, brief, read_tree, staging_left

GOOD = {"content/briefs/x.md": brief()}
HEAD = '{% extends "base.html" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n'


def test_missing_site_yaml(site, cli) -> None:
    run = build(cli, site(GOOD, site_yaml=None), expect=2)
    assert run.err.splitlines()[:2] == [
        "site.yaml: error: no site.yaml here: is this a briefgen site?",
        "1 error, 0 warnings",
    ]


def test_missing_site_folder(cli, tmp_path) -> None:
    run = build(cli, tmp_path / "nowhere", expect=2)
    assert "site folder does not exist" in run.err


CONFIGS = [
    ("empty", "", 1, "missing required setting 'title'"),
    ("comments", "# a site\n# nothing else\n", 1, "missing required setting 'title'"),
    ("malformed", "title: [unclosed\nper_page: 3\n", 1, "invalid YAML"),
    ("bad indent", "title: T\nfeeds:\n  limit: 3\n limit: 4\n", 4, "invalid YAML"),
    ("list", "- title\n- T\n", 1, "site.yaml must be a mapping"),
    ("scalar", "just a title\n", 1, "site.yaml must be a mapping"),
    (
        "duplicate",
        "title: T\nper_page: 3\ntitle: U\n",
        3,
        "duplicate key 'title' (first defined on line 1)",
    ),
    ("nul", "title: T\x00\n", 1, "invalid character U+0000"),
    ("title list", "title: [a]\n", 1, "'title' must be non-empty text"),
    ("title blank", "title: '  '\n", 1, "'title' must be non-empty text"),
    (
        "base_url javascript",
        "title: T\nbase_url: 'javascript:alert(1)//'\n",
        2,
        "must be an http(s) URL or a path",
    ),
    (
        "base_url relative",
        "title: T\nbase_url: briefings/\n",
        2,
        "must be an absolute URL or start with /",
    ),
    ("base_url query", "title: T\nbase_url: https://x.org/?a=1\n", 2, "must not have a query"),
    (
        "per_page text",
        "title: T\nper_page: '3'\n",
        2,
        "'per_page' must be a whole number of at least 1",
    ),
    (
        "per_page zero",
        "title: T\nper_page: 0\n",
        2,
        "'per_page' must be a whole number of at least 1",
    ),
    ("per_page bool", "title: T\nper_page: true\n", 2, "'per_page' must be a whole number"),
    (
        "related negative",
        "title: T\nrelated: -1\n",
        2,
        "'related' must be a whole number, 0 or more",
    ),
    (
        "feeds limit",
        "title: T\nfeeds:\n  limit: -1\n",
        3,
        "'limit' must be a whole number of at least 1",
    ),
    ("feeds list", "title: T\nfeeds: [1]\n", 2, "'feeds' must be a mapping"),
    ("markdown list", "title: T\nmarkdown: [allow_html]\n", 2, "'markdown' must be a mapping"),
    (
        "allow_html text",
        "title: T\nmarkdown:\n  allow_html: sometimes\n",
        3,
        "'allow_html' must be true or false",
    ),
    (
        "toc_levels zero",
        "title: T\nmarkdown:\n  toc_levels: 0\n",
        3,
        "'toc_levels' must be a whole number",
    ),
    ("params scalar", "title: T\nparams: 3\n", 2, "'params' must be a mapping"),
    ("git_dates text", "title: T\ngit_dates: maybe\n", 2, "'git_dates' must be true or false"),
    (
        "output_dir list",
        "title: T\noutput_dir: [public]\n",
        2,
        "'output_dir' must be non-empty text",
    ),
    ("deep", "title: T\nparams: " + "[" * 5000 + "]" * 5000 + "\n", 2, "nesting depth"),
]


@pytest.mark.parametrize(("case", "text", "line", "words"), CONFIGS, ids=[c[0] for c in CONFIGS])
def test_bad_site_yaml_is_exit_2_at_its_line(site, cli, case, text, line, words) -> None:
    root = site(GOOD, site_yaml=None)
    (root / "site.yaml").write_text(text, encoding="utf-8")
    run = build(cli, root, expect=2)
    diagnostic(run, "site.yaml", line, words)
    assert not (root / "public").exists()


def test_site_yaml_that_is_not_utf8(site, cli) -> None:
    root = site(GOOD, site_yaml=None)
    (root / "site.yaml").write_bytes(b"title: Quer\xe9taro\n")
    run = build(cli, root, expect=2)
    assert run.err.startswith("site.yaml: error: cannot read: ")
    assert "can't decode byte 0xe9 in position 11" in run.err


def test_python_tag_in_site_yaml_is_refused_and_not_run(site, cli, tmp_path) -> None:
    marker = tmp_path / "pwned"
    text = f'title: !!python/object/apply:os.system ["touch {marker}"]\n'
    run = build(cli, site(GOOD, site_yaml=text), expect=2)
    diagnostic(run, "site.yaml", 1, "could not determine a constructor")
    assert not marker.exists()


def test_billion_laughs_in_site_yaml_is_refused_quickly(site, cli) -> None:
    bomb = "title: T\nl0: &l0 [lol]\n" + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 9)
    )
    root = site(GOOD, site_yaml=bomb)
    started = time.perf_counter()
    run = build(cli, root, expect=2)
    assert time.perf_counter() - started < 2.0
    diagnostic(run, "site.yaml", None, "expands to more than 20000 values")


def test_unknown_keys_are_warnings_with_suggestions(site, cli) -> None:
    text = FAST_SITE + "per_pag: 3\nthem: default\nmarkdown:\n  alow_html: true\nzzzz: 1\n"
    root = site(GOOD, site_yaml=text)
    run = build(cli, root, expect=0)
    n = FAST_SITE.count("\n")
    assert run.err.splitlines() == [
        f"site.yaml:{n + 1}:1: warning: unknown setting 'per_pag'; did you mean 'per_page'?",
        f"site.yaml:{n + 2}:1: warning: unknown setting 'them'; did you mean 'theme'?",
        f"site.yaml:{n + 4}:3: warning: unknown setting 'markdown.alow_html'; did you mean 'allow_html'?",
        f"site.yaml:{n + 5}:1: warning: unknown setting 'zzzz'",
        "0 errors, 4 warnings",
    ]
    assert b"alow" not in (root / "public/index.html").read_bytes()
    strict = build(cli, root, "--strict", expect=1)
    assert summary(strict) == "4 errors (warnings count as errors with --strict)"


# ---- themes ----------------------------------------------------------------------------------

# as written in site.yaml (double-quoted YAML: "\\" is a backslash, "\0" a NUL)
THEMES = [
    "broadsheet",
    '"../themes/default"',
    '"../../../etc"',
    '"/etc"',
    f'"{REPO}/themes/default"',
    '"."',
    '".."',
    '"default/../default"',
    '"..\\\\default"',
    '"default\\0"',
    '"default/"',
]


@pytest.mark.parametrize("name", THEMES)
def test_unknown_or_escaping_theme_is_exit_2(site, cli, tmp_path, name) -> None:
    root = site(GOOD, site_yaml=FAST_SITE + f"theme: {name}\n")
    before = snapshot(tmp_path)
    run = build(cli, root, expect=2)
    assert snapshot(tmp_path) == before
    diagnostic(run, "site.yaml", FAST_SITE.count("\n") + 1, "unknown theme", "available: default")


# ---- templates ---------------------------------------------------------------------------------

TEMPLATES = [
    (
        "undefined",
        HEAD + "{{ no_such_thing }}\n{% endblock %}\n",
        4,
        "undefined: 'no_such_thing' is undefined",
    ),
    (
        "undefined attribute",
        HEAD + "{% for m in months %}\n{{ m.colour }}\n{% endfor %}\n{% endblock %}\n",
        5,
        "has no attribute 'colour'",
    ),
    (
        "syntax",
        HEAD + "{% for m in months %}\n{{ m.title }\n{% endfor %}\n{% endblock %}\n",
        5,
        "template syntax",
    ),
    ("unclosed block", HEAD + "{% if true %}\n", 4, "template syntax"),
    (
        "unknown filter",
        HEAD + "{{ 'x' | no_filter }}\n{% endblock %}\n",
        4,
        "No filter named 'no_filter'",
    ),
    (
        "missing include",
        HEAD + '{% include "partials/nope.html" %}\n{% endblock %}\n',
        4,
        "partials/nope.html",
    ),
    ("raises", HEAD + "{{ 1 / 0 }}\n{% endblock %}\n", 4, "ZeroDivisionError: division by zero"),
    ("extends itself", '{% extends "archive.html" %}\n', 1, "RecursionError"),
    # the innermost frame of the cycle: line 1 (extends) or 4 (include), both in the cycle
    (
        "includes itself",
        HEAD + '{% include "archive.html" %}\n{% endblock %}\n',
        None,
        "RecursionError",
    ),
    (
        "recursive macro",
        HEAD + "{% macro f(n) %}{{ f(n) }}{% endmacro %}\n{{ f(1) }}\n{% endblock %}\n",
        4,
        "RecursionError",
    ),
]


@pytest.mark.parametrize(
    ("case", "template", "line", "words"), TEMPLATES, ids=[t[0] for t in TEMPLATES]
)
def test_broken_site_template_names_file_and_line(site, cli, case, template, line, words) -> None:
    root = site({**GOOD, "templates/archive.html": template})
    run = build(cli, root, expect=1)
    diagnostic(run, "templates/archive.html", line, words)
    assert summary(run) == "1 error, 0 warnings"
    assert not (root / "public").exists()


def _theme_with_broken_base() -> dict[str, str]:
    files = {
        **GOOD,
        "themes/mine/templates/base.html": "<!DOCTYPE html>\n<title>{{ page.title }}</title>\n{{ oops }}\n",
    }
    for name in ("home", "brief", "topics", "topic", "archive", "404"):
        files[f"themes/mine/templates/{name}.html"] = '{% extends "base.html" %}\n'
    return files


def test_an_error_in_a_site_theme_names_the_theme_file(site, cli) -> None:
    run = build(
        cli, site(_theme_with_broken_base(), site_yaml=FAST_SITE + "theme: mine\n"), expect=1
    )
    assert run.err.splitlines()[0] == (
        "themes/mine/templates/base.html:3:1: error: template error: undefined: 'oops' is undefined"
    )
    assert len(run.err.splitlines()) == 3  # that error, the summary, "build failed"


def test_the_summary_counts_the_errors_it_prints(site, cli) -> None:
    run = build(
        cli, site(_theme_with_broken_base(), site_yaml=FAST_SITE + "theme: mine\n"), expect=1
    )
    printed = [line for line in run.err.splitlines() if ": error: " in line]
    assert summary(run) == f"{len(printed)} error{'s' if len(printed) != 1 else ''}, 0 warnings"


@pytest.mark.parametrize("rel", ["templates/archive.html", "templates/partials/unused.html"])
def test_a_template_that_is_not_utf8_is_an_error_naming_it(site, cli, rel) -> None:
    root = site({**GOOD, rel: b'{% extends "base.html" %}\nQuer\xe9taro\n'})
    run = build(cli, root, expect=1)
    assert run.err.splitlines()[:2] == [
        f"{rel}:2:1: error: template is not valid UTF-8 (byte offset 30)",
        "1 error, 0 warnings",
    ]


# ---- values that reach the output ----------------------------------------------------------------


def test_a_base_url_that_tries_to_break_out_is_escaped(site, cli) -> None:
    base = 'https://example.org/a"><script>alert(1)</script>/'
    root = site(
        GOOD, site_yaml=f"title: T\nbase_url: {json.dumps(base)}\nsearch: {{enabled: false}}\n"
    )
    build(cli, root, expect=0)
    assert live_markup(root / "public", base_path='/a"><script>alert(1)</script>/') == []
    for path, data in read_tree(root / "public").items():
        if path.endswith((".html", ".xml")):
            assert b"<script>alert" not in data, path


@pytest.mark.parametrize(
    "language",
    ["../../../../escaped", 'en"><script>alert(1)</script>', "pt/BR", "en us", "x" * 20, "e"],
    ids=["traversal", "markup", "slash", "space", "long", "short"],
)
def test_a_language_that_is_not_a_language_tag_is_refused(site, cli, tmp_path, language) -> None:
    """Pagefind names its index files after ``<html lang>``: ``../`` there once wrote them
    outside the output folder, and ``/`` crashed the indexer."""
    assert "language: en\n" in SITE_YAML
    root = site(
        GOOD, site_yaml=SITE_YAML.replace("language: en", f"language: {json.dumps(language)}")
    )
    before = snapshot(tmp_path)
    run = build(cli, root, expect=2)
    assert snapshot(tmp_path) == before
    assert run.err.splitlines()[0] == (
        f"site.yaml:4:1: error: language {language!r} is not a language tag such as 'en' or 'es-MX'"
    )


@pytest.mark.parametrize("language", ["en", "es-MX", "pt-BR", "zh-Hant-TW", "sr-Latn"])
def test_real_language_tags_build_and_stay_inside_the_output(site, cli, tmp_path, language) -> None:
    root = site(GOOD, site_yaml=SITE_YAML.replace("language: en", f"language: {language}"))
    before = snapshot(tmp_path, root / "public")
    build(cli, root, expect=0)
    assert written_outside(before, snapshot(tmp_path, root / "public"), {f"site/{LOCK}"}) == []
    assert f'<html lang="{language}">' in (root / "public/index.html").read_text()


# ---- the previous build survives ------------------------------------------------------------------

BREAKS = {
    "malformed site.yaml": ("site.yaml", "title: [unclosed\n", 2),
    "unknown theme": ("site.yaml", FAST_SITE + "theme: nope\n", 2),
    "unsafe output": ("site.yaml", FAST_SITE + "output_dir: .\n", 2),
    "template raises": ("templates/archive.html", HEAD + "{{ 1 / 0 }}\n{% endblock %}\n", 1),
    "template syntax": ("templates/archive.html", HEAD + "{% if %}\n{% endblock %}\n", 1),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_a_failed_build_leaves_the_previous_site_byte_identical(site, cli, case) -> None:
    root = site(GOOD)
    build(cli, root, "--quiet", expect=0)
    before = read_tree(root / "public")
    rel, text, code = BREAKS[case]
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    (root / "content/briefs/new.md").write_text(brief(title="New"), encoding="utf-8")
    run = build(cli, root, expect=code)
    assert run.err.splitlines()[-1] == "build failed; the previous output was left as it was"
    assert read_tree(root / "public") == before
    assert staging_left(root) == []
