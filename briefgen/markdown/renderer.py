"""The one configured Markdown renderer: CommonMark plus tables, strikethrough, footnotes,
heading anchors and smart typography, with links between briefs resolved to page URLs."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.config.values import MarkdownConfig
from briefgen.markdown.citations import ENV_KEY, LABEL_KEY, citation_plugin, numbering
from briefgen.markdown.entitylinks import link_first_mentions
from briefgen.markdown.links import LinkContext, Resolver, resolve_links
from briefgen.markdown.shortcode_args import Context as ShortcodeContext
from briefgen.markdown.shortcode_syntax import TEXT_BODIES, shortcode_plugin
from briefgen.markdown.shortcodes import ENV_KEY as SHORTCODES_KEY
from briefgen.markdown.shortcodes import ShortcodeRenderer, ShortcodeTable, check_shortcodes
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.rendered import LinkRef, SiteLink
from briefgen.model.site import Heading
from briefgen.model.urls import slugify
from briefgen.pictures import picture_html

if TYPE_CHECKING:
    from markdown_it.renderer import RendererHTML
    from markdown_it.utils import EnvType, OptionsDict


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
    md = MarkdownIt(
        "commonmark",
        {"html": options.allow_html, "typographer": options.typographer},
        renderer_cls=ShortcodeRenderer,
    )
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
    md.use(shortcode_plugin)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.add_render_rule("image", _picture_rule(options.image_sizes))
    if options.extend is not None:  # plugins' rules, after briefgen's own
        options.extend(md)
    return md


def _picture_rule(sizes: str) -> Callable[..., str]:
    """Local pictures as ``<picture>`` with every width and format (their ``Shown`` was set
    on the token when links were resolved); other images as markdown-it writes them."""

    def rule(
        self: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        token = tokens[idx]
        shown = token.meta.get("shown") if token.meta else None
        if shown is None:
            return self.image(tokens, idx, options, env)
        alt = self.renderInlineAsText(token.children or [], options, env)
        return picture_html(shown, alt, sizes, title=str(token.attrGet("title") or ""))

    return rule


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
    citation_label: str = "source {source}",
    language: str = "en",
    shortcode_words: Mapping[str, str] | None = None,
) -> Rendered:
    """Render a brief's body to HTML.

    Relative links to ``.md`` files become page URLs and local images are checked, through
    ``resolver``; a target that does not exist is an error at its line and column. So is a
    citation (``[@id]``) of an id that is not among ``sources``, the ids of the brief's
    sources in order (``None`` for a source without one). With ``options.link_entities``,
    the first mention of each of ``entities`` (name, page URL) is linked to its page.
    Shortcodes are checked and drawn with ``options.shortcodes``, in ``language`` with the
    theme words ``shortcode_words`` (see :mod:`briefgen.markdown.shortcodes`).
    """
    md = make_parser(options)
    table = options.shortcodes or ShortcodeTable()
    env: dict = {ENV_KEY: numbering(sources), LABEL_KEY: citation_label}
    env[TEXT_BODIES] = table.text_bodies()  # the parser keeps their bodies as text
    tokens = md.parse(body, env)
    if options.link_entities and entities:
        link_first_mentions(tokens, entities)
    lines = body.split("\n")
    headings: list[Heading] = []
    links: list[LinkRef] = []
    tally = 0  # words of running text (``words`` are the shortcodes' theme words)
    context = LinkContext(path, body_line, lines, resolver, diags, env[ENV_KEY], [], [])
    shortcodes = ShortcodeContext(
        path, body_line, lines, resolver, diags, table, env[ENV_KEY], language, context.cited
    )
    env[SHORTCODES_KEY] = (table, shortcode_words or {})
    for i, token in enumerate(tokens):
        if token.type == "shortcode_open" or (token.type == "inline" and "{{" in token.content):
            check_shortcodes([token], shortcodes)
        if token.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(
                t.content for t in inline.children or () if t.type in ("text", "code_inline")
            )
            headings.append(Heading(int(token.tag[1]), str(token.attrGet("id")), text))
        if token.type == "inline" and token.children:
            tally += sum(
                count_words(t.content) for t in token.children if t.type in ("text", "code_inline")
            )
            span = (token.map[0], token.map[1]) if token.map else (0, len(lines))
            resolve_links(token.children, span, context, links)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html, tuple(headings), tuple(links), tally, tuple(context.cited), tuple(context.site_links)
    )
