"""The plugins of one build, registered with pluggy under their names: briefgen's own features
first, then those ``site.yaml`` names, in its order. A hook is called through
:meth:`Plugins.call`, which returns each plugin's answer with the plugin's name and turns an
exception raised in a plugin into one diagnostic naming the plugin, the hook and the file."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from briefgen.model.diagnostics import Diagnostics
from briefgen.model.site import Unreadable
from briefgen.plugins import spec
from briefgen.plugins.types import ExternalError
from briefgen.util.hashing import digest


@dataclass(frozen=True)
class Registered:
    """A plugin as the build knows it: its name, where it comes from, its version and
    settings (both part of the cache key), and where ``site.yaml`` names it."""

    name: str
    origin: str  # "briefgen", "plugins/x.py" or the installed package's name
    version: str
    settings: Mapping[str, Any]  # Any: each setting of the kind the plugin declares
    where: tuple[str, int, int] = ("site.yaml", 0, 0)  # path, line, col
    files: tuple[str, ...] = ()  # the plugin's own source files, for the place of a failure


@dataclass
class Failure:
    """An exception raised in a plugin's hook: reported once, as an error."""

    plugin: Registered
    hook: str
    error: BaseException

    def place(self, root: Path) -> tuple[str, int, int]:
        """The line of the plugin's own file where it failed, when that file is the site's;
        else where ``site.yaml`` names the plugin (the message then names the file)."""
        frame = self._frame()
        if frame is not None:
            try:
                rel = Path(frame.filename).resolve().relative_to(root).as_posix()
            except ValueError:
                return self.plugin.where
            return rel, frame.lineno or 0, 1 if frame.lineno else 0
        return self.plugin.where

    def message(self, root: Path | None = None) -> str:
        kind = type(self.error).__name__
        text = str(self.error).strip()
        said = f"{kind}: {text}" if text else kind
        where = ""
        frame = self._frame()
        if frame is not None and (root is None or self.place(root) == self.plugin.where):
            shown = Path(frame.filename)
            where = f" (at {shown.parent.name}/{shown.name}:{frame.lineno})"
        return f"plugin {self.plugin.name!r} failed in {self.hook}: {said}{where}"

    def _frame(self) -> traceback.FrameSummary | None:
        """The innermost frame of the traceback in one of the plugin's own files."""
        mine = {str(Path(f).resolve()) for f in self.plugin.files}
        for frame in reversed(traceback.extract_tb(self.error.__traceback__)):
            if str(Path(frame.filename).resolve()) in mine:
                return frame
        return None


@dataclass
class Plugins:
    """The registered plugins of a build and the pluggy manager that calls them."""

    root: Path
    debug: bool = False  # let a plugin's exception through, with its traceback
    registered: list[Registered] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    _manager: pluggy.PluginManager = field(default_factory=lambda: _new_manager())

    def register(self, plugin: object, about: Registered) -> None:
        self._manager.register(plugin, name=about.name)
        self.registered.append(about)
        for hook in spec.HOOKS:
            for impl in getattr(self._manager.hook, hook).get_hookimpls():
                if impl.plugin_name == about.name:
                    impl.function = self._guarded(impl.function, about, hook)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.registered)

    @property
    def key(self) -> str:
        """Changes when a plugin is added, removed, upgraded, edited or set differently."""
        about = [(p.name, p.origin, p.version, sorted(p.settings.items())) for p in self.registered]
        return digest(repr(about))

    def template_dirs(self) -> tuple[Path, ...]:
        """The ``templates/`` folders plugins ship (a plugin's ``templates`` attribute), in
        the order of the plugins."""
        plugins = (self._manager.get_plugin(p.name) for p in self.registered)
        found = (getattr(plugin, "templates", None) for plugin in plugins)
        return tuple(Path(folder) for folder in found if folder)

    def implements(self, hook: str) -> bool:
        return bool(getattr(self._manager.hook, hook).get_hookimpls())

    def implementers(self, hook: str) -> tuple[str, ...]:
        """The plugins that implement ``hook``, in the order they were registered."""
        names = {impl.plugin_name for impl in getattr(self._manager.hook, hook).get_hookimpls()}
        return tuple(name for name in self.names if name in names)

    def call(
        self,
        hook: str,
        diags: Diagnostics | None = None,
        **kwargs: Any,  # Any: the hook's arguments
    ) -> list[Answer]:
        """Every plugin's answer to ``hook`` that is not None, in pluggy's order (the plugin
        named last in ``site.yaml`` first). A plugin that raises is left out of the answers
        and reported to ``diags`` (or raised as :class:`PluginError` without one)."""
        answers = getattr(self._manager.hook, hook)(**kwargs)
        return self._answers(answers, diags)

    def call_one(
        self,
        name: str,
        hook: str,
        diags: Diagnostics | None = None,
        **kwargs: Any,  # Any: the hook's arguments
    ) -> Answer | None:
        """The answer of the plugin ``name`` alone to ``hook``, as :meth:`call` gives it: for
        arguments that differ from plugin to plugin (each one's own state)."""
        others = [self._manager.get_plugin(n) for n in self.names if n != name]
        caller = self._manager.subset_hook_caller(hook, remove_plugins=others)
        found = self._answers(caller(**kwargs), diags)
        return found[0] if found else None

    def _answers(self, answers: list[Answer | None], diags: Diagnostics | None) -> list[Answer]:
        if self.failures:
            failed, self.failures = self.failures, []
            if diags is None:
                raise PluginError(failed, self.root)
            report(failed, self.root, diags)
        return [a for a in reversed(answers) if a is not None and a.value is not None]

    def _guarded(
        self,
        function: Callable[..., Any],  # Any: one hook's implementation, whichever hook
        about: Registered,
        hook: str,
    ) -> Callable[..., Answer | None]:
        # not the plugin's failure: a program it runs, the disk where it writes, or a body
        # the build cache lost
        writing = hook in spec.WRITING
        passed = (ExternalError, Unreadable, OSError) if writing else (ExternalError, Unreadable)

        def call(*args: Any) -> Answer | None:  # Any: the hook's arguments
            try:
                value = function(*args)
            except passed:
                raise
            except Exception as exc:
                if self.debug:
                    raise
                self.failures.append(Failure(about, hook, exc))
                return None
            return Answer(about.name, value)

        return call


@dataclass(frozen=True)
class Answer:
    """One plugin's answer to a hook."""

    plugin: str
    value: Any  # Any: the hook's return type, as spec.py gives it for each hook


class PluginError(Exception):
    """A plugin raised where no collector of diagnostics was at hand."""

    def __init__(self, failures: list[Failure], root: Path) -> None:
        super().__init__("; ".join(f.message() for f in failures))
        self.failures, self.root = failures, root

    def report(self, diags: Diagnostics) -> None:
        report(self.failures, self.root, diags)


def report(failures: list[Failure], root: Path, diags: Diagnostics) -> None:
    for failure in failures:
        diags.error(*failure.place(root), failure.message(root))


def _new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(spec.PROJECT)
    manager.add_hookspecs(sys.modules[spec.__name__])
    return manager
