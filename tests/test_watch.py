"""mapper watch: new articles are mapped shortly after they arrive, in one rebuild."""

import threading
import time

from mapper.pipeline.watch import watch


def test_changes_trigger_one_debounced_rebuild(pipeline, tmp_path):
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    seeds.mkdir()
    builds = []

    def rebuild():
        builds.append(pipeline.build(seeds, out))

    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(
        target=watch,
        args=(seeds, rebuild),
        kwargs={"debounce": 0.5, "stop": stop, "ready": ready},
    )
    watcher.start()
    try:
        assert ready.wait(timeout=20), "the watcher did not start"
        for i, town in enumerate(("Quetta", "Bannu", "Kohat")):
            (seeds / f"{i}.txt").write_text(
                f"Gunmen killed two policemen in {town} on Monday.", encoding="utf-8"
            )
        deadline = time.monotonic() + 20
        while not builds and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # no further rebuild without further changes
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert len(builds) == 1
    assert {e.location for e in builds[0].events} == {"Quetta", "Bannu", "Kohat"}
