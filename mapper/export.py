"""Events → GeoDataFrame, GeoJSON and CSV. The one place where (lat, lon) becomes (x=lon, y=lat)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd

from .models import Event

__all__ = [
    "CSV_COLUMNS",
    "atomic_write",
    "csv_text",
    "geojson_text",
    "sorted_events",
    "to_geodataframe",
    "write_geopackage",
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


def sorted_events(events: Sequence[Event]) -> list[Event]:
    """Events in a stable order (date, then id), whatever order the articles were read in."""
    return sorted(events, key=lambda e: (e.event_date or "", e.event_id))


def to_geodataframe(events: Sequence[Event]) -> gpd.GeoDataFrame:
    """Located events as a GeoDataFrame in EPSG:4326 (events without coordinates are left out)."""
    located = [
        e for e in sorted_events(events) if e.latitude is not None and e.longitude is not None
    ]
    records = [e.to_record() for e in located]
    columns = list(records[0]) if records else ["event_id"]
    data = {name: [r[name] for r in records] for name in columns}  # by column: much faster
    geometry = gpd.points_from_xy([e.longitude for e in located], [e.latitude for e in located])
    return gpd.GeoDataFrame(data, columns=columns, geometry=geometry, crs="EPSG:4326")


def geojson_text(events: Sequence[Event]) -> str:
    """A GeoJSON FeatureCollection of the located events, byte-stable for the same events."""
    features = []
    for e in sorted_events(events):
        if e.latitude is None or e.longitude is None:
            continue
        props = e.to_record()
        features.append(
            {
                "type": "Feature",
                "id": props["event_id"],
                "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]},
                "properties": props,
            }
        )
    # One feature a line: quick to write (the C encoder) and to diff between builds.
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n"


def csv_text(events: Sequence[Event]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for e in sorted_events(events):
        record = e.to_record()
        record["also_reported"] = "; ".join(
            " ".join(x for x in (r["source"], r["source_url"]) if x)
            for r in record["also_reported"]
        )
        writer.writerow(record)
    return buffer.getvalue()


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


def atomic_write(path: Path, text: str) -> bool:
    """Write through a temporary file and rename, so readers never see half a file.

    Returns False, writing nothing, when the file already holds exactly ``text``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return True
