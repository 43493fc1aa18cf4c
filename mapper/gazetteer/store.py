"""Open the gazetteer's layers (building the compiled ones when missing or stale) and query them.

Layers, queried together: the main index (package data + ``curated.tsv``), the user index
(``user.tsv``), an imported GeoNames dump (``geonames.sqlite``) and cached answers of the
opt-in online geocoder (``online.sqlite``).
"""

from __future__ import annotations

import gc
import math
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import GazetteerError
from ..models import Place
from ..names import TYPE_WORDS, fold, strip_type_word, variant_key
from . import build as _build

__all__ = ["Candidate", "Gazetteer"]

# The name's part of a candidate's prior (the place's part is stored: schema.base_prior).
# A place's own name outweighs an alternate (often historic) name of a somewhat bigger place,
# but not the English name of a city a hundred times its size ("Mecca" is Makkah); an area's
# alternates are often the names of former or neighbouring districts.
_KIND_PRIOR = {"name": 3.0, "demonym": 3.0, "alt": 1.0}
_AREA_ALT_PRIOR = -1.5
_HINT_PRIOR = 3.0
_MAIN = ("gazetteer.sqlite", True, ("curated.tsv", "regions.tsv", "aliases.tsv", "centres.tsv"))
_USER = ("user.sqlite", False, ("user.tsv",))
IMPORTED_FILE = "geonames.sqlite"
ONLINE_FILE = "online.sqlite"
# Columns 2–12 and 16–17 are, in order, the fields of Place.
_QUERY = (
    "SELECT n.folded, n.kind, p.name, p.lat, p.lon, p.country, p.precision, p.admin1,"
    " p.admin2, p.feature, p.population, p.geonameid, p.source, p.base, p.id, n.key,"
    " p.seat_lat, p.seat_lon"
    " FROM names n JOIN places p ON p.id = n.place_id WHERE n.key IN ({marks})"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry matched by a name, with its context-free prior score."""

    place: Place
    matched: str  # the folded name that matched
    exact: bool  # the folded name matched, not only its spelling variant
    kind: str  # "name" (the place's own), "alt" (an alternate name) or "demonym"
    prior: float
    match: float = 100.0  # name similarity, 0–100 (below 100 only for fuzzy matches)


class Gazetteer:
    """Read-only access to the gazetteer.

    Parameters
    ----------
    folder
        The folder with ``curated.tsv`` (and optionally ``user.tsv``, ``geonames.sqlite``);
        compiled indexes live in its ``cache/`` subfolder and are rebuilt when a source changes.
    rebuild
        Recompile the main index even when it is current.
    packages
        Include the package data (the default); without it only the folder's tables and
        imports are used, which is quick to build (tests, or a full GeoNames import alone).
    """

    def __init__(
        self, folder: Path | str | None = None, *, rebuild: bool = False, packages: bool = True
    ) -> None:
        self.folder = Path(folder) if folder else _build.packaged_default_folder()
        if not self.folder.is_dir():
            raise GazetteerError(
                f"gazetteer folder not found: expected a directory at {self.folder}"
            )
        self.path = self.folder / "cache" / _MAIN[0]
        self.built = False
        for name, with_packages, tables in (_MAIN, _USER):
            with_packages = with_packages and packages
            target = self.folder / "cache" / name
            stale = not _current(target, self.folder, packages=with_packages, tables=tables)
            if stale or (rebuild and name == _MAIN[0]):
                _build.build(self.folder, target, packages=with_packages, tables=tables)
                self.built = self.built or name == _MAIN[0]
        self._fixed: list[Path] | None = None
        self._init_layers()

    @classmethod
    def open(cls, path: Path | str) -> Gazetteer:
        """Open one compiled gazetteer file as it is, without checking or rebuilding it."""
        self = cls.__new__(cls)
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerError(f"expected a compiled gazetteer file at {self.path}, found none")
        self.folder, self.built = self.path.parent, False
        self._fixed = [self.path]
        self._init_layers()
        return self

    def _init_layers(self) -> None:
        paths = self._fixed
        if paths is None:
            paths = [self.path, self.folder / "cache" / _USER[0]]
            paths += [self.folder / f for f in (IMPORTED_FILE, ONLINE_FILE)]
        self.layers = [p for p in paths if p.is_file()]
        self._local = threading.local()
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        self._places: dict[tuple[int, int], Place] = {}  # one object per place, many names
        self._searches: dict[tuple, tuple[Candidate, ...]] = {}

    @staticmethod
    def is_current(folder: Path | str) -> bool:
        """True when the compiled indexes exist and match their sources."""
        folder = Path(folder)
        return all(
            _current(folder / "cache" / name, folder, packages=packages, tables=tables)
            for name, packages, tables in (_MAIN, _USER)
        )

    def _connections(self) -> list[sqlite3.Connection]:
        cons = getattr(self._local, "cons", None)
        if cons is None:
            cons = []
            try:
                for path in self.layers:
                    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                    con.execute("PRAGMA mmap_size = 1073741824")  # read pages without copying
                    if con.execute("SELECT 1 FROM names LIMIT 1").fetchone():
                        cons.append(con)  # an empty layer (no user.tsv yet) costs nothing
                    else:
                        con.close()
            except sqlite3.Error as exc:
                raise GazetteerError(f"cannot open the gazetteer in {self.folder}: {exc}") from exc
            self._local.cons = cons
        return cons

    def state(self) -> str:
        """Changes whenever an answer could: each layer file's name, size and time."""
        parts = []
        for path in self.layers:
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
        return "|".join(parts)

    def refresh(self) -> None:
        """Pick up layers written since opening (an import, online answers)."""
        self._init_layers()

    # ------------------------------------------------------------------ exact and variant matches

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Every entry known by ``name`` (spelling variants included), best prior first."""
        key = variant_key(name)
        cached = self._cache.get(key)
        if cached is None:
            self._fetch({key: fold(name)})
            cached = self._cache[key]
        return cached

    def prefetch(self, names: Iterable[str]) -> None:
        """Load the candidates of many names at once (one query per layer per 500 names)."""
        with _collector_paused():
            wanted: dict[str, str] = {}
            for name in names:
                key = variant_key(name)
                if key not in self._cache:
                    wanted.setdefault(key, fold(name))
            keys = sorted(wanted)  # neighbouring keys share index pages
            for i in range(0, len(keys), 500):
                self._fetch({k: wanted[k] for k in keys[i : i + 500]})

    def _fetch(self, wanted: dict[str, str]) -> None:
        """Query every layer for the keys of ``wanted`` (key → the folded name asked for)."""
        found: dict[str, dict[object, Candidate]] = {key: {} for key in wanted}
        marks = ",".join("?" * len(wanted))
        if len(self._cache) > 200_000:
            self._cache.clear()
            self._places.clear()
        for layer, con in enumerate(self._connections()):
            for row in con.execute(_QUERY.format(marks=marks), tuple(wanted)):
                key = row[15]
                candidate = _candidate(row, wanted[key], self._places, layer)
                ident = candidate.place.geonameid or (layer, row[14])
                best = found[key]
                if ident not in best or candidate.prior > best[ident].prior:
                    best[ident] = candidate
        for key, best in found.items():
            if len(best) < 2:
                self._cache[key] = tuple(best.values())
            else:
                self._cache[key] = tuple(sorted(_seat_towns_first(list(best.values())), key=_order))

    # ------------------------------------------------------------------ user-facing search

    def search(
        self, name: str, *, country: str | None = None, limit: int = 10, fuzzy: bool = True
    ) -> list[Candidate]:
        """Candidates for a name as a person types it, best first.

        Falls back, in order, to the name without "the" or a type word ("Kurram district",
        preferring that kind of place), then to a fuzzy match within the name's first letters
        and length (``Candidate.match`` < 100).
        """

        memo = (name, country, limit, fuzzy)
        cached = self._searches.get(memo)
        if cached is not None:
            return list(cached)

        def within(found: list[Candidate]) -> list[Candidate]:
            return [c for c in found if c.place.country == country.upper()] if country else found

        found = within(list(self.candidates(name)))
        stripped = within(self._without_type_word(name))
        if stripped:
            # "Jaghatu District": the area named Jaghatu, not another area whose old name it was;
            # but a place whose own name it is comes first ("Jordan Valley" is not Jordan).
            # A place found both ways keeps its better score (the type word's hint).
            own = [c for c in found if c.kind == "name"]
            best: dict[int, Candidate] = {id(c.place): c for c in sorted(own, key=_order)}
            for c in sorted(found + stripped, key=_order):
                best.setdefault(id(c.place), c)
            found = list(best.values())
        if not found and fuzzy:
            found = self._fuzzy(name, country=country)
        if len(self._searches) > 100_000:
            self._searches.clear()
        self._searches[memo] = tuple(found[:limit])
        return found[:limit]

    def search_many(
        self,
        names: Sequence[str],
        *,
        country: str | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[list[Candidate]]:
        """``search`` for many names, fetching their candidates in a few large queries."""
        self.prefetch(names)
        out = []
        cache = self._cache
        for name in names:
            found = None if country or _typed(name) else cache.get(variant_key(name))
            # A plain name that is known needs none of search's fallbacks.
            out.append(
                list(found[:limit])
                if found
                else self.search(name, country=country, limit=limit, fuzzy=fuzzy)
            )
        return out

    def lookup(self, name: str, *, country: str | None = None, limit: int = 10) -> list[Place]:
        """Places known by ``name``, best first; ``country`` (ISO2) keeps only that country."""
        return [c.place for c in self.search(name, country=country, limit=limit)]

    def _without_type_word(self, name: str) -> list[Candidate]:
        if not _typed(name):
            return []
        words = name.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        if len(words) > 2 and words[1].lower() == "of" and words[0].lower() in TYPE_WORDS:
            words = [*words[2:], words[0]]  # "Province of Kunar" → "Kunar Province"
        base, word = strip_type_word(" ".join(words))
        if base == name or not base:
            return []
        found = list(self.candidates(base))
        wanted = TYPE_WORDS.get(word or "")
        if wanted:
            found = [
                replace(c, prior=c.prior + _HINT_PRIOR) if c.place.precision == wanted else c
                for c in found
            ]
        return sorted(found, key=_order)

    def _fuzzy(self, name: str, *, country: str | None) -> list[Candidate]:
        from rapidfuzz import fuzz, process

        key = variant_key(name)
        if len(key) < 4:
            return []
        cutoff = 85.0 if country else 90.0
        low, high = int(len(key) * 0.8), math.ceil(len(key) * 1.2)
        keys: set[str] = set()
        for con in self._connections():
            keys.update(
                k
                for (k,) in con.execute(
                    "SELECT DISTINCT key FROM names"
                    " WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?",
                    (key[:2], key[:2] + "\uffff", low, high),
                )
            )
        out: list[Candidate] = []
        for match, score, _ in process.extract(
            key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8
        ):
            for c in self.candidates(match):
                if country and c.place.country != country.upper():
                    continue
                out.append(
                    replace(
                        c, exact=False, match=round(score, 1), prior=c.prior - (100.0 - score) / 5.0
                    )
                )
        return sorted(out, key=_order)

    # ------------------------------------------------------------------ statistics

    def stats(self) -> dict[str, dict[str, int]]:
        """Place counts by source, feature class and country, over every layer."""
        by_source: Counter[str] = Counter()
        by_class: Counter[str] = Counter()
        by_country: Counter[str] = Counter()
        for con in self._connections():
            for source, feature, country, n in con.execute(
                "SELECT substr(source, 1, instr(source || ' ', ' ') - 1), substr(feature, 1, 1),"
                " country, count(*) FROM places GROUP BY 1, 2, 3"
            ):
                by_source[source.rstrip(":")] += n
                by_class[feature or "?"] += n
                by_country[country] += n
        return {
            "source": dict(by_source),
            "feature_class": dict(by_class),
            "country": dict(by_country),
        }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Otherwise each few hundred new candidates trigger a collection that walks the growing
    cache again: a third of the time of a large batch.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _typed(name: str) -> bool:
    """The name starts with "the" or a type word, or ends with a type word."""
    words = name.split()
    return len(words) > 1 and (
        words[0].lower() == "the"
        or words[-1].lower() in TYPE_WORDS
        or words[0].lower() in TYPE_WORDS
    )


def _current(target: Path, folder: Path, *, packages: bool, tables: tuple[str, ...]) -> bool:
    if not target.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == _build.fingerprint(folder, packages=packages, tables=tables)


def _candidate(
    row: tuple, folded: str, places: dict[tuple[int, int], Place], layer: int
) -> Candidate:
    """A candidate from a row of ``_QUERY``, whose columns 2–12 are Place's first fields."""
    matched, kind, precision, base, pid = row[0], row[1], row[6], row[13], row[14]
    exact = matched == folded
    area = precision in ("admin1", "admin2")
    prior = (
        base
        + _KIND_PRIOR.get(kind, 0.0)
        + (_AREA_ALT_PRIOR if area and kind == "alt" else 0.0)
        + (0.5 if exact else 0.0)
    )
    place = places.get((layer, pid))
    if place is None:
        place = places[layer, pid] = Place(*row[2:13], row[16], row[17])
    return Candidate(place, matched, exact, kind, prior)


# A province outranks a same-named town this small ("Uruzgan" is the province, not the
# village); a bigger town is usually its capital and what the news means ("Ghazni").
_SMALL_TOWN = 20_000
_BIG_CITY = 500_000


def _seat_towns_first(found: list[Candidate]) -> list[Candidate]:
    """Settle town-versus-area for names shared by both.

    A district's bare name in news means its town ("Lakki Marwat", "Musa Qala"): GeoNames
    often names the town differently ("Lakki", alternate "Lakki Marwat"), so a town inside a
    same-named district of the candidates is lifted just above it, and so is a province's
    capital named after it ("Ghazni"). A province named like a small town is the province.
    """
    if len(found) < 2:
        return found
    areas = {
        (fold(c.place.name), c.place.country, c.place.precision): c.prior
        for c in found
        if c.place.precision in ("admin1", "admin2")
    }
    if not areas:
        return found
    towns = {
        (fold(c.place.name), c.place.country): c
        for c in found
        if c.place.precision == "place" and c.place.population < _SMALL_TOWN
    }
    out = []
    for c in found:
        province = None
        # The capital a province is named after ("Ghazni"), or a city so big that its name
        # means it first ("Washington").
        if (
            c.place.precision == "place"
            and c.place.population >= _SMALL_TOWN
            and c.place.admin1
            and (fold(c.place.admin1) == fold(c.place.name) or c.place.population >= _BIG_CITY)
        ):
            province = areas.get((fold(c.place.name), c.place.country, "admin1"))
        if province is not None and province >= c.prior:
            c = replace(c, prior=province + 0.5)
        elif c.place.precision == "place" and c.place.admin2:
            district = areas.get((fold(c.place.admin2), c.place.country, "admin2"))
            if district is not None and district >= c.prior:
                c = replace(c, prior=district + 0.5)
        elif c.place.precision == "admin1":
            town = towns.get((fold(c.place.name), c.place.country))
            if town is not None and town.prior >= c.prior:
                c = replace(c, prior=town.prior + 0.5)
        out.append(c)
    return out


def _order(c: Candidate) -> tuple:
    return (-c.prior, c.place.name, c.place.lat, c.place.lon)
