"""The stages of a build, one function each, in the order :func:`briefgen.pipeline.build.build`
runs them. Each takes values and returns values, and adds its problems to the one collector
of the run, so that a single run reports every problem of every file.

    read      content files → validated metadata            (briefgen.read)
    markdown  bodies → HTML, links resolved                  (briefgen.markdown)
    assemble  metadata and bodies → the site model, checked  (briefgen.assemble)
    plan      the model → the pages and files of the output  (briefgen.render.plan)
    render    pages rendered through the theme               (briefgen.render.pages)
    write     changed files moved into the output            (briefgen.write)

The heavy modules are imported inside the stages: a build with nothing to do never loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta, EntityMeta, TopicMeta
from briefgen.model.site import Site
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.stamps import config_key, templates_key
from briefgen.render.theme import Theme
from briefgen.util.hashing import digest

if TYPE_CHECKING:
    from briefgen.markdown.links import Resolver
    from briefgen.model.output import Output
    from briefgen.pipeline.prepare import Parsed, Rendered
    from briefgen.render.assets import Assets
    from briefgen.render.pages import PageResult
    from briefgen.render.plan import PageJob
    from briefgen.render.trace import TracingEnvironment

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Content:
    """What reading and rendering the Markdown hand on to assembling."""

    all_briefs: list[BriefMeta]  # every brief that validated, published or not
    metas: list[BriefMeta]  # the briefs this build publishes, one per slug
    selected: list[BriefMeta]  # the briefs this build publishes, duplicate slugs too
    topics: list[TopicMeta]
    entities: list[EntityMeta]
    parsed: dict[str, Parsed]
    rendered: dict[str, Rendered]  # content path → rendered body
    unpublished: dict[str, str]  # content path → why this build leaves it out
    resolver: Resolver
    assets: Assets
    entity_url: Any = None  # (kind, name) → links, when bodies link entity names


@dataclass
class Plan:
    """What rendering needs: the page jobs, the other files, the template environment and
    the key under which page records are valid."""

    jobs: list[PageJob]
    extras: list[Output]
    env: TracingEnvironment
    scope: str


def read_content(
    config: Config, theme: Theme, store: Cache, diags: Diagnostics, workers: int,
    progress: Progress | None,
) -> Content:  # fmt: skip
    """Stages read and markdown: every content file validated, every body rendered, from the
    cache where the input is unchanged."""
    from briefgen.assemble import gather, publishing
    from briefgen.assemble import site as assembly
    from briefgen.markdown.links import Resolver
    from briefgen.model.briefing import ENTITY_KINDS
    from briefgen.pipeline import prepare
    from briefgen.read import discover
    from briefgen.read.gitdates import last_commit_dates
    from briefgen.render.assets import Assets

    index = prepare.load_index(store)
    all_briefs, parsed = prepare.parse_briefs(config.root, index, diags, workers, progress)
    if config.git_dates:
        dates = last_commit_dates(config.root, discover.BRIEFS_DIR)
        all_briefs = assembly.with_git_dates(all_briefs, dates)
    topics = discover.load_topics(config.root, diags)
    entities = discover.load_entities(config.root, ENTITY_KINDS, diags)
    selected = publishing.select(all_briefs, config)
    metas = assembly.unique_slugs(selected, diags)
    assets = Assets(config.root, theme.static_dirs, config.url)
    unpublished = publishing.unpublished_targets(all_briefs, config)
    resolver = Resolver(
        targets=assembly.link_targets(metas, all_briefs, topics, config),
        unpublished=unpublished,
        images=assets.resolve,
        site_host=config.site_host,
    )
    entity_url = gather.entity_links(config, entities)
    # every selected brief is rendered, duplicates too, so their link errors are reported
    rendered = prepare.render_bodies(config.root, [*selected, *topics, *entities], parsed,
                                     config.markdown, resolver, index, store, diags, workers,
                                     progress, entity_url)  # fmt: skip
    index.parsed = parsed
    prepare.save_index(store, index)
    return Content(all_briefs, metas, selected, topics, entities, parsed, rendered, unpublished,
                   resolver, assets, entity_url)  # fmt: skip


def assemble_site(config: Config, content: Content, diags: Diagnostics, stale: Any) -> Site:
    """Stage assemble: the site model, and the desk's checks on it (anchors, sources, word
    budgets, go-deeper links, described entities, stale briefs with ``check --stale``)."""
    from briefgen.assemble import editorial, gather
    from briefgen.assemble import site as assembly

    rendered = content.rendered
    assembly.check_anchors({m.path: rendered[m.path] for m in content.selected}, diags)
    where = editorial.Positions(config.root)
    editorial.check_all(content.selected, rendered, config, where, diags)
    titles = {m.path: m.title for m in content.metas}
    metas = [editorial.resolve_go_deeper(m, content.resolver, titles, where, diags)
             for m in content.metas]  # fmt: skip
    briefs = [assembly.make_brief(m, config, rendered[m.path], _meta_digest(content.parsed, m.path))
              for m in metas]  # fmt: skip
    described = gather.described(content.entities, rendered)
    intros = {t.path: rendered[t.path].body.html for t in content.topics}
    site = assembly.assemble(config, briefs, {m.path: m for m in metas}, content.topics, intros,
                             diags, described)  # fmt: skip
    gather.check_described(described, site, diags)
    if stale is not None:
        by_path = {m.path: m for m in metas}
        editorial.check_stale(site, by_path, config.now, stale, where, diags)
    return site


def plan_output(
    site: Site, config: Config, theme: Theme, content: Content, store: Cache, pages: bool
) -> Plan:
    """Stage plan: every page and file of the output (none when ``pages`` is off)."""
    from briefgen.render.plan import plan_pages, site_files
    from briefgen.render.theme import make_environment

    env = make_environment(theme, config)
    jobs = plan_pages(site, config) if pages else []
    extras = [*site_files(site, config, jobs, theme), *content.assets.outputs()] if pages else []
    scope = digest(repr((config_key(config), templates_key(theme), store.fingerprint)))
    return Plan(jobs, extras, env, scope)


def render(
    plan: Plan, site: Site, config: Config, diags: Diagnostics, workers: int,
    progress: Progress | None, records: Any = None, writer: Any = None,
) -> list[PageResult]:  # fmt: skip
    """Stage render: every page whose recorded reads no longer hold, on every core; with a
    ``writer``, rendered bytes go straight to its staging folder."""
    from briefgen.render.pages import render_pages

    if writer is None:
        return render_pages(plan.jobs, site, config, plan.env, plan.scope, {}, {}, None, diags,
                            workers, progress)  # fmt: skip
    results = render_pages(plan.jobs, site, config, plan.env, plan.scope, records or {},
                           writer.known, writer.stage, diags, workers, progress)  # fmt: skip
    writer.staged_elsewhere(r.file for r in results if r.staged)
    return results


def stage_extras(plan: Plan, files: dict[str, str], writer: Any) -> None:
    """Feeds, sitemap and static files whose bytes changed, staged for writing; ``files``
    gains the digest of each."""
    for out in plan.extras:
        if out.path in files:
            raise ValueError(f"two outputs for {out.path}")  # a bug, not bad input
        value = digest(out.data if out.data is not None else out.source.read_bytes())  # type: ignore[union-attr]
        files[out.path] = value
        if writer.known.get(out.path) != value:
            if out.data is not None:
                writer.stage(out.path, out.data)
            else:
                writer.stage_copy(out.path, out.source)


def check_links(content: Content, files: Any, config: Config, diags: Diagnostics) -> None:
    """Links into the site by URL must lead to a file this build writes."""
    from briefgen.render.sitelinks import check_body_links

    check_body_links(content.rendered, files, config, diags)


def _meta_digest(parsed: dict[str, Any], path: str) -> str:
    entry = parsed.get(path)
    return entry.meta_digest if entry is not None else ""


def index_search(
    writer: Any, files: dict[str, str], results: list[PageResult], previous: Any,
    config: Config, workers: int,
) -> Any:  # fmt: skip
    """Stage search: every partition of the index whose pages changed is indexed again, up
    to ``workers`` at once; the others keep their files. ``files`` gains every file of the
    index. Returns the new :class:`~briefgen.render.search.SearchState`."""
    from briefgen.render import search

    searchable = {r.file: r.digest for r in results
                  if r.record is not None and r.record.searchable and r.digest}  # fmt: skip
    count, parts = search.partitions(searchable, config.search.partition_size)
    state = search.SearchState(count)
    first = next(iter(parts), 0)
    todo = []
    for part, items in parts.items():
        folder = search.folder_of(part, first)
        key = search.partition_key(count, folder, items)
        kept = _kept_partition(previous, part, key, folder, writer.known)
        if kept is None:
            todo.append((part, folder, key, items))
            continue
        files.update({rel: writer.known[rel] for rel in kept})
        state.keys[part], state.folders[part], state.files[part] = key, folder, kept

    stopped = Event()

    def index(job: tuple[int, str, str, list[tuple[str, str]]]) -> Path:
        if stopped.is_set():  # the build is ending: start no other indexer
            raise search.SearchError("stopped")
        out = writer.scratch()
        search.index_folder(writer.view(page for page, _ in job[3]), out)
        return out

    pool = ThreadPoolExecutor(max(1, workers))
    futures = [pool.submit(index, job) for job in todo]
    try:
        for (part, folder, key, _items), future in zip(todo, futures, strict=True):
            out = future.result()
            made = []
            for path in sorted(p for p in out.rglob("*") if p.is_file()):
                rel = folder + path.relative_to(out).as_posix()
                files[rel] = value = digest(path.read_bytes())
                made.append(rel)
                if writer.known.get(rel) != value:
                    writer.stage_move(rel, path)
            state.keys[part], state.folders[part], state.files[part] = key, folder, tuple(made)
    except BaseException:  # Ctrl-C, a failed indexer: the others must not outlive the build
        stopped.set()
        _end_indexers(futures, writer.target.parent)  # every view is beside the output
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    listing = search.parts_file([state.folders[p] for p in parts if p != first])
    rel = f"{search.BUNDLE_DIR}/{search.PARTS_FILE}"
    files[rel] = digest(listing)
    if writer.known.get(rel) != files[rel]:
        writer.stage(rel, listing)
    return state


def _end_indexers(futures: list[Any], under: Path) -> None:
    """End the indexers under way until every job is over: one whose process started just
    after a round of stopping is ended by the next round."""
    from briefgen.render import search

    while True:
        search.stop_indexers(under)
        if not wait(futures, timeout=0.05).not_done:
            return


def _kept_partition(
    previous: Any, part: int, key: str, folder: str, known: dict[str, str]
) -> tuple[str, ...] | None:
    """The files of a partition the last build wrote from the same pages, when every one of
    them is still in the output as written."""
    if previous is None or previous.keys.get(part) != key or previous.folders.get(part) != folder:
        return None
    kept = previous.files.get(part, ())
    return kept if kept and all(rel in known for rel in kept) else None


def keep_search(files: dict[str, str], known: dict[str, str]) -> None:
    """For a build that leaves the search index for later: ``files`` keeps the index as it is
    in the output (``known``), to be brought up to date afterwards."""
    from briefgen.render import search

    prefix = f"{search.BUNDLE_DIR}/"
    files.update({rel: value for rel, value in known.items() if rel.startswith(prefix)})
