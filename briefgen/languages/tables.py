"""One file of a theme's or a site's words, ``i18n/<lang>.yaml``, read into a table: nested
mappings flattened to dotted keys (``brief.sources``), every value checked at its line (text,
the plural forms of a counted phrase, or a date pattern Babel reads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.dates import format_date

from briefgen.model.diagnostics import Diagnostics
from briefgen.util.yamlio import YamlProblem, load

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_SAMPLE_DAY = dt.date(2025, 2, 4)


def read_table(
    path: Path, root: Path, diags: Diagnostics
) -> dict[str, Any]:  # Any: text or plurals
    """One table file, flattened to dotted keys; problems go to ``diags`` at their line."""
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    try:
        located = load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(rel, 0, 0, f"cannot read strings: {exc}")
        return {}
    except YamlProblem as exc:
        diags.error(rel, exc.line, exc.col, exc.message)
        return {}
    if located.data is None:
        return {}
    if not isinstance(located.data, dict):
        diags.error(rel, 1, 1, "a table of strings maps keys to text, e.g. 'search: Search'")
        return {}
    out: dict[str, Any] = {}  # Any: a text or its plural forms
    _flatten(located.data, (), out, lambda p, m: diags.error(rel, *located.where(p), m))
    return out


def _flatten(
    data: dict[Any, Any],  # Any: the file's YAML
    path: tuple[Any, ...],  # Any: its keys down to ``data``
    out: dict[str, Any],  # Any: a text or its plural forms
    error: Callable[[tuple[Any, ...], str], None],  # Any: the keys down to the wrong value
) -> None:
    for key, value in data.items():
        here = (*path, key)
        name = ".".join(str(p) for p in here)
        if not isinstance(key, str):
            why = " (YAML reads yes, no, on and off as true or false)" * isinstance(key, bool)
            error(here, f"key {key!r} must be text: put it in quotes{why}")
        elif isinstance(value, str):
            if name.endswith("_format") and not _is_pattern(value):
                error(here, f"{name!r} is not a date pattern Babel reads: {value!r}")
            out[name] = value
        elif isinstance(value, dict) and value and all(k in PLURAL_CATEGORIES for k in value):
            if "other" not in value or not all(isinstance(v, str) for v in value.values()):
                error(here, f"the plural forms of {name!r} must be text, 'other' among them")
            else:
                out[name] = dict(value)
        elif isinstance(value, dict):
            _flatten(value, here, out, error)
        else:
            error(here, f"{name!r} must be text, not {type(value).__name__}: put it in quotes")


def _is_pattern(pattern: str) -> bool:
    try:
        format_date(_SAMPLE_DAY, pattern, locale="en")
    except Exception:  # Babel fails in several ways on a malformed pattern
        return False
    return True
