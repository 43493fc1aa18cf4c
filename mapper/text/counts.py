"""Counts in news text: digits, number words, vague quantities, with low/best/high."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..rules import patterns
from .spans import Intervals, Spans

if TYPE_CHECKING:
    from .dates import DateMention

_RULES = patterns("tolls.tsv")

__all__ = ["COUNT", "Count", "number_value", "parse_count", "people_counts"]

_UNITS = {
    "zero": 0,
    "no": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "single": 1,
    "both": 2,
    "couple": 2,
    "pair": 2,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Vague quantities, read conservatively: the smallest number the word can honestly mean
# is both the low and the best estimate; high stays open unless the word bounds it.
_VAGUE = {
    "a few": (2, 2, 5),
    "few": (2, 2, 5),
    "several": (3, 3, 9),
    "a dozen": (12, 12, 12),
    "dozen": (12, 12, 12),
    "dozens": (24, 24, 99),
    "tens of thousands": (20000, 20000, 99999),
    "hundreds of thousands": (200000, 200000, 999999),
    "scores": (40, 40, 99),
    "hundreds": (200, 200, 999),
    "thousands": (2000, 2000, 9999),
}
_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{'|'.join(_TENS)})(?:[- ](?:one|two|three|four|five|"
    rf"six|seven|eight|nine))?"
    rf"|(?:{_WORD})(?:\s+hundred)?)"
)
_QUALIFIER = (
    r"(?:at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|as\s+many\s+as|"
    r"an\s+estimated|roughly|approximately|well\s+over|no\s+(?:fewer|less)\s+than|"
    r"not\s+(?:fewer|less)\s+than|upwards\s+of|in\s+excess\s+of)"
)
COUNT = re.compile(
    rf"\b(?:(?P<qual>{_QUALIFIER})\s+)?(?:(?P<vague>a\s+few|several|a\s+dozen|dozens|scores|"
    rf"(?:tens|hundreds)\s+of\s+thousands|hundreds|thousands)"
    rf"|between\s+(?P<from>{_NUMBER})\s+and\s+(?P<upto>{_NUMBER})"
    rf"|(?P<num>{_NUMBER})(?:\s*(?:to|-|–|or)\s*(?P<num2>{_NUMBER}))?)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Count:
    """A count of people: best estimate, low and high (None: open), and where the text gives it."""

    best: int
    low: int
    high: int | None
    start: int
    end: int
    vague: bool = False

    def plus(self, other: Count) -> Count:
        """The two counts added up ("two soldiers and three militants"), spanning both."""
        high = None if self.high is None or other.high is None else self.high + other.high
        return Count(
            self.best + other.best,
            self.low + other.low,
            high,
            min(self.start, other.start),
            max(self.end, other.end),
            self.vague or other.vague,
        )


def number_value(token: str) -> int | None:
    """The number a token spells: "12", "1,200", "twelve", "twenty-one", "two hundred"."""
    token = token.lower().replace(",", "").strip()
    if token.isdigit():
        return int(token)
    hundred = token.endswith("hundred")
    if hundred:
        token = token[: -len("hundred")].strip()
    parts = re.split(r"[- ]", token)
    total = 0
    for part in parts:
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        elif part:
            return None
    return total * 100 if hundred else total


def parse_count(match: re.Match) -> Count | None:
    """A Count from a ``COUNT`` match (None for words such as "a" that count nothing here)."""
    start, end = match.span()
    qual = (match.group("qual") or "").lower()
    if match.group("vague"):
        low, best, high = _VAGUE[" ".join(match.group("vague").lower().split())]
        return Count(best, low, high, start, end, vague=True)
    if match.group("from"):
        # "between 200 and 300": a range, read at its low end
        low, high = number_value(match.group("from")), number_value(match.group("upto"))
        if low is None or high is None or high < low:
            return None
        return Count(low, low, high, start, end)
    best = number_value(match.group("num"))
    if best is None:
        return None
    if match.group("num2"):
        second = number_value(match.group("num2"))
        if second is not None and second > best:
            return Count(best, best, second, start, end)
    high = best if not qual or qual.startswith(("up to", "as many")) else None
    if qual.startswith(("nearly", "almost", "up to", "as many")):
        return Count(best, max(0, best - max(1, best // 10)), best, start, end)
    return Count(best, best, high, start, end)


def people_counts(text: str, dates: Sequence[DateMention]) -> Spans[Count]:
    """Counts in ``text`` that may count people: not dates, ages, distances or increments."""
    out = []
    in_dates = Intervals((d.start, d.end) for d in dates)
    for m in COUNT.finditer(text):
        if in_dates.holds(m.start()):  # "March 3"
            continue
        if m.group("num") and m.group("num").lower() in ("a", "an", "no", "both", "single"):
            continue
        wounded_more = _RULES["more_wounded"].match(text, m.end()) or re.search(
            r"\b(?:wounded|injured|wounding|injuring)\s+$", text[max(0, m.start() - 12) : m.start()]
        )
        if _RULES["not_people"].match(text[m.end() : m.end() + 14]) and not wounded_more:
            continue
        count = parse_count(m)
        if count is not None:
            out.append(count)
    return Spans(out)
