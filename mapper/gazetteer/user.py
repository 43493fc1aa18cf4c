"""The user's own places: ``user.tsv`` in their gazetteer folder (columns of ``curated.tsv``)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from ..errors import GazetteerError
from .rows import TABLE_COLUMNS

__all__ = ["add_place"]

_PRECISIONS = ("place", "admin2", "admin1", "country")


def add_place(
    folder: Path,
    *,
    name: str,
    lat: float,
    lon: float,
    country: str,
    source: str,
    alt_names: list[str] | tuple[str, ...] = (),
    admin1: str | None = None,
    admin2: str | None = None,
    feature: str | None = "P.PPL",
    precision: str = "place",
    population: int = 0,
) -> Path:
    """Append one place to ``folder/user.tsv`` (created with its header when missing)."""
    if not name.strip():
        raise GazetteerError("expected a place name, got an empty string")
    if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon <= 180):
        raise GazetteerError(
            f"expected latitude in [-90, 90] and longitude in [-180, 180], got {lat}, {lon}"
        )
    if len(country) != 2 or not country.isalpha():
        raise GazetteerError(f"expected a two-letter ISO country code, got {country!r}")
    if precision not in _PRECISIONS:
        raise GazetteerError(
            f"precision must be one of {', '.join(_PRECISIONS)}; got {precision!r}"
        )
    if not source.strip():
        raise GazetteerError("every place needs a source (where its coordinates come from)")
    cells = [
        name,
        "|".join(alt_names),
        f"{lat:.6f}",
        f"{lon:.6f}",
        country.upper(),
        admin1 or "",
        admin2 or "",
        feature or "",
        precision,
        str(population),
        source,
    ]
    if any(("\t" in c or "\n" in c) for c in cells):
        raise GazetteerError("fields may not contain tabs or line breaks")
    path = folder / "user.tsv"
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None
    )
    if not path.exists():
        buffer.write(
            "# Your own places: they win over every other source. Columns as in curated.tsv.\n"
        )
        writer.writerow(TABLE_COLUMNS)
    writer.writerow(cells)
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(buffer.getvalue())
    return path
