"""Name folding shared by the gazetteer index and the recogniser.

Two keys per name: ``fold`` (case, diacritics, punctuation and hyphens folded)
and ``variant_key`` (``fold`` plus transliteration folding), so "Darra Adam
Khel", "Dara Adam Khel" and "Mazar-i-Sharif"/"Mazar-e-Sharif" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from operator import itemgetter

__all__ = ["TYPE_WORDS", "fold", "is_latin", "strip_type_word", "variant_key"]

_APOSTROPHES = "'’‘`ʼʻ′"
_NON_WORD = re.compile(r"[^0-9a-z]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_HAS_DOUBLED = re.compile(r"([a-z])\1")  # the same test, quicker to search with
_FIRST_GROUP = itemgetter(1)  # a callable: quicker than the template r"\1" per call
# Persian/Arabic izafe and article connectors written as separate tokens.
_CONNECTORS = {"e": "e", "i": "e", "y": "e", "ye": "e", "ul": "ul", "al": "al", "el": "al"}
# Words of Arabic names that news spells in two ways: "Kfar Nabl", the Levantine spelling of
# "Kafr Nabl"; the article as said before a sun letter ("Ma'arrat an Nu'man", "Deir ez-Zor")
# and as written ("Maarat al-Numan").
_ARABIC_WORDS = {"kfar": "kafr"} | dict.fromkeys(
    ("ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en", "er", "es", "esh", "ez"),
    "al",
)
# The Arabic construct ending before the next word of a name, written -at or -et ("Maaret
# al-Numaan", "Maarat al-Numan").
_CONSTRUCT = re.compile(r"(?<=[^aeiou ])et(?= )")

# Words that name the kind of place; "Kurram district" is Kurram, hinted as an admin2 area.
TYPE_WORDS = {
    "district": "admin2",
    "districts": "admin2",
    "agency": "admin2",
    "tehsil": "admin2",
    "division": "admin2",
    "county": "admin2",
    "province": "admin1",
    "provinces": "admin1",
    "region": "admin1",
    "governorate": "admin1",
    # the local words for a province that GeoNames keeps in its names ("Hunan Sheng",
    # "Kharkivska oblast"): news says "Hunan", and "the Kharkiv oblast"
    "sheng": "admin1",
    "zizhiqu": "admin1",
    "oblast": "admin1",
    "oblast'": "admin1",
    "oblysy": "admin1",
    "kraj": "admin1",
    "kray": "admin1",
    "krai": "admin1",
    "novads": "admin1",
    "län": "admin1",
    "županija": "admin1",
    "voblasć": "admin1",
    "state": "admin1",
    "city": "place",
    "town": "place",
    "village": "place",
    "valley": None,
}


_DROP = str.maketrans("", "", _APOSTROPHES)
# For ASCII names, one pass does what the general path does in three: lower-case, drop
# apostrophes, and turn every other character that is not a letter or digit into a space.
_ASCII_FOLD = str.maketrans(
    {
        chr(c): (None if chr(c) in _APOSTROPHES else chr(c).lower() if chr(c).isalnum() else " ")
        for c in range(128)
    }
)


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Lower-case ASCII-ish form: no accents, no apostrophes, words split on punctuation."""
    if name.isascii():
        return " ".join(name.translate(_ASCII_FOLD).split())
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for ch in _APOSTROPHES:
        stripped = stripped.replace(ch, "")
    return _NON_WORD.sub(" ", stripped.lower()).strip()


# Transliteration variants of one sound, applied before doubled letters collapse.
_SOUNDS = (("ee", "i"), ("oo", "u"), ("ou", "u"), ("q", "k"), ("ph", "f"))


@lru_cache(maxsize=200_000)
def variant_key(name: str) -> str:
    """``fold`` plus spelling-variant folding: doubled letters, vowel spellings, q/k, izafe,
    Arabic spellings (Kfar/Kafr, a construct -et/-at) and word breaks ("Musakhel"/"Musa Khel").

    "Darra"/"Dara", "Mazar-i-Sharif"/"Mazar-e-Sharif", "Qandahar"/"Kandahar" meet.
    """
    # Word breaks are kept while the sounds are replaced so that none spans two words.
    text = fold(name)
    if " " in text or text in _CONNECTORS:
        words = text.split()
        if not _CONNECTORS.keys().isdisjoint(words):
            text = " ".join(_CONNECTORS.get(word, word) for word in words)
        if not _ARABIC_WORDS.keys().isdisjoint(words):
            # The article only inside a name: "At St Ives" is no Arabic name.
            first, *rest = text.split()
            first = "kafr" if first == "kfar" else first
            text = " ".join([first, *(_ARABIC_WORDS.get(word, word) for word in rest)])
        if "et " in text:
            text = _CONSTRUCT.sub("at", text)
    for a, b in _SOUNDS:
        if a in text:
            text = text.replace(a, b)
    text = text.replace(" ", "")
    # Searching first skips sub's cost on the many names without a doubled letter.
    return _DOUBLED.sub(_FIRST_GROUP, text) if _HAS_DOUBLED.search(text) else text


# Anything outside Basic Latin, Latin-1, Latin Extended A/B, IPA/modifier letters, combining
# marks, Latin Extended Additional and typographic quotes is another script.
_NON_LATIN = re.compile(r"[^\x00-\u036f\u1e00-\u1eff\u2018-\u201f\u2032]")


_LETTER = re.compile(r"[^\W\d_]")


def is_latin(name: str) -> bool:
    """True when every letter of the name is in the Latin script (accents allowed)."""
    if name.isascii():  # the usual case, quickly: Latin when it has a letter at all
        return name.lower() != name.upper()
    return _NON_LATIN.search(name) is None and _LETTER.search(name) is not None


def strip_type_word(name: str) -> tuple[str, str | None]:
    """Split a trailing type word: "Kurram District" → ("Kurram", "district")."""
    words = name.split()
    if len(words) > 1 and words[-1].lower() in TYPE_WORDS:
        return " ".join(words[:-1]), words[-1].lower()
    return name, None
