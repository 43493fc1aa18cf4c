"""Resolution: each recognised Mention → the Place it most likely names, with a confidence.

Scores combine the gazetteer's context-free prior (population, admin level, source)
with the article's context: its country focus (dateline, countries and demonyms
mentioned), type words ("Kurram district"), containment ("Kohat, Khyber Pakhtunkhwa")
and closeness to the other places the article names.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from .geo import haversine_km
from .models import Mention, Place
from .names import TYPE_WORDS, fold

__all__ = ["distance_km", "resolve"]

FOCUS_WEIGHT = 3.0
HINT_WEIGHT = 3.0
CONTAINMENT_WEIGHT = 2.0
NEARBY_WEIGHT = 1.0
NEARBY_KM = 300.0
# A town is usually the capital it names; but a dateline is a town, never a country.
_DATELINE_WEIGHT = 2.0

Lookup = Callable[[str], Sequence]


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _options(mention: Mention, lookup: Lookup) -> list:
    found = lookup(mention.text)
    if mention.kind == "demonym":
        return [c for c in found if c.kind == "demonym"] or list(found)
    # A name that is also a demonym ("Canadian", "Spanish") competes on priors: the country
    # named by the adjective usually outweighs a small town of that name.
    return list(found)


def resolve(
    mentions: Sequence[Mention], lookup: Lookup, *, dateline: str | None = None
) -> list[Mention]:
    """The mentions with ``place``, ``score`` and ``confidence`` filled in (same order)."""
    options = [_options(m, lookup) for m in mentions]
    dateline_options = list(lookup(dateline)) if dateline else []
    focus = _country_focus(options, dateline_options)
    names_in_text = {fold(m.text) for m in mentions}
    # Places that anchor the story on the map; a country is too big to say what is near.
    anchors = [o[0].place for o in options if _unambiguous(o) and o[0].place.precision != "country"]
    if dateline_options:
        anchors.append(dateline_options[0].place)

    resolved = []
    for mention, opts in zip(mentions, options, strict=True):
        if not opts:
            resolved.append(mention)
            continue
        scored = sorted(
            ((_score(c, mention, focus, names_in_text, anchors), c) for c in opts),
            key=lambda sc: (-sc[0], sc[1].place.name),
        )
        best_score, best = scored[0]
        total = sum(math.exp(s - best_score) for s, _ in scored)
        resolved.append(
            replace(
                mention,
                place=best.place,
                score=round(best_score, 3),
                confidence=round(1.0 / total, 3),
            )
        )
    return resolved


def _unambiguous(opts: list) -> bool:
    return bool(opts) and (len(opts) == 1 or opts[0].prior - opts[1].prior > 1.5)


def _country_focus(options: list[list], dateline_options: list) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for opts in options:
        if opts and (opts[0].place.precision == "country" or _unambiguous(opts)):
            counts[opts[0].place.country] += 1.0 if opts[0].place.precision == "country" else 0.5
    if dateline_options:
        counts[dateline_options[0].place.country] += _DATELINE_WEIGHT
    total = sum(counts.values())
    return {cc: n / total for cc, n in counts.items()} if total else {}


def _score(candidate, mention: Mention, focus, names_in_text, anchors) -> float:
    place = candidate.place
    score = candidate.prior + FOCUS_WEIGHT * focus.get(place.country, 0.0)
    if mention.hint:
        wanted = TYPE_WORDS.get(mention.hint)
        if wanted and wanted == place.precision:
            score += HINT_WEIGHT
    # "Kohat, Khyber Pakhtunkhwa": another name in the text is the candidate's province or
    # district. The mention's own name does not count ("Bamyan" is not inside Bamyan).
    own = fold(mention.text)
    if any(fold(a) in names_in_text and fold(a) != own for a in (place.admin1, place.admin2) if a):
        score += CONTAINMENT_WEIGHT
    if place.precision in ("place", "admin2") and any(
        a is not place and a.country == place.country and distance_km(a, place) < NEARBY_KM
        for a in anchors
    ):
        score += NEARBY_WEIGHT
    return score
