"""Who fought, or who did it to whom: the actors a clause names (``rules/actors.tsv``), in
ACLED's style ("Military Forces of Pakistan"), the country taken from the name before them
("Pakistan's army") or from the event's place. The perpetrator comes first ("killed by X"
puts X first); a clause that only names its victims ("eight soldiers were killed") says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from ..doc import Doc
from ..rules import patterns, table
from ..text.spans import Spans
from ..types import Mention
from .draft import Draft

__all__ = ["actors_of", "generic", "state"]

_RULES = patterns("events.tsv")


@dataclass(frozen=True, slots=True)
class _ActorRule:
    pattern: re.Pattern
    name: str  # may hold "{country}"


@cache
def _actor_rules() -> tuple[_ActorRule, ...]:
    return tuple(
        _ActorRule(re.compile(rf"\b(?:{r['pattern']})\b"), r["actor"]) for r in table("actors.tsv")
    )


def generic(actor: str) -> bool:
    """An actor no one can be named for ("Unidentified Armed Group")."""
    return actor.startswith("Unidentified Armed Group")


def state(actor: str) -> bool:
    """The state's forces, or people who are no armed group (civilians, protesters)."""
    return actor.startswith(("Military Forces", "Police Forces", "Civilians", "Protesters"))


def actors_of(draft: Draft, doc: Doc, country_names: dict[str, str]) -> Draft:
    """``draft`` with the actors its clause names (``country_names``: the name the article
    gives each country it names, by code)."""
    text, c = doc.text, draft.clause
    chunk = text[c.start : c.end]
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, bool]] = []
    for rule in _actor_rules():
        for m in rule.pattern.finditer(chunk):
            s, e = c.start + m.start(), c.start + m.end()
            if any(a < e and s < b for a, b in taken):
                continue
            taken.append((s, e))
            country = _country_before(text, s, doc.countries)
            if country is None and draft.place is not None:
                country = country_names.get(draft.place.country, draft.place.country)
            found.append((s, _named(rule.name, country), _victim(text, c.start, c.end, s, e)))
    found.sort()
    if any(not generic(n) and not state(n) for _, n, _ in found):
        found = [f for f in found if not generic(f[1])]
    names = list(dict.fromkeys(n for _, n, _ in found))
    victim_first = bool(found) and found[0][2]
    # "killed by X": X is the perpetrator even when named last.
    by_actor = [n for s, n, _ in found if _by(text, c.start, s)]
    if by_actor and names and names[0] != by_actor[0]:
        names = [by_actor[0], *[n for n in names if n != by_actor[0]]]
        victim_first = False
    return replace(draft, actors=tuple(names), victim_first=victim_first)


def _named(name: str, country: str | None) -> str:
    if "{country}" not in name:
        return name
    if country:
        return name.replace("{country}", country)
    return name.replace(" of {country}", "").replace(" ({country})", "")


def _by(text: str, clause_start: int, start: int) -> bool:
    """The actor starting at ``start`` follows "by": it did it."""
    return bool(_RULES["by_actor"].search(text[max(clause_start, start - 25) : start]))


def _victim(text: str, clause_start: int, clause_end: int, start: int, end: int) -> bool:
    """The actor at ``start:end`` is named as the one killed ("eight soldiers were killed")."""
    passive = bool(_RULES["passive_kill"].match(text[end:clause_end])) and not _RULES[
        "by_right_before"
    ].search(text[max(clause_start, start - 20) : start])
    return passive and not _by(text, clause_start, start)


def _country_before(text: str, start: int, countries: Spans[Mention]) -> str | None:
    """The country named just before an actor ("Pakistan's army"), if any."""
    for m in countries.within(start - 80, start):  # no country's name is longer than 68
        if 0 <= start - m.end <= 12 and _RULES["country_gap"].fullmatch(text[m.end : start]):
            return m.place.name
    return None
