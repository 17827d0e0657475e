"""Run ``briefgen`` as its console script does, and write what the build measured of itself to a
JSON file: ``python bench/briefgen_stats.py STATS.json build ...``.

Besides the build's own stats (pages, pictures encoded and reused) and its counts of
warnings and errors, it measures the plugin layer: the time spent between the stages and the
plugins' code. That is loading and registering the plugins (briefgen's own features and a
site's), pluggy dispatching each hook, and the checks in ``briefgen.pipeline.hooks`` that turn
the answers into the stages' values.
The time inside the plugins' own hook functions is not the layer's: that work (a feed, a
sitemap, a card) is done with or without a plugin layer. It is written as
``plugin_layer_seconds``; ``plugin_code_seconds`` holds the time inside the plugins' code.

The clock runs in the building process only. The one part of the layer that runs in the
worker processes, a plugin field table looked up for each brief, is an empty loop when no
plugin adds a field (about 0.1 µs a brief).
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import briefgen.pipeline.build as build_module
import briefgen.pipeline.extensions as extensions
import briefgen.pipeline.hooks as hooks
import briefgen.pipeline.page_hooks as page_hooks
from briefgen.plugins.manager import Plugins


class LayerClock:
    """Time in the layer's outermost calls, and time inside the plugins' hook functions."""

    def __init__(self) -> None:
        self.outer = 0.0
        self.inside = 0.0
        self.depth = 0

    def layer(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self.depth:
                return function(*args, **kwargs)
            self.depth += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.outer += time.perf_counter() - started
                self.depth -= 1

        return timed

    def plugin_code(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args)
            finally:
                self.inside += time.perf_counter() - started

        return timed

    @property
    def seconds(self) -> float:
        return self.outer - self.inside


def install(clock: LayerClock) -> None:
    """Time every entry into the layer. Fails loudly when a name it times has gone, so that
    the figure never silently stops covering the layer."""
    build_module.load_plugins = clock.layer(build_module.load_plugins)
    build_module.after_build = clock.layer(build_module.after_build)
    for module in (hooks, page_hooks):
        for name in dir(module):
            value = getattr(module, name)
            own = getattr(value, "__module__", "") == module.__name__
            if own and callable(value) and not name.startswith("_") and not isinstance(value, type):
                setattr(module, name, clock.layer(value))
    Plugins.call = clock.layer(Plugins.call)
    Plugins.call_one = clock.layer(Plugins.call_one)
    Plugins.register = clock.layer(Plugins.register)
    guarded = Plugins._guarded

    def guarded_timed(self: Plugins, function: Callable[..., Any], *rest: Any) -> Any:
        return guarded(self, clock.plugin_code(function), *rest)

    Plugins._guarded = guarded_timed
    assert extensions.load_plugins is not None and hooks.fields is not None
    assert page_hooks.rendered is not None


def main() -> None:
    stats_path = sys.argv.pop(1)
    sys.argv[0] = "briefgen"
    clock = LayerClock()
    install(clock)
    real_build = build_module.build

    def build(*args: Any, **kwargs: Any) -> Any:
        result = real_build(*args, **kwargs)
        stats = {
            **result.stats,
            "built": result.site is not None,
            "warnings": len(result.diagnostics.warnings),
            "errors": len(result.diagnostics.errors),
            "plugin_layer_seconds": round(clock.seconds, 6),
            "plugin_code_seconds": round(clock.inside, 6),
        }
        with open(stats_path, "w", encoding="utf-8") as handle:
            json.dump(stats, handle, default=str)
        return result

    build_module.build = build
    from briefgen.cli.main import run

    run()


if __name__ == "__main__":
    main()
