"""Events: Article + resolved mentions → Event records.

Per sentence and clause: an event trigger gives the type; counts bound to killing
verbs give the toll (``tolls``); the clause's date expressions (or its sentence's, or the event
chain's) give the date; places introduced by a locative preposition in the clause
give the location (or the chain's, or the country with the precision lowered).
Then tolls the text gives as totals of the incidents it lists are set aside (reported, not
drawn), and mentions of one event within the article are merged.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..budget import check_budget
from ..geoparse.borders import on_borders
from ..text.counts import Count, number_value
from ..text.dates import DateMention, find_dates
from ..text.names import fold
from ..text.spans import Spans
from ..types import Article, DateValue, Event, Mention, Place, Total
from .tolls import INJURE, KILL, PERSON, casualties, people_counts, victim_groups

__all__ = ["Extraction", "extract"]

# ---------------------------------------------------------------- lexicons (kept as data)


@dataclass(frozen=True, slots=True)
class _Trigger:
    rank: int
    pattern: re.Pattern
    event_type: str
    sub_event_type: str
    strong: bool


@dataclass(frozen=True, slots=True)
class _ActorRule:
    pattern: re.Pattern
    name: str


def _rows(name: str) -> list[dict]:
    text = resources.files("mapper").joinpath(f"rules/{name}").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def _triggers() -> tuple[_Trigger, ...]:
    return tuple(
        _Trigger(
            rank,
            re.compile(rf"\b(?:{r['pattern']})\b", re.I),
            r["event_type"],
            r["sub_event_type"],
            r["strength"] == "strong",
        )
        for rank, r in enumerate(_rows("triggers.tsv"))
    )


@cache
def _actor_rules() -> tuple[_ActorRule, ...]:
    return tuple(
        _ActorRule(re.compile(rf"\b(?:{r['pattern']})\b"), r["actor"]) for r in _rows("actors.tsv")
    )


# ---------------------------------------------------------------- text structure

_ABBREV = (
    r"(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
    r"Nov|Dec|U\.S|U\.N|U\.K|a\.m|p\.m|Inc|Co|vs)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*\n|\n")
# Clause boundaries; the second group marks a temporal relation ("before", "after"), across
# which dates are not shared unless it gives the gap ("a day after"). "A followed hot on the
# heels of B" joins two events of one time.
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s*|,\s+(?:and|but|while|whereas)\s+"
    r"|(?P<sequence>\s+followed\s+(?:hot\s+on\s+the\s+heels\s+of|closely\s+on|shortly\s+after)\s+)"
    r"|(?P<temporal>,?\s+(?:(?P<gap>a|an|one|two|three|four|five|six|seven|\d{1,2})\s+"
    r"(?P<unit>days?|weeks?)\s+)?(?P<relation>before|after|following|ahead of|since)\s+)",
    re.I,
)
_HABITUAL = re.compile(
    r"\b(?:often|usually|routinely|frequently|regularly|repeatedly|in recent years|"
    r"over the years|surge in|wave of|whenever)\b"
    # A toll over a period or a whole war is a running total, not one event: "nearly a week of
    # border clashes that killed dozens", "a civil war that killed tens of thousands".
    r"|\b(?:a|one|two|three|four|five|six|several|\d+)\s+(?:days?|weeks?|months?|years?)\s+of\s+"
    r"(?:[\w-]+\s+){0,2}(?:clashes|fighting|violence|attacks|strikes|bombardment|shelling|war)\b"
    r"|\b(?:war|conflict|insurgency)\s+(?:(?:that|which)\s+)?(?:has\s+|have\s+|had\s+)?"
    r"(?:killed|left)\b"
    # Generic present: "when their people are arrested, they attack".
    r"|\bwhen\s+(?:[\w-]+\s+){1,3}(?:are|is|get|gets)\s+\w+ed\b"
    # Somewhere and everywhere: "fighting in the capital and elsewhere".
    r"|\band elsewhere\b|\bacross the country\b|\bnationwide\b",
    re.I,
)
_MODAL = re.compile(
    r"\b(?:no|not|never|without|will|would|could|may|might|plans? to|planned to|threaten(?:s|"
    r"ed)? to|vow(?:s|ed)? to|call(?:s|ed)? for|demand(?:s|ed)?|urged?|resume|"
    r"if)\s+(?:\w+\s+){0,2}$",
    re.I,
)
_LOCATIVE = re.compile(
    r"\b(?:in|near|at|outside|inside|across|along|around|into|within|on|off|between|over|"
    r"throughout)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$"
    # "the northwestern city of Peshawar", "the village of Burgi"
    r"|\b(?:in|near|at|outside|inside)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}"
    r"(?:city|town|village|district|province|region|area|capital|outskirts|suburbs)\s+of\s+$"
    # Where people went for talks: "ministers travel to Doha", "visited Kabul".
    r"|\b(?:travel\w*|arriv\w*|flew|fly|went|head(?:ed|ing|s)?)\s+to\s+(?:the\s+)?$"
    r"|\bvisit(?:ed|ing|s)?\s+(?:the\s+)?$",
    re.I,
)
# A crowd in the street, with no armed men among the sides.
_CROWD = re.compile(
    r"^(?!.*\b(?:militants?|insurgents?|terrorists?|gunmen|rebels?|fighters)\b)"
    r".*\b(?:protests?|protesters?|protestors?|demonstrat(?:ions?|ors)|rall(?:y|ies)|mobs?)\b",
    re.I | re.S,
)
# Armed men named in a sentence: its deaths were inflicted ("police said" does not count).
_ARMED = re.compile(
    r"\b(?:militants?|gunm[ae]n|insurgents?|terrorists?|attackers?|assailants?|fighters|"
    r"rebels?|troops|soldiers?|security forces|bomb(?:er|ing)?s?|shot|shelling|strikes?)\b",
    re.I,
)
# Deaths that a bare killing word reports but that no one inflicted.
_NOT_VIOLENCE = re.compile(
    r"\b(?:epidemics?|outbreaks?|virus|viral|diseases?|cholera|flu|influenza|infections?|"
    r"infected|illness|landslides?|floods?|flooding|earthquakes?|quakes?|storms?|cyclones?|"
    r"hurricanes?|accidents?|crash(?:ed|es)?|collisions?|collided|drown(?:ed|ing)|heatwave|"
    r"overdoses?|tree fell|collapsed? mine)\b"
    r"|\bdied\s+(?:of|from)\s+(?!(?:his|her|their|the)\s+(?:wounds|injuries))",
    re.I,
)
# Attacks and fights in words, in the body or in court.
_FIGURE_BEFORE = re.compile(
    r"\b(?:heart|panic|asthma|cyber|verbal|legal|scathing|strongly|sharply|fiercely|"
    r"publicly|verbally)\s+$",
    re.I,
)
_FIGURE_AFTER = re.compile(
    r"\s+(?:(?:the|a|an|his|her|their|its|this|that)\s+(?:[\w-]+\s+)?)?(?:AIDS|HIV|cancer|"
    r"corruption|poverty|diseases?|inflation|virus|infections?|proposals?|decisions?|plans?|"
    r"polic(?:y|ies)|remarks|comments|rulings?|project|lawsuits?)\b"
    r"|\s+in\s+(?:[\w-]+\s+)?(?:infections|cases|prices|demand|popularity)\b",
    re.I,
)
_BROKEN = re.compile(
    r"\b(?:break(?:s|ing)?|broke|broken|breach(?:ed|es|ing)?|violat(?:e|ed|es|ing)|violations? of|"
    r"collapse of|end(?:ed|ing)?|disrupted|shattered)\s+(?:the\s+|a\s+|an\s+|its\s+)?"
    r"(?:[\w-]+\s+)?$",
    re.I,
)
_SECURITY = re.compile(
    r"\b(?:soldiers?|troops|police(?:men)?|security|army|military|checkpoints?|check posts?|"
    r"convoy|militants?|insurgents?|fighters|forces|personnel|officers?)\b",
    re.I,
)
_CIVILIAN = re.compile(
    r"\b(?:civilians?|worshippers|passengers|students|villagers|children|women|pilgrims|"
    r"shoppers|shopkeepers|traders|farmers|labou?rers|teachers|doctors|nurses|guests|mourners|"
    r"people|residents|journalists?|workers|family|families)\b",
    re.I,
)
_PASSIVE_KILL = re.compile(
    r"^\s*(?:\w+\s+){0,4}?(?:were|was|have been|had been|being|are)?\s*(?:killed|slain|dead|"
    r"died|martyred)\b",
    re.I,
)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        # Do not split after an abbreviation such as "Oct." or "Mr.".
        if re.search(rf"\b{_ABBREV}\.[\"”’')]*$", text[start : m.start()]):
            continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    end: int
    after_temporal: bool  # begins after "before"/"after"…
    sentence: int
    # Days from the date of the clause before it ("talks on Saturday, a day after strikes …":
    # the strikes are at -1), when the text gives the gap.
    offset: int | None = None
    sequel: bool = False  # joined to the clause before by "followed hot on the heels of"


_AND_COUNT = re.compile(
    r"\s+and\s+(?=(?:at least\s+|another\s+)?(?:\d|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|dozens|several)\b)",
    re.I,
)


def _clauses(text: str, sentence: int, s: int, e: int) -> list[_Clause]:
    out, start, temporal, offset, sequel = [], s, False, None, False
    for m in _CLAUSE_SPLIT.finditer(text, s, e):
        clause = _Clause(start, m.start(), temporal, sentence, offset, sequel)
        out.extend(_split_tolls(text, clause))
        start, temporal, offset = m.end(), m.group("temporal") is not None, _gap_days(m)
        sequel = m.group("sequence") is not None
    out.extend(_split_tolls(text, _Clause(start, e, temporal, sentence, offset, sequel)))
    return [c for c in out if c.end > c.start]


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


def _split_tolls(text: str, clause: _Clause) -> list[_Clause]:
    """ "Nine were killed in A and six were killed in B": two tolls, two clauses.

    "Two soldiers and three militants were killed" stays whole: its left part has no verb.
    """
    for m in _AND_COUNT.finditer(text, clause.start, clause.end):
        left, right = text[clause.start : m.start()], text[m.end() : clause.end]
        if KILL.search(left) and KILL.search(right):
            head = _Clause(
                clause.start, m.start(), clause.after_temporal, clause.sentence, clause.offset
            )
            rest = _Clause(m.end(), clause.end, False, clause.sentence)
            return [head, *_split_tolls(text, rest)]
    return [clause]


# ---------------------------------------------------------------- drafts


@dataclass
class _Draft:
    sentence: int
    clause: _Clause
    trigger: _Trigger
    trigger_start: int
    event_type: str
    sub_event_type: str
    toll: Count | None = None
    injured: int | None = None
    date: DateValue | None = None
    date_note: str | None = None
    place: Place | None = None
    place_name: str | None = None
    unknown_name: str | None = None  # a finer place the gazetteer lacks ("the Torkhel area")
    location_source: str | None = None
    actors: list[str] = field(default_factory=list)
    victim_first: bool = False
    notes: list[str] = field(default_factory=list)
    separate: bool = False  # "in a separate attack", "elsewhere", "another bomber": not a repeat
    another_victim: bool = False  # "another person was killed": a repeat only where no place
    victim_groups: frozenset[str] = frozenset()  # who the toll counts: security, armed, civilian
    merged: int = 0
    last_sentence: int = -1  # the last sentence that told of it, once others merged in
    chained_to: _Draft | None = None  # the earlier event this one continues ("the talks ended …")


@dataclass(frozen=True, slots=True)
class Extraction:
    """Events of one article, plus the tolls it gives as totals of its events (not drawn)."""

    events: tuple[Event, ...]
    totals: tuple[Total, ...] = ()
    unknown: tuple[str, ...] = ()  # place names of the article the gazetteer does not know


def extract(article: Article, mentions: Sequence[Mention]) -> Extraction:
    """Events reported in ``article``, given its resolved place mentions."""
    text = article.text
    # Every list is kept in order of position, so that each clause takes its own dates, counts
    # and places without scanning the article: work stays linear in the article's length.
    dates = Spans(find_dates(text, article.published))
    counts = people_counts(text, dates)
    places = Spans(m for m in mentions if m.place is not None and m.kind != "demonym")
    unknown = Spans(m for m in mentions if m.kind == "unknown")
    countries = Spans(m for m in mentions if m.place is not None and m.place.precision == "country")
    country_names = {m.place.country: m.place.name for m in countries}
    focus = _focus_country(mentions)
    main = _main_place(places, focus)
    spans = _sentences(text)

    drafts: list[_Draft] = []
    # Set once a bare death was put down to disease or disaster: later bare tolls ("91 people
    # dead") tell of the same, until a word of violence starts another event.
    calm = False
    for index, (s, e) in enumerate(spans):
        check_budget()
        sentence = text[s:e]
        habitual = bool(_HABITUAL.search(sentence))
        clauses = _clauses(text, index, s, e)
        sentence_drafts = []
        for clause in clauses:
            draft = _draft_for_clause(text, clause, counts)
            if draft is None:
                continue
            clause_dates = [d for d in dates.within(clause.start, clause.end) if not d.reporting]
            if habitual and not any(d.value and d.value.precision == "day" for d in clause_dates):
                continue
            # "militants killed two policemen" after a flood story is violence again
            carried = calm and not draft.separate and not _ARMED.search(sentence)
            if not draft.trigger.strong and (carried or _NOT_VIOLENCE.search(sentence)):
                calm = True  # "a boy died of the virus", "two villagers died in landslides"
                continue
            calm = False
            if draft.event_type == "Battles" and _CROWD.search(sentence):
                # "protesters were injured in clashes with riot police": a riot, not a battle
                draft.event_type, draft.sub_event_type = "Riots", "Violent demonstration"
            sentence_drafts.append(draft)
        for draft in _merge_weak(sentence_drafts):
            _inherit_type(draft, drafts)
            _date(draft, text, dates, clauses, drafts, article.published)
            _place(draft, text, places, clauses, sentence_drafts, drafts, main, focus)
            _finer_unknown(draft, unknown, text)
            _actors(draft, text, countries, country_names)
            drafts.append(draft)

    drafts, totals = _find_totals(drafts, text, spans, article.id)
    drafts = _dedupe(drafts)
    for d in drafts:
        check_budget()
        _refine(d, places, spans, text, dates)
    events = on_borders([_to_event(d, article, text, spans) for d in drafts])
    return Extraction(events, tuple(totals), tuple(m.text for m in unknown))


def _main_place(places: Sequence[Mention], focus: Place | None) -> Place | None:
    """The town or district an article keeps coming back to (named three times or more, in
    its focus country), or None."""
    counts = Counter(
        m.place
        for m in places
        if m.place.precision in ("place", "admin2")
        and (focus is None or m.place.country == focus.country)
    )
    if not counts:
        return None
    place, n = counts.most_common(1)[0]
    return place if n >= 3 else None


def _focus_country(mentions: Sequence[Mention]) -> Place | None:
    weights: Counter[str] = Counter()
    first: dict[str, Place] = {}
    for m in mentions:
        if m.place is None:
            continue
        weights[m.place.country] += 2 if m.kind == "dateline" else 1
        if m.place.precision == "country":
            first.setdefault(m.place.country, m.place)
    for country, _ in weights.most_common():
        if country in first:
            return first[country]
    return None


def _draft_for_clause(text: str, clause: _Clause, counts: Sequence[Count]) -> _Draft | None:
    chunk = text[clause.start : clause.end]
    found = []
    for trig in _triggers():
        for m in trig.pattern.finditer(chunk):
            if _MODAL.search(chunk[: m.start()][-60:]):
                continue
            if trig.sub_event_type == "Agreement" and _BROKEN.search(chunk[: m.start()][-40:]):
                continue  # "accused Pakistan of breaking the ceasefire": not an agreement
            if _FIGURE_BEFORE.search(chunk[: m.start()][-20:]) or _FIGURE_AFTER.match(
                chunk, m.end()
            ):
                continue  # "a heart attack", "sharply attacked the plan", "fighting AIDS"
            found.append((trig, clause.start + m.start()))
    if not found:
        return None
    strong = [f for f in found if f[0].strong]
    trig, at = min(strong or found, key=lambda f: (f[0].rank, f[1]))
    toll = casualties(text, clause.start, clause.end, counts, KILL)
    injured = casualties(text, clause.start, clause.end, counts, INJURE)
    if not trig.strong and toll is None and injured is None:
        return None
    event_type, sub = trig.event_type, trig.sub_event_type
    if event_type == "*":
        event_type, sub = _type_by_target(chunk)
    elif (event_type, sub) == ("Battles", "Armed clash") and (
        _civilian_victims(chunk) or _civilian_target(chunk)
    ):
        # "gunmen raided a village, killing nine villagers": no fight, an attack on civilians
        event_type, sub = "Violence against civilians", "Attack"
    return _Draft(
        clause.sentence,
        clause,
        trig,
        at,
        event_type,
        sub,
        toll=toll,
        injured=injured.best if injured else None,
        separate=bool(_SEPARATE.search(chunk)),
        another_victim=bool(_ANOTHER_VICTIM.search(chunk)),
        victim_groups=victim_groups(text, toll) if toll else frozenset(),
    )


# Words that mark an event as another one than those reported before it.
_SEPARATE = re.compile(
    r"\b(?:separately|elsewhere)\b|\b(?:another|a separate|a second|a third|a fresh)\s+"
    r"(?:[\w-]+\s+)?(?:suicide\s+)?(?:bomber|attacker|gunman|explosion|blast|attack|bombing|bomb|"
    r"strike|raid|ambush|clash|operation|incident)\b",
    re.I,
)
_ANOTHER_VICTIM = re.compile(rf"\banother\s+(?:[\w-]+\s+)?{PERSON}\b", re.I)


def _type_by_target(chunk: str) -> tuple[str, str]:
    """Who was hit decides: security forces or armed men → a clash; civilians → an attack.

    The victims are read around the killing ("killing 450 villagers", "seven people were
    killed"), so the fighters who did it ("RSF fighters rampaged …") do not make it a clash.
    """
    if _civilian_victims(chunk) or _civilian_target(chunk):
        return "Violence against civilians", "Attack"
    if _SECURITY.search(chunk) or not _CIVILIAN.search(chunk):
        return "Battles", "Armed clash"
    return "Violence against civilians", "Attack"


# "ambushed a village", "the attack on the village of X", "stormed a wedding": a place where
# civilians are, with no armed men said to be there.
_CIVILIAN_TARGET = re.compile(
    r"\b(?:attack(?:ed|s)?|ambush(?:ed|es)?|raid(?:ed|s)?|stormed|overran|rampaged through)\s+"
    r"(?:(?:by|of)\s+(?:the\s+)?(?:[\w-]+\s+){1,3}?)?(?:on\s+|against\s+)?(?:a|an|the)?\s*"
    r"(?:[\w-]+\s+)?(?:village|hamlet|market|wedding|funeral|mosque|church|school|homes|houses|"
    r"camp for displaced people|displacement camp|refugee camp)s?\b(?P<rest>.*)",
    re.I | re.S,
)


def _civilian_target(chunk: str) -> bool:
    m = _CIVILIAN_TARGET.search(chunk)
    return bool(m) and not re.search(
        r"\b(?:militants?|insurgents?|terrorists?|hideouts?|fighters|gunmen|positions|bases?|"
        r"soldiers|troops|police)\b",
        m.group("rest"),
        re.I,
    )


def _civilian_victims(chunk: str) -> bool:
    """The people killed, read around the killing, are civilians and only civilians."""
    verb = KILL.search(chunk) or _ATTACK_ON.search(chunk)
    if verb is None:
        return False
    window = chunk[max(0, verb.start() - 60) : verb.end() + 60]
    victims = window if _PASSIVE.search(window) else window[window.find(verb.group()) :]
    return bool(_CIVILIAN.search(victims)) and not _SECURITY.search(victims)


_ATTACK_ON = re.compile(r"\b(?:attack(?:ed|s)?|opened fire|shot dead|gunned down)\b", re.I)
_PASSIVE = re.compile(
    r"\b(?:were|was|have been|had been)\s+(?:\w+\s+)?(?:killed|shot|slain)\b", re.I
)


def _take_toll(event: _Draft, killing: _Draft) -> None:
    event.toll, event.victim_groups = killing.toll, killing.victim_groups
    event.injured = event.injured or killing.injured
    event.separate = event.separate or killing.separate
    event.another_victim = event.another_victim or killing.another_victim


def _merge_weak(drafts: list[_Draft]) -> list[_Draft]:
    """A clause with only a killing verb gives its toll to a neighbouring event clause."""
    out: list[_Draft] = []
    for d in drafts:
        if not d.trigger.strong and out and out[-1].toll is None:
            _take_toll(out[-1], d)
            continue
        if not d.trigger.strong and d.toll is None and out and out[-1].injured is None:
            out[-1].injured = d.injured  # "…, and wounding about 50 others"
            continue
        if out and not out[-1].trigger.strong and d.toll is None:
            _take_toll(d, out[-1])
            out[-1] = d
            continue
        out.append(d)
    return out


# How far back (in events) a mention looks for the event it continues or repeats. Far more
# than an article's events; it bounds the work on a document of thousands of them.
_LOOKBACK = 100


def _recent(
    earlier: Sequence[_Draft], sentence: int = 0, *, within: int | None = None
) -> Iterator[_Draft]:
    """Earlier events, latest first: those at most ``within`` sentences before ``sentence``,
    or, with no distance given, the last ``_LOOKBACK``."""
    for d in itertools.islice(reversed(earlier), _LOOKBACK):
        if within is not None and sentence - d.sentence > within:
            return
        yield d


def _inherit_type(draft: _Draft, earlier: Sequence[_Draft]) -> None:
    """ "Another person was killed in B": one more event of the kind just reported."""
    if not draft.another_victim or draft.trigger.strong:
        return
    prior = next((d for d in _recent(earlier, draft.sentence, within=3) if _violent(d)), None)
    if prior is not None:
        draft.event_type, draft.sub_event_type = prior.event_type, prior.sub_event_type


def _date(draft, text, dates: Spans[DateMention], clauses, earlier, published) -> None:
    c = draft.clause
    own = [d for d in dates.within(c.start, c.end) if not d.reporting and d.value]
    if _dated_by_gap(draft, text, dates, clauses, earlier, own=bool(own)):
        return
    if not own:
        # The sentence's other clauses lend their date unless a temporal word separates them.
        own = [
            d
            for o in _linked_clauses(c, clauses)
            for d in dates.within(o.start, o.end)
            if not d.reporting and d.value
        ]
    if own:
        nearest = min(own, key=lambda d: abs(d.start - draft.trigger_start))
        draft.date = _speech_day(text, nearest, dates, clauses[0].start) or nearest.value
        return
    # "clashes that killed dozens, before a ceasefire on Oct. 19": near that date, not on it.
    across = [
        d
        for o in clauses
        for d in dates.within(o.start, o.end)
        if c.sentence == draft.sentence and d.value and not d.reporting
    ]
    if across:
        value = min(across, key=lambda d: abs(d.start - draft.trigger_start)).value
        precision = value.precision if value.precision in ("month", "year") else "month"
        draft.date = DateValue(value.date.replace(day=1), precision)
        draft.date_note = "date approximated from a related event in the same sentence"
        return
    chained = next((d for d in _recent(earlier, draft.sentence, within=2) if d.date), None)
    if chained is not None:
        source = chained.date
        precision = source.precision if source.precision in ("month", "year") else "month"
        draft.date = DateValue(source.date.replace(day=1), precision)
        draft.date_note = "date taken from the preceding event"
        return
    unresolved = [d for d in dates.within(c.start, c.end) if d.value is None and d.offset is None]
    if unresolved:
        draft.date_note = f"date {unresolved[0].text!r} needs a publication date"
    elif published is not None:
        draft.date = DateValue(published, "week")
        draft.date_note = "no date in the text: the week of publication"
    else:
        draft.date_note = "no date in the text and no publication date"


def _dated_by_gap(
    draft: _Draft,
    text: str,
    dates: Spans[DateMention],
    clauses: Sequence[_Clause],
    earlier: Sequence[_Draft],
    *,
    own: bool,
) -> bool:
    """Date a clause that counts days from another event: "talks on Saturday, a day after
    strikes …" (the clause before it), "police on Monday probed the blast the day before"
    (the sentence's date) or "A day before, a blast …" (the event just reported)."""
    c = draft.clause
    anchor, offset = None, None
    i = clauses.index(c)
    if c.offset is not None and i > 0 and not own:
        found = [
            d
            for o in _linked_clauses(clauses[i - 1], clauses)
            for d in dates.within(o.start, o.end)
            if not d.reporting and d.value
        ]
        found.sort(key=lambda d: d.start)
        if found:
            anchor, offset = found[-1].value, c.offset
    # "A day before, a blast …", "a blast that hit a church the day before": the phrase
    # belongs to the event word, not to a later verb ("arrested, and was charged the next day").
    relative = [
        d
        for d in dates.within(c.start, c.end)
        if d.offset is not None
        and d.start < draft.trigger_start + 80
        and not _LATER_VERB.search(text, draft.trigger_start, max(draft.trigger_start, d.start))
    ]
    if anchor is None and relative:
        phrase = relative[0]
        sentence_start = clauses[0].start
        in_sentence = [
            d.value
            for d in dates.within(sentence_start, phrase.start)
            if d.value and d.value.precision == "day"
        ]
        dated = next(
            (d.date for d in _recent(earlier) if d.date is not None and d.date.precision == "day"),
            None,
        )
        # With no dated event before it, the last date the text gave before the phrase.
        given = dates.last_before(phrase.start, lambda d: bool(d.value) and not d.reporting)
        prior = in_sentence[-1] if in_sentence else dated or (given.value if given else None)
        if prior is not None:
            anchor, offset = prior, phrase.offset
    if anchor is None or anchor.precision != "day":
        return False
    draft.date = DateValue(anchor.date + dt.timedelta(days=offset), "day")
    draft.date_note = f"date counted {abs(offset)} day(s) from a related event"
    return True


_LATER_VERB = re.compile(r"\band\s+(?:was|were|had|has|is|are)\b", re.I)


def _speech_day(
    text: str, today: DateMention, dates: Spans[DateMention], sentence_start: int
) -> DateValue | None:
    """ "Sharing a post on Monday, he said: 'An explosion occurred this afternoon …'": inside a
    quotation, "today" is the day the words were said when the sentence gives that day."""
    if today.kind != "today":
        return None
    quote = max(text.rfind(q, sentence_start, today.start) for q in ('"', "“"))
    if quote < 0:
        return None
    said = [
        d for d in dates.within(sentence_start, quote) if d.value and d.value.precision == "day"
    ]
    return said[-1].value if said else None


def _linked_clauses(clause: _Clause, clauses: Sequence[_Clause]) -> list[_Clause]:
    """Clauses of the same sentence not separated from ``clause`` by a temporal word."""
    i = clauses.index(clause)
    group = [clause]
    j = i
    while j > 0 and not clauses[j].after_temporal:
        j -= 1
        group.append(clauses[j])
    j = i + 1
    while j < len(clauses) and not clauses[j].after_temporal:
        group.append(clauses[j])
        j += 1
    return group


def _locative(text: str, clause_start: int, mention: Mention) -> bool:
    before = text[max(clause_start, mention.start - 40) : mention.start]
    return bool(_LOCATIVE.search(before))


def _finest(mentions: list[Mention]) -> Mention | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: (m.place.geo_precision, m.start))


def _finer_unknown(draft: _Draft, unknown: Spans[Mention], text: str) -> None:
    """Name the village or area of the clause that the gazetteer lacks ("in the Torkhel area
    in North Waziristan"): the event keeps the known place's point, at district precision,
    or the country's when the clause names no known place."""
    if draft.place is None or draft.location_source not in ("text", "country"):
        return
    c = draft.clause
    inside = unknown.within(c.start, c.end)
    if inside:
        # A name the text calls a village is finer than one after a bare "in".
        draft.unknown_name = min(
            inside,
            key=lambda m: (
                not _CALLED_VILLAGE.search(text, max(0, m.start - 20), m.start),
                abs(m.start - draft.trigger_start),
            ),
        ).text


_CALLED_VILLAGE = re.compile(r"\b(?:village|hamlet|town|neighbou?rhood)\s+of\s+$", re.I)


def _place(draft, text, places: Spans[Mention], clauses, sentence_drafts, earlier, main, focus):
    c = draft.clause
    here = [m for m in places.within(c.start, c.end) if _locative(text, c.start, m)]
    source = "text"
    if not here:
        # Places of the sentence's other clauses, unless a temporal word separates them ("talks
        # in Qatar after border clashes" does not put the clashes in Qatar).
        idle = [
            o
            for o in _linked_clauses(c, clauses)
            if o is not c and all(d.clause is not o for d in sentence_drafts)
        ]
        here = [
            m
            for o in idle
            for m in places.within(o.start, o.end)
            if _locative(text, c.start if m.start >= c.start else 0, m)
        ]
    best = _finest(here)
    if best is not None:
        draft.place, draft.place_name, draft.location_source = best.place, best.text, source
        return
    chained = next(
        (
            d
            for d in _recent(earlier, draft.sentence, within=2)
            if d.event_type == draft.event_type
            and d.sub_event_type == draft.sub_event_type
            and d.location_source == "text"
        ),
        None,
    )
    if chained is not None:
        draft.place, draft.place_name = chained.place, chained.place_name
        draft.location_source, draft.chained_to = "chain", chained
        return
    if main is not None:
        draft.place, draft.place_name, draft.location_source = main, main.name, "article"
        draft.notes.append(
            f"no place named for this event: placed at {main.name}, the place the article is about"
        )
        return
    if focus is not None:
        draft.place, draft.place_name, draft.location_source = focus, focus.name, "country"
        draft.notes.append("no place named for this event: located at country level")


def _actors(draft, text, countries: Spans[Mention], country_names) -> None:
    c = draft.clause
    chunk = text[c.start : c.end]
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, bool]] = []
    for rule in _actor_rules():
        for m in rule.pattern.finditer(chunk):
            s, e = c.start + m.start(), c.start + m.end()
            if any(a < e and s < b for a, b in taken):
                continue
            taken.append((s, e))
            country = _country_before(text, s, countries)
            if country is None and draft.place is not None:
                country = country_names.get(draft.place.country, draft.place.country)
            name = rule.name
            if "{country}" in name:
                name = (
                    name.replace("{country}", country)
                    if country
                    else name.replace(" of {country}", "").replace(" ({country})", "")
                )
            victim = bool(_PASSIVE_KILL.match(text[e : c.end])) and not re.search(
                r"\bby\s+(?:the\s+)?$", text[max(c.start, s - 20) : s]
            )
            by = bool(
                re.search(r"\bby\s+(?:the\s+)?(?:[\w-]+\s+)?$", text[max(c.start, s - 25) : s])
            )
            found.append((s, name, victim and not by))
    found.sort()
    if any(not _generic(n) and not _state(n) for _, n, _ in found):
        found = [f for f in found if not _generic(f[1])]
    names = list(dict.fromkeys(n for _, n, _ in found))
    draft.actors = names
    draft.victim_first = bool(found) and found[0][2]
    # "killed by X": X is the perpetrator even when named last.
    by_actor = [
        n
        for s, n, v in found
        if re.search(r"\bby\s+(?:the\s+)?(?:[\w-]+\s+)?$", text[max(c.start, s - 25) : s])
    ]
    if by_actor and names and names[0] != by_actor[0]:
        draft.actors = [by_actor[0], *[n for n in names if n != by_actor[0]]]
        draft.victim_first = False


# A lead names a region ("a train station in southwestern Pakistan"); the next sentences
# often name the town ("… from Quetta", "Quetta's train station"). How far to look:
_REFINE_SENTENCES = 2
_AT = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$", re.I)
_REFINE_CUE = re.compile(r"^(?:['’]s\b)", re.I)


def _refine(
    draft: _Draft,
    places: Spans[Mention],
    spans: Sequence[tuple[int, int]],
    text: str,
    dates: Spans[DateMention],
) -> None:
    """Move an event known only to a province or country to the town named just after it."""
    if draft.place is None or draft.place.geo_precision < 3 or draft.location_source == "chain":
        return
    last = min(draft.sentence + _REFINE_SENTENCES, len(spans) - 1)
    lo, hi = spans[draft.sentence][1], spans[last][1]
    # A sentence dated otherwise ("… in April 2023 in Khartoum") tells of another event.
    other_time = [
        (s, e)
        for s, e in spans[draft.sentence + 1 : last + 1]
        if lo <= s < hi
        and any(
            d.value and not d.reporting and not _dates_compatible(d.value, draft.date, slack=3)
            for d in dates.within(s, e)
        )
    ]
    near = [
        m
        for m in places.within(lo, hi)
        if not any(s <= m.start < e for s, e in other_time)
        and m.place.geo_precision <= 2
        and _contains(draft.place, m.place)
        and (
            _REFINE_CUE.match(text, m.end)
            or _AT.search(text[max(0, m.start - 40) : m.start])
            or re.search(r"\bfrom\s+(?:the\s+)?$", text[max(0, m.start - 12) : m.start])
        )
    ]
    if not near:
        return
    counts = Counter(m.place for m in near)
    best = max(near, key=lambda m: (counts[m.place], -m.start))
    draft.notes.append(f"placed at {best.text}, named in the sentences that follow")
    draft.notes = [n for n in draft.notes if "country level" not in n]
    draft.place, draft.place_name, draft.location_source = best.place, best.text, "text"


def _generic(actor: str) -> bool:
    return actor.startswith("Unidentified Armed Group")


def _state(actor: str) -> bool:
    return actor.startswith(("Military Forces", "Police Forces", "Civilians", "Protesters"))


def _country_before(text: str, start: int, countries: Spans[Mention]) -> str | None:
    """The country named just before an actor ("Pakistan's army"), if any."""
    for m in countries.within(start - 80, start):  # no country's name is longer than 68
        if 0 <= start - m.end <= 12:
            gap = text[m.end : start]
            if re.fullmatch(r"(?:['’]s)?\s+(?:[\w-]+\s+)?", gap):
                return m.place.name
    return None


# ---------------------------------------------------------------- totals and duplicates


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str
    pattern: re.Pattern


@cache
def _total_cues() -> tuple[_Cue, ...]:
    return tuple(_Cue(r["kind"], re.compile(r["pattern"], re.I)) for r in _rows("totals.tsv"))


# The events a total covers are listed near it: among this many tolled events on either side.
_TOTAL_WINDOW = 8
_MOST_PARTS = 6


def _headline_end(text: str) -> int:
    """Where the article's first line ends when it is a headline (no full stop, a story after
    it), else 0."""
    end = text.find("\n")
    if end <= 0 or end == len(text.rstrip()):
        return 0
    head = text[:end].rstrip()
    if not head or head[-1] in ".!?\"”’'" or len(head.split()) > 25:
        return 0
    return end


def _total_cue(
    text: str, total: _Draft, sentences: Sequence[tuple[int, int]], *, headline: int, shared: bool
) -> tuple[str, int | None] | None:
    """The words that make ``total``'s toll a total, and how many incidents they count (None
    when they do not say); None when the text does not call it a total. ``headline`` is where
    the headline ends (0: none); ``shared``, that another toll stands in its sentence, so that
    only the total's own clause speaks for it."""
    s, e = sentences[total.sentence]
    if s < headline:
        return "a headline", None
    chunk = text[total.clause.start : total.clause.end] if shared else text[s:e]
    for cue in _total_cues():
        m = cue.pattern.search(chunk)
        if m is None:
            continue
        n = (m.groupdict().get("n") or "").lower()
        count = 2 if n == "twin" else number_value(n) if n and n not in ("a", "an") else None
        return m.group(0), count if count and count >= 2 else None
    return None


def _find_totals(
    drafts: list[_Draft], text: str, sentences: Sequence[tuple[int, int]], article_id: str
) -> tuple[list[_Draft], list[Total]]:
    """Tolls the text gives as totals of incidents it lists ("killed 20 in raids … eight …
    12 others …"): not events of their own. A total needs the text's word for it (a headline,
    "in two raids", "in total"; ``rules/totals.tsv``) and listed events near it whose tolls add
    up to it, at places and on dates within its own; arithmetic alone never drops an event.
    Work is bounded: at most ``_TOTAL_WINDOW`` events on either side are tried as parts."""
    tolled = [d for d in drafts if d.toll and _violent(d)]
    position = {id(d): i for i, d in enumerate(tolled)}
    per_sentence = Counter(d.sentence for d in drafts if d.toll)
    headline = _headline_end(text)
    totals, dropped = [], set()
    for total in sorted(tolled, key=lambda d: -d.toll.best):
        check_budget()
        shared = per_sentence[total.sentence] > 1
        cue = _total_cue(text, total, sentences, headline=headline, shared=shared)
        if cue is None:
            continue
        words, count = cue
        sizes = (count,) if count else range(2, _MOST_PARTS + 1)
        i = position[id(total)]
        parts = None
        # A lead's incidents follow it; a summary's come before it.
        for window in (
            tolled[i + 1 : i + 1 + _TOTAL_WINDOW],
            tolled[max(0, i - _TOTAL_WINDOW) : i],
        ):
            candidates = [
                d
                for d in window
                if d.toll.best < total.toll.best
                and _dates_compatible(total.date, d.date, slack=7)
                and _within(total, d)
            ]
            parts = _parts_adding_up(candidates, total.toll.best, sizes)
            if parts:
                break
        if not parts or not _groups_cover(total, parts):
            continue
        dropped.add(id(total))
        for p in parts:
            # The total names who fought; its parts often only say "militants" or "others".
            if not p.actors or (
                all(_generic(a) or _state(a) for a in p.actors)
                and any(not _generic(a) for a in total.actors)
            ):
                p.actors, p.victim_first = list(total.actors), total.victim_first
        s, e = sentences[total.sentence]
        lead = len(text[s:e]) - len(text[s:e].lstrip())
        evidence = text[s:e].strip()
        totals.append(
            Total(
                article_id=article_id,
                fatalities=total.toll.best,
                evidence=evidence,
                start=s + lead,
                end=s + lead + len(evidence),
                cue=words,
                parts=tuple(
                    (
                        p.toll.best,
                        p.place_name or (p.place.name if p.place else None),
                        text[slice(*sentences[p.sentence])].strip(),
                    )
                    for p in parts
                ),
            )
        )
    return [d for d in drafts if id(d) not in dropped], totals


def _within(total: _Draft, part: _Draft) -> bool:
    """``part`` happened within the total's place: the same place, one it holds, or anywhere
    when the total names no place of its own."""
    outer, inner = total.place, part.place
    if outer is None or inner is None or total.location_source != "text":
        return True
    if _contains(outer, inner):
        return True
    return outer.country == inner.country and outer.geo_precision > inner.geo_precision


def _groups_cover(total: _Draft, parts: Sequence[_Draft]) -> bool:
    """ "Four soldiers were killed" is not the sum of three attackers and one civilian: a total
    that names whom it counts must count the people its parts count."""
    if not total.victim_groups:
        return True
    return all(p.victim_groups <= total.victim_groups for p in parts)


def _parts_adding_up(
    candidates: list[_Draft], target: int, sizes: Iterable[int]
) -> list[_Draft] | None:
    """The fewest candidates (in text order) whose tolls add up to ``target``; candidates
    are at most ``_TOTAL_WINDOW``, so at most 247 sets are tried."""
    for size in sizes:
        if size > len(candidates):
            break
        for combo in itertools.combinations(candidates, size):
            if sum(d.toll.best for d in combo) == target and not _has_twins(combo):
                return list(combo)
    return None


def _has_twins(drafts: Sequence[_Draft]) -> bool:
    """Two of the parts report one event (a headline and its story): they are not a sum."""
    return any(
        a.event_type == b.event_type
        and (_contains(a.place, b.place) or _contains(b.place, a.place))
        and _dates_compatible(a.date, b.date, slack=1)
        for a, b in itertools.combinations(drafts, 2)
    )


def _dates_compatible(a: DateValue | None, b: DateValue | None, *, slack: int) -> bool:
    if a is None or b is None:
        return True
    for x, y in ((a, b), (b, a)):
        if x.precision == "year" and x.date.year == y.date.year:
            return True
        if x.precision == "month" and (x.date.year, x.date.month) == (y.date.year, y.date.month):
            return True
        # A week ("over the weekend", or the week of publication for an undated mention)
        # holds the days up to a week before it.
        if x.precision == "week" and 0 <= (x.date - y.date).days <= 7:
            return True
    if a.precision == b.precision == "day" and slack < 3:
        slack = 0  # "Monday" and "Tuesday" in one story are two events
    return abs((a.date - b.date).days) <= slack


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _contains(outer: Place | None, inner: Place | None) -> bool:
    """``outer`` is ``inner`` or an area that holds it (country ⊃ province ⊃ district ⊃ town)."""
    if outer is None or inner is None:
        return False
    if outer == inner:
        return True
    if (
        outer.precision == "place"
        and inner.precision == "place"
        and outer.country == inner.country
        and fold(outer.name) in (fold(inner.admin2 or ""), fold(inner.admin1 or ""))
    ):
        # "Dera Ismail Khan" (the town) for a village of Dera Ismail Khan district; a city
        # that is its own region ("Kyiv") for its districts.
        return True
    if outer.country != inner.country or outer.geo_precision <= inner.geo_precision:
        return False
    if outer.precision == "country":
        return True
    name = fold(outer.name)
    return name in (fold(inner.admin1 or ""), fold(inner.admin2 or ""))


def _family(d: _Draft) -> str:
    """Political violence, demonstrations or strategic developments: a detail told without a
    place joins an event of its own family only."""
    if d.event_type in ("Protests", "Riots"):
        return "demonstrations"
    return "violence" if _violent(d) else "strategic"


def _violent(d: _Draft) -> bool:
    return d.event_type != "Strategic developments"


def _twin(d: _Draft, out: list[_Draft]) -> _Draft | None:
    """The earlier event of the article that ``d`` reports again, if any: among the last
    ``_LOOKBACK`` events, which bounds the work on a very long document."""
    if (d.separate and _told_of_its_own(d)) or (d.another_victim and d.location_source == "text"):
        return None
    recent = out[-_LOOKBACK:]
    if d.location_source != "text" and not d.clause.sequel:
        # A clause with no place of its own in a sentence that reports an event ("…, 23 of
        # them in a building hit by a missile") tells more of that event.
        for o in reversed(recent):
            if o.sentence == d.sentence and _family(o) == _family(d):
                return o
    if d.chained_to is not None and any(o is d.chained_to for o in recent):
        return d.chained_to
    slack = 3 if d.event_type == "Strategic developments" else 1
    for o in recent:
        # A bare killing ("a woman was killed in the crossfire") is typed by its victims; when
        # it happened where and when an event already reported did, it is part of that event.
        same_type = o.event_type == d.event_type or (
            d.trigger.event_type == "*" and not d.trigger.strong and _violent(o) and _violent(d)
        )
        if (
            same_type
            and (
                o.sub_event_type == d.sub_event_type
                or _contains(o.place, d.place)
                or _contains(d.place, o.place)
            )
            and (_contains(o.place, d.place) or _contains(d.place, o.place))
            and _dates_compatible(o.date, d.date, slack=slack)
            and _tolls_compatible(o, d)
        ):
            return o
    if d.location_source in ("article", "country", None):
        # No place of its own: a detail of the event just reported ("Several journalists
        # were also wounded", "The attack happened when …").
        for o in sorted(recent, key=_last_told, reverse=True):
            if (
                d.sentence - _last_told(o) <= 5
                and not (d.clause.sequel and d.sentence == o.sentence)
                and _family(o) == _family(d)
                and _dates_compatible(o.date, d.date, slack=1)
                # "Earlier, 14 were killed on Monday": another toll on another day is another event.
                and not (o.toll and d.toll and o.toll.best != d.toll.best and o.date != d.date)
            ):
                return o
    return None


def _told_of_its_own(d: _Draft) -> bool:
    """It has a toll, a place or a date of its own: "police feared another attack" has none."""
    own_date = d.date is not None and d.date_note is None
    return d.toll is not None or d.location_source == "text" or own_date


def _last_told(d: _Draft) -> int:
    return max(d.sentence, d.last_sentence)


def _tolls_compatible(a: _Draft, b: _Draft) -> bool:
    """Two separate tolls in one sentence are two events; otherwise the later toll updates."""
    return not (a.toll and b.toll and a.sentence == b.sentence and a.toll.best != b.toll.best)


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    """One event per (type, place, compatible date) within an article.

    A later mention merges into an earlier one when they share the type, their places are the
    same or one holds the other ("in Pakistan" … "in Quetta"), and their dates agree; a
    mention with no place of its own merges into the event reported just before it.
    """
    out: list[_Draft] = []
    for d in drafts:
        twin = _twin(d, out)
        if twin is None:
            out.append(d)
            continue
        twin.merged += 1
        twin.last_sentence = max(twin.last_sentence, d.sentence)
        _merge_toll(twin, d)
        if (
            d.date
            and d.location_source != "chain"
            and (
                twin.date is None
                or _PRECISION_RANK[d.date.precision] < _PRECISION_RANK[twin.date.precision]
            )
        ):
            twin.date, twin.date_note = d.date, d.date_note
        if (
            d.place is not None
            and d.location_source == "text"
            and twin.place is not None
            and (
                d.place.geo_precision < twin.place.geo_precision
                or (d.place != twin.place and _contains(twin.place, d.place))
            )
        ):
            twin.place, twin.place_name, twin.location_source = d.place, d.place_name, "text"
            twin.notes = [n for n in twin.notes if "country level" not in n]
        if d.unknown_name and not twin.unknown_name and _contains(twin.place, d.place):
            twin.unknown_name = d.unknown_name
            twin.place, twin.place_name = d.place, d.place_name
        if (
            twin.sub_event_type in _GENERIC_SUBTYPES
            and d.sub_event_type not in _GENERIC_SUBTYPES
            and d.event_type in (twin.event_type, "Explosions/Remote violence")
        ):
            # "an attack … killed 28" then "a direct hit by a missile": the weapon names the type.
            twin.event_type, twin.sub_event_type = d.event_type, d.sub_event_type
        twin.actors = list(dict.fromkeys([*twin.actors, *d.actors]))
        twin.injured = twin.injured or d.injured
    return out


def _merge_toll(twin: _Draft, d: _Draft) -> None:
    """Two reports of one event's toll: the later count updates the earlier, except that counts
    of different people in different sentences ("four soldiers were killed" … "three attackers
    had been killed") add up, as ACLED counts everyone killed in the event."""
    if d.toll is None:
        return
    if twin.toll is None:
        twin.toll, twin.victim_groups = d.toll, d.victim_groups
        return
    if (
        d.sentence != twin.sentence
        and twin.victim_groups
        and d.victim_groups
        and not twin.victim_groups & d.victim_groups
    ):
        twin.toll = twin.toll.plus(d.toll)
        twin.victim_groups = twin.victim_groups | d.victim_groups
        note = "toll adds up the groups of people the article counts separately"
        twin.notes = [*(n for n in twin.notes if n != note), note]
    elif d.toll.best > twin.toll.best:
        twin.toll, twin.victim_groups = d.toll, d.victim_groups


# Sub-types a more specific report replaces ("a blast" then "a suicide bomber").
_GENERIC_SUBTYPES = {"Remote explosive/landmine/IED", "Armed clash", "Attack"}


def _event_point(place: Place) -> tuple[float, float]:
    """Where an event at this place is drawn: a province-level event at the province's seat
    (ACLED's convention), anything else at the place's own point."""
    if place.seat_lat is not None and place.seat_lon is not None:
        return place.seat_lat, place.seat_lon
    return place.lat, place.lon


def _to_event(d: _Draft, article: Article, text: str, spans: Sequence[tuple[int, int]]) -> Event:
    s, e = spans[d.sentence]
    actor1 = actor2 = None
    if d.actors:
        if d.victim_first and len(d.actors) == 1:
            actor2 = d.actors[0]
        else:
            actor1 = d.actors[0]
            actor2 = d.actors[1] if len(d.actors) > 1 else None
    notes = list(d.notes)
    if d.unknown_name and d.place is not None:
        notes.append(f"{d.unknown_name} is not in the gazetteer: placed at {d.place.name}")
    if d.date_note:
        notes.append(d.date_note)
    if d.merged:
        notes.append(f"reported {d.merged + 1} times in the article")
    place = d.place
    confidence = (
        0.9 if d.location_source == "text" else 0.6 if d.location_source == "chain" else 0.3
    )
    if d.date is None or d.date.precision != "day":
        confidence -= 0.1
    raw = text[s:e]
    lead = len(raw) - len(raw.lstrip())
    evidence = raw.strip()
    toll = d.toll
    return Event(
        article_id=article.id,
        event_type=d.event_type,
        sub_event_type=d.sub_event_type,
        evidence=evidence,
        start=s + lead,
        end=s + lead + len(evidence),
        event_date=d.date.iso() if d.date else None,
        date_precision=d.date.precision if d.date else None,
        actor1=actor1,
        actor2=actor2,
        fatalities=toll.best if toll else (0 if d.event_type == "Strategic developments" else None),
        fatalities_low=toll.low if toll else None,
        fatalities_high=toll.high if toll else None,
        injured=d.injured,
        location=d.unknown_name or (place.name if place else None),
        admin1=(place.name if place.precision == "admin1" and d.unknown_name else place.admin1)
        if place
        else None,
        admin2=(place.name if place.precision == "admin2" and d.unknown_name else place.admin2)
        if place
        else None,
        country=place.country if place else None,
        latitude=_event_point(place)[0] if place else None,
        longitude=_event_point(place)[1] if place else None,
        geo_precision=(max(2, place.geo_precision) if d.unknown_name else place.geo_precision)
        if place
        else None,
        geonameid=place.geonameid if place else None,
        location_source=d.location_source,
        source=article.source,
        source_url=article.url,
        confidence=round(max(0.05, confidence), 2),
        notes=tuple(notes),
    )
