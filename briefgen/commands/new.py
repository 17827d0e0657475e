"""``briefgen new``: a fresh brief with valid front matter, never over an existing file nor on
an existing brief's page."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefgen.config.schema import CONFIG_FILE
from briefgen.model.diagnostics import Diagnostics, UsageError, cannot_write
from briefgen.model.urls import MAX_SLUG, slug_from_filename, slugify
from briefgen.read import frontmatter
from briefgen.read.discover import BRIEFS_DIR, TOPICS_DIR, discover
from briefgen.read.frontmatter import FORBIDDEN_CHARS


class ScaffoldError(UsageError):
    """The brief or site cannot be created (no site, bad title or topic, the file exists, the
    folder is not empty)."""


@dataclass(frozen=True)
class NewBrief:
    """What ``new`` wrote, and what the editor should know about it."""

    path: Path
    slug: str
    taken_by: str | None  # the brief whose slug the title would have had, when there is one
    unknown_topics: tuple[tuple[str, tuple[str, ...]], ...]  # (topic, close existing topics)


def new_brief(
    root: Path,
    title: str,
    topics: list[str],
    *,
    summary: str | None = None,
    date: dt.date | None = None,
    draft: bool = True,
) -> NewBrief:
    """Create ``content/briefs/YYYY-MM-DD-<slug>.md`` (the brief's date) and describe it.

    New briefs start as drafts (``draft: true``), as in Hugo's archetypes: the summary
    written here is a prompt for the editor, and the brief is published once the editor
    removes the draft line or builds with ``--drafts``.

    The slug comes from the title. When another brief already has it, from its file name
    or its ``slug:``, the new brief takes the first free ``<slug>-2``, ``<slug>-3``…
    rather than refusing: the editor asked for a brief and gets one that builds, and
    ``taken_by`` says why its page differs from the title. Topics without a file in
    content/topics/ are kept (a new topic is legitimate; the build names it from its
    slug) and listed in ``unknown_topics`` with the close existing ones, for a typo.
    """
    title, summary, topic_slugs = _checked(root, title, summary, topics)
    wanted = slugify(title)
    date = date or dt.date.today()
    taken = brief_slugs(root)
    slug, path = _free_name(root, wanted, date, taken)
    front: dict[str, object] = {
        "title": title,
        "date": date,
        "summary": summary or f"One or two plain sentences on {title}.",
        "topics": list(dict.fromkeys(topic_slugs)),
    }
    if draft:
        front["draft"] = True
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    text += (
        _SOURCES_HINT
        + "---\n\nWrite the brief here; cite each source where a claim rests on it, as in `[@ap]`.\n"
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScaffoldError(cannot_write(path.parent.relative_to(root).as_posix(), exc)) from None
    write_new(path, text, path.relative_to(root).as_posix())
    return NewBrief(path, slug, taken.get(wanted), _unknown_topics(root, topic_slugs))


def write_new(target: Path, text: str, rel: str) -> None:
    """Write a file that must not exist yet (``rel`` names it in messages); a ScaffoldError
    when it does or the disk will not take it (a read-only folder, a full disk), and then no
    part of it is left."""
    try:
        handle = target.open("x", encoding="utf-8")  # "x": refuse to overwrite
    except FileExistsError:
        raise ScaffoldError(f"{rel} already exists; not overwritten") from None
    except OSError as exc:
        raise ScaffoldError(cannot_write(rel, exc)) from None
    try:
        with handle:
            handle.write(text)
    except OSError as exc:
        target.unlink(missing_ok=True)  # what this call began, and nothing else
        raise ScaffoldError(cannot_write(rel, exc)) from None


def _checked(
    root: Path, title: str, summary: str | None, topics: list[str]
) -> tuple[str, str | None, list[str]]:
    """Title, summary and topic slugs as they will be written; a ScaffoldError when there is
    no site here or a value cannot go into front matter."""
    if not (root / CONFIG_FILE).is_file():
        where = "the current folder" if str(root) == "." else str(root)
        raise ScaffoldError(
            f"no {CONFIG_FILE} in {where}: run it in a site's folder or pass --source "
            "(briefgen init DIR creates a site)"
        )
    for name, text in (("title", title), ("summary", summary or "")):
        bad = FORBIDDEN_CHARS.search(text) or re.search("[\x85\u2028\u2029]", text)
        if bad:
            raise ScaffoldError(
                f"the {name} contains the control character U+{ord(bad.group()):04X}"
            )
    title = " ".join(title.split())
    summary = " ".join(summary.split()) if summary else None
    if not slugify(title):
        raise ScaffoldError(f"cannot make a file name from the title {title!r}")
    topic_slugs = [slugify(t) if isinstance(t, str) else "" for t in topics]
    if not topic_slugs or not all(topic_slugs):
        raise ScaffoldError("give at least one --topic with letters or digits")
    return title, summary, topic_slugs


def _free_name(root: Path, wanted: str, date: dt.date, taken: dict[str, str]) -> tuple[str, Path]:
    """The first of ``wanted``, ``wanted-2``, ``wanted-3``… that no brief has and no file uses."""
    slug, path, n = wanted, root / BRIEFS_DIR / f"{date.isoformat()}-{wanted}.md", 1
    while slug in taken or path.exists():
        n += 1
        # cut the title's slug so that the suffix survives the build's own length limit
        slug = f"{slugify(wanted, MAX_SLUG - len(str(n)) - 1)}-{n}"
        path = root / BRIEFS_DIR / f"{date.isoformat()}-{slug}.md"
    return slug, path


def brief_slugs(root: Path) -> dict[str, str]:
    """Every brief's slug (its ``slug:``, else its file name without the date) and its file,
    as the build derives them; a file whose front matter cannot be read keeps its name's."""
    slugs: dict[str, str] = {}
    for path in discover(root, BRIEFS_DIR, Diagnostics()):
        rel = path.relative_to(root).as_posix()
        slug = slug_from_filename(path.stem)
        try:
            doc = frontmatter.split(rel, path.read_text(encoding="utf-8"), Diagnostics())
        except (OSError, UnicodeDecodeError):
            doc = None
        given = doc.meta.data.get("slug") if doc else None
        if isinstance(given, str) and slugify(given):
            slug = slugify(given)
        slugs.setdefault(slug, rel)
    return slugs


def _unknown_topics(root: Path, wanted: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    known = sorted({slugify(p.stem) for p in discover(root, TOPICS_DIR, Diagnostics())} - {""})
    return tuple(
        (t, tuple(difflib.get_close_matches(t, known, n=3)))
        for t in dict.fromkeys(wanted)
        if t not in known
    )


# Commented out, so that the draft stays valid; `check` warns until the brief has sources.
# No quotes: a quote left open above would otherwise run on to one here.
_SOURCES_HINT = """\
# sources:
#   - id: ap
#     title: Headline of the report
#     publisher: Associated Press
#     url: https://apnews.com/...
#     date: 2025-02-04
"""
