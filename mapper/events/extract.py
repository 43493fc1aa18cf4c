"""Events of one article: the stages over its Doc, in order.

Per sentence and clause: a clause that names an event gives a draft (``kind``); a clause with
only a killing verb lends its toll to its neighbour; each draft takes its date (``when``), its
place (``where``) and its actors (``actors``). Then tolls the text gives as totals of the
incidents it lists are set aside (``totals``), mentions of one event merge (``within``),
events known only to a region move to the town named after them, and each draft becomes an
Event (``record``); events "at the border" are put on the line two countries share.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..budget import check_budget
from ..doc import Doc, make_doc
from ..geoparse.borders import on_borders
from ..types import Article, Event, LocationSource, Mention, Total
from .actors import actors_of
from .draft import Draft
from .eventhood import anchored
from .kind import inherit_type, merge_weak, sentence_drafts
from .parts import by_place
from .record import to_event
from .totals import find_totals
from .when import date_of
from .where import finer_unknown, place_of, refine, setting
from .within import merge_twins, merge_within

__all__ = ["Extraction", "extract", "extract_doc", "finished"]


@dataclass(frozen=True, slots=True)
class Extraction:
    """Events of one article, plus the tolls it gives as totals of its events (not drawn)."""

    events: tuple[Event, ...]
    totals: tuple[Total, ...] = ()
    unknown: tuple[str, ...] = ()  # place names of the article the gazetteer does not know
    # Events the text names no place for (only the country the story is about, or nothing):
    # kept for the report, not drawn: a map cannot say where they were.
    unplaced: tuple[Event, ...] = ()


def extract(article: Article, mentions: Sequence[Mention]) -> Extraction:
    """Events reported in ``article``, given its place mentions (resolved, and the names in a
    place's position the gazetteer does not know)."""
    return extract_doc(make_doc(article, mentions))


def extract_doc(doc: Doc) -> Extraction:
    """Events reported in the article of ``doc``."""
    events, totals = finished(doc)
    return Extraction(
        tuple(e for e, _, placed in events if placed),
        tuple(totals),
        tuple(m.text for m in doc.unknown),
        tuple(e for e, _, placed in events if not placed),
    )


def finished(doc: Doc) -> tuple[list[tuple[Event, Draft, bool]], list[Total]]:
    """Each event of ``doc`` with the draft it was made from and whether the text places it,
    and the tolls set aside as totals (what ``extract_doc`` returns, and what fitting the
    confidence model reads)."""
    drafts = _drafts(doc)
    drafts, totals = find_totals(drafts, doc)
    drafts = merge_within(drafts, headline=doc.in_headline)
    done = []
    for d in drafts:
        check_budget()
        done.append(refine(d, doc))
    done = merge_twins(done, doc.text)
    events = on_borders([to_event(d, doc) for d in done])
    return [
        (e, d, _placed(d) or e.location_source == LocationSource.BORDER)
        for d, e in zip(done, events, strict=True)
    ], totals


def _placed(d: Draft) -> bool:
    """The text says where the event was: a place named for it (one the gazetteer lacks
    included), for the event it continues or for another event of its sentence; with a toll
    of its own, the town the story is about. The story's town or country alone places only an
    agreement (a ceasefire holds the whole area it is about)."""
    source = d.location_source
    if d.unknown_name or source in (
        LocationSource.TEXT,
        LocationSource.CHAIN,
        LocationSource.SENTENCE,
    ):
        return True
    if d.sub_event_type == "Agreement":
        return source in (LocationSource.ARTICLE, LocationSource.COUNTRY)
    if source == LocationSource.ARTICLE:
        return d.toll is not None and d.toll.best > 0
    return False


def _drafts(doc: Doc) -> list[Draft]:
    """Every event the sentences tell of, in text order, dated, placed, with its actors."""
    where = setting(doc)
    country_names = {m.place.country: m.place.name for m in doc.countries}
    keys = itertools.count()
    drafts: list[Draft] = []
    calm = False
    for index in range(len(doc.sentences)):
        check_budget()
        told, calm = sentence_drafts(doc, index, keys, calm=calm)
        for draft in merge_weak(told):
            draft = inherit_type(draft, drafts)
            date, note = date_of(draft, doc, drafts)
            draft = replace(draft, date=date, date_note=note)
            draft = place_of(draft, doc, told, drafts, where)
            if not anchored(draft, doc):
                continue
            draft = finer_unknown(draft, doc)
            drafts.extend(actors_of(d, doc, country_names) for d in by_place(draft, doc, keys))
    return drafts
