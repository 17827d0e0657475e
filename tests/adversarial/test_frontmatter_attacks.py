"""Hostile front matter: every case is a clear ``path:line:col: error:`` with exit status 1,
or a build whose output is escaped. Nothing in YAML is ever executed.

Cases:
- front matter missing, not closed, empty, only a comment; YAML that does not parse; YAML
  that is a list or a scalar
- tags that would run code with an unsafe loader (``!!python/object/apply:os.system``,
  ``!!python/object/new:os.system``, ``!!python/name:os.system``, ``!!python/module:os``, a
  tag on a key) and a custom ``!foo`` tag: refused, and the marker file they would create
  never appears; ``!!binary`` is a standard type: bytes where text is wanted are an error,
  bytes in an extra field are only data
- "billion laughs" alias bombs (sequences and merge keys): refused in well under a second;
  a recursive alias and 10,000 nested brackets neither hang nor crash
- a wrong type for every field: title, date, summary, topics, updated, tags, sources and
  each source field (title, url, publisher, date), key_facts, slug, draft, toc, expires,
  each reported at its own line
- dates that are not dates (2025-13-45, yesterday, 2025-02-30, quoted, no UTC offset),
  ``updated`` before ``date``, ``expires`` not after ``date``
- ``topics`` as a string (with the hint), duplicate keys (naming the first line)
- a 10,000-character title: builds, escaped everywhere
- ``</title><script>alert(1)</script>`` and friends in the title, summary, tags, key facts,
  sources, topic title and description: escaped in <title>, <h1>, meta tags, feeds, the
  sitemap, the search page and the search index; no live markup anywhere in public/
- control characters written as YAML escapes in a title (``\\e``, ``\\0``, ``\\x0c``,
  ``\\x85``, ``\\uFFFE``): an error at the title, since feeds could not carry them; line
  breaks and tabs fold into single spaces
- ``briefgen new`` with titles that would inject YAML (a fence, ``...``, a tag, an anchor,
  a directive, ``null``, a date) or climb out (``../``): written quoted, inside
  content/briefs/, and built with exactly that title; a title with a control character
  (BUG: written, then refused by the next build)
"""

from __future__ import annotations

import gzip
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from ._support import build, diagnostic, live_markup, snapshot, summary, written_outside
from conftest import SITE_YAML, brief, topic

BRIEF = "content/briefs/x.md"

# ---- the envelope ----------------------------------------------------------------------------

ENVELOPES = [
    ("no fence", "Just notes, no front matter.\n", 1, "missing front matter"),
    ("fence not first", "\n---\ntitle: x\n---\n", 1, "missing front matter"),
    ("not closed", "---\ntitle: A brief\ndate: 2025-02-04\n\nBody.\n", 1, "not closed"),
    ("empty", "---\n---\n\nBody.\n", 1, "front matter is empty"),
    ("only a comment", "---\n# nothing here\n---\n\nBody.\n", 1, "front matter is empty"),
    ("a list", "---\n- title\n- date\n---\n", 2, "must be a mapping"),
    ("a scalar", "---\njust some words\n---\n", 2, "must be a mapping"),
    ("a number", "---\n42\n---\n", 2, "must be a mapping"),
    ("bad indentation", brief(extra="key_facts:\n  - one\n - two\n"), 8, "invalid YAML"),
    ("tab indentation", brief(extra="sources:\n\t- title: x\n"), 7, "invalid YAML"),
]


@pytest.mark.parametrize(
    ("case", "text", "line", "words"), ENVELOPES, ids=[e[0] for e in ENVELOPES]
)
def test_broken_envelope_is_one_error_at_its_line(site, cli, case, text, line, words) -> None:
    run = build(cli, site({BRIEF: text}), expect=1)
    diagnostic(run, BRIEF, line, words)
    assert summary(run) == "1 error, 0 warnings"


@pytest.mark.parametrize(
    ("text", "line"),
    [(brief(title='"Raids in Sinaloa'), 2), (brief(extra="tags: [one, two\n"), 6)],
    ids=["quote", "bracket"],
)
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opens(site, cli, text, line) -> None:
    run = build(cli, site({BRIEF: text}), expect=1)
    diagnostic(run, BRIEF, line, "invalid YAML")


# ---- tags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        '!!python/object/apply:subprocess.call [["touch", "{marker}"]]',
        '!!python/object/new:os.system ["touch {marker}"]',
        "!!python/name:os.system",
        "!!python/module:os",
        '!foo "touch {marker}"',
        '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
    ],
    ids=["apply", "apply-subprocess", "new", "name", "module", "custom", "verbatim"],
)
def test_code_running_tags_are_refused_and_never_run(site, cli, tmp_path, value) -> None:
    marker = tmp_path / "pwned"
    text = brief(extra=f"hook: {value.format(marker=marker)}\n")
    run = build(cli, site({BRIEF: text}), expect=1)
    line = diagnostic(run, BRIEF, 6, "invalid YAML", "constructor")
    assert line.startswith(f"{BRIEF}:6:7: ")
    assert not marker.exists()


def test_a_tag_on_a_key_is_refused_too(site, cli, tmp_path) -> None:
    marker = tmp_path / "pwned"
    text = brief(extra=f'? !!python/object/apply:os.system ["touch {marker}"]\n: value\n')
    run = build(cli, site({BRIEF: text}), expect=1)
    diagnostic(run, BRIEF, 6, "constructor")
    assert not marker.exists()


def test_check_refuses_tags_without_running_them_either(site, cli, tmp_path) -> None:
    marker = tmp_path / "pwned"
    text = brief(extra=f'hook: !!python/object/apply:os.system ["touch {marker}"]\n')
    run = cli("check", "--source", site({BRIEF: text}))
    assert run.code == 1 and "Traceback" not in run.err
    diagnostic(run, BRIEF, 6, "constructor")
    assert not marker.exists()


def test_binary_where_text_is_wanted_is_a_type_error(site, cli) -> None:
    run = build(cli, site({BRIEF: brief(title="!!binary PHNjcmlwdD4=")}), expect=1)
    diagnostic(run, BRIEF, 2, "'title' must be text")


def test_binary_in_an_extra_field_is_only_data(site, cli) -> None:
    """``!!binary`` is a standard YAML type (bytes); kept in ``brief.params``, never decoded
    into a page by the default theme."""
    root = site({BRIEF: brief(extra="blob: !!binary PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\n")})
    build(cli, root, expect=0)
    assert live_markup(root / "public") == []
    assert b"alert(1)" not in (root / "public/briefs/x/index.html").read_bytes()


# ---- alias bombs and deep nesting ----------------------------------------------------------


def _laughs(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def _merge_laughs(levels: int = 9) -> str:
    lines = ["m0: &m0 {a: 1}"]
    for i in range(1, levels):
        lines.append(f"m{i}: &m{i}\n  <<: [" + ", ".join([f"*m{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("bomb", "line"), [(_laughs(), 9), (_merge_laughs(), 11)], ids=["sequences", "merge-keys"]
)
def test_billion_laughs_is_refused_quickly(site, cli, bomb, line) -> None:
    """Nine levels of ten aliases stand for a billion values; the walk stops at 20,000."""
    root = site({BRIEF: brief(extra=bomb)})
    started = time.perf_counter()
    run = build(cli, root, expect=1)
    seconds = time.perf_counter() - started
    assert seconds < 2.0, f"{seconds:.2f} s"
    diagnostic(run, BRIEF, line, "expands to more than 20000 values")
    assert summary(run) == "1 error, 0 warnings"


def test_a_recursive_alias_neither_hangs_nor_crashes(site, cli) -> None:
    """A list that contains itself is valid YAML; as an extra field it is only data."""
    root = site({BRIEF: brief(extra="loop: &a [*a]\nmap: &b {self: *b}\n")})
    started = time.perf_counter()
    build(cli, root, expect=0)
    assert time.perf_counter() - started < 2.0


def test_ten_thousand_nested_brackets_are_an_error_not_a_crash(site, cli) -> None:
    root = site({BRIEF: brief(extra="deep: " + "[" * 10_000 + "]" * 10_000 + "\n")})
    run = build(cli, root, expect=1)
    diagnostic(run, BRIEF, 6, "nesting")


# ---- a wrong type for every field ----------------------------------------------------------

SOURCE = "sources:\n  - title: A report\n    url: https://example.org/r\n"

WRONG_TYPES = [
    # (id, brief text, line, words)
    ("title list", brief(title="[a, b]"), 2, "'title' must be text, not a list"),
    ("title mapping", brief(title="{a: 1}"), 2, "'title' must be text, not a mapping"),
    ("title bool", brief(title="true"), 2, "'title' must be text, not true/false"),
    ("title number", brief(title="42"), 2, "put it in quotes"),
    ("title date", brief(title="2025-02-04"), 2, "'title' must be text"),
    ("title blank", brief(title='"   "'), 2, "'title' must not be empty"),
    ("title null", brief(title="null"), 2, "missing required field 'title'"),
    ("date list", brief(date="[2025-02-04]"), 3, "'date' must be a date"),
    ("date number", brief(date="20250204"), 3, "'date' must be a date"),
    ("date bool", brief(date="false"), 3, "'date' must be a date"),
    ("summary list", brief(summary="[one, two]"), 4, "'summary' must be text, not a list"),
    ("summary number", brief(summary="3.5"), 4, "put it in quotes"),
    ("topics mapping", brief(topics="{cartels: 1}"), 5, "'topics' must be a list, not a mapping"),
    ("topics number", brief(topics="7"), 5, "'topics' must be a list"),
    ("topics empty", brief(topics="[]"), 5, "needs at least one entry"),
    ("topic item number", brief(topics="[1]"), 5, "must be text, not a number"),
    ("topic item list", brief(topics="[[cartels]]"), 5, "must be text, not a list"),
    ("updated text", brief(extra="updated: soon\n"), 6, "'updated' must be a date"),
    ("updated list", brief(extra="updated: [2025-02-05]\n"), 6, "'updated' must be a date"),
    (
        "tags text",
        brief(extra="tags: raids\n"),
        6,
        "'tags' must be a list, not text; write [raids]",
    ),
    ("tags mapping", brief(extra="tags: {a: 1}\n"), 6, "'tags' must be a list, not a mapping"),
    ("tag item mapping", brief(extra="tags: [{a: 1}]\n"), 6, "must be text, not a mapping"),
    ("sources text", brief(extra="sources: a report\n"), 6, "'sources' must be a list"),
    ("sources mapping", brief(extra="sources: {title: x}\n"), 6, "'sources' must be a list"),
    ("source number", brief(extra="sources: [12]\n"), 6, "source 1 must be a mapping"),
    (
        "source title list",
        brief(extra=SOURCE.replace("A report", "[a]")),
        7,
        "'title' must be text, not a list",
    ),
    (
        "source title missing",
        brief(extra="sources:\n  - url: https://example.org/\n"),
        7,
        "missing required field 'title'",
    ),
    (
        "source url number",
        brief(extra=SOURCE.replace("https://example.org/r", "12")),
        8,
        "'url' must be text",
    ),
    (
        "source url list",
        brief(extra=SOURCE.replace("https://example.org/r", "[a]")),
        8,
        "'url' must be text, not a list",
    ),
    (
        "source url javascript",
        brief(extra=SOURCE.replace("https://example.org/r", "javascript:alert(1)")),
        8,
        "scheme 'javascript:' is not allowed",
    ),
    (
        "source url data",
        brief(extra=SOURCE.replace("https://example.org/r", "'data:text/html,<b>'")),
        8,
        "scheme 'data:' is not allowed",
    ),
    (
        "source publisher list",
        brief(extra=SOURCE + "    publisher: [a]\n"),
        9,
        "'publisher' must be text, not a list",
    ),
    ("source date text", brief(extra=SOURCE + "    date: last week\n"), 9, "'date' must be a date"),
    (
        "key_facts text",
        brief(extra="key_facts: one fact\n"),
        6,
        "'key_facts' must be a list, not text",
    ),
    ("key_fact item list", brief(extra="key_facts: [[1]]\n"), 6, "must be text, not a list"),
    ("slug list", brief(extra="slug: [a]\n"), 6, "'slug' must be text, not a list"),
    ("slug number", brief(extra="slug: 12\n"), 6, "'slug' must be text, not a number"),
    ("slug no letters", brief(extra="slug: '---'\n"), 6, "has no letters or digits"),
    ("draft text", brief(extra="draft: maybe\n"), 6, "'draft' must be true or false, not text"),
    ("draft number", brief(extra="draft: 1\n"), 6, "'draft' must be true or false, not a number"),
    ("toc text", brief(extra="toc: always\n"), 6, "'toc' must be true or false"),
    ("toc list", brief(extra="toc: [true]\n"), 6, "'toc' must be true or false, not a list"),
    ("expires text", brief(extra="expires: never\n"), 6, "'expires' must be a date"),
    ("expires mapping", brief(extra="expires: {on: 2025-03-01}\n"), 6, "'expires' must be a date"),
]


@pytest.mark.parametrize(
    ("case", "text", "line", "words"), WRONG_TYPES, ids=[w[0] for w in WRONG_TYPES]
)
def test_wrong_type_for_each_field_is_reported_at_its_line(
    site, cli, case, text, line, words
) -> None:
    run = build(cli, site({BRIEF: text}), expect=1)
    diagnostic(run, BRIEF, line, words)
    assert summary(run) == "1 error, 0 warnings"


# ---- dates ---------------------------------------------------------------------------------

DATES = [
    ("2025-13-45", 3, "month must be in 1..12"),
    ("yesterday", 3, "'date' must be a date"),
    ("2025-02-30", 3, "day is out of range"),
    ("'2025-02-30'", 3, "'date' must be a date"),
    ("'2025-02-04T25:00:00Z'", 3, "'date' must be a date"),
    ("2025-02-04T09:30:00", 3, "no UTC offset"),
    ("0000-01-01", 3, "cannot read value"),
    ("99999-01-01", 3, "'date' must be a date"),
]


@pytest.mark.parametrize(("value", "line", "words"), DATES, ids=[d[0] for d in DATES])
def test_dates_that_are_not_dates(site, cli, value, line, words) -> None:
    run = build(cli, site({BRIEF: brief(date=value)}), expect=1)
    diagnostic(run, BRIEF, line, words)


def test_updated_before_date_and_expires_not_after_date(site, cli) -> None:
    text = brief(date="2025-02-04", extra="updated: 2025-02-01\nexpires: 2025-02-04\n")
    run = build(cli, site({BRIEF: text}), expect=1)
    diagnostic(run, BRIEF, 6, "'updated' (2025-02-01) is before 'date' (2025-02-04)")
    diagnostic(run, BRIEF, 7, "'expires' (2025-02-04) is not after 'date'")


def test_topics_as_a_string_gets_a_hint(site, cli) -> None:
    run = build(cli, site({BRIEF: brief(topics="cartels")}), expect=1)
    assert run.err.splitlines()[0] == (
        f"{BRIEF}:5:1: error: 'topics' must be a list, not text; write [cartels]"
    )


@pytest.mark.parametrize(
    ("extra", "line", "first"),
    [("title: Again\n", 6, 2), ("topics: [other]\n", 6, 5), ("tags: [a]\ntags: [b]\n", 7, 6)],
    ids=["title", "topics", "tags"],
)
def test_duplicate_keys_name_the_first_line(site, cli, extra, line, first) -> None:
    run = build(cli, site({BRIEF: brief(extra=extra)}), expect=1)
    diagnostic(run, BRIEF, line, "duplicate key", f"first defined on line {first}")


# ---- long and hostile titles ---------------------------------------------------------------


def test_a_ten_thousand_character_title_builds_escaped(site, cli) -> None:
    title = ("Raids & <b>arrests</b> " * 500)[:10_000].strip()
    root = site({BRIEF: brief(title=json.dumps(title))})
    build(cli, root, expect=0)
    page = (root / "public/briefs/x/index.html").read_text(encoding="utf-8")
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f"<h1>{escaped}</h1>" in page
    assert "<b>arrests</b>" not in page
    assert live_markup(root / "public") == []


XSS = "</title><script>alert(1)</script>"
XSS_SITE = {
    BRIEF: brief(
        title=json.dumps(XSS),
        summary=json.dumps('"><script>alert(2)</script> & <img src=x onerror=alert(3)>'),
        extra=(
            "tags: ['<script>alert(4)</script>']\n"
            "key_facts: ['<svg onload=alert(5)>', '</li><script>alert(6)</script>']\n"
            "sources:\n"
            "  - title: '</a><script>alert(7)</script>'\n"
            "    url: 'https://example.org/?q=\"><script>alert(8)</script>'\n"
            "    publisher: '<iframe src=javascript:alert(9)>'\n"
        ),
        body="Body text about raids.\n",
    ),
    "content/topics/cartels.md": topic(
        title=json.dumps("</option><script>alert(10)</script>"),
        description=json.dumps('"><script>alert(11)</script>'),
    ),
}


@pytest.fixture(scope="module")
def xss_build(tmp_path_factory) -> Path:
    """One full build (search on) of a site whose every front matter text is hostile."""
    from briefgen.cli.main import main

    root = tmp_path_factory.mktemp("xss") / "site"
    for rel, text in XSS_SITE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    assert main(["build", "--source", str(root), "--quiet"]) == 0
    return root / "public"


def test_hostile_titles_leave_no_live_markup_anywhere(xss_build) -> None:
    assert live_markup(xss_build) == []
    for path in xss_build.rglob("*"):
        if path.suffix in (".html", ".xml"):
            data = path.read_text(encoding="utf-8").lower()
            assert "<script>alert" not in data, path
            inert = ("&lt;img src=x onerror=alert", "\\u003cimg src=x onerror=alert")  # escaped
            for form in inert:
                data = data.replace(form, "")
            assert "onerror=alert" not in data


def test_hostile_title_is_escaped_in_title_h1_and_meta(xss_build) -> None:
    page = (xss_build / "briefs/x/index.html").read_text(encoding="utf-8")
    escaped = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<title>{escaped} · Test Briefings</title>" in page
    assert f"<h1>{escaped}</h1>" in page
    assert f'<meta property="og:title" content="{escaped}">' in page
    assert "&lt;svg onload=alert(5)&gt;" in page
    assert page.count("<title>") == 1 and page.count("</title>") == 1


def test_hostile_title_is_plain_text_in_the_feeds(xss_build) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in ("feed.xml", "topics/cartels/feed.xml"):
        entry = ET.parse(xss_build / feed).getroot().find(f"{atom}entry")
        assert entry is not None
        assert entry.findtext(f"{atom}title") == XSS, feed
    # JSON Feed titles are plain text by definition; HTML goes only in content_html
    item = json.loads((xss_build / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["title"] == XSS
    assert "<script" not in item["content_html"]


def test_sitemap_and_search_page_are_safe(xss_build) -> None:
    sitemap = (xss_build / "sitemap.xml").read_bytes()
    ET.fromstring(sitemap)
    assert b"<script" not in sitemap.lower()
    search = (xss_build / "search/index.html").read_text(encoding="utf-8")
    assert "&lt;/option&gt;&lt;script&gt;alert(10)&lt;/script&gt;" in search
    assert "<script>alert" not in search


def test_search_index_keeps_the_title_as_text_and_the_page_never_parses_it(xss_build) -> None:
    """Pagefind stores the title as plain text; the theme's search script puts it on the page
    with textContent, never as HTML."""
    fragments = [
        json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))
        for p in (xss_build / "pagefind/fragment").glob("*.pf_fragment")
    ]
    assert [f["meta"]["title"] for f in fragments] == [XSS]
    script = (xss_build / "static/js/search.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "link.textContent = data.meta.title" in script


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\e", "001B"), ("\\0", "0000"), ("\\x0c", "000C"), ("\\x85", "0085"), ("\\uFFFE", "FFFE")],
    ids=["esc", "nul", "form-feed", "next-line", "non-character"],
)
def test_control_characters_written_as_yaml_escapes_are_refused(site, cli, escape, code) -> None:
    """They could not be carried by the Atom feed (XML 1.0 forbids them)."""
    root = site({BRIEF: brief(title=f'"Raids{escape}in Sinaloa"')})
    run = build(cli, root, expect=1)
    assert run.err.splitlines()[0] == (
        f"{BRIEF}:2:1: error: 'title' contains the control character U+{code}"
    )


def test_line_breaks_written_as_yaml_escapes_fold_into_one_line(site, cli) -> None:
    root = site({BRIEF: brief(title='"Raids\\nin\\r\\nSinaloa\\t today"')})
    build(cli, root, expect=0)
    assert "<h1>Raids in Sinaloa today</h1>" in (root / "public/briefs/x/index.html").read_text()


# ---- front matter written by ``briefgen new`` ----------------------------------------------

NEW_TITLES = [
    "Raids\n---\ninjected: true",
    "Raids\n...\nafter the end",
    "!!python/object/apply:os.system ['touch {marker}']",
    "- a list?",
    ": a colon",
    "'quotes\" of both kinds",
    "&anchor *alias",
    "%YAML 1.1",
    "null",
    "2025-02-04",
    "true",
    "../../../etc/passwd",
    "</title><script>alert(1)</script>",
]


@pytest.mark.parametrize("title", NEW_TITLES, ids=lambda t: t[:24])
def test_new_writes_hostile_titles_as_plain_text(site, cli, tmp_path, title) -> None:
    """``briefgen new`` must quote whatever title it is given: no injected keys, no tags,
    no file outside content/briefs/, and the brief builds with that exact title."""
    marker = tmp_path / "pwned"
    title = title.format(marker=marker)
    root = site()
    before = snapshot(tmp_path, root / "content/briefs", root / "public")
    run = cli("new", title, "--topic", "../Cartels", "--source", root)
    assert run.code == 0, run.err
    assert (
        written_outside(before, snapshot(tmp_path, root / "content/briefs", root / "public")) == []
    )
    [path] = (root / "content/briefs").iterdir()
    assert path.suffix == ".md" and re.fullmatch(r"[a-z0-9-]+", path.stem)
    front = yaml.safe_load(
        path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n")
    )
    assert sorted(front) == ["date", "draft", "summary", "title", "topics"]
    # a title is one line: new folds whitespace as the build does
    assert front["title"] == " ".join(title.split()) and front["topics"] == ["cartels"]
    build(cli, root, "--drafts", expect=0)
    slug = path.stem.removeprefix(f"{front['date'].isoformat()}-")  # new names files by date
    page = (root / f"public/briefs/{slug}/index.html").read_text(encoding="utf-8")
    assert f"<h1>{escape(' '.join(title.split()))}</h1>" in page
    assert live_markup(root / "public") == []
    assert not marker.exists()


@pytest.mark.parametrize("char", ["\x07", "\x85", "\x1b"], ids=["bell", "next-line", "esc"])
def test_new_never_writes_a_brief_that_does_not_build(site, cli, char) -> None:
    root = site()
    run = cli("new", f"Raids{char}in Sinaloa", "--topic", "cartels", "--source", root)
    assert "Traceback" not in run.err
    if run.code == 2:  # refusing the title is as good as cleaning it
        assert run.err.startswith("briefgen new: error: ")
        assert not (root / "content/briefs").exists() or not any(
            (root / "content/briefs").iterdir()
        )
        return
    assert run.code == 0
    build(cli, root, "--drafts", expect=0)
