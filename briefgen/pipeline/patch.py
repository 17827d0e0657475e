"""A rebuild after edits to briefs' bodies, made from the stored parts of the last build's
site model (:mod:`briefgen.pipeline.parts`) instead of the model of every brief.

An editor who fixes a sentence changes one brief's body and nothing else the site is made
of. When the inputs that changed since the last build are only such files, each brief is
read and its body rendered again; its page is rendered from its stored job, with the briefs
and topics that page read fetched by key; the files plugins make of the pages (the search
index) are made as after any build; and the output's record is brought up to date.

It is done only when it gives what a full build would, byte for byte. Each of these holds,
or a full build does the work (and says nothing, as it is the same site):

- only existing brief files under ``content/`` changed (their sizes, times or inodes); not
  ``site.yaml``, a template, a topic, a picture, the build's options or the clock;
- each brief's front matter reads as before (its digest), and its render found the same
  headings, links, citations, problems and resolver answers: only the HTML and the word
  count changed, so nothing else of the model did;
- no page but the brief's own read its body, and no hook that plugins are handed the whole
  site in read it (:mod:`briefgen.render.watch`) but the one that adds files, which is
  called again (a feed that holds the brief is made again);
- the brief's page is given what the last build gave it (its key), and reads nothing the
  parts do not hold (:class:`~briefgen.pipeline.parts.Withdrawn`);
- the output holds every file as the last build wrote it; a site with one language, without
  dates from git.

The cache's other records are left as they were but for the page records of the pages
rendered here: a brief's parsed and rendered records name its file's old stamp and bytes,
so the next full build reads and renders it again.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.model.diagnostics import ContentError, Diagnostics, cannot_write
from briefgen.model.site import Brief, Site
from briefgen.pipeline.cache import CacheDamaged
from briefgen.pipeline.parts import Parts, PartsUnusable, Withdrawn
from briefgen.pipeline.parts_kept import found
from briefgen.pipeline.patch_write import Page, commit_pages, keep_record
from briefgen.pipeline.run import BuildResult, Run
from briefgen.render.theme import Theme

if TYPE_CHECKING:
    from briefgen.markdown.links import Resolver
    from briefgen.plugins.types import PageWork
    from briefgen.render.pages import PageRecord
    from briefgen.render.trace import Dep, TracingEnvironment
    from briefgen.write.writer import Writer

MOST = 16  # briefs edited at once that a rebuild from the parts takes on; more: a full build


@dataclass
class _Tools:
    """What rendering a body and a page needs, made once for every edited brief."""

    config: Config
    resolver: Resolver
    entity_url: Any  # Any: EntityURL | None
    wording: Any  # Any: Wording
    watched: frozenset[str]  # briefs whose body a hook read, but the files plugins add
    in_outputs: frozenset[str]  # briefs whose body the files plugins add read (feeds)
    scope: str
    env: TracingEnvironment
    work: PageWork  # the marks plugins look for in pages, the folders they fill


def patch(run: Run, config: Config, theme: Theme, diags: Diagnostics) -> BuildResult | None:
    """The build made from the stored parts, or None when a full build must make it."""
    state, options = run.state, run.options
    if (
        state is None
        or not state.parts
        or run.seen is None
        or not options.write
        or not options.reuse
        or config.languages
        or config.git_dates
        or (state.deferred and not options.defer)
        or (state.valid_until is not None and config.now.timestamp() >= state.valid_until)
    ):
        return None
    try:
        with Parts(run.store, run.state_name) as parts:
            token = parts.fact("token")
            if token is None:
                raise PartsUnusable("no token")
            if token != state.parts:
                return None
            edited = _edited(parts.fact("stamps"), run.seen, config)
            if not edited:
                return None
            tools = _tools(parts, run, config, theme, diags)
            return _build(run, config, parts, tools, edited, diags)
    except Withdrawn:
        return None
    except PartsUnusable as exc:  # damaged: the build starts over without the cache, and says so
        if exc.damaged and run.store.all_or_nothing:
            raise CacheDamaged(Parts(run.store, run.state_name).path.name) from None
        return None


def _edited(
    before: list[tuple[Any, ...]] | None, now: list[tuple[Any, ...]], config: Config
) -> list[str] | None:  # Any: stamps
    """The content files whose stamps alone changed, as content paths; None when anything
    else changed (a setting, a file added or removed, a file outside ``content/``)."""
    if before is None or len(before) != len(now) or before[0] != now[0]:
        return None
    content = str(config.root / "content") + os.sep
    edited = []
    for old, new in zip(before, now, strict=True):
        if old == new:
            continue
        path = str(new[0])
        if old[0] != path or len(new) != 5 or not path.startswith(content) or new[1] < 0:
            return None
        edited.append(os.path.relpath(path, config.root).replace(os.sep, "/"))
    return edited if 0 < len(edited) <= MOST and all(p.endswith(".md") for p in edited) else None


def _tools(parts: Parts, run: Run, config: Config, theme: Theme, diags: Diagnostics) -> _Tools:
    from briefgen.assemble.gather import links_of_entities
    from briefgen.pictures import Assets
    from briefgen.pipeline import page_hooks, reading
    from briefgen.pipeline.pictures import PROBES
    from briefgen.pipeline.planning import page_scope
    from briefgen.pipeline.templates import TemplateCache
    from briefgen.render.theme import catalog, make_environment

    store = run.store
    assets = Assets(config.root, theme.static_dirs, config.url, config.images, store.load(PROBES))
    targets, unpublished = parts.fact("targets"), parts.fact("unpublished")
    entities = parts.fact("entities")
    if targets is None or unpublished is None:
        raise PartsUnusable("no link targets")
    watched = parts.fact("watched") or {}
    strings = catalog(theme, config).strings(config.language, config.default_language)
    scope = page_scope(config, theme, strings, store)
    return _Tools(
        config=config,
        resolver=reading.resolver(targets, unpublished, assets, config),
        entity_url=links_of_entities(config, entities) if entities is not None else None,
        wording=parts.fact("wording"),
        watched=frozenset().union(*(v for k, v in watched.items() if k != "outputs")),
        in_outputs=watched.get("outputs", frozenset()),
        scope=scope,
        env=make_environment(theme, config, strings, TemplateCache(store, scope)),
        work=page_hooks.page_work(config, diags),
    )


def _build(
    run: Run, config: Config, parts: Parts, tools: _Tools, edited: list[str], diags: Diagnostics
) -> BuildResult | None:
    """Render the edited briefs' pages into the output and keep the record of it; None,
    with nothing written, when one of them needs a full build."""
    from briefgen.write.writer import ForeignFiles, Writer

    state = run.state
    assert state is not None
    try:
        with Writer(config.output_path, state.manifest, run.options.on_wait) as writer:
            if not writer.incremental or len(writer.stamps) != len(state.manifest):
                return None  # the output changed since: a full build repairs it
            made = [_page(parts, tools, path, writer) for path in edited]
            if any(page is None for page in made):
                return None
            done = [page for page in made if page is not None]
            added: dict[str, str] = {}
            if any(page.brief.source_path in tools.in_outputs for page in done):
                again = _outputs(parts, config, writer)
                if again is None:
                    return None
                added = again
            written = commit_pages(run, config, writer, done, added, tools.work.folders, diags)
            keep_record(run, parts, written, done)
    except ForeignFiles:  # not with a manifest; a full build says what it found
        return None
    except OSError as exc:  # read-only or full disk: the previous site is still in place
        diags.error("", 0, 0, cannot_write(exc.filename or config.output_path, exc))
        raise ContentError(diags) from None
    return run.finish(written.result)


def _page(parts: Parts, tools: _Tools, path: str, writer: Writer) -> Page | None:
    """The edited brief at ``path`` read and its page rendered into ``writer``'s staging;
    None when a full build must make it."""
    from briefgen.assemble.site import shows_toc
    from briefgen.pipeline import prepare, reading
    from briefgen.render.pages import page_key, render_page

    stored = parts.brief(path)
    if stored is None or path in tools.watched:
        return None
    old, was = stored
    config = tools.config
    entry, meta = reading.read_brief(config, path)
    if meta is None or not old.fingerprint:
        return None
    if entry.meta_digest != old.fingerprint.split("|", 1)[0]:
        return None
    rendered = prepare.render_one(
        meta, config.markdown, tools.resolver, tools.entity_url, tools.wording
    )
    now = found(entry, rendered)
    if now != was:
        return None
    brief = dataclasses.replace(
        old,
        body=rendered.body,
        word_count=rendered.words,
        show_toc=shows_toc(meta, rendered, config.markdown, old.toc),
    )
    page = parts.page(brief)
    if page is None:
        return None
    job, record = page
    key = page_key(tools.scope, job)
    if key != record.key or parts.readers(path) - {job.file}:
        return None
    digests = _Digests(record, brief)
    result = render_page(
        job,
        key,
        parts.site,
        config,
        tools.env,
        tools.work.marks,
        digests,
        writer.known,
        writer.stage,
    )
    if result.record is None or result.problems:
        return None
    return Page(brief, now, result)


def _outputs(parts: Parts, config: Config, writer: Writer) -> dict[str, str] | None:
    """The files plugins add to the site (feeds, the sitemap) made again from the parts,
    with the edited briefs in them, and staged where their bytes changed: path → digest.
    None when they are not the same files as the last build's, or a plugin says anything
    (a full build reports it)."""
    from briefgen.pipeline import hooks
    from briefgen.util.hashing import digest

    given = parts.fact("given")
    if given is None:
        raise PartsUnusable("no record of what the plugins' files were made from")
    said = Diagnostics()
    made = hooks.outputs(parts.whole_site(), config, given.listed, set(given.taken), said)
    if said.items or tuple(out.path for out in made) != given.made:
        return None
    files = {}
    for out in made:
        data = out.data if out.data is not None else out.source.read_bytes()  # type: ignore[union-attr]
        files[out.path] = value = out.digest or digest(data)
        if writer.known.get(out.path) != value:
            writer.stage(out.path, data)
    return files


class _Digests:
    """What each part a page reads holds: as its record says, but for the edited brief's
    body; a part the record does not name is not held by the parts (:class:`Withdrawn`)."""

    def __init__(self, record: PageRecord, brief: Brief) -> None:
        from briefgen.render.trace import Digests

        self.had = dict(record.reads)
        self.body = ("brief", brief.source_path, "body")
        self.now = Digests(_one_brief(brief))(self.body)

    def __call__(self, dep: Dep) -> str | None:
        if dep == self.body:
            return self.now
        if dep not in self.had:
            raise Withdrawn(repr(dep))
        return self.had[dep]


def _one_brief(brief: Brief) -> Site:
    return Site(
        briefs=(brief,),
        topics=(),
        months=(),
        neighbours={},
        related={},
        topics_by_slug={},
        briefs_by_slug={},
    )
