"""Inline citations: ``[@id]`` (or ``[@a; @b]``) in a brief's body points at the entries of
its ``sources`` by their ``id`` and renders as the sources' numbers, linked to the list.

The syntax is Pandoc's, so briefs stay readable as plain Markdown and convert with Pandoc.
Numbers are the sources' positions in front matter (1 for the first), the same numbers the
theme's numbered source list shows; each number links to ``#source-N`` on the page, and the
K-th citation of source N has the id ``cite-N-K`` for the list to link back to.

Only a bracket that is not a link is a citation. ``[@rvagg](https://github.com/rvagg)``,
``[@name][ref]`` and a ``[@name]`` that matches a link reference definition are ordinary
links, as CommonMark reads them: blogs link social handles that way all the time. An ``@``
in running text or in an e-mail address is never looked at. Pandoc's prefixed and located
forms (``[see @id, p. 3]``) are not supported: such a bracket stays text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.link import link
from markdown_it.token import Token

from briefgen.model.briefing import SOURCE_ID_PATTERN

_ID = SOURCE_ID_PATTERN
_CITATION = re.compile(rf"\[@({_ID}(?:\s*[;,]\s*@{_ID})*)\]")
_SPLIT = re.compile(r"\s*[;,]\s*@?")
ENV_KEY = "briefgen_sources"  # in the render env: source id → number
_SEEN_KEY = "briefgen_citations_seen"  # in the render env: number → citations so far


def citation_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "citation", _parse_citation)
    md.add_render_rule("citation", _render_citation)


def numbering(ids: Sequence[str | None]) -> dict[str, int]:
    """Source id → its number, for the sources that have an id."""
    return {ident: n for n, ident in enumerate(ids, 1) if ident}


def _parse_citation(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = _CITATION.match(state.src, state.pos)
    if match is None or _is_link(state):
        return False
    if not silent:
        # "claim [@id]." reads as source text; on the page the raised number hugs the claim
        state.pending = state.pending.rstrip(" ")
        token = state.push("citation", "", 0)
        token.content = match.group(0)
        token.meta = {"ids": _SPLIT.split(match.group(1))}
    state.pos = match.end()
    return True


def _is_link(state: StateInline) -> bool:
    """Whether the bracket at ``state.pos`` opens a link (inline, full, collapsed or shortcut
    reference), by CommonMark's own rule run without output."""
    start = state.pos
    try:
        return link(state, True)
    finally:
        state.pos = start


LABEL_KEY = "citation_label"  # env: a citation's aria-label, {source} its number


def _render_citation(
    self: object, tokens: Sequence[Token], idx: int, options: object, env: dict
) -> str:
    token = tokens[idx]
    numbers: Mapping[str, int] = env.get(ENV_KEY, {})
    if any(ident not in numbers for ident in token.meta["ids"]):
        return escape(token.content)  # reported as an error; shown as written meanwhile
    return citation_html(token.meta["ids"], env)


def citation_html(ids: Sequence[str], env: dict) -> str:
    """The raised, linked numbers of the sources ``ids`` (each known), as the K-th citation
    of each on the page: a ``[@id]`` in text and a shortcode's ``source=`` alike."""
    numbers: Mapping[str, int] = env.get(ENV_KEY, {})
    seen: dict[int, int] = env.setdefault(_SEEN_KEY, {})
    links = []
    for ident in ids:
        n = numbers[ident]
        seen[n] = k = seen.get(n, 0) + 1
        label = escape(env.get(LABEL_KEY, "source {source}").replace("{source}", str(n)))
        links.append(f'<a href="#source-{n}" id="cite-{n}-{k}" aria-label="{label}">{n}</a>')
    return f'<sup class="cite">{",".join(links)}</sup>'
