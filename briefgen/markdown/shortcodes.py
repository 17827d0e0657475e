"""Shortcodes in a body: every use checked against what its shortcode declares, each problem
an error at its line and column, then drawn by its template or its plugin's function.

The table of shortcodes (:class:`ShortcodeTable`) is made once a build from the shortcodes
plugins declare (``briefgen_shortcodes``) and the templates found in ``shortcodes/`` of the
site's, the plugins' and the theme's template folders. A cached body records the template of
each shortcode it drew (its digest), and every file it named, through the resolver (see
:mod:`briefgen.markdown.answers`): editing a shortcode's template renders again only the
bodies that use it, and a replaced PDF the bodies that show it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from briefgen.markdown.shortcode_args import Context, at, convert
from briefgen.markdown.shortcode_misplaced import report_misplaced
from briefgen.markdown.shortcode_syntax import Tag
from briefgen.plugins.shortcodes import Call, Shortcode, ShortcodeProblem
from briefgen.util.hashing import digest


@dataclass(frozen=True)
class ShortcodeTable:
    """The shortcodes of a build: those plugins declare, by name (with the plugin's name),
    and the template folders a template shortcode is looked up in, the site's first."""

    defined: Mapping[str, tuple[str, Shortcode]] = field(default_factory=dict)
    template_dirs: tuple[Path, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)  # Any: ``embeds:`` as read
    root: Path = Path(".")

    def template(self, name: str) -> Path | None:
        """The template file a shortcode ``name`` is drawn with, the first found."""
        rel = self.defined[name][1].template_name if name in self.defined else _file(name)
        for folder in self.template_dirs:
            candidate = folder / rel
            if candidate.is_file():
                return candidate
        return None

    def names(self) -> list[str]:
        found = set(self.defined)
        for folder in self.template_dirs:
            found |= {p.stem for p in (folder / "shortcodes").glob("*.html")}
        return sorted(found)

    def known(self, name: str) -> bool:
        return name in self.defined or self.template(name) is not None

    def digest(self, name: str) -> str:
        """What a body that drew ``name`` depends on: its template's bytes and its version."""
        version = self.defined[name][1].version if name in self.defined else ""
        path = self.template(name)
        try:
            text = path.read_bytes() if path is not None else b""
        except OSError:
            text = b""
        return digest(version.encode() + b"\0" + text)

    def text_bodies(self) -> frozenset[str]:
        """The shortcodes whose body is text (data), not Markdown."""
        return frozenset(n for n, (_, s) in self.defined.items() if s.body == "text")

    def words(self) -> tuple[str, ...]:
        """The theme words shortcode templates use, for the edition's language."""
        return tuple(sorted({w for _, s in self.defined.values() for w in s.words}))


def _file(name: str) -> str:
    return f"shortcodes/{name}.html"


def check_shortcodes(tokens: Sequence[Token], ctx: Context) -> None:
    """Check every shortcode of a parsed body and prepare what each draws (on its token's
    ``meta``); a shortcode written inside a paragraph is an error too."""
    for token in tokens:
        if token.type == "shortcode_open":
            _check(token, ctx)
        elif token.type == "inline" and token.children and "{{" in token.content:
            report_misplaced(token, ctx)


def _check(token: Token, ctx: Context) -> None:
    tag: Tag = token.meta["tag"]
    where = at(ctx, token, 0, 1)
    token.meta["error"] = True  # until proved otherwise: drawn as written
    if tag.problem and not tag.name:
        ctx.diags.error(*where, tag.problem)
        return
    if not ctx.table.known(tag.name):
        ctx.diags.error(*where, _unknown(tag.name, ctx.table))
        return
    if tag.problem:
        ctx.diags.error(*where, f"shortcode {tag.name!r}: {tag.problem}")
        return
    plugin, shortcode = ctx.table.defined.get(tag.name, ("", None))
    has_body = bool(token.meta.get("body"))
    if ctx.resolver.shortcodes is not None:  # what a cached body depends on: recorded
        ctx.resolver.shortcodes(tag.name)
    if shortcode is None:
        call = _free_call(tag, ctx, has_body)
    else:
        call = convert(tag, shortcode, ctx, token, has_body)
        if call is None:
            return
        if shortcode.prepare is not None:
            try:
                token.meta["extra"] = dict(shortcode.prepare(call))
            except ShortcodeProblem as problem:
                _problem(token, tag, problem, ctx)
                return
            except Exception as exc:  # the plugin's own bug, reported as such
                kind = type(exc).__name__
                ctx.diags.error(
                    *where, f"plugin {plugin!r} failed preparing {tag.name!r}: {kind}: {exc}"
                )
                return
    token.meta.update(call=call, shortcode=shortcode, error=False)


def _free_call(tag: Tag, ctx: Context, has_body: bool) -> Call:
    """A template shortcode no plugin declares: every argument as written."""
    named = {a.key: a.value for a in tag.args if a.key}
    positional = tuple(a.value for a in tag.args if not a.key)
    return Call(
        tag.name,
        named,
        ctx.path,
        0,
        ctx.language,
        ctx.table.settings,
        positional,
        has_body,
        str(ctx.table.root),
    )


def _problem(token: Token, tag: Tag, problem: ShortcodeProblem, ctx: Context) -> None:
    for one in (problem, *problem.also):
        if one.line is not None:
            where = (ctx.path, one.line, 1)
        else:
            arg = next((a for a in tag.args if one.arg and a.key == one.arg), None)
            if arg is None and one.arg and token.meta.get("positions"):
                arg = token.meta["positions"].get(one.arg)
            where = at(ctx, token, arg.line, arg.col) if arg else at(ctx, token, 0, 1)
        ctx.diags.error(*where, f"shortcode {tag.name!r}: {one.message}")


def _unknown(name: str, table: ShortcodeTable) -> str:
    message = f"unknown shortcode {name!r}"
    close = difflib.get_close_matches(name, table.names(), n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    known = ", ".join(table.names()) or "none"
    return f"{message} (known: {known})"


@lru_cache(maxsize=4)
def environment(dirs: tuple[Path, ...]) -> Any:  # Any: a jinja2.Environment, loaded lazily
    """The template environment shortcode templates are drawn in, once a process."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def draw(
    token: Token,
    body_html: str,
    table: ShortcodeTable,
    words: Mapping[str, str],
    cites: Mapping[str, str],
) -> str:
    """The HTML of one checked shortcode: its plugin's function's, or its template's."""
    from markupsafe import Markup

    call: Call = token.meta["call"]
    shortcode: Shortcode | None = token.meta["shortcode"]
    if shortcode is not None and shortcode.render is not None:
        return shortcode.render(call, body_html)
    name = shortcode.template_name if shortcode is not None else _file(call.name)
    template = environment(table.template_dirs).get_template(name)
    html = template.render(
        args=call.args,
        positional=call.positional,
        body=Markup(body_html),
        has_body=call.has_body,
        t=lambda key: words.get(key, key),
        cite={k: Markup(v) for k, v in cites.items()},
        settings=call.settings,
        language=call.language,
        **token.meta.get("extra", {}),
    )
    return html.strip() + "\n"


ENV_KEY = "briefgen_shortcodes"  # in the render env: (the table, the edition's words)


class ShortcodeRenderer(RendererHTML):
    """markdown-it's HTML renderer, drawing each shortcode with the HTML of its body."""

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        out, i = [], 0
        while i < len(tokens):
            token = tokens[i]
            if token.type == "shortcode_open":
                end = _matching(tokens, i)
                out.append(self._shortcode(tokens, i, end, options, env))
                i = end + 1
                continue
            if token.type == "inline":
                out.append(self.renderInline(token.children or [], options, env))
            elif token.type in self.rules:
                out.append(self.rules[token.type](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
            i += 1
        return "".join(out)

    def _shortcode(
        self, tokens: Sequence[Token], start: int, end: int, options: OptionsDict, env: EnvType
    ) -> str:
        from briefgen.markdown.citations import citation_html

        token = tokens[start]
        body = self.render(tokens[start + 1 : end], options, env)
        if token.meta.get("error", True) or ENV_KEY not in env:
            return _as_written(token, body)  # reported; shown as written until mended
        table, words = env[ENV_KEY]
        sources = token.meta.get("sources", {})  # argument → the source id it cites
        cites = {name: citation_html([ident], env) for name, ident in sources.items()}
        return draw(token, body, table, words, cites)


def _matching(tokens: Sequence[Token], start: int) -> int:
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting if tokens[i].type.startswith("shortcode_") else 0
        if depth == 0:
            return i
    return len(tokens) - 1


def _as_written(token: Token, body: str) -> str:
    from html import escape

    tag: Tag = token.meta["tag"]
    return f"<p>{escape('{{< ' + tag.name + ' … >}}')}</p>\n{body}"
