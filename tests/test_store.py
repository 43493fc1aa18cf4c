"""Rebuilding after new articles arrive: only what changed is read, outputs are stable."""

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from mapper.pipeline.merge import footprint
from mapper.pipeline.shards import SHARDS_FOLDER, write_kept
from mapper.pipeline.store import EventStore, kept
from mapper.types import Article

from .conftest import ROOT, event

STORIES = {
    "a.txt": "Gunmen killed four policemen in Quetta on Tuesday, officials said.",
    "b.txt": "A roadside bomb killed two soldiers in Bannu on Monday.",
}


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
        (folder / name.replace(".txt", ".meta.json")).write_text(
            '{"published": "2025-11-13"}', encoding="utf-8"
        )
    return folder


def outputs(out):
    return {
        name: (out / name).read_bytes() for name in ("map.html", "events.geojson", "events.csv")
    }


def test_a_rebuild_with_no_change_reads_and_writes_nothing(pipeline, seeds, tmp_path):
    out = tmp_path / "out"
    first = pipeline.build(seeds, out)
    assert first.read == 2
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if not p.name.startswith(".")}
    again = pipeline.build(seeds, out)
    assert again.read == 0
    assert {
        p.name: p.stat().st_mtime_ns for p in out.iterdir() if not p.name.startswith(".")
    } == stamps


def test_same_articles_give_identical_exports_whatever_the_history(pipeline, seeds, tmp_path):
    pipeline.build(seeds, tmp_path / "one")
    (seeds / "b.txt").rename(seeds / "z.txt")  # found in another order
    (seeds / "b.meta.json").rename(seeds / "z.meta.json")
    pipeline.build(seeds, tmp_path / "two")
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_a_new_article_is_the_only_one_read_and_a_removed_one_is_dropped(pipeline, seeds, tmp_path):
    out = tmp_path / "out"
    pipeline.build(seeds, out)
    (seeds / "c.txt").write_text("Protesters marched in Peshawar on Monday.", encoding="utf-8")
    added = pipeline.build(seeds, out)
    assert added.read == 1 and {e.location for e in added.events} >= {"Quetta", "Bannu", "Peshawar"}
    (seeds / "a.txt").unlink()
    removed = pipeline.build(seeds, out)
    assert removed.read == 0 and "Quetta" not in {e.location for e in removed.events}


def test_a_changed_article_is_read_again(pipeline, seeds, tmp_path):
    out = tmp_path / "out"
    pipeline.build(seeds, out)
    (seeds / "a.txt").write_text(
        "Gunmen killed nine policemen in Quetta on Tuesday.", encoding="utf-8"
    )
    result = pipeline.build(seeds, out)
    assert result.read == 1
    assert [e.fatalities for e in result.events if e.location == "Quetta"] == [9]


def test_two_builds_at_once_both_finish_and_leave_a_whole_map(seeds, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "MAPPER_GAZETTEER": str(ROOT / "gazetteer")}
    command = [sys.executable, "-m", "mapper", "build", "--seeds", str(seeds), "--out", str(out)]
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    codes = [r.wait(timeout=300) for r in runs]
    assert codes == [0, 0], [r.stderr.read() for r in runs]
    html = (out / "map.html").read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>") and "mapperDraw" in html


def test_a_killed_build_leaves_the_previous_map_and_the_next_build_completes(seeds, tmp_path):
    import signal
    import time

    out = tmp_path / "out"
    env = {**os.environ, "MAPPER_GAZETTEER": str(ROOT / "gazetteer")}
    command = [sys.executable, "-m", "mapper", "build", "--seeds", str(seeds), "--out", str(out)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    before = outputs(out)
    for i in range(300):  # enough new articles that the build is still running when killed
        (seeds / f"n{i}.txt").write_text(
            f"Gunmen killed {i % 9 + 1} people in Quetta on Monday. #{i}", encoding="utf-8"
        )
    for delay in (0.3, 0.8, 1.5):
        run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        run.send_signal(signal.SIGKILL)
        run.wait()
        now = outputs(out)
        assert now == before or now["map.html"].rstrip().endswith(b"</html>")  # whole, old or new
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("302 articles")  # every article, none lost


def test_unchanged_files_are_read_again_when_the_extractor_changes(
    pipeline, seeds, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    pipeline.build(seeds, out)
    import mapper.pipeline.build as pl

    monkeypatch.setattr(pl, "_version", lambda gazetteer: "another extractor")
    again = pipeline.build(seeds, out)
    assert again.read == 2 and {e.location for e in again.events} >= {"Quetta", "Bannu"}


def _open_store_at_once(folder: str, barrier) -> str:
    from mapper.pipeline.store import EventStore

    barrier.wait()
    try:
        store = EventStore(Path(folder))
        store.ids()
        store.close()
    except Exception as exc:  # reported, not raised: the parent test says which
        return repr(exc)
    return "ok"


def test_builds_opening_a_new_store_at_the_same_moment_do_not_trip_over_each_other(tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for trial in range(10):
        folder = tmp_path / f"out{trial}"
        with context.Manager() as manager:
            barrier = manager.Barrier(4)
            with context.Pool(4) as pool:
                results = pool.starmap(_open_store_at_once, [(str(folder), barrier)] * 4)
        assert results == ["ok"] * 4, results


def _yielded(article_id: str, *places: str) -> object:
    article = Article(id=article_id, text="", path=f"{article_id}.txt")
    events = [
        event(article_id=article_id, location=place, start=10 * i, end=10 * i + 9)
        for i, place in enumerate(places)
    ]
    return kept(article, [(e, footprint(e)) for e in events], ["Nowhere"], "v1")


def _tables(store: EventStore) -> dict[str, list]:
    return {
        table: sorted(store.con.execute(f"SELECT * FROM {table}"), key=repr)
        for table in ("articles", "events", "dirty")
    }


def test_articles_taken_in_from_a_shard_are_stored_as_when_saved_one_by_one(tmp_path):
    made = [_yielded("a1", "Kohat", "Karak"), _yielded("a2", "Hangu"), _yielded("a3", "Chitral")]
    one_by_one = EventStore(tmp_path / "one")
    one_by_one.save_all(made[:2])
    shard = write_kept(tmp_path / "shard.sqlite", [*made, made[0]])  # an article twice: once
    assert shard.ids == ("a1", "a2", "a3")
    from_shard = EventStore(tmp_path / "two")
    from_shard.save_all([], [replace(shard, skip=frozenset({"a3"}))])
    assert _tables(from_shard) == _tables(one_by_one)
    assert len(_tables(from_shard)["events"]) == 3


def test_a_killed_builds_shards_are_removed_by_the_next_build(pipeline, seeds, tmp_path):
    left = tmp_path / "out" / SHARDS_FOLDER
    left.mkdir(parents=True)
    (left / "read-0.sqlite").write_bytes(b"half a shard")
    assert pipeline.build(seeds, tmp_path / "out").read == 2
    assert not left.exists()
