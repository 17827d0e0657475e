"""The one configured Markdown renderer: CommonMark plus tables, strikethrough, footnotes,
heading anchors and smart typography, with links between briefs resolved to page URLs."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.config.values import MarkdownConfig
from briefgen.markdown.citations import ENV_KEY, citation_plugin, numbering
from briefgen.markdown.entitylinks import link_first_mentions
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.site import Heading
from briefgen.model.urls import slugify

ImageResolver = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class Resolver:
    """What links and images in a body may point at.

    ``targets`` maps content paths (``content/briefs/x.md``) to page URLs, plus
    ``name:<file name>`` to the content path of each uniquely named brief; ``unpublished``
    maps briefs left out of this build to the reason; ``images`` maps an image's ``src`` and
    the brief's path to the URL to emit, or ``None`` when the image does not exist.
    ``site_host`` is the host of an absolute ``base_url`` (``example.org``): links to it are
    links into the site, kept with root-relative ones to be checked against the output.
    """

    targets: Mapping[str, str] = field(default_factory=dict)
    unpublished: Mapping[str, str] = field(default_factory=dict)
    images: ImageResolver | None = None
    site_host: str = ""


@dataclass(frozen=True)
class LinkRef:
    """A link from one content file to another, kept so anchors can be checked later."""

    source: str
    target: str  # content path of the target file
    anchor: str
    line: int
    col: int


@dataclass(frozen=True)
class SiteLink:
    """A link into the site by URL rather than by ``.md`` file (``/briefings/topics/x/`` or
    ``https://example.org/briefings/x/``): whether a page answers it is known only once
    every page is planned."""

    href: str
    line: int
    col: int


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]
    links: tuple[LinkRef, ...]
    words: int = 0  # words of running text, for reading time
    cited: tuple[int, ...] = ()  # the source number of every citation, in document order
    site_links: tuple[SiteLink, ...] = ()


_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def count_words(text: str) -> int:
    """Words as reading time and the word budgets count them (``U.S.-Mexico`` is one)."""
    return len(_WORD.findall(text))


def heading_id(text: str) -> str:
    """Stable heading ids, the same rule as every other slug (``## The numbers`` → ``the-numbers``)."""
    return slugify(text) or "section"


@lru_cache(maxsize=8)
def make_parser(options: MarkdownConfig) -> MarkdownIt:
    # The commonmark preset passes raw HTML through; it is switched off unless allowed.
    md = MarkdownIt("commonmark", {"html": options.allow_html, "typographer": options.typographer})
    # One maxNesting serves blocks and inline runs. The preset's 20 silently drops list items
    # nested past nine levels (an outline pasted from a document), so blocks get 60; inline
    # runs keep 20, as their cost grows with it (a body of 100,000 '[' takes three times as
    # long at 60).
    md.core.ruler.before("block", "block_nesting", _nesting(BLOCK_NESTING))
    md.core.ruler.before("inline", "inline_nesting", _nesting(INLINE_NESTING))
    md.enable(["table", "strikethrough"])
    if options.typographer:
        md.enable(["replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(citation_plugin)
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


BLOCK_NESTING, INLINE_NESTING = 60, 20


def _nesting(limit: int) -> Callable[[StateCore], None]:
    def rule(state: StateCore) -> None:
        state.md.options["maxNesting"] = limit

    return rule


def _heading_ids(state: StateCore) -> None:
    """Give every heading a stable id from its text; repeats get ``-1``, ``-2``….

    Each base id remembers how far it has counted, so a thousand headings of one name cost
    a thousand steps, not half a million.
    """
    used: set[str] = set()
    counters: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        inline = state.tokens[index + 1]
        text = "".join(
            t.content for t in inline.children or () if t.type in ("text", "code_inline")
        )
        base = heading_id(text)
        candidate, n = base, counters.get(base, 0)
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        counters[base] = n
        used.add(candidate)
        token.attrSet("id", candidate)


def render(
    body: str,
    *,
    path: str,
    body_line: int,
    options: MarkdownConfig,
    resolver: Resolver,
    diags: Diagnostics,
    sources: Sequence[str | None] = (),
    entities: Sequence[tuple[str, str]] = (),
) -> Rendered:
    """Render a brief's body to HTML.

    Relative links to ``.md`` files become page URLs and local images are checked, through
    ``resolver``; a target that does not exist is an error at its line and column. So is a
    citation (``[@id]``) of an id that is not among ``sources``, the ids of the brief's
    sources in order (``None`` for a source without one). With ``options.link_entities``,
    the first mention of each of ``entities`` (name, page URL) is linked to its page.
    """
    md = make_parser(options)
    env: dict = {ENV_KEY: numbering(sources)}
    tokens = md.parse(body, env)
    if options.link_entities and entities:
        link_first_mentions(tokens, entities)
    lines = body.split("\n")
    headings: list[Heading] = []
    links: list[LinkRef] = []
    words = 0
    context = _LinkContext(path, body_line, lines, resolver, diags, env[ENV_KEY], [], [])
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(
                t.content for t in inline.children or () if t.type in ("text", "code_inline")
            )
            headings.append(Heading(int(token.tag[1]), str(token.attrGet("id")), text))
        if token.type == "inline" and token.children:
            words += sum(
                count_words(t.content) for t in token.children if t.type in ("text", "code_inline")
            )
            span = (token.map[0], token.map[1]) if token.map else (0, len(lines))
            _resolve_links(token.children, span, context, links)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(html, tuple(headings), tuple(links), words, tuple(context.cited),
                    tuple(context.site_links))  # fmt: skip


@dataclass(frozen=True)
class _LinkContext:
    path: str
    body_line: int
    lines: list[str]
    resolver: Resolver
    diags: Diagnostics
    sources: Mapping[str, int]  # id → number
    cited: list[int]
    site_links: list[SiteLink]


def _resolve_links(
    children: list[Token], span: tuple[int, int], ctx: _LinkContext, links: list[LinkRef]
) -> None:
    """Rewrite ``.md`` links and local images in one inline run, reporting missing targets.

    Inline tokens carry no positions, so each href or src is looked for in the source lines of
    its block, from where the previous one was found on.
    """
    cursor = (span[0], 0)
    breaks = 0

    def where(needle: str) -> tuple[int, int]:
        nonlocal cursor
        found = _locate(ctx.lines, cursor, span[1], needle)
        if found:
            cursor = (found[0], found[1] + 1)
        index, col = found or (min(span[0] + breaks, len(ctx.lines) - 1), 0)
        return index + ctx.body_line, col + 1

    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            breaks += 1
        elif child.type == "citation":
            line, col = where(child.content)
            for ident in child.meta["ids"]:
                if ident in ctx.sources:
                    ctx.cited.append(ctx.sources[ident])
                    continue
                known = ", ".join(sorted(ctx.sources)) or "none; give a source an 'id'"
                ctx.diags.error(ctx.path, line, col,
                                f"citation of unknown source {ident!r} (source ids here: {known})")  # fmt: skip
        elif child.type == "image" and ctx.resolver.images is not None:
            src = str(child.attrGet("src") or "")
            url = ctx.resolver.images(src, ctx.path)
            if url is None:
                line, col = where(src)
                ctx.diags.error(ctx.path, line, col, f"image {src!r} not found")
            elif url != src:
                child.attrSet("src", url)
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            resolved = resolve_href(href, ctx.path, ctx.resolver.targets)
            if resolved is None:
                if _into_site(href, ctx.resolver.site_host):
                    ctx.site_links.append(SiteLink(href, *where(href)))
                continue
            line, col = where(href)
            url, target, anchor = resolved
            if url is None:
                why = ctx.resolver.unpublished.get(target)
                problem = (
                    f"{target} is not published ({why})"
                    if why
                    else f"no such brief or topic ({target})"
                )
                ctx.diags.error(ctx.path, line, col, f"link to {href!r}: {problem}")
                continue
            child.attrSet("href", url + (f"#{anchor}" if anchor else ""))
            links.append(LinkRef(ctx.path, target, anchor, line, col))


def _into_site(href: str, host: str) -> bool:
    """A root-relative link, or an absolute one to the site's own host."""
    if href.startswith("/"):
        return not href.startswith("//")
    parts = urlsplit(href)
    return bool(host) and parts.scheme in ("http", "https") and parts.netloc.lower() == host


def _locate(
    lines: list[str], cursor: tuple[int, int], end: int, href: str
) -> tuple[int, int] | None:
    """(line index, column index) of ``href`` in ``lines`` at or after ``cursor``."""
    needles = dict.fromkeys((href, unquote(href)))
    for index in range(cursor[0], min(end, len(lines))):
        start = cursor[1] if index == cursor[0] else 0
        hits = [c for n in needles if (c := lines[index].find(n, start)) >= 0]
        if hits:
            return index, min(hits)
    return None


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
