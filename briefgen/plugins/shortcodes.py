"""What a shortcode is, for the plugins that add one (their ``briefgen_shortcodes`` hook) and
for briefgen's own (``briefgen/features/embeds/``).

A shortcode is written in a body on lines of its own, as Hugo writes them::

    {{< video https://www.youtube.com/watch?v=… title="The press conference" >}}

    {{< quote by="Claudia Sheinbaum" source="sre" >}}
    There is nothing illegal.
    {{< /quote >}}

It is drawn by a template (``templates/shortcodes/<name>.html`` of the site, a plugin or the
theme, the first found) or by a plugin's function. A :class:`Shortcode` declares its
arguments: each is checked, at its line, before anything is drawn. A template in
``templates/shortcodes/`` that no plugin declares is a shortcode too, taking any argument.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# the kinds of argument: what each is checked as, and what the shortcode is given
KINDS = {
    "text": "any text",
    "url": "an http or https address",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date: 2025, 2025-02 or 2025-02-04",
    "file": "a file beside the brief, or under static/ (/static/…)",
    "file_or_url": "a file beside the brief or under static/, or an http or https address",
    "picture": "a picture beside the brief, or under static/, published in every size",
    "source": "the id of one of the brief's sources",
}


@dataclass(frozen=True)
class Param:
    """One argument of a shortcode: ``Param("src", "url", required=True, positional=True)``.
    A positional parameter may also be given by name; parameters given by position fill the
    positional ones in order. ``choices`` lists the only values allowed (text)."""

    name: str
    kind: str = "text"
    required: bool = False
    positional: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()


class ShortcodeProblem(ValueError):
    """Raised by a shortcode's ``prepare``: the use is wrong. ``arg`` names the argument the
    error is about (it is then reported at that argument); ``line``, a line of the file (a
    line of a text body, ``Call.text_line`` and after), reports it there instead. ``also``
    holds more problems of the same use, each reported too: every mistake in one run."""

    def __init__(
        self,
        message: str,
        arg: str | None = None,
        line: int | None = None,
        also: tuple[ShortcodeProblem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.arg = arg
        self.line = line
        self.also = also


@dataclass(frozen=True)
class LocalFile:
    """A file of the site a shortcode names (``file`` arguments), published as it is."""

    url: str  # where the page links to it
    path: str  # the file, relative to the site root
    size: int  # bytes
    stamp: int = 0  # its modification time in ns: a replaced file renders the body again


@dataclass(frozen=True)
class Call:
    """One use of a shortcode, as its ``prepare`` and ``render`` see it.

    ``args``: each argument by name, checked and converted: a ``file`` argument is a
    :class:`LocalFile`, a ``file_or_url`` one a :class:`LocalFile` or the address as written
    (for a ``src`` that may be either: a video of the site or a YouTube address), a
    ``picture`` one how pages show it, a ``source`` one the source's number and id
    (``(3, "cbp")``), an ``int`` an int, a ``bool`` a bool; others are text. A file named
    by a ``file`` or ``file_or_url`` argument is recorded with the body that names it: the
    body is rendered again when the file is replaced.
    ``positional`` holds the arguments given by position of a shortcode that declares none.
    """

    name: str
    args: Mapping[str, Any]  # Any: each argument's checked value, by its kind
    path: str  # the brief (or topic) the shortcode is in
    line: int
    language: str  # the edition's language: BCP 47
    settings: Mapping[str, Any]  # Any: ``embeds:`` of site.yaml, as the feature reads it
    positional: tuple[str, ...] = ()
    has_body: bool = False
    root: str = ""  # the site root, absolute: where ``LocalFile.path`` is
    text: str = ""  # a text body (``Shortcode(body="text")``) as written
    text_line: int = 0  # the line of the file its first line is on
    # warn(message, line=None, note=False): a warning (or a note) at the shortcode, or at a
    # line of the file
    warn: Callable[..., None] = field(default=lambda *_, **__: None, compare=False)


@dataclass(frozen=True)
class Shortcode:
    """A shortcode a plugin adds. ``body``: ``"none"``, ``"optional"`` or ``"required"``: the
    Markdown between ``{{< name >}}`` and ``{{< /name >}}``; or ``"text"``: lines that are
    data, not Markdown (a chart's CSV), given as ``Call.text`` and never drawn as a body.

    ``prepare(call)`` returns what its template is given besides ``args`` and ``body``, or
    raises :class:`ShortcodeProblem`; it runs while the body is checked, so its problems are
    errors at the shortcode's line. ``render(call, body_html)``, when given, draws the HTML
    itself instead of a template (trusted as it is: escape what you take from the call).
    ``template`` names another template than ``shortcodes/<name>.html``. ``version`` is part
    of what a cached body depends on: change it when ``prepare`` or ``render`` changes what
    they make."""

    name: str
    params: tuple[Param, ...] = ()
    body: str = "none"
    prepare: Callable[[Call], Mapping[str, Any]] | None = None  # Any: the template's context
    render: Callable[[Call, str], str] | None = None
    template: str = ""
    help: str = ""
    version: str = "1"
    words: tuple[str, ...] = field(default=())  # theme words its template uses (t('…'))

    @property
    def template_name(self) -> str:
        return self.template or f"shortcodes/{self.name}.html"
