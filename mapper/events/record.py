"""A finished draft as an Event record: ACLED's fields, the evidence sentence with its offsets
(and those of the place and toll it names, so the map marks them from data), notes on how
each part was found, and a confidence."""

from __future__ import annotations

from ..doc import Doc
from ..rules import patterns
from ..types import Event, EventType, Place, Precision
from .confidence import confidence, features
from .draft import Draft

_UNHARMED = patterns("tolls.tsv")["unharmed"]

__all__ = ["event_point", "to_event"]


def event_point(place: Place) -> tuple[float, float]:
    """Where an event at this place is drawn: a province-level event at the province's seat
    (ACLED's convention), anything else at the place's own point."""
    if place.seat_lat is not None and place.seat_lon is not None:
        return place.seat_lat, place.seat_lon
    return place.lat, place.lon


def _sub_type(d: Draft) -> str:
    """ACLED's sub-event type: protesters killed or wounded met excessive force."""
    hurt = (d.toll is not None and d.toll.best > 0) or bool(d.injured)
    if d.event_type == EventType.PROTESTS and hurt:
        return "Excessive force against protesters"
    return d.sub_event_type


def to_event(d: Draft, doc: Doc) -> Event:
    """The Event ``d`` tells of."""
    s, e = doc.sentences[d.sentence]
    raw = doc.text[s:e]
    start = s + len(raw) - len(raw.lstrip())
    evidence = raw.strip()
    end = start + len(evidence)
    actor1, actor2 = _actors(d)
    place, toll = d.place, d.toll
    place_span = _inside(d.unknown_span if d.unknown_name else d.place_span, start, end)
    toll_span = _inside((toll.start, toll.end) if toll else None, start, end)
    none = None if toll else _none_killed(d, doc)
    return Event(
        article_id=doc.article.id,
        event_type=d.event_type,
        sub_event_type=_sub_type(d),
        evidence=evidence,
        start=start,
        end=end,
        event_date=d.date.iso() if d.date else None,
        date_precision=d.date.precision if d.date else None,
        actor1=actor1,
        actor2=actor2,
        fatalities=toll.best if toll else none,
        fatalities_low=toll.low if toll else none,
        fatalities_high=toll.high if toll else none,
        injured=d.injured,
        **_where(d, place),
        location_source=d.location_source,
        source=doc.article.source,
        source_url=doc.article.url,
        confidence=confidence(features(d, doc)),
        notes=_notes(d),
        place_start=place_span[0] if place_span else None,
        place_end=place_span[1] if place_span else None,
        toll_start=toll_span[0] if toll_span else None,
        toll_end=toll_span[1] if toll_span else None,
    )


# After the event's last mention, how many sentences may still tell that no one died ("The man
# was unhurt").
_UNHARMED_REACH = 2


def _none_killed(d: Draft, doc: Doc) -> int | None:
    """0 when the text tells of the event and of no deaths in it (ACLED's convention): a
    strategic development, a protest, or an attack the text says left no one hurt; None when
    the deaths are unknown. An attack told only with its wounded may have dead the story counts
    elsewhere ("two officers were injured" … "at least eight people were killed"): unknown."""
    if d.event_type in (EventType.STRATEGIC, EventType.PROTESTS):
        return 0
    last = min(max(d.sentence, d.last_sentence) + _UNHARMED_REACH, len(doc.sentences) - 1)
    lo, hi = doc.sentences[d.sentence][0], doc.sentences[last][1]
    return 0 if _UNHARMED.search(doc.text, lo, hi) else None


def _inside(span: tuple[int, int] | None, start: int, end: int) -> tuple[int, int] | None:
    """``span`` when the evidence ``[start, end)`` holds it (the map marks it there)."""
    return span if span is not None and start <= span[0] and span[1] <= end else None


def _actors(d: Draft) -> tuple[str | None, str | None]:
    """actor1 did it to actor2; a clause naming only its victims gives actor2 alone."""
    if not d.actors:
        return None, None
    if d.victim_first and len(d.actors) == 1:
        return None, d.actors[0]
    return d.actors[0], d.actors[1] if len(d.actors) > 1 else None


def _where(d: Draft, place: Place | None) -> dict:
    """The place fields; a village the gazetteer lacks is named, at its district's point and
    at least district precision."""
    if place is None:
        return dict.fromkeys(
            ("location", "admin1", "admin2", "country", "latitude", "longitude"), None
        ) | {"geo_precision": None, "geonameid": None}
    unknown = d.unknown_name
    lat, lon = event_point(place)
    return {
        "location": unknown or place.name,
        "admin1": place.name if place.precision == Precision.ADMIN1 and unknown else place.admin1,
        "admin2": place.name if place.precision == Precision.ADMIN2 and unknown else place.admin2,
        "country": place.country,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": max(2, place.geo_precision) if unknown else place.geo_precision,
        "geonameid": place.geonameid,
    }


def _notes(d: Draft) -> tuple[str, ...]:
    notes = list(d.notes)
    if d.unknown_name and d.place is not None:
        notes.append(f"{d.unknown_name} is not in the gazetteer: placed at {d.place.name}")
    if d.date_note:
        notes.append(d.date_note)
    if d.merged:
        notes.append(f"reported {d.merged + 1} times in the article")
    return tuple(notes)
