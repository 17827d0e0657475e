"""``briefgen new``: write a fresh brief with valid front matter, never over an existing file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from briefgen.content import BRIEFS_DIR
from briefgen.urls import slugify


class ScaffoldError(Exception):
    """The brief cannot be created (bad title or topic, or the file exists)."""


def new_brief(
    root: Path,
    title: str,
    topics: list[str],
    *,
    summary: str | None = None,
    date: dt.date | None = None,
    draft: bool = True,
) -> Path:
    """Create ``content/briefs/<slug>.md`` and return its path.

    New briefs start as drafts (``draft: true``), as in Hugo's archetypes: the summary
    written here is a prompt for the editor, and the brief is published once the editor
    removes the draft line or builds with ``--drafts``.
    """
    title = title.strip()
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"cannot make a file name from the title {title!r}")
    topic_slugs = [slugify(t) if isinstance(t, str) else "" for t in topics]
    if not topic_slugs or not all(topic_slugs):
        raise ScaffoldError("give at least one --topic with letters or digits")
    path = root / BRIEFS_DIR / f"{slug}.md"
    front: dict[str, object] = {
        "title": title,
        "date": date or dt.date.today(),
        "summary": summary or f"One or two plain sentences on {title}.",
        "topics": list(dict.fromkeys(topic_slugs)),
    }
    if draft:
        front["draft"] = True
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    text += "---\n\nWrite the brief here.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": refuse to overwrite
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{path.relative_to(root).as_posix()} already exists; not overwritten"
        ) from None
    return path
