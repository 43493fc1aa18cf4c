"""What happened: the clauses that name an event, and the event's type.

A clause names an event when it holds a trigger (``rules/triggers.tsv``) that is not negated,
hypothetical or figurative ("no attack", "vowed to attack", "a heart attack", "attacked the
plan"); a weak trigger (a killing verb) names one only with a toll. Who was hit decides the
type of a bare killing: security forces or armed men make a clash, civilians an attack. A
sentence about what usually happens, or deaths put down to disease or disaster, names none.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache

from ..doc import Doc
from ..rules import patterns, table
from ..text.segment import Clause, own_stretch
from ..types import EventType
from .draft import Draft, Trigger
from .eventhood import not_an_event
from .tolls import INJURE, KILL, casualties, victim_groups

__all__ = ["inherit_type", "merge_weak", "recent", "sentence_drafts", "triggers"]

_RULES = patterns("events.tsv")


@cache
def triggers() -> tuple[Trigger, ...]:
    """The event triggers, in order of precedence."""
    return tuple(
        Trigger(
            rank,
            re.compile(rf"\b(?:{r['pattern']})\b", re.I),
            r["event_type"],
            r["sub_event_type"],
            r["strength"] == "strong",
        )
        for rank, r in enumerate(table("triggers.tsv"))
    )


def sentence_drafts(
    doc: Doc, index: int, keys: Iterator[int], *, calm: bool
) -> tuple[list[Draft], bool]:
    """The drafts of the ``index``-th sentence's clauses that tell of an event, before weak
    clauses merge (``merge_weak``), and whether the story is now "calm".

    Calm is set once a bare death was put down to disease or disaster: later bare tolls ("91
    people dead") tell of the same, until a word of violence starts another event.
    """
    sentence = doc.sentence(index)
    out = []
    for clause in doc.clauses[index]:
        draft = _clause_draft(doc, clause, keys)
        if draft is None:
            continue
        # "militants killed two policemen" after a flood story is violence again
        carried = calm and not draft.separate and not _RULES["armed"].search(sentence)
        if not draft.trigger.strong and (carried or _RULES["not_violence"].search(sentence)):
            calm = True  # "a boy died of the virus", "two villagers died in landslides"
            continue
        calm = False
        if not_an_event(draft, doc):
            continue
        if draft.event_type == EventType.BATTLES and _RULES["crowd"].search(sentence):
            # "protesters were injured in clashes with riot police": a riot, not a battle
            draft = replace(
                draft, event_type=EventType.RIOTS, sub_event_type="Violent demonstration"
            )
        out.append(draft)
    return out, calm


def _clause_draft(doc: Doc, clause: Clause, keys: Iterator[int]) -> Draft | None:
    text = doc.text
    chunk = text[clause.start : clause.end]
    title_case = _title_case(doc.sentence(clause.sentence))
    found = []
    background = None  # the sentence's background spans, read once a trigger needs them
    for trig in triggers():
        for m in trig.pattern.finditer(chunk):
            if background is None:
                background = _background(doc, clause.sentence)
            at = clause.start + m.start()
            if (
                _figurative(trig, chunk, m)
                or any(lo <= at < hi for lo, hi in background)
                or (not title_case and _in_a_name(chunk, m))
            ):
                continue
            found.append((trig, clause.start + m.start()))
    if not found:
        return None
    strong = [f for f in found if f[0].strong]
    trig, at = min(strong or found, key=lambda f: (f[0].rank, f[1]))
    # Not the running total of a relative clause ("a force that has lost 30 officers").
    lo, hi = own_stretch(text, clause.start, clause.end, at)
    # "…, the worst episode in a day of violence that killed 19": what follows counts the day.
    frame = _RULES["singled_out"].search(text, at, hi)
    hi = frame.start() if frame else hi
    toll = casualties(text, lo, hi, doc.counts, KILL)
    injured = casualties(text, lo, hi, doc.counts, INJURE)
    if not trig.strong and toll is None and injured is None:
        return None
    event_type, sub = trig.event_type, trig.sub_event_type
    if event_type == "*":
        event_type, sub = _type_by_target(chunk)
    elif (event_type, sub) == (EventType.BATTLES, "Armed clash") and (
        _civilian_victims(chunk) or _civilian_target(chunk)
    ):
        # "gunmen raided a village, killing nine villagers": no fight, an attack on civilians
        event_type, sub = EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack"
    return Draft(
        next(keys),
        clause.sentence,
        clause,
        trig,
        at,
        EventType(event_type),
        sub,
        toll=toll,
        injured=injured.best if injured else None,
        separate=bool(_RULES["separate"].search(chunk))
        or (
            trig.strong
            and toll is not None
            and bool(_RULES["sequel"].match(doc.sentence(clause.sentence)))
        ),
        # "the attack", "this raid" refer back; "the army arrested" is a subject and its verb
        anaphoric=bool(_RULES["anaphora"].search(text, max(clause.start, at - 30), at))
        and not _VERB_FORM.match(text, at)
        and toll is None,
        another_victim=bool(_RULES["another_victim"].search(chunk)),
        victim_groups=victim_groups(text, toll) if toll else frozenset(),
    )


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_VERB_FORM = re.compile(r"[^\W\d_]+ed\b")


def _title_case(sentence: str) -> bool:
    """A headline written in title case ("Rebels Ambush Army Convoy Near Border"): capitals there
    say nothing of names."""
    words = _WORD.findall(sentence)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _in_a_name(chunk: str, m: re.Match) -> bool:
    """The event word is part of a capitalised name ("the Border Clash Review
    Board", "the Peace Talks Secretariat"), not a word of the sentence."""
    if not m.group()[0].isupper() or not chunk[: m.start()].strip():
        return False
    before = _WORD.findall(chunk[max(0, m.start() - 40) : m.start()])
    after = _WORD.match(chunk[m.end() :].lstrip()) if chunk[m.end() : m.end() + 1] == " " else None
    return bool((before and before[-1][0].isupper()) or (after and after.group()[0].isupper()))


def _background(doc: Doc, index: int) -> list[tuple[int, int]]:
    """Where the ``index``-th sentence names a cause or a setting, in the plural ("closed for
    months because of rocket attacks", "amid clashes"), or a past event as a point in time
    ("since the 2009 attack"): the story's background. Read in the whole sentence, as such a
    phrase may span two of its clauses ("began soon after | the 2001 attacks")."""
    s, e = doc.sentences[index]
    return [b.span() for b in _RULES["background"].finditer(doc.text, s, e)]


_PAIRED = re.compile(
    r"\b(?:bombings?|attacks?|strikes?|raids?|killings?|violence|fighting|clashes|shelling)"
    r"\s+(?:and|or)\s+(?:[\w-]+\s+)?$",
    re.I,
)
# Killing words that are also nouns for the people hurt or killed.
_CASUALTY_NOUNS = frozenset(("wounded", "injured", "dead", "hurt"))


def _figurative(trig: Trigger, chunk: str, m: re.Match) -> bool:
    """The trigger tells of no event: negated or hypothetical ("vowed to attack"), an
    agreement said to be broken, an attack in words or in the body ("a heart attack")."""
    before = chunk[: m.start()]
    if _RULES["modal"].search(before[-60:]):
        return True
    # "a halt to raids and bombings": the second noun of a pair shares the first's
    # negation.
    pair = _PAIRED.search(before)
    if pair and _RULES["modal"].search(before[: pair.start()][-60:]):
        return True
    if trig.sub_event_type == "Agreement" and _RULES["broken"].search(before[-40:]):
        return True  # "accused the rebels of breaking the truce": not an agreement
    if _RULES["reaction"].search(before[-60:]):
        return True  # "condemned the attack": told elsewhere, not a new event
    if m.group().lower() in _CASUALTY_NOUNS and _RULES["casualty_noun"].search(before[-40:]):
        return True  # "hospitals treated dozens of wounded": the casualties of a told event
    return bool(
        _RULES["figure_before"].search(before[-20:]) or _RULES["figure_after"].match(chunk, m.end())
    )


def _type_by_target(chunk: str) -> tuple[EventType, str]:
    """Who was hit decides: security forces or armed men → a clash; civilians → an attack.

    The victims are read around the killing ("killing 450 villagers", "seven people were
    killed"), so the fighters who did it ("RSF fighters rampaged …") do not make it a clash.
    """
    if _civilian_victims(chunk) or _civilian_target(chunk) or _one_sided(chunk):
        return EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack"
    if _RULES["security"].search(chunk) or not _RULES["civilian"].search(chunk):
        return EventType.BATTLES, "Armed clash"
    return EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack"


def _civilian_target(chunk: str) -> bool:
    """ "ambushed a village", "stormed a wedding": a place where civilians are, with no armed
    men said to be there."""
    m = _RULES["civilian_target"].search(chunk)
    return bool(m) and not _RULES["armed_there"].search(m.group("rest"))


def _one_sided(chunk: str) -> bool:
    """ "two farmers were shot dead in their field", "a trader was beheaded": a killing of
    people who could not fight back, unless the dead are said to be armed."""
    verb = _RULES["one_sided"].search(chunk)
    return verb is not None and not _RULES["security"].search(_victims(chunk, verb))


def _victims(chunk: str, verb: re.Match) -> str:
    """The words that name who was killed by ``verb``: before a passive verb ("three were
    killed by militants": not the killers after it), after an active one; never the source
    of the report ("police said …")."""
    window = chunk[max(0, verb.start() - 60) : verb.end() + 60]
    passive = _RULES["passive"].search(window)
    victims = passive.group() if passive else window[window.find(verb.group()) :]
    return _RULES["told_by"].sub("", victims)


def _civilian_victims(chunk: str) -> bool:
    """The people killed, read around the killing, are civilians and only civilians."""
    verb = KILL.search(chunk) or _RULES["attack_on"].search(chunk)
    if verb is None:
        return False
    victims = _victims(chunk, verb)
    return bool(_RULES["civilian"].search(victims)) and not _RULES["security"].search(victims)


def _take_toll(event: Draft, killing: Draft) -> Draft:
    """``event`` with the toll (and what goes with it) of the bare killing next to it."""
    return replace(
        event,
        toll=killing.toll,
        victim_groups=killing.victim_groups,
        injured=event.injured or killing.injured,
        separate=event.separate or killing.separate,
        another_victim=event.another_victim or killing.another_victim,
    )


def merge_weak(drafts: Sequence[Draft]) -> list[Draft]:
    """A clause with only a killing verb gives its toll to a neighbouring event clause, unless a
    temporal word ("after", "before") stands between them."""
    out: list[Draft] = []
    for d in drafts:
        if out and d.clause.after_temporal and d.clause is not out[-1].clause:
            # "the army killed 13 fighters after the group attacked police posts": two events
            out.append(d)
            continue
        if not d.trigger.strong and out and out[-1].toll is None:
            out[-1] = _take_toll(out[-1], d)
            continue
        if not d.trigger.strong and d.toll is None and out and out[-1].injured is None:
            out[-1] = replace(out[-1], injured=d.injured)  # "…, and wounding dozens more"
            continue
        if out and not out[-1].trigger.strong and d.toll is None:
            out[-1] = _take_toll(d, out[-1])
            continue
        out.append(d)
    return out


# How far back (in events) a mention looks for the event it continues or repeats. Far more
# than an article's events; it bounds the work on a document of thousands of them.
LOOKBACK = 100


def recent(
    earlier: Sequence[Draft], sentence: int = 0, *, within: int | None = None
) -> Iterator[Draft]:
    """Earlier events, latest first: those at most ``within`` sentences before ``sentence``,
    or, with no distance given, the last ``LOOKBACK``."""
    for d in itertools.islice(reversed(earlier), LOOKBACK):
        if within is not None and sentence - d.sentence > within:
            return
        yield d


def inherit_type(draft: Draft, earlier: Sequence[Draft]) -> Draft:
    """ "Another person was killed in B": one more event of the kind just reported."""
    if not draft.another_victim or draft.trigger.strong:
        return draft
    prior = next((d for d in recent(earlier, draft.sentence, within=3) if d.violent), None)
    if prior is None:
        return draft
    return replace(draft, event_type=prior.event_type, sub_event_type=prior.sub_event_type)
