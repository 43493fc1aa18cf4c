"""Full builds of generated articles in one process against builds on a local Dask cluster.

    python bench/scale.py [--articles 10000 100000] [--workers 2]

For each size: articles/s in one process and on the cluster, their ratio, whether the outputs
are byte-identical, and peak memory (this driver process; the largest worker). Asserts
nothing. Needs the dask extra.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from incremental import write  # noqa: E402

from mapper.gazetteer import Gazetteer  # noqa: E402
from mapper.pipeline import Pipeline  # noqa: E402
from mapper.pipeline.distribute import Cluster  # noqa: E402

OUTPUTS = ("map.html", "events.csv", "events.geojson", "report.txt")


def peak_mb() -> float:
    """The peak resident memory of the process it runs in (the driver, or a worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    pipeline = Pipeline(Gazetteer(ROOT / "gazetteer"))
    with Cluster(workers=args.workers) as cluster, tempfile.TemporaryDirectory() as tmp:
        for n in args.articles:
            rng = random.Random(11)
            seeds = Path(tmp) / f"seeds{n}"
            seeds.mkdir()
            for i in range(n):
                write(seeds, i, rng)
            t0 = time.perf_counter()
            pipeline.build(seeds, Path(tmp) / f"one{n}")
            one = time.perf_counter() - t0
            t0 = time.perf_counter()
            pipeline.build(seeds, Path(tmp) / f"many{n}", cluster=cluster)
            many = time.perf_counter() - t0
            one_out, many_out = Path(tmp) / f"one{n}", Path(tmp) / f"many{n}"
            same = all((one_out / f).read_bytes() == (many_out / f).read_bytes() for f in OUTPUTS)
            workers = cluster.client.run(peak_mb)
            print(
                f"{n:>7,} articles: 1 process {n / one:,.0f} articles/s ({one:.1f} s),"
                f" {cluster.workers} workers {n / many:,.0f} articles/s ({many:.1f} s):"
                f" {one / many:.2f}x; outputs identical: {same}; peak memory: driver"
                f" {peak_mb():.0f} MB, largest worker {max(workers.values()):.0f} MB"
            )


if __name__ == "__main__":
    main()
