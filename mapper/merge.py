"""The same event reported by several articles becomes one event with all its sources.

Two events are one when they have the same type, their dates agree within a day (or one
date's month or year holds the other), their places are the same, one holds the other, or
they lie within 25 km, and their tolls are compatible. The merged event keeps the finest
place and the toll of the latest report (a later story knows more: 19 dead, then 53).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from .geo import haversine_km
from .models import Article, Event

__all__ = ["merge_reports"]

NEAR_KM = 25.0


def _day(event: Event) -> tuple[dt.date, str] | None:
    return _parse(event.event_date) if event.event_date else None


@lru_cache(maxsize=100_000)
def _parse(text: str) -> tuple[dt.date, str]:
    if len(text) == 4:
        return dt.date(int(text), 1, 1), "year"
    if len(text) == 7:
        return dt.date(int(text[:4]), int(text[5:7]), 1), "month"
    return dt.date.fromisoformat(text), "day"


def _dates_agree(a: Event, b: Event) -> bool:
    da, db = _day(a), _day(b)
    if da is None or db is None:
        return False
    for (x, px), (y, _) in ((da, db), (db, da)):
        if px == "year" and x.year == y.year:
            return True
        if px == "month" and (x.year, x.month) == (y.year, y.month):
            return True
    return abs((da[0] - db[0]).days) <= 1


def _km(a: Event, b: Event) -> float:
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _places_agree(a: Event, b: Event) -> bool:
    if a.latitude is None or b.latitude is None or a.country != b.country:
        return False
    if a.location == b.location or _km(a, b) <= NEAR_KM:
        return True
    coarse, fine = (a, b) if (a.geo_precision or 9) > (b.geo_precision or 9) else (b, a)
    return coarse.location in (fine.admin1, fine.admin2) or (
        coarse.geo_precision == 4 and coarse.country == fine.country
    )


def _tolls_agree(a: Event, b: Event) -> bool:
    if a.fatalities is None or b.fatalities is None or a.fatalities == b.fatalities:
        return True
    low, high = sorted((a.fatalities, b.fatalities))
    return low > 0 and high <= 4 * low  # tolls rise as bodies are found; not tenfold


def _keys(event: Event) -> tuple[tuple, list[tuple]]:
    """The index key an event is filed under, and the keys where its twins can be filed:
    the neighbouring days, its month and its year (coarser dates hold finer ones)."""
    t = (event.event_type, event.country)  # twins share type and country
    found = _day(event)
    if found is None:
        return (t, None), [(t, None)]
    day, precision = found
    year, month = (t, day.year), (t, day.year, day.month)
    if precision == "day":
        near = [(t, (day + dt.timedelta(days=k)).isoformat()) for k in (-1, 0, 1)]
        return (t, day.isoformat()), [*near, month, year]
    if precision == "month":
        days = [
            (t, (day + dt.timedelta(days=k)).isoformat())
            for k in range(31)
            if (day + dt.timedelta(days=k)).month == day.month
        ]
        return month, [*days, month, year]
    start = dt.date(day.year, 1, 1)
    days = [
        (t, (start + dt.timedelta(days=k)).isoformat())
        for k in range(366)
        if (start + dt.timedelta(days=k)).year == day.year
    ]
    months = [(t, day.year, m) for m in range(1, 13)]
    return year, [*days, *months, year]


def merge_reports(events: Sequence[Event], articles: Sequence[Article]) -> list[Event]:
    """One event per real event across articles, in a stable order.

    Candidates are looked up by type and day, so thousands of articles merge quickly.
    """
    published = {a.id: a.published or dt.date.min for a in articles}
    ordered = sorted(
        events, key=lambda e: (published.get(e.article_id, dt.date.min), e.article_id, e.start)
    )
    merged: list[Event] = []
    index: dict[tuple, list[int]] = {}
    for event in ordered:
        twin_index = None
        home, near = _keys(event)
        for bucket in near:
            for i in index.get(bucket, ()):
                m = merged[i]
                if (
                    m.article_id != event.article_id
                    and _dates_agree(m, event)
                    and _places_agree(m, event)
                    and _tolls_agree(m, event)
                ):
                    twin_index = i
                    break
            if twin_index is not None:
                break
        if twin_index is None:
            index.setdefault(home, []).append(len(merged))
            merged.append(event)
            continue
        first = merged[twin_index]
        finer = event if (event.geo_precision or 9) < (first.geo_precision or 9) else first
        toll = event if event.fatalities is not None else first  # the later report's toll
        merged[twin_index] = replace(
            first,
            location=finer.location,
            admin1=finer.admin1,
            admin2=finer.admin2,
            latitude=finer.latitude,
            longitude=finer.longitude,
            geo_precision=finer.geo_precision,
            geonameid=finer.geonameid,
            fatalities=toll.fatalities,
            fatalities_low=toll.fatalities_low,
            fatalities_high=toll.fatalities_high,
            injured=event.injured if event.injured is not None else first.injured,
            also_reported=(
                *first.also_reported,
                (event.article_id, event.source, event.source_url),
            ),
        )
    return merged
