"""Rendering pages: on every core, and only those whose recorded reads of the site model
(see :mod:`briefgen.render.trace`) no longer hold. Rendered bytes go to ``stage``, the writer's
staging folder, straight from the worker that rendered them."""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostic, Diagnostics
from briefgen.model.output import PageJob
from briefgen.model.site import Site, Unreadable
from briefgen.render.plan import Page
from briefgen.render.theme import template_problem
from briefgen.render.trace import Dep, Digests, TracingEnvironment, identity
from briefgen.util.hashing import digest
from briefgen.util.parallel import map_chunks
from briefgen.util.records import record

# each model part a page read, with the digest that part had
Reads = tuple[tuple[Dep, str | None], ...]


@record
class PageRecord:
    """What a page was made from: its own key, and each model part it read with the digest
    that part had."""

    key: str
    reads: Reads
    marks: tuple[bytes, ...] = ()  # those of its group's marks the page's bytes hold


@record
class PageResult:
    file: str
    digest: str | None  # of the page's bytes; None when its template failed
    record: PageRecord | None
    problems: tuple[Diagnostic, ...] = ()
    rendered: bool = True
    staged: bool = False  # its bytes went to the staging folder (perhaps from a worker)


def page_key(scope: str, job: PageJob) -> str:
    """Everything a page is given apart from what it reads through the tracer."""
    lastmod = job.lastmod.isoformat() if job.lastmod is not None else None
    given = (
        scope,
        job.template,
        job.kind,
        job.title,
        job.description,
        job.path,
        lastmod,
        identity(job.context),
    )
    return digest(_unshared(given))


def _unshared(value: tuple[object, ...]) -> bytes:
    """``value`` pickled without the pickle's memo, so that its bytes do not depend on which
    equal strings are one object: a page job loaded from the stored parts
    (:mod:`briefgen.pipeline.patch`) shares them otherwise than the plan's."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo: every string is written out in full
    pickler.dump(value)
    return out.getvalue()


@dataclass(frozen=True)
class Group:
    """Pages of one site model: one language's edition. ``marks``: strings plugins look for
    in every page (:class:`briefgen.plugins.PageWork`)."""

    jobs: list[PageJob]
    site: Site
    config: Config
    env: TracingEnvironment
    scope: str
    marks: tuple[bytes, ...] = ()


def render_groups(
    groups: list[Group],
    records: Mapping[str, PageRecord],
    known: Mapping[str, str],
    stage: Callable[[str, bytes], None] | None,
    diags: Diagnostics,
    workers: int,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[PageResult]:
    """A result for every job of every group, in order. A page is skipped when its record's
    key and reads still hold and its file in the output (``known``: file → digest) is as it
    was written; a rendered page is staged only when its bytes differ from that file. The
    pages of every group (the editions of a site with several languages) share one pool of
    workers, so that no core waits at the end of one edition's pages. A group's ``scope``
    fingerprints its theme and configuration: it is part of every key."""
    digests = [Digests(g.site) for g in groups]
    results, todo = _pages_to_render(groups, digests, records, known)

    def work(chunk: list[tuple[int, PageJob, str]]) -> list[PageResult]:
        failed: list[set[str]] = [set() for _ in groups]
        return [
            render_page(
                job,
                key,
                groups[i].site,
                groups[i].config,
                groups[i].env,
                groups[i].marks,
                digests[i],
                known,
                stage,
                failed[i],
            )
            for i, job, key in chunk
        ]

    done = (lambda n: progress("pages", n, len(todo))) if progress else None
    shared: dict[Reads, Reads] = {}
    marked: dict[tuple[bytes, ...], tuple[bytes, ...]] = {}
    for result in map_chunks(work, todo, workers, done):
        if result.record is not None:  # equal reads and marks become one object, pickled once
            reads = shared.setdefault(result.record.reads, result.record.reads)
            marks = marked.setdefault(result.record.marks, result.record.marks)
            result = replace(result, record=replace(result.record, reads=reads, marks=marks))
        results[result.file] = result
        diags.extend(list(result.problems))
    return [results[job.file] for group in groups for job in group.jobs]


def _pages_to_render(
    groups: list[Group],
    digests: list[Digests],
    records: Mapping[str, PageRecord],
    known: Mapping[str, str],
) -> tuple[dict[str, PageResult], list[tuple[int, PageJob, str]]]:
    """The result of every page that still holds (its record's key and reads, and its file
    as it was written), and the others to render: (group's index, job, key)."""
    results: dict[str, PageResult] = {}
    todo = []
    # records share their reads tuples: check each one once in each site model
    holds: dict[tuple[int, int], bool] = {}
    for index, group in enumerate(groups):
        for job in group.jobs:
            key = page_key(group.scope, job)
            old = records.get(job.file)
            have = known.get(job.file)
            still = False
            if old is not None and have is not None and old.key == key:
                shared_key = (index, id(old.reads))
                if shared_key not in holds:
                    holds[shared_key] = digests[index].hold(old.reads)
                still = holds[shared_key]
            if still:
                results[job.file] = PageResult(job.file, have, old, rendered=False)
            else:
                todo.append((index, job, key))
    return results, todo


def render_page(
    job: PageJob,
    key: str,
    site: Site,
    config: Config,
    env: TracingEnvironment,
    marks: tuple[bytes, ...],
    digests: Callable[[Dep], str | None],
    known: Mapping[str, str],
    stage: Callable[[str, bytes], None] | None,
    failed: set[str] | None = None,
) -> PageResult:
    """One page rendered and recorded: each part it read with ``digests(part)``; its bytes
    staged when they differ from its file in the output (``known``). A template that fails
    is reported once (``failed``: the templates that failed on other pages)."""
    failed = set() if failed is None else failed
    if job.template in failed:
        return PageResult(job.file, None, None)
    env.start(site)
    try:
        html = env.get_template(job.template).render(_context(job, site, config))
    except Unreadable:  # a body the cache lost: not the template's fault
        env.stop()
        raise
    except Exception as exc:
        env.stop()
        problems = Diagnostics()
        if not template_problem(exc, Path(config.root), problems):
            raise
        failed.add(job.template)  # one report per template, not one per page
        return PageResult(job.file, None, None, tuple(problems.items))
    reads = env.stop()
    data = html.encode("utf-8")
    made = digest(data)
    staged = stage is not None and known.get(job.file) != made
    if staged:
        stage(job.file, data)  # type: ignore[misc]
    reads_made = tuple(sorted(((dep, digests(dep)) for dep in reads), key=repr))
    record = PageRecord(key, reads_made, tuple(mark for mark in marks if mark in data))
    return PageResult(job.file, made, record, staged=staged)


def render_one(job: PageJob, site: Site, config: Config, env: TracingEnvironment) -> bytes:
    """One page's bytes, untraced and unrecorded (``briefgen serve``'s first look at an edit).
    A template error raises as it is."""
    return env.get_template(job.template).render(_context(job, site, config)).encode("utf-8")


def _context(job: PageJob, site: Site, config: Config) -> dict[str, Any]:  # Any: Jinja's context
    page = Page(
        job.kind,
        job.title,
        job.description,
        job.path,
        config.url(job.path),
        config.permalink(job.path),
    )
    return {"site": site, "page": page, **job.context}
