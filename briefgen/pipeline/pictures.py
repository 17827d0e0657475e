"""Stage pictures: every file a picture (or a social card) is published in, encoded on every
core, or taken from the build cache when its source, settings and encoder are unchanged
(the work is :mod:`briefgen.pictures`'s; this stage keeps its files in the cache).

Encoded files are kept in ``.briefgen-cache/media/`` under the digest of what made them,
with a signed record of each file's size, time and digest: a file the record does not vouch
for (copied in from elsewhere, or changed) is made again. Files no build needs any more are
removed from the cache when the build is over, so a long ``serve`` keeps the folder flat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.model.diagnostics import Diagnostics
from briefgen.pictures import Files, Job, check_published, make_files, prune
from briefgen.pipeline.cache import Cache
from briefgen.plugins.types import Drawn

if TYPE_CHECKING:
    from briefgen.model.site import Site
    from briefgen.pipeline.stages import Content, Plan
    from briefgen.render.theme import Theme

RECORD = "pictures"
PROBES = "picture-probes"  # the cache's record of what each picture file holds
FOLDER = "media"


def make_pictures(jobs: dict[str, Job], drawn: list[Drawn], store: Cache, workers: int) -> Files:
    """Every job's file: from the cache, or encoded into it (into a temporary folder when
    the cache is off or read-only, as for ``briefgen check``)."""
    # key → (size, modification time, digest of the bytes) of each file in the cache folder
    # (it outlives upgrades of briefgen: a key names the encoder's version and Pillow's)
    record = store.load(RECORD, lasting=True) or {}
    folder = store.folder / FOLDER
    made = [*jobs.values(), *drawn]
    done = make_files(
        made, record, folder, reuse=store.enabled, keep=store.writable, workers=workers
    )
    store.failed = store.failed or done.failed  # the build stops on it
    if store.writable:
        store.save(RECORD, {k: v for k, v in record.items() if k in done.keys}, lasting=True)
        prune(folder, done.keys)
    return done


def picture_stage(
    contents: list[Content],
    sites: list[Site],
    plans: list[Plan],
    theme: Theme,
    store: Cache,
    diags: Diagnostics,
    workers: int,
) -> Files:
    """Stage pictures: every picture's files and every file plugins draw (the social
    cards), encoded or from the cache, added to the default edition's files; then the
    desk's checks on pictures."""
    from briefgen.pipeline import hooks
    from briefgen.render.theme import load_strings

    assets, config = contents[0].assets, contents[0].config
    taken = {job.file: "" for plan in plans for job in plan.jobs}
    taken.update((out.path, "") for plan in plans for out in plan.extras)
    taken.update((job.path, "") for job in assets.jobs.values())
    drawn = [
        item
        for content, site in zip(contents, sites, strict=True)
        for item in hooks.drawn(
            site,
            content.config,
            content.strings or load_strings(theme, content.config),
            taken,
            diags,
        )
    ]
    made = make_pictures(assets.jobs, drawn, store, workers)
    plans[0].extras.extend(made.outputs)
    plans[0].keep.append(made.scratch)  # encoded without a cache: kept until written
    check_published(assets, made.sizes, config.budgets.image_kb, diags)
    store.save(PROBES, assets.probes_kept())
    return made
