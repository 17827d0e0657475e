"""The tables of a theme's and a site's words: every file ``i18n/<lang>.yaml`` of both read
once (:class:`Catalog`), each into a table with nested mappings flattened to dotted keys
(``brief.sources``) and every value checked at its line (text, the plural forms of a counted
phrase, or a date pattern Babel reads); the words of one language drawn from them
(:class:`~briefgen.languages.words.Strings`), and what a language has of the theme's words
(:class:`ThemeWords`, for ``check --translations``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from briefgen.languages.locales import ENGLISH, lookup_order, table_codes
from briefgen.languages.words import SKELETONS, Strings
from briefgen.model.diagnostics import ConfigError, Diagnostics
from briefgen.util.yamlio import YamlProblem, load

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_SAMPLE_DAY = dt.date(2025, 2, 4)


@dataclass(frozen=True)
class ThemeWords:
    """What a site language has of the theme's words (``check --translations``)."""

    code: str
    name: str
    table: str | None  # the theme's own table it reads (``zh-hant`` for zh-TW); None: none
    missing: tuple[str, ...]  # English's keys that no table of its own, site's or theme's, has


class Catalog:
    """Every table of a site and its theme, read once. ``folders``: the theme's ``i18n/``
    folders, the theme's own first; ``site_folder``: the site's ``i18n/``, whose keys win."""

    def __init__(self, folders: Sequence[Path], site_folder: Path, root: Path) -> None:
        self.root = root
        self._theme = _Tables(_files(folders), root, first_wins=True)
        self._site = _Tables(_files([site_folder]), root, first_wins=False)
        for code in self._site.files:  # the site's own files are its editors': every problem
            self._site.get(code)  # in them is reported, used or not

    def table(self, code: str, site: bool = True) -> dict[str, Any]:  # Any: a text or its plurals
        """The strings of exactly one code: the theme's, with the site's over them."""
        code = code.lower()
        return {**self._theme.get(code), **(self._site.get(code) if site else {})}

    def strings(self, language: str, fallback: str | None = None) -> Strings:
        """The strings of ``language`` (a BCP 47 tag), falling back to ``fallback`` and
        English; its date patterns from its own tables only, else its locale's CLDR formats."""
        merged: dict[str, Any] = {}  # Any: a text or its plural forms
        for code in reversed(lookup_order(language, fallback)):
            merged.update(self.table(code))
        formats: dict[str, str] = {}
        for code in reversed(table_codes(language)):
            formats.update({k: v for k, v in self.table(code).items() if k in SKELETONS})
        return Strings(merged, self.table(ENGLISH, site=False), language, formats)

    def shipped(self, language: str) -> str | None:
        """The code of the theme's own table that ``language`` reads (``zh-hant`` for
        ``zh-TW``), or None when the theme has no table for it."""
        return next((code for code in table_codes(language) if code in self._theme), None)

    def missing(self, language: str, reference: str = ENGLISH) -> list[str]:
        """Keys of the ``reference`` language's tables that ``language``'s own tables (the
        site's and the theme's, for its tag, script and language: ``es`` for ``es-MX``,
        ``zh-hant`` for ``zh-TW``) lack, sorted; the date patterns are optional, never missing."""
        have: set[str] = set()
        for code in table_codes(language):
            have |= set(self.table(code))
        return sorted(set(self.table(reference)) - have - set(SKELETONS))

    def words(self, language: str, name: str | None = None) -> ThemeWords:
        """``language``'s share of the theme's words; ``name`` defaults to CLDR's, in itself."""
        if name is None:
            try:
                name = Locale.parse(language, sep="-").get_display_name() or language
            except (ValueError, TypeError, UnknownLocaleError):
                name = language
        return ThemeWords(language, name, self.shipped(language), tuple(self.missing(language)))


def _files(folders: Iterable[Path]) -> dict[str, list[Path]]:
    """The table files of each code (a file's name: ``pt-br.yaml``), in the folders' order."""
    found: dict[str, list[Path]] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            found.setdefault(path.stem.lower(), []).append(path)
    return found


class _Tables:
    """The tables of one set of folders, each read when a language first asks for it: a
    build reads its languages' tables and English, not all 25 the theme ships (a theme's
    broken table is reported when a site reads it)."""

    def __init__(self, files: dict[str, list[Path]], root: Path, first_wins: bool) -> None:
        self.files, self.root, self.first_wins = files, root, first_wins
        self._read: dict[str, dict[str, Any]] = {}  # Any: a text or its plural forms

    def __contains__(self, code: str) -> bool:
        return code in self.files

    def get(self, code: str) -> dict[str, Any]:  # Any: a text or its plural forms
        """The merged table of ``code`` ({} when there is none). Raises ConfigError on a
        table that cannot be read, at its line."""
        if code not in self._read:
            diags = Diagnostics()
            merged: dict[str, Any] = {}  # Any: a text or its plural forms
            for path in self.files.get(code, ()):
                table = read_table(path, self.root, diags)
                merged = {**table, **merged} if self.first_wins else {**merged, **table}
            if diags.items:
                raise ConfigError(diags)
            self._read[code] = merged
        return self._read[code]


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
