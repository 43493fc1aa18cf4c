"""Date expressions in news text, resolved against the publication date.

"Sunday" is the most recent Sunday on or before publication; "Oct. 9" takes the
publication year unless that would put it in the future; "last month" is the month
before publication. Without a publication date only explicit dates resolve.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..rules import patterns
from ..types import DateValue
from .counts import number_value
from .spans import Taken

__all__ = ["DateMention", "find_dates"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_PATTERNS = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "month_day",
        re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?"),
    ),
    (
        "day_month",
        re.compile(
            r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MONTH
            + r"(?:,?\s+(?P<year>\d{4})\b)?"
        ),
    ),
    (
        "month_year",
        re.compile(
            r"\b(?:[Ii]n|[Ss]ince|[Dd]uring|of|by|[Bb]etween|[Ff]rom)\s+(?:(?:early|mid|late)[- ])?"
            + _MONTH
            + r"(?:\s+(?P<year>\d{4}))?\b"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?P<rel>last|this past|on|early|late|overnight)?\s*(?P<wd>Monday|Tuesday|Wednesday|"
            r"Thursday|Friday|Saturday|Sunday)s?\b"
        ),
    ),
    (
        "weekend",
        re.compile(r"\b(?:over|during|at)\s+the\s+weekend|\b(?:last|this|past)\s+weekend\b", re.I),
    ),
    ("yesterday", re.compile(r"\byesterday\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this morning|this afternoon|this evening)\b", re.I)),
    # A night that ended on the day of publication; the evening before is the other reading.
    ("overnight", re.compile(r"\bovernight\b", re.I)),
    # Relative to the event just reported, not to publication: "A day earlier, a bomb …".
    (
        "relative",
        re.compile(
            r"\b(?:(?:a|one|the)\s+day\s+(?P<back>before|earlier)|the\s+(?P<back2>previous|preceding)"
            r"\s+day|(?:a|one|the)\s+day\s+later|the\s+(?:next|following)\s+day)\b",
            re.I,
        ),
    ),
    ("last_week", re.compile(r"\b(?:last|past|previous)\s+week\b", re.I)),
    ("last_month", re.compile(r"\b(?:last|past|previous)\s+month\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier|later)?\s*this\s+month\b", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.I)),
    ("this_year", re.compile(r"\b(?:earlier|later)?\s*this\s+year\b", re.I)),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?P<unit>days?|"
            r"weeks?|months?|years?)\s+ago\b",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Dd]uring|of)\s+(?P<year>(?:19|20)\d{2})\b")),
]
# Places and bodies named after a day ("the 14 July hospital", "9 April Street").
_NAMED_FOR_DATE = patterns("dates.tsv")["named_for"]
# "the military said Monday", "a statement Sunday": the day something was said, not done; and
# "The group on Friday claimed the attack on …", with the day before the verb.
_REPORTING = patterns("dates.tsv")["reporting"]
_REPORTING_AFTER = patterns("dates.tsv")["reporting_after"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression of a text, resolved against the publication date."""

    start: int
    end: int
    text: str
    value: DateValue | None  # None when it needs a publication date the article lacks
    reporting: bool  # the day a statement was made, not an event
    # Days from the date of the event reported just before ("a day before": -1); such a
    # mention has no value of its own.
    offset: int | None = None
    kind: str = ""  # which expression: "weekday", "today", "month_day", …


def _weekday(published: dt.date, name: str) -> dt.date:
    back = (published.weekday() - _WEEKDAYS.index(name.lower())) % 7
    return published - dt.timedelta(days=back)


def _month_day(published: dt.date | None, month: int, day: int, year: str | None) -> dt.date | None:
    try:
        if year:
            return dt.date(int(year), month, day)
        if published is None:
            return None
        guess = dt.date(published.year, month, day)
        # A date well after publication belongs to the previous year ("Dec. 30" in January).
        if guess > published + dt.timedelta(days=7):
            guess = dt.date(published.year - 1, month, day)
        return guess
    except ValueError:  # "Feb. 30"
        return None


def _previous_month(d: dt.date) -> dt.date:
    first = d.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _resolve(kind: str, m: re.Match, published: dt.date | None) -> DateValue | None:
    g = m.groupdict()
    if kind == "iso":
        try:
            return DateValue(dt.date(int(g["y"]), int(g["m"]), int(g["d"])), "day")
        except ValueError:
            return None
    if kind in ("month_day", "day_month"):
        month = _MONTHS[g["month"].lower().rstrip(".")]
        found = _month_day(published, month, int(g["day"]), g.get("year"))
        return DateValue(found, "day") if found else None
    if kind == "month_year":
        month = _MONTHS[g["month"].lower().rstrip(".")]
        if g.get("year"):
            return DateValue(dt.date(int(g["year"]), month, 1), "month")
        if published is None:
            return None
        year = published.year if month <= published.month else published.year - 1
        return DateValue(dt.date(year, month, 1), "month")
    if kind == "year":
        return DateValue(dt.date(int(g["year"]), 1, 1), "year")
    if kind == "relative" or published is None:
        return None
    if kind == "weekday":
        return DateValue(_weekday(published, g["wd"]), "day")
    if kind == "weekend":
        return DateValue(_weekday(published - dt.timedelta(days=1), "saturday"), "week")
    if kind == "yesterday":
        return DateValue(published - dt.timedelta(days=1), "day")
    if kind in ("today", "overnight"):
        return DateValue(published, "day")
    if kind == "last_week":
        return DateValue(published - dt.timedelta(days=7), "week")
    if kind == "last_month":
        return DateValue(_previous_month(published), "month")
    if kind == "this_month":
        return DateValue(published.replace(day=1), "month")
    if kind == "this_year":
        return DateValue(dt.date(published.year, 1, 1), "year")
    if kind == "last_year":
        return DateValue(dt.date(published.year - 1, 1, 1), "year")
    if kind == "ago":
        n = 1 if g["n"].lower() == "a" else number_value(g["n"]) or 1
        unit = g["unit"].lower().rstrip("s")
        if unit == "day":
            return DateValue(published - dt.timedelta(days=n), "day")
        if unit == "week":
            return DateValue(published - dt.timedelta(weeks=n), "week")
        if unit == "month":
            d = published.replace(day=1)
            for _ in range(n):
                d = _previous_month(d)
            return DateValue(d, "month")
        return DateValue(dt.date(published.year - n, 1, 1), "year")
    raise AssertionError(f"unknown date pattern {kind!r}")


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Date expressions in ``text`` with their resolved values, in text order, not overlapping."""
    found: list[DateMention] = []
    taken = Taken()  # earlier patterns win
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if kind == "weekday" and m.group("rel") is None:
                start = m.start("wd")
            if taken.overlaps(start, end):
                continue
            taken.add(start, end)
            if kind in ("month_day", "day_month") and _NAMED_FOR_DATE.match(text, m.end()):
                continue  # "the 14 July hospital", "6 October Bridge": a name, not a date
            reporting = bool(
                _REPORTING.search(text[max(0, start - 40) : start])
                or _REPORTING_AFTER.match(text, end)
            )
            offset = None
            if kind == "relative":
                offset = -1 if m.group("back") or m.group("back2") else 1
            value = _resolve(kind, m, published)
            found.append(DateMention(start, end, text[start:end], value, reporting, offset, kind))
    return sorted(found, key=lambda d: d.start)
