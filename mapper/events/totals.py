"""Tolls an article gives as the total of incidents it lists ("killed 20 in raids … eight
militants were killed in A … 12 others in a separate raid in B"): not events of their own.

A total needs the text's word for it (a headline, "in two raids", "in total", "attacked several
districts": ``rules/totals.tsv``) and events listed near it whose tolls add up to it, at places
and on dates within its own (when the words count the incidents, that many). Arithmetic alone
never drops an event. Each total is kept (``Total``) for the report, with its parts. Work is
bounded: at most ``WINDOW`` events on either side are tried as parts.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from ..agree import holds
from ..budget import check_budget
from ..doc import Doc
from ..geo import haversine_km
from ..rules import table
from ..text.counts import number_value
from ..types import LocationSource, Total
from .actors import generic, state
from .draft import Draft
from .within import dates_compatible

__all__ = ["WINDOW", "find_totals"]

# The events a total covers are listed near it: among this many tolled events on either side.
WINDOW = 8
_MOST_PARTS = 6


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str
    pattern: re.Pattern


@cache
def _cues() -> tuple[_Cue, ...]:
    return tuple(_Cue(r["kind"], re.compile(r["pattern"], re.I)) for r in table("totals.tsv"))


def _cue(doc: Doc, total: Draft, *, headline: int, shared: bool) -> tuple[str, int | None] | None:
    """The words that make ``total``'s toll a total, and how many incidents they count (None
    when they do not say); None when the text does not call it a total. ``headline`` is where
    the headline ends (0: none); ``shared``, that another toll stands in its sentence, so that
    only the total's own clause speaks for it."""
    s, e = doc.sentences[total.sentence]
    if s < headline:
        return "a headline", None
    chunk = doc.text[total.clause.start : total.clause.end] if shared else doc.text[s:e]
    for cue in _cues():
        m = cue.pattern.search(chunk)
        if m is None:
            continue
        n = (m.groupdict().get("n") or "").lower()
        count = 2 if n == "twin" else number_value(n) if n and n not in ("a", "an") else None
        return m.group(0), count if count and count >= 2 else None
    return None


def find_totals(drafts: Sequence[Draft], doc: Doc) -> tuple[list[Draft], list[Total]]:
    """The drafts that are no totals (the parts of a total taking its actors when they name
    none of their own), and the totals set aside."""
    current = {d.key: d for d in drafts}
    tolled = [d.key for d in drafts if d.toll and d.violent]
    position = {key: i for i, key in enumerate(tolled)}
    per_sentence = Counter(d.sentence for d in drafts if d.toll)
    headline = doc.headline
    totals, dropped = [], set()
    for key in sorted(tolled, key=lambda k: -current[k].toll.best):
        check_budget()
        total = current[key]
        cue = _cue(doc, total, headline=headline, shared=per_sentence[total.sentence] > 1)
        i = position[key]
        if cue is None:
            # "Shelling killed 13 … 12 were killed in A and one in B": the sentence that splits
            # the toll place by place says the lead's is their total.
            words, count = _SPLIT_NEXT, None
            windows = [
                [k for k in tolled[i + 1 : i + 1 + WINDOW] if _split_after(total, current[k])]
            ]
        else:
            words, count = cue
            # A lead's incidents follow it; a summary's come before it.
            windows = [tolled[i + 1 : i + 1 + WINDOW], tolled[max(0, i - WINDOW) : i]]
        sizes = (count,) if count else range(2, _MOST_PARTS + 1)
        parts = None
        for window in windows:
            candidates = [
                current[k]
                for k in window
                if current[k].toll.best < total.toll.best
                and dates_compatible(total.date, current[k].date, slack=7)
                and _within(total, current[k])
            ]
            parts = _parts_adding_up(candidates, total.toll.best, sizes)
            if parts:
                break
        if not parts and cue is not None:
            parts = _listed_before(total, drafts)
        if not parts or not _groups_cover(total, parts):
            continue
        dropped.add(key)
        for p in parts:
            if p.date_note is not None and total.date is not None and total.date_note is None:
                # "Nine were killed in two clashes on Monday. Four died in A, five in B."
                p = current[p.key] = replace(p, date=total.date, date_note=None)
            if total.trigger.strong and not p.trigger.strong:
                # "… were killed in A": the shelling, the raid or the bombing the total told of.
                p = current[p.key] = replace(
                    p, event_type=total.event_type, sub_event_type=total.sub_event_type
                )
            # The total names who fought; its parts often only say "militants" or "others".
            if not p.actors or (
                all(generic(a) or state(a) for a in p.actors)
                and any(not generic(a) for a in total.actors)
            ):
                current[p.key] = replace(p, actors=total.actors, victim_first=total.victim_first)
        totals.append(_total(doc, total, parts, words))
    return [current[d.key] for d in drafts if d.key not in dropped], totals


# How many sentences before a total the list of places it covers may stand.
_LISTED_REACH = 2


def _listed_before(total: Draft, drafts: Sequence[Draft]) -> list[Draft] | None:
    """ "Blasts in A, B and C over the weekend … the blasts killed nine": the places of a list
    told just before a toll its words call a total, with no tolls of their own; the total is
    theirs together, not the first place's."""
    listed = [
        d
        for d in drafts
        if d.listed
        and d.toll is None
        and 0 <= total.sentence - d.sentence <= _LISTED_REACH
        and d.key != total.key
        and dates_compatible(total.date, d.date, slack=7)
        and _within(total, d)
    ]
    if not listed:
        return None
    last = max(d.sentence for d in listed)
    same = [d for d in listed if d.sentence == last]
    return same if len(same) >= 2 else None


_SPLIT_NEXT = "a toll the next sentence splits place by place"
# How many sentences after a lead the sentence that splits its toll may come.
_SPLIT_REACH = 2


def _split_after(total: Draft, part: Draft) -> bool:
    """``part`` is one place's share of a toll split place by place just after ``total``."""
    return part.by_place and 0 < part.sentence - total.sentence <= _SPLIT_REACH


def _total(doc: Doc, total: Draft, parts: Sequence[Draft], cue: str) -> Total:
    s, e = doc.sentences[total.sentence]
    raw = doc.text[s:e]
    lead = len(raw) - len(raw.lstrip())
    evidence = raw.strip()
    return Total(
        article_id=doc.article.id,
        fatalities=total.toll.best,
        evidence=evidence,
        start=s + lead,
        end=s + lead + len(evidence),
        cue=cue,
        parts=tuple(
            (
                p.toll.best if p.toll else None,
                p.place_name or (p.place.name if p.place else None),
                doc.sentence(p.sentence).strip(),
            )
            for p in parts
        ),
    )


# How far around a town its name in a total reaches ("killed 13 in X": in X and the towns
# around it, the area the name also stands for).
_AROUND_TOWN_KM = 60.0


def _within(total: Draft, part: Draft) -> bool:
    """``part`` happened within the total's place: the same place, one it holds, or anywhere
    when the total names no place of its own. A town's name in a total stands for its
    surroundings too ("nine killed in shelling of X": six in X, three in the X region), so a
    part in an area that holds the total's town is within it."""
    outer, inner = total.place, part.place
    if outer is None or inner is None or total.location_source != LocationSource.TEXT:
        return True
    if holds(outer, inner) or holds(inner, outer):
        return True
    if (
        outer.country == inner.country
        and outer.geo_precision == 1
        and haversine_km(outer.lat, outer.lon, inner.lat, inner.lon) <= _AROUND_TOWN_KM
    ):
        return True  # "13 killed in Idlib": 12 in a town of its countryside, one in another
    return outer.country == inner.country and outer.geo_precision > inner.geo_precision


def _groups_cover(total: Draft, parts: Sequence[Draft]) -> bool:
    """ "Four soldiers were killed" is not the sum of three attackers and one civilian: a total
    that names whom it counts must count the people its parts count."""
    if not total.victim_groups:
        return True
    return all(p.victim_groups <= total.victim_groups for p in parts)


def _parts_adding_up(
    candidates: list[Draft], target: int, sizes: Iterable[int]
) -> list[Draft] | None:
    """The fewest candidates (in text order) whose tolls add up to ``target``; candidates
    are at most ``WINDOW``, so at most 247 sets are tried."""
    for size in sizes:
        if size > len(candidates):
            break
        for combo in itertools.combinations(candidates, size):
            if sum(d.toll.best for d in combo) == target and not _has_twins(combo):
                return list(combo)
    return None


def _has_twins(drafts: Sequence[Draft]) -> bool:
    """Two of the parts report one event (a headline and its story): they are not a sum. The
    places of one toll split place by place are never one event."""
    return any(
        a.event_type == b.event_type
        and (holds(a.place, b.place) or holds(b.place, a.place))
        and not _two_towns(a, b)
        and not (a.by_place and b.by_place and a.sentence == b.sentence)
        and dates_compatible(a.date, b.date, slack=1)
        for a, b in itertools.combinations(drafts, 2)
    )


def _two_towns(a: Draft, b: Draft) -> bool:
    """Each is named for a town of its own, and they are not one town (a village of the
    district named after a town is not that town)."""
    return (
        a.location_source == b.location_source == LocationSource.TEXT
        and a.place is not None
        and b.place is not None
        and a.place.geo_precision == b.place.geo_precision == 1
        and a.place != b.place
    )
