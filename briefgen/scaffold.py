"""``briefgen new``: write a fresh brief with valid front matter, never over an existing file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from briefgen.config import base_url_problem
from briefgen.content import BRIEFS_DIR
from briefgen.frontmatter import FORBIDDEN_CHARS
from briefgen.settings import PLACEHOLDER_BASE_URL
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
    for name, text in (("title", title), ("summary", summary or "")):
        bad = FORBIDDEN_CHARS.search(text) or re.search("[\x85\u2028\u2029]", text)
        if bad:
            raise ScaffoldError(
                f"the {name} contains the control character U+{ord(bad.group()):04X}"
            )
    title = " ".join(title.split())
    summary = " ".join(summary.split()) if summary else None
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
    text += (
        _SOURCES_HINT
        + "---\n\nWrite the brief here; cite each source where a claim rests on it, as in `[@ap]`.\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": refuse to overwrite
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{path.relative_to(root).as_posix()} already exists; not overwritten"
        ) from None
    return path


def init_site(
    target: Path,
    title: str = "Briefings",
    today: dt.date | None = None,
    base_url: str | None = None,
) -> list[Path]:
    """Create a new site in ``target`` (absent or empty): site.yaml, a topic, a first brief
    and a .gitignore. It builds as it is. Returns the files written.

    Without ``base_url``, site.yaml gets the placeholder ``https://example.org/``: feeds and
    the sitemap need an absolute address, and the build warns about the placeholder until
    it is replaced (``check --strict`` fails on it), where a path such as ``/`` would have
    given them relative URLs without a word.
    """
    if base_url is not None and base_url_problem(base_url):
        raise ScaffoldError(f"--base-url: {base_url_problem(base_url)}")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} exists and is not an empty folder; not touching it")
    today = today or dt.date.today()
    config = {
        "title": title,
        "description": "Short, sourced briefs on a developing story.",
        "base_url": base_url or PLACEHOLDER_BASE_URL,
        "language": "en",
        "per_page": 10,
    }
    files = {
        "site.yaml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
        ".gitignore": "/public/\n/.briefgen-cache/\n",
        "content/topics/general.md": _front(
            {"title": "General", "description": "Briefs that do not belong to a narrower topic."}
        )
        + "\nThis introduction opens the topic's page. Describe what the topic covers.\n",
        f"content/briefs/{today.isoformat()}-first-brief.md": _front(
            {
                "title": "Your first brief",
                "date": today,
                "summary": "A brief summarises one item of a developing story in a few paragraphs.",
                "topics": ["general"],
                "key_facts": ["Each brief is one Markdown file with YAML front matter"],
                "sources": [
                    {
                        "id": "docs",
                        "title": "briefgen README",
                        "publisher": "briefgen",
                        "url": "https://pypi.org/project/briefgen/",
                    }
                ],
            }
        )
        + _FIRST_BODY,
    }
    written = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


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


def _front(fields: dict[str, object]) -> str:
    return (
        "---\n" + yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000) + "---\n"
    )


_FIRST_BODY = """
Write the body in Markdown, and cite the brief's sources by their `id` where a claim rests
on them [@docs]: each citation becomes the source's number, linked to the list of sources
at the end of the page. Link to other briefs by their file name, as in
`[the raids](2025-02-04-raids.md)`, and to topics the same way, as in
[General](../topics/general.md): the links become page addresses.

## Next steps

- Add briefs with `briefgen new "Title" --topic general`.
- Describe topics in `content/topics/`.
- Check everything with `briefgen check`; preview with `briefgen serve`.
"""
