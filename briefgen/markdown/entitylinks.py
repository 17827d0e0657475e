"""Links a brief's people, organizations and places to their pages where the body first
names them (``markdown.link_entities: true`` in ``site.yaml``; off by default).

Only running text is linked: never a heading, never text already inside a link, and each
entity once per brief, at the first of its names (the one in front matter, or an alias from
its file in ``content/entities/``). Names match whole words, as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token


def link_first_mentions(tokens: Sequence[Token], entities: Sequence[tuple[str, str]]) -> None:
    """Rewrite ``tokens`` in place: the first mention of each URL's names becomes a link.
    ``entities`` holds (name, URL) pairs; an entity with aliases has one pair per name."""
    left = {name: url for name, url in entities if name.strip()}
    for index, token in enumerate(tokens):
        if not left:
            return
        if token.type != "inline" or not token.children:
            continue
        if index and tokens[index - 1].type == "heading_open":
            continue
        token.children = _link_children(token.children, left)


def _link_children(children: list[Token], left: dict[str, str]) -> list[Token]:
    out: list[Token] = []
    depth = 0
    for child in children:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        if child.type != "text" or depth or not left:
            out.append(child)
            continue
        out.extend(_split(child.content, left))
    return out


def _split(text: str, left: dict[str, str]) -> list[Token]:
    """``text`` as text tokens, with a link around the first mention of each name left."""
    out: list[Token] = []
    while left:
        names = sorted(left, key=lambda n: (-len(n), n))  # the longest name wins a tie
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
        match = pattern.search(text)
        if match is None:
            break
        name = match.group(0)
        if match.start():
            out.append(_text(text[: match.start()]))
        url = left[name]
        for other in [n for n, u in left.items() if u == url]:  # its aliases are done too
            del left[other]
        link = Token("link_open", "a", 1)
        link.attrs = {"href": url, "class": "entity-link"}
        out.extend((link, _text(name), Token("link_close", "a", -1)))
        text = text[match.end() :]
    if text:
        out.append(_text(text))
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
