"""Incremental builds after one named kind of edit at a time: the cached build equals a
``--no-cache`` build of the same sources, byte for byte, empty folders included.

The random walks of ``test_incremental.py`` make these edits too, among many others, when
their seeds happen to draw them; here each kind has a test of its own, on a site where it
moves something: a small site in English and Spanish whose briefs share topics (so related
lists, previous and next links, topic pages, pagination and the other language's pages
move), with its own theme and a template override. The property at the end makes seeded
sequences of the same edits (Hypothesis shrinks a failing sequence to a short one).

Each kind of edit is built twice: as ``briefgen build`` does, and with the cache's large
records kept in memory between builds, as ``briefgen serve`` keeps them; the property
keeps them too.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.pipeline import cache_memory
from briefgen.pipeline.build import build

from conftest import REPO, brief, topic
from trees import assert_same_as_clean, snapshot

NOW_EPOCH = "1748779200"  # 2025-06-01T12:00:00Z
THEME = REPO / "themes" / "default"
TOPIC_SETS = [["cartels"], ["border", "cartels"], ["drones"], ["border"], ["drones", "border"]]


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)


# --- the site --------------------------------------------------------------------------------


@dataclass
class Story:
    """A brief, and its Spanish translation when ``spanish`` (its title) is set."""

    stem: str  # the file name under content/briefs/, without .md (the slug comes from it)
    title: str
    date: str
    topics: list[str]
    slug: str | None = None
    draft: bool = False
    spanish: str | None = None


@dataclass
class Desk:
    """The site's sources as values; ``write`` puts them on disk, changing only what
    changed, as an editor's save does."""

    stories: list[Story]
    topics: dict[str, tuple[str, str]]  # slug → (title, description)
    settings: dict[str, object]
    override: str | None = None  # templates/partials/brief_item.html
    theme_brief: str = ""  # themes/desk/templates/brief.html
    serial: int = 0
    written: dict[str, str] = field(default_factory=dict)

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def files(self) -> dict[str, str]:
        s = self.settings
        out = {
            "site.yaml": (
                f"title: {s['title']}\ndescription: A site made by the tests.\n"
                "base_url: https://example.org/briefings/\nlanguage: en\ntheme: desk\n"
                f"per_page: {s['per_page']}\nrelated: {s['related']}\n"
                "checks:\n  sources: false\nsearch:\n  enabled: false\nsocial_cards: false\n"
                "languages:\n  en:\n    name: English\n  es:\n    name: Español\n"
                "    title: Informes de prueba\n"
            ),
            "themes/desk/templates/brief.html": self.theme_brief,
        }
        for story in self.stories:
            extra = (f"slug: {story.slug}\n" if story.slug else "") + (
                "draft: true\n" if story.draft else ""
            )
            topics = f"[{', '.join(story.topics)}]"
            body = f"The report of {story.stem}.\n"
            out[f"content/briefs/{story.stem}.md"] = brief(
                story.title, story.date, topics=topics, body=body, extra=extra
            )
            if story.spanish is not None:
                out[f"content/briefs/{story.stem}.es.md"] = brief(
                    story.spanish,
                    story.date,
                    "Una frase.",
                    topics,
                    f"El informe de {story.stem}.\n",
                )
        for slug, (title, description) in self.topics.items():
            out[f"content/topics/{slug}.md"] = topic(title, description)
        out["content/topics/cartels.es.md"] = topic("Cárteles", "Grupos criminales.")
        if self.override is not None:
            out["templates/partials/brief_item.html"] = self.override
        return out

    def write(self, root: Path) -> None:
        files = self.files()
        for rel in set(self.written) - set(files):
            (root / rel).unlink()
        for rel, text in files.items():
            if self.written.get(rel) != text:
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_text(text, encoding="utf-8")
        self.written = files


def new_desk(root: Path) -> Desk:
    """Eight briefs over three topics, three of them translated; the site's own theme, a
    copy of the default (without its fonts: the site draws no social cards)."""
    shutil.copytree(THEME, root / "themes" / "desk", ignore=shutil.ignore_patterns("fonts"))
    stories = [
        Story(
            f"2025-02-0{i}-report-{i}",
            f"Report {i}",
            f"2025-02-0{i}",
            list(TOPIC_SETS[i % len(TOPIC_SETS)]),
            spanish=f"Informe {i}" if i in (2, 5, 7) else None,
        )
        for i in range(1, 9)
    ]
    topics = {
        "cartels": ("Cartels", "Criminal groups."),
        "border": ("Border", "The frontier."),
        "drones": ("Drones", "Unmanned aircraft."),
    }
    desk = Desk(stories, topics, {"title": "Test Briefings", "per_page": 2, "related": 2})
    desk.theme_brief = (THEME / "templates" / "brief.html").read_text(encoding="utf-8")
    return desk


# --- the edits: each changes the desk, choosing by ``n``, and says what it did -------------------


def _story(desk: Desk, n: int, translated: bool | None = None) -> Story:
    found = [s for s in desk.stories if translated is None or (s.spanish is not None) == translated]
    return (found or desk.stories)[n % len(found or desk.stories)]


def edit_topics(desk: Desk, n: int) -> str:
    story = _story(desk, n)
    others = [t for t in TOPIC_SETS if t != story.topics]
    story.topics = list(others[n % len(others)])
    return f"{story.stem} now in {story.topics}"


def edit_date(desk: Desk, n: int) -> str:
    story = _story(desk, n)
    date = f"2025-0{1 + n % 4}-{10 + n % 18:02d}"  # newest or oldest, or between
    story.date = date if date != story.date else "2025-02-28"
    return f"{story.stem} dated {story.date}"


def edit_slug(desk: Desk, n: int) -> str:
    story = _story(desk, n)
    story.slug = None if story.slug else f"story-{desk.next()}"
    return f"{story.stem} slug: {story.slug}"


def rename_file(desk: Desk, n: int) -> str:
    """The file renamed (its translation with it), so the slug it gives changes."""
    story = _story(desk, n)
    before, story.stem = story.stem, f"{story.date}-renamed-{desk.next()}"
    return f"{before} → {story.stem}"


def delete_brief(desk: Desk, n: int) -> str:
    if len(desk.stories) <= 4:
        return edit_topics(desk, n)
    story = _story(desk, n)
    desk.stories.remove(story)
    return f"{story.stem} deleted"


def toggle_draft(desk: Desk, n: int) -> str:
    story = _story(desk, n)
    story.draft = not story.draft
    return f"{story.stem} draft: {story.draft}"


def edit_topic_file(desk: Desk, n: int) -> str:
    slug = sorted(desk.topics)[n % len(desk.topics)]
    title, description = desk.topics[slug]
    if n % 2:
        desk.topics[slug] = (title, f"Described, take {desk.next()}.")
        return f"description of {slug}"
    desk.topics[slug] = (f"{slug.capitalize()} desk {desk.next()}", description)
    return f"title of {slug}"


def edit_site_yaml(desk: Desk, n: int) -> str:
    key = ["title", "per_page", "related"][n % 3]
    values: dict[str, object] = {
        "title": f"Briefings {desk.next()}",
        "per_page": 3 if desk.settings["per_page"] == 2 else 2,
        "related": [0, 1, 3][n % 3] if desk.settings["related"] == 2 else 2,
    }
    desk.settings[key] = values[key]
    return f"site.yaml {key}: {values[key]}"


def edit_override(desk: Desk, n: int) -> str:
    """The site's templates/ overrides the theme's partials/brief_item.html, which every
    list of briefs includes: written, changed, or removed."""
    if desk.override is not None and n % 3 == 0:
        desk.override = None
        return "templates/partials/brief_item.html removed"
    text = (THEME / "templates/partials/brief_item.html").read_text(encoding="utf-8")
    desk.override = text.replace('<p class="summary">', f'<p class="summary v{desk.next()}">', 1)
    assert desk.override != text, "the theme's brief_item.html changed: update this test"
    return "templates/partials/brief_item.html written"


def edit_theme(desk: Desk, n: int) -> str:
    """The site's own theme (themes/desk/) has its brief page's related heading changed."""
    old = "{{ t('brief.related') }}</h2>"
    base = (THEME / "templates" / "brief.html").read_text(encoding="utf-8")
    assert old in base, "the theme's brief.html changed: update this test"
    desk.theme_brief = base.replace(old, f"{{{{ t('brief.related') }}}}, take {desk.next()}</h2>")
    return "themes/desk/templates/brief.html edited"


def edit_translation(desk: Desk, n: int) -> str:
    """A Spanish translation retitled; or one added, or removed."""
    if n % 3 == 1:
        story = _story(desk, n, translated=False)
        story.spanish = f"Informe nuevo {desk.next()}"
        return f"{story.stem}.es.md added"
    story = _story(desk, n, translated=True)
    if n % 3 == 2 and story.spanish is not None:
        story.spanish = None
        return f"{story.stem}.es.md removed"
    story.spanish = f"Informe retitulado {desk.next()}"
    return f"{story.stem}.es.md retitled"


EDITS: dict[str, Callable[[Desk, int], str]] = {
    "topics": edit_topics,
    "date": edit_date,
    "slug": edit_slug,
    "file-name": rename_file,
    "deleted": delete_brief,
    "draft": toggle_draft,
    "topic-file": edit_topic_file,
    "site-yaml": edit_site_yaml,
    "override": edit_override,
    "theme": edit_theme,
    "translation": edit_translation,
}


# --- the tests -------------------------------------------------------------------------------


def check_steps(
    root: Path, clean: Path, steps: list[tuple[str, int]], changes: bool = True
) -> None:
    """Build the desk, then after each edit build again with the cache and compare with a
    clean build. With ``changes``, each edit must change the site (or it tests nothing);
    in a sequence drawn at random, an edit may touch only a draft."""
    desk = new_desk(root)
    desk.write(root)
    build(root)
    before = snapshot(root / "public")
    story = []
    for name, n in steps:
        story.append(EDITS[name](desk, n))
        desk.write(root)
        build(root)
        try:
            after = assert_same_as_clean(root, clean)
        except pytest.fail.Exception as exc:
            raise AssertionError(f"after: {'; '.join(story)}\n{exc}") from None
        assert after != before or not changes, f"the edit changed nothing: {story[-1]}"
        before = after


# each kind of edit, with the ``n`` that chooses what it edits; some twice (there and back)
STEPS = {
    "topics": [("topics", 2)],
    "date-newest": [("date", 3)],  # 2025-04-13: from the middle to the top
    "date-oldest": [("date", 4)],  # 2025-01-14
    "slug": [("slug", 0), ("slug", 0)],  # a slug given, then taken away
    "file-name": [("file-name", 1)],  # a translated brief: its .es.md follows
    "deleted": [("deleted", 4)],
    "draft-and-back": [("draft", 3), ("draft", 3)],
    "translated-draft-and-back": [("draft", 1), ("draft", 1)],
    "topic-title": [("topic-file", 0)],
    "topic-description": [("topic-file", 1)],
    "site-title": [("site-yaml", 0)],
    "per-page": [("site-yaml", 1)],
    "related": [("site-yaml", 2), ("site-yaml", 2)],
    "override-written-changed-removed": [("override", 1), ("override", 2), ("override", 0)],
    "theme-template": [("theme", 0), ("theme", 0)],
    "translation-retitled": [("translation", 0)],
    "translation-added-and-removed": [("translation", 1), ("translation", 2)],
}


@pytest.fixture(params=[False, True], ids=["build", "kept-in-memory"])
def memory(request: pytest.FixtureRequest) -> Iterator[None]:
    """Records read from disk on each build, or kept in memory between builds (serve)."""
    if request.param:
        cache_memory.hold()
    try:
        yield
    finally:
        if request.param:
            cache_memory.release()


@pytest.mark.parametrize("steps", list(STEPS.values()), ids=list(STEPS))
def test_one_kind_of_edit_equals_a_clean_build(
    steps: list[tuple[str, int]], tmp_path: Path, memory: None
) -> None:
    check_steps(tmp_path / "site", tmp_path / "clean", steps)


def test_every_kind_of_edit_has_a_test() -> None:
    assert {name for steps in STEPS.values() for name, _ in steps} == set(EDITS)


# 60 examples, not the 500 of the other properties: each example builds up to eleven sites
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 11)), max_size=5))
def test_any_sequence_of_edits_equals_a_clean_build(steps: list[tuple[str, int]]) -> None:
    cache_memory.hold()
    try:
        with tempfile.TemporaryDirectory(prefix="briefgen-steps-") as folder:
            check_steps(Path(folder) / "site", Path(folder) / "clean", steps, changes=False)
    finally:
        cache_memory.release()
