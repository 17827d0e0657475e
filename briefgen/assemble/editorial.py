"""The desk's rules for a brief, checked once every body is rendered: every source is cited
and every brief has sources, the structured sections keep to their word budgets, and
"go deeper" links point at briefs that exist.

Rules, decided once:

- A source counts as cited when the body cites it (``[@id]``) or a key fact or timeline
  event names it (``source: id``). A source without an ``id`` cannot be cited, so it is
  reported too: give it an id and cite it. Each is a warning (an error with ``--strict``).
- A brief without sources is a warning at its first line (an error with ``--strict``).
  ``checks: {sources: false}`` in ``site.yaml`` turns these two rules off (a site of
  internal notes); citations of unknown ids are errors all the same.
- Budgets (``budgets:`` in ``site.yaml``) count words for ``summary``, ``why_it_matters``
  and ``whats_next`` and links for ``go_deeper``; 0 turns one off.
- Stale (``check --stale 30d``): a brief last changed (``updated``, the change log, or
  ``date``) longer ago than the age, in a topic with a brief published after that change.
  The newest brief of a quiet topic is not stale: nothing has overtaken it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from urllib.parse import urlsplit

from briefgen.config.values import BudgetsConfig, Config
from briefgen.markdown import links, renderer
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta
from briefgen.model.rendered import RenderedBody
from briefgen.model.site import Site


def check_sources(meta: BriefMeta, cited: tuple[int, ...], diags: Diagnostics) -> None:
    """Warn about a brief without sources and about each source it never cites."""
    if not meta.sources:
        diags.warning(
            meta.path,
            1,
            1,
            "brief has no sources: add 'sources:' and cite them with [@id]",
            kind="no-sources",
        )
        return
    used = {meta.sources[n - 1].id for n in cited}
    used.update(f.source for f in meta.key_facts if f.source)
    used.update(e.source for e in meta.structure.timeline if e.source)
    for n, source in enumerate(meta.sources, 1):
        if source.id in used:
            continue
        line, col = meta.where(("sources", n - 1))
        if source.id is None:
            hint = "give it an 'id' and cite it in the body with [@id]"
        else:
            hint = f"cite it in the body with [@{source.id}] or remove it"
        diags.warning(
            meta.path,
            line,
            col,
            f"source {n} ({source.title!r}) is never cited: {hint}",
            kind="uncited-source",
        )


def check_budgets(meta: BriefMeta, budgets: BudgetsConfig, diags: Diagnostics) -> None:
    s = meta.structure
    for name in ("summary", "why_it_matters", "whats_next"):
        text = meta.summary if name == "summary" else getattr(s, name)
        budget = getattr(budgets, name)
        words = renderer.count_words(text) if text else 0
        if budget and words > budget:
            line, col = meta.where((name,))
            diags.warning(
                meta.path,
                line,
                col,
                f"{name!r} has {words} words, over its budget of {budget} "
                f"(budgets.{name} in site.yaml)",
            )
    if budgets.go_deeper and len(s.go_deeper) > budgets.go_deeper:
        line, col = meta.where(("go_deeper",))
        diags.warning(
            meta.path,
            line,
            col,
            f"'go_deeper' has {len(s.go_deeper)} links, over its budget of "
            f"{budgets.go_deeper} (budgets.go_deeper in site.yaml)",
        )


def resolve_go_deeper(
    meta: BriefMeta, resolver: links.Resolver, titles: Mapping[str, str], diags: Diagnostics
) -> BriefMeta:
    """``meta`` with its go-deeper links resolved: ``other.md`` to the brief's page and title,
    an address to itself. A brief that does not exist or is not published is an error."""
    if not meta.structure.go_deeper:
        return meta
    resolved = []
    for i, link in enumerate(meta.structure.go_deeper):
        found = links.resolve_href(link.target, meta.path, resolver.targets)
        if found is None:  # an address (validated with the front matter)
            resolved.append(
                dataclasses.replace(
                    link, url=link.target, title=link.title or _address(link.target)
                )
            )
            continue
        url, target, anchor = found
        if url is None:
            why = resolver.unpublished.get(target)
            problem = f"{target} is not published ({why})" if why else f"no such brief ({target})"
            line, col = meta.where(("go_deeper", i))
            diags.error(meta.path, line, col, f"go_deeper link {link.target!r}: {problem}")
            continue
        title = link.title or titles.get(target) or target
        resolved.append(
            dataclasses.replace(link, url=url + (f"#{anchor}" if anchor else ""), title=title)
        )
    structure = dataclasses.replace(meta.structure, go_deeper=tuple(resolved))
    return dataclasses.replace(meta, structure=structure)


def _address(url: str) -> str:
    """A readable name for a bare address: its host and path."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") or url


def check_all(
    metas: list[BriefMeta], rendered: Mapping[str, RenderedBody], config: Config, diags: Diagnostics
) -> None:
    for meta in metas:
        if config.checks.sources:
            check_sources(meta, rendered[meta.path].cited, diags)
        check_budgets(meta, config.budgets, diags)


def check_stale(
    site: Site,
    metas: Mapping[str, BriefMeta],
    now: dt.datetime,
    age: dt.timedelta,
    diags: Diagnostics,
) -> None:
    """Warn about each brief overtaken by newer briefs in its topics and older than ``age``."""
    for brief in site.briefs:
        changed = brief.last_modified
        if changed.moment > now - age:
            continue
        # a topic's briefs are newest first: its first brief is the one that can overtake
        newest = [
            (topic.briefs[0], topic)
            for topic in (site.topics_by_slug[slug] for slug in brief.topics)
            if topic.briefs[0].date > changed
        ]
        if not newest:
            continue
        latest, topic = max(newest, key=lambda pair: pair[0].date)
        meta = metas[brief.source_path]
        line, col = meta.where(("updated",), None) or meta.where(("date",))
        days = (now - changed.moment).days
        diags.warning(
            brief.source_path,
            line,
            col,
            f"stale: last changed {changed.human()} ({days} days ago), and "
            f"{topic.title!r} has newer briefs, the latest {latest.title!r} "
            f"({latest.date.human()})",
        )
