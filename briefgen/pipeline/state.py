"""What the cache keeps about one output folder between builds: the stamps of every input,
the manifest of the files written, the diagnostics and the counts of the last good build,
and what plugins keep of it (the search index's partitions) or left for later.
With it, a build whose inputs are all unchanged ends after looking at file sizes and times."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostic, cannot_write
from briefgen.pipeline.cache import Cache
from briefgen.plugins.types import Later
from briefgen.util.hashing import digest
from briefgen.write.writer import Stamp, trusted


@dataclass(frozen=True)
class OutputState:
    """What the cache knows about one output folder after a successful build."""

    inputs: str  # the digest of every input's size and time, for the nothing-changed check
    valid_until: float | None  # the next moment a brief is published or expires
    manifest: dict[str, Stamp]
    diagnostics: tuple[Diagnostic, ...]
    stats: dict[str, int]
    # each plugin's own state (``Added.state`` of briefgen_rendered), by the plugin's name
    plugin_states: dict[str, object] = field(default_factory=dict)
    # work plugins left for later (built with ``defer``), behind the pages: (plugin, what)
    deferred: tuple[tuple[str, Later], ...] = ()
    parts: str = ""  # names the stored parts of the site model written with it (parts.py)

    def __reduce__(self) -> tuple[Any, ...]:  # Any: what pickle takes
        """Pickled with its manifest as four columns: loaded and saved by every build, it is
        unpickled in a fifth of the time a mapping of 32,000 stamps takes."""
        columns = tuple(zip(*self.manifest.values(), strict=True)) or ((), (), ())
        values = [getattr(self, f.name) for f in fields(self)]
        values[2] = (tuple(self.manifest), *columns)
        return (_restored, tuple(values))


# Any: the manifest's columns and the fields after it, as pickled
def _restored(inputs: str, valid_until: float | None, columns: Any, *rest: Any) -> OutputState:
    names, digests, sizes, times = columns
    stamp = partial(tuple.__new__, Stamp)
    return OutputState(
        inputs,
        valid_until,
        dict(zip(names, map(stamp, zip(digests, sizes, times, strict=True)), strict=True)),
        *rest,
    )


def output_state_name(output: Path) -> str:
    """The cache record of one output folder (the dev server's folder gets its own)."""
    return f"output-{digest(str(output))[:20]}.pickle"


def pages_name(state_name: str) -> str:
    """The cache record of the pages of one output folder: what each page read."""
    return state_name.replace(".pickle", "-pages")


def unchanged(state: OutputState, inputs: str | None, config: Config) -> dict[str, Stamp] | None:
    """The manifest of the output as it is now (with the new times of files touched but not
    changed) when nothing the last build read has changed, no brief has since become due or
    expired, and every file it wrote is still as it was written; else None. Each output file
    is looked at once: 11,000 of them at 10,000 briefs."""
    if inputs is None or state.inputs != inputs:
        return None
    if state.valid_until is not None and config.now.timestamp() >= state.valid_until:
        return None
    manifest = trusted(config.output_path, state.manifest)
    return manifest if len(manifest) == len(state.manifest) else None


def forget_output(root: Path, output: Path) -> None:
    """Drop the cache records of an output folder that is gone (the dev server's)."""
    name = output_state_name(output.resolve())
    with Cache(root.resolve(), enabled=True) as store:
        for record in (name, f"{pages_name(name)}.pickle", f"{pages_name(name)}.delta.pickle"):
            store.remove(record)


def failure(failed: tuple[str, str]) -> str:
    """The message of a cache write that failed: (path, reason), or ("", a whole message)
    from a worker."""
    return cannot_write(*failed) if failed[0] else failed[1]
