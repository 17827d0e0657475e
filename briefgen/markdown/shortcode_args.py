"""A shortcode's arguments checked against what it declares, and converted to what its
``prepare`` and template are given: a missing, unknown, repeated or wrong argument is an
error at its line and column, naming what the shortcode takes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markdown_it.token import Token

from briefgen.markdown.links import Resolver
from briefgen.markdown.shortcode_syntax import Arg, Tag
from briefgen.model.diagnostics import Diagnostics
from briefgen.pictures import Shown, Unreadable
from briefgen.plugins.shortcodes import KINDS, Call, LocalFile, Param, Shortcode

if TYPE_CHECKING:
    from briefgen.markdown.shortcodes import ShortcodeTable

_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_BOOL = {"true": True, "yes": True, "false": False, "no": False}


@dataclass
class Context:
    """What checking one body's shortcodes needs."""

    path: str
    body_line: int
    lines: list[str]
    resolver: Resolver
    diags: Diagnostics
    table: ShortcodeTable
    sources: Mapping[str, int]  # source id → number
    language: str
    cited: list[int]


def at(ctx: Context, token: Token, tag_line: int = 0, col: int = 0) -> tuple[str, int, int]:
    """The place of a shortcode (``tag_line`` 0, column 1) or of one of its arguments."""
    line = (token.map[0] if token.map else 0) + tag_line
    if tag_line == 0:
        col += token.meta.get("col", 1) - 1
    return ctx.path, ctx.body_line + line, max(col, 1)


def convert(
    tag: Tag, shortcode: Shortcode, ctx: Context, token: Token, has_body: bool
) -> Call | None:
    """The checked call, or None after reporting every problem of this use."""
    before = len(ctx.diags.errors)
    given = _bind(tag, shortcode, ctx, token)
    where = at(ctx, token, 0, 1)
    label = f"shortcode {tag.name!r}"
    for param in shortcode.params:
        if param.required and param.name not in given:
            how = " (first, by position)" if param.positional else f' ({param.name}="…")'
            ctx.diags.error(*where, f"{label} needs {param.name!r}{how}: {_about(param)}")
    if shortcode.body == "required" and not has_body:
        ctx.diags.error(*where, f"{label} needs a body: the lines up to {{{{< /{tag.name} >}}}}")
    elif shortcode.body == "none" and has_body:
        ctx.diags.error(*where, f"{label} takes no body: remove {{{{< /{tag.name} >}}}}")
    args: dict[str, Any] = {}  # Any: each argument's value, by its kind
    params = {p.name: p for p in shortcode.params}
    for name, arg in given.items():
        value = _kind(params[name], arg, ctx, token, label)
        if value is not None:
            args[name] = value
    token.meta["positions"] = given
    if len(ctx.diags.errors) > before:
        return None
    line = ctx.body_line + (token.map[0] if token.map else 0)
    root = str(ctx.table.root)
    text_line = ctx.body_line + token.meta.get("text_line", 0)

    def warn(message: str, at_line: int | None = None, note: bool = False) -> None:
        place = (ctx.path, at_line, 1) if at_line else at(ctx, token, 0, 1)
        (ctx.diags.note if note else ctx.diags.warning)(*place, f"{label}: {message}")

    return Call(
        tag.name,
        args,
        ctx.path,
        line,
        ctx.language,
        ctx.table.settings,
        (),
        has_body,
        root,
        token.meta.get("text", ""),
        text_line,
        warn,
    )


def _bind(tag: Tag, shortcode: Shortcode, ctx: Context, token: Token) -> dict[str, Arg]:
    """Each argument given, by the parameter it fills; the rest reported."""
    label = f"shortcode {tag.name!r}"
    params = {p.name: p for p in shortcode.params}
    open_slots = [p.name for p in shortcode.params if p.positional]
    given: dict[str, Arg] = {}
    for arg in tag.args:
        where = at(ctx, token, arg.line, arg.col)
        if arg.key is None:
            slot = next((name for name in open_slots if name not in given), None)
            if slot is None:
                ctx.diags.error(*where, f"{label} takes no more arguments by position")
                continue
            given[slot] = arg
        elif arg.key not in params:
            close = difflib.get_close_matches(arg.key, sorted(params), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            takes = ", ".join(sorted(params)) or "none"
            ctx.diags.error(
                *where, f"{label} has no argument {arg.key!r}{hint} (it takes: {takes})"
            )
        elif arg.key in given:
            ctx.diags.error(*where, f"{label}: {arg.key!r} is given twice")
        else:
            given[arg.key] = arg
    return given


def _about(param: Param) -> str:
    return param.help or KINDS.get(param.kind, param.kind)


def _kind(param: Param, arg: Arg, ctx: Context, token: Token, label: str) -> Any:  # Any: by kind
    """``arg``'s value as ``param``'s kind, or None after reporting why it cannot be."""
    where = at(ctx, token, arg.line, arg.col)
    value, name = arg.value, param.name
    if param.choices and value not in param.choices:
        ctx.diags.error(*where, f"{label}: {name} must be one of {', '.join(param.choices)}")
        return None
    if param.kind == "text":
        return value
    if param.kind == "url":
        if not is_web_address(value):
            ctx.diags.error(*where, f"{label}: {name} {value!r} is not an http or https address")
            return None
        return value
    if param.kind == "int":
        if not value.isdigit():
            ctx.diags.error(*where, f"{label}: {name} must be a whole number, not {value!r}")
            return None
        return int(value)
    if param.kind == "bool":
        if value.lower() not in _BOOL:
            ctx.diags.error(*where, f"{label}: {name} must be true or false, not {value!r}")
            return None
        return _BOOL[value.lower()]
    if param.kind == "date":
        if not _DATE.match(value):
            ctx.diags.error(*where, f"{label}: {name} {value!r} is not a date (2025-02-04)")
            return None
        return value
    if param.kind == "file_or_url" and is_web_address(value):
        return value
    found = _reference(param, arg, ctx, where, label)
    if param.kind == "source" and found is not None:
        token.meta.setdefault("sources", {})[name] = value
    return found


def _reference(
    param: Param, arg: Arg, ctx: Context, where: tuple[str, int, int], label: str
) -> Any:  # Any: a LocalFile, how a picture is shown, or a source's (number, id)
    """A ``file``, ``file_or_url`` (not an address), ``picture`` or ``source`` argument:
    what it names, looked up."""
    value, name = arg.value, param.name
    if param.kind == "source":
        number = ctx.sources.get(value)
        if number is None:
            known = ", ".join(sorted(ctx.sources)) or "none; give a source an 'id'"
            ctx.diags.error(
                *where, f"{label}: {name} {value!r} is no source of this brief (ids: {known})"
            )
            return None
        ctx.cited.append(number)
        return (number, value)
    if param.kind == "picture":
        shown = ctx.resolver.images(value, ctx.path) if ctx.resolver.images else None
        if isinstance(shown, Shown):
            return shown
        why = f"cannot be read: {shown.reason}" if isinstance(shown, Unreadable) else "not found"
        if isinstance(shown, str):
            why = "is not a file of the site (under content/ or static/)"
        ctx.diags.error(*where, f"{label}: picture {value!r} {why}")
        return None
    found = ctx.resolver.files(value, ctx.path) if ctx.resolver.files else None
    if isinstance(found, LocalFile):
        return found
    why = "is not a file of the site (under content/ or static/)" if found else "not found"
    if param.kind == "file_or_url":
        why += ", nor an http or https address"
    ctx.diags.error(*where, f"{label}: file {value!r} {why}")
    return None


def is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value
