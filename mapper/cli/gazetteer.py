"""``mapper gazetteer lookup | build | import | add | stats``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputFormatError, MapperError
from ..gazetteer import Gazetteer
from ..gazetteer.folders import default_folder
from .batch import each, finish, open_gazetteer, records, write

__all__ = [
    "cmd_gazetteer_add",
    "cmd_gazetteer_build",
    "cmd_gazetteer_import",
    "cmd_gazetteer_lookup",
    "cmd_gazetteer_stats",
]


def cmd_gazetteer_lookup(args) -> int:
    """``mapper gazetteer lookup``: candidate places of a name, or of each record of a batch."""
    gazetteer = open_gazetteer(args)
    if args.name is not None and args.input_jsonl:
        raise InputFormatError("give either NAME or --input-jsonl, not both")
    if args.name is not None:
        found: Iterator[tuple[str, dict | MapperError]] = iter(
            [("NAME", {"id": args.name, "name": args.name})]
        )
    elif args.input_jsonl:
        found = _prefetched(records(args), gazetteer)
    else:
        raise InputFormatError("expected a NAME or --input-jsonl FILE")

    def one(where: str, record: dict) -> dict:
        name = record.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputFormatError(f"{where}: expected a non-empty string field 'name'")
        country = record.get("country") or args.country
        found = gazetteer.search(name, country=country, limit=args.limit)
        return {
            "id": record.get("id"),
            "candidates": [{**c.place.to_record(), "match": c.match} for c in found],
        }

    write(each(args, found, one), fmt=args.format, out=sys.stdout)
    return finish(args)


def _prefetched(records, gazetteer, *, size: int = 1000):
    """Records in chunks, each chunk's names looked up in a few large queries first."""
    chunk: list = []
    for item in records:
        chunk.append(item)
        if len(chunk) >= size:
            gazetteer.prefetch(_names(chunk))
            yield from chunk
            chunk = []
    gazetteer.prefetch(_names(chunk))
    yield from chunk


def _names(chunk: list) -> list[str]:
    return [r["name"] for _, r in chunk if isinstance(r, dict) and isinstance(r.get("name"), str)]


def cmd_gazetteer_build(args) -> int:
    """``mapper gazetteer build``: compile the gazetteer now."""
    folder = default_folder(args.gazetteer)
    gazetteer = Gazetteer(folder, rebuild=True)
    total = sum(gazetteer.stats()["source"].values())
    print(f"Built {gazetteer.path} ({total:,} places in {len(gazetteer.layers)} layers)")
    return 0


def cmd_gazetteer_import(args) -> int:
    """``mapper gazetteer import FILE…``: import GeoNames dump files."""
    from tqdm import tqdm

    from ..gazetteer.geonames import import_files

    folder = default_folder(args.gazetteer)
    with tqdm(
        unit=" rows", unit_scale=True, file=sys.stderr, disable=args.quiet, desc="Importing"
    ) as bar:
        counts = import_files([Path(p) for p in args.files], folder, progress=bar.update)
    print(
        f"Imported {counts['places']:,} places, {counts['names'] + counts['alternates']:,} names"
        f" ({counts['skipped']:,} rows of other feature classes skipped) into {folder}"
    )
    return 0


def cmd_gazetteer_add(args) -> int:
    """``mapper gazetteer add NAME …``: add a place of the user's own."""
    from ..gazetteer.user import add_place

    folder = default_folder(args.gazetteer)
    path = add_place(
        folder,
        name=args.name,
        lat=args.lat,
        lon=args.lon,
        country=args.country,
        alt_names=args.alt or [],
        admin1=args.admin1,
        admin2=args.admin2,
        feature=args.feature,
        precision=args.precision,
        population=args.population,
        source=args.source,
    )
    print(f"Added {args.name!r} to {path}; it wins over every other source from now on.")
    return 0


def cmd_gazetteer_stats(args) -> int:
    """``mapper gazetteer stats``: places by source, feature class and country."""
    stats = open_gazetteer(args).stats()
    if args.format == "json":
        json.dump(stats, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return 0
    for title, counts in (("source", stats["source"]), ("feature class", stats["feature_class"])):
        print(f"by {title}:")
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {key}\t{n:,}")
    top = sorted(stats["country"].items(), key=lambda kv: (-kv[1], kv[0]))
    print(f"by country ({len(top)} countries; the 15 largest):")
    for key, n in top[:15]:
        print(f"  {key}\t{n:,}")
    villages = sorted(stats["villages"].items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(n for _, n in villages)
    if villages:
        print(
            f"village layer ({total:,} places in {len(villages)} countries; asked only for names"
            " the index lacks):"
        )
        for key, n in villages:
            print(f"  {key}\t{n:,}")
    else:
        print("village layer: none")
    return 0
