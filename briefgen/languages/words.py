"""The theme's words in an edition's language: tables of strings, one file per language (the
theme's ``i18n/<lang>.yaml`` under the site's own ``i18n/<lang>.yaml``, key by key), looked
up with CLDR plural forms, and dates and numbers written for the edition's locale with Babel.

A table maps keys (nested mappings, read as dotted keys: ``brief.sources``) to plain text
with ``{name}`` placeholders; a mapping whose keys are all plural categories (``zero, one,
two, few, many, other``; ``other`` required) holds the forms of a counted phrase. For
``es-MX`` a key is looked for in es-MX, es, then the site's default language, then English
(which tables a tag reads, ``zh-TW`` → ``zh-hant``, is :mod:`briefgen.languages.locales`;
reading the tables, :mod:`briefgen.languages.tables`).

Dates, month titles and years are always those of the edition's own CLDR locale, whatever
language the words fall back to: a French page without a French table still reads "3 juillet
2024". ``date_format``, ``month_format`` and ``year_format`` (Babel date patterns)
are optional, and are looked up only in the language's own tables (``es-mx``, then ``es``,
the site's over the theme's), never in the default language's or English's, whose pattern
would put French month names in an English order. Without one, the locale's CLDR format is
used, from the skeletons ``yMMMMd`` (a day), ``yMMMM`` (a month) and ``y`` (a year) through
``babel.dates.format_skeleton``. Skeletons rather than the locale's "long" date format: CLDR
has a long format for a whole day only, so a month title and a year must come from its
skeletons anyway, and taking the day from the same table keeps the three alike ("3 juillet
2024", "juillet 2024"; in a few locales the long format differs from the skeleton by a comma
the month title lacks). English keeps its explicit "d MMMM y", so English pages read as
they always did; Spanish keeps its own. Counts are grouped for the locale everywhere
(``10,000``, ``10.000``, ``1,00,000`` in Hindi)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from briefgen.languages.locales import ENGLISH, babel_locale
from briefgen.model.briefing import PartialDate
from briefgen.model.dates import Timestamp
from briefgen.util.hashing import digest

# a date pattern a table may give; without it, the CLDR skeleton of the locale
SKELETONS = {"date_format": "yMMMMd", "month_format": "yMMMM", "year_format": "y"}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class UnknownString(LookupError):
    """A template asked for a key that no table has, or left a placeholder without a value."""


class Strings:
    """One language's words and formats: what templates call ``t`` and the date and number
    filters use, and what page titles are made from."""

    def __init__(
        self,
        table: Mapping[str, Any],  # Any: a text or its plural forms, by key
        english: Mapping[str, Any],  # the same, in English
        tag: str,
        formats: Mapping[str, str] | None = None,
    ) -> None:
        self.table = dict(table)
        self.english = english  # the theme's English: what the theme's scripts carry
        self.language = tag
        self.locale = babel_locale(tag)
        self.formats = dict(formats or {})  # the language's own date patterns, by key
        self._dates: dict[tuple[str, dt.date], str] = {}
        self._plain: dict[str, Markup] = {}  # html() of a key alone, asked on every page

    @property
    def key(self) -> str:
        """Changes whenever these words or formats do: part of what every page is made from."""
        tables = (sorted(self.table.items()), sorted(self.english.items()))
        return digest(repr((self.language, sorted(self.formats.items()), tables)))

    def _value(self, key: str) -> Any:  # Any: a text or its plural forms
        try:
            return self.table[key]
        except KeyError:
            also = "" if self.language.split("-")[0].lower() == ENGLISH else " nor in English"
            raise UnknownString(
                f"unknown string {key!r}: no i18n/<language>.yaml of the site or the theme "
                f"has it, for {self.language!r}{also}"
            ) from None

    def raw(self, key: str, count: Any = None) -> str:  # Any: what a template passes
        """The text of ``key`` with its placeholders unfilled; the plural form for ``count``."""
        value = self._value(key)
        if isinstance(value, str):
            return value
        form = "other" if count is None else self.locale.plural_form(count)
        return value.get(form, value["other"])

    def text(
        self,
        key: str,
        count: Any = None,  # Any: what a template passes
        **values: Any,  # Any: what a template passes
    ) -> str:
        """Plain text: ``{name}`` filled from ``values``, ``{count}`` with ``count``."""
        return self._fill(key, count, values, str, str)

    def html(
        self,
        key: str,
        count: Any = None,  # Any: what a template passes
        **values: Any,  # Any: what a template passes
    ) -> Markup:
        """Markup: the table's text escaped as text, each value escaped unless it is Markup."""
        if count is None and not values:
            made = self._plain.get(key)
            if made is None:
                made = self._plain[key] = Markup(self._fill(key, None, {}, _escape_text, str))
            return made
        return Markup(self._fill(key, count, values, _escape_text, lambda v: str(escape(v))))

    def _fill(
        self,
        key: str,
        count: Any,  # Any: what a template passes
        values: dict[str, Any],  # Any: what a template passes
        lit: Callable[[str], str],
        var: Callable[[Any], str],  # Any: what a template passes
    ) -> str:
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
        return Markup(
            "".join(
                f' data-t-{name.replace("_", "-")}="{escape(self.raw(key))}"'
                for name, key in names.items()
                if self.raw(key) != self.english.get(key)
            )
        )

    def language_name(self, code: str) -> str:
        """A language's name in this one's words, from CLDR: ``en`` → ``inglés`` in Spanish."""
        return babel_locale(code).get_display_name(self.locale) or code

    def number(self, value: Any, grouped: bool = True) -> str:  # Any: what a template passes
        """A count grouped for the locale: ``10,000``, ``10.000``, ``1,00,000`` in Hindi.
        ``grouped`` is there for templates that still ask ``number(true)``: counts are
        always grouped."""
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            return str(value)
        return format_decimal(value, locale=self.locale)

    def date(self, value: Any) -> str:  # Any: what a template passes
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

    def month(self, value: Any, month: int | None = None) -> str:  # Any: what a template passes
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

    def _format(self, key: str, day: dt.date) -> str:
        """``day`` by the language's own pattern for ``key``, else by its CLDR skeleton."""
        made = self._dates.get((key, day))
        if made is None:
            pattern = self.formats.get(key)
            made = (
                format_skeleton(SKELETONS[key], day, locale=self.locale)
                if pattern is None
                else format_date(day, pattern, locale=self.locale)
            )
            self._dates[(key, day)] = made
        return made


def _escape_text(text: str) -> str:
    """Text in HTML, as a template's own text is: quotes as they are, but safe in an attribute."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    )
