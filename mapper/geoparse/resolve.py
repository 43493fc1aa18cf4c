"""Resolution: each recognised Mention → the Place it most likely names, with a confidence.

A candidate's score is a weighted sum of its features (``FEATURES``; the weights fitted on gold
place names by ``bench/fit_ranker.py`` and read from ``rules/ranker.tsv``): the gazetteer's
context-free prior (population, admin level, source) and the article's context: its country
focus (dateline, countries, demonyms and places that leave no doubt), type words ("Kurram
district", "the province of Ontario"), containment ("Kohat, Khyber Pakhtunkhwa"; "Atlanta,
Georgia" names the state), names listed together, and closeness to the other places the article
names (for names still in doubt, also to the places the other names were taken to be). A lone
other name of a small place abroad, in a story about one country, is left unresolved.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from ..budget import check_budget
from ..geo import haversine_km
from ..rules import RuleError, table
from ..text.names import TYPE_WORDS, fold, variant_key
from ..types import Mention, MentionKind, Place

__all__ = ["FEATURES", "Ranker", "Trace", "distance_km", "fitted", "resolve"]

# What a candidate is ranked by, in the order of the weights table ``rules/ranker.tsv``. The
# weights are fitted on gold place names by ``bench/fit_ranker.py``; none is set by hand.
FEATURES = (
    # the gazetteer's context-free prior: population, level, source, how the name matched
    "prior",
    # the share of the story's other names that speak for the candidate's country
    "focus",
    # the type word said with the name is the candidate's level ("Kurram district"), or
    # another level
    "hint",
    "against_hint",
    # another name of the story is the candidate's province or district ("Kohat, Khyber
    # Pakhtunkhwa")
    "containment",
    # the name qualifies the town before it and the candidate holds that town ("Atlanta,
    # Georgia")
    "holder",
    # names listed with it that are, beyond doubt, of the candidate's country and level (to two)
    "siblings",
    # a place the story leaves no doubt about lies within 300 km, and within 50 km
    "nearby",
    "close",
    # matched by an alternate (often historic or foreign) name, not the place's own
    "alternate",
    # the candidate's level, against a town's
    "country",
    "province",
    "district",
    # a town or district whose name the story may use for a country or province
    "namesake",
    # how far the nearest place the story leaves no doubt about lies, 0 (here) to 1 (300 km
    # or more, or none)
    "distance",
)
_BIG = ("country", "admin1")
# What may stand between a name and its qualifier ("Oxnard, California", "Kohat (Khyber
# Pakhtunkhwa)"), and between the items of a list ("Alberta, Manitoba and Ontario").
_QUALIFIER_GAP = re.compile(r",\s*|\s*\(\s*")
_LIST_GAP = re.compile(r",\s*|,?\s+(?:and|or|&)\s+")
NEARBY_KM = 300.0
CLOSE_KM = 50.0
_LOG_NEARBY = math.log1p(NEARBY_KM)
# A town is usually the capital it names; but a dateline is a town, never a country.
_DATELINE_WEIGHT = 2.0

Lookup = Callable[[str], Sequence]
NO_COUNTRY = "ZZ"  # the gazetteer's code for seas and regions of many countries


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _options(mention: Mention, lookup: Lookup) -> list:
    found = lookup(mention.text)
    if mention.kind == MentionKind.DEMONYM:
        return [c for c in found if c.kind == "demonym"] or list(found)
    # A name that is also a demonym ("Canadian", "Spanish") competes on priors: the country
    # named by the adjective usually outweighs a small town of that name.
    return list(found)


@dataclass(frozen=True, slots=True)
class Ranker:
    """Weights of ``FEATURES``: a candidate's score is their sum over its feature values, and
    the chance that it is the place meant is its score's softmax among the name's candidates
    (a conditional logit, as ``bench/fit_ranker.py`` fits it)."""

    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise RuleError(
                f"expected {len(FEATURES)} ranker weights ({', '.join(FEATURES)}),"
                f" found {len(self.weights)}"
            )

    @classmethod
    def from_table(cls, rows: Sequence[Mapping[str, str]]) -> Ranker:
        """The weights of a table with columns ``feature`` and ``weight``, one row each."""
        given = {row["feature"]: float(row["weight"]) for row in rows}
        missing = [f for f in FEATURES if f not in given]
        unknown = sorted(set(given) - set(FEATURES))
        if missing or unknown:
            raise RuleError(
                f"expected a weight for each of {', '.join(FEATURES)};"
                f" missing {missing or 'none'}, unknown {unknown or 'none'}"
            )
        return cls(tuple(given[f] for f in FEATURES))

    def score(self, values: Sequence[float]) -> float:
        return sum(map(operator.mul, self.weights, values))


@cache
def fitted() -> Ranker:
    """The ranker shipped in ``rules/ranker.tsv``."""
    return Ranker.from_table(table("ranker.tsv"))


# One name's candidates as the ranker saw them: (feature values, candidate) each.
Trace = list[tuple[Mention, list[tuple[tuple[float, ...], object]]]]


def resolve(
    mentions: Sequence[Mention],
    lookup: Lookup,
    *,
    dateline: str | None = None,
    text: str | None = None,
    ranker: Ranker | None = None,
    trace: Trace | None = None,
) -> list[Mention]:
    """The mentions with ``place``, ``score`` and ``confidence`` filled in (same order).

    ``text`` (the article the mentions' offsets point into) lets names that qualify or
    stand in a list with each other inform each other's resolution. ``ranker`` weighs the
    evidence (default: the fitted one); ``trace``, when given, receives each mention with the
    feature values of its candidates as its final choice saw them.
    """
    ranker = ranker or fitted()
    lists = _lists(mentions, text) if text is not None else []
    hinted = _list_hints(mentions, lists, text)
    options = [_options(m, lookup) for m in hinted]
    dateline_options = list(lookup(dateline)) if dateline else []
    focus = _country_focus(mentions, options, dateline_options)
    # Names of the areas the story names; a country's name is not its namesake province's
    # ("Mexico" does not put a town in the State of México).
    names_in_text = {
        fold(m.text)
        for m, o in zip(mentions, options, strict=True)
        if not (o and o[0].place.precision == "country")
    }
    qualifiers, contains, siblings = _neighbours(mentions, options, lists, text)
    # Places that anchor the story on the map; a country is too big to say what is near.
    anchors = [o[0].place for o in options if _unambiguous(o) and o[0].place.precision != "country"]
    if dateline_options:
        anchors.append(dateline_options[0].place)

    seen: dict[int, list[tuple[tuple[float, ...], object]]] = {}

    def choose(i: int, anchors: dict[str, list[Place]]) -> Mention:
        check_budget()
        mention, opts = mentions[i], options[i]
        if not opts:
            return mention
        big = any(c.place.precision in _BIG for c in opts)
        scored = []
        rows = []
        for c in opts:
            values = _features(
                c, hinted[i], focus[i], names_in_text, qualifiers[i], contains[i], siblings[i],
                anchors, big,
            )  # fmt: skip
            scored.append((ranker.score(values), c))
            rows.append((values, c))
        if trace is not None:
            seen[i] = rows
        scored.sort(key=lambda sc: (-sc[0], sc[1].place.name))
        best_score, best = scored[0]
        if _stray(mention, best, focus[i]):
            return mention
        total = sum(math.exp(s - best_score) for s, _ in scored)
        return replace(
            mention, place=best.place, score=round(best_score, 3), confidence=round(1.0 / total, 3)
        )

    settled = _by_country(anchors)
    first = [choose(i, settled) for i in range(len(mentions))]
    # A second look for the names still in doubt, with the places the others were taken to be
    # as anchors too: "Edmonton" and "Enfield" are each ambiguous, but together in London.
    found = list(
        dict.fromkeys(
            (fold(m.text), m.place) for m in first if m.place and m.place.precision not in _BIG
        )
    )  # a place named again adds nothing
    others: dict[str, dict[str, list[Place]]] = {}  # per name: the anchors its second look uses

    def second_look(i: int, name: str) -> Mention:
        if name not in others:
            others[name] = _by_country(anchors + [p for n, p in found if n != name])
        return choose(i, others[name])

    looked = [
        second_look(i, fold(m.text)) if options[i] and not _unambiguous(options[i]) else m
        for i, m in enumerate(first)
    ]
    if trace is not None:
        trace.extend((mentions[i], seen[i]) for i in range(len(mentions)) if i in seen)
    looked = _short_names(looked, options)
    return _parts_of_towns(looked, text) if text is not None else looked


def _short_names(mentions: list[Mention], options: list[list]) -> list[Mention]:
    """A country's short name is the country whose full name the story gives ("Congo" after
    "the Republic of Congo", or after "the Democratic Republic of Congo"): the nearest full name
    before it, else the first after it, when that country is one of its candidates."""
    full = [
        (m.start, fold(m.text), m.place)
        for m in mentions
        if m.place is not None and m.place.precision == "country" and " " in m.text
    ]
    if not full:
        return mentions
    out = []
    for m, opts in zip(mentions, options, strict=True):
        name = fold(m.text)
        longer = [
            (start, place)
            for start, text, place in full
            if text != name and text.endswith(" " + name) and any(c.place == place for c in opts)
        ]
        if m.place is not None and m.place.precision == "country" and longer:
            before = [x for x in longer if x[0] < m.start]
            _, place = before[-1] if before else longer[0]
            m = replace(m, place=place)
        out.append(m)
    return out


# "the Sarkano area of Gulbano", "the Kuyambana locality of Chaman": the first name is a part
# of the town after it (a region's possessive may stand between: "Chitral's Drosh").
_PART_OF = re.compile(
    r"\s+(?:area|locality|neighbou?rhood|suburbs?|outskirts|quarter|village|hamlet)\s+of\s+"
    r"(?:(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?['’]s?\s+)?"
)
# A part of a town lies this close to it at most.
PART_KM = 40.0


# "Gulbano's Old City": the name after a town's possessive is a part of that town.
_TOWNS_PART = re.compile(r"['’]s\s+$")
# "the city's Sarkano neighbourhood": a part of the town the text has just named.
_THE_CITYS = re.compile(r"\bthe\s+(?:city|town|capital)['’]s\s+(?:[\w-]+\s+)?$", re.I)
# How far back that town may be named.
_TOWN_REACH = 600


def _last_town(ordered: Sequence[Mention], m: Mention) -> Mention | None:
    """The last town named before ``m``, not far before it."""
    towns = [
        t
        for t in ordered
        if t.end <= m.start
        and m.start - t.end <= _TOWN_REACH
        and t.place is not None
        and t.place.precision == "place"
    ]
    return towns[-1] if towns else None


def _parts_of_towns(mentions: list[Mention], text: str) -> list[Mention]:
    """A name told as a part of a town ("the Sarkano area of Gulbano", "Gulbano's Old City")
    but resolved far from it is a namesake elsewhere of a place the gazetteer lacks: left as an
    unknown name, which the town it is part of places."""
    by_start = {m.start: m for m in mentions}
    ordered = sorted(mentions, key=lambda m: m.start)
    before = {b.start: a for a, b in itertools.pairwise(ordered)}
    out = []
    for m in mentions:
        gap = _PART_OF.match(text, m.end) if m.place is not None else None
        town = by_start.get(gap.end()) if gap else None
        prev = before.get(m.start) if m.place is not None and town is None else None
        if prev is not None and _TOWNS_PART.fullmatch(text, prev.end, m.start):
            town = prev
        elif prev is not None and _THE_CITYS.search(text, max(0, m.start - 20), m.start):
            # "… in Gulbano. … in the city's Sarkano neighbourhood": the town told last
            town = _last_town(ordered, m)
        if town is not None and town.place is not None and _outside(m.place, town.place):
            m = Mention(m.text, m.start, m.end, kind=MentionKind.UNKNOWN)
        out.append(m)
    return out


def _outside(part: Place, whole: Place) -> bool:
    """``part``, a town or district, does not lie in ``whole``, a town, district or province."""
    if part.precision in _BIG:
        return False
    if whole.precision in ("place", "admin2"):
        return distance_km(part, whole) > PART_KM
    if whole.precision == "admin1":
        province = variant_key(whole.admin1 or whole.name)
        return part.country != whole.country or variant_key(part.admin1 or "") != province
    return False


# A story this much about one country, or two (a country and the neighbour its war spills
# into) ...
_FOCUSED = 0.75
# Places abroad smaller than this, in a story about one country, are taken for a village it
# names that the gazetteer lacks.
_STRAY_POPULATION = 30_000


def _stray(mention: Mention, best, focus: dict[str, float]) -> bool:
    """A lone word known only as another name of a place in a country the story is not about:
    a village the gazetteer lacks ("the Burdigala police station" in a story from Pakistan is not
    Bordeaux) or a word that is no place at all ("Dawn", the newspaper, is not Fajar). Left
    unresolved, it is reported as an unknown name instead of drawn abroad."""
    if (
        best.place.precision in _BIG
        or focus.get(best.place.country, 0.0) > 0.0
        or sum(sorted(focus.values())[-2:]) < _FOCUSED
    ):
        return False
    if best.kind == "alt":
        # a one-word other name abroad is no place; a longer one is, unless a mere hamlet
        return " " not in mention.text or (
            best.place.precision == "place" and best.place.population < _STRAY_POPULATION
        )
    # A village abroad known by its own name: in a story about one country, a village the
    # gazetteer lacks is far likelier than a hamlet of another ("Tanbin" in Sagaing is no
    # Chinese village), or than a district abroad that no town makes known.
    return best.place.precision in ("place", "admin2") and best.place.population < _STRAY_POPULATION


def _neighbours(
    mentions: Sequence[Mention], options: list[list], lists: list[list[int]], text: str | None
) -> tuple[list[frozenset[str]], list[set[tuple[str, str]]], list[Counter[tuple[str, str]]]]:
    """What each mention's neighbours in the text say about it.

    For each mention: the folded name that qualifies it ("Oxnard, California" → california);
    the areas (folded name, country) its predecessor's candidates lie in, one of which it
    may be ("Atlanta, Georgia" → the Georgia that holds an Atlanta); and the (country,
    level) of the names listed with it that leave no doubt ("Alberta, Manitoba and Ontario").
    """
    n = len(mentions)
    qualifiers: list[frozenset[str]] = [frozenset()] * n
    contains: list[set[tuple[str, str]]] = [set() for _ in range(n)]
    siblings: list[Counter[tuple[str, str]]] = [Counter() for _ in range(n)]
    if text is None:
        return qualifiers, contains, siblings
    by_start = sorted(range(n), key=lambda i: mentions[i].start)
    for a, b in itertools.pairwise(by_start):
        gap = text[mentions[a].end : mentions[b].start]
        if mentions[a].end > mentions[b].start:
            continue
        if _QUALIFIER_GAP.fullmatch(gap):
            qualifiers[a] = frozenset({fold(mentions[b].text)})
            contains[b] = {
                (fold(area), c.place.country)
                for c in options[a]
                for area in (c.place.admin1, c.place.admin2)
                if area
            }
    # Each member of a list that leaves no doubt of its kind speaks for the others.
    for run in lists:
        kinds = {
            i: (options[i][0].place.country, options[i][0].place.precision)
            for i in run
            if _unambiguous(options[i])
        }
        for i in run:
            siblings[i] = Counter(kind for j, kind in kinds.items() if j != i)
    return qualifiers, contains, siblings


def _lists(mentions: Sequence[Mention], text: str) -> list[list[int]]:
    """Runs of mentions (indices, in text order) joined by list gaps: "Alberta, Manitoba and
    Ontario"; a mention standing alone is a run of one."""
    by_start = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    runs: list[list[int]] = []
    run: list[int] = []
    for a, b in itertools.pairwise([*by_start, None]):
        run.append(a)
        if not (
            b is not None
            and mentions[a].end <= mentions[b].start
            and _LIST_GAP.fullmatch(text[mentions[a].end : mentions[b].start])
        ):
            runs.append(run)
            run = []
    return runs


# "the states of Texas and Georgia": a plural type word before a list types all its members.
_SINGULAR = {
    "states": "state",
    "provinces": "province",
    "districts": "district",
    "counties": "county",
    "regions": "region",
    "governorates": "governorate",
}
_PLURAL_TYPE = re.compile(rf"\b({'|'.join(_SINGULAR)}) of $")


def _list_hints(
    mentions: Sequence[Mention], lists: list[list[int]], text: str | None
) -> list[Mention]:
    """The mentions, each member of a list after a plural type word given that type."""
    out = list(mentions)
    if text is None:
        return out
    for run in lists:
        first = mentions[run[0]]
        found = _PLURAL_TYPE.search(text, max(0, first.start - 20), first.start)
        if len(run) > 1 and found:
            word = _SINGULAR[found[1]]
            for i in run:
                if out[i].hint is None:
                    out[i] = replace(out[i], hint=word)
    return out


_CLOSE = 1.5  # priors this close leave the choice to the context
_SOFT_VOTE = 0.3  # what an ambiguous name says, shared among its likely countries


def _unambiguous(opts: list) -> bool:
    return bool(opts) and (len(opts) == 1 or opts[0].prior - opts[1].prior > _CLOSE)


def _vote(opts: list) -> tuple[tuple[str, float], ...]:
    """The countries a mention speaks for, and how loudly: a country name fully; a name whose
    likely places all lie in one country half ("Peshawar", the city or the district); a name
    whose likely places lie in several countries softly for each, so that names ambiguous
    alone agree together ("Looe", "Penryn", "Launceston"). Seas and regions of many
    countries (``ZZ``) do not vote, nor does a small place known by another name, which is as
    likely a word that is no place at all."""
    if not opts:
        return ()
    top = opts[0]
    if top.place.country == NO_COUNTRY:
        return ()
    if top.place.precision == "country":
        return ((top.place.country, 1.0),)
    if top.kind == "alt" and top.place.precision not in _BIG:
        return ()
    if _unambiguous(opts):
        return ((top.place.country, 0.5),)
    close = {
        c.place.country
        for c in opts
        if top.prior - c.prior <= _CLOSE and c.place.country != NO_COUNTRY
    }
    return tuple((cc, _SOFT_VOTE / len(close)) for cc in sorted(close))


def _country_focus(
    mentions: Sequence[Mention], options: list[list], dateline_options: list
) -> list[dict[str, float]]:
    """Each mention's view of the article's countries: every other mention's vote.

    The votes of a mention's own name are left out, or a country name would vouch for itself
    against the state of the same name that the rest of the story is about, and a name said
    five times would agree with itself. A soft vote counts once per name.
    """
    votes = [_vote(opts) for opts in options]
    names = [fold(m.text) for m in mentions]
    by_name: dict[str, Counter[str]] = {}  # each name's votes
    soft_named: set[str] = set()
    for vote, name in zip(votes, names, strict=True):
        if _is_soft(vote):
            if name in soft_named:
                continue
            soft_named.add(name)
        votes_of_name = by_name.setdefault(name, Counter())
        for cc, weight in vote:
            votes_of_name[cc] += weight
    counts: Counter[str] = Counter()
    for votes_of_name in by_name.values():
        counts.update(votes_of_name)
    if dateline_options:
        counts[dateline_options[0].place.country] += _DATELINE_WEIGHT
    views: dict[str, dict[str, float]] = {}  # one per name
    out = []
    for name in names:
        if name not in views:
            rest = Counter(counts)
            rest.subtract(by_name[name])
            total = sum(n for n in rest.values() if n > 1e-9)
            views[name] = {cc: n / total for cc, n in rest.items() if n > 1e-9} if total else {}
        out.append(views[name])
    return out


def _is_soft(vote: tuple[tuple[str, float], ...]) -> bool:
    """A vote shared among a name's likely countries (``_vote``)."""
    return bool(vote) and vote[0][1] <= _SOFT_VOTE


def _by_country(anchors: list[Place]) -> dict[str, list[Place]]:
    """Anchors by country: only a place in the candidate's own country can vouch for it. Each
    place once: a town named a thousand times in a long text is one anchor, not a thousand."""
    out: dict[str, list[Place]] = {}
    for a in dict.fromkeys(anchors):
        out.setdefault(a.country, []).append(a)
    return out


def _features(
    candidate,
    mention: Mention,
    focus,
    names_in_text,
    qualifier,
    contains: set[tuple[str, str]],
    siblings: Counter[tuple[str, str]],
    anchors: dict[str, list[Place]],
    big: bool,
) -> tuple[float, ...]:
    """The values of ``FEATURES`` for one candidate of a mention."""
    place = candidate.place
    precision = place.precision
    big_namesake = big and precision not in _BIG
    hint = against = 0.0
    wanted = TYPE_WORDS.get(mention.hint) if mention.hint else None
    if wanted:
        hint, against = (1.0, 0.0) if wanted == precision else (0.0, 1.0)
    # The mention's own name does not count ("Bamyan" is not inside Bamyan). When the name is
    # also a country or province, only a qualifier right after it lifts a town over it: a list
    # of states would otherwise pull "California" to a town in the next.
    own = fold(mention.text)
    containing = {fold(a) for a in (place.admin1, place.admin2) if a} - {own}
    contained = bool(containing & qualifier or (containing & names_in_text and not big_namesake))
    holder = precision in ("admin1", "admin2") and (fold(place.name), place.country) in contains
    nearest = NEARBY_KM
    if precision in ("place", "admin2"):
        for a in anchors.get(place.country, ()):
            km = haversine_km(a.lat, a.lon, place.lat, place.lon)
            if km < nearest and (km > 0.0 or a != place):  # not itself, though built twice
                nearest = km
    return (
        candidate.prior,
        focus.get(place.country, 0.0),
        hint,
        against,
        float(contained),
        float(holder),
        float(min(siblings[place.country, precision], 2)),
        float(nearest < NEARBY_KM),
        float(nearest < CLOSE_KM),
        float(candidate.kind == "alt"),
        float(precision == "country"),
        float(precision == "admin1"),
        float(precision == "admin2"),
        float(big_namesake),
        math.log1p(nearest) / _LOG_NEARBY,
    )


def by_context(given: Sequence[Mention], others: Sequence[Mention]) -> list[Mention]:
    """Place each given name the gazetteer does not know at the place the story names nearest
    to it: "Kampala's Kisenyi" is somewhere in Kampala, as ACLED codes a village it cannot find
    to the nearest area it can. A country is used only when the story names nothing smaller.
    Such a mention keeps its text, takes kind "context" and claims no confidence.
    """
    known = [m for m in (*given, *others) if m.place is not None and m.kind != MentionKind.DEMONYM]
    out = []
    for mention in given:
        if mention.place is not None or not known:
            out.append(mention)
            continue
        nearest = min(
            known,
            key=lambda m: (
                m.place.precision == "country",
                abs(m.start - mention.start),
            ),
        )
        out.append(
            replace(
                mention, place=nearest.place, kind=MentionKind.CONTEXT, score=0.0, confidence=0.0
            )
        )
    return out
