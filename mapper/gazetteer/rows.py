"""Places as the compile takes them (``PlaceRow``), and the tables people write them in:
``curated.tsv``, ``regions.tsv`` and ``user.tsv`` (a place a row), ``centres.tsv``
(country points).

A place table has the columns of ``TABLE_COLUMNS``, and may add those of
``OPTIONAL_COLUMNS``: ``demonyms`` ("|"-separated, as ``alt_names``) and ``seat_lat``,
``seat_lon`` (where an event known only to the area goes; both or neither).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import GazetteerError

__all__ = ["OPTIONAL_COLUMNS", "TABLE_COLUMNS", "PlaceRow", "read_centres", "read_table"]


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
# Tables written before these columns existed still load: an absent column is empty.
OPTIONAL_COLUMNS = ("demonyms", "seat_lat", "seat_lon")


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


def read_table(path: Path, *, source_prefix: str) -> Iterator[PlaceRow]:
    """Rows of a curated/user TSV; a malformed row raises with its line number.

    ``OPTIONAL_COLUMNS`` may be absent from the header or empty in a row.
    """
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
        alts = _listed(row["alt_names"])
        seat = None
        if (row.get("seat_lat") or "").strip() or (row.get("seat_lon") or "").strip():
            try:
                seat = (float(row["seat_lat"]), float(row["seat_lon"]))
            except (TypeError, ValueError) as exc:
                raise GazetteerError(
                    f"{path}, row {number}: seat_lat and seat_lon must both be numbers ({exc})"
                ) from None
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
            demonyms=_listed(row.get("demonyms")),
            seat=seat,
        )


def _listed(cell: str | None) -> tuple[str, ...]:
    """The names of a "|"-separated cell."""
    return tuple(a.strip() for a in (cell or "").split("|") if a.strip())


def read_centres(path: Path | None) -> dict[str, tuple[float, float, str]]:
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
