"""Gazetteer benchmark: cold start, lookups per second, GeoNames import speed and memory.

    python bench/gazetteer.py [--rows 1000000] [--gazetteer gazetteer] [--merged]

``--merged`` also measures lookups with a GeoNames import beside the package data: the main
index's own towns written out as a dump and imported, so that every name is in both layers.

Prints figures; asserts nothing (targets live in the issue tracker, not in tests).
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.gazetteer import Gazetteer  # noqa: E402
from mapper.gazetteer.geonames import import_files  # noqa: E402
from mapper.gazetteer.store import IMPORTED_FILE  # noqa: E402

COLD = """
import time
t0 = time.perf_counter()
from mapper.gazetteer import Gazetteer
g = Gazetteer({folder!r})
g.lookup("Kabul")
print(time.perf_counter() - t0)
"""


def cold_start(folder: Path, runs: int = 5) -> None:
    inner, outer = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD.format(folder=str(folder))],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        outer.append(time.perf_counter() - t0)
        inner.append(float(out))
    mid = runs // 2
    print(f"cold start (import, open, first lookup; in process): median {sorted(inner)[mid]:.3f} s")
    print(f"cold start (whole process, interpreter included):    median {sorted(outer)[mid]:.3f} s")


def lookups(folder: Path, n: int = 50_000) -> None:
    con = sqlite3.connect(folder / "cache" / "gazetteer.sqlite")
    names = [
        row[0] for row in con.execute("SELECT name FROM places ORDER BY random() LIMIT ?", (n,))
    ]
    con.close()
    with (ROOT / "tests" / "data" / "pk_af_names.tsv").open(encoding="utf-8") as handle:
        news = [
            r["name"]
            for r in csv.DictReader((x for x in handle if not x.startswith("#")), delimiter="\t")
        ]
    stream = [random.choice(news) for _ in range(n)]  # a news stream repeats its names
    for label, batch in (
        ("distinct gazetteer names", names),
        ("news-like stream (repeats)", stream),
    ):
        for mode in ("one by one", "in batches of 1,000"):
            rates = timed_runs(folder, batch, batched=mode != "one by one")
            print(
                f"lookups, {label}, {mode}: best {rates[-1]:,.0f}/s, median {rates[1]:,.0f}/s"
                f" ({len(batch):,} names, 3 runs)"
            )


def timed_runs(
    folder: Path, names: list[str], *, batched: bool, packages: bool = True
) -> list[float]:
    """Lookups/s of three runs, each on a fresh cache, slowest first: noise only ever slows a
    run down, so the best and the median are reported."""
    rates = []
    for _ in range(3):
        # Without the package data, without the project's tables too: the folder's layers alone.
        g = Gazetteer(folder, packages=packages, tables=None if packages else folder)
        t0 = time.perf_counter()
        if batched:
            for i in range(0, len(names), 1000):
                g.search_many(names[i : i + 1000], limit=5)
        else:
            for name in names:
                g.search(name, limit=5)
        rates.append(len(names) / (time.perf_counter() - t0))
    return sorted(rates)


def merged_lookups(folder: Path, n: int = 20_000) -> None:
    """Batch lookups when an imported dump knows the same names as the package data."""
    main = sqlite3.connect(folder / "cache" / "gazetteer.sqlite")
    alternates: dict[int, list[str]] = {}
    for pid, name in main.execute("SELECT place_id, folded FROM names WHERE kind = 'alt'"):
        alternates.setdefault(pid, []).append(name.title())
    towns = main.execute(
        "SELECT id, name, lat, lon, country, feature, population, geonameid FROM places"
        " WHERE feature LIKE 'P.%' AND length(country) = 2"
    ).fetchall()
    main.close()
    names = [town[1] for town in random.sample(towns, n)]  # names both layers know
    with tempfile.TemporaryDirectory() as tmp:
        alone, both = Path(tmp) / "alone", Path(tmp) / "both"
        alone.mkdir()
        both.mkdir()
        dump = Path(tmp) / "allCountries.txt"
        with dump.open("w", encoding="utf-8") as out:
            for pid, name, lat, lon, cc, feature, population, gid in towns:
                fclass, fcode = feature.split(".", 1)
                cells = [
                    str(gid or 90_000_000 + pid),
                    name,
                    name,
                    ",".join(alternates.get(pid, [])),
                ]
                cells += [str(lat), str(lon), fclass, fcode, cc, "", "", "", "", ""]
                cells += [str(population), "", "", "", "2024-01-01"]
                out.write("\t".join(cells) + "\n")
        import_files([dump], alone)
        for table in folder.glob("*.tsv"):
            shutil.copy(table, both)
        shutil.copytree(folder / "cache", both / "cache")  # the same main index, not rebuilt
        shutil.copy(alone / IMPORTED_FILE, both)
        for label, where, packages in (
            ("the import alone", alone, False),
            ("the import beside the package data", both, True),
        ):
            rates = timed_runs(where, names, batched=True, packages=packages)
            print(
                f"lookups, distinct names, in batches of 1,000, {label} ({len(towns):,} towns):"
                f" best {rates[-1]:,.0f}/s, median {rates[1]:,.0f}/s"
            )


def generate(path: Path, rows: int) -> None:
    """A GeoNames-format dump with realistic name reuse and alternate names."""
    rng = random.Random(7)
    syllables = [
        "ka",
        "bul",
        "sha",
        "mir",
        "an",
        "khel",
        "dar",
        "ra",
        "pur",
        "abad",
        "zai",
        "kot",
        "gul",
        "wan",
    ]
    vocab = [
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title()
        for _ in range(200_000)
    ]
    classes = ["P"] * 6 + ["A", "S", "T", "H", "L"]
    with path.open("w", encoding="utf-8") as out:
        for gid in range(1, rows + 1):
            name = rng.choice(vocab)
            alts = ",".join(rng.choice(vocab) for _ in range(rng.randint(0, 4)))
            fclass = rng.choice(classes)
            out.write(
                "\t".join(
                    [
                        str(10_000_000 + gid),
                        name,
                        name,
                        alts,
                        f"{rng.uniform(-60, 70):.5f}",
                        f"{rng.uniform(-180, 180):.5f}",
                        fclass,
                        "PPL" if fclass == "P" else "ADM2",
                        "PK",
                        "",
                        "03",
                        "",
                        "",
                        "",
                        str(rng.randint(0, 50_000)),
                        "",
                        "500",
                        "Asia/Karachi",
                        "2024-01-01",
                    ]
                )
                + "\n"
            )


# The import runs in its own process and reports the peak resident memory of its largest
# process (itself or a worker).
IMPORT = """
import resource, sys, time
from pathlib import Path
from mapper.gazetteer.geonames import import_files
t0 = time.perf_counter()
counts = import_files([Path(sys.argv[1])], Path(sys.argv[2]))
peak = max(resource.getrusage(who).ru_maxrss
           for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(time.perf_counter() - t0, counts["places"], counts["names"], peak)
"""


def import_speed(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "allCountries.txt"
        t0 = time.perf_counter()
        generate(dump, rows)
        mb = dump.stat().st_size / 1e6
        print(f"generated {rows:,} GeoNames rows ({mb:.0f} MB) in {time.perf_counter() - t0:.1f} s")
        folder = Path(tmp) / "gz"
        folder.mkdir()
        out = subprocess.run(
            [sys.executable, "-c", IMPORT, str(dump), str(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        seconds, places, names, peak = float(out[0]), int(out[1]), int(out[2]), int(out[3])
        size = (folder / "geonames.sqlite").stat().st_size / 1e6
        print(
            f"import: {rows / seconds:,.0f} rows/s ({rows:,} rows, {places:,} places kept,"
            f" {names:,} names, {seconds:.1f} s); peak memory {peak / 1024:.0f} MB;"
            f" database {size:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the generated dump")
    parser.add_argument("--gazetteer", default=str(ROOT / "gazetteer"), help="gazetteer folder")
    parser.add_argument(
        "--merged", action="store_true", help="also time lookups with a GeoNames import beside"
    )
    args = parser.parse_args()
    folder = Path(args.gazetteer)
    # The import runs first: a process started later inherits, in its peak memory, the size
    # this one has grown to by then (Linux keeps the high-water mark across fork and exec).
    import_speed(args.rows)
    Gazetteer(folder)  # build once, outside the timings
    cold_start(folder)
    lookups(folder)
    if args.merged:
        merged_lookups(folder)


if __name__ == "__main__":
    main()
