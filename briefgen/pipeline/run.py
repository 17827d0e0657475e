"""What one build is: how it was asked for (:class:`Options`), what it carries from stage to
stage (:class:`Run`) and what it returns (:class:`BuildResult`)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefgen.config.overrides import NONE, Overrides
from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.site import Site
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.preview import Preview, Previews
from briefgen.pipeline.stamps import input_stamps, stamp_of
from briefgen.pipeline.state import OutputState, output_state_name
from briefgen.plugins.types import Later
from briefgen.render.theme import Theme

if TYPE_CHECKING:
    from briefgen.languages import Coverage

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildResult:
    config: Config
    site: Site | None  # None when nothing had changed and the model was not rebuilt
    files: dict[str, str]  # every file of the output → digest of its bytes
    diagnostics: Diagnostics
    written: bool = False
    written_files: list[str] = field(default_factory=list)  # files this build wrote
    seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)
    pages_rendered: int = 0
    # written with ``defer``: the work plugins left for later, behind the pages (plugin, what)
    deferred: tuple[tuple[str, Later], ...] = ()
    preview: Preview | Previews | None = None  # for quick pages of the next edit (``serve``)
    sites: list[Site] = field(default_factory=list)  # every language's, the default first
    coverage: tuple[Coverage, ...] = ()  # check --translations: each language's share, when several

    @property
    def pages(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html"))


@dataclass(frozen=True)
class Options:
    """How to build (see :func:`build`); the settings themselves come from ``site.yaml`` and
    ``overrides``."""

    write: bool = True
    pages: bool = True
    strict: bool = False
    jobs: int | None = None
    progress: Progress | None = None
    on_wait: Callable[[], None] | None = None
    stale: dt.timedelta | None = None
    force: bool = False
    overrides: Overrides = NONE
    defer: bool = False  # plugins leave for later what can wait (the search index)
    without: tuple[str, ...] = ()  # briefgen's own features left out, by name
    reuse: bool = True  # False: make the model even when nothing changed (serve's quick pages)


@dataclass
class Run:
    """What one build carries from stage to stage besides the values the stages return."""

    store: Cache
    options: Options
    started: float
    workers: int
    state_name: str = ""
    state: OutputState | None = None  # the cache's record of the last good build here
    inputs: str | None = None  # the stamp of every input, when the cache is on
    seen: list[tuple[object, ...]] | None = None  # what it is made of (stamps.input_stamps)

    def begin(self, config: Config, theme: Theme) -> None:
        self.state_name = output_state_name(config.output_path)
        state = self.store.load(self.state_name) if self.options.write else None
        self.state = state if isinstance(state, OutputState) else None
        if self.store.enabled:
            self.seen = input_stamps(config, theme, self.store.fingerprint)
            self.inputs = stamp_of(self.seen)

    def finish(self, result: BuildResult) -> BuildResult:
        result.seconds = time.perf_counter() - self.started
        return result
