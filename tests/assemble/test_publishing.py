"""Drafts, future-dated and expired briefs appear nowhere in a build without the flags: not as
pages, in lists, topic counts, feeds, the sitemap or the search index; with the flags they do."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import brief, topic

NOW = "1740000000"  # 2025-02-19T21:20:00Z, through SOURCE_DATE_EPOCH
HIDDEN = {
    "draft": brief(title="Zanzibardraft", body="Zanzibardraft body.\n", extra="draft: true\n"),
    "future": brief(title="Quixotefuture", date="2025-03-01", body="Quixotefuture body.\n"),
    "expired": brief(
        title="Yodelexpired",
        date="2025-01-01",
        body="Yodelexpired body.\n",
        extra="expires: 2025-02-01\n",
    ),
}
FILES = {
    "content/topics/cartels.md": topic(),
    "content/briefs/published.md": brief(
        title="Published", body="Published body.\n", extra="expires: 2025-12-31\n"
    ),
    **{f"content/briefs/{name}.md": text for name, text in HIDDEN.items()},
}
WORDS = {"draft": "zanzibardraft", "future": "quixotefuture", "expired": "yodelexpired"}


def _everything(public: Path) -> str:
    """The text of every file of the build, search index fragments decompressed."""
    parts = []
    for path in sorted(public.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        parts.append(path.relative_to(public).as_posix() + "\n" + data.decode("utf-8", "replace"))
    return "\n".join(parts).lower()


@pytest.fixture
def site(make_site, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    return make_site(FILES)


def test_left_out_everywhere_without_flags(site: Path, cli) -> None:
    assert cli("build", "-q", "--source", site).code == 0
    public = site / "public"
    text = _everything(public)
    assert "published body" in text  # the index really is searched
    for word in WORDS.values():
        assert word not in text, word
    for name in HIDDEN:
        assert not (public / "briefs" / name).exists()
    topic_page = (public / "topics/cartels/index.html").read_text()
    assert "1 brief, newest first" in topic_page
    assert '<span class="count">1</span>' in (public / "index.html").read_text()


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_each_flag_brings_its_briefs_back(site: Path, cli, name: str) -> None:
    assert (
        cli("build", "-q", f"--{name if name != 'draft' else 'drafts'}", "--source", site).code == 0
    )
    public = site / "public"
    text = _everything(public)
    assert WORDS[name] in text
    assert (public / "briefs" / name / "index.html").is_file()
    assert f"/briefs/{name}/" in (public / "sitemap.xml").read_text()
    assert WORDS[name] in (public / "feed.xml").read_text().lower()
    others = [w for n, w in WORDS.items() if n != name]
    assert not any(w in text for w in others)


def test_scheduled_briefs_are_marked_when_shown(site: Path, cli) -> None:
    assert cli("build", "-q", "--future", "--source", site).code == 0
    html = (site / "public/briefs/future/index.html").read_text()
    assert '<span class="badge">Scheduled</span>' in html


def test_a_link_to_a_left_out_brief_says_why(make_site, cli, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    files = {**FILES, "content/briefs/published.md": brief(body="See [later](future.md).\n")}
    run = cli("check", "--source", make_site(files))
    assert run.code == 1
    assert (
        "content/briefs/published.md:8:13: error: link to 'future.md': content/briefs/future.md "
        "is not published (scheduled for 2025-03-01)"
    ) in run.err


def test_expires_must_follow_date(make_site, cli) -> None:
    run = cli(
        "check",
        "--source",
        make_site({"content/briefs/a.md": brief(extra="expires: 2025-01-01\n")}),
    )
    assert run.code == 1
    assert (
        "content/briefs/a.md:6:1: error: 'expires' (2025-01-01) is not after 'date' (2025-02-04)"
        in run.err
    )
