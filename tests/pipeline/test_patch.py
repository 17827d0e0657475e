"""Rebuilds after body edits made from the stored parts of the site model
(``briefgen/pipeline/patch.py``): each equals a clean build byte for byte; an edit that
changes more than a body's HTML and word count is built in full; damaged parts are one note
and a clean build's site; and the output and cache it leaves are those the next builds
expect (a later edit, putting the text back, a full build)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from briefgen.pipeline.build import BuildResult, build
from briefgen.pipeline.cache import CACHE_DIR

from conftest import SITE_YAML, brief, topic, write_site
from trees import assert_same_as_clean

NOW_EPOCH = "1748779200"  # 2025-06-01T12:00:00Z
NOTE = "note: the cache was damaged; rebuilt from scratch"
YAML = SITE_YAML + "search:\n  enabled: false\nsocial_cards: false\nfeeds:\n  limit: 3\n"
OLDEST = "content/briefs/b0.md"  # in no feed: each holds the three newest of its briefs
NEWEST = "content/briefs/b7.md"  # in the site's feeds and its topic's (cartels, not border)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)


def body(i: int, extra: str = "") -> str:
    return f"## Context\n\nBody of brief {i}, with [a link](b{(i + 1) % 8}.md).\n{extra}"


def make(tmp_path: Path, yaml: str = YAML) -> Path:
    files: dict[str, str | bytes] = {
        f"content/briefs/b{i}.md": brief(
            f"Brief {i}",
            f"2025-02-{i + 10:02d}",
            topics="[cartels]" if i % 2 else "[border, cartels]",
            body=body(i),
        )
        for i in range(8)
    }
    files["content/topics/cartels.md"] = topic("Cartels")
    files["content/topics/border.md"] = topic("Border")
    root = write_site(tmp_path / "site", files, yaml)
    build(root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def patched(result: BuildResult) -> bool:
    """Whether the build was made from the parts: no site model, only the edited pages."""
    return result.site is None and result.pages_rendered > 0


def test_a_body_edit_is_built_from_the_parts_as_a_clean_build(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, OLDEST, "Body of brief 0", "Body of brief 0, with a sentence more")
    result = build(root)
    assert patched(result) and result.pages_rendered == 1
    assert result.written_files == ["briefs/b0/index.html"]
    assert_same_as_clean(root, tmp_path / "clean")
    again = build(root)  # nothing to do
    assert again.site is None and again.pages_rendered == 0 and not again.written_files
    edit(root, OLDEST, "Body of brief 0, with a sentence more", "Body of brief 0")
    assert patched(build(root))  # the text put back: the page as it was first
    assert_same_as_clean(root, tmp_path / "clean2")
    edit(root, "site.yaml", "title: Test Briefings", "title: Test Briefings, edited")
    assert build(root).site is not None  # a full build after the patches agrees
    assert_same_as_clean(root, tmp_path / "clean3")


def test_an_edit_to_a_brief_in_the_feeds_makes_them_again(tmp_path: Path) -> None:
    """The newest brief is in the site's feeds and its topics': they are made again from
    the parts, with the newest briefs of each fetched, and only the ones that hold it
    change."""
    root = make(tmp_path)
    before = {p: p.read_bytes() for p in (root / "public").rglob("feed.*")}
    edit(root, NEWEST, "Body of brief 7", "Body of brief 7, in the feeds")
    result = build(root)
    assert patched(result)
    changed = sorted(f for f in result.written_files if "feed" in f)
    assert changed == ["feed.json", "feed.xml", "topics/cartels/feed.xml"], changed
    assert (root / "public/topics/border/feed.xml").read_bytes() == before[
        root / "public/topics/border/feed.xml"
    ]
    assert_same_as_clean(root, tmp_path / "clean")


def test_several_body_edits_and_a_later_one_each_equal_a_clean_build(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "content/briefs/b1.md", "Body of brief 1", "Brief one's body, now longer")
    edit(root, "content/briefs/b3.md", "Body of brief 3", "Brief three")
    result = build(root)
    assert patched(result) and result.pages_rendered == 2
    assert_same_as_clean(root, tmp_path / "clean")
    edit(root, "content/briefs/b1.md", "now longer", "longer still")
    assert patched(build(root))
    assert_same_as_clean(root, tmp_path / "clean2")


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (OLDEST, "title: Brief 0", "title: Brief 0, retitled"),  # front matter
        (OLDEST, "## Context", "## Background"),  # a heading: anchors, table of contents
        (OLDEST, "[a link](b1.md)", "[a link](b2.md)"),  # a link: the resolver's answers
        (OLDEST, "Body of brief 0", "Body of brief 0 [gone](/briefings/gone/)"),  # a warning
        ("content/topics/cartels.md", "Intro.", "An intro."),  # not a brief
        ("site.yaml", "per_page: 2", "per_page: 3"),
    ],
    ids=["front-matter", "heading", "link", "dead-link", "topic", "site-yaml"],
)
def test_an_edit_that_changes_more_than_a_body_is_built_in_full(
    tmp_path: Path, rel: str, old: str, new: str
) -> None:
    root = make(tmp_path)
    edit(root, rel, old, new)
    result = build(root)
    assert not patched(result)
    assert_same_as_clean(root, tmp_path / "clean")


def test_a_new_brief_and_a_page_changed_by_hand_are_built_in_full(tmp_path: Path) -> None:
    root = make(tmp_path)
    (root / "content/briefs/b8.md").write_text(brief("Brief 8", "2025-01-01", body=body(8)))
    edit(root, OLDEST, "Body of brief 0", "Body of brief 0 again")
    assert not patched(build(root))
    assert_same_as_clean(root, tmp_path / "clean")
    page = root / "public/briefs/b3/index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- by hand -->", encoding="utf-8")
    edit(root, OLDEST, "again", "once more")
    assert not patched(build(root))  # the output changed since: a full build repairs it
    assert_same_as_clean(root, tmp_path / "clean2")


def test_a_site_with_search_indexes_the_edit_it_patches(tmp_path: Path) -> None:
    root = make(tmp_path, YAML.replace("enabled: false", "enabled: true"))
    edit(root, OLDEST, "Body of brief 0", "Body of brief 0 and quetzalcoatlus")
    result = build(root)
    assert patched(result)
    assert any(f.startswith("pagefind/") for f in result.written_files), result.written_files
    assert_same_as_clean(root, tmp_path / "clean")


def test_a_page_that_reads_a_list_the_parts_withhold_is_built_in_full(tmp_path: Path) -> None:
    """A site's own brief page that shows the site's newest briefs: the parts do not hold
    that list, and the build is a full one (its reads say so before it renders)."""
    root = make(tmp_path)
    theme = Path(__file__).parents[2] / "themes/default/templates/brief.html"
    text = theme.read_text(encoding="utf-8")
    marker = "{% block content %}"
    assert marker in text
    own = text.replace(marker, marker + "{% for b in site.briefs[:2] %}{{ b.title }}{% endfor %}")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/brief.html").write_text(own, encoding="utf-8")
    build(root)
    edit(root, OLDEST, "Body of brief 0", "Body of brief 0 too")
    assert not patched(build(root))
    assert_same_as_clean(root, tmp_path / "clean")


def _parts(root: Path) -> Path:
    (found,) = (root / CACHE_DIR).glob("output-*-parts.sqlite")
    return found


def test_damaged_parts_are_one_note_and_a_clean_builds_site(tmp_path: Path, cli) -> None:
    """The parts cut short at seeded offsets, or a byte flipped: a body edit after it is a
    clean build's site; one note says so when the damage was met (a row the rebuild did not
    read is not), and the next build has nothing to do and says nothing."""
    root = make(tmp_path)
    kept = _parts(root).read_bytes()
    rng = random.Random(20251208)
    size = len(kept)
    harms = [("cut", rng.randrange(size)) for _ in range(6)] + [("cut", 50), ("cut", 0)]
    harms += [("flip", rng.randrange(100, size)) for _ in range(4)]
    for step, (how, offset) in enumerate(harms):
        data = bytearray(kept)
        if how == "cut":
            data = data[:offset]
        else:
            data[offset] ^= 0x5A
        build(root)  # the site as the parts say
        _parts(root).write_bytes(bytes(data))
        edit(root, OLDEST, "Body of brief 0", f"Body of brief 0 ({step})")
        run = cli("build", "--source", root, "--quiet")
        said = f"{how} at {offset}"
        assert run.code == 0, f"{said}: {run.err}"
        name = f"{CACHE_DIR}/{_parts(root).name}"
        assert run.err.splitlines() in ([], [f"{name}: {NOTE}"]), said
        if how == "cut" and offset < size:
            assert run.err, f"{said}: a file cut short says so"
        assert_same_as_clean(root, tmp_path / f"clean{step}")
        again = cli("build", "--source", root, "--quiet")
        assert (again.code, again.err) == (0, ""), said
        edit(root, OLDEST, f"Body of brief 0 ({step})", "Body of brief 0")
        kept = kept  # the next damage starts from the same parts


class _FullDisk:
    """A connection to the parts whose writes meet a full disk, as SQLite reports one."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def execute(self, sql: str, *args: object) -> object:
        return self.real.execute(sql, *args)

    def executescript(self, sql: str) -> object:
        return self.real.executescript(sql)

    def executemany(self, sql: str, rows: object) -> object:
        if sql.startswith("INSERT") and list(rows):  # type: ignore[call-overload]
            raise sqlite3.OperationalError("database or disk is full")
        return self.real.executemany(sql, rows)  # type: ignore[arg-type]

    def close(self) -> None:
        self.real.close()


@pytest.mark.parametrize("build_kind", ["full", "patch"])
def test_parts_that_cannot_be_written_are_one_line_and_the_site_written(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch, build_kind: str
) -> None:
    """A full disk when the parts are written, after a full build or a patch: one error
    line, exit status 1, the site written; the next build, with room again, is whole."""
    import types

    from briefgen.pipeline import parts

    root = make(tmp_path)
    if build_kind == "full":
        edit(root, "site.yaml", "per_page: 2", "per_page: 3")
    else:
        edit(root, OLDEST, "Body of brief 0", "Body of brief 0 grown")
    real = sqlite3.connect
    full = types.SimpleNamespace(
        connect=lambda *a, **k: _FullDisk(real(*a, **k)),
        Error=sqlite3.Error,
        OperationalError=sqlite3.OperationalError,
        Connection=sqlite3.Connection,
    )
    monkeypatch.setattr(parts, "sqlite3", full)
    run = cli("build", "--source", root, "--quiet")
    assert run.code == 1, run.err
    (line,) = [line for line in run.err.splitlines() if "error:" in line]
    assert "error: cannot write " in line and "-parts.sqlite: database or disk is full" in line
    assert "Traceback" not in run.err
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)
    assert_same_as_clean(root, tmp_path / "clean")
    assert cli("build", "--source", root, "--quiet").code == 0
    edit(root, OLDEST, "Body of brief 0", "Body of brief 0, later")
    assert not patched(build(root))  # the record names no parts: a full build keeps them
    assert_same_as_clean(root, tmp_path / "clean2")
    edit(root, OLDEST, "Body of brief 0, later", "Body of brief 0, later still")
    assert patched(build(root))
    assert_same_as_clean(root, tmp_path / "clean3")
