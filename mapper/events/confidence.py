"""How likely an event is an event of the text, at the place and on the date drawn: a
logistic model over what the decision rested on (where the place came from and how fine it
is, whether the clause gives a toll and a date of its own, whether the story tells it more
than once, …), its weights fitted on the development stories by ``bench/fit_confidence.py``
and kept in ``rules/confidence.tsv``; no weight here is set by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache

from ..doc import Doc
from ..rules import table
from ..types import DatePrecision, EventType, LocationSource
from .draft import Draft

__all__ = ["FEATURES", "confidence", "features"]

# The features, in the order of the weights table; each is 0 or 1 but the bias.
FEATURES = (
    "bias",
    "place_text",
    "place_chain",
    "place_sentence",
    "place_article",
    "place_country",
    "place_town",
    "place_district",
    "place_province",
    "village_unknown",
    "toll_exact",
    "toll_vague",
    "date_own_day",
    "date_own_coarse",
    "date_borrowed",
    "date_week_of_publication",
    "told_again",
    "in_lead",
    "strong_trigger",
    "actors_named",
    "strategic",
    "demonstration",
)


def features(d: Draft, doc: Doc) -> dict[str, float]:
    """What the decision about ``d`` rested on, as the model's 0/1 features."""
    source = d.location_source
    level = d.place.geo_precision if d.place is not None else 0
    date = d.date
    own_date = date is not None and d.date_note is None
    return {
        "bias": 1.0,
        "place_text": float(source == LocationSource.TEXT),
        "place_chain": float(source == LocationSource.CHAIN),
        "place_sentence": float(source == LocationSource.SENTENCE),
        "place_article": float(source == LocationSource.ARTICLE),
        "place_country": float(source in (LocationSource.COUNTRY, None)),
        "place_town": float(level == 1),
        "place_district": float(level == 2),
        "place_province": float(level == 3),
        "village_unknown": float(bool(d.unknown_name)),
        "toll_exact": float(d.toll is not None and not d.toll.vague),
        "toll_vague": float(d.toll is not None and d.toll.vague),
        "date_own_day": float(own_date and date.precision == DatePrecision.DAY),
        "date_own_coarse": float(own_date and date.precision != DatePrecision.DAY),
        "date_borrowed": float(
            date is not None and d.date_note is not None and date.precision != DatePrecision.WEEK
        ),
        "date_week_of_publication": float(
            date is not None and date.precision == DatePrecision.WEEK
        ),
        "told_again": float(d.merged > 0),
        "in_lead": float(d.sentence <= 2 or doc.in_headline(d.sentence)),
        "strong_trigger": float(d.trigger.strong),
        "actors_named": float(bool(d.actors)),
        "strategic": float(d.event_type == EventType.STRATEGIC),
        "demonstration": float(d.event_type in (EventType.PROTESTS, EventType.RIOTS)),
    }


@cache
def _weights() -> dict[str, float]:
    return {row["feature"]: float(row["weight"]) for row in table("confidence.tsv")}


def confidence(values: Mapping[str, float]) -> float:
    """The model's probability that the event is one of the text, rounded to 0.01."""
    weights = _weights()
    score = sum(weights.get(name, 0.0) * value for name, value in values.items())
    return round(1.0 / (1.0 + math.exp(-score)), 2)
