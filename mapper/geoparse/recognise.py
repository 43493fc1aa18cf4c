"""Recognition: text → place-name spans (Mention records without a resolved place).

Candidates are runs of capitalised words looked up in the gazetteer, longest first,
then filtered by rules that know what is not a place in news text: stop words,
words the article also uses in lower case, and parts of people's names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from ..budget import check_budget
from ..rules import lines, patterns, words
from ..text.names import TYPE_WORDS
from ..text.spans import Intervals
from ..types import Mention, MentionKind
from .people import given_names

__all__ = ["is_supranational", "recognise", "type_hint", "unknown_mentions"]

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_CONTRACTION = re.compile(r"(?:n['’]t|['’](?:ve|ll|re|d|m))$", re.I)
# The Arabic article as transliterated before a sun letter ("Jisr ash-Shughur", "Dar es-Salaam",
# "ar-Raqqa"): inside a name when a hyphen ties it to the next word.
_ARABIC_ARTICLES = (
    "ad",
    "ed",
    "adh",
    "ar",
    "er",
    "as",
    "es",
    "ash",
    "esh",
    "at",
    "et",
    "ath",
    "az",
    "ez",
)
# Lower-case words allowed inside a multi-word name: after a hyphen ("Mazar-e-Sharif",
# "Tehrik-i-Taliban", "Port-au-Prince") or a space ("Bay of Bengal", "Rio de Janeiro").
_HYPHEN_CONNECTORS = frozenset(
    [
        *("e", "i", "ye", "ul", "al", "el", "ud", "ur", "us", "ash", "an"),
        *_ARABIC_ARTICLES,
        # "Port-au-Prince", "Aix-en-Provence", "Boulogne-sur-Mer", "Saint-Jean-de-Luz"
        *("au", "aux", "en", "sur", "sous", "la", "le", "les", "de", "du", "des", "lès"),
        *("administered", "held", "controlled", "occupied"),  # "Pakistan-administered Kashmir"
    ]
)
_CONNECTORS = frozenset(["and", "the"]) | frozenset(
    [
        "of",
        "de",
        "del",
        "della",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "les",
        "al",
        "el",
        "bin",
        "ibn",
        *("es", "ez", "az"),  # "Dar es Salaam", "Wadi es Sir": never English words
    ]
)
# Words that end the name of an organisation or a building: a small place inside such a run
# is part of the name ("Women's College Hospital"), a major one stays ("Dresden Zoo").
_INSTITUTIONS = frozenset(
    [
        "zoo",
        "college",
        "university",
        "school",
        "elementary",
        "academy",
        "hospital",
        "clinic",
        "society",
        "museum",
        "stadium",
        "cathedral",
        "mosque",
        "temple",
        "company",
        "church",
    ]
)
# Words that head the name of a body ("the Tanbin Council of Gulbano State"): a place's name
# before one, with "of" and a place after it, only qualifies the body.
_BODIES = (
    *("council", "commission", "committee", "front", "army", "movement", "party"),
    *("alliance", "union", "league", "forces", "federation", "association", "congress"),
)
_BODY_OF = re.compile(
    rf"\s+(?:{'|'.join(w.capitalize() for w in _BODIES)})\s+of\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)"
)
# Words that make a run of capitalised words the name of an organisation, not of a person.
_ORGANISATIONS = _INSTITUTIONS | frozenset(
    [
        *_BODIES,
        *("organization", "organisation", "group", "network", "branch", "office", "ministry"),
        *("department", "police", "agency", "authority", "corporation", "bank", "foundation"),
    ]
)
# Words that end a newspaper's name: the place in it names the paper, not where anything is.
_PUBLICATIONS = frozenset(
    [
        *("times", "post", "herald", "tribune", "journal"),
        *("gazette", "chronicle", "telegraph", "inquirer", "observer"),
    ]
)
# Words that, earlier in the same capitalised run, make what follows a person's name.
_PERSON_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "general",
        "lt",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "sgt",
        "president",
        "minister",
        "premier",
        "chancellor",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "commander",
        "chief",
        "leader",
        "governor",
        "mayor",
        "senator",
        "judge",
        "justice",
        "cleric",
        "imam",
        "mullah",
        "maulana",
        "sheikh",
        "emir",
        "prince",
        "king",
        "queen",
        "ambassador",
        "envoy",
        "officer",
        "inspector",
        "superintendent",
        "sp",
        "dsp",
        "ssp",
    ]
)
MAX_WORDS = 6
# Words after a name that make it a settlement's ("Kara Village").
_SETTLEMENT_WORDS = frozenset({"village", "hamlet", "settlement"})
# Places this prominent are kept even inside a longer capitalised name ("Kabul University").
_MAJOR_POPULATION = 100_000
_FAMOUS_POPULATION = 500_000
_MAJOR_PROVINCE = 50_000


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        """The word starts with a capital letter."""
        return self.text[:1].isupper()


def _stopwords() -> frozenset[str]:
    return words("stopwords.txt")


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        word, end = m.group(), m.end()
        if _CONTRACTION.search(word):
            continue  # "I've", "don't": not names
        pos = _POSSESSIVE.search(word)
        if pos:
            word, end = word[: pos.start()], m.start() + pos.start()
        out.append(_Token(word, m.start(), end))
    return out


def _joined(text: str, left: _Token, right: _Token) -> bool:
    """Tokens are part of one name only when separated by one space or a hyphen."""
    gap = text[left.end : right.start]
    if gap in (".", ". ") and len(left.text) == 1 and left.text.isupper():
        return True  # initials: "D.I. Khan"
    return gap in (" ", "-", "‐", "–") and not (
        left.end < len(text) and text[left.end : left.end + 1] == "'"
    )


def _tied_article(text: str, tokens: Sequence[_Token], i: int) -> bool:
    """ "ash" in "Jisr ash-Shughur": an article a hyphen ties to the capitalised word after it."""
    tok = tokens[i]
    if tok.text not in _ARABIC_ARTICLES or i + 1 == len(tokens):
        return False
    nxt = tokens[i + 1]
    return text[tok.end : nxt.start] == "-" and nxt.capitalised


def _runs(text: str, tokens: Sequence[_Token]) -> list[list[int]]:
    """Indexes of maximal runs of joined tokens that start and end capitalised."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, tok in enumerate(tokens):
        joined = bool(current) and _joined(text, tokens[current[-1]], tok)
        gap = text[tokens[current[-1]].end : tok.start] if current else ""
        connector = tok.text.lower() in (_HYPHEN_CONNECTORS if gap != " " else _CONNECTORS) or (
            gap == " " and _tied_article(text, tokens, i)
        )
        ok = tok.capitalised or (joined and connector)
        if ok and (joined or not current):
            current.append(i)
            continue
        if current:
            runs.append(current)
        current = [i] if tok.capitalised else []
    if current:
        runs.append(current)
    # A run never ends on a connector.
    return [r[: max(k for k, i in enumerate(r) if tokens[i].capitalised) + 1] for r in runs]


Lookup = Callable[[str], Sequence]


def recognise(
    text: str, lookup: Lookup, *, prefetch: Callable[[list[str]], None] | None = None
) -> list[Mention]:
    """Place-name mentions in ``text``, in text order.

    ``lookup(name)`` returns the gazetteer candidates for a name (``Gazetteer.candidates``);
    ``prefetch(names)``, when given, is told first every name that may be looked up, so that
    they are fetched in a few queries rather than one each (``Gazetteer.prefetch``).
    """
    tokens = _tokens(text)
    lower_words = {t.text for t in tokens if t.text.islower()}
    stop = _stopwords()
    found: list[tuple[Mention, Sequence]] = []
    people: set[str] = set()
    runs = _runs(text, tokens)
    if prefetch is not None:
        prefetch(_phrases(text, tokens, runs))
    for run in runs:
        check_budget()
        found.extend(_scan_run(text, tokens, run, lookup, stop, lower_words, people))
    ending = {t.end: t for t in tokens}
    found = [_across_possessive(text, ending, m, c, lookup) for m, c in found]
    # One sense per article: a word seen as part of a person's name ("Jim Walsh", "Minister
    # Amir Khan Muttaqi") is that person when it stands alone later ("Walsh said").
    mentions = [
        m
        for m, candidates in found
        if not (_single_minor(m, candidates) and (m.text in people or _SPEECH.match(text, m.end)))
        and not (
            m.kind != MentionKind.DEMONYM
            and not _is_major(candidates)
            and _PERSON_BEFORE.search(text, max(0, m.start - 60), m.start)
        )
        and not _NAMED_AFTER.match(text, m.end)
        and not (not _is_major(candidates) and _FACILITY_IN.match(text, m.end))
    ]
    # A supranational body is no place, nor is a name inside it ("European Union").
    bodies = Intervals(m.span() for m in _supranational_pattern().finditer(text))
    mentions = [m for m in mentions if not bodies.overlaps(m.start, m.end)]
    # An abbreviation ("Ky.") replaces the bare word found inside it ("Ky").
    abbreviations = [a for a in _abbreviations(text, lookup) if not bodies.overlaps(a.start, a.end)]
    inside = Intervals((a.start, a.end) for a in abbreviations)
    mentions = [m for m in mentions if not inside.overlaps(m.start, m.end)]
    mentions.extend(abbreviations)
    mentions.sort(key=lambda m: m.start)
    return [m for m in mentions if not text.startswith("$", m.end)]  # "US$460": a currency


_POSSESSIVE_GAP = re.compile(r"['’]s ")


def _across_possessive(text, ending, mention, candidates, lookup) -> tuple[Mention, Sequence]:
    """ "People's Republic of China": a name with a possessive inside it, which splits runs.
    ``ending`` gives the token that ends at each offset."""
    gap = _POSSESSIVE_GAP.match(text, mention.start - 3)
    if gap is None or gap.end() != mention.start:
        return mention, candidates
    before = ending.get(gap.start())
    if before is None or not before.capitalised:
        return mention, candidates
    longer = text[before.start : mention.end]
    found = lookup(longer)
    if not found:
        return mention, candidates
    kind = MentionKind.DEMONYM if found[0].kind == "demonym" else MentionKind.NAME
    return Mention(longer, before.start, mention.end, kind=kind, hint=mention.hint), found


_RULES = patterns("names.tsv")
# "Marburg virus", "Spanish flu": named after a place, not the place. "Walsh said": a single
# minor name before a speech verb is a person. "her son, Jack", "regional director Luis Gomes
# Sambo": a small place's name right after a kinship word or a title is a person's.
_NAMED_AFTER = _RULES["named_after"]
_FACILITY_IN = _RULES["facility_in"]
_SPEECH = _RULES["speech"]
_PERSON_BEFORE = _RULES["person_before"]


def _single_minor(mention: Mention, candidates: Sequence) -> bool:
    return (
        mention.kind != MentionKind.DEMONYM
        and " " not in mention.text
        and not _is_major(candidates)
    )


def _scan_run(
    text, tokens, run, lookup, stop, lower_words, people
) -> list[tuple[Mention, Sequence]]:
    """The place names of one run of capitalised words, longest first; the words of a run
    that names a person or an organisation are remembered in ``people``."""
    found = _longest_names(text, tokens, run, lookup, stop)
    kept, dropped = [], []
    for a, b, m, c in found:
        keep = _keep(a, b, m, c, run, tokens, found, lower_words, text, lookup)
        (kept if keep else dropped).append((m, c))
    _remember_people(text, tokens, run, kept, dropped, stop, people)
    return kept


def _phrases(text: str, tokens: Sequence[_Token], runs: Sequence[list[int]]) -> list[str]:
    """Every phrase of the runs that ``_longest_names`` may look up: up to ``MAX_WORDS``
    words, starting and ending capitalised."""
    out = []
    for run in runs:
        for k, i in enumerate(run):
            first = tokens[i]
            if not first.capitalised:
                continue
            for j in run[k : k + MAX_WORDS]:
                if tokens[j].capitalised:
                    out.append(text[first.start : tokens[j].end])
    return out


def _longest_names(text, tokens, run, lookup, stop) -> list[tuple[int, int, Mention, Sequence]]:
    """(first, last + 1 word of the run, mention, candidates) of the names the gazetteer
    knows, taking at each word the longest name that starts there."""
    found: list[tuple[int, int, Mention, Sequence]] = []
    k = 0
    while k < len(run):
        match = None
        for n in range(min(MAX_WORDS, len(run) - k), 0, -1):
            first, last = tokens[run[k]], tokens[run[k + n - 1]]
            if not (first.capitalised and last.capitalised) or _initial(text, last, n):
                continue  # names start and end with a capitalised word, not an initial
            phrase = text[first.start : last.end]
            if n == 1 and _is_stopword(phrase, stop) and not _named_region(text, first, last):
                continue
            candidates = lookup(phrase)
            if candidates and (len(last.text) > 1 or candidates[0].exact):
                match = (k, k + n, phrase, candidates)
                break
        if match is None:
            k += 1
            continue
        a, b, phrase, candidates = match
        first, last = tokens[run[a]], tokens[run[b - 1]]
        kind = MentionKind.DEMONYM if candidates[0].kind == "demonym" else MentionKind.NAME
        hint = type_hint(text, first.start, last.end)
        found.append(
            (a, b, Mention(phrase, first.start, last.end, kind=kind, hint=hint), candidates)
        )
        k = b
    return found


def _initial(text: str, token: _Token, words: int) -> bool:
    """A single capital ending a name is an initial ("George W.") or a word ("Now I"), unless
    it is a word of the name itself, spelt as the gazetteer spells it ("Mrauk U", "Mrauk-U")."""
    if len(token.text) != 1:
        return False
    return words == 1 or token.text in "AI" or text[token.end : token.end + 1] == "."


# "the Northwest region", "Eastern Province": a compass word the type word after it makes a
# province's name.
_REGION_WORDS = frozenset(["province", "region", "state", "division", "department", "zone"])


def _named_region(text: str, first: _Token, last: _Token) -> bool:
    return type_hint(text, first.start, last.end) in _REGION_WORDS and bool(
        _TYPE_AFTER.match(text, last.end)
    )


def _remember_people(text, tokens, run, kept, dropped, stop, people: set[str]) -> None:
    """A run of capitalised words that is not a place name is a person or an organisation:
    its words are not places elsewhere in this article either."""
    listed = any(tokens[i].text == "and" for i in run)  # "Temryuk and Anapa"
    # A sentence's capitalised first word does not make a name of the place after it ("In
    # Kurram, …", "Residents of Kurram …").
    named = [i for i in run if tokens[i].capitalised]
    while named and tokens[named[0]].text.lower() in stop:
        named.pop(0)
    if named and named[0] == run[0] and _opens_sentence(text, tokens, run):
        named.pop(0)
    # An institution or body named after its town ("Teaching Hospital Sibi", "Youth
    # Organisation Sibi branch") names no person: the town stays a place elsewhere.
    institution = any(tokens[i].text.lower() in _ORGANISATIONS for i in named)
    if (
        len(named) > 1
        and not listed
        and not institution
        and not any(" " in m.text for m, _ in kept)
    ):
        # The surname ("Jim Walsh" … "Walsh"), and a first name that was taken for a hamlet
        # ("Lucy Smith" … "Lucy").
        words = [tokens[i].text for i in named]
        if not any(w.lower().rstrip(".") in stop for w in words[-1:]):
            people.update(w for w in words[1:] if w.lower() not in stop)
            # ("Kurram Militia" is a force named after its district, which stays a place.)
            people.update(m.text for m, _ in dropped if m.text.lower() in given_names())
    words = [tokens[i].text for i in run]
    given = given_names()
    for k in range(len(words) - 1):
        # "Doug Logan" … "Logan said": the surname after a given name is that person later.
        if words[k].lower() in given and tokens[run[k + 1]].capitalised:
            people.add(words[k + 1])


def _is_stopword(word: str, stop: frozenset[str]) -> bool:
    return word.lower() in stop or (word.isupper() and len(word) <= 4)


# "the province of Ontario", "state of Washington": a type word before the name.
# Capitalised, a type word before "of" heads a body's name ("the Southern District of Ohio",
# a court), except for the settlements and areas that call themselves so ("the City of Gulbano").
_TYPE_BEFORE = re.compile(r"\b([a-z]+|City|Town|Village|County|Province) of $")
_TYPE_AFTER = re.compile(r" ([a-z]+)\b")


def type_hint(text: str, start: int, end: int) -> str | None:
    """The type word said with the name at ``text[start:end]``: "Kurram district",
    "Washington state", "the province of Ontario"; None when there is none."""
    after = _TYPE_AFTER.match(text, end)
    if after and after[1] in TYPE_WORDS:
        return after[1]
    before = _TYPE_BEFORE.search(text, max(0, start - 16), start)
    if before and before[1].lower() in TYPE_WORDS:  # "the City of Gulbano" too
        return before[1].lower()
    return None


def _is_major(candidates: Sequence) -> bool:
    # A country, a big town, or a province that is not a village council ("Qala", Malta). A
    # district's population is its biggest town's, which says nothing of how well its name
    # is known ("Franklin" County holds Columbus).
    best = candidates[0].place
    if best.precision == "admin2":
        return False
    return (
        best.precision == "country"
        or best.population >= _MAJOR_POPULATION
        or (best.precision == "admin1" and best.population >= _MAJOR_PROVINCE)
    )


def _keep(a, b, mention, candidates, run, tokens, found, lower_words, text, lookup) -> bool:
    if mention.kind == MentionKind.DEMONYM:
        return True
    words = [tokens[i].text for i in run]
    # After a title in the same run the words name a person: "Minister Amir Khan Muttaqi".
    if any(w.lower().rstrip(".") in _PERSON_TITLES for w in words[:a]):
        return _is_major(candidates) and b - a > 1
    if b - a == 1 and _person_word(words, a, tokens, run, candidates):
        return False
    if b - a == 1 and not _is_major(candidates) and _beside_minor(a, b, words, found):
        return False  # "Al Jazeera", "Bir Salem": two small places side by side are a name
    body = _BODY_OF.match(text, mention.end)
    if body and (lookup(body["place"]) or lookup(body["place"].split()[0])):
        return False  # "Tanbin Council of Gulbano State": it qualifies a body of another place
    if words[-1].lower() in _PUBLICATIONS and len(words) > b - a:
        return False  # "The New York Times reported": a newspaper, not a place
    if words[-1].lower() in _INSTITUTIONS and (
        not _is_major(candidates) or mention.text.lower() in _INSTITUTIONS
    ):
        return False  # "Women's College Hospital", "Kenya Red Cross Society", "Dresden Zoo"
    if b - a > 1 and a > 0 and not _famous(candidates) and _unknown_word(words[a - 1], found):
        return False  # "Regi Model Town": the tail of a longer name the gazetteer lacks
    if (
        a > 0
        and b < len(words)
        and words[b].lower() in _SETTLEMENT_WORDS
        and _unknown_word(words[a - 1], ())  # a place's name or not, it is the village's
    ):
        return False  # "Yar Gulbano Village": a village named after a town, even a famous one
    if b - a == 1 and not _is_major(candidates):
        # A common word capitalised at a sentence start, also used in lower case here.
        if mention.text.lower() in lower_words:
            return False
        # A word capitalised only because it starts the sentence, known only as another name
        # of a small place: "Farmers in Idaho …" is not a hamlet once called Farmers.
        if all(c.kind == "alt" for c in candidates) and _SENTENCE_START.search(
            text, max(0, mention.start - 12), mention.start
        ):
            return False
        # Part of a longer capitalised name whose other words are not places or types.
        opener = a >= 2 and _opens_sentence(text, tokens, run)
        others = [
            w
            for k, w in enumerate(words)
            if not any(fa <= k < fb for fa, fb, _, _ in found)
            and not (opener and k == 0)
            and w.lower() not in TYPE_WORDS
            and w.lower() not in _CONNECTORS
            and w.lower() not in _HYPHEN_CONNECTORS
            and w.lower() not in _stopwords()
        ]
        if others:
            return False
    return True


def _opens_sentence(text, tokens, run) -> bool:
    """The run's first word is capitalised only because it starts the sentence, and a lower-case
    connector follows it ("Residents of Kurram", "Police in Kurram"): no part of a name."""
    first = tokens[run[0]]
    return (
        len(run) > 2
        and tokens[run[1]].text.lower() in _CONNECTORS
        and not tokens[run[1]].capitalised
        and bool(_SENTENCE_START.search(text, max(0, first.start - 12), first.start))
    )


def _famous(candidates: Sequence) -> bool:
    """A country, a province or a city of half a million: a word before its name qualifies it
    ("Downtown Tel Aviv"); a smaller place's name may be the tail of another's."""
    best = candidates[0].place
    return best.precision in ("country", "admin1") or best.population >= _FAMOUS_POPULATION


def _unknown_word(word: str, found) -> bool:
    """A capitalised word of a run that is no place found there and no word a place's name is
    said with (a type word, a connector, a common word)."""
    lower = word.lower()
    return (
        word[:1].isupper()
        and not any(m.text == word for _, _, m, _ in found)
        and lower not in TYPE_WORDS
        and lower not in _CONNECTORS
        and lower not in _HYPHEN_CONNECTORS
        and lower not in _stopwords()
        and lower.rstrip(".") not in _PERSON_TITLES
    )


# Nothing but quotes or spaces since the text's start or a sentence's end.
_SENTENCE_START = re.compile(r"(?:^|[.!?]|\n)[\s\"'“‘(—-]*$")


def _beside_minor(a, b, words, found) -> bool:
    """Another single-word minor place stands next to ``words[a:b]`` (connectors between)."""
    for fa, fb, _, other in found:
        if fb - fa != 1 or fa == a or _is_major(other):
            continue
        lo, hi = (b, fa) if fa >= b else (fb, a)
        between = [w.lower() for w in words[lo:hi]]
        if "and" not in between and all(  # "Temryuk and Anapa" is a list of places
            w in _CONNECTORS or w in _HYPHEN_CONNECTORS for w in between
        ):
            return True
    return False


def _person_word(words, a, tokens, run, candidates) -> bool:
    """A single word that is part of a person's name here: a given name before another
    capitalised word ("Jill Stein"), or the word after a given name ("Amy Smith").
    A country, a province or a big city keeps its place ("Jordan", "Georgia", "London")."""
    if _famous(candidates):
        return False  # a country, a province or a big city ("London Police" is London's)
    given = given_names()
    if a > 0 and words[a - 1].lower() in given and tokens[run[a - 1]].capitalised:
        return True
    if words[a].lower() not in given or a + 1 >= len(words):
        return False
    nxt = words[a + 1]
    return tokens[run[a + 1]].capitalised and nxt.lower() not in TYPE_WORDS


@cache
def _supranational_pattern() -> re.Pattern:
    names = [w.strip() for w in lines("supranational.txt")]
    alternatives = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


def is_supranational(name: str) -> bool:
    """True for the name of a supranational body ("European Union", "NATO"): no place."""
    return _supranational_pattern().fullmatch(name.strip()) is not None


@cache
def _abbreviation_pattern() -> re.Pattern:
    known = [w.strip() for w in lines("abbreviations.txt")]
    alternatives = "|".join(re.escape(w) for w in sorted(known, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


def _abbreviations(text: str, lookup: Lookup) -> list[Mention]:
    # Upper-case tokens and initials are otherwise skipped ("TTP", "AP", "D.").
    return [
        Mention(m.group(), m.start(), m.end())
        for m in _abbreviation_pattern().finditer(text)
        if lookup(m.group())
    ]


_WORD = r"(?:(?:al|el|ad|as|ash|an)-)?[A-Z][\w’'-]+"
# Up to four capitalised words; an izafe or article joins two of them ("Deh-e-Sabz").
_NAME = rf"{_WORD}(?:(?:[ -](?:e|i|al|ul))?[ -]{_WORD}){{0,3}}"
# Where news names a place the gazetteer may lack, each with what a text must hold for the
# pattern to find anything (None: always looked for): a cheap search first spares most texts
# the pattern's scan of every capitalised word.
_UNKNOWN: list[tuple[re.Pattern, re.Pattern | None]] = [
    # "in the Sarkano area", "near Kuyambana"
    (re.compile(rf"\b(?:in|near|outside|at)\s+(?:the\s+)?(?P<name>{_NAME})"), None),
    # "fired 25 shells into Kyauktan town": where fire was aimed.
    (
        re.compile(
            rf"\b(?:shells|rockets|missiles|mortars|bombs|grenades|fire|fired)\s+into\s+"
            rf"(?:the\s+)?(?P<name>{_NAME})"
        ),
        re.compile(r" into "),
    ),
    # "the village of Bir Salem", "the outskirts of Kuyambana", "localities of Sarkano"
    (
        re.compile(
            r"\b(?:village|town|city|area|district|tehsil|hamlet|localit(?:y|ies)|outskirts|"
            rf"suburbs?|commune|municipality|neighbou?rhoods?)\s+of\s+(?P<name>{_NAME})"
        ),
        None,
    ),
    # "the Kuyambana police station", "the Sarkano border outpost"
    (
        re.compile(
            rf"\bthe\s+(?P<name>{_NAME})\s+(?:police station|police post|check ?post|"
            r"checkpoint|area|village|camp|bazaar|market|(?:border |army |military )?outpost|"
            r"(?:army |military |air )base)\b"
        ),
        None,
    ),
    # "the Sarkano department in Gulbano province": a unit of the place named after it.
    (
        re.compile(
            rf"\bthe\s+(?P<name>{_NAME})\s+(?:department|commune|sector|municipality|county|"
            r"locality|sub-?district|sub-?county)\s+(?:in|of)\s+(?:the\s+)?[A-Z]"
        ),
        re.compile(
            r"(?:department|commune|sector|municipality|county|locality|district)\s+(?:in|of)\b"
        ),
    ),
    # "… borders Dogo, where 39 people were killed": a place a relative "where" follows.
    (re.compile(rf"\b[a-z]+\s+(?P<name>{_NAME}),\s+where\b"), re.compile(r",\s+where\b")),
    # "gunmen attacked Dogo Village", "raided Kara village tract": a name a settlement word
    # follows, after a lower-case word (so a title-case headline adds nothing).
    (
        re.compile(
            rf"\b[a-z]+\s+(?P<name>{_NAME})\s+(?:[Vv]illage|[Hh]amlet|[Vv]illage [Tt]ract|"
            r"[Ss]ettlement)\b"
        ),
        re.compile(r"\s(?:[Vv]illage|[Hh]amlet|[Ss]ettlement)\b"),
    ),
    # "an attack on Westgate shopping mall in Nairobi": a facility in the town named after it.
    (
        re.compile(rf"\b[a-z]+\s+(?P<name>{_NAME})(?={_RULES['facility_in'].pattern})"),
        re.compile(_RULES["facility_in"].pattern),
    ),
]


# A name and a participle joined by a hyphen make an adjective.
_COMPOUND_ADJECTIVE = re.compile(
    r"-(?:run|led|held|backed|controlled|based|born|made|owned|allied|funded|style)$", re.I
)


def unknown_mentions(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Capitalised names in place positions ("in X", "the village of X") that the gazetteer
    did not know, as mentions without a place (``kind="unknown"``).

    They are what a reviewer should look at (a village missing from the gazetteer, or a name
    the recogniser missed) and the finest place an event can name.
    """
    stop = _stopwords()
    known = Intervals((x.start, x.end) for x in mentions)
    out: dict[tuple[int, int], Mention] = {}
    for pattern, needs in _UNKNOWN:
        if needs is not None and not needs.search(text):
            continue
        for m in pattern.finditer(text):
            check_budget()
            s, e = m.span("name")
            name = _POSSESSIVE.sub("", m.group("name"))
            e = s + len(name)
            if known.overlaps(s, e):
                continue
            words = re.split(r"[ -]", name)
            if name.isupper() or words[0].lower() in stop or all(w.lower() in stop for w in words):
                continue
            if _COMPOUND_ADJECTIVE.search(name):
                continue  # "a Kurdish-run prison", "Saudi-led forces": no name of a place
            out.setdefault((s, e), Mention(name, s, e, kind=MentionKind.UNKNOWN))
    return sorted(out.values(), key=lambda m: m.start)
