"""An event of one article while its stages work it out: frozen, each stage returning a new one.

A draft starts from a clause that names an event (``kind``); then it takes its date (``when``),
its place (``where``) and its actors (``actors``); tolls set aside as totals leave it
(``totals``); mentions of one event merge (``within``); and it becomes an Event (``record``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text.counts import Count
from ..text.segment import Clause
from ..types import DateValue, EventType, LocationSource, Place

__all__ = ["Draft", "Trigger"]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A row of ``rules/triggers.tsv``: words that name an event of a type."""

    rank: int  # earlier rows win when a clause holds several triggers
    pattern: object  # re.Pattern
    event_type: str  # an EventType, or "*": decided by who was hit
    sub_event_type: str
    strong: bool  # names an event by itself; a weak one only with a toll


@dataclass(frozen=True, slots=True)
class Draft:
    """An event being worked out. ``key`` is its place in the order the article's drafts
    were made, by which a later draft names the one it continues (``chained_to``)."""

    key: int
    sentence: int
    clause: Clause
    trigger: Trigger
    trigger_start: int
    event_type: EventType | str
    sub_event_type: str
    toll: Count | None = None
    injured: int | None = None
    date: DateValue | None = None
    date_note: str | None = None
    place: Place | None = None
    place_name: str | None = None
    place_span: tuple[int, int] | None = None  # where the text names the place, if it does
    unknown_name: str | None = None  # a finer place the gazetteer lacks ("the Sarkano area")
    unknown_span: tuple[int, int] | None = None  # where the text names it
    location_source: LocationSource | None = None
    actors: tuple[str, ...] = ()
    victim_first: bool = False
    notes: tuple[str, ...] = ()
    separate: bool = False  # "in a separate attack", "elsewhere", "another bomber": not a repeat
    another_victim: bool = False  # "another person was killed": a repeat only where no place
    anaphoric: bool = False  # "the attack took place in …": told before, named again
    victim_groups: frozenset[str] = frozenset()  # who the toll counts: security, armed, civilian
    merged: int = 0  # how many other mentions of it merged in
    last_sentence: int = -1  # the last sentence that told of it, once others merged in
    chained_to: int | None = None  # the key of the earlier event it continues
    by_place: bool = False  # its toll is one place's part of a toll the clause splits
    listed: bool = False  # one of the places of a list the clause's event word takes

    @property
    def violent(self) -> bool:
        """Political violence (not a strategic development)."""
        return self.event_type != EventType.STRATEGIC
