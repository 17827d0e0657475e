"""Bringing the search index up to date after a build that left it for later.

``briefgen serve`` builds with ``search_later``: a save shows the changed page as soon as its
pages are written, and the index follows here, in the background. Nothing of the site is read
again: the page records in the cache say which pages are searchable and the manifest gives
each page's digest, so only the partitions whose pages changed are indexed (see
:mod:`briefgen.render.search`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from briefgen.config.load import load_config
from briefgen.config.overrides import NONE, Overrides
from briefgen.pipeline import stages
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.state import OutputState, output_state_name, pages_name
from briefgen.render.pages import PageResult
from briefgen.render.search import BUNDLE_DIR
from briefgen.util.parallel import cpu_count
from briefgen.write.writer import Writer


def update_search(root: Path, overrides: Overrides = NONE, jobs: int | None = None) -> bool:
    """Index what the last build of this output left for later; False when nothing was
    behind. Raises SearchError when the indexer fails or is stopped (the next build or
    update starts again from the same record) and OSError when the disk will not take it."""
    config, _ = load_config(root, overrides)
    if not config.search.enabled:
        return False
    with Cache(config.root, enabled=True) as store:
        name = output_state_name(config.output_path)
        state = store.load(name)
        if not isinstance(state, OutputState) or not state.search_pending:
            return False
        records = store.load_map(pages_name(name))
        with Writer(config.output_path, state.manifest) as writer:
            if not writer.incremental:
                return False  # the output went away: the next build makes it whole
            files = {
                rel: writer.known[rel]
                for rel in writer.known
                if not rel.startswith(f"{BUNDLE_DIR}/")
            }
            results = [
                PageResult(rel, files[rel], record, rendered=False)
                for rel, record in records.items()
                if rel in files
            ]
            found = stages.index_all(
                writer, files, results, state.search, config, jobs or cpu_count()
            )
            manifest = writer.commit(files)
        store.save(
            name, dataclasses.replace(state, manifest=manifest, search=found, search_pending=False)
        )
    return True
