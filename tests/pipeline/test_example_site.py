"""The example site at the repository root: its pages, its links under a subpath, determinism."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import EXAMPLE_BASE, REPO

BASE = EXAMPLE_BASE
BASE_PATH = "/briefings/"


@pytest.fixture(scope="module")
def built(example_build: Path) -> Path:
    return example_build


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((name, value))
            if name == "id" and value:
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _page_url(out: Path, file: Path) -> str:
    rel = file.relative_to(out).as_posix()
    return BASE_PATH + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _file_for(out: Path, url_path: str) -> Path:
    assert url_path.startswith(BASE_PATH), f"{url_path} is outside the base path"
    rel = unquote(url_path[len(BASE_PATH) :])
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return out / rel


def test_every_page_exists(built: Path) -> None:
    briefs = sorted(
        p for p in (REPO / "content/briefs").rglob("*.md") if not p.name.endswith(".es.md")
    )
    spanish = sorted((REPO / "content/briefs").rglob("*.es.md"))
    topics = sorted(p.stem for p in (REPO / "content/topics").glob("*.md") if "." not in p.stem)
    pages = {p.relative_to(built).as_posix() for p in built.rglob("*.html")}
    assert len(briefs) >= 10 and len(topics) >= 7 and len(spanish) >= 6
    brief_pages = {p for p in pages if p.startswith("briefs/")}
    assert len(brief_pages) == len(briefs)
    assert len({p for p in pages if p.startswith("es/briefs/")}) == len(spanish)
    for slug in topics:
        assert f"topics/{slug}/index.html" in pages
        assert f"es/topics/{slug}/index.html" in pages
    for page in ("index.html", "topics/index.html", "archive/index.html", "404.html"):
        assert page in pages
        assert "es/" + page in pages
    assert (built / "static/css/style.css").is_file()


def test_every_internal_link_resolves_under_the_subpath(built: Path) -> None:
    """Crawl every href and src of every page; internal ones must name a file, and any
    fragment must name an id on the target page."""
    parsed = {file: _parse(file) for file in sorted(built.rglob("*.html"))}
    checked = 0
    problems = []
    for file, page in parsed.items():
        base = _page_url(built, file)
        for attr, value in page.links:
            parts = urlsplit(value)
            if parts.scheme in ("mailto", "data") or (
                parts.netloc and parts.netloc != "example.org"
            ):
                continue
            path = (
                parts.path
                if parts.netloc or parts.path.startswith("/")
                else (
                    posixpath.join(posixpath.dirname(base) + "/", parts.path)
                    if parts.path
                    else base
                )
            )
            target = _file_for(
                built, posixpath.normpath(path) + ("/" if path.endswith("/") else "")
            )
            checked += 1
            if not target.is_file():
                problems.append(
                    f"{file.relative_to(built)}: {attr}={value} → missing {target.relative_to(built)}"
                )
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{file.relative_to(built)}: {value} → no id #{parts.fragment}")
    assert not problems, "\n".join(problems)
    assert checked > 300  # the crawl really looked at links


def test_links_between_briefs_point_at_pages(built: Path) -> None:
    html = (built / "briefs/border-apprehensions-fall-to-229/index.html").read_text()
    assert 'href="/briefings/briefs/northern-command-reinforces-border/"' in html
    assert '.md"' not in html


def test_canonical_urls_are_absolute(built: Path) -> None:
    html = (built / "topics/cartels/index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/briefings/topics/cartels/">' in html


def test_two_builds_are_byte_identical(built: Path, example_source: Path, tmp_path: Path) -> None:
    from briefgen.cli.main import main

    again = tmp_path / "again"
    args = ["build", "--quiet", "--source", example_source, "--output", again, "--base-url", BASE]
    assert main([str(a) for a in args]) == 0
    first = {
        p.relative_to(built).as_posix(): p.read_bytes() for p in built.rglob("*") if p.is_file()
    }
    second = {
        p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()
    }
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_example_site_is_clean_under_strict_with_the_translation_desks_notes(cli) -> None:
    """The example shows the translation notes on purpose: one Spanish brief is behind its
    original, and Spanish briefs link to briefs that exist in English only. Notes never fail
    a check, so the example stays clean under --strict."""
    result = cli("check", "--strict", "--source", REPO, "--translations")
    assert result.code == 0, result.err
    lines = result.err.strip().splitlines()
    notes = [line for line in lines if ": note: " in line]
    assert len(notes) == len(lines) - 1 and lines[-1] == f"0 errors, {len(notes)} notes"
    assert sum("translation may be out of date" in n for n in notes) == 1
    assert all("which has no Español translation" in n for n in notes if "out of date" not in n)
    assert "es (Español): 8 of 14 briefs in English translated, 6 missing, 1 behind" in result.out


def test_every_page_names_its_editions_both_ways(built: Path) -> None:
    """hreflang on every page of both languages: each page names itself among its editions,
    every edition it names names it back, x-default is the English one, and the switcher
    leads to the same page in the other language or to that language's home page."""
    import re

    alternates: dict[str, dict[str, str]] = {}
    switches: dict[str, dict[str, str]] = {}
    for path in sorted(built.rglob("*.html")):
        rel = path.relative_to(built).as_posix()
        html = path.read_text(encoding="utf-8")
        alternates[rel] = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
        )
        nav = html[html.index('<nav class="languages"') :]
        nav = nav[: nav.index("</nav>")]
        switches[rel] = {
            code: href for href, code in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav)
        }
    linked = 0
    for rel, alts in alternates.items():
        here = BASE + rel.removesuffix("index.html")
        assert set(switches[rel]) == {"en", "es"}, rel
        if not alts:  # a page in one language only: the switcher leads to the other's home
            other = "es" if not rel.startswith("es/") else "en"
            assert switches[rel][other] == BASE_PATH + ("es/" if other == "es" else ""), rel
            continue
        assert alts[rel.startswith("es/") and "es" or "en"] == here, rel
        assert alts["x-default"] == alts["en"] and set(alts) == {"en", "es", "x-default"}
        for code in ("en", "es"):
            other = alts[code][len(BASE) :]
            other += "index.html" if other == "" or other.endswith("/") else ""
            assert (
                alternates[other].get(code) == alts[code]
                and alternates[other]["es" if code == "en" else "en"]
                == alts["es" if code == "en" else "en"]
            ), (rel, code)
            assert switches[rel][code] == BASE_PATH + alts[code][len(BASE) :], rel
            linked += 1
    spanish = [r for r in alternates if r.startswith("es/briefs/")]
    assert len(spanish) >= 6 and all(alternates[r] for r in spanish)
    assert not alternates["briefs/guillot-tells-senate-cartels-threaten-security/index.html"]
    assert linked > 100
