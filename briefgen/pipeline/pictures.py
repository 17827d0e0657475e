"""Stage pictures: every file a picture (or a social card) is published in, encoded on every
core, or taken from the build cache when its source, settings and encoder are unchanged.

Encoded files are kept in ``.briefgen-cache/media/`` under the digest of what made them,
with a signed record of each file's size, time and digest: a file the record does not vouch
for (copied in from elsewhere, or changed) is made again. Files no build needs any more are
removed from the cache when the build is over, so a long ``serve`` keeps the folder flat."""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.model.diagnostics import Diagnostics
from briefgen.model.output import Output
from briefgen.pictures.variants import EXTENSION, Job
from briefgen.pipeline.cache import Cache
from briefgen.plugins.types import Drawn
from briefgen.util.hashing import digest
from briefgen.util.parallel import map_chunks

if TYPE_CHECKING:
    from briefgen.model.site import Site
    from briefgen.pipeline.stages import Content, Plan
    from briefgen.render.theme import Theme

# a file this stage makes: a size and format of a picture, or a file a plugin draws
Made = Job | Drawn
# how a file came out: (size, modification time, digest) of the file written into the
# folder, or (its path, why) when it could not be written (its bytes then kept in memory)
Kept = tuple[int, int, str] | tuple[str, str]

RECORD = "pictures"
PROBES = "picture-probes"  # the cache's record of what each picture file holds
FOLDER = "media"


@dataclass
class Pictures:
    """What the stage made: the files to publish, and how many were encoded or reused.
    ``scratch`` holds the files encoded by a build whose cache is off or read-only (its
    folder is removed with it, once nothing refers to it)."""

    outputs: list[Output] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # output path → bytes
    encoded: int = 0
    reused: int = 0
    scratch: tempfile.TemporaryDirectory[str] | None = None


def make_pictures(jobs: dict[str, Job], drawn: list[Drawn], store: Cache, workers: int) -> Pictures:
    """Every job's file: from the cache, or encoded into it (into a temporary folder when
    the cache is off or read-only, as for ``briefgen check``: never held in memory, where a
    thousand pictures would take hundreds of megabytes)."""
    # key → (size, modification time, digest of the bytes) of each file in the cache folder
    # (it outlives upgrades of briefgen: a key names the encoder's version and Pillow's)
    record: dict[str, tuple[int, int, str]] = store.load(RECORD, lasting=True) or {}
    cached_in = store.folder / FOLDER
    done = Pictures()
    if not store.writable:
        done.scratch = tempfile.TemporaryDirectory(prefix="briefgen-pictures-")
    folder = Path(done.scratch.name) if done.scratch is not None else cached_in
    todo: dict[str, list[Made]] = defaultdict(list)  # source (or drawn file) → its jobs
    keys: dict[str, str] = {}
    for job in [*jobs.values(), *drawn]:
        key = job.key
        keys[job.path] = key
        cached = cached_in / f"{key}.{_extension(job)}"
        stamp = _vouched(cached, record.get(key)) if store.enabled else None
        if stamp is not None:
            record[key] = stamp
            done.outputs.append(Output(job.path, source=cached, digest=stamp[2]))
            done.sizes[job.path] = stamp[0]
            done.reused += 1
        else:
            todo[str(job.source) if isinstance(job, Job) else job.path].append(job)
    # pictures and cards apart: the chunks of one call are of like cost, so both cores
    # share the pictures rather than one taking them all in its first chunk
    groups = sorted(todo.values(), key=lambda g: (not isinstance(g[0], Job), g[0].path))
    pictures = sum(1 for g in groups if isinstance(g[0], Job))
    work = lambda chunk: [_make(g, folder) for g in chunk]  # noqa: E731
    made = [
        *map_chunks(work, groups[:pictures], workers, min_per_worker=1),
        *map_chunks(work, groups[pictures:], workers, min_per_worker=1),
    ]
    for group, results in zip(groups, made, strict=True):
        for job, (data, stamp) in zip(group, results, strict=True):
            done.encoded += 1
            if len(stamp) == 2:  # not kept, (path, why): the build stops on it
                store.failed = store.failed or stamp
                done.outputs.append(Output(job.path, data=data))
                done.sizes[job.path] = len(data)
                continue
            record[keys[job.path]] = stamp
            done.outputs.append(
                Output(
                    job.path, digest=stamp[2], source=folder / f"{keys[job.path]}.{_extension(job)}"
                )
            )
            done.sizes[job.path] = stamp[0]
    done.outputs.sort(key=lambda o: o.path)
    if store.writable:
        live = set(keys.values())
        store.save(RECORD, {k: v for k, v in record.items() if k in live}, lasting=True)
        _prune(cached_in, live)
    return done


def _extension(job: Made) -> str:
    return EXTENSION[job.format] if isinstance(job, Job) else job.path.rsplit(".", 1)[-1]


def _vouched(path: Path, stamp: tuple[int, int, str] | None) -> tuple[int, int, str] | None:
    """The record's stamp of the file at ``path`` when the file is what the record says, with
    its time as it is now; else None. Size and time vouch for it, or, when only the time
    differs, its bytes' digest: a cache a CI service kept between runs can come back with its
    times cut (GitLab's zip keeps whole seconds), and its pictures are not made again."""
    if stamp is None:
        return None
    try:
        st = os.stat(path)
        if (st.st_size, st.st_mtime_ns) == stamp[:2]:
            return stamp
        if st.st_size != stamp[0] or digest(path.read_bytes()) != stamp[2]:
            return None
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, stamp[2])


def _make(group: Sequence[Made], folder: Path) -> list[tuple[bytes, Kept]]:
    """Encode one source's jobs (or draw one card) into ``folder``: each file's (b"", (size,
    time, digest)), or, when it cannot be written, (its bytes, (path, why))."""
    if isinstance(group[0], Job):
        from briefgen.pictures.encode import encode_all

        datas = encode_all(group[0].source, group)
    else:  # files plugins draw (social cards)
        datas = [job.draw() for job in group]
    out: list[tuple[bytes, Kept]] = []
    for job, data in zip(group, datas, strict=True):
        path = folder / f"{job.key}.{_extension(job)}"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
            st = os.stat(path)
        except OSError as exc:  # a full or read-only disk: the build reports it, once
            tmp.unlink(missing_ok=True)
            out.append((data, (str(path), exc.strerror or str(exc))))
            continue
        out.append((b"", (st.st_size, st.st_mtime_ns, digest(data))))
    return out


def _prune(folder: Path, live: set[str]) -> None:
    """Remove cached files no job of this build names (and stray temporary files)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.split(".", 1)[0] not in live or entry.name.startswith("."):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def picture_stage(
    contents: list[Content],
    sites: list[Site],
    plans: list[Plan],
    theme: Theme,
    store: Cache,
    diags: Diagnostics,
    workers: int,
) -> Pictures:
    """Stage pictures: every picture's files and every file plugins draw (the social
    cards), encoded or from the cache, added to the default edition's files; then the
    desk's checks on pictures."""
    from briefgen.pictures import check_published
    from briefgen.pipeline import hooks
    from briefgen.render.theme import load_strings

    assets, config = contents[0].assets, contents[0].config
    drawn = [
        item
        for content, site in zip(contents, sites, strict=True)
        for item in hooks.drawn(
            site, content.config, content.strings or load_strings(theme, content.config), diags
        )
    ]
    made = make_pictures(assets.jobs, drawn, store, workers)
    plans[0].extras.extend(made.outputs)
    plans[0].keep.append(made.scratch)  # encoded without a cache: kept until written
    check_published(assets, made.sizes, config.budgets.image_kb, diags)
    store.save(PROBES, {k: v for k, v in assets.probes.items() if k in assets.found})
    return made
