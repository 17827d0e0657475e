"""The real-world fixture site, tests/sites/real-world/: posts shaped like those of real blogs
and news desks (handles and hashtags as link text, pasted HTML, Liquid and Hugo shortcodes,
titles in many scripts, BOMs, CRLF and tabs, very long titles, huge tables and bodies), and a
``content/briefs/broken/`` folder of posts each named for what is wrong with it.

Why this site has its own test file instead of the tests/pipeline/test_sites.py harness (which skips
it): one of its cases is a five-megabyte body, and five megabytes do not belong in git. The
site commits a small seed, ``2025-02-17-liveblog.md``, and each build here runs on a temporary
copy in which the seed's body is grown past 5 MB. The site is also built two ways, which
the one-build-per-folder harness cannot express:

- whole, broken posts included: the diagnostics transcript is compared with
  ``real-world.diagnostics.txt``;
- good, without ``broken/``: its transcript is compared with ``real-world.good.diagnostics.txt``
  and it must build with no errors;

Its pages are what the escaping, literal-text, encoding and structure tests read. Regenerate
the goldens with BRIEFGEN_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.read.discover import MAX_FILE_BYTES

from conftest import TESTS, run_cli

SITE = TESTS / "sites" / "real-world"
GOLDEN_WHOLE = SITE.parent / "real-world.diagnostics.txt"
GOLDEN_GOOD = SITE.parent / "real-world.good.diagnostics.txt"
UPDATE = os.environ.get("BRIEFGEN_UPDATE_GOLDEN") == "1"

BRIEFS = "content/briefs"
SEED = f"{BRIEFS}/2025-02-17-liveblog.md"
# 5 MB, decimal: briefgen refuses a file over 5 MiB (content.MAX_FILE_BYTES), and the body
# is meant to be as big as a brief may be, not one byte too big.
BIG_BODY_BYTES = 5_000_000
LONG_TITLE_PREFIX = (
    "2025-01-25-city-council-approves-the-2025-transportation-budget-after-a-marathon-"
    "overnight-session-that-ran-until-dawn-part-"
)


@dataclass(frozen=True)
class Build:
    """One build of a prepared copy of the site: its transcript and its output folder."""

    root: Path
    out: Path
    code: int
    transcript: str  # exit code and stderr, temporary paths replaced

    def page(self, slug: str) -> str:
        return (self.out / "briefs" / slug / "index.html").read_text(encoding="utf-8")


def _grow_seed(root: Path) -> None:
    """Repeat the seed's body, one numbered update after another, until it passes 5 MB."""
    seed = root / SEED
    text = seed.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + len("\n---\n")
    front, body = text[:end], text[end:]
    parts = [body]
    size = len(body.encode("utf-8"))
    n = 0
    while size < BIG_BODY_BYTES:
        n += 1
        chunk = (
            f"\n## {21 + n // 60 % 3}:{n % 60:02d} Update {n}\n\n"
            f"District {n % 40 + 1} reported {n * 37 % 9000} votes counted; "
            f"see <https://example.com/results/{n}> and [the desk](https://x.com/desk).\n\n"
            f"- turnout {n % 70 + 20}%\n  - spoilt ballots: {n % 13}\n\n"
            f"> Statement {n}: *counting continues*.\n"
        )
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
    seed.write_text(front + "".join(parts), encoding="utf-8")


def _prepare(dest: Path, leave_out: Iterable[str] = ()) -> Path:
    root = dest / "site"
    shutil.copytree(SITE, root)
    for rel in leave_out:
        path = root / rel
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    _grow_seed(root)
    return root


# Each build of the 5 MB site takes seconds and the tests only read it: each is made once.
def _build(factory: pytest.TempPathFactory, name: str, leave_out: Iterable[str]) -> Build:
    dest = factory.mktemp(name)
    root = _prepare(dest, leave_out)
    out = dest / "public"
    result = run_cli("build", "--source", root, "--output", out)
    assert "Traceback" not in result.out + result.err
    transcript = f"exit: {result.code}\n{result.err}"
    for path, placeholder in ((out, "<out>"), (root, "<site>"), (dest, "<tmp>")):
        transcript = transcript.replace(str(path), placeholder)
    return Build(root, out, result.code, transcript)


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Build:
    return _build(tmp_path_factory, "whole", ())


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Build:
    return _build(tmp_path_factory, "good", (f"{BRIEFS}/broken",))


@pytest.fixture
def rendered(good) -> Build:
    """The good site, which builds: the tests that read its pages."""
    assert good.code == 0, good.transcript
    return good


def _compare_golden(transcript: str, golden: Path) -> None:
    assert "Traceback" not in transcript
    if UPDATE:
        golden.write_text(transcript, encoding="utf-8")
    assert transcript == golden.read_text(encoding="utf-8")


# --- the whole site, broken posts included -------------------------------------------------


def test_whole_site_diagnostics_match_golden(whole) -> None:
    assert whole.code == 1
    _compare_golden(whole.transcript, GOLDEN_WHOLE)


def test_every_broken_post_is_reported(whole) -> None:
    broken = sorted(p.name for p in (SITE / BRIEFS / "broken").glob("*.md"))
    errors = [line for line in whole.transcript.splitlines() if ": error: " in line]
    for name in broken:
        assert any(line.startswith(f"{BRIEFS}/broken/{name}:") for line in errors), name


# --- the good site: everything but broken/ -------------------------------------------------


def test_good_site_diagnostics_match_golden(good) -> None:
    _compare_golden(good.transcript, GOLDEN_GOOD)


def test_good_site_builds_without_errors(good) -> None:
    assert good.code == 0, good.transcript
    assert "\n0 errors, " in good.transcript


def test_handle_links_stay_links(good) -> None:
    build = good
    page = build.page("stream-library-maintainer-steps-back")
    assert '<a href="https://github.com/rvagg">@rvagg</a>' in page
    assert '<a href="https://x.com/SheinbaumC">@SheinbaumC</a>' in build.page(
        "morning-press-conference-recap"
    )
    refs = build.page("reference-style-handle-links")
    assert '<a href="https://github.com/mkessler">@mkessler</a>' in refs
    assert '<a href="https://github.com/octocat">@octocat</a>' in build.page(
        "shortcut-reference-handle"
    )


def test_long_titles_sharing_a_prefix_get_distinct_pages(good) -> None:
    build = good
    pages = sorted((build.out / "briefs").glob("city-council-approves-*/index.html"))
    titles = {re.search(r"<h1>(.*?)</h1>", p.read_text(encoding="utf-8")).group(1) for p in pages}
    assert len(pages) == 3
    assert len(titles) == 3


def test_missing_topic_file_is_reported_once(good) -> None:
    assert good.transcript.count("topic 'imported' has no file") == 1


def test_root_relative_links_to_missing_pages_are_reported(good) -> None:
    assert "/blog/release/v4.2.0/" in good.transcript
    assert "/about/" in good.transcript


# --- the rendered site: good posts that build today ----------------------------------------


def test_script_in_body_is_escaped(rendered: Build) -> None:
    page = rendered.page("script-tag-in-body")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for build_page in rendered.out.rglob("*.html"):
        text = build_page.read_text(encoding="utf-8")
        assert "<script>alert(" not in text, build_page
        assert not re.search(r"<[a-z][^>]*\sonerror=", text), build_page
        assert 'href="javascript:' not in text, build_page


def test_script_in_title_and_summary_is_escaped(rendered: Build) -> None:
    page = rendered.page("script-tag-in-title")
    assert (
        "<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Weekly security notes</h1>" in page
    )
    assert "<b>Bold</b>" not in page


def test_liquid_is_shown_as_written(rendered: Build) -> None:
    page = rendered.page("jekyll-liquid-tags")
    for text in (
        "{% include foo.html %}",
        "{{ page.url | url }}",
        "{{ site.title }}",
        "{% raw %}",
        "{{ not.evaluated }}",
        "{% endraw %}",
    ):
        assert text in page
    title = rendered.page("template-syntax-in-title")
    assert "<h1>{{ config.title }} and {% include header.html %} in a title</h1>" in title


def test_hugo_shortcodes_are_shown_as_written(rendered: Build) -> None:
    page = rendered.page("hugo-shortcodes")
    # The escape {{</* … */>}} is drawn as the shortcode it shows, quotes left straight.
    assert "{{&lt; figure src=&quot;x&quot; title=&quot;A chart&quot; &gt;}}" in page
    assert "<p>{{&lt; youtube dQw4w9WgXcQ &gt;}}</p>" in page
    # In code, everything stays as typed.
    assert "<code>{{&lt;/* figure src=&quot;y&quot; */&gt;}}</code>" in page
    assert "<code>{{&lt; youtube x &gt;}}</code>" in page
    assert "{{&lt; video &quot;https://example.com/v.mp4&quot; &gt;}}\n</code></pre>" in page


def test_hugo_shortcodes_in_a_paragraph_are_errors(whole: Build) -> None:
    name = f"{BRIEFS}/broken/hugo-shortcodes-in-a-paragraph.md"
    lines = [line for line in whole.transcript.splitlines() if line.startswith(name)]
    assert [line.split(": error: ")[0].removeprefix(name) for line in lines] == [
        ":8:11",
        ":10:1",
        ":12:1",
        ":14:9",
        ":14:55",
    ]
    assert "not inside a paragraph" in lines[0] and "closes no shortcode" in lines[4]
    assert "write {{< note >}}" in lines[1] and "close with {{< /note >}}" in lines[2]


def test_titles_of_bom_crlf_and_tab_posts(rendered: Build) -> None:
    for slug, title in (
        ("byte-order-mark", "Exported with a byte order mark"),
        ("crlf-line-endings", "Written on Windows with CRLF line ends"),
        ("tabs-in-front-matter", "Tabs between keys and values"),
        ("bom-and-crlf", "Notepad export: BOM and CRLF together"),
    ):
        page = rendered.page(slug)
        assert f"<h1>{title}</h1>" in page
        assert "\ufeff" not in page and "\r" not in page


def test_non_latin_and_entity_titles(rendered: Build) -> None:
    for slug, title in (
        ("arabic-title", "تقرير: ارتفاع أسعار القهوة في الأسواق المحلية"),
        ("metro-line-opens", "城市地铁新线路今日开通"),
        ("cyrillic-title", "Новая библиотека открылась в центре города"),
        ("devanagari-title", "मानसून की पहली बारिश से शहर में राहत"),
        ("emoji-title", "🚀 Launch day 🎉 for the city&#39;s transit app 🚇"),
    ):
        assert f"<h1>{title}</h1>" in rendered.page(slug), slug
    # Entities in front matter are text: shown as typed, never decoded into markup.
    page = rendered.page("entities-in-title")
    assert "<h1>Q&amp;amp;A: why the &amp;lt;b&amp;gt; tag is back" in page


def test_email_addresses_are_intact(rendered: Build) -> None:
    page = rendered.page("contact-the-desk")
    assert "write to desk@example.org, or" in page
    assert '<a href="mailto:desk@example.org">desk@example.org</a>' in page
    assert "night.editor+tips@example.co.uk" in page
    assert "Meet us @ the front entrance" in page


def test_citations_beside_lookalikes(rendered: Build) -> None:
    page = rendered.page("things-that-look-like-citations")
    assert page.count('<sup class="cite">') == 1
    assert "[@ nature]" in page and "[see @nature]" in page and "[@nature]" in page


def test_handle_equal_to_a_source_id_stays_a_link(rendered: Build) -> None:
    page = rendered.page("handle-that-is-also-a-source-id")
    assert '<a href="https://x.com/bbc">@bbc</a>' in page
    assert "(https://x.com/bbc)" not in page


def test_images_present_are_emitted(rendered: Build) -> None:
    page = rendered.page("images-present")
    # published at their own 8 px (never enlarged), in WebP and AVIF beside PNG
    assert 'src="/rw/media/static/images/chart-png-8w.png"' in page
    assert 'src="/rw/media/briefs/img/map-png-8w.png"' in page
    assert 'width="8" height="8"' in page
    assert (rendered.out / "static/images/chart.png").is_file()  # a static file stays one
    for name in ("map-png-8w.png", "map-png-8w.webp"):
        assert (rendered.out / "media/briefs/img" / name).is_file()


def test_relative_links_between_briefs_resolve(rendered: Build) -> None:
    page = rendered.page("relative-links-between-briefs")
    assert 'href="/rw/briefs/year-folder-post/#background"' in page
    assert 'href="/rw/briefs/year-folder-post/"' in page
    assert 'href="/rw/topics/web/"' in page
    assert 'href="../2024/old-post/"' in page


def test_big_structures_render(rendered: Build) -> None:
    table = rendered.page("wide-ridership-table")
    header = re.search(r"<thead>.*?</thead>", table, re.S).group(0)
    assert header.count("<th>") == 24
    notes = rendered.page("heavily-footnoted-survey")
    assert notes.count('class="footnote-item"') == 37
    code = rendered.page("code-samples")
    assert 'class="language-python"' in code and 'class="language-yaml"' in code
    long_line = rendered.page("very-long-line")
    assert "gauge 0600 read" in long_line


def test_deep_nested_list_keeps_every_level(rendered: Build) -> None:
    outline = rendered.page("deep-nested-outline")
    for level, word in ((9, "Tender round two"), (10, "Bidder questions")):
        assert f"{word} (level {level})" in outline
    assert "Deadline extension (level 11)" in outline


def test_duplicate_headings_get_distinct_ids(rendered: Build) -> None:
    page = rendered.page("duplicate-headings")
    body = page[page.index("Live updates with repeated headings</h1>") :]
    ids = [i for i in re.findall(r'<h2 id="([^"]+)"', body) if not i.endswith("-heading")]
    # "## Update 1" cannot have "update-1", which the second "## Update" already took.
    expected = ["update", "update-1", "update-2", "update-1-1", "section", "script-alert-h-script"]
    assert ids == [*expected, "update-3"]


def test_five_megabyte_post_renders(rendered: Build) -> None:
    assert BIG_BODY_BYTES < (rendered.root / SEED).stat().st_size <= MAX_FILE_BYTES
    page = rendered.page("liveblog")
    assert len(page.encode("utf-8")) > BIG_BODY_BYTES
    assert page.rstrip().endswith("</html>")
