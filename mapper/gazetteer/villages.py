"""The village layer: populated places of conflict countries that the main index lacks.

Compiled on first use from the packed table the package ships (``tables/villages.tsv.xz``,
made by :mod:`.villages_pack`) into ``cache/villages.sqlite``, in the layout of the other layers
but kept apart from them: names repeat so often among villages (Pakistan alone has 23 places
called Bara) that they would flood recognition and outrank towns everywhere. They are asked
for only for a name the main index does not know, and only in the story's own countries
(:mod:`mapper.geoparse.villages`).

A village's province and district are those of the nearest town of the main index (its
admin codes in the source predate renamed and merged provinces, and it has no districts).
"""

from __future__ import annotations

import hashlib
import lzma
import math
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import GazetteerError
from ..geo import haversine_km
from . import schema
from .build import TEMPORARY, stored_fingerprint
from .sources import without_article

__all__ = ["SOURCE", "TABLE", "compile_layer", "fingerprint", "is_current"]

TABLE = "villages.tsv.xz"  # in the package's tables folder
SOURCE = "villages (GeoNames populated places, by way of Who's On First)"
_SCHEMA_VERSION = "2"
# Below the packaged towns, as the curated places are above them.
_BONUS = -1.0
# Population is mostly unknown here; how many names a place is known by says how much it is
# written about (a town in the news has spellings in many languages, a hamlet one name), so
# each doubling of its names adds this much to its prior.
_PER_DOUBLING_OF_NAMES = 1.0
# A village takes the district of a town this close, and the province of one this close.
_DISTRICT_KM = 25.0
_PROVINCE_KM = 150.0
_CELL = 0.5  # degrees: the grid the nearest town is searched in


def fingerprint(table: Path, main_fingerprint: str) -> str:
    """What the layer depends on: its code, its table and the main index it takes areas from."""
    digest = hashlib.sha256(_SCHEMA_VERSION.encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(table.name.encode())
    digest.update(table.read_bytes())
    digest.update(main_fingerprint.encode())
    return digest.hexdigest()


def is_current(target: Path, expected: str) -> bool:
    """The layer at ``target`` was compiled with the ``expected`` fingerprint."""
    return stored_fingerprint(target) == expected


def _read(table: Path) -> Iterator[list[str]]:
    try:
        with lzma.open(table, "rt", encoding="utf-8") as handle:
            header = handle.readline().rstrip("\n").split("\t")
            if header[:2] != ["geonameid", "name"]:
                raise GazetteerError(
                    f"{table}: expected a packed village table (geonameid, name, …), found"
                    f" columns {header[:4]}"
                )
            for line in handle:
                yield line.rstrip("\n").split("\t")
    except (OSError, lzma.LZMAError, EOFError) as exc:
        raise GazetteerError(f"cannot read the village table {table}: {exc}") from exc


class _Towns:
    """The GeoNames ids of the main index's places; and its towns, a country at a time as
    first asked for, on a grid, for the nearest one."""

    def __init__(self, main: sqlite3.Connection) -> None:
        self.main = main
        ids = main.execute("SELECT geonameid FROM places WHERE geonameid IS NOT NULL")
        self.known = {gid for (gid,) in ids}
        self.loaded: set[str] = set()
        # (country, row, column) → the towns there: (lat, lon, province, district)
        self.grid: dict[tuple[str, int, int], list[tuple]] = {}

    def load(self, country: str) -> None:
        if country in self.loaded:
            return
        self.loaded.add(country)
        for lat, lon, admin1, admin2 in self.main.execute(
            "SELECT lat, lon, admin1, admin2 FROM places"
            " WHERE country = ? AND precision = 'place' AND admin1 IS NOT NULL",
            (country,),
        ):
            if admin1:
                cell = (country, math.floor(lat / _CELL), math.floor(lon / _CELL))
                self.grid.setdefault(cell, []).append((lat, lon, admin1, admin2))

    def areas(self, country: str, lat: float, lon: float) -> tuple[str | None, str | None]:
        """(province, district) of the nearest town, as far as it is near enough to tell."""
        row, col = math.floor(lat / _CELL), math.floor(lon / _CELL)
        best, best_km = None, math.inf
        for reach in (1, 3):
            for dr in range(-reach, reach + 1):
                for dc in range(-reach, reach + 1):
                    for town in self.grid.get((country, row + dr, col + dc), ()):
                        km = haversine_km(lat, lon, town[0], town[1])
                        if km < best_km:
                            best, best_km = town, km
            if best is not None and best_km <= _CELL * 111 * reach:
                break
        if best is None or best_km > _PROVINCE_KM:
            return None, None
        return best[2], best[3] if best_km <= _DISTRICT_KM else None


_BATCH = 20_000  # rows written at a time: the table is streamed, never held whole


def compile_layer(target: Path, *, table: Path, main: Path, expected: str) -> int:
    """Compile the village layer to ``target`` atomically; return the places written.

    ``main`` is the compiled main index: its places are left out here, and its towns give each
    village its province and district. ``expected`` is the fingerprint stored with the layer.
    """
    tmp = target.with_suffix(f"{TEMPORARY}{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        main_con = sqlite3.connect(f"file:{main}?mode=ro", uri=True)
        con = sqlite3.connect(tmp)
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot compile the village layer to {tmp}: {exc}") from exc
    towns = _Towns(main_con)
    count = 0
    try:
        schema.create(con)
        places, names = [], []
        for number, cells in enumerate(_read(table), start=2):
            try:
                gid, name, lat, lon, cc, feature, population, alternates = cells
                gid, lat, lon = int(gid), float(lat), float(lon)
                population = int(population or 0)
            except ValueError as exc:
                raise GazetteerError(
                    f"{table}, row {number}: expected 8 columns (id, name, lat, lon, country,"
                    f" feature, population, names), found {cells[:8]}"
                ) from exc
            towns.load(cc)
            if gid in towns.known:
                continue
            count += 1
            admin1, admin2 = towns.areas(cc, lat, lon)
            known_by = [name, *filter(None, alternates.split("|"))]
            places.append(
                schema.place_row(
                    count,
                    name=name,
                    lat=lat,
                    lon=lon,
                    country=cc,
                    precision="place",
                    admin1=admin1,
                    admin2=admin2,
                    feature=f"P.{feature}",
                    population=population,
                    geonameid=gid,
                    source=SOURCE,
                    bonus=_BONUS + _PER_DOUBLING_OF_NAMES * math.log2(len(known_by)),
                )
            )
            spelled = without_article(known_by, cc)
            kinds = [(n, "name" if i == 0 else "alt") for i, n in enumerate(spelled)]
            names.extend(schema.name_rows(count, kinds))
            if len(places) >= _BATCH:
                _write(con, places, names)
        _write(con, places, names)
        con.executescript(schema.INDEXES)
        con.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (expected,))
        con.commit()
    except BaseException as exc:
        main_con.close()
        con.close()
        tmp.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise GazetteerError(f"cannot compile the village layer to {tmp}: {exc}") from exc
        raise
    main_con.close()
    con.close()
    os.replace(tmp, target)
    return count


def _write(con: sqlite3.Connection, places: list[tuple], names: list[tuple]) -> None:
    """Insert a batch of rows and empty the lists."""
    con.executemany(schema.INSERT_PLACE, places)
    con.executemany(schema.INSERT_NAME, names)
    places.clear()
    names.clear()
