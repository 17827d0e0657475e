"""The files pictures are published in, and those plugins draw (the social cards): each found
in a folder where an earlier build made it, when a record vouches for it, or made on every
core and written into the folder under the key of what made it (``<key>.<extension>``). The
pictures stage of the pipeline keeps the folder and its record in the build cache."""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.model.output import Output
from briefgen.pictures.variants import EXTENSION, Job
from briefgen.plugins.types import Drawn
from briefgen.util.hashing import digest
from briefgen.util.parallel import map_chunks

# a file made here: a size and format of a picture, or a file a plugin draws
Made = Job | Drawn
# a file's (size, modification time, digest of its bytes), as the record keeps it
Stamp = tuple[int, int, str]
# how a file came out: its stamp once written into the folder, or (its path, why) when it
# could not be written (its bytes then kept in memory)
Kept = Stamp | tuple[str, str]


@dataclass
class Files:
    """What was made: the files to publish, and how many were encoded or reused. ``keys``
    names every file of this build (the others can go); ``failed`` is the first file that
    could not be written, (path, why). ``scratch`` holds the files made for a folder that
    could not keep them (its folder is removed with it, once nothing refers to it)."""

    outputs: list[Output] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # output path → bytes
    encoded: int = 0
    reused: int = 0
    keys: set[str] = field(default_factory=set)
    failed: tuple[str, str] | None = None
    scratch: tempfile.TemporaryDirectory[str] | None = None


def make_files(
    made: Sequence[Made],
    record: dict[str, Stamp],
    folder: Path,
    *,
    reuse: bool,
    keep: bool,
    workers: int,
) -> Files:
    """Every file of ``made``: the one in ``folder`` when ``reuse`` and ``record`` (key →
    stamp of each file there) vouch for it, else made on every core into ``folder``, or
    into a temporary folder when the folder may not be written (not ``keep``: never held in
    memory, where a thousand pictures would take hundreds of megabytes). ``record`` gains
    the stamp of every file found or written."""
    done = Files()
    if not keep:
        done.scratch = tempfile.TemporaryDirectory(prefix="briefgen-pictures-")
    into = Path(done.scratch.name) if done.scratch is not None else folder
    todo: dict[str, list[Made]] = defaultdict(list)  # source (or drawn file) → its jobs
    keys: dict[str, str] = {}
    for job in made:
        key = job.key
        keys[job.path] = key
        cached = folder / f"{key}.{_extension(job)}"
        stamp = vouched(cached, record.get(key)) if reuse else None
        if stamp is not None:
            record[key] = stamp
            done.outputs.append(Output(job.path, source=cached, digest=stamp[2]))
            done.sizes[job.path] = stamp[0]
            done.reused += 1
        else:
            todo[str(job.source) if isinstance(job, Job) else job.path].append(job)
    groups = sorted(todo.values(), key=lambda g: (not isinstance(g[0], Job), g[0].path))
    for group, results in zip(groups, _make_all(groups, into, workers), strict=True):
        for job, (data, stamp) in zip(group, results, strict=True):
            done.encoded += 1
            if len(stamp) == 2:  # not kept, (path, why): the build stops on it
                done.failed = done.failed or stamp
                done.outputs.append(Output(job.path, data=data))
                done.sizes[job.path] = len(data)
                continue
            record[keys[job.path]] = stamp
            done.outputs.append(
                Output(
                    job.path, digest=stamp[2], source=into / f"{keys[job.path]}.{_extension(job)}"
                )
            )
            done.sizes[job.path] = stamp[0]
    done.outputs.sort(key=lambda o: o.path)
    done.keys = set(keys.values())
    return done


def _make_all(
    groups: list[list[Made]], folder: Path, workers: int
) -> list[list[tuple[bytes, Kept]]]:
    """Each group's files, made on every core: pictures and cards apart, since the chunks of
    one call are of like cost, so both cores share the pictures rather than one taking them
    all in its first chunk (``groups`` has the pictures first)."""
    pictures = sum(1 for g in groups if isinstance(g[0], Job))
    work = lambda chunk: [_make(g, folder) for g in chunk]  # noqa: E731
    return [
        *map_chunks(work, groups[:pictures], workers, min_per_worker=1),
        *map_chunks(work, groups[pictures:], workers, min_per_worker=1),
    ]


def _extension(job: Made) -> str:
    return EXTENSION[job.format] if isinstance(job, Job) else job.path.rsplit(".", 1)[-1]


def vouched(path: Path, stamp: Stamp | None) -> Stamp | None:
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


def prune(folder: Path, keys: set[str]) -> None:
    """Remove the files of ``folder`` no key of ``keys`` names (and stray temporary files)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.split(".", 1)[0] not in keys or entry.name.startswith("."):
            try:
                os.unlink(entry.path)
            except OSError:
                pass
