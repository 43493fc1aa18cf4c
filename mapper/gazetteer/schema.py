"""The on-disk layout shared by every gazetteer layer (compiled, user, imported, online)."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable

from ..text.names import fold, variant_key

__all__ = ["SCHEMA", "create", "name_rows", "place_row"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country TEXT NOT NULL, precision TEXT NOT NULL, admin1 TEXT, admin2 TEXT, feature TEXT,
    population INTEGER NOT NULL, geonameid INTEGER, source TEXT NOT NULL, base REAL NOT NULL,
    seat_lat REAL, seat_lon REAL
);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL, folded TEXT NOT NULL, place_id INTEGER NOT NULL, kind TEXT NOT NULL
);
"""
# Covering index: a lookup reads only the index, never the names table itself.
INDEXES = "CREATE INDEX IF NOT EXISTS names_key ON names (key, folded, kind, place_id);"
INSERT_PLACE = "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
INSERT_NAME = "INSERT INTO names VALUES (?,?,?,?)"


def create(con: sqlite3.Connection) -> None:
    """Make the tables of a layer in ``con``."""
    con.executescript(SCHEMA)


# The context-free prior of a place, stored with it so lookups only add the name's part:
# countries are named far more often than same-named towns, a state or province more often
# than a town of its name elsewhere (the store lifts a province's own capital back above it),
# and a town outranks the same-named district it is the seat of.
LEVEL_PRIOR = {"country": 2.0, "admin1": 0.5, "admin2": -0.5, "place": 0.0}
# Areas get their population from member towns; one with none in the data (a district without
# towns, a sea, a mountain range) is assumed small, not empty.
AREA_POPULATION_FLOOR = 10_000


def base_prior(population: int, precision: str, bonus: float) -> float:
    """A place's prior from its kind and population, before any source bonus."""
    floor = AREA_POPULATION_FLOOR if precision != "place" else 0
    return math.log10(max(population, floor) + 10) + LEVEL_PRIOR[precision] + bonus


def place_row(
    place_id: int,
    *,
    name: str,
    lat: float,
    lon: float,
    country: str,
    precision: str,
    admin1: str | None,
    admin2: str | None,
    feature: str | None,
    population: int,
    geonameid: int | None,
    source: str,
    bonus: float = 0.0,
    seat: tuple[float, float] | None = None,
) -> tuple:
    """A places row; ``bonus`` lifts a source above others (curated, user).

    ``seat`` is where an event known only to this area is put (ACLED puts province-level
    events at the provincial capital); ``lat``/``lon`` say where the place itself is.
    """
    return (
        place_id,
        name,
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
        base_prior(population, precision, bonus),
        *(seat or (None, None)),
    )


def name_rows(place_id: int, names: Iterable[tuple[str, str]]) -> list[tuple]:
    """Index rows for (name, kind) pairs; the first kind given for a name wins."""
    seen: set[str] = set()
    rows = []
    for name, kind in names:
        folded = fold(name)
        if not folded or folded in seen:
            continue
        seen.add(folded)
        rows.append((variant_key(name), folded, place_id, kind))
    return rows
