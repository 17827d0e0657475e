"""How a shortcode is written, and the block rule that finds it.

The syntax is Hugo's, chosen because it

- reads well in a diff: a shortcode is one line, its arguments named (``title="…"``);
- means nothing in CommonMark: ``{{<`` is plain text there, so a body stays readable in any
  Markdown viewer and nothing CommonMark means is taken away (MyST's directives are fenced
  code blocks to every other tool; ``:::`` containers need a closing line even without a
  body);
- stays text inside code spans and code blocks, which the parser reads before this rule
  looks at a line (a fence or an indented block takes its lines whole);
- is what a desk coming from Hugo, the most common static generator of news sites, already
  writes, and what ``briefgen import hugo`` keeps.

A shortcode starts a line (up to three spaces in): ``{{< name arg key="value" >}}``, its
arguments possibly over several lines. When a line ``{{< /name >}}`` follows, the lines
between are its body, Markdown; ``{{< name … />}}`` says there is none. An argument is a
word, or a text in double or single quotes (``\\"`` and ``\\\\`` escape inside double quotes),
by position or as ``key=value``. A word holds no ``=`` but in a query after its ``?``, so
that an address is written bare (``https://www.youtube.com/watch?v=…``) while ``a=b=c``
stays a mistake.

Hugo's escape shows a shortcode as text, for a brief that explains how one is written:
``{{</* figure src="x" */>}}`` is drawn as ``{{< figure src="x" >}}``, with nothing inside
read as Markdown, wherever it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

OPEN = "{{<"
CLOSE = ">}}"
ESCAPED = re.compile(r"\{\{<\s*/\*(.*?)\*/\s*>\}\}", re.S)
NAME = re.compile(r"[a-z][a-z0-9_-]*")
_ARG = re.compile(
    r"""\s*(?:(?P<key>[A-Za-z_][\w-]*)=)?(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=?]+(?:\?[^\s"']*)?))""",
    re.S,
)
_CLOSING = re.compile(r"\{\{<\s*/\s*([a-z][a-z0-9_-]*)\s*>\}\}\s*$")
_OPENING_NAME = re.compile(r"\{\{<\s*([a-z][a-z0-9_-]*)")
TEXT_BODIES = "briefgen_text_bodies"  # in the parser's env: the shortcodes whose body is text
MAX_TAG_LINES = 40  # an opening tag's arguments may run over this many lines at most


@dataclass(frozen=True)
class Arg:
    """One argument as written: its name (None by position), its text, and its column in the
    line (from 1) and line within the tag (from 0)."""

    key: str | None
    value: str
    line: int
    col: int


@dataclass(frozen=True)
class Tag:
    """An opening tag: the name, its arguments, whether it closed itself (``/>}}``), and the
    problem with how it is written ("" when none)."""

    name: str
    args: tuple[Arg, ...]
    self_closing: bool = False
    problem: str = ""


def parse_tag(text: str) -> Tag:
    """``text``: from ``{{<`` to ``>}}`` included, possibly over several lines."""
    inner = text[len(OPEN) : -len(CLOSE)]
    self_closing = inner.rstrip().endswith("/")
    if self_closing:
        inner = inner.rstrip()[:-1]
    lead = len(inner) - len(inner.lstrip())
    name = NAME.match(inner, lead)
    if name is None:
        return Tag("", (), problem="a shortcode's name is lowercase letters, digits, - and _")
    args, pos = [], name.end()
    while pos < len(inner) and inner[pos:].strip():
        if not inner[pos].isspace():
            return Tag(name.group(0), tuple(args), self_closing, _stray(inner, pos))
        match = _ARG.match(inner, pos)
        if match is None:
            return Tag(name.group(0), tuple(args), self_closing, _stray(inner, pos))
        start = match.start("key") if match.group("key") else _value_start(match)
        line, col = _place(text, len(OPEN) + start)
        value = _value(match)
        args.append(Arg(match.group("key"), value, line, col))
        pos = match.end()
    return Tag(name.group(0), tuple(args), self_closing)


def _value_start(match: re.Match[str]) -> int:
    for group in ("dq", "sq", "bare"):
        if match.group(group) is not None:
            return match.start(group) - (group != "bare")
    return match.start()


def _value(match: re.Match[str]) -> str:
    if match.group("dq") is not None:
        return re.sub(r"\\(.)", r"\1", match.group("dq"), flags=re.S)
    if match.group("sq") is not None:
        return match.group("sq")
    return match.group("bare")


def _stray(inner: str, pos: int) -> str:
    bit = inner[pos:].strip().split()[0][:20]
    return f'cannot read the argument {bit!r}: write key="value", or a value in quotes'


def _place(text: str, offset: int) -> tuple[int, int]:
    """(line within the tag from 0, column in that line from 1) of ``offset`` in ``text``."""
    before = text[:offset]
    line = before.count("\n")
    return line, offset - (before.rfind("\n") + 1) + 1


def shortcode_plugin(md: MarkdownIt) -> None:
    """The block rule, before paragraphs (it may interrupt one): code blocks and fences have
    taken their lines before it looks."""
    md.block.ruler.before(
        "paragraph",
        "shortcode",
        _shortcode_block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.before("text", "shortcode_escape", _escape)


def _escape(state: StateInline, silent: bool) -> bool:
    """``{{</* … */>}}`` → the text ``{{< … >}}``. A ``text_special`` token, so the
    typographer leaves its quotes straight (it is code-like text, quoted as written)."""
    if not state.src.startswith("{{</*", state.pos):
        return False
    found = ESCAPED.match(state.src, state.pos)
    if found is None:
        return False
    if not silent:
        token = state.push("text_special", "", 0)
        token.content = f"{OPEN} {found.group(1).strip()} {CLOSE}"
        token.markup = found.group(0)
    state.pos = found.end()
    return True


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _shortcode_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = _line(state, start)
    if not first.startswith(OPEN) or _CLOSING.match(first) or _escaped(first):
        return False
    if silent:
        return True
    last = start
    while CLOSE not in _line(state, last) and last + 1 < end and last - start < MAX_TAG_LINES:
        if not _line(state, last + 1).strip():
            break
        last += 1
    text = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[last]]
    cut = text.find(CLOSE)
    token = state.push("shortcode_open", "", 1)
    token.map = [start, last + 1]
    token.markup = OPEN
    token.meta = {"col": state.sCount[start] + 1}
    if cut < 0:
        token.meta["tag"] = Tag(
            _name_of(text), (), problem=f"no closing {CLOSE} before a blank line"
        )
        state.push("shortcode_close", "", -1)
        state.line = last + 1
        return True
    tag = parse_tag(text[: cut + len(CLOSE)])
    if text[cut + len(CLOSE) :].strip():
        tag = Tag(
            tag.name, tag.args, tag.self_closing, "nothing may follow a shortcode on its line"
        )
    token.meta["tag"] = tag
    close = None if tag.self_closing or not tag.name else _closing_line(state, start, last, end)
    if close is None:
        state.push("shortcode_close", "", -1)
        state.line = last + 1
        return True
    token.meta["body"] = True
    if tag.name in state.env.get(TEXT_BODIES, ()):  # data, not Markdown: kept as written
        token.meta["text"] = "\n".join(_line(state, n) for n in range(last + 1, close))
        token.meta["text_line"] = last + 1
    else:
        _tokenize_body(state, last + 1, close)
    closing = state.push("shortcode_close", "", -1)
    closing.map = [close, close + 1]
    state.line = close + 1
    return True


def _escaped(text: str) -> bool:
    """Whether a line starts with Hugo's escape, ``{{</*``: text, not a shortcode."""
    return text[len(OPEN) :].lstrip().startswith("/*")


def _name_of(text: str) -> str:
    found = _OPENING_NAME.match(text)
    return found.group(1) if found else ""


def _closing_line(state: StateBlock, start: int, last: int, end: int) -> int | None:
    """The line of the ``{{< /name >}}`` that closes the shortcode opened on ``start`` (its
    tag ending on ``last``), or None. Openings and closings are paired once per body,
    innermost first, so a body of thousands of shortcodes is read in one pass."""
    close = _pairs(state).get(start)
    return close if close is not None and last < close < end else None


_PAIRS = "briefgen_shortcode_pairs"  # in the parser's env: id of the state → its pairs


def _pairs(state: StateBlock) -> dict[int, int]:
    """Opening line → closing line of every paired shortcode of the state's lines."""
    cache = state.env.setdefault(_PAIRS, {})
    key = (id(state), len(state.bMarks))
    if key not in cache:
        stacks: dict[str, list[int]] = {}
        pairs: dict[int, int] = {}
        for line in range(len(state.bMarks) - 1):
            text = _line(state, line)
            if not text.startswith(OPEN) or _escaped(text):
                continue
            closing = _CLOSING.match(text)
            if closing:
                opened = stacks.get(closing.group(1))
                if opened:
                    pairs[opened.pop()] = line
            elif not _self_closing(state, line):
                stacks.setdefault(_name_of(text), []).append(line)
        cache[key] = pairs
    return cache[key]


def _self_closing(state: StateBlock, line: int) -> bool:
    """Whether the tag opened on ``line`` ends with ``/>}}`` (on a later line, too)."""
    for here in range(line, min(line + MAX_TAG_LINES, len(state.bMarks) - 1)):
        text = _line(state, here)
        if CLOSE in text:
            return text[: text.find(CLOSE)].rstrip().endswith("/")
        if here > line and not text.strip():
            return False
    return False


def _tokenize_body(state: StateBlock, start: int, end: int) -> None:
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "shortcode"  # type: ignore[assignment]
    state.lineMax = end
    state.md.block.tokenize(state, start, end)
    state.parentType, state.lineMax = old_parent, old_max
