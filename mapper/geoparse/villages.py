"""Names the main index lacks, placed at a village of the story's own countries.

A name in a place's position that the main index does not know ("clashes in Razmak") is looked
up among the villages (:mod:`mapper.gazetteer.villages`) of the countries the story is about,
never elsewhere: a story about Pakistan does not draw a village of Siberia. Village names repeat
(Pakistan has 23 places called Bara), so a village is taken only when the text settles which:
the one in the district or province the story names, or the one near the other places it
names; or the only one of its name in those countries. Otherwise the name stays unknown and is
placed, as before, at the finest area the text names around it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from ..geo import haversine_km
from ..text.names import fold
from ..types import Mention, MentionKind, Place

__all__ = ["home_villages", "place_villages", "story_countries"]

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
# Namesakes this close are one place to a map reader (a village and its hamlet).
_SAME_KM = 25.0
_NO_COUNTRY = "ZZ"


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
    supported = [(_support(c.place, named, anchors), c) for c in found]
    scored = sorted(
        (
            (support + (_OWN_NAME if c.kind == "name" else 0.0) + (_EXACT if c.exact else 0.0), c)
            for support, c in supported
            if support is not None
        ),
        key=lambda sc: -sc[0],
    )
    if not scored:
        return None
    best_score, best = scored[0]
    rivals = [
        c
        for s, c in scored[1:]
        if s >= best_score
        and haversine_km(best.place.lat, best.place.lon, c.place.lat, c.place.lon) > _SAME_KM
    ]
    if rivals:
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
    a namesake of the story's own village. (A district's bare name stays the district: the
    village data cannot tell its main town from a hamlet of the same name.)
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
