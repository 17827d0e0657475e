"""``briefgen digest``: which briefs it selects, the email-safe HTML and the plain text, the
files it writes, its errors and exit codes, theme overrides, and the Nu HTML Checker."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.commands.digest import DigestError, select
from briefgen.pipeline.build import build

from conftest import REPO, brief, nu_html_errors, topic

BASE = "https://example.org/briefings/"

CORRECTED = """\
updates:
  - {date: 2025-01-25, kind: update, note: An old note.}
  - {date: 2025-02-05, kind: correction, note: 'The figure is 229, not 292.'}
"""
SITE = {
    "content/briefs/old.md": brief(title="Old news", date="2025-01-10", topics="[trade]"),
    "content/briefs/upd.md": brief(title="Revised", date="2025-01-15", extra="updated: 2025-02-03"),
    "content/briefs/log.md": brief(
        title="Corrected & <b>fixed</b>", date="2025-01-20", summary="It's 229.", extra=CORRECTED
    ),
    "content/briefs/eve.md": brief(title="Eve", date="2025-01-31", extra="updated: 2025-01-31"),
    "content/briefs/first.md": brief(title="First day", date="2025-02-01", topics="[trade]"),
    "content/briefs/late.md": brief(
        title="Latest",
        date="2025-02-10T09:30:00-06:00",
        topics="[cartels, trade]",
        extra="why_it_matters: It changes the count.",
    ),
    "content/topics/cartels.md": topic(),
    "content/topics/trade.md": topic(title="Trade", description="Tariffs."),
}


@pytest.fixture
def site(make_site) -> Path:
    return make_site(SITE)


def _digest(cli, root: Path, out: Path, *args: object):
    return cli("digest", "--source", root, "--output", out, *args)


# --- which briefs ---------------------------------------------------------------------------------


def _model(root: Path):
    result = build(root, write=False, pages=False)
    assert result.site is not None
    return result.site


def test_the_model_alone_renders_and_writes_nothing(site: Path) -> None:
    result = build(site, write=False, pages=False)
    assert result.files == {} and result.stats["briefs"] == 6
    assert not (site / "public").exists() and not (site / ".briefgen-cache").exists()
    with pytest.raises(ValueError):
        build(site, pages=False)


def test_new_and_updated_briefs_newest_first(site: Path) -> None:
    chosen = select(_model(site), dt.date(2025, 2, 1))
    assert [e.brief.slug for e in chosen.new] == ["late", "first"]  # the day itself counts
    assert [e.brief.slug for e in chosen.updated] == ["log", "upd"]  # by last change
    log = chosen.updated[0]
    assert [(u.kind, u.note) for u in log.changes] == [
        ("correction", "The figure is 229, not 292.")
    ]
    assert chosen.updated[1].changes == ()  # changed by `updated:` alone
    assert [t.slug for t in chosen.new[0].topics] == ["cartels", "trade"]
    assert chosen.summary == "2 new briefs and 2 updated briefs since 1 February 2025"


def test_topic_filter(site: Path) -> None:
    chosen = select(_model(site), dt.date(2025, 1, 1), "trade")
    assert [e.brief.slug for e in chosen.new] == ["late", "first", "old"]
    assert chosen.updated == ()
    assert chosen.summary == "3 new briefs since 1 January 2025 in Trade"


def test_unknown_topic_is_a_usage_error(site: Path, cli, tmp_path: Path) -> None:
    with pytest.raises(DigestError, match="did you mean 'trade'"):
        select(_model(site), dt.date(2025, 2, 1), "trad")
    run = _digest(cli, site, tmp_path / "d.html", "--since", "2025-02-01", "--topic", "trad")
    assert run.code == 2
    assert run.err == (
        "briefgen digest: error: unknown topic 'trad' (did you mean 'trade'?); "
        "the site's topics: cartels, trade\n"
    )
    assert not (tmp_path / "d.html").exists()


@pytest.mark.parametrize("since", ["2025-2-1", "2025-02-30", "20250201", "yesterday", ""])
def test_since_must_be_a_day(site: Path, cli, tmp_path: Path, since: str) -> None:
    run = _digest(cli, site, tmp_path / "d.html", "--since", since)
    assert run.code == 2
    assert f"argument --since: expected a day as YYYY-MM-DD, not {since!r}" in run.err


def test_since_is_required(site: Path, cli, tmp_path: Path) -> None:
    run = _digest(cli, site, tmp_path / "d.html")
    assert run.code == 2
    assert "the following arguments are required: --since" in run.err


def test_content_errors_exit_1_and_write_nothing(make_site, cli, tmp_path: Path) -> None:
    root = make_site({**SITE, "content/briefs/bad.md": "---\ntitle: No date\n---\n\nText.\n"})
    run = _digest(cli, root, tmp_path / "d.html", "--since", "2025-02-01")
    assert run.code == 1
    assert "content/briefs/bad.md:" in run.err and "error:" in run.err
    assert re.search(r"^\d+ errors?, \d+ warnings?$", run.err, re.M)
    assert run.out == ""
    assert not (tmp_path / "d.html").exists() and not (tmp_path / "d.txt").exists()


def test_a_relative_base_url_is_a_usage_error(make_site, cli, tmp_path: Path) -> None:
    root = make_site(SITE, site_yaml="title: T\nbase_url: /news/\n")
    run = _digest(cli, root, tmp_path / "d.html", "--since", "2025-02-01")
    assert run.code == 2
    assert "a digest needs absolute links, but base_url is '/news/'" in run.err
    run = _digest(cli, root, tmp_path / "d.html", "--since", "2025-02-01", "--base-url", BASE)
    assert run.code == 0
    assert f'href="{BASE}briefs/late/"' in (tmp_path / "d.html").read_text()


def test_drafts_only_with_drafts(make_site, cli, tmp_path: Path) -> None:
    root = make_site({**SITE, "content/briefs/d.md": brief(title="Half done", extra="draft: true")})
    assert _digest(cli, root, tmp_path / "a.html", "--since", "2025-02-01").code == 0
    assert "Half done" not in (tmp_path / "a.txt").read_text()
    assert _digest(cli, root, tmp_path / "b.html", "--since", "2025-02-01", "--drafts").code == 0
    assert "Half done\n" in (tmp_path / "b.txt").read_text()
    assert "Draft" in (tmp_path / "b.html").read_text()


# --- the files --------------------------------------------------------------------------------


def test_summary_line_and_quiet(site: Path, cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("digest", "--source", site, "--since", "2025-02-01")
    assert run.code == 0, run.err
    assert run.out == (
        "wrote digest.html and digest.txt: 2 new, 2 updated briefs since 1 February 2025\n"
    )
    assert (tmp_path / "digest.html").is_file() and (tmp_path / "digest.txt").is_file()
    run = cli("digest", "--source", site, "--since", "2025-02-01", "--topic", "cartels", "-q")
    assert (run.code, run.out) == (0, "")  # problems, if any, still go to stderr


def test_text_goes_beside_the_html(site: Path, cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("digest", "--source", site, "--since", "2025-02-01", "--output", "x/y/mail.html")
    assert run.code == 0, run.err
    assert run.out.startswith("wrote x/y/mail.html and x/y/mail.txt: ")
    assert sorted(p.name for p in (tmp_path / "x/y").iterdir()) == ["mail.html", "mail.txt"]


@pytest.mark.parametrize("output", ["digest.txt", "."])
def test_output_must_name_the_html_file(site: Path, cli, tmp_path: Path, output: str) -> None:
    run = _digest(cli, site, tmp_path / output, "--since", "2025-02-01")
    assert run.code == 2
    assert "must name the HTML file" in run.err


def test_same_input_same_bytes(site: Path, cli, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert _digest(cli, site, tmp_path / f"{name}.html", "--since", "2025-02-01").code == 0
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()


def test_nothing_new_still_writes_a_digest(site: Path, cli, tmp_path: Path) -> None:
    run = _digest(cli, site, tmp_path / "d.html", "--since", "2030-01-01")
    assert run.code == 0
    assert "0 new, 0 updated briefs since 1 January 2030" in run.out
    page, text = (tmp_path / "d.html").read_text(), (tmp_path / "d.txt").read_text()
    assert "Nothing new has been published since 1 January 2030." in page
    assert "Nothing new has been published since 1 January 2030." in text
    assert "<h2" not in page and "NEW BRIEFS" not in text


# --- the HTML ---------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _check_email_safe(page: str) -> list[tuple[str, dict[str, str | None]]]:
    assert "<script" not in page.lower() and "<style" not in page.lower()
    assert "javascript:" not in page.lower()
    parser = _Links()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "style", "link", "iframe", "form"), tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src"):
            if name in attrs:
                assert re.match(r"(https://|mailto:)", attrs[name] or ""), (tag, attrs)
        if tag == "table":
            assert attrs.get("role") == "presentation"
    return parser.tags


def test_html_is_email_safe(site: Path, cli, tmp_path: Path) -> None:
    assert _digest(cli, site, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    page = (tmp_path / "d.html").read_text()
    tags = _check_email_safe(page)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    hrefs = [a["href"] for t, a in tags if t == "a"]
    assert hrefs[0] == BASE  # the site title leads home
    assert f"{BASE}briefs/late/" in hrefs and f"{BASE}topics/trade/" in hrefs
    assert hrefs[-1] == f"{BASE}feed.xml"
    assert '<div style="display:none;max-height:0;overflow:hidden;">2 new briefs' in page


def test_html_shows_why_it_matters_else_the_summary(site: Path, cli, tmp_path: Path) -> None:
    assert _digest(cli, site, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    page = (tmp_path / "d.html").read_text()
    assert "<strong>Why it matters:</strong> It changes the count.</p>" in page
    assert ">It&#39;s 229.</p>" in page
    assert (
        "10 February 2025" in page and "Published 15 January 2025 · Updated 3 February 2025" in page
    )


def test_text_is_escaped_in_html_only(site: Path, cli, tmp_path: Path) -> None:
    assert _digest(cli, site, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    page, text = (tmp_path / "d.html").read_text(), (tmp_path / "d.txt").read_text()
    assert "Corrected &amp; &lt;b&gt;fixed&lt;/b&gt;</a>" in page
    assert "Corrected & <b>fixed</b>\n" in text and "&amp;" not in text and "&#39;" not in text


def test_corrections_are_flagged(site: Path, cli, tmp_path: Path) -> None:
    assert _digest(cli, site, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    page, text = (tmp_path / "d.html").read_text(), (tmp_path / "d.txt").read_text()
    assert re.search(
        r'border-left:4px solid #8a1c1c;[^"]*"><strong style="color:#8a1c1c;">Correction</strong>'
        r" \(5 February 2025\): The figure is 229, not 292\.</p>",
        page,
    )
    assert "CORRECTION (5 February 2025): The figure is 229, not 292." in text
    assert "An old note" not in page  # only the changes since the day


# --- the text ---------------------------------------------------------------------------------


def test_text_carries_every_headline_url_date_and_summary(site: Path, cli, tmp_path: Path) -> None:
    assert _digest(cli, site, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    text = (tmp_path / "d.txt").read_text()
    lines = text.splitlines()
    flat = " ".join(text.split())
    chosen = select(_model(site), dt.date(2025, 2, 1))
    for entry in (*chosen.new, *chosen.updated):
        b = entry.brief
        assert b.summary in flat and b.date.human() in flat
        assert b.title in lines and b.permalink in lines  # whole lines, never broken
    assert "Old news" not in text and "Eve" not in text
    assert f"Atom feed: {BASE}feed.xml" in lines
    titles = {entry.brief.title for entry in (*chosen.new, *chosen.updated)}
    for line in lines:
        assert len(line) <= 72 or line.startswith("https://") or line in titles, line


def test_long_urls_are_never_wrapped(make_site, cli, tmp_path: Path) -> None:
    slug = "a-" * 25 + "very-long-address"  # the address is over 100 characters
    root = make_site(
        {"content/briefs/x.md": brief(extra=f"slug: {slug}"), "content/topics/cartels.md": topic()}
    )
    assert _digest(cli, root, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    assert f"{BASE}briefs/{slug}/" in (tmp_path / "d.txt").read_text().splitlines()


# --- themes -----------------------------------------------------------------------------------


def test_site_templates_override_the_digest(make_site, cli, tmp_path: Path) -> None:
    root = make_site({**SITE, "templates/digest.txt": "{{ digest.new | length }} new & <b>\n"})
    assert _digest(cli, root, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    assert (tmp_path / "d.txt").read_text() == "2 new & <b>\n"  # not escaped
    assert "<!DOCTYPE html>" in (tmp_path / "d.html").read_text()  # still the default's


def test_a_theme_without_digest_templates_falls_back(make_site, cli, tmp_path: Path) -> None:
    yaml = f"title: Test Briefings\nbase_url: {BASE}\ntheme: bare\n"
    root = make_site({**SITE, "themes/bare/templates/404.html": "gone\n"}, site_yaml=yaml)
    assert _digest(cli, root, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    assert "Corrected &amp; &lt;b&gt;fixed" in (tmp_path / "d.html").read_text()


def test_a_broken_digest_template_is_a_content_error(make_site, cli, tmp_path: Path) -> None:
    root = make_site({**SITE, "templates/digest.html": "<p>\n{{ digest.nope }}\n"})
    run = _digest(cli, root, tmp_path / "d.html", "--since", "2025-02-01")
    assert run.code == 1
    assert "templates/digest.html:2:1: error: template error: undefined: " in run.err
    assert not (tmp_path / "d.html").exists()


def test_help_lists_digest(cli) -> None:
    run = cli("digest", "--help")
    assert run.code == 0
    for option in ("--since", "--topic", "--output", "--source", "--drafts", "--future"):
        assert option in run.out


# --- the example site, through the Nu HTML Checker ----------------------------------------------


def test_example_digest_is_valid_html(cli, tmp_path: Path) -> None:
    out = tmp_path / "digests"
    runs = {
        "all": ["--since", "2025-02-01"],
        "topic": ["--since", "2025-02-01", "--topic", "cartels"],
        "empty": ["--since", "2030-01-01"],
    }
    for name, extra in runs.items():
        args = ["--source", REPO, "--base-url", BASE, "--output", out / f"{name}.html"]
        run = cli("digest", "-q", *args, *extra)
        assert run.code == 0, run.err
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        _check_email_safe(page)
    text = (out / "all.txt").read_text(encoding="utf-8")
    assert "NEW BRIEFS" in text and f"{BASE}feed.xml" in text

    assert nu_html_errors(out) == []


def test_a_new_brief_shows_its_correction_too(make_site, cli, tmp_path: Path) -> None:
    extra = "updates:\n  - {date: 2025-02-06, kind: correction, note: 'It was 229, not 292.'}"
    root = make_site(
        {
            "content/briefs/x.md": brief(date="2025-02-04", extra=extra),
            "content/topics/cartels.md": topic(),
        }
    )
    chosen = select(_model(root), dt.date(2025, 2, 1))
    assert [e.brief.slug for e in chosen.new] == ["x"] and chosen.updated == ()
    assert [u.note for u in chosen.new[0].changes] == ["It was 229, not 292."]
    assert _digest(cli, root, tmp_path / "d.html", "--since", "2025-02-01").code == 0
    assert "CORRECTION (6 February 2025): It was 229, not 292." in (tmp_path / "d.txt").read_text()
