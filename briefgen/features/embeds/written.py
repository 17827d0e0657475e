"""Dates, file sizes and language names as the edition's language writes them, from CLDR
through Babel: a post's date, a PDF's size, the label of a video's captions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.units import format_unit

from briefgen.languages import babel_locale
from briefgen.plugins import ShortcodeProblem


@dataclass(frozen=True)
class Day:
    """A date as a ``<time>`` element shows it."""

    iso: str  # its datetime attribute: 2025-02-04, 2025-02 or 2025, as written
    text: str  # in the edition's language: 4 February 2025, February 2025, 2025


def day(value: str, language: str, arg: str = "date") -> Day:
    """A ``date`` argument (checked: ``2025``, ``2025-02`` or ``2025-02-04``) in words: a day
    in the locale's long format, a month or a year alone by its CLDR skeleton."""
    locale = babel_locale(language)
    parts = [int(p) for p in value.split("-")]
    try:
        when = dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError as exc:  # 2025-02-30 has the shape of a date and is none
        raise ShortcodeProblem(f"{arg} {value!r} is no day of the calendar ({exc})", arg) from None
    if len(parts) == 3:
        text = format_date(when, "long", locale=locale)
    else:
        text = format_skeleton("yMMMM" if len(parts) == 2 else "y", when, locale=locale)
    return Day(value, text)


def size(count: int, language: str) -> str:
    """A file's size in the locale's words: 312 kB, 1.2 MB, 1,2 MB (kilo is 1000 bytes)."""
    locale = babel_locale(language)
    for unit, scale in (("digital-megabyte", 10**6), ("digital-kilobyte", 10**3)):
        if count >= scale:
            return format_unit(count / scale, unit, "short", format="#,##0.#", locale=locale)
    return format_unit(count, "digital-byte", "long", locale=locale)  # 671 bytes


def language_name(tag: str, language: str, arg: str = "captions_lang") -> str:
    """The name of the language ``tag`` in the edition's language (``es`` on an English page:
    Spanish); raises :class:`ShortcodeProblem` at ``arg`` for a tag CLDR does not know."""
    try:
        named = Locale.parse(tag, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        raise ShortcodeProblem(
            f"{arg} {tag!r} is not a language tag (en, es, pt-BR, zh-Hant)", arg
        ) from None
    return named.get_display_name(babel_locale(language)) or tag
