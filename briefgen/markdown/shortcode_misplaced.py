"""Shortcodes where none may stand: ``{{<`` inside a paragraph's text (not in code), a
closing tag that closes nothing, and Hugo's ``{{% name %}}``, which briefgen does not read.
Each is an error saying what to write, so that none is shown as text unnoticed;
``{{</* … */>}}`` is how a shortcode is shown as text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

from briefgen.markdown.shortcode_args import Context

_INLINE = re.compile(r"\{\{<(?!\s*/\*)\s*(/?)\s*([a-z][a-z0-9_-]*)?")
_PERCENT = re.compile(r"\{\{%\s*(/?)\s*([a-z][a-z0-9_-]*)")  # Hugo's other form


def report_misplaced(token: Token, ctx: Context) -> None:
    """``{{<`` inside a paragraph's text (not in code): a shortcode out of place; and Hugo's
    ``{{% name %}}``, which briefgen does not read, named so that it is not shown as text
    unnoticed (``{{</* … */>}}`` is the way to show a shortcode as text)."""
    first = token.map[0] if token.map else 0
    for number, text in enumerate(token.content.split("\n")):
        line = ctx.body_line + first + number
        source = ctx.lines[first + number] if first + number < len(ctx.lines) else text
        for found, message in _misplaced(text):
            if not _in_code(text, found.start()):
                col = source.find(found.group(0)) + 1 or 1
                ctx.diags.error(ctx.path, line, col, message)


def _misplaced(text: str) -> Iterator[tuple[re.Match[str], str]]:
    for found in _INLINE.finditer(text):
        if found.group(1):
            yield found, f"{{{{< /{found.group(2) or ''} >}}}} closes no shortcode"
        else:
            yield found, "a shortcode stands on lines of its own, not inside a paragraph"
    for found in _PERCENT.finditer(text):
        name = found.group(2)
        if found.group(1):
            yield found, f"Hugo's {{{{% /{name} %}}}} is not read: close with {{{{< /{name} >}}}}"
        else:
            yield (
                found,
                (
                    f"Hugo's {{{{% {name} %}}}} is not read: write {{{{< {name} >}}}} (a body is "
                    "always Markdown), or {{</* … */>}} to show a shortcode as text"
                ),
            )


def _in_code(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a code span of the line (an odd number of backticks before)."""
    return text[:pos].count("`") % 2 == 1
