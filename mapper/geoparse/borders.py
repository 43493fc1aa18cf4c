"""Country outlines from countryinfo: the offline basemap, and the line two neighbours share.

An event reported only as happening "at the border" is known to its country alone, but a
reader knows more: it happened on the line that country shares with a neighbour. This module
finds that neighbour from what the event carries and draws the shared line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from shapely import line_merge, make_valid
from shapely.geometry import LineString, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from ..types import Event

__all__ = [
    "BORDER_WORDS",
    "Country",
    "basemap",
    "border_pair",
    "countries",
    "on_borders",
    "shared_border",
]

# Words that put an event on a border (cross-border, border clashes, the frontier).
BORDER_WORDS = re.compile(r"\b(?:borders?|frontiers?)\b", re.IGNORECASE)
# Outlines match across neighbours only within this distance (degrees): the shared line.
_TOUCH = 0.05


@dataclass(frozen=True, slots=True)
class Country:
    """One country's outline and the names a sentence may call it by."""

    code: str  # ISO 3166-1 alpha-2
    name: str
    names: tuple[str, ...]  # name, other spellings and the demonym
    neighbours: frozenset[str]  # alpha-2 codes of the countries it borders
    outline: BaseGeometry


def _rounded(coords):
    if coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], 3), round(coords[1], 3)]
    return [_rounded(c) for c in coords]


@cache
def countries() -> dict[str, Country]:
    """Every country countryinfo has an outline for, by alpha-2 code."""
    import countryinfo

    infos = [info.info() for info in countryinfo.all_countries()]
    alpha2 = {(i.get("ISO") or {}).get("alpha3"): (i.get("ISO") or {}).get("alpha2") for i in infos}
    out = {}
    for data in infos:
        code = (data.get("ISO") or {}).get("alpha2")
        parts = [
            make_valid(shape(f["geometry"]))
            for f in (data.get("geoJSON") or {}).get("features") or []
        ]
        if not code or not parts:
            continue
        # Codes (PK, PAK) are not how a sentence names a country; names and demonyms are.
        names = [data.get("name"), *(data.get("altSpellings") or []), data.get("demonym")]
        out[code] = Country(
            code=code,
            name=data["name"],
            names=tuple(dict.fromkeys(n for n in names if n and not n.isupper())),
            neighbours=frozenset(alpha2[a] for a in data.get("borders") or [] if alpha2.get(a)),
            outline=make_valid(unary_union(parts)),
        )
    return out


@cache
def basemap() -> dict:
    """Simplified country outlines as GeoJSON: the offline basemap."""
    features = []
    for country in countries().values():
        geom = mapping(country.outline.simplify(0.02, preserve_topology=True))
        features.append(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": geom["type"], "coordinates": _rounded(geom["coordinates"])},
            }
        )
    return {"type": "FeatureCollection", "features": features}


@cache
def shared_border(a: str, b: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The line countries ``a`` and ``b`` share, as (lat, lon) paths; empty if they do not touch."""
    known = countries()
    if a not in known or b not in known:
        return ()
    line = line_merge(
        known[a].outline.boundary.intersection(known[b].outline.buffer(_TOUCH)), directed=False
    )
    parts = getattr(line, "geoms", [line])
    paths = []
    for part in parts:
        if not isinstance(part, LineString) or part.length < _TOUCH:
            continue  # a corner where the outlines meet, not a stretch of border
        simple = part.simplify(0.01)
        paths.append(tuple((round(y, 4), round(x, 4)) for x, y in simple.coords))
    return tuple(paths)


def _named(text: str, country: Country) -> int | None:
    """Where ``text`` first names ``country`` (as a whole word), or None."""
    hits = [
        m.start()
        for name in country.names
        for m in [re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        if m
    ]
    return min(hits) if hits else None


def border_pair(
    *,
    evidence: str | None,
    country: str | None,
    geo_precision: int | None,
    actors: Sequence[str | None] = (),
    article_countries: Iterable[str] = (),
) -> tuple[str, str] | None:
    """The two countries of an event that happened on their border, or None.

    An event counts when its evidence speaks of a border and it is known only to its country
    (an event at a named town or district stays there). The neighbour is the one the evidence
    names first, else the one its actors name, else the only neighbour among the countries of
    the article's other events.
    """
    if geo_precision != 4 or not evidence or not BORDER_WORDS.search(evidence):
        return None  # checked before the outlines are loaded: most events stop here
    known = countries()
    if country not in known:
        return None
    neighbours = [known[c] for c in sorted(known[country].neighbours) if c in known]
    for text in (evidence, " ".join(a for a in actors if a)):
        named = [(at, c.code) for c in neighbours if (at := _named(text, c)) is not None]
        if named:
            return country, min(named)[1]
    others = {c for c in article_countries if c in known[country].neighbours}
    if len(others) == 1:
        return country, others.pop()
    return None


def _middle(paths: Sequence[Sequence[tuple[float, float]]]) -> tuple[float, float]:
    """The point halfway along the longest stretch of a shared border."""
    longest = max(paths, key=lambda path: LineString([(x, y) for y, x in path]).length)
    point = LineString([(x, y) for y, x in longest]).interpolate(0.5, normalized=True)
    return round(point.y, 4), round(point.x, 4)


def on_borders(events: Sequence[Event]) -> tuple[Event, ...]:
    """The events of one article, those reported only "at the border" moved onto it.

    Such an event is known to its country alone, but its place is the line that country shares
    with the neighbour the story names: it is put at the middle of that line, named "A–B
    border", at region precision (ACLED's 3), with ``location_source`` "border".
    """
    article_countries = {e.country for e in events if e.country}
    out = []
    for e in events:
        pair = border_pair(
            evidence=e.evidence,
            country=e.country,
            geo_precision=e.geo_precision,
            actors=(e.actor1, e.actor2),
            article_countries=article_countries,
        )
        paths = shared_border(*sorted(pair)) if pair else ()
        if not paths:
            out.append(e)
            continue
        lat, lon = _middle(paths)
        a, b = sorted(countries()[c].name for c in pair)
        out.append(
            replace(
                e,
                location=f"{a}–{b} border",
                admin1=None,
                admin2=None,
                latitude=lat,
                longitude=lon,
                geo_precision=3,
                geonameid=None,
                location_source="border",
            )
        )
    return tuple(out)
