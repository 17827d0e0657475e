"""Finding the plugins ``site.yaml`` names, and checking their settings.

A name is looked for, in this order:

1. the site's own ``plugins/<name>.py`` or ``plugins/<name>/__init__.py``: a site's code
   wins over an installed package of the same name, as its templates win over the theme's;
2. an installed package's entry point of the group ``briefgen.plugins`` with that name.

Nothing is loaded because it is installed: only the names listed run. What is found is
a module or a class. A class is the plugin: it is made with its settings,
``Plugin(settings)`` when it declares ``settings`` (a mapping of name to
:class:`~briefgen.plugins.Setting`), else ``Plugin()``. A module is the plugin itself
unless it has a ``Plugin`` class, which is then taken as above; a module without one takes
no settings.
"""

from __future__ import annotations

import difflib
import importlib.util
import inspect
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

from briefgen.model.diagnostics import Diagnostics
from briefgen.plugins.manager import Registered
from briefgen.plugins.types import Setting
from briefgen.util.hashing import digest
from briefgen.util.quoting import quoted

GROUP = "briefgen.plugins"
LOCAL = "plugins"  # the site's own folder of plugins
_MODULES = "briefgen_site_plugins"  # the package a site's own plugins are imported under


@dataclass(frozen=True)
class Entry:
    """One item of ``plugins:`` in ``site.yaml``: a name and its settings, with positions."""

    name: str
    settings: Mapping[str, Any]  # Any: as site.yaml gives them
    where: tuple[int, int]  # the name's line and column
    marks: Mapping[str, tuple[int, int]]  # each setting's line and column


class LoadProblem(Exception):
    """A plugin cannot be found or made: an error at its line of ``site.yaml``."""


def load(entry: Entry, root: Path, diags: Diagnostics) -> tuple[object, Registered] | None:
    """The plugin ``entry`` names, made with its checked settings; None when it cannot be
    (the reason is an error in ``diags`` at its line)."""
    try:
        found, origin, version, files = _find(entry.name, root)
        factory = _factory(found, entry.name)
    except LoadProblem as exc:
        diags.error("site.yaml", *entry.where, str(exc))
        return None
    schema = getattr(factory, "settings", None) if inspect.isclass(factory) else None
    settings = check_settings(entry, schema or {}, diags)
    if settings is None:
        return None
    version = str(getattr(factory, "version", "") or version)
    about = Registered(entry.name, origin, version, settings, ("site.yaml", *entry.where), files)
    try:
        if not inspect.isclass(factory):
            return factory, about
        return (factory(settings) if schema else factory()), about
    except Exception as exc:  # the plugin's own code failed while it was being made
        kind = type(exc).__name__
        diags.error(
            "site.yaml", *entry.where, f"plugin {entry.name!r} could not be set up: {kind}: {exc}"
        )
        return None


def check_settings(
    entry: Entry, schema: Mapping[str, Setting], diags: Diagnostics
) -> Mapping[str, Any] | None:  # Any: each setting of its declared kind
    """``entry``'s settings checked against the plugin's ``schema``, defaults filled in;
    None when one is wrong (each wrong one an error at its line)."""
    ok = True
    values: dict[str, Any] = {}  # Any: each setting of its declared kind
    for key, value in entry.settings.items():
        at = entry.marks.get(key, entry.where)
        setting = schema.get(key)
        if setting is None:
            close = difflib.get_close_matches(str(key), sorted(schema), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = f" (it has: {', '.join(sorted(schema))})" if schema else " (it has none)"
            diags.error(
                "site.yaml", *at, f"plugin {entry.name!r} has no setting {key!r}{hint}{known}"
            )
            ok = False
            continue
        problem = _problem(setting, value)
        if problem:
            diags.error("site.yaml", *at, f"{entry.name}.{key} {problem}")
            ok = False
        values[key] = value
    for key, setting in schema.items():
        if key not in values:
            if setting.required:
                diags.error(
                    "site.yaml",
                    *entry.where,
                    f"plugin {entry.name!r} needs the setting {key!r}: {setting.help}",
                )
                ok = False
            values[key] = setting.default
    return MappingProxyType(dict(sorted(values.items()))) if ok else None


def _problem(setting: Setting, value: Any) -> str:  # Any: a setting as site.yaml gives it
    kind = setting.kind
    right = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        right = True
    if not right:
        return f"must be {_KIND_NAMES.get(kind, kind.__name__)}, not {quoted(value)}"
    if setting.choices and value not in setting.choices:
        return f"must be one of {', '.join(map(repr, setting.choices))}, not {quoted(value)}"
    return ""


_KIND_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
}


def _find(name: str, root: Path) -> tuple[object, str, str, tuple[str, ...]]:
    """(the loaded object, where it came from, its version, its source files)."""
    for path in (root / LOCAL / f"{name}.py", root / LOCAL / name / "__init__.py"):
        if path.is_file():
            return _local(name, path, root)
    for point in metadata.entry_points(group=GROUP):
        if point.name == name:
            try:
                loaded = point.load()
            except Exception as exc:
                raise LoadProblem(
                    f"plugin {name!r} ({point.value}) cannot be loaded: {type(exc).__name__}: {exc}"
                ) from None
            dist = point.dist
            origin = dist.name if dist is not None else point.value
            version = dist.version if dist is not None else ""
            return loaded, origin, version, _files_of(loaded)
    known = sorted({p.name for p in metadata.entry_points(group=GROUP)} | _local_names(root))
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise LoadProblem(
        f"unknown plugin {name!r}: no {LOCAL}/{name}.py in the site and no "
        f"installed package provides it (entry points {GROUP}){hint}"
    )


def _local(name: str, path: Path, root: Path) -> tuple[object, str, str, tuple[str, ...]]:
    """A site's own plugin, imported afresh whenever its source changed (``serve`` picks up
    an edit); its version is the digest of its files."""
    folder = path.parent if path.name == "__init__.py" else None
    files = sorted(folder.rglob("*.py")) if folder else [path]
    version = digest(repr([(f.relative_to(root).as_posix(), f.read_bytes()) for f in files]))
    module_name = f"{_MODULES}.{name}_{version[:12]}"
    module = sys.modules.get(module_name)
    if module is None:
        module = _import(module_name, path, folder)
    rel = path.relative_to(root).as_posix()
    return module, rel, version, tuple(str(f) for f in files)


def _import(module_name: str, path: Path, folder: Path | None) -> ModuleType:
    if _MODULES not in sys.modules:
        sys.modules[_MODULES] = ModuleType(_MODULES)
    locations = [str(folder)] if folder else None
    made = importlib.util.spec_from_file_location(
        module_name, path, submodule_search_locations=locations
    )
    if made is None or made.loader is None:
        raise LoadProblem(f"{path.name} cannot be imported")
    module = importlib.util.module_from_spec(made)
    sys.modules[module_name] = module
    try:
        made.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[module_name]
        where = _line_in(exc, path)
        raise LoadProblem(
            f"plugin {path.stem if not folder else folder.name!r} cannot be "
            f"loaded: {type(exc).__name__}: {exc}{where}"
        ) from None
    return module


def _line_in(exc: BaseException, path: Path) -> str:
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f" (line {exc.lineno})"
    import traceback

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if Path(frame.filename) == path:
            return f" (line {frame.lineno})"
    return ""


def _factory(found: object, name: str) -> Any:  # Any: a class, or a plugin object
    if isinstance(found, ModuleType):
        return getattr(found, "Plugin", found)
    if inspect.isclass(found) or callable(found) or isinstance(found, object):
        return found
    raise LoadProblem(f"plugin {name!r} is neither a module nor a class")


def _files_of(found: object) -> tuple[str, ...]:
    module = found if isinstance(found, ModuleType) else inspect.getmodule(found)
    path = getattr(module, "__file__", None)
    if not path:
        return ()
    base = Path(path).parent if Path(path).name == "__init__.py" else None
    return tuple(str(f) for f in sorted(base.rglob("*.py"))) if base else (path,)


def _local_names(root: Path) -> set[str]:
    folder = root / LOCAL
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.glob("*.py")} | {
        p.parent.name for p in folder.glob("*/__init__.py")
    }
