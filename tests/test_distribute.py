"""Extraction on a real Dask cluster (distributed.LocalCluster, two worker processes): the same
outputs as one process, whatever the number of workers."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from mapper.pipeline.distribute import BATCH, Cluster

TOWNS = ("Kohat", "Hangu", "Karak", "Bannu", "Quetta", "Peshawar", "Mardan", "Sibi")
WHAT = (
    "Gunmen killed {n} people in {town} on {day}, police said.",
    "A roadside bomb killed {n} soldiers near {town} on {day}, officials said.",
    "Hundreds protested in {town} on {day} against rising prices.",
    "Security forces killed {n} militants in a raid in {town} on {day}.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def write_articles(folder: Path, n: int, *, seed: int = 1) -> None:
    """``n`` short wire stories, each with a date, two or three events, and one binary file."""
    rng = random.Random(seed)
    folder.mkdir()
    for i in range(n):
        lines = [
            rng.choice(WHAT).format(n=rng.randint(2, 30), town=rng.choice(TOWNS), day=d)
            for d in rng.sample(DAYS, rng.randint(2, 3))
        ]
        (folder / f"story{i:03d}.txt").write_text(" ".join(lines), encoding="utf-8")
        meta = {"published": f"2025-{1 + i % 9:02d}-{10 + i % 15}", "source": f"Wire {i % 4}"}
        (folder / f"story{i:03d}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\xff\x00 not text")


OUTPUTS = ("map.html", "events.csv", "events.geojson", "report.txt")


@pytest.fixture(scope="module")
def cluster():
    with Cluster(workers=2) as running:
        yield running


def test_a_build_on_two_workers_writes_exactly_what_one_process_writes(pipeline, cluster, tmp_path):
    seeds = tmp_path / "seeds"
    write_articles(seeds, BATCH * 2 + 5)  # more than one batch a worker
    alone = pipeline.build(seeds, tmp_path / "one")
    shared = pipeline.build(seeds, tmp_path / "two", cluster=cluster)
    assert cluster.workers == 2
    assert shared.read == alone.read == BATCH * 2 + 5
    assert len(alone.events) > BATCH * 2  # the stories gave events
    for name in OUTPUTS:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    assert any("broken.txt" in p.path for p in shared.problems)


def test_a_rebuild_on_the_cluster_reads_only_what_changed(pipeline, cluster, tmp_path):
    seeds = tmp_path / "seeds"
    write_articles(seeds, 12, seed=2)
    pipeline.build(seeds, tmp_path / "out", cluster=cluster)
    (seeds / "story003.txt").write_text(
        "Gunmen killed 4 people in Hangu on Monday, police said.", encoding="utf-8"
    )
    again = pipeline.build(seeds, tmp_path / "out", cluster=cluster)
    assert again.read == 1
    pipeline.build(seeds, tmp_path / "fresh")
    for name in OUTPUTS:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
