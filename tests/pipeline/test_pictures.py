"""Pictures on a site nobody here drew: a camera's JPEG turned on its side with its GPS
position in EXIF, a PNG in a body, an SVG, a remote picture. Every picture of the output has
its size and alt text, every width exists in every format, no published file carries
metadata, two builds give the same bytes, a rebuild encodes nothing, and the desk's checks
catch each mistake."""

from __future__ import annotations

import errno
import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from briefgen.pictures.variants import writable
from briefgen.pipeline.build import build

from conftest import SITE_YAML, brief, picture, read_tree, topic, write_site

GPS_IFD, ORIENTATION = 0x8825, 0x0112
LEAD = """image:
  src: img/road.jpg
  alt: "A desert road beside the border fence at dusk"
  caption: "The patrol road."
  credit: "Field desk"
  license: "CC BY 4.0"
  focal: [40, 60]
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><rect width="300" height="150"/></svg>'


def camera_jpeg() -> bytes:
    """A 1800×1200 picture stored on its side (orientation 6), with a camera's EXIF and the
    place it was taken."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "Example Optics"
    exif[0x013B] = "A photographer"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (31.0, 19.0, 48.0), 3: "W", 4: (110.0, 56.0, 24.0)})
    upright = Image.open(io.BytesIO(picture(1800, 1200, "JPEG", seed=300)))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back
    out = io.BytesIO()
    stored.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


FILES = {
    "content/topics/cartels.md": topic(),
    "content/briefs/lead.md": brief(
        title="Lead",
        extra=LEAD,
        body="A chart:\n\n![Bars of the counts](img/chart.png)\n\n"
        "![A drawing](img/plan.svg)\n\n![Remote](https://example.org/x.png)\n",
    ),
    "content/briefs/plain.md": brief(title="Plain", date="2025-02-05"),
    "content/briefs/img/road.jpg": camera_jpeg(),
    "content/briefs/img/chart.png": picture(1000, 600, seed=7),
    "content/briefs/img/plan.svg": SVG,
}


class Images(HTMLParser):
    """Every <img> and <source> of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict[str, str | None]] = []
        self.sources: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.imgs.append(dict(attrs))
        elif tag == "source":
            self.sources.append(dict(attrs))


def _images(html: str) -> Images:
    parser = Images()
    parser.feed(html)
    return parser


@pytest.fixture
def site(make_site) -> Path:
    return make_site(FILES)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of FILES built once (its pictures encoded once) for the tests that only
    read its output; a test that builds again or edits takes ``site``, a copy of its own."""
    root = write_site(tmp_path_factory.mktemp("pictures") / "site", FILES)
    build(root)
    return root


def test_every_picture_has_its_size_and_alt_and_every_width_in_every_format(built) -> None:
    out = built / "public"
    page = (out / "briefs/lead/index.html").read_text()
    found = _images(page)
    local = [i for i in found.imgs if not str(i["src"]).startswith("https:")]
    assert len(local) == 3  # the lead picture, the chart, the drawing
    for img in local:
        assert img["width"] and img["height"] and img["alt"], img
    lead = local[0]
    assert (lead["width"], lead["height"]) == ("800", "533")  # turned upright: wider than tall
    assert lead["fetchpriority"] == "high" and "loading" not in lead
    assert all(i["loading"] == "lazy" for i in local[1:])
    assert lead["style"] == "object-position: 40% 60%"
    formats = ["webp", *(["avif"] if "avif" in writable(("avif",)) else [])]
    for stem, fallback, widths in (
        ("road-jpg", "jpg", (480, 800, 1200, 1600)),
        ("chart-png", "png", (480, 800, 1000)),
    ):
        for width in widths:
            for ext in (fallback, *formats):
                assert (out / f"media/briefs/img/{stem}-{width}w.{ext}").is_file()
        assert not (out / f"media/briefs/img/{stem}-1600w.{fallback}").exists() or width == 1600
    assert "Image: Field desk" in page and "(CC BY 4.0)" in page
    assert (out / "media/briefs/img/plan.svg").read_text() == SVG  # a drawing as it is
    for srcset in [s["srcset"] for s in found.sources]:
        assert re.fullmatch(
            r"(/briefings/media/\S+ \d+w)(, /briefings/media/\S+ \d+w)*", str(srcset)
        )


def test_no_published_picture_carries_metadata(built) -> None:
    published = [
        p
        for p in (built / "public/media").rglob("*")
        if p.suffix in (".jpg", ".png", ".webp", ".avif")
    ]
    assert len(published) > 20
    for path in published:
        with Image.open(path) as image:
            exif = image.getexif()
            assert len(exif) == 0, (path, dict(exif))
            assert not exif.get_ifd(GPS_IFD), path
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "photoshop"} & set(image.info), path
    road = built / "public/media/briefs/img/road-jpg-1600w.jpg"
    with Image.open(road) as image:
        assert image.size == (1600, 1067)
    assert b"Example Optics" not in road.read_bytes()
    assert not any(b"A photographer" in p.read_bytes() for p in published)


def test_two_builds_give_the_same_bytes_and_a_rebuild_encodes_nothing(site, tmp_path) -> None:
    first = build(site, cache=False)
    assert first.stats["pictures_encoded"] > 20
    a = read_tree(site / "public")
    second = build(site)  # with the cache this time: encoded and kept
    assert read_tree(site / "public") == a
    assert second.stats["pictures_reused"] == 0
    brief_file = site / "content/briefs/plain.md"
    brief_file.write_text(brief_file.read_text() + "\nOne more line.\n")
    third = build(site)
    assert third.stats["pictures_encoded"] == 0
    assert third.stats["pictures_reused"] == second.stats["pictures_encoded"]
    assert {k: v for k, v in read_tree(site / "public").items() if "/media/" in f"/{k}"} == {
        k: v for k, v in a.items() if "/media/" in f"/{k}"
    }


def test_a_brief_without_a_picture_shares_its_card(built) -> None:
    page = (built / "public/briefs/plain/index.html").read_text()
    assert 'og:image" content="https://example.org/briefings/media/cards/briefs/plain.png"' in page
    with Image.open(built / "public/media/cards/briefs/plain.png") as card:
        assert card.size == (1200, 630)
    lead = (built / "public/briefs/lead/index.html").read_text()
    assert (
        'og:image" content="https://example.org/briefings/media/briefs/img/road-jpg-1600w.jpg"'
        in lead
    )
    assert '"creditText":"Fielddesk"' in re.sub(r"\s+", "", lead)
    assert not (built / "public/media/cards/briefs/lead.png").exists()


def test_social_cards_can_be_turned_off(make_site) -> None:
    root = make_site(
        {k: v for k, v in FILES.items() if "lead" not in k and "img/" not in k},
        SITE_YAML + "social_cards: false\n",
    )
    build(root)
    assert not (root / "public/media/cards").exists()
    assert "og:image" not in (root / "public/briefs/plain/index.html").read_text()


def test_the_feeds_carry_the_lead_picture(built) -> None:
    atom = (built / "public/feed.xml").read_text()
    assert (
        'rel="enclosure" type="image/jpeg" href="https://example.org/briefings/media/briefs/img/road-jpg-1600w.jpg"'
        in atom
    )
    json_feed = (built / "public/feed.json").read_text()
    assert (
        '"image":"https://example.org/briefings/media/briefs/img/road-jpg-1600w.jpg"'
        in json_feed.replace(" ", "")
    )
    assert (
        'srcset="https://example.org/briefings/media/briefs/img/road-jpg-480w.avif 480w, https://'
        in atom
    )


MISTAKES = {
    "content/topics/cartels.md": topic(),
    "content/briefs/no-alt.md": brief(
        title="No alt", extra="image:\n  src: img/a.png\n  credit: Desk\n"
    ),
    "content/briefs/no-credit.md": brief(
        title="No credit", extra="image:\n  src: img/a.png\n  alt: A chart\n"
    ),
    "content/briefs/named.md": brief(
        title="Named",
        extra="image:\n  src: img/a.png\n  alt: a.png\n  credit: Desk\n",
        body="![small](img/small.png)\n\n![](img/a.png)\n",
    ),
    "content/briefs/img/a.png": picture(900, 500, seed=1),
    "content/briefs/img/small.png": picture(300, 200, seed=2),
    "content/briefs/img/unused.jpg": picture(700, 400, "JPEG", seed=3),
    "content/briefs/img/broken.png": b"\x89PNG\r\n\x1a\nnot really",
    "content/briefs/broken.md": brief(title="Broken", body="![A chart](img/broken.png)\n"),
}


def test_check_reports_every_picture_mistake(make_site, cli) -> None:
    root = make_site(MISTAKES, SITE_YAML + "budgets:\n  image_kb: 1\n")
    run = cli("check", "--source", root)
    err = run.err.splitlines()
    assert run.code == 1
    expected = [
        "content/briefs/no-alt.md:6:1: error: missing required field 'alt'",
        "content/briefs/no-credit.md:6:1: error: missing required field 'credit'",
        "content/briefs/named.md:7:3: warning: alt text 'a.png' is the file's name: describe what the picture shows",
        "content/briefs/named.md:12:10: warning: image 'img/small.png' has alt text 'small', its file's name: describe what the picture shows",
        "content/briefs/named.md:14:5: warning: image 'img/a.png' has no alt text: describe what it shows, ![like this](img/map.png)",
        "content/briefs/img/small.png: warning: is 300 px wide, narrower than the 592 px column it is shown in: it will look blurred",
        "content/briefs/img/unused.jpg: warning: is never used: no brief, topic or entity file shows it (delete it, or link it)",
    ]
    for line in expected:
        assert line in err, "\n".join(err)
    assert any(
        line.startswith(
            "content/briefs/broken.md:8:12: error: image 'img/broken.png' cannot be read"
        )
        for line in err
    )
    assert any(
        line.startswith("content/briefs/img/a.png: warning: is published at")
        and "over budgets.image_kb (1 KB)" in line
        for line in err
    )
    assert not any("broken.png: warning" in line for line in err)  # asked for: not unused
    assert not (root / "public").exists()


@pytest.mark.parametrize("errno_", [errno.ENOSPC, errno.EROFS], ids=["full", "read-only"])
def test_a_cache_that_cannot_keep_pictures_fails_in_one_line_and_keeps_the_site(
    site, cli, monkeypatch, errno_
) -> None:
    assert cli("build", "-q", "--no-cache", "--source", site).code == 0
    before = read_tree(site / "public")
    real = Path.write_bytes

    def refuse(self: Path, data: bytes) -> int:
        if ".briefgen-cache" in self.parts and "media" in self.parts:
            raise OSError(errno_, os.strerror(errno_), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    run = cli("build", "--source", site)
    monkeypatch.undo()
    assert run.code == 1
    problems = [line for line in run.err.splitlines() if ": error: " in line or "error:" in line]
    assert len(problems) == 1 and os.strerror(errno_) in problems[0], run.err
    assert "Traceback" not in run.err
    assert read_tree(site / "public") == before
    assert cli("build", "-q", "--source", site).code == 0  # and the next build is whole
    assert read_tree(site / "public") == before


def test_the_quick_page_of_a_brief_with_a_picture_is_what_the_build_makes(site) -> None:
    """``serve`` shows a saved brief before its build: with its lead picture too."""
    preview = build(site).preview
    rel = "content/briefs/lead.md"
    path = site / rel
    path.write_text(path.read_text().replace("A chart:", "A new chart:"))
    quick = preview.page(rel)
    assert quick is not None
    file, data = quick
    assert 'class="lead-image"' in data.decode() and "A new chart:" in data.decode()
    build(site)
    assert (site / "public" / file).read_bytes() == data


def test_encoded_pictures_outlive_an_upgrade_of_briefgen(site, monkeypatch) -> None:
    """Another version of briefgen starts its other records afresh, but its pictures' keys
    name the encoder and Pillow: a thousand photographs are not encoded again."""
    first = build(site)
    assert first.stats["pictures_encoded"] > 20
    from briefgen.pipeline import cache

    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version")
    again = build(site)
    assert again.stats["pictures_encoded"] == 0
    assert again.stats["pictures_reused"] == first.stats["pictures_encoded"]


ODD_SIZES = ((1536, 2048), (1001, 667), (333, 500))


class Sizes(HTMLParser):
    """Every size a page writes down: (address, width, height) of each <img>, each
    ``srcset`` entry (width only), ``og:image`` and the JSON-LD image."""

    def __init__(self) -> None:
        super().__init__()
        self.sized: list[tuple[str, int, int]] = []
        self.srcset: list[tuple[str, int]] = []
        self.meta: dict[str, str] = {}
        self._json: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.sized.append((a["src"], int(a["width"]), int(a["height"])))
        if tag in ("img", "source") and a.get("srcset"):
            for entry in a["srcset"].split(", "):
                url, width = entry.split()
                self.srcset.append((url, int(width.removesuffix("w"))))
        if tag == "meta" and a.get("property", "").startswith("og:image"):
            self.meta[a["property"]] = a["content"]
        if tag == "script" and a.get("type") == "application/ld+json":
            self._json = []

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            import json

            image = json.loads("".join(self._json)).get("image")
            if image:
                self.sized.append((image["url"], image["width"], image["height"]))
            self._json = None


def test_every_size_written_is_the_size_of_the_file_it_names(make_site) -> None:
    """Odd sizes round differently at each width: a height scaled back up from the page's
    width was one pixel off (1536×2048 announced as 1536×2049)."""
    files: dict[str, str | bytes] = {"content/topics/cartels.md": topic()}
    for n, (width, height) in enumerate(ODD_SIZES):
        lead = LEAD.replace("img/road.jpg", f"img/odd{n}.jpg").replace("  focal: [40, 60]\n", "")
        body = f"![Odd picture {n}](img/body{n}.png)\n"
        files[f"content/briefs/odd{n}.md"] = brief(
            title=f"Odd {n}", date=f"2025-02-0{n + 1}", extra=lead, body=body
        )
        files[f"content/briefs/img/odd{n}.jpg"] = picture(width, height, "JPEG", seed=n)
        files[f"content/briefs/img/body{n}.png"] = picture(height, width, seed=n + 9)
    files["content/briefs/plain.md"] = brief(title="Plain", date="2025-02-09")
    site = make_site(files)
    build(site)
    out = site / "public"

    def real_size(url: str) -> tuple[int, int]:
        path = url.split("://", 1)[-1].split("/briefings/", 1)[1]
        with Image.open(out / path) as image:
            return image.size

    checked = 0
    for page in (
        "index.html",
        "topics/cartels/index.html",
        *(f"briefs/odd{n}/index.html" for n in range(3)),
        "briefs/plain/index.html",
    ):
        sizes = Sizes()
        sizes.feed((out / page).read_text())
        for url, width, height in sizes.sized:
            assert real_size(url) == (width, height), (page, url)
        for url, width in sizes.srcset:
            assert real_size(url)[0] == width, (page, url)
        if sizes.meta:
            og = sizes.meta
            shared = (int(og["og:image:width"]), int(og["og:image:height"]))
            assert real_size(og["og:image"]) == shared, page
        checked += len(sizes.sized) + len(sizes.srcset) + bool(sizes.meta)
    assert checked > 60
    page = (out / "briefs/odd0/index.html").read_text()
    assert 'content="1536"' in page and 'content="2048"' in page
