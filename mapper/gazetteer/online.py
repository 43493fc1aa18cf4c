"""Answers of the opt-in online geocoder, cached on disk as a gazetteer layer.

Each answer becomes a place in ``online.sqlite`` (source "online: <service>"), found later
by the query that produced it, offline; misses are remembered too, so a name is asked once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from . import schema
from .store import ONLINE_FILE

__all__ = ["OnlineCache", "precision_of"]

# Nominatim's "addresstype" (and similar fields of other services) → our precision.
_PRECISION = {
    "country": "country",
    "state": "admin1",
    "province": "admin1",
    "region": "admin1",
    "state_district": "admin2",
    "county": "admin2",
    "district": "admin2",
    "municipality": "admin2",
}


def precision_of(raw: dict) -> str:
    """The precision of a place an online geocoder answered, from its raw record."""
    kind = str(raw.get("addresstype") or raw.get("type") or "").lower()
    return _PRECISION.get(kind, "place")


class OnlineCache:
    """Answers of the opt-in online geocoder kept on disk as a gazetteer layer, each name
    asked once."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / ONLINE_FILE
        self.con = sqlite3.connect(self.path)
        schema.create(self.con)
        self.con.executescript(
            schema.INDEXES
            + "CREATE TABLE IF NOT EXISTS queries (query TEXT, country TEXT, service TEXT,"
            " hits INTEGER, PRIMARY KEY (query, country, service));"
        )

    def asked(self, query: str, country: str | None, service: str) -> bool:
        """The names asked before (answered or not)."""
        row = self.con.execute(
            "SELECT 1 FROM queries WHERE query = ? AND country = ? AND service = ?",
            (query, country or "", service),
        ).fetchone()
        return row is not None

    def put(self, query: str, country: str | None, service: str, locations: list) -> None:
        """Store the service's answers as places known by ``query``."""
        with self.con:
            for location in locations:
                raw = dict(getattr(location, "raw", {}) or {})
                address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
                code = (address.get("country_code") or country or "").upper()[:2] or "ZZ"
                place_id = (
                    self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM places").fetchone()
                )[0]
                self.con.execute(
                    schema.INSERT_PLACE,
                    schema.place_row(
                        place_id,
                        name=str(location.address).split(",")[0].strip() or query,
                        lat=float(location.latitude),
                        lon=float(location.longitude),
                        country=code,
                        precision=precision_of(raw),
                        admin1=address.get("state"),
                        admin2=address.get("county") or address.get("state_district"),
                        feature=None,
                        population=0,
                        geonameid=None,
                        source=f"online: {service}: {location.address}",
                    ),
                )
                self.con.executemany(
                    schema.INSERT_NAME,
                    schema.name_rows(
                        place_id, [(query, "name"), (str(location.address).split(",")[0], "name")]
                    ),
                )
            self.con.execute(
                "INSERT OR REPLACE INTO queries VALUES (?, ?, ?, ?)",
                (query, country or "", service, len(locations)),
            )

    def close(self) -> None:
        """Close the cache's database."""
        self.con.close()
