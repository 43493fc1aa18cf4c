"""Where an event happened: a place its clause introduces with a locative word ("in", "near",
"the village of"), not every place named near it ("Kabul accused Islamabad …"); else a place of
the sentence's other clauses; else the place of the event it continues; else the town the
article keeps coming back to; else the article's country, the precision saying so. A finer
name the gazetteer lacks ("the Sarkano area") is kept as the event's location; a province or
country is refined to the town named for it in the sentences that follow.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..agree import holds
from ..doc import Doc
from ..rules import patterns
from ..text.segment import linked
from ..types import LocationSource, Mention, Place, Precision
from .draft import Draft
from .kind import recent
from .within import dates_compatible

__all__ = ["Setting", "finer_unknown", "place_of", "refine", "setting"]

_RULES = patterns("events.tsv")


@dataclass(frozen=True, slots=True)
class Setting:
    """What the article as a whole says about where its events are."""

    focus: Place | None  # the country the article is about
    main: Place | None  # the town or district it keeps coming back to
    # The province it names most when it names no country (local news that says "Gulbano
    # State", never the country).
    region: Place | None = None


def setting(doc: Doc) -> Setting:
    """The article's country (the one its names point to most) and the town or district it
    names three times or more in that country, a name in the headline counting twice (a
    headline names where its story happened: "X bomb attack leaves 45 dead")."""
    weights: Counter[str] = Counter()
    first: dict[str, Place] = {}
    for m in doc.mentions:
        if m.place is None:
            continue
        weights[m.place.country] += 1
        if m.place.precision == Precision.COUNTRY:
            first.setdefault(m.place.country, m.place)
    focus = next((first[cc] for cc, _ in weights.most_common() if cc in first), None)
    counts: Counter[Place] = Counter()
    lead = _lead(doc)
    for m in doc.places:
        if m.place.precision in (Precision.PLACE, Precision.ADMIN2) and (
            focus is None or m.place.country == focus.country
        ):
            counts[m.place] += _HEADLINE_WEIGHT if m.start < doc.headline else 1
            if lead[0] <= m.start < lead[1] and _locative(doc.text, lead[0], m):
                counts[m.place] += _LEAD_WEIGHT
    main = None
    if counts:
        place, n = counts.most_common(1)[0]
        main = place if n >= 3 else None
    region = None
    if focus is None and weights:
        country = weights.most_common(1)[0][0]
        provinces = Counter(
            m.place
            for m in doc.places
            if m.place.precision == Precision.ADMIN1 and m.place.country == country
        )
        region = provinces.most_common(1)[0][0] if provinces else None
    return Setting(focus, main, region)


_HEADLINE_WEIGHT = 2
# The story's first sentence says where it happened ("… attacked a port complex in Tanbo on
# Wednesday"): a town it names as a place of what happened is the story's town.
_LEAD_WEIGHT = 2


def _lead(doc: Doc) -> tuple[int, int]:
    """Where the first sentence after the headline starts and ends."""
    for s, e in doc.sentences:
        if s >= doc.headline:
            return s, e
    return 0, 0


# A sea or river named before a settlement word names where the settlement lies.
_WATER_QUALIFIES = re.compile(r"\s+(?:port|coastal|harbou?r|city|town|village|island)\b", re.I)
# How far before a place its locative words may start ("just beyond the edge of the district
# town of Sibi").
_LOCATIVE_REACH = 60


def _elsewhere(text: str, clause_start: int, mention: Mention) -> bool:
    """The words before the place make it somewhere other than the event's place."""
    wider = text[max(clause_start, mention.start - 60) : mention.start]
    return bool(
        # "fled into Chaman", "crossed the border into Iran", "were returning from a wedding in X":
        # where people went or came from
        _RULES["destination"].search(wider)
        # "speaking to reporters in Kabul": where someone spoke
        or _RULES["speech_frame"].search(wider)
        # "425 km northwest of Kabul": a bearing taken from far away
        or _RULES["far_reference"].search(wider)
        # "a commander who was trained in Iran": the person's past, not the event
        or _RULES["biography"].search(wider)
        # "a security official in Gulbano told …": where the speaker is
        or (_RULES["speaker_in"].search(wider) and _RULES["speech_after"].match(text, mention.end))
    )


# "the outskirts of al-Miqdadiyah": an Arabic article the name was found without.
_ARTICLE_BEFORE = re.compile(r"\b(?:al|el|ad|ar|as|ash|at|az|an|ul|ud)-$", re.I)


def _locative(text: str, clause_start: int, mention: Mention) -> bool:
    before = text[max(clause_start, mention.start - _LOCATIVE_REACH) : mention.start]
    before = _ARTICLE_BEFORE.sub("", before)
    if mention.place.feature.startswith("H.") and _WATER_QUALIFIES.match(text, mention.end):
        return False  # "the Arabian Sea port city": a port on the sea, not the sea
    if _elsewhere(text, clause_start, mention):
        return False
    if _RULES["relative_where"].match(text, mention.end):
        return True  # "shares a border with Dogo, where 39 were killed"
    return bool(_RULES["locative"].search(before))


# How far before the comma the place a bearing is apposed to may start.
_APPOSED_REACH = 60


def _not_references(mentions: list[Mention], doc: Doc, clause_start: int) -> list[Mention]:
    """The places less those a bearing in apposition takes from a place just named ("in
    Sarkano province, south of Gulbano": Gulbano only says where the province lies)."""
    out = []
    for m in mentions:
        bearing = _RULES["apposed_bearing"].search(
            doc.text, max(clause_start, m.start - 80), m.start
        )
        if bearing is not None:
            comma = bearing.start()
            before = doc.text[max(clause_start, comma - 30) : comma]
            # the place it is apposed to: a name, or a name and its type word ("X province")
            reach = 1 + len(_trailing_type(before))
            named = doc.places.within(max(0, comma - _APPOSED_REACH), comma)
            if any(0 <= comma - n.end <= reach for n in named):
                continue
        out.append(m)
    return out


def _trailing_type(text: str) -> str:
    m = re.search(
        r"\s+(?:province|district|state|region|county|town|city|village|area)$", text, re.I
    )
    return m.group() if m else ""


def _finest(mentions: list[Mention]) -> Mention | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: (m.place.geo_precision, m.start))


def place_of(
    draft: Draft,
    doc: Doc,
    sentence_drafts: Sequence[Draft],
    earlier: Sequence[Draft],
    where: Setting,
) -> Draft:
    """``draft`` placed (``sentence_drafts``: the drafts its sentence's clauses gave)."""
    c = draft.clause
    here = _not_references(
        [m for m in doc.places.within(c.start, c.end) if _locative(doc.text, c.start, m)],
        doc,
        c.start,
    )
    if not here:
        # Places of the sentence's other clauses, unless a temporal word separates them ("talks
        # in Qatar after border clashes" does not put the clashes in Qatar).
        idle = [
            o
            for o in linked(c, doc.clauses[draft.sentence])
            if o is not c and all(d.clause is not o for d in sentence_drafts)
        ]
        here = [
            m
            for o in idle
            for m in doc.places.within(o.start, o.end)
            if _locative(doc.text, c.start if m.start >= c.start else 0, m)
        ]
    # "was hiding in X, where he was killed": the place a relative "where" tells of.
    where_told = [m for m in here if _RULES["relative_where"].match(doc.text, m.end)]
    best = _finest(where_told or here)
    if (
        best is not None
        and best.place.precision == Precision.COUNTRY
        and where.main is not None
        and where.main.country == best.place.country
        and _ITS_TOWN.match(doc.text, best.end)
    ):
        # "in Gulbaria's main port city": the country's town the story is about
        return _fallback(
            draft,
            where.main,
            LocationSource.ARTICLE,
            f"a town of {best.text} the text does not name: placed at {where.main.name}, the"
            " place the article is about",
        )
    if best is not None:
        return _named_at(draft, best, draft.notes)
    # A village the gazetteer lacks ("they attacked Tungari village") lies near the town the
    # story has just named, whatever happened there.
    village = bool(doc.unknown.within(c.start, c.end))
    chained = next(
        (
            d
            for d in recent(earlier, draft.sentence, within=2)
            if (
                (d.event_type, d.sub_event_type) == (draft.event_type, draft.sub_event_type)
                or (village and d.violent == draft.violent)
            )
            and d.location_source == LocationSource.TEXT
        ),
        None,
    )
    if chained is not None:
        return replace(
            draft,
            place=chained.place,
            place_name=chained.place_name,
            location_source=LocationSource.CHAIN,
            chained_to=chained.key,
        )
    # "a car bomb hit a market in Hangu after gunmen raided a checkpoint": the
    # place another event of the sentence is named at, unless a temporal word separates them.
    together = linked(c, doc.clauses[draft.sentence])
    lender = next(
        (
            d
            for d in recent(earlier, draft.sentence, within=0)
            if d.location_source == LocationSource.TEXT and d.clause in together
        ),
        None,
    )
    if lender is not None:
        return replace(
            draft,
            place=lender.place,
            place_name=lender.place_name,
            location_source=LocationSource.SENTENCE,
        )
    # The place the article is about, unless the clause puts the event in another country
    # ("the Lebanese border village of X" in a story about a town in Israel).
    home = where.main or where.region
    abroad = home is not None and any(
        m.place.country != home.country and not _BACKER.match(doc.text, m.end)
        for m in doc.countries.within(c.start, c.end)
    )
    if (
        where.main is not None
        and not abroad
        and not _told_apart(draft, doc, where.main, sentence_drafts)
    ):
        return _fallback(
            draft,
            where.main,
            LocationSource.ARTICLE,
            f"no place named for this event: placed at {where.main.name}, the place the"
            " article is about",
        )
    if where.focus is not None:
        return _fallback(
            draft,
            where.focus,
            LocationSource.COUNTRY,
            "no place named for this event: located at country level",
        )
    if where.region is not None and not abroad:
        return _fallback(
            draft,
            where.region,
            LocationSource.ARTICLE,
            f"no known place named for this event: placed at {where.region.name}, the"
            " province the article is about",
        )
    return draft


# "Gulbaria's main port city", "the country's capital": a town of the country, unnamed.
_ITS_TOWN = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,3}?(?:city|town|port|capital|village)\b", re.I)
# "Ruritanian-backed forces", "a Kalaran-led coalition": a country that backs a side, not
# where the event is.
_BACKER = re.compile(r"-(?:backed|led|funded|supported|allied|sponsored|trained|armed)\b", re.I)


def _told_apart(draft: Draft, doc: Doc, place: Place, sentence_drafts: Sequence[Draft]) -> bool:
    """The sentence names ``place`` in a clause a temporal word sets apart from the event's,
    as the place of an event of another kind ("talks in Tashkent after border clashes")."""
    together = linked(draft.clause, doc.clauses[draft.sentence])
    others = [
        d.clause for d in sentence_drafts if d.clause not in together and d.violent != draft.violent
    ]
    s, e = doc.sentences[draft.sentence]
    return any(
        m.place == place and any(o.start <= m.start < o.end for o in others)
        for m in doc.places.within(s, e)
    )


def _fallback(draft: Draft, place: Place, source: LocationSource, note: str) -> Draft:
    """``draft`` placed where the article as a whole is, with a note that says so."""
    return replace(
        draft,
        place=place,
        place_name=place.name,
        location_source=source,
        notes=(*draft.notes, note),
    )


# A name that ends in the word for an area ("Tanbo Local Government", "Gulbano District").
_AREA_NAME = re.compile(
    r"\b(?:Local Government(?: Area)?|LGA|District|Province|State|County|Region|Division|"
    r"Municipality|Township|Territory|Tehsil|Governorate)$"
)


def finer_unknown(draft: Draft, doc: Doc) -> Draft:
    """Name the village or area of the clause that the gazetteer lacks ("in the Sarkano area
    of Khyber district"): the event keeps the known place's point, at district precision,
    or the country's when the clause names no known place, or of the place another sentence
    lends it."""
    if draft.place is None:
        return draft
    c = draft.clause
    inside = [m for m in doc.unknown.within(c.start, c.end) if not _elsewhere(doc.text, c.start, m)]
    if not inside:
        return draft
    # A name the text calls a village ("the village of X", "X Village") is finer than one
    # after a bare "in" or one of a district.
    called, after = _RULES["called_village"], _RULES["village_after"]
    name = min(
        inside,
        key=lambda m: (
            not (
                called.search(doc.text, max(0, m.start - 20), m.start)
                or after.match(doc.text, m.end)
            ),
            # "Sarkano in Tanbo Local Government": the area is the coarser name
            bool(_AREA_NAME.search(m.text)),
            abs(m.start - draft.trigger_start),
        ),
    )
    return replace(draft, unknown_name=name.text, unknown_span=(name.start, name.end))


# A lead names a region ("a train station in southwestern Pakistan"); the next sentences
# often name the town ("… from Quetta", "Quetta's train station"). How far to look:
_REFINE_SENTENCES = 2


def refine(draft: Draft, doc: Doc) -> Draft:
    """Move an event known only to a province or country to the town named just after it."""
    if (
        draft.place is None
        or draft.place.geo_precision < 3
        or draft.location_source in (LocationSource.CHAIN, LocationSource.SENTENCE)
    ):
        return draft
    spans, text = doc.sentences, doc.text
    # After the last sentence that told of it: "The raid happened just outside Sibi."
    last = min(max(draft.sentence, draft.last_sentence) + _REFINE_SENTENCES, len(spans) - 1)
    lo, hi = spans[draft.sentence][1], spans[last][1]
    # A sentence dated otherwise ("… in March 2019 in Tripoli") tells of another event, and one
    # of what usually happens ("they have staged many attacks in the capital") of none.
    other_time = [
        (s, e)
        for s, e in spans[draft.sentence + 1 : last + 1]
        if lo <= s < hi
        and (
            any(
                d.value and not d.reporting and not dates_compatible(d.value, draft.date, slack=3)
                for d in doc.dates.within(s, e)
            )
            or _RULES["habitual"].search(text, s, e)
        )
    ]
    near = [
        m
        for m in doc.places.within(lo, hi)
        if not any(s <= m.start < e for s, e in other_time)
        and m.place.geo_precision <= 2
        and holds(draft.place, m.place)
        and not _elsewhere(text, 0, m)
        and (
            _RULES["refine_possessive"].match(text, m.end)
            or _RULES["refine_at"].search(text[max(0, m.start - 40) : m.start])
            or _RULES["from_place"].search(text[max(0, m.start - 12) : m.start])
            or _locative(text, 0, m)
        )
    ]
    if not near:
        return draft
    counts = Counter(m.place for m in near)
    best = max(near, key=lambda m: (counts[m.place], -m.start))
    notes = [n for n in draft.notes if "country level" not in n]
    notes.append(f"placed at {best.text}, named in the sentences that follow")
    return _named_at(draft, best, tuple(notes))


def _named_at(draft: Draft, mention: Mention, notes: tuple[str, ...]) -> Draft:
    """``draft`` at the place the text names in ``mention``."""
    return replace(
        draft,
        place=mention.place,
        place_name=mention.text,
        place_span=(mention.start, mention.end),
        location_source=LocationSource.TEXT,
        notes=notes,
    )
