"""``briefgen init``: a new site that builds at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from briefgen.commands.new import ScaffoldError
from briefgen.config.load import base_url_problem
from briefgen.config.schema import PLACEHOLDER_BASE_URL


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
