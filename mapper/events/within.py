"""One event, told several times in an article, becomes one event.

A later mention merges into an earlier one when they share the type, their places are the same
or one holds the other ("in Pakistan" … "in Quetta"), their dates agree and their tolls do not
conflict; a mention with no place of its own merges into the event reported just before it. A
separate incident ("in a separate attack", "elsewhere", "another bomber") is never a repeat.
The merged event keeps the finest place, the most precise date and the latest toll; tolls of
different groups told apart add up (as ACLED counts everyone killed in the event).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..agree import dates_agree, holds
from ..text.names import fold
from ..types import DatePrecision, DateValue, EventType, LocationSource
from .draft import Draft
from .kind import LOOKBACK

__all__ = ["dates_compatible", "merge_twins", "merge_within"]

_PRECISION_RANK = {
    DatePrecision.DAY: 0,
    DatePrecision.WEEK: 1,
    DatePrecision.MONTH: 2,
    DatePrecision.YEAR: 3,
}
# Sub-types a more specific report replaces ("a blast" then "a suicide bomber").
_GENERIC_SUBTYPES = {"Remote explosive/landmine/IED", "Armed clash", "Attack"}
_TOLLS_ADD_UP = "toll adds up the groups of people the article counts separately"
_ABDUCTION = "Abduction/forced disappearance"
# Where an event's place comes from the text around it, not from the article as a whole.
_OWN_PLACE = (LocationSource.TEXT, LocationSource.CHAIN, LocationSource.SENTENCE)


def dates_compatible(a: DateValue | None, b: DateValue | None, *, slack: int) -> bool:
    """The dates can be of one event of the article: ``agree.dates_agree``, except that two
    days one story names apart ("Monday" and "Tuesday") are two events unless ``slack``
    allows three days or more."""
    if a is not None and b is not None and a.precision == b.precision == DatePrecision.DAY:
        return dates_agree(a, b, days=slack if slack >= 3 else 0)
    return dates_agree(a, b, days=slack)


def _family(d: Draft) -> str:
    """Political violence, demonstrations or strategic developments: a detail told without a
    place joins an event of its own family only."""
    if d.event_type in (EventType.PROTESTS, EventType.RIOTS):
        return "demonstrations"
    return "violence" if d.violent else "strategic"


def _near(a: Draft, b: Draft) -> bool:
    return holds(a.place, b.place) or holds(b.place, a.place)


def _told_of_its_own(d: Draft) -> bool:
    """It has a toll, a place or a date of its own: "police feared another attack" has none."""
    own_date = d.date is not None and d.date_note is None
    return d.toll is not None or d.location_source == LocationSource.TEXT or own_date


def _last_told(d: Draft) -> int:
    return max(d.sentence, d.last_sentence)


def _tolls_compatible(a: Draft, b: Draft) -> bool:
    """Two separate tolls in one sentence are two events, and so are two tolls one of which
    an event happened days after ("weeks after a raid that left 30 dead in the capital");
    otherwise the later toll updates."""
    apart = a.sentence == b.sentence or a.clause.earlier or b.clause.earlier
    return not (a.toll and b.toll and apart and a.toll.best != b.toll.best)


def _own_place(d: Draft) -> str | None:
    """The place the text names for ``d`` itself, folded: a village the gazetteer lacks, or
    one it knows; None when its place is borrowed or the country's."""
    if d.unknown_name:
        return fold(d.unknown_name)
    if d.location_source == LocationSource.TEXT and d.place_name:
        return fold(d.place_name)
    return None


def _apart(o: Draft, d: Draft) -> bool:
    """Each is named for a place of its own, and one of them is a village the gazetteer lacks
    that the other is not: two villages, or a village and a town other than the one it lies
    in ("two people killed in Kuyambana village, in Gulbano district … three killed in Gulbano
    town"). A village in the area the other names may be its finer place: one event."""
    a, b = _own_place(o), _own_place(d)
    if not (a and b and a != b and (o.unknown_name or d.unknown_name)):
        return False
    if o.unknown_name and d.unknown_name:
        return True
    village, other = (o, d) if o.unknown_name else (d, o)
    # A village given within the town ("the Sarkano area of Gulbano") may be the town's event;
    # one only lent the town's point (named in a sentence of its own) is another place.
    return (
        other.place is not None
        and other.place.geo_precision == 1
        and (other.place != village.place or village.location_source != LocationSource.TEXT)
    )


def _continues(o: Draft, d: Draft) -> bool:
    """``d``, told right after ``o`` and placed by it, is more of it unless it happened on
    another day (a new toll is the story's update: "the toll rose to 22"), in a village of
    its own (``_apart``) or with a toll that cannot update the other's."""
    return (
        dates_compatible(o.date, d.date, slack=1) and not _apart(o, d) and _tolls_compatible(o, d)
    )


def _same_event(o: Draft, d: Draft) -> bool:
    """``d`` tells again of ``o``: same type (a bare killing takes the type of the violent
    event where and when it happened), same or nested place, agreeing dates and tolls."""
    same_type = (
        o.event_type == d.event_type
        or (d.trigger.event_type == "*" and not d.trigger.strong and o.violent and d.violent)
        # a protest and the riot it turned into, at one place on one day
        or _family(o) == _family(d) == "demonstrations"
    )
    slack = 3 if d.event_type == EventType.STRATEGIC else 1
    return (
        same_type
        and (o.sub_event_type == d.sub_event_type or _near(o, d))
        and _near(o, d)
        and not _apart(o, d)
        and (dates_compatible(o.date, d.date, slack=slack) or _a_day_apart_same_toll(o, d))
        and _tolls_compatible(o, d)
        # "Earlier this month, 50 troops were killed": told as before the story's own events
        and o.clause.earlier == d.clause.earlier
    )


def _a_day_apart_same_toll(o: Draft, d: Draft) -> bool:
    """The same deaths told at the same place on days one apart: one event, its day told two
    ways ("overnight" in the lead, "Monday night" in a quote; "yesterday" in a quote written
    the day before publication)."""
    return (
        o.toll is not None
        and d.toll is not None
        and o.toll.best == d.toll.best > 0
        and o.date is not None
        and d.date is not None
        and dates_agree(o.date, d.date, days=1)
    )


def _detail_of(o: Draft, d: Draft) -> bool:
    """``d``, with no place of its own, tells more of ``o``, reported just before it."""
    return (
        d.sentence - _last_told(o) <= 5
        and not (d.clause.sequel and d.sentence == o.sentence)
        and _family(o) == _family(d)
        and dates_compatible(o.date, d.date, slack=1)
        and (o.clause.earlier or not d.clause.earlier)  # "Earlier this month, …" is its own
        # "Earlier, 14 were killed on Monday": another toll on another day is another event.
        and not (
            o.toll
            and d.toll
            and o.toll.best != d.toll.best
            and d.date_note is None
            and o.date != d.date
        )
    )


def _twin(d: Draft, out: Sequence[Draft]) -> int | None:
    """Where in ``out`` is the earlier event that ``d`` reports again, if any: among the last
    ``LOOKBACK`` events, which bounds the work on a very long document."""
    if (d.separate and _told_of_its_own(d)) or (
        d.another_victim and d.location_source == LocationSource.TEXT
    ):
        return None
    first = max(0, len(out) - LOOKBACK)
    recent = range(first, len(out))
    if d.location_source != LocationSource.TEXT and not d.clause.sequel and not d.unknown_name:
        # A clause with no place of its own in a sentence that reports an event ("…, nine of
        # them in a school hit by a shell") tells more of that event.
        for i in reversed(recent):
            if out[i].sentence == d.sentence and _family(out[i]) == _family(d):
                return i
    if d.location_source == LocationSource.TEXT and not d.separate:
        # "six labourers were killed … after gunmen targeted them in an attack in Gulbano": the
        # clause that names the place tells of the killing its sentence told without one.
        for i in reversed(recent):
            o = out[i]
            if (
                o.sentence == d.sentence
                and _family(o) == _family(d)
                and o.location_source not in _OWN_PLACE
                and not o.unknown_name
                and _tolls_compatible(o, d)
                and dates_compatible(o.date, d.date, slack=1)
            ):
                return i
    if d.chained_to is not None:
        chained = next((i for i in recent if out[i].key == d.chained_to), None)
        # It continues that event unless it happened another day ("On Tuesday, gunmen
        # ambushed a convoy" after Monday's attack).
        if chained is not None and _continues(out[chained], d):
            return chained
    same = next((i for i in reversed(recent) if _same_event(out[i], d)), None)
    if same is not None:
        return same
    if d.anaphoric:
        # "The ambush happened in the Sarkano area": the violent event just told, where
        # its place holds this one's or this one's holds it, and its day agrees.
        dated = d.date_note is None and d.date is not None
        for i in reversed(recent):
            o = out[i]
            if d.sentence - _last_told(o) > 3:
                break
            if (
                _family(o) == _family(d)
                and (_near(o, d) or o.place is None or d.place is None)
                and (not dated or dates_compatible(o.date, d.date, slack=1))
            ):
                return i
        # "Until Tuesday's attack, …", with no place of its own: an event of that day told
        # further back.
        if dated and d.location_source != LocationSource.TEXT:
            for i in reversed(recent):
                o = out[i]
                if _family(o) == _family(d) and dates_compatible(o.date, d.date, slack=1):
                    return i
    if not d.unknown_name and d.location_source in (
        LocationSource.ARTICLE,
        LocationSource.COUNTRY,
        None,
    ):
        # No place of its own: a detail of the event just reported ("Several journalists
        # were also wounded", "The attack happened when …").
        for i in sorted(recent, key=lambda i: _last_told(out[i]), reverse=True):
            if _detail_of(out[i], d):
                return i
    return None


def merge_within(drafts: Sequence[Draft], *, headline: Callable[[int], bool]) -> list[Draft]:
    """One event per (type, place, compatible date) within an article (module docstring).

    The headline (``headline(sentence)`` says which sentence is one) announces events the
    story tells: each of its drafts joins the story's event it announces, which keeps its own
    sentence, type and place; one the story never tells stands alone.
    """
    out: list[Draft] = []
    ahead: list[Draft] = []  # references to an event the story tells only later
    for d in drafts:
        if headline(d.sentence):
            continue
        i = _twin(d, out)
        if i is None and d.anaphoric:
            ahead.append(d)
        elif i is None:
            out.append(d)
        else:
            out[i] = _merged(out[i], d)
    for d in ahead:
        i = _told_later(d, out)
        if i is None:
            i = _told_before(d, out)
            if i is not None:
                out[i] = _merged(out[i], d)
                continue
            at = next((k for k, o in enumerate(out) if o.sentence > d.sentence), len(out))
            out.insert(at, d)
        else:
            # "the protesters neared Wednesday's blast scene", then the bombing told in full:
            # the reference adds nothing but its mention; the event keeps its own place.
            o = out[i]
            o = replace(o, merged=o.merged + 1, actors=(*o.actors, *d.actors))
            if o.location_source != LocationSource.TEXT:
                o = _merged_place(o, d)  # unless the reference alone names its place
            out[i] = o
    alone = []
    for h in (d for d in drafts if headline(d.sentence)):
        i = _announced(h, out)
        if i is None:
            alone.append(h)
        else:
            out[i] = _announcing(out[i], h)
    return alone + out


_THE_TOLL = re.compile(r"\bthe\s+$", re.I)


def _toll_told_before(d: Draft, text: str) -> bool:
    """ "The three killed in Gulbano were in a warehouse": a toll with the definite article names
    deaths the story has told."""
    return d.toll is not None and bool(
        _THE_TOLL.search(text, max(0, d.toll.start - 6), d.toll.start)
    )


def merge_twins(drafts: Sequence[Draft], text: str) -> list[Draft]:
    """Events that, once placed, are one event told twice: the same type (or deaths the text
    names as told already: "the three killed in Gulbano") and deaths at the same place on days
    at most one apart, neither told as a separate incident ("two guards and five attackers
    killed overnight" in the lead, "they raided the post on Monday night … two guards and five
    attackers died" in a quote)."""
    out: list[Draft] = []
    for d in drafts:
        i = next(
            (
                i
                for i, o in enumerate(out)
                if (o.event_type == d.event_type or _toll_told_before(d, text))
                and not d.separate
                and o.place == d.place
                and _a_day_apart_same_toll(o, d)
            ),
            None,
        )
        if i is None:
            out.append(d)
        else:
            out[i] = _merged(out[i], d)
    return out


def _told_later(d: Draft, out: Sequence[Draft]) -> int | None:
    """Where in ``out`` is the event that the reference ``d`` ("Wednesday's blast") is told in
    full after it: the first of its family within five sentences, on an agreeing date."""
    for i, o in enumerate(out):
        if o.sentence <= d.sentence:
            continue
        if o.sentence - d.sentence > 5:
            return None
        if _family(o) == _family(d) and dates_compatible(o.date, d.date, slack=1):
            return i
    return None


def _told_before(d: Draft, out: Sequence[Draft]) -> int | None:
    """Where in ``out`` is the event that the reference ``d`` ("the recent attack"), told
    neither just before nor just after it, names again: the last of its family told before it,
    at its place or holding it, on an agreeing date. "The attack" names an event the story has
    told; a reader does not take it for a new one."""
    dated = d.date_note is None and d.date is not None
    for i in sorted(range(len(out)), key=lambda i: _last_told(out[i]), reverse=True):
        o = out[i]
        if o.sentence >= d.sentence or _family(o) != _family(d):
            continue
        if (
            (d.location_source != LocationSource.TEXT or _near(o, d))
            and not _apart(o, d)
            and (not dated or dates_compatible(o.date, d.date, slack=1))
        ):
            return i
    return None


def _announced(h: Draft, out: Sequence[Draft]) -> int | None:
    """Where in ``out`` is the story's event that the headline draft ``h`` announces: one of
    its family, at a place that agrees with the headline's (when it names one), on a date that
    agrees, with a toll of the same size; the closest such (same toll, same type), the first
    of equals."""
    best, rank = None, None
    for i, o in enumerate(out):
        if _family(o) != _family(h) or not dates_compatible(o.date, h.date, slack=1):
            continue
        if h.location_source == LocationSource.TEXT and o.place is not None and not _near(o, h):
            continue
        if h.toll and o.toll and not _tolls_alike(h.toll.best, o.toll.best):
            continue
        here = (
            bool(h.toll and o.toll and h.toll.best == o.toll.best),
            not o.clause.earlier,  # a headline tells the news, not what happened before it
            o.event_type == h.event_type,
        )
        if rank is None or here > rank:
            best, rank = i, here
    return best


def _tolls_alike(a: int, b: int) -> bool:
    """Two counts of one toll: a headline rounds, a story updates; not tenfold apart."""
    low, high = sorted((a, b))
    return low == high or (low > 0 and high <= 4 * low)


def _finer_date(d: Draft, twin: Draft) -> bool:
    """``d`` gives a more precise date than ``twin``."""
    return bool(d.date) and (
        twin.date is None
        or _PRECISION_RANK[d.date.precision] < _PRECISION_RANK[twin.date.precision]
    )


def _announcing(o: Draft, h: Draft) -> Draft:
    """The story's event ``o`` with what its headline ``h`` adds: a toll or a date the story
    does not give, and the actors it names. The story's own place, type, toll and date stand:
    a headline rounds and sums."""
    told_toll = o.toll is not None
    # A headline dated by the week of publication is nearer than a story's event dated only by
    # the month of a related one, not than a month the story gives ("earlier this month").
    dated = _finer_date(h, o) and (h.date_note is None or o.date_note is not None)
    return replace(
        o,
        merged=o.merged + 1,
        toll=o.toll if told_toll else h.toll,
        victim_groups=o.victim_groups if told_toll else h.victim_groups,
        date=h.date if dated else o.date,
        date_note=h.date_note if dated else o.date_note,
        actors=tuple(dict.fromkeys([*o.actors, *h.actors])),
        injured=o.injured if o.injured is not None else h.injured,
    )


def _merged(twin: Draft, d: Draft) -> Draft:
    """``twin`` told again by ``d``: what ``d`` knows better, added to it."""
    twin = replace(
        twin,
        merged=twin.merged + 1,
        last_sentence=max(twin.last_sentence, d.sentence),
    )
    twin = _merged_toll(twin, d)
    # A mention placed by the event it continues still gives that event's day when the text
    # gives it ("the airstrike, carried out on Friday evening, …"); a date the text does not
    # give (the week of publication) never replaces one it gives ("earlier this month").
    told = d.date_note is None
    own_date = told or (twin.date_note is not None and d.location_source != LocationSource.CHAIN)
    if own_date and _finer_date(d, twin):
        twin = replace(twin, date=d.date, date_note=d.date_note)
    twin = _merged_place(twin, d)
    killed = twin.toll is not None and twin.toll.best > 0
    if (
        twin.sub_event_type in _GENERIC_SUBTYPES
        and d.sub_event_type not in _GENERIC_SUBTYPES
        and d.event_type in (twin.event_type, EventType.EXPLOSIONS)
        # people killed make it an attack, whoever was also abducted
        and not (killed and d.sub_event_type == _ABDUCTION)
    ):
        # "an attack … killed 12" then "a rocket struck the house": the weapon names the type.
        twin = replace(twin, event_type=d.event_type, sub_event_type=d.sub_event_type)
    if twin.event_type == EventType.PROTESTS and d.trigger.event_type == EventType.RIOTS:
        # "protesters marched …" then "they threw stones": the protest turned violent
        twin = replace(twin, event_type=d.event_type, sub_event_type=d.sub_event_type)
    return replace(
        twin,
        actors=tuple(dict.fromkeys([*twin.actors, *d.actors])),
        injured=twin.injured or d.injured,
    )


def _merged_place(twin: Draft, d: Draft) -> Draft:
    """The finer of the two places: a place named for ``d`` that is finer than the twin's, or
    held by it, or any the text names for it when the twin's was the article's; a village the
    gazetteer lacks, named for ``d`` within the twin's place."""
    if (
        d.place is not None
        and d.location_source == LocationSource.TEXT
        and twin.place is not None
        and (
            d.place.geo_precision < twin.place.geo_precision
            or (d.place != twin.place and holds(twin.place, d.place))
            # the twin's place was only the article's: the text now names one for it
            or (twin.location_source not in _OWN_PLACE and not twin.unknown_name)
        )
    ):
        twin = replace(
            twin,
            place=d.place,
            place_name=d.place_name,
            place_span=d.place_span,
            location_source=LocationSource.TEXT,
            notes=tuple(n for n in twin.notes if "country level" not in n),
        )
    if d.unknown_name and not twin.unknown_name and holds(twin.place, d.place):
        twin = replace(
            twin,
            unknown_name=d.unknown_name,
            unknown_span=d.unknown_span,
            place=d.place,
            place_name=d.place_name,
            place_span=d.place_span,
        )
    return twin


def _merged_toll(twin: Draft, d: Draft) -> Draft:
    """Two reports of one event's toll: the later count updates the earlier, except that counts
    of different people in different sentences ("four soldiers were killed" … "three attackers
    had been killed") add up, as ACLED counts everyone killed in the event."""
    if d.toll is None:
        return twin
    if twin.toll is None:
        return replace(twin, toll=d.toll, victim_groups=d.victim_groups)
    if d.toll.vague and not twin.toll.vague:
        return twin  # "thousands" said of the group never replaces a count of this event
    if (
        d.sentence != twin.sentence
        and twin.victim_groups
        and d.victim_groups
        and not twin.victim_groups & d.victim_groups
    ):
        return replace(
            twin,
            toll=twin.toll.plus(d.toll),
            victim_groups=twin.victim_groups | d.victim_groups,
            notes=(*(n for n in twin.notes if n != _TOLLS_ADD_UP), _TOLLS_ADD_UP),
        )
    if d.toll.best > twin.toll.best:
        return replace(twin, toll=d.toll, victim_groups=d.victim_groups)
    return twin
