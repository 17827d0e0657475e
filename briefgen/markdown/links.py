"""Links and images in a body: relative links to ``.md`` files become page URLs, local images
are checked through the resolver, citations are numbered, and links into the site by URL are
kept to be checked once every page is planned. Every target that does not exist is an error
at its line and column."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from briefgen.model.diagnostics import Diagnostics
from briefgen.model.rendered import FILENAME_KEY, LinkRef, SiteLink
from briefgen.pictures import ImageResolver, Shown, Unreadable, alt_is_file_name
from briefgen.plugins.shortcodes import LocalFile


@dataclass(frozen=True)
class Resolver:
    """What links and images in a body may point at.

    ``targets`` maps content paths (``content/briefs/x.md``) to page URLs, plus
    ``name:<file name>`` to the content path of each uniquely named brief; ``unpublished``
    maps briefs left out of this build to the reason; ``images`` answers for an image's
    ``src`` and the brief's path (see ``ImageResolver``).
    ``files`` and ``shortcodes`` answer for shortcodes (see :mod:`briefgen.markdown.shortcodes`).
    ``site_host`` is the host of an absolute ``base_url`` (``example.org``): links to it are
    links into the site, kept with root-relative ones to be checked against the output.
    """

    targets: Mapping[str, str] = field(default_factory=dict)
    unpublished: Mapping[str, str] = field(default_factory=dict)
    images: ImageResolver | None = None
    site_host: str = ""
    # a file a shortcode names (its src and the brief's path) → the file as published, its
    # address to leave as it is, or None: no such file
    files: Callable[[str, str], LocalFile | str | None] | None = None
    # a shortcode's name → the digest of what draws it (its template): a cached body that
    # drew it is rendered again when that changes
    shortcodes: Callable[[str], str] | None = None


@dataclass(frozen=True)
class LinkContext:
    """Where one body's links are resolved: its file, its lines, and what it collects."""

    path: str
    body_line: int
    lines: list[str]
    resolver: Resolver
    diags: Diagnostics
    sources: Mapping[str, int]  # id → number
    cited: list[int]
    site_links: list[SiteLink]


def resolve_links(
    children: list[Token], span: tuple[int, int], ctx: LinkContext, links: list[LinkRef]
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
                ctx.diags.error(
                    ctx.path,
                    line,
                    col,
                    f"citation of unknown source {ident!r} (source ids here: {known})",
                )
        elif child.type == "image" and ctx.resolver.images is not None:
            _image(child, where, ctx)
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


def _image(token: Token, where: Callable[[str], tuple[int, int]], ctx: LinkContext) -> None:
    """An image's ``src`` resolved: a local picture gets how pages show it (its ``Shown``,
    written by the renderer as ``<picture>``); a missing or unreadable file is an error."""
    src = str(token.attrGet("src") or "")
    found = ctx.resolver.images(src, ctx.path)  # type: ignore[misc]
    if found is None or isinstance(found, Unreadable):
        why = "not found" if found is None else f"cannot be read: {found.reason}"
        ctx.diags.error(ctx.path, *where(src), f"image {src!r} {why}")
    elif isinstance(found, Shown):
        token.meta["shown"] = found
        token.attrSet("src", found.src)
        _check_alt(token, src, where, ctx)
    elif found != src:
        token.attrSet("src", found)


def _check_alt(
    token: Token, src: str, where: Callable[[str], tuple[int, int]], ctx: LinkContext
) -> None:
    """A picture of the site's own needs alt text that says what it shows."""
    alt = "".join(t.content for t in token.children or ()).strip()
    if not alt:
        problem = "has no alt text: describe what it shows, ![like this](img/map.png)"
    elif alt_is_file_name(alt, src):
        problem = f"has alt text {alt!r}, its file's name: describe what the picture shows"
    else:
        return
    ctx.diags.warning(ctx.path, *where(src), f"image {src!r} {problem}")
