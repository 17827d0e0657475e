"""The values plugins hand to briefgen and get from it: a setting's type and default, a front
matter field's check, a page, a problem to report, the files made from the rendered pages.
Frozen, no I/O (:class:`Staging` only names what the writer offers)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from briefgen.model.dates import Timestamp
from briefgen.model.output import Output

KINDS = (str, int, float, bool, list, dict)
_EMPTY: Mapping[str, Any] = MappingProxyType({})  # Any: a template's context


@dataclass(frozen=True)
class Setting:
    """One setting of a plugin, as ``site.yaml`` gives it under the plugin's name:
    ``Setting(int, 12, "words a title may have")``. ``kind`` is one of ``str``, ``int``,
    ``float``, ``bool``, ``list`` or ``dict``; a value of another type is an error at its
    line. ``choices``, when given, lists the only values allowed."""

    kind: type
    default: Any  # Any: a value of ``kind``
    help: str = ""
    choices: tuple[Any, ...] = ()  # Any: values of ``kind``
    required: bool = False


class FieldProblem(ValueError):
    """Raised by a field's check: the value is wrong. ``at`` names a key or index inside the
    value (``("items", 2)``) to place the error at, as far as the front matter has it."""

    def __init__(self, message: str, at: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


@dataclass(frozen=True)
class Field:
    """A front matter field a plugin adds: ``check(value)`` returns the value templates get
    (``brief.params[name]``) or raises :class:`FieldProblem`. It is called only when the
    brief has the field; ``required`` makes its absence an error."""

    name: str
    check: Callable[[Any], Any]  # Any: the YAML value in, what templates get out
    help: str = ""
    required: bool = False


# name → (the plugin's name, the field): every field plugins add to briefs
FieldTable = Mapping[str, tuple[str, Field]]


@dataclass(frozen=True)
class Problem:
    """A diagnostic a plugin's check reports: ``path`` relative to the site root (a brief's
    ``source_path``), ``line`` and ``col`` from 1, or 0 for the whole file."""

    path: str
    message: str
    severity: str = "warning"  # "error", "warning" or "note"
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Page:
    """A page a plugin adds: rendered from ``template`` (the plugin's own ``templates/``
    folder, under the site's and the theme's, which may override it) at ``path``
    (``reading-list/`` or ``reading-list/index.html``), with ``context`` for the template
    beside the globals every page gets. ``lastmod`` dates it in the sitemap."""

    template: str
    path: str
    title: str
    description: str = ""
    lastmod: Timestamp | None = None
    context: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)  # Any: template values


@dataclass(frozen=True)
class Listed:
    """A page of the build as a sitemap lists it."""

    path: str  # in the output folder, with its language's folder: "es/briefs/redadas/"
    permalink: str
    lastmod: Timestamp | None
    language: str
    # (language, permalink) of every edition of the page, itself included, in the order of
    # the site's languages; empty when the page has no translation
    alternates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Drawn:
    """A file a plugin draws (a social card): made by the pictures stage, on every core, only
    when the cache has no file under ``key`` (which must name everything the bytes depend
    on), and published at ``path``."""

    path: str
    key: str
    draw: Callable[[], bytes]


@dataclass(frozen=True)
class PageWork:
    """What a plugin does with the rendered pages, declared before any is rendered.
    ``marks``: strings to look for in every page's bytes; the render stage notes, on the
    core that rendered the page, which of them it holds, and keeps the note with the page's
    record, so that a page left as it was is never read again. ``folders``: folders of the
    output (``"pagefind/"``) the plugin fills once the pages are rendered, after the links
    of the pages are checked: a link into them is taken as good."""

    marks: tuple[bytes, ...] = ()
    folders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rendered:
    """A page of the build as :func:`briefgen_rendered` sees it: its file in the output, the
    digest of its bytes and the marks (:class:`PageWork`) they hold."""

    file: str
    digest: str
    marks: tuple[bytes, ...] = ()


class Staging(Protocol):
    """The output folder while a build writes it, as :func:`briefgen_rendered` may use it."""

    @property
    def target(self) -> Path:
        """The output folder."""

    @property
    def known(self) -> Mapping[str, str]:
        """Each file in the output now, as the last build wrote it: file → digest."""

    def source_of(self, rel: str) -> Path:
        """Where the new version of a file of the output is now (a page just rendered is
        not in the output yet)."""

    def scratch(self) -> Path:
        """A new empty folder for the plugin's own work, removed with the build's."""

    def view(self, rels: Iterable[str], strip: str = "") -> Path:
        """A scratch folder holding the new version of each of ``rels`` at its path, less
        ``strip``: a site of just those files, for a tool to read."""


@dataclass(frozen=True)
class Later:
    """Work a plugin left for later (``serve``'s builds leave the search index behind the
    pages): what it is, in a few words (``"search index"``), and the pages that show its
    result, which ``serve`` marks as being updated until the work is done."""

    work: str
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Added:
    """What a plugin makes of the rendered pages (:func:`briefgen_rendered`): ``files`` of
    the output, each inside a folder declared in :class:`PageWork`; ``state``,
    anything picklable the build keeps in its cache and gives the plugin back next time;
    ``later``, the work it left for later, if any."""

    files: tuple[Output, ...] = ()
    state: object = None
    later: Later | None = None


class ExternalError(Exception):
    """Raised by a plugin whose work failed for a reason outside its code: a program it runs
    is missing, fails or was stopped. The build fails with the message as its one error,
    and no plugin is blamed for it."""


@dataclass(frozen=True)
class Built:
    """What :func:`briefgen_after_build` learns of a build that wrote its output."""

    output: str  # the output folder, absolute
    written: tuple[str, ...]  # files whose bytes changed, relative to it
    pages: int
    stats: Mapping[str, int]
