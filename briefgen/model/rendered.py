"""A content file's body as the Markdown stage rendered it (:class:`RenderedBody`), which the
cache keeps, assembling reads and the link checks of later stages go through: links to other
content files (:class:`LinkRef`, whose anchors are checked once every body is rendered) and
links into the site by URL (:class:`SiteLink`, checked once every page is planned). And how the
targets that links are resolved against name a brief by its file name alone
(:func:`file_names`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from briefgen.model.diagnostics import Diagnostic
from briefgen.model.site import Body, Heading
from briefgen.util.records import record

# One question a render put to the resolver, with the answer it got: ``("image", src, path,
# url)``, ``(("targets", "get"), key, value)``, ``("site_host", host)`` (markdown/answers.py).
Asked = tuple[Any, ...]  # Any: names, paths, URLs, flags and None, by the kind of question

# The targets of links map content paths to page URLs, and "name:<file name>" to the content
# path of a uniquely named brief (briefgen/markdown/links.py reads them)
FILENAME_KEY = "name:"


@record
class LinkRef:
    """A link from one content file to another, kept so anchors can be checked later."""

    source: str
    target: str  # content path of the target file
    anchor: str
    line: int
    col: int


@record
class SiteLink:
    """A link into the site by URL rather than by ``.md`` file (``/briefings/topics/x/`` or
    ``https://example.org/briefings/x/``): whether a page answers it is known only once
    every page is planned."""

    href: str
    line: int
    col: int


@dataclass(frozen=True)
class Wording:
    """What a body's render writes in its edition's language: a citation's aria-label
    (``{source}``: its number), the language's tag, and the theme words shortcodes use."""

    citation: str = "source {source}"
    language: str = "en"
    words: tuple[tuple[str, str], ...] = ()  # (key, text)


@record
class RenderedBody:
    """A rendered body, and every question it asked the resolver with the answer it got:
    the render may be reused while every answer stays the same."""

    body: Body
    headings: tuple[Heading, ...]
    links: tuple[LinkRef, ...]
    words: int
    problems: tuple[Diagnostic, ...]
    trace: tuple[Asked, ...]
    cited: tuple[int, ...] = ()  # source numbers (small ints cost no memory of their own)
    site_links: tuple[SiteLink, ...] = ()  # checked once every page is planned


def file_names(paths: Iterable[str]) -> dict[str, str]:
    """``name:<file name>`` → content path, for each brief whose file name is unique among
    ``paths``: a link to a bare file name finds it in any folder."""
    names: dict[str, list[str]] = {}
    for path in paths:
        names.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    return {FILENAME_KEY + name: found[0] for name, found in names.items() if len(found) == 1}
