"""The same event reported by several articles becomes one event with all its sources.

Two events are one when they have the same type, their dates agree within a day (or one
date's month or year holds the other), their places are the same, one holds the other, or
they lie within 25 km, and their tolls are compatible. The merged event keeps the finest
place and the toll of the latest report (a later story knows more: 19 dead, then 53).

Reports are taken in order of publication; each joins the first earlier event it matches.
Events of different types or countries never meet, so the merge is done per *block*
(``block_of``). A rebuild merges again only the reports that a changed one can reach
(``stale``), and gets exactly what merging everything again would give.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple, TypeVar

from ..agree import dates_agree, holds
from ..geo import EARTH_RADIUS_KM, haversine_km
from ..types import PRECISION_LEVEL, Article, DatePrecision, DateValue, Event, Precision

__all__ = [
    "Footprint",
    "block_of",
    "footprint",
    "merge_clusters",
    "reach",
    "stale",
    "width",
]

NEAR_KM = 25.0
K = TypeVar("K")  # whatever identifies a report to the caller
# Two points further apart in latitude than this are further apart than NEAR_KM (a great
# circle is never shorter than its north-south component); the margin absorbs rounding.
_NEAR_DEGREES = math.degrees(NEAR_KM / EARTH_RADIUS_KM) * 1.000001


def block_of(event: Event) -> str:
    """The group an event can merge within: its type and country. Merges never cross blocks."""
    return f"{event.event_type}\t{event.country or ''}"


@lru_cache(maxsize=100_000)
def _parse(text: str) -> DateValue:
    """An event's ISO date as a DateValue ("2025", "2025-10" and "2025-10-09"); a week is
    written as its day, and merged as one."""
    if len(text) == 4:
        return DateValue(dt.date(int(text), 1, 1), DatePrecision.YEAR)
    if len(text) == 7:
        return DateValue(dt.date(int(text[:4]), int(text[5:7]), 1), DatePrecision.MONTH)
    return DateValue(dt.date.fromisoformat(text), DatePrecision.DAY)


# Reports of one event in different stories may give dates a day apart (time zones, "Sunday
# night" and "Monday"), where one story's own mentions of two days are two events.
_DAYS_APART = 1
_PRECISION_OF_LEVEL = dict(zip(PRECISION_LEVEL.values(), PRECISION_LEVEL, strict=True))


class _Where(NamedTuple):
    """An event's place as ``agree.holds`` reads it."""

    name: str | None
    precision: Precision
    country: str | None
    admin1: str | None
    admin2: str | None


def _where(x) -> _Where:
    return _Where(x.location, _PRECISION_OF_LEVEL[x.geo_precision], x.country, x.admin1, x.admin2)


def _places_agree(a: Event, b: Event) -> bool:
    """``a`` holds a cluster's place (its country is the cluster's); ``b`` is a report. They
    agree when named alike, within ``NEAR_KM`` of each other, or when one holds the other."""
    if a.latitude is None or b.latitude is None or a.country != b.country:
        return False
    if a.location == b.location:
        return True
    if abs(a.latitude - b.latitude) <= _NEAR_DEGREES and (
        haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= NEAR_KM
    ):
        return True
    wa, wb = _where(a), _where(b)
    return holds(wa, wb) or holds(wb, wa)


def _tolls_agree(a: int | None, b: int | None) -> bool:
    if a is None or b is None or a == b:
        return True
    low, high = sorted((a, b))
    return low > 0 and high <= 4 * low  # tolls rise as bodies are found; not tenfold


@lru_cache(maxsize=100_000)
def _keys(text: str) -> tuple[object, tuple[object, ...]]:
    """The index key an event dated ``text`` is filed under (within its block), and the keys
    where its twins can be filed: the neighbouring days, its month and its year (coarser dates
    hold finer ones). Days are ordinals; months and years are tagged tuples."""
    parsed = _parse(text)
    day, precision = parsed.date, parsed.precision
    year, month = ("y", day.year), ("m", day.year, day.month)
    if precision == "day":
        n = day.toordinal()
        return n, (n - 1, n, n + 1, month, year)
    if precision == "month":
        first = day.toordinal()
        days = [first + k for k in range(31) if dt.date.fromordinal(first + k).month == day.month]
        return month, (*days, month, year)
    start = dt.date(day.year, 1, 1).toordinal()
    days = [start + k for k in range(366) if dt.date.fromordinal(start + k).year == day.year]
    months = [("m", day.year, m) for m in range(1, 13)]
    return year, (*days, *months, year)


_NEVER = DateValue(dt.date.min, DatePrecision.DAY)  # the date of a report that meets none


class _Cluster:
    """One real event while reports are folded into it (private and short-lived, so mutable)."""

    __slots__ = ("date", "first", "injured", "others", "place", "toll")

    def __init__(self, first: Event, date: DateValue) -> None:
        self.first = first
        self.date = date
        self.place = first  # the report with the finest place so far
        self.toll = first  # the latest report that gave a toll
        self.injured = first.injured
        self.others: list[Event] = []

    def matches(self, event: Event, date: DateValue) -> bool:
        """``event`` (dated ``date``) reports this cluster's event: another article, agreeing dates,
        places and tolls."""
        # The place comes from one report that matched the first, so its country is the
        # cluster's.
        return (
            self.first.article_id != event.article_id
            and dates_agree(self.date, date, days=_DAYS_APART)
            and _places_agree(self.place, event)
            and _tolls_agree(self.toll.fatalities, event.fatalities)
        )

    def add(self, event: Event) -> None:
        """Fold ``event`` in: the finer place, the latest toll and injured count win."""
        if (event.geo_precision or 9) < (self.place.geo_precision or 9):
            self.place = event
        if event.fatalities is not None:
            self.toll = event
        if event.injured is not None:
            self.injured = event.injured
        self.others.append(event)

    def event(self) -> Event:
        """The merged event: the first report, with the finest place, the latest toll and every
        source."""
        if not self.others:
            return self.first
        place, toll = self.place, self.toll
        first = self.first
        return replace(
            first,
            location=place.location,
            admin1=place.admin1,
            admin2=place.admin2,
            latitude=place.latitude,
            longitude=place.longitude,
            geo_precision=place.geo_precision,
            geonameid=place.geonameid,
            fatalities=toll.fatalities,
            fatalities_low=toll.fatalities_low,
            fatalities_high=toll.fatalities_high,
            injured=self.injured,
            also_reported=(
                *first.also_reported,
                *((e.article_id, e.source, e.source_url) for e in self.others),
            ),
            # The evidence is the first report's: it marks a place or toll another report gave
            # only where it names the same.
            place_start=first.place_start if place.location == first.location else None,
            place_end=first.place_end if place.location == first.location else None,
            toll_start=first.toll_start if toll.fatalities == first.fatalities else None,
            toll_end=first.toll_end if toll.fatalities == first.fatalities else None,
        )


def _merge_block(ordered: Iterable[Event]) -> list[_Cluster]:
    """Merge one block's reports, given in publication order; clusters in order of creation."""
    clusters: list[_Cluster] = []
    index: dict[object, list[_Cluster]] = {}
    for event in ordered:
        if event.event_date is None or event.latitude is None:
            clusters.append(_Cluster(event, _NEVER))  # nothing can match it
            continue
        date = _parse(event.event_date)
        home, near = _keys(event.event_date)
        twin = next((c for key in near for c in index.get(key, ()) if c.matches(event, date)), None)
        if twin is None:
            cluster = _Cluster(event, date)
            index.setdefault(home, []).append(cluster)
            clusters.append(cluster)
        else:
            twin.add(event)
    return clusters


def merge_clusters(
    events: Sequence[Event], articles: Sequence[Article] | Mapping[str, dt.date | None]
) -> list[tuple[Event, Event]]:
    """Each real event as (its first report, the merged event), in order of first reports.

    ``articles`` (or their publication dates by id) give the publication dates that order the
    reports; ties keep the order of ``events``. Candidates are looked up by block and day, so
    thousands of articles merge quickly.
    """
    dates = articles if isinstance(articles, Mapping) else {a.id: a.published for a in articles}
    ordered = sorted(
        events,
        key=lambda e: (dates.get(e.article_id) or dt.date.min, e.article_id, e.start),
    )
    blocks: dict[str, list[Event]] = {}
    for event in ordered:
        blocks.setdefault(block_of(event), []).append(event)
    position = {id(e): i for i, e in enumerate(ordered)}
    clusters = [c for block in blocks.values() for c in _merge_block(block)]
    clusters.sort(key=lambda c: position[id(c.first)])
    return [(c.first, c.event()) for c in clusters]


# Incremental merging. Whether a report joins a cluster depends on the cluster's first report
# (the dates must agree) and on the report holding the cluster's place (the places must
# agree), and every member's place agrees with an earlier member's. So two reports of a block
# can only influence each other through a chain of reports whose places agree and whose
# dates lie within ``width + 1`` days of each other (``width``: the longest date span in the
# block, 1 for days, 31 for a month). Re-merging the chains that reach the changed reports
# gives exactly the result of merging everything again.


class Footprint(NamedTuple):
    """Where and when a report can meet others; ``lo``/``hi`` are None when it meets none.
    The functions below take any 4-tuple in this order (the event store keeps plain ones)."""

    block: str
    lo: int | None  # first and last day (ordinals) its date covers
    hi: int | None
    place: tuple  # _Place fields


class _Place(NamedTuple):
    location: str | None
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    country: str | None


def footprint(event: Event) -> Footprint:
    """Where and when ``event`` can meet the reports of other articles (``Footprint``)."""
    place = _Place(
        event.location,
        event.admin1,
        event.admin2,
        event.latitude,
        event.longitude,
        event.geo_precision,
        event.country,
    )
    if event.event_date is None or event.latitude is None:
        return Footprint(block_of(event), None, None, tuple(place))
    parsed = _parse(event.event_date)
    day, precision = parsed.date, parsed.precision
    if precision == DatePrecision.DAY:
        last = day
    elif precision == DatePrecision.MONTH:
        last = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        last = dt.date(day.year, 12, 31)
    return Footprint(block_of(event), day.toordinal(), last.toordinal(), tuple(place))


def width(footprints: Iterable[Footprint]) -> int:
    """The longest date span (in days) among reports that can merge; 0 when there are none."""
    return max((f[2] - f[1] + 1 for f in footprints if f[1] is not None), default=0)


def reach(
    seeds: Iterable[Footprint],
    places: Iterable[tuple],
    at: Callable[[tuple], Sequence[tuple[int, int, K]]],
    span: int,
) -> set[K]:
    """The keys of one block's reports chained to any of ``seeds`` (reports added or
    removed). ``places`` are the places of the block's reports that can merge, ``at(place)``
    gives the (first day, last day, key) of those at a place, by first day, and ``span`` is
    the block's ``width``. Only the places that agree with a place reached are read."""
    kinds = [_Place(*p) for p in places]
    agreeing: dict[tuple, list[_Place]] = {}
    rows: dict[_Place, tuple[Sequence[tuple[int, int, K]], list[int]]] = {}

    def near(place: tuple) -> list[_Place]:
        if place not in agreeing:
            p = _Place(*place)
            agreeing[place] = [q for q in kinds if _places_agree(p, q) or _places_agree(q, p)]
        return agreeing[place]

    gap = span + 1
    found: set[K] = set()
    todo = [(lo, hi, place) for _, lo, hi, place in seeds if lo is not None]
    while todo:
        lo, hi, place = todo.pop()
        for q in near(place):
            if q not in rows:
                there = at(q)
                rows[q] = there, [r[0] for r in there]
            there, starts = rows[q]
            window = there[bisect_left(starts, lo - gap - span) : bisect_right(starts, hi + gap)]
            for y_lo, y_hi, key in window:
                if key not in found and y_hi >= lo - gap:
                    found.add(key)
                    todo.append((y_lo, y_hi, q))
    return found


def stale(
    seeds: Sequence[tuple[K, Footprint]],
    *,
    span: int,
    before: int | None,
    places: Iterable[tuple],
    at: Callable[[tuple], Sequence[tuple[int, int, K]]],
    everything: Callable[[], set[K]],
) -> set[K]:
    """The keys of one block's reports that must be merged again after the reports ``seeds``
    were added or removed (some may be gone). Merged events first reported by a stale or seed
    key are out of date; all others stand. ``span`` is the block's ``width`` now, ``before``
    at the last merge: if it changed, the whole block (``everything()``) is stale. ``places``
    and ``at`` are as for ``reach``."""
    if span != before:
        return everything()
    keys = reach((fp for _, fp in seeds), places, at, span)
    return keys | {k for k, fp in seeds if fp[1] is None}  # dateless or placeless: alone
