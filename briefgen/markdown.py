"""The one configured Markdown renderer: CommonMark plus tables, strikethrough, footnotes,
heading anchors and smart typography, with links between briefs resolved to page URLs."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.config import MarkdownConfig
from briefgen.diagnostics import Diagnostics
from briefgen.model import Heading
from briefgen.urls import slugify


@dataclass(frozen=True)
class LinkRef:
    """A link from one content file to another, kept so anchors can be checked later."""

    source: str
    target: str  # content path of the target file
    anchor: str
    line: int
    col: int


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]
    links: tuple[LinkRef, ...]


def heading_id(text: str) -> str:
    """Stable heading ids, the same rule as every other slug (``## The numbers`` → ``the-numbers``)."""
    return slugify(text) or "section"


@lru_cache(maxsize=8)
def make_parser(options: MarkdownConfig) -> MarkdownIt:
    # The commonmark preset passes raw HTML through; it is switched off unless allowed.
    md = MarkdownIt("commonmark", {"html": options.allow_html, "typographer": options.typographer})
    md.enable(["table", "strikethrough"])
    if options.typographer:
        md.enable(["replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_id)
    return md


def render(
    body: str,
    *,
    path: str,
    body_line: int,
    options: MarkdownConfig,
    targets: Mapping[str, str],
    diags: Diagnostics,
) -> Rendered:
    """Render a brief's body to HTML.

    ``targets`` maps content paths (``content/briefs/x.md``) to page URLs; a relative link to a
    ``.md`` file is looked up there, and one that is not found is an error at its line.
    """
    md = make_parser(options)
    env: dict = {}
    tokens = md.parse(body, env)
    lines = body.split("\n")
    headings: list[Heading] = []
    links: list[LinkRef] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(
                t.content for t in inline.children or () if t.type in ("text", "code_inline")
            )
            headings.append(Heading(int(token.tag[1]), str(token.attrGet("id")), text))
        if token.type == "inline" and token.children:
            first = (token.map[0] if token.map else 0) + body_line
            _resolve_links(token.children, first, lines, body_line, path, targets, diags, links)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(html, tuple(headings), tuple(links))


def _resolve_links(
    children: list[Token],
    first_line: int,
    lines: list[str],
    body_line: int,
    path: str,
    targets: Mapping[str, str],
    diags: Diagnostics,
    links: list[LinkRef],
) -> None:
    line = first_line
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "text":
            line += child.content.count("\n")
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            resolved = resolve_href(href, path, targets)
            if resolved is None:
                continue
            url, target, anchor = resolved
            col = _column(lines, line - body_line, href)
            if url is None:
                diags.error(path, line, col, f"link to {href!r}: no such brief or topic ({target})")
                continue
            child.attrSet("href", url + (f"#{anchor}" if anchor else ""))
            links.append(LinkRef(path, target, anchor, line, col))


def resolve_href(
    href: str, path: str, targets: Mapping[str, str]
) -> tuple[str | None, str, str] | None:
    """``None`` when ``href`` is not a relative link to a ``.md`` file; else (url, target, anchor)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md") or parts.path.startswith("/"):
        return None
    relative = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(path), relative))
    if target not in targets and "/" not in relative:
        # a bare file name also finds a brief in another folder, when the name is unique
        target = targets.get(FILENAME_KEY + relative, target)
    return targets.get(target), target, unquote(parts.fragment)


# ``targets`` also maps "name:<file name>" to the content path of a uniquely named brief
FILENAME_KEY = "name:"


def _column(lines: list[str], index: int, href: str) -> int:
    if 0 <= index < len(lines):
        for needle in (href, unquote(href)):
            found = lines[index].find(needle)
            if found >= 0:
                return found + 1
    return 1

