"""Open the compiled gazetteer (building it when missing or stale) and query it."""

from __future__ import annotations

import math
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import GazetteerError
from ..models import Place
from ..names import fold, variant_key
from . import build as _build

__all__ = ["Candidate", "Gazetteer"]

# Prior for a name with no context: countries are named far more often than same-named towns,
# and a town outranks the same-named district or province it is the seat of.
_LEVEL_PRIOR = {"country": 2.0, "admin1": -0.5, "admin2": -0.5, "place": 0.0}
# A place's own name outweighs an alternate (often historic) name of a bigger place.
_KIND_PRIOR = {"name": 1.5, "demonym": 1.5, "alt": 0.0}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry matched by a name, with its context-free prior score."""

    place: Place
    matched: str  # the folded name that matched
    exact: bool  # the folded name matched, not only its spelling variant
    kind: str  # "name" (the place's own), "alt" (an alternate name) or "demonym"
    prior: float


class Gazetteer:
    """Read-only access to the compiled gazetteer.

    Parameters
    ----------
    folder
        The folder with ``curated.tsv`` (and optionally ``user.tsv``); the compiled
        index lives in its ``cache/`` subfolder and is rebuilt when a source changes.
    """

    def __init__(self, folder: Path | str | None = None, *, rebuild: bool = False) -> None:
        self.folder = Path(folder) if folder else _build.packaged_default_folder()
        if not self.folder.is_dir():
            raise GazetteerError(
                f"gazetteer folder not found: expected a directory at {self.folder}"
            )
        self.path = self.folder / "cache" / "gazetteer.sqlite"
        self.built = False
        if rebuild or not self._is_current():
            _build.build(self.folder, self.path)
            self.built = True
        self._local = threading.local()
        self._cache: dict[str, tuple[Candidate, ...]] = {}

    @classmethod
    def open(cls, path: Path | str) -> Gazetteer:
        """Open a compiled gazetteer file as it is, without checking or rebuilding it."""
        self = cls.__new__(cls)
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerError(f"expected a compiled gazetteer file at {self.path}, found none")
        self.folder, self.built = self.path.parent, False
        self._local = threading.local()
        self._cache = {}
        return self

    def _is_current(self) -> bool:
        return self.is_current(self.folder)

    @staticmethod
    def is_current(folder: Path | str) -> bool:
        """True when the compiled index exists and matches its sources."""
        path = Path(folder) / "cache" / "gazetteer.sqlite"
        if not path.exists():
            return False
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = con.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            return False
        return bool(row) and row[0] == _build.fingerprint(Path(folder))

    @property
    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            try:
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            except sqlite3.Error as exc:
                raise GazetteerError(f"cannot open gazetteer {self.path}: {exc}") from exc
            self._local.con = con
        return con

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Every entry known by ``name`` (spelling variants included), best prior first."""
        key = variant_key(name)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        folded = fold(name)
        rows = self._con.execute(
            "SELECT n.folded, n.kind, p.name, p.lat, p.lon, p.country, p.precision, p.admin1,"
            " p.admin2, p.feature, p.population, p.geonameid, p.source, p.bonus, p.id"
            " FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ?",
            (key,),
        ).fetchall()
        best: dict[int, Candidate] = {}
        for (
            matched,
            kind,
            pname,
            lat,
            lon,
            country,
            precision,
            admin1,
            admin2,
            feature,
            population,
            geonameid,
            source,
            bonus,
            pid,
        ) in rows:
            exact = matched == folded
            prior = (
                math.log10(population + 10)
                + _LEVEL_PRIOR[precision]
                + bonus
                + _KIND_PRIOR[kind]
                + (0.5 if exact else 0.0)
            )
            place = Place(
                name=pname,
                lat=lat,
                lon=lon,
                country=country,
                precision=precision,
                admin1=admin1,
                admin2=admin2,
                feature=feature,
                population=population,
                geonameid=geonameid,
                source=source,
            )
            candidate = Candidate(place, matched, exact, kind, prior)
            if pid not in best or prior > best[pid].prior:
                best[pid] = candidate
        result = tuple(sorted(best.values(), key=lambda c: (-c.prior, c.place.name, c.place.lat)))
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = result
        return result

    def lookup(self, name: str, *, country: str | None = None, limit: int = 10) -> list[Place]:
        """Places known by ``name``, best first; ``country`` (ISO2) keeps only that country."""
        found = self.candidates(name)
        if country:
            found = tuple(c for c in found if c.place.country == country.upper())
        return [c.place for c in found[:limit]]

    def stats(self) -> dict[str, int]:
        import json

        row = self._con.execute("SELECT value FROM meta WHERE key='counts'").fetchone()
        return json.loads(row[0]) if row else {}
