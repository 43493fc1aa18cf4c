"""Full builds of generated articles in one process against builds on a local Dask cluster.

    python bench/scale.py [--articles 10000 100000] [--workers 2]

For each size: articles/s in one process and on the cluster, their ratio, whether the outputs
are byte-identical, and peak memory of the driver (the process that runs ``build``) and of the
largest worker. Each build runs in a fresh process of its own, so that one build's peak is not
counted in the other's, and the cluster is started before the clock starts. Asserts nothing.
Needs the dask extra.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

OUTPUTS = ("map.html", "events.csv", "events.geojson", "report.txt")


def peak_mb() -> float:
    """The peak resident memory of the process it runs in (the driver, or a worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(seeds: Path, out: Path, workers: int) -> None:
    """One build, in this process; prints its time and peaks as JSON."""
    from mapper.gazetteer import Gazetteer
    from mapper.pipeline import Pipeline
    from mapper.pipeline.distribute import Cluster

    pipeline = Pipeline(Gazetteer(ROOT / "gazetteer"))
    if workers == 0:
        t0 = time.perf_counter()
        pipeline.build(seeds, out)
        seconds, worker_mb = time.perf_counter() - t0, 0.0
    else:
        with Cluster(workers=workers) as cluster:
            t0 = time.perf_counter()
            pipeline.build(seeds, out, cluster=cluster)
            seconds = time.perf_counter() - t0
            worker_mb = max(cluster.client.run(peak_mb).values())
    print(json.dumps({"seconds": seconds, "driver_mb": peak_mb(), "worker_mb": worker_mb}))


def run(seeds: Path, out: Path, workers: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(seeds), str(out), str(workers)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
        return
    from incremental import write

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.articles:
            rng = random.Random(11)
            seeds = Path(tmp) / f"seeds{n}"
            seeds.mkdir()
            for i in range(n):
                write(seeds, i, rng)
            one_out, many_out = Path(tmp) / f"one{n}", Path(tmp) / f"many{n}"
            one = run(seeds, one_out, 0)
            many = run(seeds, many_out, args.workers)
            same = all((one_out / f).read_bytes() == (many_out / f).read_bytes() for f in OUTPUTS)
            print(
                f"{n:>7,} articles: 1 process {n / one['seconds']:,.0f} articles/s"
                f" ({one['seconds']:.1f} s, peak {one['driver_mb']:.0f} MB);"
                f" {args.workers} workers {n / many['seconds']:,.0f} articles/s"
                f" ({many['seconds']:.1f} s): {one['seconds'] / many['seconds']:.2f}x;"
                f" outputs identical: {same}; peak memory on the cluster: driver"
                f" {many['driver_mb']:.0f} MB, largest worker {many['worker_mb']:.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
