"""Numbers and dates on a chart in the edition's language, by Babel: ``2,100`` and
``4 Feb`` in English, ``2100`` and ``4 feb`` in Spanish (CLDR's own forms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from briefgen.languages import babel_locale
from briefgen.model.briefing import PartialDate


@dataclass(frozen=True)
class Formats:
    language: str

    @cached_property
    def locale(self) -> Locale:
        return babel_locale(self.language)

    def number(self, value: float) -> str:
        return format_decimal(round(value, 6), locale=self.locale)

    def date(self, date: PartialDate, short: bool = True) -> str:
        """A day, a month or a year, short for an axis (``4 Feb``) or long for a sentence."""
        if not date.month:
            return str(date.year)
        if not date.day:
            return format_date(dt.date(date.year, date.month, 1), "MMM y", locale=self.locale)
        day = dt.date(date.year, date.month, date.day)
        return format_date(day, "d MMM" if short else "long", locale=self.locale)
