"""The built-in shortcodes (briefgen/features/embeds/): what each draws on a small site, that
nothing of another host is requested before the reader asks (its address only in data-* and
href), each mistake's diagnostic at its line and column, the embeds settings, and a replaced
PDF rendering its brief again as a clean build would."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from briefgen.features.embeds import providers
from briefgen.model.diagnostics import BriefgenError
from briefgen.pipeline.build import build
from briefgen.plugins import ShortcodeProblem

from conftest import SITE_YAML, brief, nu_html_errors, picture
from trees import assert_same_as_clean

SOURCES = """sources:
  - id: sre
    title: SRE statement
    publisher: SRE
    url: https://www.gob.mx/sre
"""
BRIEF = "content/briefs/a.md"
PAGE = "briefs/a/index.html"
HOSTS = "embeds:\n  hosts: [datawrapper.dwcdn.net, peertube.example.org]\n"


def pdf(pages: int) -> bytes:
    """A PDF of ``pages`` blank pages, as pypdf writes it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def media() -> dict[str, str | bytes]:
    """The files beside the brief that its shortcodes name."""
    folder = "content/briefs/"
    return {
        folder + "poster.png": picture(640, 360),
        folder + "clip.mp4": b"\0" * 2048,
        folder + "clip.vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\nHola.\n",
        folder + "talk.mp3": b"\0" * 512,
        folder + "report.pdf": pdf(3),
        folder + "notes.txt": "not a PDF\n",
    }


Site = Callable[..., Path]


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Site:
    """``site(body, settings="", language="en")``: a site whose one brief has ``body`` (and a
    source ``sre``), with the media files beside it."""

    def make(body: str, settings: str = "", language: str = "en") -> Path:
        yaml = SITE_YAML.replace("language: en", f"language: {language}") + HOSTS + settings
        files = {BRIEF: brief(body=body, extra=SOURCES), **media()}
        return make_site(files, site_yaml=yaml)

    return make


def built(root: Path, cli: Callable[..., object]) -> str:
    """The brief's body as built; the build must pass."""
    run = cli("build", "--quiet", "--no-cache", "--source", root, "--output", root / "out")
    assert run.code == 0, run.err
    page = (root / "out" / PAGE).read_text(encoding="utf-8")
    return page.split('<div class="body">', 1)[1].split("\n  </div>", 1)[0]


def errors(root: Path, cli: Callable[..., object]) -> list[str]:
    """The build's errors; it prints nothing but its diagnostics (pypdf's complaints about
    a file included)."""
    run = cli("build", "--quiet", "--no-cache", "--source", root, "--output", root / "out")
    assert run.code == 1, run.err
    lines = run.err.splitlines()
    assert all(re.match(r"(content/|site\.yaml)|\d+ errors?, |build failed", x) for x in lines), (
        lines
    )
    return [line for line in lines if ": error: " in line]


# --- what each one draws --------------------------------------------------------------------


def test_a_youtube_video_is_a_card_linking_to_it_with_the_player_for_later(site, cli) -> None:
    body = built(
        site(
            '{{< video https://www.youtube.com/watch?v=dQw4w9WgXcQ title="The press conference"'
            ' poster="poster.png" start=90 caption="At the palace." credit="Presidencia"'
            ' source="sre" >}}\n'
        ),
        cli,
    )
    assert '<figure class="embed embed-video">' in body
    assert (
        'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;start=90"'
        in body
    )
    assert 'data-embed-kind="frame" data-embed-title="The press conference"' in body
    assert (
        '<a class="embed-facade" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=90s">'
        in body
    )
    assert '<span class="embed-action">Play video</span>' in body
    assert "YouTube, opens youtube-nocookie.com" in body
    assert re.search(r'<picture>.*alt="".*</picture>', body)  # the site's own poster
    assert '<span class="caption">At the palace.</span>' in body
    assert '<span class="credit">Credit: Presidencia</span>' in body
    assert 'href="#source-1"' in body


def test_a_video_file_of_the_site_plays_in_a_video_element_with_captions(site, cli) -> None:
    body = built(
        site(
            '{{< video clip.mp4 title="The clip" poster="poster.png" captions="clip.vtt" '
            "captions_lang=es start=5 >}}\n"
        ),
        cli,
    )
    video = re.search(r"<video [^>]*>", body).group(0)
    assert 'controls preload="none" aria-label="The clip"' in video
    assert re.search(r'poster="/briefings/media/briefs/poster-png-\d+w\.png"', video)
    assert '<source src="/briefings/media/briefs/clip.mp4#t=5" type="video/mp4">' in body
    track = '<track kind="captions" src="/briefings/media/briefs/clip.vtt" srclang="es"'
    assert f'{track} label="Spanish" default>' in body
    assert "data-embed-src" not in body


def test_in_a_feed_a_video_files_addresses_are_absolute(site, cli) -> None:
    root = site('{{< video clip.mp4 title="The clip" poster="poster.png" captions="clip.vtt" >}}\n')
    built(root, cli)
    feed = (root / "out" / "feed.xml").read_text(encoding="utf-8")
    for name in ("poster", "src"):
        assert f'{name}="https://example.org/briefings/media/briefs/' in feed, name
    assert '="/briefings/' not in feed


def test_sounds_documents_frames_posts_figures_and_quotes(site, cli) -> None:
    body = built(
        site(
            '{{< audio talk.mp3 title="The interview" >}}\n\n'
            '{{< audio https://cdn.example.fm/ep1.mp3 title="Episode 1" >}}\n\n'
            '{{< document report.pdf title="The report" page=2 >}}\n\n'
            "{{< document https://www.documentcloud.org/documents/2438-sre-note "
            'title="The note" >}}\n\n'
            '{{< embed https://datawrapper.dwcdn.net/abc12/1/ title="Tariffs" height=480 >}}\n\n'
            '{{< figure poster.png alt="A gradient" caption="Light." credit="AP" >}}\n\n'
            '{{< post https://bsky.app/profile/x.bsky.social/post/3l author="Ana" '
            'handle="@x.bsky.social" date=2025-02-03 >}}\nIt *holds*.\n{{< /post >}}\n\n'
            '{{< quote by="Claudia Sheinbaum" role="President" date=2025-02 source="sre" >}}\n'
            "There is nothing illegal.\n{{< /quote >}}\n"
        ),
        cli,
    )
    assert '<audio controls preload="none" aria-label="The interview">' in body
    assert '<source src="/briefings/media/briefs/talk.mp3" type="audio/mpeg">' in body
    assert 'data-embed-src="https://cdn.example.fm/ep1.mp3" data-embed-kind="audio"' in body
    assert 'href="/briefings/media/briefs/report.pdf#page=2" type="application/pdf"' in body
    assert "PDF, Pages: 3, " in body
    documentcloud = (
        "https://embed.documentcloud.org/documents/2438-sre-note/?embed=1&amp;responsive=1"
    )
    assert f'data-embed-src="{documentcloud}"' in body
    assert 'href="https://www.documentcloud.org/documents/2438-sre-note"' in body
    assert 'data-embed-title="Tariffs" data-embed-height="480"' in body
    assert "opens datawrapper.dwcdn.net" in body
    assert re.search(r'<figure class="picture-figure">\n<picture>.*alt="A gradient"', body)
    assert '<span class="credit">Image: AP</span>' in body
    assert (
        '<span class="post-author">Ana</span> <span class="post-handle">@x.bsky.social</span>'
        in body
    )
    assert "<p>It <em>holds</em>.</p>\n</blockquote>" in body
    assert '<time datetime="2025-02-03">February 3, 2025</time>' in body
    assert ">View post on Bluesky</a>" in body
    assert '<figure class="pull-quote">\n<blockquote>\n<p>There is nothing illegal.</p>' in body
    assert '— Claudia Sheinbaum, <span class="quote-role">President</span>, ' in body
    assert '<time datetime="2025-02">February 2025</time> <sup class="cite">' in body


def test_words_and_dates_are_the_editions(site, cli) -> None:
    body = built(
        site(
            '{{< video https://youtu.be/dQw4w9WgXcQ title="Conferencia" >}}\n\n'
            '{{< post https://x.com/a/status/1 author="Ana" date=2025-02-03 >}}\nSí.\n'
            "{{< /post >}}\n",
            language="es",
        ),
        cli,
    )
    assert '<span class="embed-action">Reproducir vídeo</span>' in body
    assert "YouTube, abre youtube-nocookie.com" in body
    assert '<time datetime="2025-02-03">3 de febrero de 2025</time>' in body
    assert ">Ver publicación en X</a>" in body


# --- nothing from another host before the reader asks ----------------------------------------

EVERY_ONE = (
    '{{< video https://www.youtube.com/watch?v=dQw4w9WgXcQ title="A" poster="poster.png" >}}\n\n'
    '{{< video https://vimeo.com/76979871 title="B" >}}\n\n'
    '{{< video https://www.dailymotion.com/video/x8abc12 title="C" >}}\n\n'
    '{{< video https://peertube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv title="D" >}}\n\n'
    '{{< video clip.mp4 title="E" poster="poster.png" captions="clip.vtt" >}}\n\n'
    '{{< audio talk.mp3 title="F" >}}\n\n'
    '{{< audio https://cdn.example.fm/ep1.mp3 title="G" >}}\n\n'
    '{{< document report.pdf title="H" >}}\n\n'
    '{{< document https://www.documentcloud.org/documents/2438-sre-note title="I" >}}\n\n'
    '{{< embed https://datawrapper.dwcdn.net/abc12/1/ title="J" >}}\n\n'
    '{{< figure poster.png alt="K" link="https://example.com/k" >}}\n\n'
    '{{< post https://x.com/a/status/1 author="L" source="sre" >}}\nText.\n{{< /post >}}\n\n'
    '{{< quote by="M" url="https://example.com/m" >}}\nSaid.\n{{< /quote >}}\n'
)
# attributes whose address a browser requests as it reads the page
REQUESTED = {"src", "srcset", "poster", "data", "background"}


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in REQUESTED and value:
                self.requested += [part.split()[0] for part in value.split(",") if part.strip()]
        if tag == "link":
            self.requested += [v or "" for n, v in attrs if n == "href"]


def _foreign(address: str) -> bool:
    return bool(urlsplit(address).netloc)


def test_no_address_of_another_host_is_requested_before_a_click(site, cli) -> None:
    root = site(EVERY_ONE)
    built(root, cli)
    page = (root / "out" / PAGE).read_text(encoding="utf-8")
    found = _Addresses()
    found.feed(page)
    assert [a for a in found.requested if _foreign(a) and "example.org/briefings" not in a] == []
    assert "iframe" not in found.tags
    scripts = re.findall(r"<script[^>]*>", page)
    assert '<script src="/briefings/static/js/embeds.js" defer>' in scripts
    assert all("://" not in s or "ld+json" in s for s in scripts), scripts
    assert len(re.findall(r'data-embed-src="https://', page)) == 7


def test_every_card_and_player_is_valid_html(site, cli, tmp_path: Path) -> None:
    root = site(EVERY_ONE)
    built(root, cli)
    errors = nu_html_errors(root / "out" / "briefs")
    assert errors == [], errors


def test_links_only_leaves_every_card_a_link_and_loads_no_script(site, cli) -> None:
    root = site(EVERY_ONE, settings="  links_only: true\n")
    body = built(root, cli)
    page = (root / "out" / PAGE).read_text(encoding="utf-8")
    assert "data-embed" not in page and "embeds.js" not in page
    assert '<a class="embed-facade" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in body
    assert "YouTube, opens youtube.com" in body
    assert "<video controls" in body  # the site's own file plays as ever


def test_privacy_off_uses_the_players_own_hosts(site, cli) -> None:
    body = built(site(EVERY_ONE, settings="  privacy: false\n"), cli)
    assert 'data-embed-src="https://www.youtube.com/embed/dQw4w9WgXcQ?autoplay=1"' in body
    assert 'data-embed-src="https://player.vimeo.com/video/76979871?autoplay=1"' in body
    assert "nocookie" not in body and "dnt=1" not in body


def test_a_shortcode_in_code_stays_text(site, cli) -> None:
    body = built(
        site("```\n{{< video nope >}}\n```\n\n    {{< embed x >}}\n\nIn `{{< quote >}}` text.\n"),
        cli,
    )
    assert "<pre><code>{{&lt; video nope &gt;}}\n</code></pre>" in body
    assert "<pre><code>{{&lt; embed x &gt;}}\n</code></pre>" in body
    assert "<code>{{&lt; quote &gt;}}</code>" in body


def test_a_sites_own_template_overrides_the_themes(site, cli) -> None:
    root = site('{{< quote by="Ana" >}}\nYes.\n{{< /quote >}}\n')
    own = root / "templates" / "shortcodes" / "quote.html"
    own.parent.mkdir(parents=True)
    own.write_text('<aside class="mine">{{ body }}{{ args.by }}</aside>\n', encoding="utf-8")
    assert '<aside class="mine"><p>Yes.</p>\nAna</aside>' in built(root, cli)


# --- mistakes, each at its line and column ----------------------------------------------------

LINE = 13  # the brief's first body line: four fields, five lines of its source, two rules


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            '{{< video https://example.com/watch/1 title="x" >}}',
            "13:11",
            "shortcode 'video': not a YouTube, Vimeo, Dailymotion or PeerTube address, nor a "
            "local video file",
        ),
        (
            '{{< video https://tube.example.net/w/abc title="x" >}}',
            "13:11",
            "shortcode 'video': PeerTube host 'tube.example.net' is not in embeds.hosts of "
            "site.yaml (allowed: datawrapper.dwcdn.net, peertube.example.org)",
        ),
        (
            '{{< embed https://maps.example.com/x title="x" >}}',
            "13:11",
            "shortcode 'embed': host 'maps.example.com' is not in embeds.hosts of site.yaml "
            "(allowed: datawrapper.dwcdn.net, peertube.example.org)",
        ),
        (
            "{{< video clip.mp4 >}}",
            "13:1",
            "shortcode 'video' needs 'title' (title=\"…\"): what it is, in a few words: its "
            "accessible name",
        ),
        (
            '{{< post x.com/a/status/1 author="A" >}}\nText.\n{{< /post >}}',
            "13:10",
            "shortcode 'post': url 'x.com/a/status/1' is not an http or https address",
        ),
        (
            '{{< document notes.txt title="x" >}}',
            "13:14",
            "shortcode 'document': 'content/briefs/notes.txt' is not a PDF (.pdf)",
        ),
        (
            '{{< video lost.mp4 title="x" >}}',
            "13:11",
            "shortcode 'video': file 'lost.mp4' not found, nor an http or https address",
        ),
        (
            '{{< video clip.mp4 title="x" captions_lang="klingon" captions="clip.vtt" >}}',
            "13:30",
            "shortcode 'video': captions_lang 'klingon' is not a language tag",
        ),
        (
            '{{< document report.pdf title="x" page=9 >}}',
            "13:35",
            "shortcode 'document': page 9: 'content/briefs/report.pdf' has 3 pages",
        ),
    ],
)
def test_each_mistake_is_an_error_at_its_place(site, cli, body, where, message) -> None:
    found = errors(site(body + "\n"), cli)
    assert any(line.startswith(f"{BRIEF}:{where}: error: {message}") for line in found), found


def test_a_pdf_that_cannot_be_read_is_an_error_at_its_src(site, cli) -> None:
    root = site('Text.\n\n{{< document report.pdf title="x" >}}\n')
    (root / "content/briefs/report.pdf").write_bytes(b"%PDF-1.7\nthis is not really a PDF\n")
    found = errors(root, cli)
    want = f"{BRIEF}:{LINE + 2}:14: error: shortcode 'document': 'content/briefs/report.pdf' "
    assert any(line.startswith(want + "cannot be read as a PDF") for line in found), found


# --- the parts on their own -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "provider", "link", "load"),
    [
        (
            "https://youtu.be/dQw4w9WgXcQ?si=track",
            "YouTube",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "YouTube",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "YouTube",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://vimeo.com/76979871/0a1b2c3d",
            "Vimeo",
            "https://vimeo.com/76979871/0a1b2c3d",
            "https://player.vimeo.com/video/76979871?autoplay=1&h=0a1b2c3d&dnt=1",
        ),
        (
            "https://www.dailymotion.com/video/x8abc12_some-title",
            "Dailymotion",
            "https://www.dailymotion.com/video/x8abc12",
            "https://www.dailymotion.com/embed/video/x8abc12?autoplay=1",
        ),
        (
            "https://peertube.example.org/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "PeerTube",
            "https://peertube.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "https://peertube.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d"
            "?autoplay=1",
        ),
    ],
)
def test_video_addresses(address: str, provider: str, link: str, load: str) -> None:
    settings = {"hosts": ("peertube.example.org",), "privacy": True, "links_only": False}
    card = providers.video(address, 0, settings)
    assert (card.provider, card.link, card.load) == (provider, link, load)


def test_a_youtube_address_without_a_video_is_refused() -> None:
    with pytest.raises(ShortcodeProblem) as raised:
        providers.video("https://www.youtube.com/watch?list=x", 0, {})
    assert raised.value.arg == "src"


@pytest.mark.parametrize(
    ("address", "platform"),
    [
        ("https://twitter.com/a/status/1", "X"),
        ("https://mobile.x.com/a/status/1", "X"),
        ("https://mastodon.social/@ana/11234", "Mastodon"),
        ("https://www.threads.net/@ana/post/C1", "Threads"),
        ("https://www.tiktok.com/@ana/video/1", "TikTok"),
        ("https://news.example.org/post/1", "news.example.org"),
    ],
)
def test_a_posts_platform_is_read_from_its_address(address: str, platform: str) -> None:
    assert providers.platform(address) == platform


# --- a rebuild --------------------------------------------------------------------------------


def test_a_replaced_pdf_renders_its_brief_again(site, tmp_path: Path) -> None:
    root = site('{{< document report.pdf title="The report" >}}\n')
    build(root)
    assert "Pages: 3" in (root / "public" / PAGE).read_text(encoding="utf-8")
    (root / "content/briefs/report.pdf").write_bytes(pdf(5))
    build(root)
    tree = assert_same_as_clean(root, tmp_path / "clean")
    assert b"Pages: 5" in tree[PAGE]


QUOTE_TEMPLATE = "templates/shortcodes/quote.html"


def test_an_edited_shortcode_template_renders_its_pages_again(site, tmp_path: Path) -> None:
    """A site's own template for a built-in shortcode: added, edited, then removed; each
    rebuild equals a clean build, and only the brief that uses the shortcode changes."""
    root = site(EVERY_ONE)
    (root / "content/briefs/b.md").write_text(brief(title="Plain", body="No shortcode.\n"))
    build(root)
    plain = (root / "public/briefs/b/index.html").read_bytes()
    template = root / QUOTE_TEMPLATE
    template.parent.mkdir(parents=True)
    template.write_text('<aside class="mine">{{ body }} ({{ args.by }})</aside>\n')
    build(root)
    tree = assert_same_as_clean(root, tmp_path / "clean-added")
    assert b'<aside class="mine">' in tree[PAGE]
    template.write_text('<aside class="edited">{{ body }} ({{ args.by }})</aside>\n')
    build(root)
    tree = assert_same_as_clean(root, tmp_path / "clean-edited")
    assert b'<aside class="edited">' in tree[PAGE] and b'class="mine"' not in tree[PAGE]
    assert tree["briefs/b/index.html"] == plain
    template.unlink()
    build(root)
    tree = assert_same_as_clean(root, tmp_path / "clean-removed")
    assert b'class="pull-quote"' in tree[PAGE] and b'class="edited"' not in tree[PAGE]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "  links_only: true\n"),
        ("  links_only: true\n", ""),
        ("", "  privacy: false\n"),
        ("  privacy: false\n", ""),
    ],
    ids=["links-only-on", "links-only-off", "privacy-off", "privacy-on"],
)
def test_a_changed_embeds_setting_equals_a_clean_build(
    site, tmp_path: Path, before: str, after: str
) -> None:
    root = site(EVERY_ONE, settings=before)
    build(root)
    first = (root / "public" / PAGE).read_bytes()
    yaml = root / "site.yaml"
    yaml.write_text(yaml.read_text().replace(HOSTS + before, HOSTS + after))
    build(root)
    tree = assert_same_as_clean(root, tmp_path / "clean")
    assert tree[PAGE] != first


def test_a_host_taken_out_of_the_allowed_list_is_an_error_on_the_next_build(
    site, tmp_path: Path
) -> None:
    root = site(EVERY_ONE)
    build(root)
    kept = (root / "public" / PAGE).read_bytes()
    yaml = root / "site.yaml"
    yaml.write_text(yaml.read_text().replace("datawrapper.dwcdn.net, ", ""))
    with pytest.raises(BriefgenError) as stopped:
        build(root)
    errors = [d.format() for d in stopped.value.diagnostics.errors]
    assert any("host 'datawrapper.dwcdn.net' is not in embeds.hosts" in e for e in errors)
    assert (root / "public" / PAGE).read_bytes() == kept  # the last good site stays
