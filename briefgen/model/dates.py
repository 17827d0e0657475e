"""Publication dates: a calendar day, or a moment with its UTC offset."""

from __future__ import annotations

import datetime as dt

from briefgen.util.records import record

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@record(order=True)
class Timestamp:
    """A publication date: a calendar day, or a moment with a UTC offset.

    Ordered by the moment; a bare day counts as midnight UTC.
    """

    moment: dt.datetime
    has_time: bool = False

    @classmethod
    def from_value(cls, value: dt.date | dt.datetime) -> Timestamp:
        if isinstance(value, dt.datetime):
            return cls(value, True)
        return cls(dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc), False)

    @property
    def day(self) -> dt.date:
        return self.moment.date()

    def isoformat(self) -> str:
        """``2025-02-04`` for a day, ``2025-02-04T09:30:00-06:00`` for a moment."""
        return self.moment.isoformat() if self.has_time else self.day.isoformat()

    def datetime_iso(self) -> str:
        """Always a full date-time (what feeds and sitemaps want)."""
        return self.moment.isoformat().replace("+00:00", "Z")

    def human(self) -> str:
        """``4 February 2025``; English month names so output never depends on the locale."""
        return f"{self.day.day} {MONTHS[self.day.month - 1]} {self.day.year}"

    def __str__(self) -> str:
        return self.isoformat()
