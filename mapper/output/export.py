"""Events → GeoDataFrame, GeoJSON and CSV. The one place where (lat, lon) becomes (x=lon, y=lat)."""

from __future__ import annotations

import csv
import errno
import filecmp
import io
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import geopandas as gpd

from ..errors import StoreError
from ..types import RECORD_FIELDS, Event

__all__ = [
    "CSV_COLUMNS",
    "RECORD_FIELDS",
    "atomic_write",
    "csv_join",
    "csv_pieces",
    "csv_text",
    "frame_from_values",
    "geojson_join",
    "geojson_pieces",
    "geojson_text",
    "inert_cell",
    "sorted_events",
    "stored_values",
    "texts",
    "to_geodataframe",
    "write_geopackage",
    "write_parquet",
]

# ACLED's column names where ACLED has the field; mapper's own fields follow.
CSV_COLUMNS = (
    "event_id",
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "injured",
    "source",
    "source_url",
    "notes",
    "evidence",
    "article_id",
    "start",
    "end",
    "geonameid",
    "location_source",
    "confidence",
    "also_reported",
)


# The keys of ``Event.to_record``, in its order.
# RECORD_FIELDS: the keys of ``Event.to_record``, in its order.
_LAT, _LON = RECORD_FIELDS.index("latitude"), RECORD_FIELDS.index("longitude")
_ALSO = RECORD_FIELDS.index("also_reported")


def sorted_events(events: Sequence[Event]) -> list[Event]:
    """Events in a stable order (date, then id), whatever order the articles were read in."""
    return sorted(events, key=lambda e: (e.event_date or "", e.event_id))


def to_geodataframe(events: Sequence[Event]) -> gpd.GeoDataFrame:
    """Located events as a GeoDataFrame in EPSG:4326 (events without coordinates are left out)."""
    return frame_from_values([e.record_values() for e in sorted_events(events)])


def frame_from_values(rows: Sequence[Sequence]) -> gpd.GeoDataFrame:
    """``to_geodataframe`` for events given as the values of their records (in
    ``RECORD_FIELDS`` order, in export order; as ``record_values`` or ``stored_values`` give
    them)."""
    located = [r for r in rows if r[_LAT] is not None and r[_LON] is not None]
    if not located:
        return gpd.GeoDataFrame({"event_id": []}, geometry=[], crs="EPSG:4326")
    data = dict(zip(RECORD_FIELDS, map(list, zip(*located, strict=True)), strict=True))
    geometry = gpd.points_from_xy(data["longitude"], data["latitude"])
    return gpd.GeoDataFrame(data, columns=list(RECORD_FIELDS), geometry=geometry, crs="EPSG:4326")


def texts(event: Event) -> tuple[str | None, str, str]:
    """What the exports are made of, for one event: its GeoJSON feature (None without
    coordinates), its CSV row and its record's values as a JSON array (``RECORD_FIELDS``
    order; quicker to read back than an object). The record is built once."""
    record = event.to_record()
    feature = None
    if event.latitude is not None and event.longitude is not None:
        feature = json.dumps(
            {
                "type": "Feature",
                "id": record["event_id"],
                "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
                "properties": record,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
    row = io.StringIO()
    flat = {k: inert_cell(v) for k, v in record.items()}
    flat["also_reported"] = inert_cell(
        "; ".join(
            " ".join(x for x in (r["source"], r["source_url"]) if x)
            for r in record["also_reported"]
        )
    )
    csv.DictWriter(
        row, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n"
    ).writerow(flat)
    return feature, row.getvalue(), json.dumps(stored_values(record), ensure_ascii=False)


def stored_values(record: dict) -> list:
    """A record's values as the event store keeps them for the map (``frame_from_values``):
    each other report as [article_id, source, source_url], not as an object. Read back, a
    map of 100,000 merged events holds hundreds of thousands of them: as lists, a third of
    the memory (and the page's details need not spell the keys out each time)."""
    values = list(record.values())
    values[_ALSO] = [[r["article_id"], r["source"], r["source_url"]] for r in values[_ALSO]]
    return values


# A cell a spreadsheet would read as a formula ("=HYPERLINK(…)", "@SUM(…)", "+1-2"), or whose
# leading tab or line break hides one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def inert_cell(value: object) -> object:
    """``value`` as a CSV cell no spreadsheet runs: text that starts like a formula gets a
    leading apostrophe, as OWASP advises against CSV injection (the text itself is kept), and
    a lone carriage return becomes a line break (the writer would leave it unquoted, breaking
    the row). Numbers are left as they are, negative ones included.

    >>> inert_cell("=SUM(A1:A9)"), inert_cell(-33.5), inert_cell("Kabul")
    ("'=SUM(A1:A9)", -33.5, 'Kabul')
    """
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if value.startswith(_FORMULA_START) else value


def geojson_text(events: Sequence[Event]) -> str:
    """A GeoJSON FeatureCollection of the located events, byte-stable for the same events."""
    return geojson_join(f for f, _, _ in map(texts, sorted_events(events)) if f is not None)


def geojson_join(features: Iterable[str]) -> str:
    """A FeatureCollection of features given as JSON texts (``texts``), in their order."""
    return "".join(geojson_pieces(features))


def geojson_pieces(features: Iterable[str]) -> Iterator[str]:
    """``geojson_join`` a feature at a time."""
    # One feature a line: quick to write and to diff between builds.
    yield '{"type":"FeatureCollection","features":[\n'
    for i, feature in enumerate(features):
        yield feature if i == 0 else ",\n" + feature
    yield "\n]}\n"


def csv_text(events: Sequence[Event]) -> str:
    return csv_join(row for _, row, _ in map(texts, sorted_events(events)))


def csv_join(rows: Iterable[str]) -> str:
    """The CSV export from rows given as texts (``texts``), in their order."""
    return "".join(csv_pieces(rows))


def csv_pieces(rows: Iterable[str]) -> Iterator[str]:
    """``csv_join`` a row at a time."""
    yield _CSV_HEADER
    yield from rows


_CSV_HEADER = ",".join(CSV_COLUMNS) + "\n"


def write_geopackage(events: Sequence[Event], path: Path) -> int:
    """All located events as one GeoPackage layer ("events"), written atomically; returns rows."""
    frame = to_geodataframe(events)
    if len(frame):
        frame["also_reported"] = [json.dumps(v, ensure_ascii=False) for v in frame["also_reported"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.gpkg")
    try:
        frame.to_file(tmp, layer="events", driver="GPKG", engine="pyogrio")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(frame)


# The folder, in the partitioned export, of the events that have no month: no date, or a
# year only.
_NO_MONTH = "unknown"


def write_parquet(events: Sequence[Event], folder: Path) -> dict[str, int]:
    """All located events as GeoParquet files partitioned by month, ``month=YYYY-MM/`` (Hive's
    layout, which pyarrow, geopandas and dask read as one table with a ``month`` column), each
    with the CSV's columns and the point geometry; written whole to a new folder that then
    takes the place of the old one, so a reader never sees half of it. Returns rows per month.

    Needs pyarrow (``pip install "mapper[parquet]"``).
    """
    try:
        import pyarrow  # noqa: F401  (geopandas writes Parquet through it)
    except ImportError as exc:
        raise StoreError('the Parquet export needs pyarrow: pip install "mapper[parquet]"') from exc
    frame = to_geodataframe(events)
    if len(frame):
        frame["also_reported"] = [json.dumps(v, ensure_ascii=False) for v in frame["also_reported"]]
        frame = frame[[*CSV_COLUMNS, "geometry"]]
    months = [
        d[:7] if isinstance(d, str) and len(d) >= 7 else _NO_MONTH
        for d in frame.get("event_date", [])
    ]
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    stale = folder.with_name(f".{folder.name}.{os.getpid()}.old")
    shutil.rmtree(fresh, ignore_errors=True)
    counts: dict[str, int] = {}
    try:
        fresh.mkdir()
        for month in sorted(set(months)):
            part = frame[[m == month for m in months]]
            (fresh / f"month={month}").mkdir()
            part.to_parquet(fresh / f"month={month}" / "part-0.parquet", index=False)
            counts[month] = len(part)
        if folder.exists():
            os.replace(folder, stale)
        os.replace(fresh, folder)
    except OSError as exc:
        raise StoreError(f"cannot write {folder}: {_why(exc)}") from exc
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)
    return counts


def atomic_write(path: Path, text: str | Iterable[str]) -> bool:
    """Write through a temporary file and rename, so readers never see half a file. ``text``
    may come in pieces (an export of any size is never held whole).

    Returns False, leaving the file as it was, when it already holds exactly ``text``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot make the folder {path.parent}: {_why(exc)}") from exc
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                handle.writelines(text)
        try:
            if path.stat().st_size == tmp.stat().st_size and filecmp.cmp(path, tmp, shallow=False):
                return False
        except FileNotFoundError:
            pass
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {_why(exc)}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _why(exc: OSError) -> str:
    """An OS error in a user's words, with what to do about it."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space and build again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the folder is read-only or not yours; choose another --out"
    return exc.strerror or str(exc)
