"""Compile the offline gazetteer into one SQLite file: the places of the installed packages
(``sources``) and of the tables (``rows``: the project's own, shipped in
``mapper/gazetteer/tables/``, and the user's ``user.tsv``), ranked for quick lookups.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from ..errors import GazetteerError
from ..text.names import variant_key
from . import rank, schema
from .rows import PlaceRow, read_centres, read_table
from .sources import PACKAGES, package_rows

__all__ = [
    "SCHEMA_VERSION",
    "build",
    "fingerprint",
    "remove_stale_temporaries",
    "stored_fingerprint",
]


SCHEMA_VERSION = "19"


# Curated and user rows outrank packaged rows of the same name.
SOURCE_BONUS = {"user": 100.0, "curated": 2.0, "regions": 2.0}


ALIASES = "aliases.tsv"


CENTRES = "centres.tsv"


def fingerprint(*, packages: bool, tables: Sequence[Path]) -> str:
    """What a compiled layer depends on: schema, the code that shapes and ranks its rows,
    package versions, its tables (by name and content, so a moved folder stays current)."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    here = Path(__file__).parent
    shaping = ("build.py", "rows.py", "sources.py", "schema.py", "rank.py")
    # (the stop words keep common words from naming the wholes of split districts)
    other = (here.parent / "text" / "names.py", here.parent / "rules" / "stopwords.txt")
    for code in (*(here / name for name in shaping), *other):
        digest.update(code.read_bytes())
    if packages:
        for name in PACKAGES:
            digest.update(f"{name}={metadata.version(name)}".encode())
    for path in tables:
        digest.update(path.name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def stored_fingerprint(target: Path) -> str:
    """The fingerprint a compiled layer was stored with ("" when it is missing or unreadable)."""
    if not target.exists():
        return ""
    try:
        con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return row[0] if row else ""


def _same(a: str, b: str) -> bool:
    return variant_key(a) == variant_key(b)


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
            [package_rows(read_centres(by_name.get(CENTRES)))] if packages else []
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
