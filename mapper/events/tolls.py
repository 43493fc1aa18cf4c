"""Tolls: which counts of a clause are its dead and its injured, and whom they count.

A count right after a casualty verb ("killing 24 people") or just before it ("eight militants
were killed") is the toll; parts listed together add up ("four policemen and three
civilians"); a part introduced by "including" is not the toll; a count that belongs to another
casualty verb is not this one's ("killing six guests and injuring many").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.counts import COUNT, Count, parse_count
from ..text.dates import DateMention
from ..text.spans import Intervals, Spans

__all__ = ["INJURE", "KILL", "PERSON", "casualties", "people_counts", "victim_groups"]

KILL = re.compile(
    r"\b(?:killed|killing|kill|dead|died|slain|martyred|lost their lives|death toll|bodies)\b", re.I
)
INJURE = re.compile(r"\b(?:injured|injuring|wounded|wounding|hurt)\b", re.I)
_NOT_PEOPLE = re.compile(
    r"^\s*(?:-?\s*(?:years?|year-old|km|kilometers?|kilometres?|miles?|percent|per cent|%|"
    r"hours?|days?|weeks?|months?|rounds?|times|a\.m|p\.m|o'clock|dollars?|rupees?|"
    r"more|additional|further)\b)",  # "five more bodies": an increment, not a toll
    re.I,
)
_OTHER_VERB_BEFORE = re.compile(
    r"\b(?:killing|killed|kills|injuring|wounding|injured|wounded)\s+$", re.I
)
# "six more injured": others hurt, not an increment to a toll.
_MORE_WOUNDED = re.compile(
    r"\s+more\s+(?:people\s+|others\s+)?(?:were\s+)?(?:injured|wounded|hurt)\b"
)
_SUBSET = re.compile(r"\b(?:including|among them|of them|of whom)\s+$", re.I)
_TOLL_RISE = re.compile(
    r"\s*(?:in\s+[^.;]{0,60}?\s+)?(?:has|had|have)?\s*(?:climbed|rose|risen|reached|jumped|"
    r"increased|stood|stands|was|is)\s+(?:to|at)?\s*(?:at least\s+|more than\s+)?",
    re.I,
)

PERSON = (
    r"(?:person|man|woman|child|boy|girl|civilian|officer|official|soldier|policeman|"
    r"policewoman|constable|cop|guard|worker|student|journalist|driver|resident|villager|"
    r"militant|fighter|commander|leader|member|cleric|teacher|doctor|trooper)"
)

# "A Taliban intelligence officer was killed", "another person died": a toll of one.
_ONE_VICTIM = re.compile(
    rf"\b(?:a|an|another|one)\s+(?:[\w-]+\s+){{0,3}}?{PERSON}\b(?:\s+[\w-]+){{0,2}}?\s+"
    r"(?:(?:was|has been|had been)\s+(?:\w+\s+)?(?:killed|slain|martyred|shot dead)|died\s+"
    r"(?:in|from|during)\s+(?:an?|the)\s+(?:[\w-]+\s+)?(?:explosion|blast|attack|bombing|"
    r"shooting|strike|clash|ambush|crossfire))\b",
    re.I,
)
_GROUPS = {
    "security": re.compile(
        r"\b(?:soldiers?|troops|police(?:m[ae]n)?|cops?|constables?|personnel|officers?|"
        r"guards?|paramilitar(?:y|ies)|servicem[ae]n|security)\b",
        re.I,
    ),
    "armed": re.compile(
        r"\b(?:militants?|terrorists?|insurgents?|attackers?|assailants?|gunm[ae]n|fighters?|"
        r"rebels?|bombers?|jihadists?|extremists?|khwarij)\b",
        re.I,
    ),
    "civilian": re.compile(
        r"\b(?:civilians?|wom[ae]n|child(?:ren)?|girls?|boys?|passers-by|passersby|villagers?|"
        r"worshippers?|students?|pilgrims?|residents?|passengers?|shoppers?|workers?|"
        r"journalists?|guests?|mourners?|famil(?:y|ies))\b",
        re.I,
    ),
}


def victim_groups(text: str, toll: Count) -> frozenset[str]:
    """Who a toll counts, read from the words that follow its number ("four policemen and three
    civilians"): empty for "people", "others" and the like."""
    words = text[toll.start : toll.end]
    if not KILL.search(words):  # "a woman was killed" holds its noun; a number is followed by it
        words += re.match(r"(?:[\s\"“”'‘’]+[\w-]+){0,4}", text[toll.end : toll.end + 60]).group()
    return frozenset(g for g, pattern in _GROUPS.items() if pattern.search(words))


def people_counts(text: str, dates: Sequence[DateMention]) -> Spans[Count]:
    """Counts in ``text`` that may count people: not dates, ages, distances or increments."""
    out = []
    in_dates = Intervals((d.start, d.end) for d in dates)
    for m in COUNT.finditer(text):
        if in_dates.holds(m.start()):  # "March 3"
            continue
        if m.group("num") and m.group("num").lower() in ("a", "an", "no", "both", "single"):
            continue
        wounded_more = _MORE_WOUNDED.match(text, m.end()) or re.search(
            r"\b(?:wounded|injured|wounding|injuring)\s+$", text[max(0, m.start() - 12) : m.start()]
        )
        if _NOT_PEOPLE.match(text[m.end() : m.end() + 14]) and not wounded_more:
            continue
        count = parse_count(m)
        if count is not None:
            out.append(count)
    return Spans(out)


def casualties(
    text: str, start: int, end: int, counts: Spans[Count], verb: re.Pattern
) -> Count | None:
    """The dead (``verb=KILL``) or the injured (``verb=INJURE``) that ``text[start:end]`` counts:
    the count right after a casualty verb, or the one before it with the parts that add up to
    it; "A police officer was killed" is one."""
    inside = [c for c in counts.within(start, end) if c.end <= end]
    best: Count | None = None
    for v in verb.finditer(text, start, end):
        chosen = None
        after = [c for c in inside if c.start >= v.end()]
        if after and re.fullmatch(
            r"\s*(?:at least\s+|more than\s+|some\s+)?", text[v.end() : after[0].start], re.I
        ):
            chosen = _with_listed_parts(text, after[0], after[1:], end)
        elif (
            after
            and v.group().lower() == "death toll"
            and _TOLL_RISE.fullmatch(text[v.end() : after[0].start])
        ):
            chosen = after[0]  # "the death toll has climbed to 64"
        if chosen is None:
            # "seven people, including two children, were killed": the part is not the toll.
            before = [
                c
                for c in inside
                if c.end <= v.start()
                and v.start() - c.end <= 70
                and not _SUBSET.search(text[max(start, c.start - 16) : c.start])
                # "killing six guests and injuring many": the object of another verb
                and not _OTHER_VERB_BEFORE.search(text[max(start, c.start - 16) : c.start])
            ]
            between = text[before[-1].end : v.start()] if before else ""
            # "six guests killed and injuring many": the six belong to the nearer verb.
            if (
                before
                and not re.search(r"[;:]|\bamong\b", between)
                and not KILL.search(between)
                and not INJURE.search(between)
            ):
                chosen = before[-1]
                # "two soldiers and three militants were killed": the parts add up.
                for prev in reversed(before[:-1]):
                    if not _part_gap(text[prev.end : chosen.start]):
                        break
                    chosen = prev.plus(chosen)
        if chosen and (best is None or chosen.best > best.best):
            best = chosen
    if best is None and verb is KILL:
        one = _ONE_VICTIM.search(text, start, end)
        if one:
            best = Count(1, 1, 1, one.start(), one.end())
    return best


def _part_gap(gap: str) -> bool:
    """What joins two parts of one toll ("two soldiers and three militants"); "20 injured and
    one dead" joins a toll of each."""
    return bool(_PART_GAP.fullmatch(gap)) and not INJURE.search(gap) and not KILL.search(gap)


_PART_GAP = re.compile(r"\s+(?:[\w-]+\s+){0,2}(?:and|,|, and)\s+")
# "killed six police officers and a civilian": one more, unless told as wounded.
_ONE_MORE = re.compile(
    rf"\s+(?:and|, and)\s+(?:a|an|one)\s+(?:[\w-]+\s+)?{PERSON}\b"
    r"(?!\s+(?:was|were)\s+(?:\w+\s+)?(?:injured|wounded|hurt))",
    re.I,
)


def _with_listed_parts(text: str, first: Count, later: Sequence[Count], end: int) -> Count:
    """ "killed four soldiers and three civilians": the toll after a killing verb and the parts
    listed after it."""
    total = first
    for part in later:
        if not _part_gap(text[total.end : part.start]):
            break
        total = total.plus(part)
    gap_end = re.match(r"(?:\s+[\w-]+){0,2}", text[total.end : end]).end()
    one = _ONE_MORE.match(text, total.end + gap_end, end)
    if one:
        total = total.plus(Count(1, 1, 1, one.start(), one.end()))
    return total
