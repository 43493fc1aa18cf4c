"""Extraction on a real Dask cluster (distributed.LocalCluster, two worker processes): the same
outputs as one process, whatever the number of workers."""

from __future__ import annotations

import contextlib
import json
import random
from pathlib import Path

import pytest

from mapper.pipeline.distribute import BATCH, Cluster
from mapper.pipeline.shards import SHARDS_FOLDER

TOWNS = ("Kohat", "Hangu", "Karak", "Bannu", "Quetta", "Peshawar", "Charsadda", "Nowshera")
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
    # what the workers wrote for the driver to take in is gone with the build
    assert not (tmp_path / "two" / SHARDS_FOLDER).exists()


def test_articles_at_a_url_are_read_by_the_workers_as_by_one_process(pipeline, cluster, tmp_path):
    seeds = tmp_path / "seeds"
    write_articles(seeds, BATCH + 3, seed=5)
    url = seeds.as_uri()  # file:///…: fsspec's local file system, read in each worker
    alone = pipeline.build(url, tmp_path / "one")
    shared = pipeline.build(url, tmp_path / "two", cluster=cluster)
    assert shared.read == alone.read == BATCH + 3
    for name in OUTPUTS:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    assert any(p.path == f"{url}/broken.txt" for p in shared.problems)


@pytest.mark.parametrize("reached", ["made here", "by its address"])
def test_a_rebuild_on_the_cluster_reads_only_what_changed(pipeline, cluster, tmp_path, reached):
    # A cluster reached by its address may run on other machines, where the event store cannot
    # be opened: the driver reads each block's reports and sends them. A local cluster's
    # workers read them from the store themselves.
    seeds = tmp_path / "seeds"
    write_articles(seeds, 12, seed=2)
    with contextlib.ExitStack() as stack:
        used = cluster
        if reached == "by its address":
            used = stack.enter_context(Cluster(scheduler=cluster.client.scheduler.address))
        assert used.local == (reached == "made here")
        pipeline.build(seeds, tmp_path / "out", cluster=used)
        (seeds / "story003.txt").write_text(
            "Gunmen killed 4 people in Hangu on Monday, police said.", encoding="utf-8"
        )
        again = pipeline.build(seeds, tmp_path / "out", cluster=used)
    assert again.read == 1
    pipeline.build(seeds, tmp_path / "fresh")
    for name in OUTPUTS:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def test_shards_of_json_lines_and_copies_of_one_text_give_what_one_process_gives(
    pipeline, cluster, tmp_path
):
    seeds = tmp_path / "seeds"
    write_articles(seeds, 6, seed=3)
    rng = random.Random(4)
    for shard in range(3):  # three shards of many articles: each worker reads a shard again
        with (seeds / f"wire{shard}.jsonl").open("w", encoding="utf-8") as handle:
            for i in range(BATCH + 7):
                town = rng.choice(TOWNS)
                text = f"Gunmen killed {rng.randint(2, 30)} people in {town} on Monday. #{i}"
                record = {"id": f"w{shard}-{i}", "text": text, "published": "2025-03-12"}
                handle.write(json.dumps(record) + "\n")
    # One story from two wires: read once, the second wire's source kept on its events.
    copied = (seeds / "story001.txt").read_text(encoding="utf-8")
    (seeds / "zz-copy.txt").write_text(copied, encoding="utf-8")
    (seeds / "zz-copy.meta.json").write_text('{"source": "Other Wire"}', encoding="utf-8")
    alone = pipeline.build(seeds, tmp_path / "one")
    shared = pipeline.build(seeds, tmp_path / "two", cluster=cluster)
    assert shared.read == alone.read == 6 + 3 * (BATCH + 7)
    assert "Other Wire" in (tmp_path / "two" / "events.csv").read_text(encoding="utf-8")
    for name in OUTPUTS:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


def test_a_build_killed_on_the_cluster_leaves_the_previous_outputs_and_the_next_completes(
    tmp_path,
):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from mapper.pipeline.build import SAVE_BATCH
    from mapper.pipeline.store import STORE_FILE

    from .conftest import ROOT

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    write_articles(seeds, 4, seed=5)
    env = {**os.environ, "MAPPER_GAZETTEER": str(ROOT / "gazetteer")}
    command = [sys.executable, "-m", "mapper", "build", "--seeds", str(seeds), "--out", str(out)]
    subprocess.run([*command, "--workers", "2"], env=env, check=True, capture_output=True)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    rng = random.Random(6)
    # More than a batch of saves: the build is still extracting when it is killed.
    for i in range(SAVE_BATCH + 400):
        town = rng.choice(TOWNS)
        (seeds / f"new{i:04d}.txt").write_text(
            f"Gunmen killed {i % 9 + 1} people in {town} on Monday. #{i}", encoding="utf-8"
        )

    def saved() -> int:
        with sqlite3.connect(out / STORE_FILE, timeout=30) as con:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    start = saved()
    # Its own session, so that the kill takes the driver and its worker processes at once.
    run = subprocess.Popen(
        [*command, "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    while saved() == start and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.poll() is None, "the build ended before any article was saved"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert start < saved() < start + SAVE_BATCH + 400  # killed mid-way: some kept, not all
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    done = subprocess.run([*command, "--workers", "2"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{SAVE_BATCH + 404} articles")  # every article, none lost
