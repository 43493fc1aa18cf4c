"""When an event happened: the date its clause gives (resolved against the publication date
by ``mapper.text.dates``), else its sentence's, else one counted from another event ("a day
after"), else the month of a related event, else the week of publication, each with a note
that says which.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..doc import Doc
from ..rules import patterns
from ..text.dates import DateMention
from ..text.segment import Clause, linked, own_stretch
from ..types import DatePrecision, DateValue
from .draft import Draft
from .kind import recent

__all__ = ["date_of"]

_LATER_VERB = patterns("events.tsv")["later_verb"]
_CONTINUING = patterns("dates.tsv")["continuing"]
_COARSE = (DatePrecision.MONTH, DatePrecision.YEAR)


def date_of(
    draft: Draft, doc: Doc, earlier: Sequence[Draft]
) -> tuple[DateValue | None, str | None]:
    """The date of ``draft`` and a note on how it was found (None when the text gives it)."""
    c = draft.clause
    group = doc.clauses[draft.sentence]
    own = _of_night(c, [d for d in doc.dates.within(c.start, c.end) if not d.reporting and d.value])
    own = _before_relative(doc.text, draft.trigger_start, c.end, own)
    counted = _dated_by_gap(draft, doc, earlier, own=bool(own))
    if counted is not None:
        return counted
    if not own:
        # The sentence's other clauses lend their date unless a temporal word separates them.
        own = _of_night(c, _dated(doc, linked(c, group)))
        own = _before_relative(doc.text, draft.trigger_start, c.end, own)
    if own:
        nearest = min(own, key=lambda d: abs(d.start - draft.trigger_start))
        return _speech_day(doc, nearest, group[0].start) or nearest.value, None
    # "clashes that killed dozens, before a ceasefire on Oct. 19": near that date, not on it.
    across = _before_relative(doc.text, draft.trigger_start, c.end, _dated(doc, group))
    if across:
        value = min(across, key=lambda d: abs(d.start - draft.trigger_start)).value
        return _month_of(value), "date approximated from a related event in the same sentence"
    stated = _stated_day(doc, draft.sentence)
    if stated is not None:
        return stated, None
    chained = next((d for d in recent(earlier, draft.sentence, within=2) if d.date), None)
    if chained is not None:
        if chained.sentence == draft.sentence - 1 and _CONTINUING.match(
            doc.sentence(draft.sentence)
        ):
            return chained.date, "date of the event the sentence goes on from"
        return _month_of(chained.date), "date taken from the preceding event"
    unresolved = [
        d for d in doc.dates.within(c.start, c.end) if d.value is None and d.offset is None
    ]
    if unresolved:
        return None, f"date {unresolved[0].text!r} needs a publication date"
    published = doc.article.published
    if published is not None:
        return DateValue(
            published, DatePrecision.WEEK
        ), "no date in the text: the week of publication"
    return None, "no date in the text and no publication date"


# "The killings took place on Sunday, March 9.": a sentence that only dates the events told
# around it.
_DATE_STATEMENT = patterns("dates.tsv")["statement"]
# How far before and after the event such a sentence may stand.
_STATEMENT_BEFORE, _STATEMENT_AFTER = 3, 1


def _stated_day(doc: Doc, index: int) -> DateValue | None:
    """The date a nearby sentence gives the story's events ("The attacks took place on
    Friday"), if one does."""
    lo = max(0, index - _STATEMENT_BEFORE)
    hi = min(len(doc.sentences), index + _STATEMENT_AFTER + 1)
    for k in range(lo, hi):
        s, e = doc.sentences[k]
        if not _DATE_STATEMENT.match(doc.text, s, e):
            continue
        dates = [d for d in doc.dates.within(s, e) if d.value is not None and not d.reporting]
        if dates:
            return dates[0].value
    return None


# ", the city where the revolt began in March": a relative clause after the event's words tells
# of the place or the people, and its date is theirs.
_RELATIVE_AFTER = re.compile(r",[^,;]{0,40}?\b(?:where|whose|which|who)\b", re.I)


def _before_relative(
    text: str, trigger: int, end: int, dates: list[DateMention]
) -> list[DateMention]:
    """The dates, less those of a relative clause that follows the event's words (one in the
    perfect, "a force that has lost 30 officers this year", too)."""
    m = _RELATIVE_AFTER.search(text, trigger, end)
    perfect = own_stretch(text, trigger, end, trigger)[1]
    cuts = [m.start()] if m else []
    if perfect < end:
        cuts.append(perfect)
    if not cuts:
        return dates
    return [d for d in dates if not min(cuts) <= d.start < end]


def _of_night(clause: Clause, dates: list[DateMention]) -> list[DateMention]:
    """ "Last month, … gunmen struck overnight": in a clause told of an earlier time,
    "overnight" is a time of night, not last night."""
    return [d for d in dates if d.kind != "overnight"] if clause.earlier else dates


def _dated(doc: Doc, clauses: Sequence[Clause]) -> list[DateMention]:
    """The resolved dates of events (not of statements) the clauses give, clause by clause."""
    return [
        d for o in clauses for d in doc.dates.within(o.start, o.end) if not d.reporting and d.value
    ]


def _month_of(value: DateValue) -> DateValue:
    """A date near ``value`` but not on it: its month (or its year, when that is all it is);
    the week of publication stays itself (it is already no more than "about now")."""
    if value.precision == DatePrecision.WEEK:
        return value
    precision = value.precision if value.precision in _COARSE else DatePrecision.MONTH
    return DateValue(value.date.replace(day=1), precision)


def _dated_by_gap(
    draft: Draft, doc: Doc, earlier: Sequence[Draft], *, own: bool
) -> tuple[DateValue, str] | None:
    """Date a clause that counts days from another event: "talks on Saturday, a day after
    strikes …" (the clause before it), "police on Monday probed the blast the day before"
    (the sentence's date) or "A day earlier, a bomb …" (the event just reported)."""
    c = draft.clause
    group = doc.clauses[draft.sentence]
    anchor, offset = None, None
    i = group.index(c)
    if c.offset is not None and i > 0 and not own:
        found = sorted(_dated(doc, linked(group[i - 1], group)), key=lambda d: d.start)
        if found:
            anchor, offset = found[-1].value, c.offset
    # "A day earlier, a bomb …", "a bomb that hit a church the day before": the phrase
    # belongs to the event word, not to a later verb ("arrested, and was charged the next day").
    relative = [
        d
        for d in doc.dates.within(c.start, c.end)
        if d.offset is not None
        and d.start < draft.trigger_start + 80
        and not _LATER_VERB.search(doc.text, draft.trigger_start, max(draft.trigger_start, d.start))
    ]
    if anchor is None and relative:
        phrase = relative[0]
        prior = _day_before(doc, phrase, group[0].start, earlier)
        if prior is not None:
            anchor, offset = prior, phrase.offset
    if anchor is None or anchor.precision != DatePrecision.DAY:
        return None
    return (
        DateValue(anchor.date + dt.timedelta(days=offset), DatePrecision.DAY),
        f"date counted {abs(offset)} day(s) from a related event",
    )


def _day_before(
    doc: Doc, phrase: DateMention, sentence_start: int, earlier: Sequence[Draft]
) -> DateValue | None:
    """The day "the day before" counts from: a day the sentence gave before the phrase, else
    the date of the event just reported, else the last date the text gave before it."""
    in_sentence = [
        d.value
        for d in doc.dates.within(sentence_start, phrase.start)
        if d.value and d.value.precision == DatePrecision.DAY
    ]
    if in_sentence:
        return in_sentence[-1]
    dated = next(
        (
            d.date
            for d in recent(earlier)
            if d.date is not None and d.date.precision == DatePrecision.DAY
        ),
        None,
    )
    if dated is not None:
        return dated
    given = doc.dates.last_before(phrase.start, lambda d: bool(d.value) and not d.reporting)
    return given.value if given else None


def _speech_day(doc: Doc, today: DateMention, sentence_start: int) -> DateValue | None:
    """ "Sharing a post on Monday, he said: 'An explosion occurred this afternoon …'": inside a
    quotation, "today" is the day the words were said when the sentence gives that day."""
    if today.kind != "today":
        return None
    quote = max(doc.text.rfind(q, sentence_start, today.start) for q in ('"', "“"))
    if quote < 0:
        return None
    said = [
        d
        for d in doc.dates.within(sentence_start, quote)
        if d.value and d.value.precision == DatePrecision.DAY
    ]
    return said[-1].value if said else None
