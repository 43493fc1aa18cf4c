"""Records that flow between the stages (Article → Mention → Place → Event) and the
categories they carry.

Frozen dataclasses only; no behaviour beyond small derived values. Categories are StrEnums, so
the values the docs list are the values the code makes (and each compares equal to its string).
Coordinates are always (lat, lon) here; the swap to GeoJSON's (lon, lat) happens in
``mapper.output.export.frame_from_values`` and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, make_dataclass
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import TypeVar

__all__ = [
    "EVENT_TYPES",
    "PRECISION_LEVEL",
    "RECORD_FIELDS",
    "Article",
    "DatePrecision",
    "DateValue",
    "Event",
    "EventType",
    "LocationSource",
    "Mention",
    "MentionKind",
    "Place",
    "Precision",
    "Problem",
    "Total",
    "quick_constructor",
]


class EventType(StrEnum):
    """ACLED's six event types."""

    BATTLES = "Battles"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    STRATEGIC = "Strategic developments"


EVENT_TYPES = tuple(EventType)


class Precision(StrEnum):
    """What a gazetteer place is: a place, a district (admin2), a province (admin1), a country."""

    PLACE = "place"
    ADMIN2 = "admin2"
    ADMIN1 = "admin1"
    COUNTRY = "country"


# Place kind → ACLED-style geo_precision (1 place, 2 district, 3 province/region).
# Country-level is 4: ACLED has no such code, and we refuse to pass a country off as a region.
PRECISION_LEVEL = {
    Precision.PLACE: 1,
    Precision.ADMIN2: 2,
    Precision.ADMIN1: 3,
    Precision.COUNTRY: 4,
}


class MentionKind(StrEnum):
    """What a mention of a place is."""

    NAME = "name"  # a place's name
    DEMONYM = "demonym"  # a country's adjective or people ("Pakistani")
    UNKNOWN = "unknown"  # a name in a place's position that the gazetteer does not know
    CONTEXT = "context"  # a given span the gazetteer lacks, placed at the nearest place named


class LocationSource(StrEnum):
    """Where an event's place comes from."""

    TEXT = "text"  # named for the event
    CHAIN = "chain"  # the place of the event it continues
    SENTENCE = "sentence"  # the place its sentence names for another event
    ARTICLE = "article"  # no place named: the town or district the article keeps coming back to
    COUNTRY = "country"  # no place named: the article's country
    BORDER = "border"  # put on the line two countries share


class DatePrecision(StrEnum):
    """How precise a date is (``event_date`` keeps only what it knows: 2025, 2025-10)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from disk (or from a JSON line)."""

    id: str
    text: str
    path: str = ""
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    dateline: str | None = None
    warnings: tuple[str, ...] = ()  # read, but with a caveat (an encoding fallback)

    @staticmethod
    def content_id(text: str) -> str:
        """Stable id: the first 16 hex digits of the SHA-256 of the text."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be used (or, ``skipped=False``, was used with a caveat): its
    path (with the line or entry of a batch) and why, as the build report lists it."""

    path: str
    reason: str
    skipped: bool = True


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry."""

    name: str
    lat: float
    lon: float
    country: str
    precision: Precision
    admin1: str | None = None
    admin2: str | None = None
    feature: str | None = None  # GeoNames feature class.code, e.g. "P.PPL", "A.ADM2"
    population: int = 0
    geonameid: int | None = None
    source: str = ""
    # Where an event known only to this area is put: ACLED uses a province's capital. None when
    # it is the place's own point.
    seat_lat: float | None = None
    seat_lon: float | None = None

    @property
    def geo_precision(self) -> int:
        """ACLED-style precision: 1 place, 2 district, 3 province, 4 country."""
        return PRECISION_LEVEL[self.precision]

    def to_record(self) -> dict:
        """The place as a plain dict, in the order of the CLI's candidate records."""
        return {
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "feature": self.feature,
            "population": self.population,
            "precision": self.precision,
            "geonameid": self.geonameid,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a text, with its resolution (if any)."""

    text: str
    start: int
    end: int
    kind: MentionKind = MentionKind.NAME
    hint: str | None = None  # a type word seen with the name: "district", "province" …
    place: Place | None = None
    score: float = 0.0
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date with its precision."""

    date: dt.date
    precision: DatePrecision

    def iso(self) -> str:
        """The date as ISO text to its precision: "2025", "2025-10" or "2025-10-09"."""
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


@dataclass(frozen=True, slots=True)
class Event:
    """One event, ACLED field names where ACLED has one."""

    article_id: str
    event_type: str
    sub_event_type: str
    evidence: str
    start: int
    end: int
    event_date: str | None = None
    date_precision: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injured: int | None = None
    location: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: int | None = None
    location_source: LocationSource | None = None
    source: str | None = None
    source_url: str | None = None
    confidence: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Other articles that reported the same event: (article id, source, url).
    also_reported: tuple[tuple[str, str | None, str | None], ...] = field(default_factory=tuple)
    # Where the evidence names the event's place and its toll (offsets into the article, within
    # start:end), so that the map marks them from data; None where it does not name them.
    place_start: int | None = None
    place_end: int | None = None
    toll_start: int | None = None
    toll_end: int | None = None

    @property
    def event_id(self) -> str:
        """Stable hash of what identifies the event within its article."""
        return _event_id(
            self.article_id,
            self.event_type,
            self.sub_event_type,
            self.start,
            self.end,
            self.location,
            self.event_date,
        )

    @classmethod
    def from_record(cls, record: dict) -> Event:
        """The Event a ``to_record`` dict describes (the event store keeps them so)."""
        data = {name: record.get(name) for name in _EVENT_FIELDS}
        data["notes"] = tuple(n for n in (record.get("notes") or "").split("; ") if n)
        # (each as an object, or as [article_id, source, source_url]: ``stored_values``)
        data["also_reported"] = tuple(
            (r["article_id"], r.get("source"), r.get("source_url"))
            if isinstance(r, dict)
            else tuple(r)
            for r in record.get("also_reported") or []
        )
        data["confidence"] = record.get("confidence") or 0.0
        return cls(**data)

    def to_record(self) -> dict:
        """The event as a flat dict in the order of the mission's event record."""
        return dict(zip(RECORD_FIELDS, self.record_values(), strict=True))

    def record_values(self) -> list:
        """The values of ``to_record``, in ``RECORD_FIELDS`` order, without making the dict
        (a map of a hundred thousand events builds its table from these)."""
        values = [self.event_id, *_EVENT_VALUES(self)]
        values[_NOTES] = "; ".join(self.notes)
        values[_ALSO_REPORTED] = [
            {"article_id": a, "source": s, "source_url": u} for a, s, u in self.also_reported
        ]
        return values


@dataclass(frozen=True, slots=True)
class Total:
    """A toll an article gives as the sum of incidents it lists: kept for the report, not drawn.

    ``cue`` is what the text says that makes it a total ("in two raids"); ``parts`` are the
    events it covers, each as (fatalities, location, evidence); a part's fatalities are None
    when the text gives only the total ("blasts in A, B and C … the blasts killed nine").
    """

    article_id: str
    fatalities: int
    evidence: str
    start: int
    end: int
    cue: str
    parts: tuple[tuple[int | None, str | None, str], ...]

    def to_record(self) -> dict:
        """The total as a plain dict (the ``totals`` of ``mapper extract``)."""
        return {
            "fatalities": self.fatalities,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "cue": self.cue,
            "parts": [
                {"fatalities": n, "location": where, "evidence": text}
                for n, where, text in self.parts
            ],
        }

    @classmethod
    def from_record(cls, record: dict, *, article_id: str) -> Total:
        """The Total a ``to_record`` dict describes."""
        return cls(
            article_id=article_id,
            fatalities=record["fatalities"],
            evidence=record["evidence"],
            start=record["start"],
            end=record["end"],
            cue=record["cue"],
            parts=tuple((p["fatalities"], p["location"], p["evidence"]) for p in record["parts"]),
        )


_EVENT_FIELDS = tuple(f.name for f in fields(Event))
_EVENT_VALUES = attrgetter(*_EVENT_FIELDS)
# The keys of an event's record, in order: its id, then its fields.
RECORD_FIELDS = ("event_id", *_EVENT_FIELDS)
_NOTES = RECORD_FIELDS.index("notes")
_ALSO_REPORTED = RECORD_FIELDS.index("also_reported")


@lru_cache(maxsize=1_000_000)
def _event_id(*parts: object) -> str:
    key = "|".join(str(v) for v in parts)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


_R = TypeVar("_R")


def quick_constructor(cls: type[_R]) -> Callable[..., _R]:
    """A constructor for a frozen slotted dataclass, for code that builds very many of them.

    A frozen class's ``__init__`` sets each field through ``object.__setattr__``, a call per
    field: a 13-field Place takes four times as long to build as its unfrozen twin. This
    builds the twin (same fields, defaults and slots), then makes it an instance of ``cls``,
    which Python allows between classes of the same slot layout; the result is what
    ``cls(...)`` returns, frozen from then on.
    """
    if "__slots__" not in vars(cls) or hasattr(cls, "__post_init__"):
        # Another layout cannot be taken on; a check in __post_init__ would be skipped.
        raise TypeError(
            f"expected a slotted dataclass without __post_init__, got {cls.__qualname__}"
        )
    specs = []
    for f in fields(cls):
        if f.default is not MISSING:
            specs.append((f.name, f.type, field(default=f.default)))
        elif f.default_factory is not MISSING:
            specs.append((f.name, f.type, field(default_factory=f.default_factory)))
        else:
            specs.append((f.name, f.type))
    twin = make_dataclass(f"_Unfrozen{cls.__name__}", specs, slots=True, eq=False, repr=False)

    def build(*args: object, **kwargs: object) -> _R:
        made = twin(*args, **kwargs)
        made.__class__ = cls
        return made  # type: ignore[return-value]

    return build
