"""The ``plugins:`` list of ``site.yaml``: which plugins a site runs, in order, each with its
settings, as MkDocs writes it::

    plugins:
      - reading_list                 # a name alone: the plugin's settings at their defaults
      - house_style:                 # a name with its settings
          max_title_words: 12

Only what is read here is checked here (names, shapes, duplicates); each plugin's own
settings are checked against its schema when the build loads it
(:mod:`briefgen.plugins.loader`), at the same lines."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

from briefgen.config.schema import CONFIG_FILE, SettingsChecker
from briefgen.plugins.loader import Entry
from briefgen.util.quoting import quoted

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def check_plugins(
    check: SettingsChecker,
    data: dict[Any, Any],  # Any: values as site.yaml gives them
) -> tuple[Entry, ...]:
    """The entries of ``plugins:``, in order; a wrong one is an error at its line."""
    items = data.get("plugins")
    if items is None:
        return ()
    if not isinstance(items, list):
        check._error(("plugins",), "'plugins' must be a list of plugin names, e.g. [reading_list]")
        return ()
    entries: list[Entry] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        entry = _entry(check, item, ("plugins", i))
        if entry is None:
            continue
        if entry.name in seen:
            check.diags.error(CONFIG_FILE, *entry.where, f"plugin {entry.name!r} is listed twice")
            continue
        seen.add(entry.name)
        entries.append(entry)
    return tuple(entries)


def _entry(
    check: SettingsChecker,
    item: Any,  # Any: values as site.yaml gives them
    at: tuple[Any, ...],  # Any: the YAML keys and indexes down to the item
) -> Entry | None:
    if isinstance(item, dict) and len(item) == 1:
        name, settings = next(iter(item.items()))
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            check._error((*at, name), f"the settings of plugin {quoted(name)} must be a mapping")
            return None
    elif isinstance(item, str):
        name, settings = item, {}
    else:
        check._error(at, "a plugin is a name, or a name with its settings ('name: {key: value}')")
        return None
    if not isinstance(name, str) or not NAME.fullmatch(name):
        check._error(at, f"plugin name {quoted(name)} must be letters, digits, '_' and '-'")
        return None
    where = check.doc.where((*at, name)) if isinstance(item, dict) else check.doc.where(at)
    marks = {str(k): check.doc.where((*at, name, k)) for k in settings}
    return Entry(name, MappingProxyType(dict(settings)), where, MappingProxyType(marks))
