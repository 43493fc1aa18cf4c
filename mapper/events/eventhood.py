"""Is it an event? A clause that names one (``kind``) reports an event only when it asserts a
specific occurrence: not what usually happens, not a running total over a period, not a
statement about the future or what did not happen (those are left out at the trigger), not
talks merely mentioned (``anchored``).

A clause is specific when it gives an exact toll or a date of the event (a day or a month),
whatever background it carries ("a bomb killed six people at a bus station, the latest in a
string of attacks" is an attack; "the group often attacks convoys" is not). Words of
habit count only in the clause that holds the event word: a relative or background clause
("the gunmen, who often strike at night, …"; "…, which could end a month of fighting") does not
make its sentence habitual.
"""

from __future__ import annotations

import re

from ..doc import Doc
from ..rules import patterns
from ..text.segment import EVENT_NOUNS, own_stretch
from ..types import DatePrecision
from .draft import Draft

__all__ = ["anchored", "not_an_event", "specific"]

_RULES = patterns("events.tsv")
_SINGLED_OUT = re.compile(_RULES["singled_out"].pattern + "$", re.I)
_DATED = (DatePrecision.DAY, DatePrecision.MONTH)


# ", which was founded in the hills in 2011": a relative clause about a participant, whose
# date is its own, not the event's.
_RELATIVE = re.compile(r",\s+(?:which|who|whose)\b", re.I)
_EVENT_NOUN_BEFORE = re.compile(rf"\b(?:{EVENT_NOUNS}|clash(?:es)?|fighting)$", re.I)


def specific(draft: Draft, doc: Doc) -> bool:
    """The clause gives an exact toll, or a day or month the event happened on (not one of a
    relative clause about someone in it)."""
    if draft.toll is not None and not draft.toll.vague:
        return True
    c = draft.clause
    end = c.end
    for m in _RELATIVE.finditer(doc.text, draft.trigger_start, c.end):
        if not _EVENT_NOUN_BEFORE.search(doc.text, max(c.start, m.start() - 20), m.start()):
            end = m.start()
            break
    return any(
        d.value is not None and d.value.precision in _DATED and not d.reporting
        for d in doc.dates.within(c.start, end)
    )


def not_an_event(draft: Draft, doc: Doc) -> str | None:
    """Why the clause of ``draft`` reports no event, or None when it reports one."""
    c = draft.clause
    clause = doc.text[c.start : c.end]
    if _RULES["cumulative"].search(_own_part(draft, doc)):
        return "a running total over a period"
    # An agreement that ends "a war that has killed thousands" is still one event.
    spread = _RULES["spread"].search(clause) if draft.violent else None
    # "the worst episode in a day of violence": the event singled out of the spread of them.
    if spread and not _SINGLED_OUT.search(clause, 0, spread.start()):
        return "spread over days or places, not one event"
    if _RULES["habitual"].search(clause) and not specific(draft, doc):
        return "what usually happens, not one event"
    if _year_tally(draft, doc):
        return "a year's toll that names no event and no place: a statistic"
    return None


def _year_tally(draft: Draft, doc: Doc) -> bool:
    """ "In 2022, at least 403 were slain": a toll dated only by its year, told with a verb of
    killing alone (no attack, no bombing) and at no place, counts a year, not an event."""
    c = draft.clause
    dates = [d for d in doc.dates.within(c.start, c.end) if d.value is not None and not d.reporting]
    return (
        not draft.trigger.strong
        and bool(dates)
        and all(d.value.precision == DatePrecision.YEAR for d in dates)
        and not doc.places.within(c.start, c.end)
        and not doc.unknown.within(c.start, c.end)
    )


def _own_part(draft: Draft, doc: Doc) -> str:
    """The part of the draft's sentence its event word stands in (``own_stretch``)."""
    s, e = doc.sentences[draft.sentence]
    start, end = own_stretch(doc.text, s, e, draft.trigger_start)
    return doc.text[start:end]


def anchored(draft: Draft, doc: Doc) -> bool:
    """A strategic development (talks, an agreement, arrests) is one when the words that name
    it say when or where it happened: "talks in Istanbul over the weekend", "Tuesday's talks",
    "brokered a ceasefire on Oct. 19". Talks only mentioned ("the head of the team in the
    peace talks urged …") are the story's background. Violence needs no such anchor (its
    toll, or its words, say it happened)."""
    if draft.violent:
        return True
    text = doc.text
    end = draft.trigger_start + len(draft.trigger.pattern.match(text, draft.trigger_start)[0])
    after = _ANCHOR_AFTER.match(text, end)
    window = [(max(draft.clause.start, draft.trigger_start - 25), draft.trigger_start)]
    if _DAY_OF.search(text, max(0, draft.trigger_start - 40), draft.trigger_start):
        # "on Monday, the second day of a truce": the day the sentence names
        window.append((doc.sentences[draft.sentence][0], draft.trigger_start))
    if after:
        window.append((end, min(draft.clause.end, after.end() + 60)))
    elif draft.sub_event_type == "Arrests":
        # "arrested three men in Tarnak": the place follows the people arrested.
        window.append((end, min(draft.clause.end, end + 80)))
    for lo, hi in window:
        dated = any(d.value is not None and not d.reporting for d in doc.dates.within(lo, hi))
        if dated or doc.places.within(lo, hi) or doc.unknown.within(lo, hi):
            return True
    return False


# "the first day of a ceasefire", "the last day of talks": the day is the development's.
_DAY_OF = re.compile(
    r"\b(?:first|second|third|last|final|opening)\s+(?:full\s+)?day\s+of\s+(?:an?|the)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)
# What follows the name of a meeting or a deal when the text says where or when it was.
_ANCHOR_AFTER = re.compile(
    r"\s+(?:(?:was|were|had been|have been)\s+)?(?:held\s+|signed\s+|reached\s+|agreed\s+|"
    r"brokered\s+|between\s+[^.,;]{1,60}?\s+)?(?:in|at|on|over|last|this|early|late)\b",
    re.I,
)
