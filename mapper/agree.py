"""The one definition of two things the event stages and the cross-article merge both ask:
do two dates agree, and does one place hold another.

>>> import datetime as dt
>>> from mapper.types import DateValue, Place
>>> oct9 = DateValue(dt.date(2025, 10, 9), "day")
>>> dates_agree(DateValue(dt.date(2025, 10, 1), "month"), oct9, days=0)
True
>>> kp = Place("Khyber Pakhtunkhwa", 34.5, 72.0, "PK", "admin1")
>>> holds(kp, Place("Bannu", 33.0, 70.6, "PK", "place", admin1="Khyber Pakhtunkhwa"))
True
"""

from __future__ import annotations

from typing import Protocol

from .text.names import fold
from .types import PRECISION_LEVEL, DatePrecision, DateValue, Precision

__all__ = ["Placed", "dates_agree", "holds"]


def dates_agree(a: DateValue | None, b: DateValue | None, *, days: int) -> bool:
    """The dates can be of one event: a year or a month holds the days in it, a week (the week
    before a story, or "over the weekend") the seven days up to it, and two dates of the same
    precision lie at most ``days`` apart. A missing date agrees with any."""
    if a is None or b is None:
        return True
    for x, y in ((a, b), (b, a)):
        if x.precision == DatePrecision.YEAR and x.date.year == y.date.year:
            return True
        if x.precision == DatePrecision.MONTH and (x.date.year, x.date.month) == (
            y.date.year,
            y.date.month,
        ):
            return True
        if x.precision == DatePrecision.WEEK and 0 <= (x.date - y.date).days <= 7:
            return True
    return abs((a.date - b.date).days) <= days


class Placed(Protocol):
    """What ``holds`` reads of a place: a gazetteer Place, or an event's place fields."""

    @property
    def name(self) -> str: ...
    @property
    def precision(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def admin1(self) -> str | None: ...
    @property
    def admin2(self) -> str | None: ...


def holds(outer: Placed | None, inner: Placed | None) -> bool:
    """``outer`` is ``inner`` or an area that holds it (country ⊃ province ⊃ district ⊃ town);
    a town holds the places of the district named after it ("Dera Ismail Khan" for a village
    of Dera Ismail Khan district) and a city that is its own region ("Kyiv") its districts."""
    if outer is None or inner is None:
        return False
    if outer == inner:
        return True
    if (
        outer.precision == Precision.PLACE
        and inner.precision == Precision.PLACE
        and outer.country == inner.country
        and fold(outer.name) in (fold(inner.admin2 or ""), fold(inner.admin1 or ""))
    ):
        return True
    if (
        outer.country != inner.country
        or PRECISION_LEVEL[outer.precision] <= PRECISION_LEVEL[inner.precision]
    ):
        return False
    if outer.precision == Precision.COUNTRY:
        return True
    name = fold(outer.name)
    return name in (fold(inner.admin1 or ""), fold(inner.admin2 or ""))
