"""Every page of the example site is valid HTML, by the Nu HTML Checker (vnu.jar, from the npm
package vnu-jar, run on Java; `make test` installs both)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import REPO, copy_site, nu_html_errors


def _where(url: str, out: Path) -> str:
    path = Path(unquote(urlsplit(url).path))
    try:
        return path.relative_to(out.resolve()).as_posix()
    except ValueError:
        return url


def test_every_page_is_valid_html(example_build: Path) -> None:
    """The example site as built for https://example.org/briefings/ (conftest's example_build)."""
    out = example_build
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20, f"only {len(pages)} pages were built"

    errors = nu_html_errors(out)
    lines = [
        f"{_where(m.get('url', ''), out)}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}: "
        f"{m.get('message')}" + (f"\n    {m['extract'].strip()}" if m.get("extract") else "")
        for m in errors
    ]
    assert not errors, f"{len(errors)} HTML errors in {len(pages)} pages:\n" + "\n".join(lines)


def test_every_page_of_the_multilingual_test_sites_is_valid_html(tmp_path: Path) -> None:
    """A right-to-left edition (Arabic) and a Spanish one with a language switcher, hreflang
    links and borrowed pages: every page of both sites, in one run of the checker."""
    from briefgen.cli.main import main

    built = tmp_path / "built"
    for name in ("right-to-left", "translations"):
        source = copy_site(REPO / "tests" / "sites" / name, tmp_path / "sources" / name)
        args = ["build", "--quiet", "--source", source, "--output", built / name]
        assert main([str(a) for a in args]) == 0
    pages = sorted(built.rglob("*.html"))
    assert any("/ar/" in p.as_posix() for p in pages) and any("/es/" in p.as_posix() for p in pages)
    errors = nu_html_errors(built)
    lines = [f"{_where(m.get('url', ''), built)}: {m.get('message')}" for m in errors]
    assert not errors, f"{len(errors)} HTML errors in {len(pages)} pages:\n" + "\n".join(lines)
