"""Open the gazetteer's layers (building the compiled ones when missing or stale) and query them.

Layers, queried together: the main index (package data and the project's tables), the user
index (``user.tsv``), an imported GeoNames dump (``geonames.sqlite``) and cached answers of the
opt-in online geocoder (``online.sqlite``). Where each lives: :mod:`.folders`.
"""

from __future__ import annotations

import gc
import math
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..errors import GazetteerError
from ..text.names import TYPE_WORDS, fold, strip_type_word, variant_key
from ..types import Place
from . import build as _build
from . import rank
from . import villages as _villages
from .folders import default_folder, tables_folder
from .rank import Candidate, new_candidate, new_place, order

__all__ = ["Candidate", "Gazetteer"]

_HINT_PRIOR = 3.0
MAIN_TABLES = ("curated.tsv", "regions.tsv", "aliases.tsv", "centres.tsv")
USER_TABLE = "user.tsv"
_MAIN_FILE = "gazetteer.sqlite"
_USER_FILE = "user.sqlite"
IMPORTED_FILE = "geonames.sqlite"
ONLINE_FILE = "online.sqlite"
VILLAGES_FILE = "villages.sqlite"


class Gazetteer:
    """Read-only access to the gazetteer.

    Parameters
    ----------
    folder
        The user's gazetteer folder: ``user.tsv``, ``geonames.sqlite``, ``online.sqlite``;
        compiled indexes live in its ``cache/`` subfolder and are rebuilt when a source changes.
        By default the folder :func:`.folders.default_folder` finds.
    rebuild
        Recompile the main index even when it is current.
    packages
        Include the package data (the default); without it only the tables and imports are
        used, which is quick to build (tests, or a full GeoNames import alone).
    tables
        The folder of the project's tables (``curated.tsv``, ``regions.tsv``, ``aliases.tsv``,
        ``centres.tsv``; any may be missing); by default those shipped in the package.
    villages
        The packed village table (:mod:`.villages`); by default the one shipped in the
        package when ``packages`` is on, else none. Its layer is compiled beside the main one.
    """

    def __init__(
        self,
        folder: Path | str | None = None,
        *,
        rebuild: bool = False,
        packages: bool = True,
        tables: Path | str | None = None,
        villages: Path | str | None = None,
    ) -> None:
        self.folder = default_folder(folder)
        # How another process opens this same gazetteer (reopen): picklable.
        self.recipe: tuple = (
            "folder",
            str(self.folder),
            packages,
            None if tables is None else str(tables),
            None if villages is None else str(villages),
        )
        if not self.folder.is_dir():
            raise GazetteerError(
                f"gazetteer folder not found: expected a directory at {self.folder}"
            )
        self.path = self.folder / "cache" / _MAIN_FILE
        self.built = False
        if self.path.parent.is_dir():
            _build.remove_stale_temporaries(self.path.parent)
        layers = _layers(self.folder, packages=packages, tables=tables)
        for target, with_packages, sources in layers:
            stale = not _current(target, packages=with_packages, tables=sources)
            if stale or (rebuild and target == self.path):
                _build.build(target, packages=with_packages, tables=sources)
                self.built = self.built or target == self.path
        self.village_path: Path | None = None
        table = Path(villages) if villages is not None else None
        if table is None and packages:
            table = tables_folder() / _villages.TABLE
        if table is not None and table.is_file():
            self.village_path = self.folder / "cache" / VILLAGES_FILE
            expected = _villages.fingerprint(table, _build.stored_fingerprint(self.path))
            if not _villages.is_current(self.village_path, expected):
                _villages.compile_layer(
                    self.village_path, table=table, main=self.path, expected=expected
                )
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
        self.recipe = ("file", str(self.path))
        self._fixed = [self.path]
        self.village_path = None
        self._init_layers()
        return self

    @classmethod
    def reopen(cls, recipe: tuple) -> Gazetteer:
        """The gazetteer another process opened, from its ``recipe`` (a worker of a cluster
        opens the build's own gazetteer this way; it is compiled already)."""
        if recipe[0] == "file":
            return cls.open(recipe[1])
        _, folder, packages, tables, villages = recipe
        return cls(folder, packages=packages, tables=tables, villages=villages)

    def _init_layers(self) -> None:
        paths = self._fixed
        if paths is None:
            paths = [self.path, self.folder / "cache" / _USER_FILE]
            paths += [self.folder / f for f in (IMPORTED_FILE, ONLINE_FILE)]
        self.layers = [p for p in paths if p.is_file()]
        self._local = threading.local()
        # Candidates by the folded name asked, not by its variant key: whether a candidate
        # matched exactly depends on the spelling ("Qalat" is Qalāt's own name, Kalat's
        # variant), and an answer must not depend on which spelling was asked first.
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        # Stored answers (by variant key) not yet asked for twice, kept packed: a name looked
        # up once (most names of a large batch) leaves no objects for the garbage collector.
        self._raw: dict[str, tuple[str | None, bytes]] = {}  # spelling, data
        self._asked: set[str] = set()  # folded names
        self._places: dict[tuple[int, int], Place] = {}  # one object per place, many names
        self._searches: dict[tuple, tuple[Candidate, ...]] = {}
        self._village_answers: dict[tuple[str, tuple[str, ...]], tuple[Candidate, ...]] = {}

    @staticmethod
    def is_current(
        folder: Path | str, *, packages: bool = True, tables: Path | str | None = None
    ) -> bool:
        """True when the compiled indexes exist and match their sources."""
        return all(
            _current(target, packages=with_packages, tables=sources)
            for target, with_packages, sources in _layers(
                Path(folder), packages=packages, tables=tables
            )
        )

    def _connections(self) -> list[tuple[sqlite3.Connection, bool]]:
        cons = getattr(self._local, "cons", None)
        if cons is None:
            cons = []
            try:
                for path in self.layers:
                    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                    con.execute("PRAGMA mmap_size = 1073741824")  # read pages without copying
                    if con.execute("SELECT 1 FROM names LIMIT 1").fetchone():
                        # an empty layer (no user.tsv yet) costs nothing
                        answers = con.execute(
                            "SELECT 1 FROM sqlite_master WHERE name = 'answers'"
                        ).fetchone()
                        cons.append((con, answers is not None))
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
        key, folded = variant_key(name), fold(name)
        found = self._get(key, folded)
        if found is None:
            self._fetch({key: folded})
            found = self._get(key, folded) or ()
        return found

    def _get(self, key: str, folded: str) -> tuple[Candidate, ...] | None:
        """A fetched name's candidates; None when it was not fetched."""
        found = self._cache.get(folded)
        if found is None:
            raw = self._raw.get(key)
            if raw is not None:
                found = tuple(self._unpack(key, folded, raw, None))
        return found

    def _unpack(
        self, key: str, folded: str, raw: tuple[str | None, bytes], limit: int | None
    ) -> list[Candidate]:
        """A key's stored answer as candidates of the folded name asked, the best ``limit`` of
        them when given; they are kept as objects once the name is asked for a second time."""
        spelling, packed = raw
        exact, rows = rank.unpack(packed, spelling, folded)
        keep = folded in self._asked
        if keep:
            self._raw.pop(key, None)  # another thread may have kept it already
            self._asked.discard(folded)
        else:
            self._asked.add(folded)
            rows = rows[:limit] if limit else rows
        if spelling is None:  # one ranking per spelling, priors final
            found = [
                new_candidate(new_place(*row[:13]), row[13], row[13] == folded, row[14], value)
                for row, value in rows
            ]
        else:
            # Stored ranked as inexact: the exact bonus lifts all alike (rank.write_answers).
            bonus = 0.5 if exact else 0.0
            found = [
                new_candidate(new_place(*row[:13]), row[13], exact, row[14], row[17] + bonus)
                for row in rows
            ]
        if keep:
            self._cache[folded] = tuple(found)
            return found[:limit] if limit else found
        return found

    def prefetch(self, names: Iterable[str]) -> None:
        """Load the candidates of many names at once (one query per layer per 500 names)."""
        names = list(names)
        with _collector_paused():
            self._prefetch(names, [variant_key(name) for name in names])

    def _prefetch(self, names: Sequence[str], keys: Sequence[str]) -> None:
        cache, raw = self._cache, self._raw
        wanted: dict[str, str] = {}
        for name, key in zip(names, keys, strict=True):
            # A second spelling of a key already wanted is fetched when it is asked for.
            if key not in raw and key not in wanted and (folded := fold(name)) not in cache:
                wanted[key] = folded
        ordered = sorted(wanted)  # neighbouring keys share index pages
        for i in range(0, len(ordered), 500):
            self._fetch({k: wanted[k] for k in ordered[i : i + 500]})

    def _fetch(self, wanted: dict[str, str]) -> None:
        """Query every layer for the keys of ``wanted`` (key → the folded name asked for).

        A layer with stored answers gives each key's candidates ranked; they are kept packed
        until asked for, and used as they are unless another layer also knows the key, when
        all are ranked together.
        """
        found: dict[str, dict[object, Candidate]] = {}
        ready: dict[str, tuple[int, str | None, bytes]] = {}
        marks = ",".join("?" * len(wanted))
        if len(self._cache) + len(self._raw) > 200_000:
            for kept in (self._cache, self._raw, self._asked, self._places):
                kept.clear()
        for layer, (con, answers) in enumerate(self._connections()):
            if answers:
                query = rank.ANSWERS.format(marks=marks)
                for key, spelling, data in con.execute(query, tuple(wanted)):
                    if key not in ready and key not in found:
                        ready[key] = (layer, spelling, data)
                        continue
                    best = self._to_rank(key, wanted[key], found, ready)
                    self._add_all(
                        best, wanted[key], layer, rank.rows_of(data, spelling, wanted[key])
                    )
                continue
            for row in con.execute(rank.QUERY.format(marks=marks), tuple(wanted)):
                key = row[17]
                self._add_all(
                    self._to_rank(key, wanted[key], found, ready), wanted[key], layer, (row,)
                )
        raw = self._raw
        for key, (_, spelling, data) in ready.items():
            raw[key] = (spelling, data)
        cache = self._cache
        for key, folded in wanted.items():
            if key not in ready:
                cache[folded] = rank.ranked(found.get(key, {}))

    def _to_rank(
        self,
        key: str,
        folded: str,
        found: dict[str, dict[object, Candidate]],
        ready: dict[str, tuple[int, str | None, bytes]],
    ) -> dict[object, Candidate]:
        """The candidates of a key that a further layer knows, to be ranked together: a stored
        answer taken so far joins them."""
        best = found.setdefault(key, {})
        if key in ready:
            earlier, spelling, packed = ready.pop(key)
            self._add_all(best, folded, earlier, rank.rows_of(packed, spelling, folded))
        return best

    def _add_all(self, best: dict[object, Candidate], folded: str, layer: int, rows: tuple) -> None:
        """Add a layer's rows for one key to the candidates to be ranked together."""
        for row in rows:
            rank.add(best, row, folded, self._place(layer, row), layer)

    def _place(self, layer: int, row: tuple) -> Place:
        """One object per place, shared by all its names (row: ``rank.QUERY``'s columns)."""
        place = self._places.get((layer, row[16]))
        if place is None:
            place = self._places[layer, row[16]] = new_place(*row[:13])
        return place

    # ------------------------------------------------------------------ the village layer

    def villages(self, name: str, countries: Iterable[str]) -> tuple[Candidate, ...]:
        """The villages of ``countries`` known by ``name`` (spelling variants included), best
        prior first; none when the gazetteer has no village layer."""
        wanted = tuple(sorted(set(countries)))
        if self.village_path is None or not wanted:
            return ()
        key = variant_key(name)
        memo = (key, wanted)
        found = self._village_answers.get(memo)
        if found is not None:
            return found
        con = getattr(self._local, "village_con", None)
        if con is None:
            try:
                con = sqlite3.connect(
                    f"file:{self.village_path}?mode=ro", uri=True, check_same_thread=False
                )
            except sqlite3.Error as exc:
                raise GazetteerError(
                    f"cannot open the village layer {self.village_path}: {exc}"
                ) from exc
            self._local.village_con = con
        marks = ",".join("?" * len(wanted))
        query = rank.QUERY.format(marks="?") + f" AND p.country IN ({marks})"
        best: dict[object, Candidate] = {}
        for row in con.execute(query, (key, *wanted)):
            rank.add(best, row, fold(name), new_place(*row[:13]), 0)
        found = tuple(sorted(best.values(), key=order))
        if len(self._village_answers) > 100_000:
            self._village_answers.clear()
        self._village_answers[memo] = found
        return found

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
            # "Sherzad District": the area named Sherzad, not another area whose old name it was;
            # but a place whose own name it is comes first ("Jordan Valley" is not Jordan).
            # A place found both ways keeps its better score (the type word's hint).
            own = [c for c in found if c.kind == "name"]
            best: dict[Place, Candidate] = {c.place: c for c in sorted(own, key=order)}
            for c in sorted(found + stripped, key=order):
                best.setdefault(c.place, c)
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
        out = []
        with _collector_paused():
            keys = [variant_key(name) for name in names]
            self._prefetch(names, keys)
            cache, raw, unpack = self._cache, self._raw, self._unpack
            for name, key in zip(names, keys, strict=True):
                found: list[Candidate] | None = None
                if not (country or _typed(name)):
                    folded = fold(name)
                    kept = cache.get(folded)
                    if kept is not None:
                        found = list(kept[:limit])
                    elif (packed := raw.get(key)) is not None:
                        found = unpack(key, folded, packed, limit)
                # A plain name that is known needs none of search's fallbacks.
                out.append(
                    found if found else self.search(name, country=country, limit=limit, fuzzy=fuzzy)
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
        return sorted(found, key=order)

    def _fuzzy(self, name: str, *, country: str | None) -> list[Candidate]:
        from rapidfuzz import fuzz, process

        key = variant_key(name)
        if len(key) < 4:
            return []
        cutoff = 85.0 if country else 90.0
        low, high = int(len(key) * 0.8), math.ceil(len(key) * 1.2)
        keys: set[str] = set()
        for con, _ in self._connections():
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
        return sorted(out, key=order)

    # ------------------------------------------------------------------ statistics

    def stats(self) -> dict[str, dict[str, int]]:
        """Place counts by source, feature class and country, over every layer of the main
        index; and, apart (it is asked only for names the index lacks), the village layer's
        places by country."""
        by_source: Counter[str] = Counter()
        by_class: Counter[str] = Counter()
        by_country: Counter[str] = Counter()
        for con, _ in self._connections():
            for source, feature, country, n in con.execute(_STATS):
                by_source[source.rstrip(":")] += n
                by_class[feature or "?"] += n
                by_country[country] += n
        villages: Counter[str] = Counter()
        if self.village_path is not None and self.village_path.is_file():
            con = sqlite3.connect(f"file:{self.village_path}?mode=ro", uri=True)
            try:
                for _source, _feature, country, n in con.execute(_STATS):
                    villages[country] += n
            finally:
                con.close()
        return {
            "source": dict(by_source),
            "feature_class": dict(by_class),
            "country": dict(by_country),
            "villages": dict(villages),
        }


_STATS = (
    "SELECT substr(source, 1, instr(source || ' ', ' ') - 1), substr(feature, 1, 1), country,"
    " count(*) FROM places GROUP BY 1, 2, 3"
)


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
    if " " not in name:
        return False
    words = name.split()
    return len(words) > 1 and (
        words[0].lower() == "the"
        or words[-1].lower() in TYPE_WORDS
        or words[0].lower() in TYPE_WORDS
    )


def _layers(
    folder: Path, *, packages: bool, tables: Path | str | None
) -> tuple[tuple[Path, bool, tuple[Path, ...]], ...]:
    """The compiled layers of a folder: (file, with package data, source tables)."""
    shipped = Path(tables) if tables is not None else tables_folder()
    return (
        (folder / "cache" / _MAIN_FILE, packages, tuple(shipped / t for t in MAIN_TABLES)),
        (folder / "cache" / _USER_FILE, False, (folder / USER_TABLE,)),
    )


def _current(target: Path, *, packages: bool, tables: Sequence[Path]) -> bool:
    stored = _build.stored_fingerprint(target)
    return bool(stored) and stored == _build.fingerprint(packages=packages, tables=tables)
