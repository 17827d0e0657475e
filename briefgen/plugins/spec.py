"""The hooks of a build, in the order a build calls them: every hook a plugin may implement,
with its arguments and what it returns. ``docs/plugins.md`` is made from this module's
docstrings (``python -m briefgen.plugins.reference``), and a test keeps it current.

A plugin implements a hook by defining a method of the same name marked with
``@hookimpl`` (``from briefgen.plugins import hookimpl``); it may take any subset of the
hook's arguments, by name. Each hook is called from one place in the stage list
(``briefgen/pipeline/stages.py``), once per language's edition where it takes ``config``,
and every plugin's answer is kept: nothing a plugin returns replaces another's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

from briefgen.model.output import Output
from briefgen.model.site import Site
from briefgen.plugins.shortcodes import Shortcode
from briefgen.plugins.types import (
    Added,
    Built,
    Drawn,
    Field,
    Listed,
    Page,
    PageWork,
    Problem,
    Rendered,
    Staging,
)

if TYPE_CHECKING:  # the stages above the plugin layer: names for the hooks' arguments only
    from markdown_it import MarkdownIt

    from briefgen.config.values import Config
    from briefgen.languages import Strings

PROJECT = "briefgen"
hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def briefgen_fields() -> Iterable[Field]:
    """Stage read. The front matter fields the plugin adds to briefs, each with its check.

    Called once a build, before any brief is read. A brief's value of such a field is
    passed to the field's ``check``, whose result templates read as ``brief.params.<name>``
    (or ``brief.<name>``); a :class:`~briefgen.plugins.FieldProblem` it raises is an error
    at the field's line. A field may not take the name of one of briefgen's own fields.
    """


@hookspec
def briefgen_markdown(md: MarkdownIt, config: Config) -> None:
    """Stage markdown. Add rules to the one Markdown parser of the build, as a
    markdown-it-py plugin does (``md.use(plugin)``, ``md.inline.ruler.before(...)``).

    Called once for each parser the build makes; return nothing.
    """


@hookspec
def briefgen_shortcodes(config: Config) -> Iterable[Shortcode] | None:
    """Stage markdown. The shortcodes the plugin adds, each a
    :class:`~briefgen.plugins.Shortcode` declaring its arguments (checked at their line before
    anything is drawn), whether it takes a body, and what draws it: a template
    (``templates/shortcodes/<name>.html`` of the plugin, which a site or theme may override)
    or the plugin's ``render`` function.

    Called once a build. Two plugins may not declare one name. A template in a site's
    ``templates/shortcodes/`` that no plugin declares is a shortcode too, taking any argument.
    """


@hookspec
def briefgen_site(site: Site, config: Config) -> Mapping[str, Any] | None:  # Any: the plugin's own
    """Stage assemble. Values the plugin adds to the site model, once every brief and topic
    is assembled: a mapping that templates read as ``site.extras[<plugin name>]``.
    """


@hookspec
def briefgen_check(site: Site, config: Config) -> Iterable[Problem] | None:
    """Stage assemble, after the site model is complete. The problems the plugin finds,
    each a :class:`~briefgen.plugins.Problem` at a file (and line) of the site.

    An error stops the build before anything is written (exit status 1); a warning is
    reported and, under ``--strict``, fails it.
    """


@hookspec
def briefgen_pages(site: Site, config: Config, strings: Strings) -> Iterable[Page] | None:
    """Stage plan. The pages the plugin adds, each a :class:`~briefgen.plugins.Page`
    rendered through the theme like briefgen's own, listed in the sitemap. ``strings`` are
    the edition's words, for the pages' titles (``strings.text(key)``).
    """


@hookspec
def briefgen_outputs(
    site: Site, config: Config, pages: Sequence[Listed]
) -> Iterable[Output] | None:
    """Stage plan, once every page is planned. Files of the output that are not pages: each
    an :class:`~briefgen.model.output.Output` with its path (in the output folder, with the
    edition's ``config.prefix`` if it has one) and bytes. ``pages`` lists every page of the
    build, every language's, each a :class:`~briefgen.plugins.Listed` (the 404 page left
    out): what a sitemap needs.

    What this hook and ``briefgen_site``, ``briefgen_check``, ``briefgen_pages`` and
    ``briefgen_drawn`` read of each brief's body (``body``, ``body_html``, ``word_count``,
    ``toc``…) is noted. When an edit changes only a body that no hook but this one read (a
    feed holds it), the rebuild calls this hook again with the same ``pages`` and a site
    whose ``briefs`` and topics' ``briefs`` are fetched from the build cache as they are
    read: read only the ones the files hold (``site.briefs[:20]``, not a copy of the whole
    list). Reading the site's other collections there makes that rebuild a full one.
    """


@hookspec
def briefgen_drawn(site: Site, config: Config, strings: Strings) -> Iterable[Drawn] | None:
    """Stage pictures. Pictures the plugin draws (briefgen's social cards are such), each a
    :class:`~briefgen.plugins.Drawn`: drawn on every core with the site's pictures, kept in
    the build cache under its key, drawn again only when the key changes. ``strings`` are the
    edition's words (``strings.date(...)``, ``strings.text(key)``).
    """


@hookspec
def briefgen_page_work(config: Config) -> PageWork | None:
    """Stage render, before any page is rendered. What the plugin does with the rendered
    pages, a :class:`~briefgen.plugins.PageWork`: the strings it looks for in them (each
    page's record notes those it holds) and the folders of the output it fills afterwards.
    Called once a build, with the site's configuration.
    """


@hookspec
def briefgen_template_globals(config: Config) -> Mapping[str, Any] | None:  # Any: any value
    """Stage render. Names every template of the edition can use: values or functions."""


@hookspec
def briefgen_template_filters(
    config: Config,
) -> Mapping[str, Callable[..., Any]] | None:  # Any: a filter takes and gives any value
    """Stage render. Jinja filters every template of the edition can use
    (``{{ brief.title | shout }}``)."""


@hookspec
def briefgen_rendered(
    pages: Sequence[Rendered],
    config: Config,
    folder: Staging,
    state: object,
    later: bool,
    workers: int,
) -> Added | None:
    """Stage write, once every page is rendered and the build has passed gate 2, before the
    output is written. The files the plugin makes from the rendered pages (briefgen's search
    index is made here), an :class:`~briefgen.plugins.Added`. Called once a build that
    writes (not by ``check``), with the site's configuration.

    ``pages``: every page of the build, every language's, each a
    :class:`~briefgen.plugins.Rendered` with the marks it holds. ``folder``: the output
    being written (a :class:`~briefgen.plugins.Staging`), to read the pages from and to
    work in. ``state``: the ``Added.state`` of the plugin's answer in the last build, when
    the output is as that build left it; else None. ``workers``: how many programs the
    plugin may run at once. With ``later`` (``serve``'s builds), the plugin may leave the
    work for later and say so (``Added.later``): it then gives the files of the output
    back as they are, and is called again without ``later``, with the same pages, once
    the pages are served. A plugin that left work for later is also called, in ``serve``,
    right after a save that gave a quick page: with the last build's pages, that page's
    digest and marks as it now reads, and a ``folder`` whose ``source_of`` that page is
    the new version of it. Nothing the plugin makes then is written: the files it would
    change are served from memory until its work left for later is done, so it must make
    them from the pages it is given and from ``state`` alone.

    Every file must be inside a folder declared in ``briefgen_page_work``. A file
    whose digest is that of the file in the output is kept as it is; one made in a scratch
    folder is moved into the output. An :class:`~briefgen.plugins.ExternalError` fails the
    build with its message; an ``OSError`` is a write to the disk that failed.
    """


@hookspec
def briefgen_after_build(built: Built, config: Config) -> None:
    """After the build has written its output: the folder, the files whose bytes changed,
    and the build's figures. Called only by ``build`` and ``serve``, not by ``check``;
    what it does is the plugin's own affair (briefgen does not track files it writes
    outside the output folder)."""


# in the order a build calls them
HOOKS: Sequence[str] = (
    "briefgen_fields",
    "briefgen_markdown",
    "briefgen_shortcodes",
    "briefgen_site",
    "briefgen_check",
    "briefgen_pages",
    "briefgen_outputs",
    "briefgen_drawn",
    "briefgen_page_work",
    "briefgen_template_globals",
    "briefgen_template_filters",
    "briefgen_rendered",
    "briefgen_after_build",
)

# hooks that write into the output being built: an OSError raised there is the disk's (a full
# disk, a folder that cannot be written), reported as such, not as the plugin's failure
WRITING: frozenset[str] = frozenset({"briefgen_rendered"})
