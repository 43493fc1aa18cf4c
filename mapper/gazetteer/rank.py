"""The context-free ranking of the places one name can mean.

A candidate's prior is its place's stored part (``schema.base_prior``: population, level,
source) plus its name's part (own name, alternate, demonym; exact spelling or a variant).
The compiled layers store each key's candidates already ranked (``answers``), so a lookup
reads one row per name; layers without that table are joined and ranked at lookup time.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..geo import haversine_km
from ..text.names import variant_key
from ..types import Place, quick_constructor

__all__ = [
    "ANSWERS",
    "QUERY",
    "Candidate",
    "add",
    "new_candidate",
    "new_place",
    "order",
    "place_part",
    "prior",
    "ranked",
    "rows_of",
    "unpack",
    "write_answers",
]

# The name's part of a candidate's prior (the place's part is stored: schema.base_prior).
# A place's own name outweighs an alternate (often historic) name of a somewhat bigger place,
# but not the English name of a city a hundred times its size ("Mecca" is Makkah); an area's
# alternates are often the names of former or neighbouring districts.
_KIND_PRIOR = {"name": 3.0, "demonym": 3.0, "alt": 1.0}
_AREA_ALT_PRIOR = -1.5
_AREAS = frozenset(("admin1", "admin2"))
# The first 13 columns are, in order, the fields of Place.
QUERY = (
    "SELECT p.name, p.lat, p.lon, p.country, p.precision, p.admin1, p.admin2, p.feature,"
    " p.population, p.geonameid, p.source, p.seat_lat, p.seat_lon,"
    " n.folded, n.kind, p.base, p.id, n.key"
    " FROM names n JOIN places p ON p.id = n.place_id WHERE n.key IN ({marks})"
)
ANSWERS = "SELECT key, spelling, data FROM answers WHERE key IN ({marks})"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry matched by a name, with its context-free prior score."""

    place: Place
    matched: str  # the folded name that matched
    exact: bool  # the folded name matched, not only its spelling variant
    kind: str  # "name" (the place's own), "alt" (an alternate name) or "demonym"
    prior: float
    match: float = 100.0  # name similarity, 0–100 (below 100 only for fuzzy matches)


# A lookup builds a Place and a Candidate for each stored row it returns: the quick way.
new_place = quick_constructor(Place)
new_candidate = quick_constructor(Candidate)


def prior(base: float, kind: str, precision: str, *, exact: bool) -> float:
    """A candidate's prior from its place's stored part and how its name matched."""
    value = base + _KIND_PRIOR.get(kind, 0.0)
    if kind == "alt" and precision in _AREAS:
        value += _AREA_ALT_PRIOR
    # Added last, as a lookup adds it to stored answers: the same sums to the last bit.
    return value + (0.5 if exact else 0.0)


def place_part(c: Candidate) -> float:
    """The part of a candidate's prior that is its place's (population, level, source and, in
    the village layer, how many names it is known by), not how its name matched."""
    return c.prior - prior(0.0, c.kind, c.place.precision, exact=c.exact)


def add(best: dict[object, Candidate], row: tuple, folded: str, place: Place, layer: int) -> None:
    """Keep a row of ``QUERY`` as a candidate unless the place already has a better one.

    One place can match a key by several names ("Darra" and "Dara"); its best counts.
    """
    matched, kind, base, pid = row[13:17]
    exact = matched == folded
    value = prior(base, kind, place.precision, exact=exact)
    ident = place.geonameid or (layer, pid)
    if ident not in best or value > best[ident].prior:
        best[ident] = new_candidate(place, matched, exact, kind, value)


def ranked(best: dict[object, Candidate]) -> tuple[Candidate, ...]:
    """A key's candidates, best first."""
    if len(best) < 2:
        return tuple(best.values())
    return tuple(sorted(seat_towns_first(list(best.values())), key=order))


def write_answers(con: sqlite3.Connection) -> int:
    """Store every key's candidates ranked, one row per key; return the number of keys.

    Ranking depends on the name asked for only through ``exact``, the same for all of a key's
    candidates when they share one spelling (the usual case): such keys are stored ranked as
    inexact, and a lookup adds the exact bonus to all alike, which keeps their order. A key
    matched by several spellings ("Darra", "Dara") is stored with one ranking per spelling and
    one for a spelling none of its names has (``unpack``).
    """
    # ``spelling`` is the one spelling of a ranked key's candidates, so that a lookup knows
    # ``exact`` before it unpacks ``data`` (the marshalled rows); None for a key of several.
    con.execute(
        "CREATE TABLE answers (key TEXT PRIMARY KEY, spelling TEXT, data BLOB NOT NULL)"
        " WITHOUT ROWID"
    )
    rows = con.execute(QUERY.split(" WHERE ")[0] + " ORDER BY n.key")
    count = 0
    batch: list[tuple] = []
    for key, group in _by_key(rows):
        spelling, entries = _answer(group)
        batch.append((key, spelling, marshal.dumps(entries)))
        count += 1
        if len(batch) >= 10_000:
            con.executemany("INSERT INTO answers VALUES (?, ?, ?)", batch)
            batch.clear()
    con.executemany("INSERT INTO answers VALUES (?, ?, ?)", batch)
    return count


def _by_key(rows: Iterable[tuple]) -> Iterable[tuple[str, list[tuple]]]:
    """Rows of ``QUERY`` sorted by key, grouped by it (the key column dropped).

    Equal strings within a group become one object: ``marshal`` then writes each once and
    refers back to it, so a key of many places ("Springfield") packs and unpacks its
    country, feature, source and spelling once, not once per place.
    """
    key, group = None, []
    same: dict[str, str] = {}
    for row in rows:
        if row[17] != key:
            if group:
                yield key, group
            key, group = row[17], []
            same.clear()
        group.append(tuple([same.setdefault(v, v) if type(v) is str else v for v in row[:17]]))
    if group:
        yield key, group


def _answer(group: list[tuple]) -> tuple[str | None, object]:
    """(spelling, data): one spelling's rows ranked, each with its prior appended; for several
    spellings, each spelling's ranking and the ranking for none (key None) as (row, prior)
    pairs, which share their rows (``marshal`` writes an object met twice once)."""
    spellings = {row[13] for row in group}
    if len(spellings) == 1:
        return spellings.pop(), tuple((*row, value) for row, value in _ranking(group, ""))
    table: dict[str | None, tuple] = {s: _ranking(group, s) for s in sorted(spellings)}
    table[None] = _ranking(group, "")
    return None, table


def _ranking(group: list[tuple], folded: str) -> tuple[tuple[tuple, float], ...]:
    """The rows of one key ranked for the folded name asked: (row, prior) pairs, best first."""
    best: dict[object, Candidate] = {}
    # Each row's own Place object → that row. A place that loses is freed at once; a later one
    # that reuses its id replaces its entry, so every kept candidate finds its own row.
    row_of: dict[int, tuple] = {}
    for row in group:
        place = new_place(*row[:13])
        add(best, row, folded, place, 0)
        row_of[id(place)] = row
    return tuple((row_of[id(c.place)], c.prior) for c in ranked(best))


def unpack(data: bytes, spelling: str | None, folded: str) -> tuple[bool, tuple]:
    """A stored answer for the folded name asked: (exact, rows) for a key of one spelling, its
    rows ranked as inexact with their prior last; (False, pairs) for a key of several, the
    (row, final prior) pairs of that spelling's ranking."""
    if spelling is not None:
        return spelling == folded, marshal.loads(data)
    table = marshal.loads(data)
    return False, table.get(folded) or table[None]


def rows_of(data: bytes, spelling: str | None, folded: str) -> tuple:
    """A stored answer's rows (``QUERY``'s first 17 columns first), to rank with another
    layer's."""
    _, rows = unpack(data, spelling, folded)
    return rows if spelling is not None else tuple(row for row, _ in rows)


# A province outranks a same-named town this small ("Uruzgan" is the province, not the
# village); a bigger town is usually its capital and what the news means ("Ghazni").
_SMALL_TOWN = 20_000
_BIG_CITY = 500_000
# A province whose point lies this close to a town of its name is placed at that town, its
# capital.
_SEAT_KM = 10.0


def seat_towns_first(found: list[Candidate]) -> list[Candidate]:
    """Settle town-versus-area for names shared by both.

    A district's bare name in news means its town ("Lakki Marwat", "Musa Qala"): GeoNames
    often names the town differently ("Lakki", alternate "Lakki Marwat"), so a town inside a
    same-named district of the candidates is lifted just above it, and so is a province's
    capital named after it ("Ghazni"). A province named like a small town is the province.
    """
    if len(found) < 2:
        return found
    # Keyed by spelling variant: the town "Taiz" is the capital of the province "Tāʻizz".
    areas = {
        (variant_key(c.place.name), c.place.country, c.place.precision): c
        for c in found
        if c.place.precision in ("admin1", "admin2")
    }
    if not areas:
        return found
    towns = {
        (variant_key(c.place.name), c.place.country): c
        for c in found
        if c.place.precision == "place" and c.place.population < _SMALL_TOWN
    }
    out = []
    for c in found:
        place = c.place
        key = variant_key(place.name)
        province = areas.get((key, place.country, "admin1"))
        # The capital a province is named after ("Ghazni"): filed under it, or at the point the
        # data gives the province (where its main town is); or a city so big that its name means
        # it first ("Washington").
        capital = (
            province is not None
            and place.precision == "place"
            and place.population >= _SMALL_TOWN
            and (
                (place.admin1 and variant_key(place.admin1) == key)
                or place.population >= _BIG_CITY
                or haversine_km(place.lat, place.lon, province.place.lat, province.place.lon)
                <= _SEAT_KM
            )
        )
        if capital and province.prior >= c.prior:
            c = replace(c, prior=province.prior + 0.5)
        elif place.precision == "place" and place.admin2:
            district = areas.get((variant_key(place.admin2), place.country, "admin2"))
            if district is not None and district.prior >= c.prior:
                c = replace(c, prior=district.prior + 0.5)
        elif place.precision == "admin1":
            town = towns.get((key, place.country))
            if town is not None and town.prior >= c.prior:
                c = replace(c, prior=town.prior + 0.5)
        out.append(c)
    return out


def order(c: Candidate) -> tuple:
    """Candidates ranked best first: prior, then the tie-breaks."""
    return (-c.prior, c.place.name, c.place.lat, c.place.lon)
