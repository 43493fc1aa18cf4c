"""Tolls: which counts of a clause are its dead and its injured, and whom they count.

A count right after a casualty verb ("killing 17 people") or just before it ("eight militants
were killed") is the toll; parts listed together add up ("five soldiers and two
civilians"); a part introduced by "including" is not the toll; a count that belongs to another
casualty verb is not this one's ("killing six shoppers and wounding many").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..rules import patterns
from ..text.counts import Count
from ..text.spans import Spans

__all__ = ["INJURE", "KILL", "casualties", "victim_groups"]

_RULES = patterns("tolls.tsv")
KILL = _RULES["kill"]
INJURE = _RULES["injure"]
_OTHER_VERB_BEFORE = _RULES["other_verb_before"]
_SUBSET = _RULES["subset"]
_TOLL_RISE = _RULES["toll_rise"]
_ONE_VICTIM = _RULES["one_victim"]
_KILLED_AND_HURT = _RULES["killed_and_hurt"]
_ALONG_WITH = _RULES["along_with"]
_HEDGED = _RULES["hedged"]
_GROUPS = {
    "security": _RULES["group_security"],
    "armed": _RULES["group_armed"],
    "civilian": _RULES["group_civilian"],
}
_PART_GAP = _RULES["part_gap"]
_ONE_MORE = _RULES["one_more"]
_ONE_BEFORE = _RULES["one_before"]
_SUBJECT_PHRASE = _RULES["subject_phrase"]
# How far before its casualty verb a count may stand (characters): any words within _REACH,
# a subject's noun phrase alone (``subject_phrase``) within _SUBJECT_REACH. English subjects
# with a phrase after their noun ("… from the militant group of the northern hills") run past 70.
_REACH = 70
_SUBJECT_REACH = 120


def victim_groups(text: str, toll: Count) -> frozenset[str]:
    """Who a toll counts, read from the words that follow its number ("five soldiers and two
    civilians"): empty for "people", "others" and the like."""
    words = text[toll.start : toll.end]
    if not KILL.search(words):  # "a woman was killed" holds its noun; a number is followed by it
        words += re.match(r"(?:[\s\"“”'‘’]+[\w-]+){0,4}", text[toll.end : toll.end + 60]).group()
    return frozenset(g for g, pattern in _GROUPS.items() if pattern.search(words))


def casualties(
    text: str, start: int, end: int, counts: Spans[Count], verb: re.Pattern
) -> Count | None:
    """The dead (``verb=KILL``) or the injured (``verb=INJURE``) that ``text[start:end]`` counts:
    the count right after a casualty verb, or the one before it with the parts that add up to
    it; "A police officer was killed" is one."""
    inside = [c for c in counts.within(start, end) if c.end <= end]
    best: Count | None = None
    for v in verb.finditer(text, start, end):
        if verb is KILL and _KILLED_AND_HURT.match(text, v.end()):
            continue  # "dozens of soldiers were killed or wounded": the hurt and the dead together
        if _HEDGED.search(text, max(start, v.start() - 30), v.start()):
            continue  # "as many as 40 may have died": a guess, not a count
        chosen = None
        after = [c for c in inside if c.start >= v.end()]
        if after and (
            re.fullmatch(
                r"\s*(?:at least\s+|more than\s+|some\s+)?", text[v.end() : after[0].start], re.I
            )
            or _ONE_BEFORE.fullmatch(text, v.end(), after[0].start)
        ):
            chosen = _with_listed_parts(text, after[0], after[1:], end)
        elif (
            after
            and v.group().lower() == "death toll"
            and _TOLL_RISE.fullmatch(text[v.end() : after[0].start])
        ):
            chosen = after[0]  # "the death toll has climbed to 64"
        if chosen is None:
            # "nine people, including three women, were killed": the part is not the toll.
            before = [
                c
                for c in inside
                if c.end <= v.start()
                and (
                    v.start() - c.end <= _REACH
                    # "two senior commanders from the Islamist militant group … were killed"
                    or (
                        v.start() - c.end <= _SUBJECT_REACH
                        and _SUBJECT_PHRASE.fullmatch(text, c.end, v.start()) is not None
                    )
                )
                and not _SUBSET.search(text[max(start, c.start - 16) : c.start])
                # "killing six guests and injuring many": the object of another verb
                and not _OTHER_VERB_BEFORE.search(text[max(start, c.start - 16) : c.start])
            ]
            between = text[before[-1].end : v.start()] if before else ""
            # "six guests killed and injuring many": the six belong to the nearer verb.
            if (
                before
                # "200 protesters outside the hospital, where the bodies of those killed …"
                and not re.search(r"[;:]|\bamong\b|,\s+(?:where|when|which|whose)\b", between)
                and not KILL.search(between)
                and not INJURE.search(between)
            ):
                chosen = before[-1]
                # "two soldiers and three militants were killed": the parts add up.
                for prev in reversed(before[:-1]):
                    if not _part_gap(text[prev.end : chosen.start]):
                        break
                    chosen = prev.plus(chosen)
                chosen = _with_one_more(text, chosen, v.start())
        if chosen is not None:
            chosen = _with_one_before(text, chosen, start)
        if chosen and (best is None or chosen.best > best.best):
            best = chosen
    if best is None and verb is KILL:
        one = _ONE_VICTIM.search(text, start, end)
        if one:
            best = Count(1, 1, 1, one.start(), one.end())
            # "he died together with three bodyguards"
            with_others = _ALONG_WITH.match(text, one.end(), end)
            more = [c for c in inside if with_others and c.start == with_others.end()]
            if more:
                best = best.plus(more[0])
    return best


def _part_gap(gap: str) -> bool:
    """What joins two parts of one toll ("two soldiers and three militants"); "20 injured and
    one dead" joins a toll of each."""
    return bool(_PART_GAP.fullmatch(gap)) and not INJURE.search(gap) and not KILL.search(gap)


def _with_listed_parts(text: str, first: Count, later: Sequence[Count], end: int) -> Count:
    """ "killed four soldiers and three civilians": the toll after a killing verb and the parts
    listed after it."""
    total = first
    for part in later:
        if not _part_gap(text[total.end : part.start]):
            break
        total = total.plus(part)
    return _with_one_more(text, total, end)


# "eleven soldiers, including a captain, and a civilian": a part named between the count's
# noun and the one more is not counted again.
_PART_BETWEEN = re.compile(r"(?:,\s+including\s+[^,;.]{1,40},)?")


def _with_one_more(text: str, total: Count, end: int) -> Count:
    """ "four soldiers and a civilian", "four police officers and a civilian": the count and the
    one more victim named after its noun (up to two words)."""
    for words in range(3):
        gap = re.match(rf"(?:\s+[\w-]+){{{words}}}", text[total.end : end])
        if gap is None:
            continue
        at = _PART_BETWEEN.match(text, total.end + gap.end(), end).end()
        one = _ONE_MORE.match(text, at, end)
        if one:
            return total.plus(Count(1, 1, 1, one.start(), one.end()))
    return total


def _with_one_before(text: str, count: Count, start: int) -> Count:
    """ "a soldier and three civilians": the one victim named before the count, counted."""
    one = _ONE_BEFORE.search(text, max(start, count.start - 50), count.start)
    if one is None:
        return count
    lead = len(one.group()) - len(one.group().lstrip())
    return Count(1, 1, 1, one.start() + lead, one.end()).plus(count)
