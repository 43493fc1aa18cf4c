"""Sentences and clauses of a news text.

A sentence ends at a full stop, question or exclamation mark before a capital or a digit (not
after an abbreviation such as "Oct." or "Mr."), or at a line break. A sentence splits into
clauses at semicolons, at ", and" / ", but" / ", while", at "followed closely on"
and at temporal words ("before", "after", "a day after", "since"), which also say how the
clauses' dates relate; and where "and" joins two tolls of their own ("nine were killed in A
and six were killed in B").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..rules import patterns
from .counts import number_value

__all__ = [
    "EVENT_NOUNS",
    "Clause",
    "clauses",
    "headline_end",
    "linked",
    "own_stretch",
    "sentences",
]

_ABBREV = (
    r"(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
    r"Nov|Dec|U\.S|U\.N|U\.K|a\.m|p\.m|Inc|Co|vs)"
)
_ENDS_WITH_ABBREV = re.compile(rf"\b{_ABBREV}\.[\"”’')]*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*\n|\n")
# "Last month, …", "Two weeks earlier, …": a sentence told of a time before the story's.
_RETROSPECTIVE = patterns("dates.tsv")["retrospective"]
# Clause boundaries; the second group marks a temporal relation ("before", "after"), across
# which dates are not shared unless it gives the gap ("a day after"); "A followed B" tells of
# B as before A. "A followed hot on the heels of B" joins two events of one time.
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s*|,\s+(?:and|but|while|whereas)\s+|\s+[-–—]\s+(?=(?:the|a|an)\s)"
    r"|(?P<sequence>\s+followed\s+(?:hot\s+on\s+the\s+heels\s+of|closely\s+on|shortly\s+after)\s+)"
    r"|(?P<temporal>,?\s+(?:(?P<gap>a|an|one|two|three|four|five|six|seven|\d{1,2})\s+"
    r"(?P<unit>days?|weeks?)\s+|(?P<uncounted>days|weeks|months|years)\s+)?"
    r"(?P<relation>before|after|following|ahead of|since|follow(?:ed|s)(?!\s+by\b))\s+)",
    re.I,
)
_AND_COUNT = re.compile(
    r"\s+and\s+(?=(?:at least\s+|another\s+)?(?:\d|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|dozens|several)\b)",
    re.I,
)
_AND = re.compile(r"\s+and\s+", re.I)
# "… and gunmen killed six in Peshawar": a killing verb followed by its own count.
_COUNTED_KILLING = re.compile(
    r"^(?:[\w’'-]+\s+){0,3}(?:killed|killing|shot dead)\s+(?:at least\s+)?(?:\d|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|several)\b",
    re.I,
)


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, blank stretches left out.

    >>> text = "Gunmen attacked a post on Oct. 9 in Bannu. Two died."
    >>> [text[s:e] for s, e in sentences(text)]
    ['Gunmen attacked a post on Oct. 9 in Bannu.', 'Two died.']
    """
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _ENDS_WITH_ABBREV.search(text[start : m.start()]):  # "Oct.", "Mr."
            continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of a sentence (``sentence`` is the sentence's index)."""

    start: int
    end: int
    after_temporal: bool  # begins after "before"/"after"…
    sentence: int
    # Days from the date of the clause before it ("talks on Saturday, a day after strikes …":
    # the strikes are at -1), when the text gives the gap.
    offset: int | None = None
    sequel: bool = False  # joined to the clause before by "followed closely on"
    # After "days after", "weeks after" (no count), or in a sentence opening "Last month, …":
    # an event well before the one told before it.
    earlier: bool = False


def clauses(text: str, sentence: int, start: int, end: int) -> list[Clause]:
    """The clauses of the sentence ``text[start:end]``, the ``sentence``-th of the text.

    >>> text = "Talks began on Saturday, a day after strikes hit Kabul."
    >>> [(text[c.start:c.end], c.offset) for c in clauses(text, 0, 0, len(text))]
    [('Talks began on Saturday', None), ('strikes hit Kabul.', -1)]
    """
    out, at, temporal, offset, sequel = [], start, False, None, False
    retrospective = _RETROSPECTIVE.match(text[start:end]) is not None
    earlier = retrospective
    for m in _CLAUSE_SPLIT.finditer(text, start, end):
        if _in_a_list(text, at, m):
            continue
        clause = Clause(at, m.start(), temporal, sentence, offset, sequel, earlier)
        out.extend(_split_tolls(text, clause))
        at, temporal, offset = m.end(), m.group("temporal") is not None, _gap_days(m)
        sequel = m.group("sequence") is not None
        earlier = retrospective or (
            m.group("uncounted") is not None
            and m.group("relation").lower() in ("after", "following")
        )
    out.extend(_split_tolls(text, Clause(at, end, temporal, sentence, offset, sequel, earlier)))
    return [c for c in out if c.end > c.start]


# "in Gulbano, Sarkano, and Tanbo": the serial comma ends a list of names, not a clause.
_LIST_SO_FAR = re.compile(r",\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}$")
_NAME_NEXT = re.compile(
    r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}\b(?!\s+(?:[a-z]+ed|was|were|is|are|has|have|had|said)\b)"
)


# "six guards, including a sergeant, and a driver were killed": a plural verb after one
# person joins that person to the subject before the comma.
_ONE_MORE_SUBJECT = re.compile(r"(?:a|an|one)\s+(?:[\w’'-]+\s+){0,2}?(?:were|are|have)\b", re.I)


def _in_a_list(text: str, at: int, m: re.Match) -> bool:
    """The split ``m`` is the serial comma of a list ("A, B, and C"; "two soldiers, …, and a
    civilian were killed")."""
    if not m.group().lstrip(" ").startswith(", and"):
        return False
    if _ONE_MORE_SUBJECT.match(text, m.end()):
        return True
    return bool(_LIST_SO_FAR.search(text, at, m.start()) and _NAME_NEXT.match(text, m.end()))


def linked(clause: Clause, group: Sequence[Clause]) -> list[Clause]:
    """The clauses of ``clause``'s sentence (``group``) not separated from it by a temporal
    word: the clause first, then those before it (nearest first), then those after it."""
    i = group.index(clause)
    out = [clause]
    j = i
    while j > 0 and not group[j].after_temporal:
        j -= 1
        out.append(group[j])
    j = i + 1
    while j < len(group) and not group[j].after_temporal:
        out.append(group[j])
        j += 1
    return out


def _gap_days(m: re.Match) -> int | None:
    """ "a day after" → -1: the clause that follows happened that long before the one before."""
    if not m.group("gap"):
        return None
    n = number_value(m.group("gap")) if not m.group("gap").lower().startswith("a") else 1
    if n is None:
        return None
    days = n * (7 if m.group("unit").lower().startswith("week") else 1)
    relation = m.group("relation").lower()
    if relation in ("after", "following"):
        return -days
    return days if relation in ("before", "ahead of") else None


def _split_tolls(text: str, clause: Clause) -> list[Clause]:
    """ "Nine were killed in A and six were killed in B", "a bomb killed four in A and gunmen
    killed six in B": two tolls, two clauses.

    "Two soldiers and three militants were killed" stays whole: its left part has no verb;
    "killed two soldiers and wounded three" too: its right part kills no one.
    """
    kill = patterns("tolls.tsv")["kill"]
    for m in _AND.finditer(text, clause.start, clause.end):
        left, right = text[clause.start : m.start()], text[m.end() : clause.end]
        counted = _AND_COUNT.match(text, m.start()) or _COUNTED_KILLING.search(right)
        if counted and kill.search(left) and kill.search(right):
            head = replace(clause, end=m.start())
            rest = Clause(m.end(), clause.end, False, clause.sentence)
            return [head, *_split_tolls(text, rest)]
    return [clause]


def headline_end(text: str) -> int:
    """Where the article's first line ends when it is a headline (no full stop, a story after
    it), else 0.

    >>> headline_end("Nine killed in Kharkiv\\nShelling killed six people.")
    22
    """
    end = text.find("\n")
    if end <= 0 or end == len(text.rstrip()):
        return 0
    head = text[:end].rstrip()
    if not head or head[-1] in ".!?\"”’'" or len(head.split()) > 25:
        return 0
    return end


# "… killed three officers, the latest attack on a force that has lost 20 officers this
# year": a relative clause in the perfect tells the background of the sentence's event.
_RELATIVE_PERFECT = re.compile(r",?\s+(?:that|which|who)\s+(?=(?:has|have|had)\s)", re.I)
# Nouns that name an event, as a relative clause's antecedent.
EVENT_NOUNS = (
    r"attacks?|strikes?|blasts?|bombings?|explosions?|assaults?|raids?|ambush(?:es)?|"
    r"shelling|incidents?"
)
_EVENT_NOUN = re.compile(rf"\b(?:{EVENT_NOUNS})$", re.I)


def own_stretch(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """The part of ``text[start:end]`` that the word at ``at`` stands in, any relative clause
    in the perfect before or after it cut off.

    >>> text = "Gunmen killed four, the latest attack on a force that has lost 30 this year."
    >>> s, e = own_stretch(text, 0, len(text), 7)
    >>> text[s:e]
    'Gunmen killed four, the latest attack on a force'
    """
    for m in _RELATIVE_PERFECT.finditer(text, start, end):
        if _EVENT_NOUN.search(text, max(start, m.start() - 20), m.start()):
            continue  # "a blast that has left nine dead": the relative tells of the event itself
        if m.end() <= at:
            start = m.start()
        else:
            return start, m.start()
    return start, end
