"""A story's own countries outweigh a small namesake elsewhere.

A name that the main index knows only as a small town of a country the story names nothing
else in ("disruption at Heathrow" in a story of London airports is not the town of that name
in Florida) is a place the gazetteer lacks, most often one of the story's own: it is left
unplaced, to be placed by the story's context where a place is required.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..text.names import fold
from ..types import Mention, MentionKind, Place

__all__ = ["lone_namesakes"]

# A town this small abroad needs the story to name something else in its country.
SMALL_TOWN = 30_000
_NO_COUNTRY = "ZZ"


def lone_namesakes(mentions: Sequence[Mention], *, dateline: Place | None = None) -> list[Mention]:
    """The mentions, each small town of a country no other name of the story (nor its
    dateline) lies in left unplaced; a story naming nothing else keeps it."""
    countries: dict[str, set[str]] = {}  # country → the names placed in it
    for m in mentions:
        if m.place is not None and m.place.country != _NO_COUNTRY:
            countries.setdefault(m.place.country, set()).add(fold(m.text))
    home = {dateline.country} if dateline is not None else set()
    out = []
    for m in mentions:
        p = m.place
        if (
            p is None
            or m.kind != MentionKind.NAME
            or p.precision != "place"
            or p.population >= SMALL_TOWN
            or p.country in home
        ):
            out.append(m)
            continue
        own = fold(m.text)
        elsewhere = {cc for cc, names in countries.items() if names - {own}}
        if not elsewhere or p.country in elsewhere:
            out.append(m)
            continue
        out.append(replace(m, place=None, score=0.0, confidence=0.0))
    return out
