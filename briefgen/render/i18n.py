"""The theme's words in an edition's language: tables of strings, one file per language (the
theme's ``i18n/<lang>.yaml`` under the site's own ``i18n/<lang>.yaml``, key by key), looked
up with CLDR plural forms, and dates and numbers written for the locale with Babel.

A table maps keys (nested mappings, read as dotted keys: ``brief.sources``) to plain text
with ``{name}`` placeholders; a mapping whose keys are all plural categories (``zero, one,
two, few, many, other``; ``other`` required) holds the forms of a counted phrase;
``date_format``, ``month_format``, ``year_format`` are Babel date patterns. For ``es-MX`` a
key is looked for in es-MX, es, then the site's default language, then English."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from briefgen.model.briefing import PartialDate
from briefgen.model.dates import Timestamp
from briefgen.model.diagnostics import ConfigError, Diagnostics
from briefgen.util.hashing import digest
from briefgen.util.yamlio import YamlProblem, load

ENGLISH = "en"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SAMPLE_DAY = dt.date(2025, 2, 4)


class UnknownString(LookupError):
    """A template asked for a key that no table has, or left a placeholder without a value."""


def babel_locale(tag: str) -> Locale:
    """Babel's locale for a BCP 47 tag (``es-MX`` → ``es_MX``); an unknown one falls back to
    its language, then to English."""
    for candidate in (tag, tag.split("-")[0], ENGLISH):
        try:
            return Locale.parse(candidate.replace("_", "-"), sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    raise AssertionError("Babel has no English locale")  # pragma: no cover


def lookup_order(language: str, fallback: str | None = None) -> list[str]:
    """The table codes a key is looked for in, first first: ``es-mx, es, <fallback>, en``."""
    order: list[str] = []
    for tag in (language, fallback or language, ENGLISH):
        for code in (tag.lower(), tag.split("-")[0].lower()):
            if code not in order:
                order.append(code)
    return order


class Catalog:
    """Every table of a site and its theme, read once. ``folders``: the theme's ``i18n/``
    folders, the theme's own first; ``site_folder``: the site's ``i18n/``, whose keys win."""

    def __init__(self, folders: Sequence[Path], site_folder: Path, root: Path) -> None:
        self.root = root
        self._theme = self._read(folders, True)
        self._site = self._read([site_folder], False)

    def table(self, code: str, site: bool = True) -> dict[str, Any]:
        """The strings of exactly one code: the theme's, with the site's over them."""
        code = code.lower()
        return {**self._theme.get(code, {}), **(self._site.get(code, {}) if site else {})}

    def strings(
        self, language: str, fallback: str | None = None, multilingual: bool = False
    ) -> Strings:
        """The strings of ``language`` (a BCP 47 tag), falling back to ``fallback`` and English."""
        order = lookup_order(language, fallback)
        merged: dict[str, Any] = {}
        for code in reversed(order):
            merged.update(self.table(code))
        # the locale of the language the words are in: English words get English dates
        spoken = next((tag for tag in (language, fallback or language)
                       if self.table(tag) or self.table(tag.split("-")[0])), ENGLISH)  # fmt: skip
        return Strings(merged, self.table(ENGLISH, site=False), spoken, multilingual)

    def missing(self, language: str, reference: str = ENGLISH) -> list[str]:
        """Keys of the ``reference`` language's tables that ``language``'s own tables (and
        those of its base language: ``es`` for ``es-MX``) lack, sorted."""
        have = set(self.table(language)) | set(self.table(language.split("-")[0]))
        return sorted(set(self.table(reference)) - have)

    def _read(self, folders: Iterable[Path], first_wins: bool) -> dict[str, dict[str, Any]]:
        diags = Diagnostics()
        tables: dict[str, dict[str, Any]] = {}
        for folder in folders:
            for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
                table = _read_table(path, self.root, diags)
                old = tables.setdefault(path.stem.lower(), {})
                tables[path.stem.lower()] = {**table, **old} if first_wins else {**old, **table}
        if diags.items:
            raise ConfigError(diags)
        return tables


class Strings:
    """One language's words and formats: what templates call ``t`` and the date and number
    filters use, and what page titles are made from."""

    def __init__(
        self, table: Mapping[str, Any], english: Mapping[str, Any], tag: str, multilingual: bool
    ) -> None:
        self.table = dict(table)
        self.english = english  # the theme's English: what the theme's scripts carry
        self.language = tag
        self.locale = babel_locale(tag)
        self.multilingual = multilingual
        self._dates: dict[tuple[str, dt.date], str] = {}
        self._plain: dict[str, Markup] = {}  # html() of a key alone, asked on every page

    @property
    def key(self) -> str:
        """Changes whenever these words or formats do: part of what every page is made from."""
        tables = (sorted(self.table.items()), sorted(self.english.items()))
        return digest(repr((self.language, self.multilingual, tables)))

    def _value(self, key: str) -> Any:
        try:
            return self.table[key]
        except KeyError:
            also = "" if self.language.split("-")[0].lower() == ENGLISH else " nor in English"
            raise UnknownString(
                f"unknown string {key!r}: no i18n/<language>.yaml of the site or the theme "
                f"has it, for {self.language!r}{also}"
            ) from None

    def raw(self, key: str, count: Any = None) -> str:
        """The text of ``key`` with its placeholders unfilled; the plural form for ``count``."""
        value = self._value(key)
        if isinstance(value, str):
            return value
        form = "other" if count is None else self.locale.plural_form(count)
        return value.get(form, value["other"])

    def text(self, key: str, count: Any = None, **values: Any) -> str:
        """Plain text: ``{name}`` filled from ``values``, ``{count}`` with ``count``."""
        return self._fill(key, count, values, str, str)

    def html(self, key: str, count: Any = None, **values: Any) -> Markup:
        """Markup: the table's text escaped as text, each value escaped unless it is Markup."""
        if count is None and not values:
            made = self._plain.get(key)
            if made is None:
                made = self._plain[key] = Markup(self._fill(key, None, {}, _escape_text, str))
            return made
        return Markup(self._fill(key, count, values, _escape_text, lambda v: str(escape(v))))

    def _fill(self, key: str, count: Any, values: dict[str, Any], lit: Any, var: Any) -> str:
        text = self.raw(key, count)
        if count is not None:
            values.setdefault("count", self.number(count))
        out, pos = [], 0
        for match in _PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name not in values:
                raise UnknownString(f"string {key!r} needs a value for {{{name}}}")
            out += [lit(text[pos : match.start()]), var(values[name])]
            pos = match.end()
        out.append(lit(text[pos:]))
        return "".join(out)

    def script_attributes(self, **names: str) -> Markup:
        """``data-t-<name>`` attributes for a script's words (``name=key``), only those that
        differ from the theme's English, which the script itself carries."""
        return Markup("".join(
            f' data-t-{name.replace("_", "-")}="{escape(self.raw(key))}"'
            for name, key in names.items()
            if self.raw(key) != self.english.get(key)
        ))  # fmt: skip

    def language_name(self, code: str) -> str:
        """A language's name in this one's words, from CLDR: ``en`` → ``inglés`` in Spanish."""
        return babel_locale(code).get_display_name(self.locale) or code

    def number(self, value: Any, grouped: bool = False) -> str:
        """A count: for the locale on a multilingual site; else as it always was, ``10000``
        (or ``10,000`` with ``grouped``)."""
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            return str(value)
        if self.multilingual:
            return format_decimal(value, locale=self.locale)
        return f"{value:,}" if grouped else str(value)

    def date(self, value: Any) -> str:
        """A Timestamp, PartialDate or date in the language's words; anything else as text."""
        if isinstance(value, Timestamp):
            return self._format("date_format", value.day)
        if isinstance(value, PartialDate):
            if not value.month:
                return self._year(value.year)
            day = dt.date(value.year, value.month, value.day or 1)
            return self._format("date_format" if value.day else "month_format", day)
        if isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            return self._format("date_format", day)
        return str(value)

    def month(self, value: Any, month: int | None = None) -> str:
        """The title of a month: a Month, a timeline Period (``2025-02`` or a year alone),
        or a year and a month."""
        if month is not None:
            year = int(value)
        elif hasattr(value, "year") and hasattr(value, "month"):
            year, month = value.year, value.month
        elif isinstance(value, (tuple, list)):
            year, month = value
        else:
            ident = str(getattr(value, "id", value))
            if not re.fullmatch(r"\d{4}(-\d{2})?", ident):
                return str(getattr(value, "title", value))
            year, month = int(ident[:4]), int(ident[5:7] or 0)
        if not month:
            return self._year(year)
        return self._format("month_format", dt.date(year, month, 1))

    def _year(self, year: int) -> str:
        if not 1 <= year <= 9999:  # "0000" is a valid year alone and no date
            return str(year)
        return self._format("year_format", dt.date(year, 1, 1))

    def _format(self, pattern: str, day: dt.date) -> str:
        try:
            return self._dates[(pattern, day)]
        except KeyError:
            made = format_date(day, self.raw(pattern), locale=self.locale)
            self._dates[(pattern, day)] = made
            return made


def _escape_text(text: str) -> str:
    """Text in HTML, as a template's own text is: quotes as they are, but safe in an attribute."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    )


def _read_table(path: Path, root: Path, diags: Diagnostics) -> dict[str, Any]:
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
    out: dict[str, Any] = {}
    _flatten(located.data, (), out, lambda p, m: diags.error(rel, *located.where(p), m))
    return out


def _flatten(data: dict[Any, Any], path: tuple[Any, ...], out: dict[str, Any], error: Any) -> None:
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
        format_date(_SAMPLE_DAY, pattern, locale=ENGLISH)
    except Exception:  # Babel fails in several ways on a malformed pattern
        return False
    return True
