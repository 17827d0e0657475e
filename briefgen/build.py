"""The build pipeline, stage by stage: each stage takes values, returns values and adds its
problems to one collector, so a single run reports everything."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen import assemble, content, search
from briefgen.assets import Assets
from briefgen.config import Config, load_config
from briefgen.diagnostics import ContentError, Diagnostics
from briefgen.gitdates import last_commit_dates
from briefgen.markdown import Resolver
from briefgen.model import Site
from briefgen.output import Output, write_site
from briefgen.render import render_site
from briefgen.theme import check_templates, find_theme, make_environment


@dataclass
class BuildResult:
    config: Config
    site: Site
    outputs: list[Output]
    diagnostics: Diagnostics
    written: bool = False
    seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return sum(1 for o in self.outputs if o.path.endswith(".html"))


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def build(
    root: Path,
    *,
    write: bool = True,
    strict: bool = False,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
    **overrides: Any,
) -> BuildResult:
    """Build the site at ``root``; with ``write=False`` this is ``briefgen check``.

    Raises ConfigError (gate 1: site.yaml or theme unusable) or ContentError (gate 2: any
    error, or any warning when ``strict``). Nothing is written unless both gates pass.
    """
    started = time.perf_counter()
    config, diags = load_config(root, **overrides)  # gate 1
    theme = find_theme(config)

    all_briefs = content.load_briefs(config.root, diags)
    if config.git_dates:
        all_briefs = assemble.with_git_dates(
            all_briefs, last_commit_dates(config.root, content.BRIEFS_DIR)
        )
    topic_metas = content.load_topics(config.root, diags)
    selected = assemble.select(all_briefs, config)
    metas = assemble.unique_slugs(selected, diags)
    assets = Assets(config.root, theme.static_dirs, config.base_path)
    resolver = Resolver(
        targets=assemble.link_targets(metas, all_briefs, topic_metas, config),
        unpublished=assemble.unpublished_targets(all_briefs, config),
        images=assets.resolve,
    )
    # every selected brief is rendered, duplicates too, so their link errors are reported
    briefs, rendered = {}, {}
    for done, meta in enumerate(selected, 1):
        briefs[meta.path], rendered[meta.path] = assemble.render_brief(
            meta, config, resolver, diags
        )
        if progress:
            progress("markdown", done, len(selected))
    assemble.check_anchors(rendered, diags)
    site = assemble.assemble(
        config,
        [briefs[m.path] for m in metas],
        {m.path: m for m in metas},
        topic_metas,
        resolver,
        diags,
    )

    if not check_templates(theme, config.root, diags):
        raise ContentError(diags)
    env = make_environment(theme, config)
    outputs = render_site(site, config, theme, env, diags, progress)
    outputs += assets.outputs()
    if diags.has_errors(strict):  # gate 2
        raise ContentError(diags)
    result = BuildResult(config, site, outputs, diags)
    if write:
        finalize = search.build_index if config.search.enabled else None
        try:
            write_site(outputs, config.output_path, finalize, on_wait)
        except search.SearchError as exc:
            diags.error("", 0, 0, str(exc))
            raise ContentError(diags) from None
        except OSError as exc:  # read-only or full disk: the previous site is still in place
            where = exc.filename or config.output_path
            diags.error(str(where), 0, 0, f"cannot write the site: {exc.strerror or exc}")
            raise ContentError(diags) from None
        result.written = True
    result.seconds = time.perf_counter() - started
    result.stats = {"briefs": len(site.briefs), "topics": len(site.topics), "pages": result.pages}
    return result
