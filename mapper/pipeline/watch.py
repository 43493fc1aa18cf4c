"""Rebuild the map when files in the seeds folder change, a moment after the last change."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["watch"]


def watch(
    seeds: Path,
    rebuild: Callable[[], object],
    *,
    debounce: float = 2.0,
    stop: threading.Event | None = None,
    on_error: Callable[[Exception], None] | None = None,
    ready: threading.Event | None = None,
) -> None:
    """Call ``rebuild`` after files under ``seeds`` change, once changes have settled for
    ``debounce`` seconds (a copy of many articles gives one rebuild). Runs until ``stop`` is set
    (or forever); the output folder is never watched, so a rebuild does not trigger another.
    ``ready`` is set once changes are being watched."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    changed = threading.Event()
    last = [0.0]

    class Handler(FileSystemEventHandler):
        """Notes the time of every change under the seeds folder but its hidden files."""

        def on_any_event(self, event) -> None:
            # Reading the articles (a build does) must not look like a change.
            if event.event_type not in ("created", "modified", "deleted", "moved", "closed"):
                return
            if event.is_directory or Path(str(event.src_path)).name.startswith("."):
                return
            last[0] = time.monotonic()
            changed.set()

    stop = stop or threading.Event()
    observer = Observer()
    observer.schedule(Handler(), str(seeds), recursive=True)
    observer.start()
    if ready is not None:
        ready.set()
    try:
        while not stop.is_set():
            if not changed.wait(timeout=0.2):
                continue
            settling = debounce - (time.monotonic() - last[0])
            if settling > 0:
                stop.wait(min(settling, 0.2))  # wait for the changes to settle, without spinning
                continue
            changed.clear()
            try:
                rebuild()
            except Exception as exc:  # a bad moment (a half-copied file) must not end the watch
                if on_error is None:
                    raise
                on_error(exc)
    finally:
        observer.stop()
        observer.join()
