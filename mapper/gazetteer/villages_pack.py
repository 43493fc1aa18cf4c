"""Pack the village files (GeoNames populated places of conflict countries, by way of Who's On
First) into the compact table the package ships (``tables/villages.tsv.xz``).

    python -m mapper.gazetteer.villages_pack ../shared/data/villages

A development step, run when the source files change; the package only reads its output
(:mod:`.villages`). Kept per place: GeoNames id, name, point, country, feature code,
population and the Latin-script names (the index reads no other script). Dropped: the other
scripts, admin codes (a village's areas are taken from the towns around it at compile time),
elevation, time zone and dates.
"""

from __future__ import annotations

import argparse
import gzip
import lzma
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import GazetteerError
from ..text.names import is_latin, variant_key
from .folders import tables_folder
from .villages import TABLE

__all__ = ["COLUMNS", "pack", "rows_of"]

COLUMNS = ("geonameid", "name", "lat", "lon", "country", "feature", "population", "alt_names")
_GEONAME_FIELDS = 19


def rows_of(path: Path) -> Iterator[tuple[str, ...]]:
    """The packed rows of one source file (``XX.txt.gz`` or ``XX.wof-extra.txt.gz``)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            cells = line.rstrip("\n").split("\t")
            if len(cells) != _GEONAME_FIELDS:
                raise GazetteerError(
                    f"{path}:{number}: expected {_GEONAME_FIELDS} tab-separated GeoNames fields,"
                    f" found {len(cells)}"
                )
            gid, name, ascii_name, alternates, lat, lon, fclass, fcode, cc = cells[:9]
            if fclass != "P" or not (name and lat and lon):
                continue
            keys = {variant_key(name)}
            names = []
            for other in (ascii_name, *alternates.split(",")):
                other = other.strip()
                if other and is_latin(other) and (key := variant_key(other)) not in keys:
                    keys.add(key)
                    names.append(other)
            yield (
                gid,
                name,
                f"{float(lat):.5f}",
                f"{float(lon):.5f}",
                cc,
                fcode,
                cells[14] or "0",
                "|".join(names),
            )


def pack(source: Path, target: Path) -> int:
    """Write the packed table from the files in ``source``; return the rows written.

    A place in both a country's file and its ``wof-extra`` file (one GeoNames id) is kept once,
    from the first.
    """
    files = sorted(source.glob("*.txt.gz"))
    if not files:
        raise GazetteerError(f"expected GeoNames files (XX.txt.gz) in {source}, found none")
    seen: set[str] = set()
    count = 0
    tmp = target.with_suffix(".tmp")
    with lzma.open(tmp, "wt", encoding="utf-8", preset=9) as out:
        out.write("\t".join(COLUMNS) + "\n")
        for path in files:
            for row in rows_of(path):
                if row[0] in seen:
                    continue
                seen.add(row[0])
                out.write("\t".join(row) + "\n")
                count += 1
    tmp.replace(target)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder of XX.txt.gz GeoNames files")
    parser.add_argument("--out", type=Path, default=tables_folder() / TABLE)
    args = parser.parse_args(argv)
    count = pack(args.source, args.out)
    size = args.out.stat().st_size / 1e6
    print(f"{count:,} places written to {args.out} ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
