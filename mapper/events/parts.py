"""An event told place by place. ACLED codes one event per place, so a clause that splits its
toll among places ("19 fighters were killed, four of them in the town of Kuyambana and 15 in
Gulbano") or whose attack takes a list of places ("raided the villages of Sarkano, Dogo and
Tungari") gives one draft per place: each with its part of the toll, none with a toll the
text gives for all of them together.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..doc import Doc
from ..rules import patterns
from ..text.counts import Count
from ..types import LocationSource, Mention
from .draft import Draft

__all__ = ["by_place"]

_RULES = patterns("events.tsv")


def by_place(draft: Draft, doc: Doc, keys: Iterator[int]) -> list[Draft]:
    """``draft`` as one draft per place it is told at, or ``[draft]`` when it names one."""
    parts = _toll_parts(draft, doc)
    places = [] if parts else _listed_places(draft, doc)
    if draft.place is None and any(m.place is None for m in (*(m for _, m in parts), *places)):
        return [draft]  # a village the gazetteer lacks, and nothing to place it near
    if parts:
        return [_at(draft, m, keys, toll=n) for n, m in parts]
    if places and draft.toll is None:
        return [_at(draft, m, keys, toll=None) for m in places]
    return [draft]


def _toll_parts(draft: Draft, doc: Doc) -> list[tuple[Count, Mention]]:
    """(count, place) of each part of the toll the clause gives place by place, when there are
    two or more, at different places, and they add up to no more than the toll."""
    c = draft.clause
    text = doc.text
    parts: list[tuple[Count, Mention]] = []
    for n in doc.counts.within(c.start, c.end):
        lead = _RULES["toll_part"].match(text, n.end, c.end)
        if lead is None:
            continue
        at = _place_at(doc, lead.end())
        if at is not None:
            parts.append((n, at))
    names = {m.text for _, m in parts}
    if len(parts) < 2 or len(names) < len(parts):
        return []
    total = sum(n.best for n, _ in parts)
    told = [n for n, _ in parts]
    if draft.toll is not None and total > draft.toll.best and draft.toll not in told:
        return []
    return parts


# "the Kara Sea port of Tanbo": the town after a sea's port or city.
_WATER_TOWN = re.compile(r"\s+(?:port|city|town|coast)\s+(?:city\s+)?of\s+", re.I)


def _place_at(doc: Doc, at: int) -> Mention | None:
    """The place name (known or not) that starts at ``at``; after a sea that names where a town
    lies ("three in the Kara Sea port of Tanbo"), that town."""
    for spans in (doc.places, doc.unknown):
        found = [m for m in spans.within(at, at + 80) if m.start == at]
        if found:
            m = found[0]
            water = m.place is not None and m.place.feature.startswith("H.")
            gap = _WATER_TOWN.match(doc.text, m.end) if water else None
            return _place_at(doc, gap.end()) if gap else m
    return None


_LIST_GAP = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


def _listed_places(draft: Draft, doc: Doc) -> list[Mention]:
    """The places of a list the clause's event word takes ("attacked the towns of A, B and C",
    "bombings in A, B and C"): two or more towns or villages, none of them a country or a
    province, which would be the area of the others."""
    c = draft.clause
    text = doc.text
    names = sorted(
        [*doc.places.within(c.start, c.end), *doc.unknown.within(c.start, c.end)],
        key=lambda m: m.start,
    )
    run: list[Mention] = []
    for m in names:
        if m.start < draft.trigger_start:
            continue
        if run and _LIST_GAP.fullmatch(text, run[-1].end, m.start):
            run.append(m)
            continue
        if len(run) >= 2:
            break
        lead = _RULES["list_lead"].search(text, draft.trigger_start, m.start)
        run = [m] if lead and lead.end() == m.start else []
    # A list ends on "and" ("A, B and C"); "Abu Dogo, Plateau" is a village and its area.
    ends = len(run) >= 2 and "and" in text[run[-2].end : run[-1].start]
    if not ends or any(m.place is not None and m.place.geo_precision > 2 for m in run):
        return []
    return run


def _at(draft: Draft, m: Mention, keys: Iterator[int], *, toll: Count | None) -> Draft:
    """A draft of ``draft``'s event at ``m`` (a place the gazetteer lacks keeps the draft's
    place for its point), with ``toll`` as its toll."""
    placed = (
        replace(
            draft,
            place=m.place,
            place_name=m.text,
            place_span=(m.start, m.end),
            unknown_name=None,
            unknown_span=None,
            location_source=LocationSource.TEXT,
        )
        if m.place is not None
        # the point of the clause's place, lent: the village is not said to lie in it
        else replace(
            draft,
            unknown_name=m.text,
            unknown_span=(m.start, m.end),
            location_source=LocationSource.SENTENCE,
        )
    )
    return replace(
        placed,
        key=next(keys),
        toll=toll,
        by_place=toll is not None,
        listed=toll is None,
        victim_groups=draft.victim_groups if toll is not None else frozenset(),
        notes=(*draft.notes, "one of the places the text tells this event at"),
    )
