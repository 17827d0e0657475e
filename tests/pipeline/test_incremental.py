"""Incremental builds: a build that reuses ``.briefgen-cache/`` writes exactly what a clean build
writes, byte for byte, and leaves output files whose bytes did not change alone.

The random walks edit a small site the way its editors would, one seeded step at a time (new
briefs, retitles, moves between topics, renames, drafts, deletions, template overrides, static
files, ``site.yaml``, broken edits and their fixes), and after every step compare the cached
build in ``site/public`` with a clean build (``cache=False``) of the same sources in another
folder. A step that breaks the site must fail both builds and leave the previous site in place.
The focused tests check what equal bytes cannot show: that unchanged files keep their mtime (so
rsync and HTTP caches see nothing new), and that a missing, stale or corrupted cache costs time
and nothing else.

Longer walks: ``BRIEFGEN_INCREMENTAL_STEPS=200 pytest tests/pipeline/test_incremental.py``.
"""

from __future__ import annotations

import itertools
import os
import posixpath
import random
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from briefgen.config.overrides import Overrides
from briefgen.model.diagnostics import BriefgenError, ConfigError, ContentError
from briefgen.pipeline.build import build

from conftest import REPO, SITE_YAML, brief, picture, topic
from trees import assert_same_as_clean, clean_build, snapshot, tree_difference

CACHE_DIR = ".briefgen-cache"
# "Now" for every build, so that a scheduled brief stays scheduled however late the tests run.
NOW_EPOCH = 1748779200  # 2025-06-01T12:00:00Z
TODAY = "2025-06-01"
DEFAULT_STEPS = 16
STEPS = int(os.environ.get("BRIEFGEN_INCREMENTAL_STEPS", DEFAULT_STEPS))
THEME_TEMPLATES = REPO / "themes" / "default" / "templates"
BASE_PATH = "/briefings/"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(NOW_EPOCH))


# --- comparing builds ------------------------------------------------------------------------


def attempt(root: Path, **options: Any) -> BriefgenError | None:
    """A build with ``options``; ``output_dir`` and other settings go in as Overrides."""
    options = _with_overrides(options)
    """Build; the error a broken site raises, or None."""
    try:
        build(root, **options)
    except BriefgenError as exc:
        return exc
    return None


def explain(error: BriefgenError | None) -> str:
    if error is None:
        return "built without error"
    return f"{type(error).__name__}: " + "; ".join(d.format() for d in error.diagnostics.errors)


def _with_overrides(options: dict[str, Any]) -> dict[str, Any]:
    names = set(Overrides.__dataclass_fields__)
    settings = {k: v for k, v in options.items() if k in names}
    rest = {k: v for k, v in options.items() if k not in names}
    return {**rest, "overrides": Overrides(**settings)} if settings else rest


# --- a model of the site the walks edit --------------------------------------------------------

WORDS = [
    "drones",
    "patrol",
    "border",
    "cartel",
    "officials",
    "said",
    "surveillance",
    "flights",
    "over",
    "northern",
    "states",
    "ministry",
    "talks",
    "sovereignty",
    "request",
    "agents",
    "crossing",
    "report",
    "data",
    "week",
    "senators",
    "tariffs",
    "governors",
    "meeting",
    "statement",
    "evidence",
    "network",
    "routes",
    "seized",
    "shipment",
    "laboratory",
    "analysts",
]
TAGS = ["arrests", "surveillance", "talks", "tariffs", "patrols"]
FIRST_TOPICS = ["cartels", "border", "drones", "diplomacy", "trade"]  # trade is not described
NEW_TOPICS = ["energy", "courts", "migration", "weather", "fentanyl", "elections"]
STATIC_FILES = ["static/notes/readme.txt", "static/css/style.css", "static/img/mark.svg"]
OVERRIDES = ["brief.html", "base.html", "partials/brief_item.html", "archive.html"]
BROKEN_TEMPLATE = "{% if brief.title %}unclosed\n"


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(5, 12))
    if rng.random() < 0.2:
        words[1] = f'"{words[1]}"'  # smart quotes
    if rng.random() < 0.1:
        words[2] += " --"  # an en dash
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))


def random_date(rng: random.Random) -> str:
    """A past date between November 2024 and May 2025, sometimes with a time and offset."""
    day = f"2025-{rng.randint(1, 5):02d}-{rng.randint(1, 28):02d}"
    if rng.random() < 0.25:
        day = f"2024-{rng.randint(11, 12):02d}-{rng.randint(1, 28):02d}"
    if rng.random() < 0.2:
        day += f"T{rng.randint(0, 23):02d}:30:00{rng.choice(['+01:00', '-06:00', '+00:00'])}"
    return day


@dataclass
class Link:
    target: int  # id of the brief linked to
    anchor: int | None  # id of one of its headings, "## Section <n>" → #section-<n>
    relative: bool  # a path relative to this brief's folder, else the bare file name


@dataclass
class Section:
    heading: int | None
    paragraphs: list[str]


@dataclass
class BriefModel:
    bid: int
    file: str  # under content/briefs/
    title: str
    summary: str
    date: str
    topics: list[str]
    sections: list[Section]
    slug: str | None = None  # an explicit `slug:`
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    topic_links: list[str] = field(default_factory=list)
    note: str | None = None  # a footnote
    image: bool = False
    toc: bool = False
    draft: bool = False
    key_fact: str | None = None
    # faults the walk introduces and then fixes
    bad_date: bool = False
    dangling: str | None = None  # a link to a file that does not exist

    @property
    def page_slug(self) -> str:
        if self.slug:
            return self.slug
        stem = posixpath.basename(self.file)[: -len(".md")]
        return re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem).lower()

    @property
    def published(self) -> bool:
        return not self.draft and self.date[:10] <= TODAY

    @property
    def headings(self) -> list[int]:
        return [s.heading for s in self.sections if s.heading is not None]


@dataclass
class TopicModel:
    title: str
    description: str
    intro: str


@dataclass
class SiteModel:
    search: bool
    briefs: dict[int, BriefModel] = field(default_factory=dict)
    topics: dict[str, TopicModel] = field(default_factory=dict)  # described topics
    settings: dict[str, object] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)  # templates/<name>
    static: dict[str, bytes] = field(default_factory=dict)
    images: dict[int, bytes] = field(default_factory=dict)  # content/images/map-<bid>.png
    config_broken: bool = False
    serial: int = 0  # for unique file names, slugs, headings and revisions
    written: dict[str, bytes] = field(default_factory=dict)

    def next(self) -> int:
        self.serial += 1
        return self.serial

    # --- the files --------------------------------------------------------------------------

    def files(self) -> dict[str, bytes]:
        out = {"site.yaml": self.site_yaml().encode()}
        for b in self.briefs.values():
            out[f"content/briefs/{b.file}"] = self.brief_text(b).encode()
        for slug, t in self.topics.items():
            out[f"content/topics/{slug}.md"] = topic(t.title, t.description, t.intro).encode()
        for bid, data in self.images.items():
            out[f"content/images/map-{bid}.png"] = data
        for name, text in self.overrides.items():
            out[f"templates/{name}"] = text.encode()
        out.update(self.static)
        return out

    def write(self, root: Path) -> None:
        """Write the files that changed and delete the ones that went; leave the others alone,
        as an editor would, so their mtimes stay put."""
        files = self.files()
        for rel in sorted(set(self.written) - set(files)):
            (root / rel).unlink()
        for rel, data in files.items():
            if self.written.get(rel) != data:
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(data)
        self.written = files

    def site_yaml(self) -> str:
        s = self.settings
        text = (
            f"title: {s['title']}\ndescription: {s['description']}\n"
            f"base_url: https://example.org{BASE_PATH}\nlanguage: en\n"
            f"per_page: {s['per_page']}\nrelated: {s['related']}\n"
            f"feeds:\n  limit: {s['feeds_limit']}\n"
            f"search:\n  enabled: {'true' if self.search else 'false'}\n"
            "  partition_size: 4\n"  # a partitioned index: an edit re-indexes one partition
            f"markdown:\n  toc: {'true' if s['toc'] else 'false'}\n"
            f"params:\n  tagline: {s['tagline']}\n"
        )
        return text.replace("per_page:", "per_page: 0 #") if self.config_broken else text

    def brief_text(self, b: BriefModel) -> str:
        here = posixpath.dirname(f"content/briefs/{b.file}")
        blocks: list[str] = []
        for section in b.sections:
            if section.heading is not None:
                blocks.append(f"## Section {section.heading}")
            blocks += section.paragraphs
        if b.note is not None:
            blocks += ["One claim needs a note.[^note]", f"[^note]: {b.note}"]
        links = []
        for link in b.links:
            file = self.briefs[link.target].file if link.target in self.briefs else "gone.md"
            path = posixpath.relpath(f"content/briefs/{file}", here) if link.relative else None
            href = (path or posixpath.basename(file)) + (
                f"#section-{link.anchor}" if link.anchor is not None else ""
            )
            links.append(f"[this report]({href})")
        links += [
            f"[the topic]({posixpath.relpath(f'content/topics/{t}.md', here)})"
            for t in b.topic_links
        ]
        if b.dangling:
            links.append(f"[an old report]({b.dangling})")
        if links:
            blocks.append("See also " + ", ".join(links) + ".")
        if b.image:
            blocks.append(f"![Map]({posixpath.relpath(f'content/images/map-{b.bid}.png', here)})")
        extra = ""
        if b.slug:
            extra += f"slug: {b.slug}\n"
        if b.tags:
            extra += f"tags: [{', '.join(b.tags)}]\n"
        if b.draft:
            extra += "draft: true\n"
        if b.toc:
            extra += "toc: true\n"
        if b.key_fact:
            extra += f"key_facts:\n  - {b.key_fact}\n"
        return brief(
            title=b.title,
            date="someday" if b.bad_date else b.date,
            summary=b.summary,
            topics=f"[{', '.join(b.topics)}]",
            body="\n\n".join(blocks) + "\n",
            extra=extra,
        )

    def override_text(self, name: str, variant: int) -> str:
        if name == "archive.html":
            return (
                '{% extends "base.html" %}\n{% block content %}'
                f"<h1>Archive, edition {variant}</h1>\n"
                "{% for month in months %}<h2>{{ month.title }}</h2><ul>"
                "{% for b in month.briefs %}<li>{{ b.title }}</li>{% endfor %}</ul>"
                "{% endfor %}{% endblock %}\n"
            )
        theme = (THEME_TEMPLATES / name).read_text(encoding="utf-8")
        old, new = {
            "brief.html": (
                "{{ t('brief.related') }}</h2>",
                f"{{{{ t('brief.related') }}}}, take {variant}</h2>",
            ),
            "base.html": (
                '<footer class="site-footer">\n',
                '<footer class="site-footer">\n<p class="colophon">'
                f"Edition {variant}: {{{{ config.params.get('tagline', '') }}}}</p>\n",
            ),
            "partials/brief_item.html": ('<p class="summary">', f'<p class="summary v{variant}">'),
        }[name]
        assert old in theme, f"the theme's {name} no longer has {old!r}"
        return theme.replace(old, new, 1)

    # --- what the builds should make of it ----------------------------------------------------

    def problems(self) -> list[str]:
        """Why a build of these files must fail; empty when it must succeed."""
        out = ["site.yaml: per_page 0"] if self.config_broken else []
        if any(BROKEN_TEMPLATE in text for text in self.overrides.values()):
            out.append("a template override does not parse")
        seen: dict[str, int] = {}
        for b in self.briefs.values():
            if b.bad_date:
                out.append(f"{b.file}: bad date")
            if not b.published:
                continue
            if seen.setdefault(b.page_slug, b.bid) != b.bid:
                out.append(f"{b.file}: duplicate slug {b.page_slug}")
            if b.dangling:
                out.append(f"{b.file}: link to {b.dangling}")
            for link in b.links:
                target = self.briefs.get(link.target)
                if target is None or not target.published or target.bad_date:
                    out.append(f"{b.file}: link to unpublished brief {link.target}")
                elif link.anchor is not None and link.anchor not in target.headings:
                    out.append(f"{b.file}: link to missing #section-{link.anchor}")
            out += [f"{b.file}: link to topic {t}" for t in b.topic_links if t not in self.topics]
            if b.image and b.bid not in self.images:
                out.append(f"{b.file}: missing image")
        return out

    def expected_error(self) -> type[BriefgenError] | None:
        if self.config_broken:
            return ConfigError
        return ContentError if self.problems() else None

    def check_output(self, tree: dict[str, bytes | None]) -> None:
        """The clean build shows what the model says (a check on the walk more than on briefgen):
        one page per published brief, no trace of any other brief, current titles only."""
        published = {b.page_slug: b for b in self.briefs.values() if b.published}
        pages = {m.group(1) for k in tree if (m := re.fullmatch(r"briefs/([^/]+)/index\.html", k))}
        assert pages == set(published), f"brief pages {sorted(pages)} != {sorted(published)}"
        markers = {b.title[b.title.index("(brief") :] for b in published.values()}
        for rel, data in tree.items():
            if data is None or not rel.endswith((".html", ".xml", ".json", ".txt")):
                continue
            text = data.decode("utf-8")
            listed = set(re.findall(rf"{BASE_PATH}briefs/([a-z0-9-]+)/", text))
            assert listed <= set(published), f"{rel} lists {sorted(listed - set(published))}"
            stale = set(re.findall(r"\(brief \d+ rev \d+\)", text)) - markers
            assert not stale, f"{rel} shows titles no published brief has: {sorted(stale)}"
        for b in published.values():
            assert b.title.encode() in tree[f"briefs/{b.page_slug}/index.html"], b.title


def new_brief(site: SiteModel, rng: random.Random, topics: list[str]) -> BriefModel:
    bid = site.next()
    date = random_date(rng)
    style = rng.randrange(4)
    name = [
        f"{date[:10]}-report-{bid}.md",  # slug from the file name, without the date
        f"Report-{bid}.md",  # slug lowercased
        f"2024/report-{bid}.md",  # a subfolder: linked to by bare file name or relative path
        f"notes-{bid}.md",
    ][style]
    words = " ".join(rng.choices(WORDS, k=3)).capitalize()
    b = BriefModel(
        bid=bid,
        file=name,
        title=f"{words} (brief {bid} rev {site.next()})",
        summary=f"Summary {site.next()} of brief {bid}, about {rng.choice(WORDS)}.",
        date=date,
        topics=rng.sample(topics, k=rng.choice([1, 1, 2])),
        sections=[Section(None, [paragraph(rng)])],
        slug=f"story-{bid}" if style == 3 or rng.random() < 0.2 else None,
        tags=rng.sample(TAGS, k=rng.randint(0, 2)),
        note=f"Note {site.next()}." if rng.random() < 0.35 else None,
        toc=rng.random() < 0.2,
        key_fact=f"Fact {site.next()}" if rng.random() < 0.3 else None,
    )
    for _ in range(rng.randint(0, 2)):
        b.sections.append(Section(site.next(), [paragraph(rng) for _ in range(rng.randint(1, 2))]))
    site.briefs[bid] = b
    return b


def initial_site(rng: random.Random, search: bool, count: int = 25) -> SiteModel:
    """``count`` briefs over five topics (four described), two drafts and one scheduled, with
    links (some to headings), footnotes, two images, two links to topics and a static file."""
    site = SiteModel(search=search)
    site.settings = {
        "title": "Test Briefings",
        "description": "A site made by the tests.",
        "per_page": 3,
        "related": 3,
        "feeds_limit": 8,
        "toc": False,
        "tagline": "first",
    }
    for slug in FIRST_TOPICS[:4]:
        site.topics[slug] = TopicModel(slug.capitalize(), f"All about {slug}.", paragraph(rng))
    for _ in range(count):
        new_brief(site, rng, FIRST_TOPICS)
    everyone = list(site.briefs.values())
    for b in rng.sample(everyone, 2):
        b.draft = True
    rng.choice([b for b in everyone if not b.draft]).date = "2025-09-15"  # scheduled
    published = [b for b in everyone if b.published]
    for _ in range(12):
        source, target = rng.sample(everyone, 2)
        if target.published:
            anchor = rng.choice([None, *target.headings])
            source.links.append(Link(target.bid, anchor, rng.random() < 0.5))
    for b in rng.sample(published, 2):
        b.image = True
        site.images[b.bid] = picture(64, 40, seed=int.from_bytes(rng.randbytes(32)) % 997)
    for b in rng.sample(published, 2):
        b.topic_links.append(rng.choice(sorted(site.topics)))
    site.static["static/notes/readme.txt"] = b"Notes for readers.\n"
    return site


# --- the walk ----------------------------------------------------------------------------------


BREAKS = ["dangling", "date", "anchor", "draft", "slug", "template", "config", "image"]


class Walk:
    """Seeded edits to a SiteModel. Each edit returns a description, or None when it does not
    apply to the site as it is (another is drawn). Edits come from a shuffled deck, so that a
    short walk still makes many kinds of edit. An edit that breaks the site leaves a fix for
    the next step, or for the one after with an unrelated edit in between."""

    EDITS = {  # edit → copies in the deck
        "add_brief": 1,
        "edit_body": 2,
        "edit_heading": 1,
        "edit_links": 1,
        "edit_title": 2,
        "edit_summary": 1,
        "edit_topics": 2,
        "edit_tags": 1,
        "edit_date": 1,
        "delete_brief": 1,
        "rename_brief": 1,
        "toggle_draft": 1,
        "edit_topic_file": 1,
        "edit_template": 1,
        "edit_site_yaml": 1,
        "edit_static": 1,
        "edit_image": 1,
        "touch": 1,
        "break_site": 2,
    }
    # edits that neither undo nor depend on whatever a broken step broke
    WHILE_BROKEN = ["add_brief", "edit_title", "edit_summary", "edit_static", "edit_tags"]

    def __init__(self, seed: int, search: bool) -> None:
        self.rng = random.Random(seed)
        self.site = initial_site(self.rng, search)
        self.deck: list[str] = []
        self.breaks: list[str] = []
        self.fix: Callable[[], str] | None = None
        self.waited = False
        self.touched: str | None = None  # a file the last step touched
        self.done: set[str] = set()  # kinds of edit made so far, breaks as break_site/<how>

    def step(self, breaking: str | None = None) -> str:
        """One edit; ``breaking`` names a way to break the site on purpose instead."""
        self.touched = None
        if breaking is not None:
            done = self.break_site(breaking)
            assert done is not None, breaking
            return f"broken on purpose: {done}"
        if self.fix is not None:
            if not self.waited and self.rng.random() < 0.5:
                self.waited = True
                return "while broken, " + self.draw(self.WHILE_BROKEN)
            fix, self.fix, self.waited = self.fix, None, False
            return fix()
        return self.draw()

    def draw(self, kinds: list[str] | None = None) -> str:
        while True:
            if kinds:
                kind = self.rng.choice(kinds)
            else:
                if not self.deck:
                    self.deck = [k for k, n in self.EDITS.items() for _ in range(n)]
                    self.rng.shuffle(self.deck)
                kind = self.deck.pop()
            done = getattr(self, kind)()
            if done is not None:
                self.done.add(kind)
                return f"{kind}: {done}"

    # --- helpers ------------------------------------------------------------------------------

    def pick(self, condition: Callable[[BriefModel], bool] = lambda b: True) -> BriefModel | None:
        found = [b for b in self.site.briefs.values() if condition(b)]
        return self.rng.choice(found) if found else None

    def used_topics(self) -> list[str]:
        return sorted({t for b in self.site.briefs.values() for t in b.topics})

    def inbound(self, bid: int) -> list[tuple[BriefModel, Link]]:
        return [
            (b, link) for b in self.site.briefs.values() for link in b.links if link.target == bid
        ]

    def unlink(self, bid: int) -> int:
        """Remove every link to brief ``bid``, as an editor does before taking it down."""
        count = 0
        for b in self.site.briefs.values():
            count += len(b.links)
            b.links = [link for link in b.links if link.target != bid]
            count -= len(b.links)
        return count

    # --- edits -----------------------------------------------------------------------------

    def add_brief(self) -> str:
        b = new_brief(self.site, self.rng, self.used_topics())
        targets = [t for t in self.site.briefs.values() if t.published and t is not b]
        for target in self.rng.sample(targets, k=min(len(targets), self.rng.randint(0, 2))):
            anchor = self.rng.choice([None, *target.headings])
            b.links.append(Link(target.bid, anchor, self.rng.random() < 0.5))
        return f"{b.file} in {b.topics} dated {b.date}, {len(b.links)} links"

    def edit_body(self) -> str | None:
        b = self.pick()
        assert b is not None
        section = self.rng.choice(b.sections)
        how = self.rng.choice(["append", "replace", "remove", "note"])
        if how == "append":
            section.paragraphs.append(paragraph(self.rng))
        elif how == "replace":
            i = self.rng.randrange(len(section.paragraphs))
            section.paragraphs[i] = paragraph(self.rng)
        elif how == "remove" and len(section.paragraphs) > 1:
            section.paragraphs.pop()
        elif how == "note":
            b.note = None if b.note and self.rng.random() < 0.4 else f"Note {self.site.next()}."
        else:
            return None
        return f"{how} in {b.file}"

    def edit_heading(self) -> str | None:
        if self.rng.random() < 0.5:
            b = self.pick()
            assert b is not None
            hid = self.site.next()
            b.sections.insert(
                self.rng.randint(1, len(b.sections)), Section(hid, [paragraph(self.rng)])
            )
            source = self.pick(lambda s: s is not b)
            if source and b.published and self.rng.random() < 0.7:
                source.links.append(Link(b.bid, hid, self.rng.random() < 0.5))
                return f"add #section-{hid} to {b.file}, linked from {source.file}"
            return f"add #section-{hid} to {b.file}"
        # remove a heading, preferably one another brief links to, and fix those links
        linked = {link.anchor for b in self.site.briefs.values() for link in b.links}
        b = self.pick(lambda b: bool(set(b.headings) & linked)) or self.pick(lambda b: b.headings)
        if b is None:
            return None
        hid = self.rng.choice(b.headings)
        for section in b.sections:
            if section.heading == hid:
                section.heading = None  # its paragraphs join the section before
        fixed = 0
        for _, link in self.inbound(b.bid):
            if link.anchor == hid:
                link.anchor = self.rng.choice([None, *b.headings])
                fixed += 1
        return f"remove #section-{hid} from {b.file}, fixing {fixed} links"

    def edit_links(self) -> str | None:
        b = self.pick()
        assert b is not None
        how = self.rng.choice(["add", "add", "remove", "topic"])
        if how == "add":
            target = self.pick(lambda t: t.published and t is not b)
            if target is None:
                return None
            anchor = self.rng.choice([None, *target.headings])
            b.links.append(Link(target.bid, anchor, self.rng.random() < 0.5))
            return f"{b.file} links to {target.file}" + (f"#section-{anchor}" if anchor else "")
        if how == "remove" and b.links:
            link = b.links.pop(self.rng.randrange(len(b.links)))
            return f"{b.file} no longer links to brief {link.target}"
        if how == "topic":
            slug = self.rng.choice(sorted(self.site.topics))
            b.topic_links.append(slug)
            return f"{b.file} links to topic {slug}"
        return None

    def edit_title(self) -> str:
        b = self.pick()
        assert b is not None
        words = " ".join(self.rng.choices(WORDS, k=3)).capitalize()
        b.title = f"{words} (brief {b.bid} rev {self.site.next()})"
        return f"{b.file} is now {b.title!r}"

    def edit_summary(self) -> str:
        b = self.pick()
        assert b is not None
        b.summary = f"Summary {self.site.next()} of brief {b.bid}."
        return b.file

    def edit_tags(self) -> str:
        b = self.pick()
        assert b is not None
        b.tags = self.rng.sample(TAGS, k=self.rng.randint(0, 3))
        return f"{b.file} tagged {b.tags}"

    def edit_topics(self) -> str | None:
        used = self.used_topics()
        how = self.rng.choice(["add", "drop", "primary", "new", "empty"])
        if how == "empty":  # move every brief out of one topic
            counts = {t: sum(t in b.topics for b in self.site.briefs.values()) for t in used}
            small = [t for t in used if counts[t] <= 4 and len(used) > 2]
            if not small:
                return None
            gone = self.rng.choice(small)
            for b in self.site.briefs.values():
                if gone in b.topics:
                    b.topics.remove(gone)
                    if not b.topics:
                        b.topics.append(self.rng.choice([t for t in used if t != gone]))
            return f"topic {gone} emptied ({counts[gone]} briefs moved)"
        b = self.pick()
        assert b is not None
        before = list(b.topics)
        if how == "add" and len(b.topics) < len(used):
            b.topics.append(self.rng.choice([t for t in used if t not in b.topics]))
        elif how == "drop" and len(b.topics) > 1:
            b.topics.pop(self.rng.randrange(len(b.topics)))
        elif how == "primary" and len(b.topics) > 1:
            b.topics.append(b.topics.pop(0))
        elif how == "new":
            fresh = [t for t in NEW_TOPICS if t not in used] or [f"topic-{self.site.next()}"]
            b.topics = [fresh[0]]
        else:
            return None
        return f"{b.file}: {before} → {b.topics}"

    def edit_date(self) -> str | None:
        scheduled = self.pick(lambda b: b.date[:10] > TODAY)
        if scheduled and self.rng.random() < 0.3:
            scheduled.date = random_date(self.rng)
            return f"{scheduled.file} rescheduled into the past: {scheduled.date}"
        b = self.pick(lambda b: b.date[:10] <= TODAY)
        if b is None:
            return None
        if self.rng.random() < 0.1:
            b.date = "2025-08-20"
            return f"{b.file} scheduled for {b.date}, {self.unlink(b.bid)} links removed"
        before, b.date = b.date, random_date(self.rng)
        return f"{b.file}: {before} → {b.date}"

    def delete_brief(self) -> str | None:
        if len(self.site.briefs) < 8:
            return None
        b = self.pick()
        assert b is not None
        del self.site.briefs[b.bid]
        self.site.images.pop(b.bid, None)
        return f"{b.file} (/{b.page_slug}/), {self.unlink(b.bid)} links to it removed"

    def rename_brief(self) -> str:
        b = self.pick()
        assert b is not None
        before, slug_before = b.file, b.page_slug
        n = self.site.next()
        how = self.rng.choice(["rename", "move", "keep-url", "drop-slug"])
        folder = posixpath.dirname(b.file)
        if how == "move":
            folder = "" if folder else "2024"
        name = self.rng.choice([f"{b.date[:10]}-renamed-{n}.md", f"Renamed-{n}.md"])
        b.file = posixpath.join(folder, name)
        if how == "keep-url":
            b.slug = slug_before  # the address stays as it was
        elif how == "drop-slug":
            b.slug = None
        # the links follow the file, as an editor fixing them would make them
        return f"{before} → {b.file} ({how}): /{slug_before}/ → /{b.page_slug}/"

    def toggle_draft(self) -> str | None:
        b = self.pick(lambda b: b.date[:10] <= TODAY)
        if b is None:
            return None
        b.draft = not b.draft
        if b.draft:
            return f"{b.file} back to draft, {self.unlink(b.bid)} links to it removed"
        return f"{b.file} published"

    def edit_topic_file(self) -> str | None:
        undescribed = [t for t in self.used_topics() if t not in self.site.topics]
        how = self.rng.choice(["title", "description", "intro", "add", "remove"])
        if how == "add" and undescribed:
            slug = self.rng.choice(undescribed)
            self.site.topics[slug] = TopicModel(
                f"{slug.capitalize()} desk", "Described at last.", paragraph(self.rng)
            )
            return f"content/topics/{slug}.md added"
        if how == "remove" and len(self.site.topics) > 1:
            slug = self.rng.choice(sorted(self.site.topics))
            del self.site.topics[slug]
            for b in self.site.briefs.values():
                b.topic_links = [t for t in b.topic_links if t != slug]
            return f"content/topics/{slug}.md removed"
        if how not in ("title", "description", "intro") or not self.site.topics:
            return None
        slug = self.rng.choice(sorted(self.site.topics))
        t = self.site.topics[slug]
        if how == "title":
            t.title = f"{slug.capitalize()} {self.site.next()}"
        elif how == "description":
            t.description = f"Described {self.site.next()} times."
        else:
            t.intro = paragraph(self.rng) + "\n"
        return f"{how} of topic {slug}"

    def edit_template(self) -> str | None:
        if self.site.overrides and self.rng.random() < 0.35:
            name = self.rng.choice(sorted(self.site.overrides))
            del self.site.overrides[name]
            return f"templates/{name} removed"
        name = self.rng.choice(OVERRIDES)
        self.site.overrides[name] = self.site.override_text(name, self.site.next())
        return f"templates/{name} written"

    def edit_site_yaml(self) -> str:
        s = self.site.settings
        key = self.rng.choice(sorted(s))
        values: dict[str, list[object]] = {
            "title": [f"Briefings {self.site.next()}"],
            "description": [f"Edition {self.site.next()} of the tests' site.", ""],
            "per_page": [2, 3, 4, 5],
            "related": [0, 2, 3],
            "feeds_limit": [5, 8, 20],
            "toc": [not s["toc"]],
            "tagline": [f"tagline-{self.site.next()}"],
        }
        before, s[key] = s[key], self.rng.choice(values[key])
        return f"{key}: {before!r} → {s[key]!r}"

    def edit_static(self) -> str:
        rel = self.rng.choice(STATIC_FILES)
        if rel in self.site.static and self.rng.random() < 0.35:
            del self.site.static[rel]
            return f"{rel} removed"
        n = self.site.next()
        if rel.endswith(".css"):  # replaces the theme's style.css
            theme_css = REPO / "themes" / "default" / rel
            self.site.static[rel] = theme_css.read_bytes() + f"\n/* edition {n} */\n".encode()
        elif rel.endswith(".svg"):
            self.site.static[rel] = (
                f'<svg xmlns="http://www.w3.org/2000/svg" id="m{n}"/>\n'.encode()
            )
        else:
            self.site.static[rel] = f"Notes for readers, edition {n}.\n".encode()
        return f"{rel} written"

    def edit_image(self) -> str | None:
        with_image = self.pick(lambda b: b.image)
        if with_image and self.rng.random() < 0.6:
            if self.rng.random() < 0.7:
                self.site.images[with_image.bid] = picture(
                    72, 40, seed=int.from_bytes(self.rng.randbytes(40)) % 997
                )
                return f"map of {with_image.file} redrawn"
            with_image.image = False
            if self.rng.random() < 0.5:
                del self.site.images[with_image.bid]
            return f"{with_image.file} no longer shows its map"
        b = self.pick(lambda b: not b.image)
        if b is None:
            return None
        b.image = True
        self.site.images[b.bid] = picture(48, 40, seed=int.from_bytes(self.rng.randbytes(24)) % 997)
        return f"{b.file} shows a map"

    def touch(self) -> str:
        self.touched = self.rng.choice(sorted(self.site.files()))
        return f"{self.touched} touched, not changed"

    # --- broken edits, each with its fix ----------------------------------------------------------

    def break_site(self, how: str | None = None) -> str | None:
        if how is None:
            if not self.breaks:
                self.breaks = BREAKS[1:]  # a dangling link is in every walk anyway
                self.rng.shuffle(self.breaks)
            how = self.breaks.pop()
        done = self.broken(how)
        if done is not None:
            self.done.add(f"break_site/{how}")
        return done

    def broken(self, how: str) -> str | None:
        """Break the site in the way ``how`` names and leave the fix in ``self.fix``."""
        site = self.site
        b = self.pick(lambda b: b.published)
        assert b is not None
        if how == "dangling":
            b.dangling = f"no-such-brief-{site.next()}.md"

            def fix() -> str:
                b.dangling = None
                return f"fix: {b.file} no longer links to the missing file"

            self.fix = fix
            return f"{b.file} links to {b.dangling}, which does not exist"
        if how == "date":
            b.bad_date = True

            def fix() -> str:
                b.bad_date = False
                return f"fix: {b.file} has a date again"

            self.fix = fix
            return f"{b.file}: date: someday"
        if how == "anchor":  # remove a heading another brief links to, without fixing the links
            target = self.pick(lambda t: t.published and bool(t.headings) and t is not b)
            if target is None:
                return None
            hid = target.headings[0]
            b.links.append(Link(target.bid, hid, False))
            for section in target.sections:
                if section.heading == hid:
                    section.heading = None

            def fix() -> str:
                for _, link in self.inbound(target.bid):
                    if link.anchor == hid:
                        link.anchor = None
                return f"fix: links to {target.file}#section-{hid} lose the anchor"

            self.fix = fix
            return f"#section-{hid} removed from {target.file}, which {b.file} links to"
        if how == "draft":  # a brief others link to goes back to draft
            target = self.pick(lambda t: t.published and t is not b)
            if target is None:
                return None
            b.links.append(Link(target.bid, None, True))
            target.draft = True

            def fix() -> str:
                target.draft = False
                return f"fix: {target.file} published again"

            self.fix = fix
            return f"{target.file}, linked from {b.file}, back to draft"
        if how == "slug":
            other = self.pick(lambda t: t.published and t is not b)
            if other is None:
                return None
            before, b.slug = b.slug, other.page_slug

            def fix() -> str:
                b.slug = before
                return f"fix: {b.file} has its own slug again"

            self.fix = fix
            return f"{b.file} takes the slug of {other.file}: {b.slug}"
        if how == "template":
            before = site.overrides.get("brief.html")
            site.overrides["brief.html"] = (
                before or site.override_text("brief.html", 0)
            ) + BROKEN_TEMPLATE

            def fix() -> str:
                if before is None:
                    del site.overrides["brief.html"]
                else:
                    site.overrides["brief.html"] = before
                return "fix: templates/brief.html parses again"

            self.fix = fix
            return "templates/brief.html has an unclosed {% if %}"
        if how == "config":
            site.config_broken = True

            def fix() -> str:
                site.config_broken = False
                return "fix: site.yaml per_page is valid again"

            self.fix = fix
            return "site.yaml: per_page: 0"
        if how == "image":
            target = self.pick(lambda t: t.published and t.image and t.bid in site.images)
            if target is None:
                return None
            data = site.images.pop(target.bid)

            def fix() -> str:
                site.images[target.bid] = data
                return f"fix: the map of {target.file} is back"

            self.fix = fix
            return f"the map {target.file} shows is deleted"
        raise AssertionError(how)


# --- the random walks --------------------------------------------------------------------------

# Between them these walks make every kind of edit (test_the_walks_make_every_kind_of_edit);
# after a change to the walk, that test says whether other seeds are needed.
SEEDS = (1, 3, 7, 16)
SEARCH_SEED = 2  # a shorter walk with the Pagefind index, which costs more per build


def walks(steps: int) -> list[tuple[int, bool, int]]:
    """(seed, search, steps) of each walk."""
    return [(seed, False, steps) for seed in SEEDS] + [(SEARCH_SEED, True, max(1, steps // 2))]


def walk_steps(walk: Walk, steps: int) -> Iterator[str]:
    """The walk's edits, one per step, with a broken link and its fix wherever the seed says."""
    broken_link_at = walk.rng.randrange(1, max(2, steps // 2 + 1))
    for step in range(1, steps + 1):
        if step >= broken_link_at and walk.fix is None:
            broken_link_at = steps + 1
            yield walk.step(breaking="dangling")
        else:
            yield walk.step()


def test_the_walks_make_every_kind_of_edit() -> None:
    """The default walks between them make every kind of edit and break the site every way
    (replayed without building: their edits do not depend on the builds)."""
    done: set[str] = set()
    for seed, search, steps in walks(DEFAULT_STEPS):
        walk = Walk(seed, search)
        for _ in walk_steps(walk, steps):
            pass
        done |= walk.done
    wanted = set(Walk.EDITS) | {f"break_site/{how}" for how in BREAKS}
    assert wanted <= done, f"never made: {sorted(wanted - done)}"


@pytest.mark.parametrize(
    ("seed", "search", "steps"),
    [pytest.param(*w, id=f"seed{w[0]}" + ("-search" if w[1] else "")) for w in walks(STEPS)],
)
def test_incremental_build_equals_clean_build(
    seed: int, search: bool, steps: int, tmp_path: Path
) -> None:
    """After every step of a seeded walk, the cached build equals a clean build byte for byte;
    after a broken step both fail and the site stays as it was."""
    root, clean = tmp_path / "site", tmp_path / "clean"
    root.mkdir()
    walk = Walk(seed, search)
    history = [f"seed {seed}, search {'on' if search else 'off'}: initial site"]
    last_good: dict[str, bytes | None] | None = None

    for step, what in enumerate(itertools.chain([""], walk_steps(walk, steps))):
        if step:
            history.append(f"step {step}: {what}")
        walk.site.write(root)
        if walk.touched is not None:
            later = (root / walk.touched).stat().st_mtime_ns + 2 * 10**9
            os.utime(root / walk.touched, ns=(later, later))
        expected = walk.site.expected_error()
        story = "\n".join(history if len(history) < 20 else [history[0], "…", *history[-18:]])
        assert (expected is None) == (walk.fix is None), (
            f"the walk itself went wrong: {walk.site.problems()}\n{story}"
        )

        try:
            incremental_error = attempt(root)
            cache_before = snapshot(root / CACHE_DIR)
            clean_error = attempt(root, cache=False, output_dir=str(clean))
        except Exception as exc:  # a crash rather than a diagnostic: say which step did it
            pytest.fail(f"the build crashed: {exc!r}\n{story}")
        assert snapshot(root / CACHE_DIR) == cache_before, f"cache=False wrote the cache\n{story}"
        got = snapshot(root / "public")
        if expected is None:
            assert clean_error is None, f"{explain(clean_error)}\n{story}"
            assert incremental_error is None, f"{explain(incremental_error)}\n{story}"
            want = snapshot(clean)
            difference = tree_difference(got, want, ("incremental", "clean"))
            if difference:
                pytest.fail(f"incremental and clean builds differ:\n{difference}\n\n{story}")
            walk.site.check_output(want)
            if walk.touched is not None:
                assert want == last_good, f"touching a file changed the site\n{story}"
            last_good = want
        else:
            for name, error in (("clean", clean_error), ("incremental", incremental_error)):
                assert isinstance(error, expected), (
                    f"{name} build: expected {expected.__name__}, got {explain(error)}\n{story}"
                )
            assert last_good is not None
            difference = tree_difference(got, last_good, ("after", "before"))
            if difference:
                pytest.fail(f"a failed build changed the site:\n{difference}\n\n{story}")


# --- focused tests -----------------------------------------------------------------------------


def small_site(make_site: Callable[..., Path]) -> Path:
    return make_site(
        {
            "content/briefs/alpha.md": brief(
                "Alpha", "2025-02-01", body="First words.\n\n## The numbers\n\nMore words.\n"
            ),
            "content/briefs/beta.md": brief(
                "Beta",
                "2025-02-02",
                topics="[cartels, border]",
                body="See [the numbers](alpha.md#the-numbers).\n",
            ),
            "content/briefs/gamma.md": brief("Gamma", "2025-02-03", topics="[border]"),
            "content/briefs/delta.md": brief("Delta", "2025-03-04", topics="[drones]"),
            "content/briefs/draft.md": brief("Draft", "2025-03-05", extra="draft: true\n"),
            "content/briefs/scheduled.md": brief("Scheduled", "2025-06-02T09:00:00+00:00"),
            "content/briefs/expiring.md": brief(
                "Expiring", "2025-05-01", extra="expires: 2025-06-02T09:00:00+00:00\n"
            ),
            "content/topics/cartels.md": topic(),
            "static/notes.txt": "Notes.\n",
        },
        site_yaml=SITE_YAML + "search:\n  enabled: false\n",
    )


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def backdate(folder: Path, seconds: int = 10) -> dict[str, int]:
    """Set every file's mtime back, so a rewrite shows even on a clock with coarse ticks."""
    for p in folder.rglob("*"):
        if p.is_file():
            old = p.stat().st_mtime_ns - seconds * 10**9
            os.utime(p, ns=(old, old))
    return mtimes(folder)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("touch", [False, True], ids=["untouched", "every-source-touched"])
def test_rebuild_of_an_unchanged_site_rewrites_nothing(
    make_site: Callable[..., Path], tmp_path: Path, touch: bool
) -> None:
    """Nothing changed (or every source touched, not changed): every output file keeps its
    mtime, so a deploy with rsync or a CDN sync sends nothing."""
    root = small_site(make_site)
    build(root)
    before = snapshot(root / "public")
    stamps = backdate(root / "public")
    if touch:
        later = time.time_ns() + 2 * 10**9
        for p in root.rglob("*"):
            if p.is_file() and not p.relative_to(root).parts[0].startswith(("public", ".")):
                os.utime(p, ns=(later, later))
    build(root)
    assert snapshot(root / "public") == before
    after = mtimes(root / "public")
    rewritten = sorted(rel for rel in stamps if after.get(rel) != stamps[rel])
    assert not rewritten, f"rewritten although their bytes did not change: {rewritten}"
    assert before == clean_build(root, tmp_path / "clean")


def test_editing_one_brief_rewrites_only_what_changed(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    root = small_site(make_site)
    build(root)
    before = snapshot(root / "public")
    stamps = backdate(root / "public")
    edit(root / "content/briefs/gamma.md", "Body text.\n", "Body text.\n\nA new paragraph.\n")
    build(root)
    after = assert_same_as_clean(root, tmp_path / "clean")
    now = mtimes(root / "public")

    page = "briefs/gamma/index.html"
    assert before[page] != after[page]
    assert b"A new paragraph." in (root / "public" / page).read_bytes()
    assert now[page] != stamps[page], "the edited brief's page was not written"
    same = [rel for rel in now if rel in before and before[rel] == after[rel]]
    assert "briefs/delta/index.html" in same and "static/notes.txt" in same
    rewritten = sorted(rel for rel in same if now[rel] != stamps[rel])
    assert not rewritten, f"rewritten although their bytes did not change: {rewritten}"


def test_a_deleted_brief_leaves_no_page_and_no_mention(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    root = small_site(make_site)
    build(root)
    assert (root / "public/briefs/delta/index.html").is_file()
    (root / "content/briefs/delta.md").unlink()  # the only brief of its topic, too
    build(root)
    tree = assert_same_as_clean(root, tmp_path / "clean")
    assert not (root / "public/briefs/delta").exists()
    mentions = [
        rel
        for rel, data in tree.items()
        if data is not None and (b"briefs/delta/" in data or b"Delta" in data)
    ]
    assert not mentions, f"the deleted brief is still listed in {mentions}"


def test_a_build_without_the_cache_neither_creates_nor_changes_it(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    root = small_site(make_site)
    build(root, cache=False)
    assert not (root / CACHE_DIR).exists()
    build(root, cache=False, overrides=Overrides(str(tmp_path / "elsewhere")))
    assert not (root / CACHE_DIR).exists()

    build(root)
    cache = snapshot(root / CACHE_DIR)
    edit(root / "content/briefs/alpha.md", "title: Alpha", "title: Alpha, retitled")
    build(root, cache=False)
    assert snapshot(root / CACHE_DIR) == cache
    assert b"Alpha, retitled" in (root / "public/briefs/alpha/index.html").read_bytes()


def test_a_build_after_deleting_the_cache_equals_a_clean_build(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    root = small_site(make_site)
    build(root)
    edit(root / "content/briefs/alpha.md", "title: Alpha", "title: Alpha, retitled")
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    build(root)
    assert_same_as_clean(root, tmp_path / "clean")
    edit(root / "content/briefs/gamma.md", "topics: [border]", "topics: [drones]")
    build(root)  # with the cache the previous build wrote
    assert_same_as_clean(root, tmp_path / "clean")


@pytest.mark.parametrize("damage", ["output-deleted", "page-deleted", "page-edited"])
def test_output_changed_by_hand_is_repaired(
    make_site: Callable[..., Path], tmp_path: Path, damage: str
) -> None:
    """The cache describes the sources, not the output folder: a page deleted or edited by
    hand (or the whole folder gone) is written again even though no source changed."""
    root = small_site(make_site)
    build(root)
    page = root / "public/briefs/gamma/index.html"
    if damage == "output-deleted":
        shutil.rmtree(root / "public")
    elif damage == "page-deleted":
        page.unlink()
    else:
        page.write_bytes(page.read_bytes().replace(b"Gamma", b"Gamm4"))
    build(root)
    assert_same_as_clean(root, tmp_path / "clean")


def corrupt(path: Path, how: str, rng: random.Random) -> None:
    data = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(rng.randbytes(max(len(data), 64)))


@pytest.mark.parametrize("how", ["empty", "truncated", "garbage"])
def test_a_corrupted_cache_falls_back_to_a_clean_build(
    make_site: Callable[..., Path], tmp_path: Path, how: str
) -> None:
    root = small_site(make_site)
    build(root)
    files = sorted(p for p in (root / CACHE_DIR).rglob("*") if p.is_file())
    assert files, f"a cached build left nothing in {CACHE_DIR}/ to corrupt"
    rng = random.Random(how)
    for path in files:
        corrupt(path, how, rng)
    build(root)  # nothing changed but the cache
    assert_same_as_clean(root, tmp_path / "clean")

    for path in files:
        if path.is_file():
            corrupt(path, how, rng)
    edit(root / "content/briefs/alpha.md", "title: Alpha", "title: Alpha, retitled")
    edit(root / "content/briefs/beta.md", "See [the numbers]", "See [the figures]")
    build(root)
    assert_same_as_clean(root, tmp_path / "clean")
    build(root)  # and the cache it wrote instead works
    assert_same_as_clean(root, tmp_path / "clean")


def test_time_passing_publishes_and_expires_with_no_file_changed(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time of the build is an input too: a daily build with no file changed must publish
    the brief scheduled for today and take down the one that expired."""
    root = small_site(make_site)
    build(root)
    assert not (root / "public/briefs/scheduled").exists()
    assert (root / "public/briefs/expiring/index.html").is_file()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(NOW_EPOCH + 86_400))
    build(root)
    assert_same_as_clean(root, tmp_path / "clean")
    assert (root / "public/briefs/scheduled/index.html").is_file()
    assert not (root / "public/briefs/expiring").exists()


@pytest.mark.parametrize(
    "options",
    [{"base_url": "https://example.net/elsewhere/"}, {"drafts": True}, {"future": True}],
    ids=["base-url", "drafts", "future"],
)
def test_build_options_are_inputs_of_the_cache(
    make_site: Callable[..., Path], tmp_path: Path, options: dict[str, Any]
) -> None:
    """Command-line options change the output as much as files do: a cached build with an
    option, then without it, each equals the clean build with the same options."""
    root = small_site(make_site)
    build(root)
    build(root, overrides=Overrides(**options))
    assert_same_as_clean(root, tmp_path / "clean", **options)
    build(root)
    assert_same_as_clean(root, tmp_path / "clean")


def test_a_build_into_another_folder_writes_the_whole_site(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """The cache knows the sources, not what is in a given output folder (``briefgen serve``
    builds into a temporary one): another folder gets every file, and the site's own output
    is still right afterwards."""
    root = small_site(make_site)
    build(root)
    other = tmp_path / "other"
    build(root, overrides=Overrides(str(other)))
    assert_same_as_clean(root, tmp_path / "clean", output=str(other))
    edit(root / "content/briefs/gamma.md", "title: Gamma", "title: Gamma, retitled")
    build(root, overrides=Overrides(str(other)))
    build(root)
    assert_same_as_clean(root, tmp_path / "clean")
    assert_same_as_clean(root, tmp_path / "clean", output=str(other))


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """A change within one tick of a coarse clock, or a tool that restores mtimes (cp -p,
    rsync -t, tar), leaves size and mtime as they were: the cache must look at the bytes."""
    root = small_site(make_site)
    build(root)
    source = root / "content/briefs/gamma.md"
    stat = source.stat()
    edit(source, "Body text.", "Body t3xt.")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert source.stat().st_size == stat.st_size
    build(root)
    assert b"Body t3xt." in (root / "public/briefs/gamma/index.html").read_bytes()
    assert_same_as_clean(root, tmp_path / "clean")


def test_failed_build_keeps_the_site_and_the_next_good_build_catches_up(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """Edits made while the site was broken are all in the first build after the fix."""
    root = small_site(make_site)
    build(root)
    before = snapshot(root / "public")
    edit(root / "content/briefs/beta.md", "alpha.md#the-numbers", "alpha.md#the-figures")
    edit(root / "content/briefs/gamma.md", "title: Gamma", "title: Gamma, retitled")
    with pytest.raises(ContentError):
        build(root)
    assert snapshot(root / "public") == before
    edit(root / "content/briefs/alpha.md", "## The numbers", "## The figures")
    build(root)
    assert_same_as_clean(root, tmp_path / "clean")
    assert b"Gamma, retitled" in (root / "public/briefs/gamma/index.html").read_bytes()
