"""Names the main index lacks, placed at a village of the story's own countries.

A name in a place's position that the main index does not know ("clashes in Razmak") is looked
up among the villages (:mod:`mapper.gazetteer.villages`) of the countries the story is about,
never elsewhere: a story about Pakistan does not draw a village of Siberia. Village names repeat
(Pakistan has 23 places called Bara), so a village is taken only when the text settles which:
the one in the district or province the story names, or the one near the other places it
names; or the only one of its name in those countries; or, among namesakes the text does not
tell apart, one known at least twice as well as all the others together (by the names it is
known by: a town the news writes about has many spellings, a hamlet one). Otherwise the name
stays unknown and is placed, as before, at the finest area the text names around it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from ..gazetteer.rank import place_part
from ..geo import haversine_km
from ..text.names import fold
from ..types import Mention, MentionKind, Place

__all__ = ["district_towns", "home_villages", "place_villages", "story_countries"]

Villages = Callable[[str, Iterable[str]], Sequence]

# A country is the story's when this share of its placed names (or its dateline) lie in it.
_SHARE = 0.2
_DATELINE_WEIGHT = 2
# What the text says for a village: it lies in a district or province named, near a place named.
_IN_DISTRICT = 2.0
_IN_PROVINCE = 1.0
_NEAR_KM, _NEAR = 50.0, 2.0
_AROUND_KM, _AROUND = 150.0, 1.0
_OWN_NAME = 0.5  # the name is the village's own, not one of its other names
_EXACT = 0.25  # spelled as written, not only alike ("Sadda", not "Sada")
# What the gazetteer knows of a village itself, its place's part of the prior (a doubling for
# each doubling of the names it is known by; more with a population), speaks for it by this
# much per doubling: a town written about in many spellings is likelier than a hamlet of one.
_KNOWN = 0.25
# But over namesakes that the text and the name's match speak for at least as well, it is
# taken only when it is known at least this many times as well as all of them together (a
# hamlet's duplicates close together counted once).
_KNOWN_MARGIN = 2.0
# Namesakes this close are one place to a map reader (a village and its hamlet).
_SAME_KM = 25.0
_NO_COUNTRY = "ZZ"
_SEAT_KM = 1.0


def story_countries(mentions: Sequence[Mention], dateline: Place | None = None) -> tuple[str, ...]:
    """The countries the story is about: those holding a fair share of its placed names."""
    counts = Counter(
        m.place.country for m in mentions if m.place is not None and m.place.country != _NO_COUNTRY
    )
    if dateline is not None and dateline.country != _NO_COUNTRY:
        counts[dateline.country] += _DATELINE_WEIGHT
    total = sum(counts.values())
    return tuple(sorted(cc for cc, n in counts.items() if n / total >= _SHARE)) if total else ()


def place_villages(
    unknown: Sequence[Mention],
    placed: Sequence[Mention],
    villages: Villages,
    *,
    dateline: Place | None = None,
) -> list[Mention]:
    """The ``unknown`` mentions, each placed at the village the text settles on, if any (kind
    "name", the village as its place); the others unchanged."""
    countries = story_countries(placed, dateline)
    if not countries or not unknown:
        return list(unknown)
    named = {fold(m.text) for m in placed if m.place is not None}
    anchors = [
        m.place for m in placed if m.place is not None and m.place.precision in ("place", "admin2")
    ]
    if dateline is not None:
        anchors.append(dateline)
    out = []
    for mention in unknown:
        found = villages(mention.text, countries)
        chosen = _settled(found, named, anchors) if found else None
        if chosen is None:
            out.append(mention)
            continue
        candidate, score, confidence = chosen
        out.append(
            replace(
                mention,
                kind=MentionKind.NAME,
                place=candidate.place,
                score=round(score, 3),
                confidence=round(confidence, 3),
            )
        )
    return out


def _support(place: Place, named: set[str], anchors: Sequence[Place]) -> float | None:
    """What the story says for this village: the areas it names, the places near it. None
    when the story names towns or districts of its country and it lies far from all of them,
    in none of its districts: a namesake ("the Burdigala police station in Kohat" is not a
    village of that name 200 km away)."""
    score = 0.0
    in_district = bool(place.admin2) and fold(place.admin2) in named
    if in_district:
        score += _IN_DISTRICT
    elif place.admin1 and fold(place.admin1) in named:
        score += _IN_PROVINCE
    distances = [
        haversine_km(place.lat, place.lon, a.lat, a.lon)
        for a in anchors
        if a.country == place.country
    ]
    near = min(distances, default=math.inf)
    if near <= _NEAR_KM:
        score += _NEAR
    elif near <= _AROUND_KM:
        score += _AROUND
    elif distances and not in_district:
        return None
    return score


def _settled(found: Sequence, named: set[str], anchors: Sequence[Place]):
    """(candidate, score, confidence) of the village the text settles on; None when it
    leaves two far-apart namesakes equally likely."""
    least_known = min((place_part(c) for c in found), default=0.0)
    said = [  # (what the text and the match say, how well known, candidate)
        (
            support + (_OWN_NAME if c.kind == "name" else 0.0) + (_EXACT if c.exact else 0.0),
            place_part(c) - least_known,
            c,
        )
        for support, c in ((_support(c.place, named, anchors), c) for c in found)
        if support is not None
    ]
    if not said:
        return None
    scored = sorted(((s + _KNOWN * k, c) for s, k, c in said), key=lambda sc: -sc[0])
    best_score, best = scored[0]

    def far(c) -> bool:
        return haversine_km(best.place.lat, best.place.lon, c.place.lat, c.place.lon) > _SAME_KM

    if any(s >= best_score and far(c) for s, c in scored[1:]):
        return None
    best_said, best_known = next((s, k) for s, k, c in said if c is best)
    matched = sorted(
        ((k, c.place) for s, k, c in said if c is not best and s >= best_said and far(c)),
        key=lambda kp: -kp[0],
    )
    kept: list[tuple[float, Place]] = []
    for k, place in matched:
        if all(haversine_km(place.lat, place.lon, o.lat, o.lon) > _SAME_KM for _, o in kept):
            kept.append((k, place))
    if kept and 2.0**best_known < _KNOWN_MARGIN * sum(2.0**k for k, _ in kept):
        return None
    total = sum(math.exp(s - best_score) for s, _ in scored)
    return best, best_score, 1.0 / total


# A place abroad this small gives way to the story's own village of its name.
_SMALL_ABROAD = 30_000


def home_villages(
    mentions: Sequence[Mention],
    villages: Villages,
    *,
    dateline: Place | None = None,
) -> list[Mention]:
    """The mentions, a place abroad handed to a village of the story's countries of the same
    name when the text settles on one: in a story about other countries, a small place abroad,
    or an area matched only by a spelling variant ("Sadda" is not Sada of the Indian Ocean), is
    a namesake of the story's own village. (A district's bare name goes to a village only in
    ``district_towns``, when the data put the district at that village's point.)
    """
    placed = [m for m in mentions if m.place is not None]
    out = []
    for m in mentions:
        p = m.place
        if (
            p is None
            or m.kind != MentionKind.NAME
            or p.precision == "country"
            or not (
                fold(m.text) != fold(p.name)
                or (p.precision in ("place", "admin2") and p.population < _SMALL_ABROAD)
            )
        ):
            out.append(m)
            continue
        # The story's countries as its other names tell them: a name does not vouch for itself.
        same = fold(m.text)
        others = [o for o in placed if fold(o.text) != same]
        if p.country in story_countries(others, dateline):
            out.append(m)
            continue
        chosen = place_villages([replace(m, place=None)], others, villages, dateline=dateline)[0]
        out.append(chosen if chosen.place is not None else m)
    return out


def district_towns(mentions: Sequence[Mention], villages: Villages) -> list[Mention]:
    """The mentions, a district named bare handed to its town: news that writes "fighting in
    X" of a district named after its main town means the town (as a province's bare name
    often means its capital), which the main index often lacks and the village layer holds.
    The town is a village known by the name as its own at the district's very point (the data
    put the district at its seat); a village of the name elsewhere in the district may be a
    hamlet, and a district the text calls one ("X district") stays the district."""
    out = []
    for m in mentions:
        p = m.place
        if (
            p is None
            or p.precision != "admin2"
            or m.kind != MentionKind.NAME
            or m.hint
            or not p.admin1
        ):
            out.append(m)
            continue
        province = fold(p.admin1)
        towns = [
            c
            for c in villages(m.text, (p.country,))
            if c.kind == "name" and c.place.admin1 and fold(c.place.admin1) == province
        ]
        # The district's point is the town's: the data put the district at its seat. (A
        # village of the district's name elsewhere in it may be a hamlet.)
        town = next(
            (
                c.place
                for c in towns
                if haversine_km(p.lat, p.lon, c.place.lat, c.place.lon) <= _SEAT_KM
            ),
            None,
        )
        if town is None:
            out.append(m)
            continue
        out.append(replace(m, place=town))
    return out
