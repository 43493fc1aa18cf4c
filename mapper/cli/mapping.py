"""``mapper build``, ``watch`` and ``export``: articles to the map and its exports."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path

from ..errors import InputFormatError
from ..ingest import is_url
from .batch import open_pipeline

__all__ = ["cmd_build", "cmd_export", "cmd_serve", "cmd_watch"]


def cmd_build(args) -> int:
    """``mapper build``: the map and exports of a folder of articles, and one summary line."""
    pipeline = open_pipeline(args)
    if args.workers > 1 or args.scheduler:
        from ..pipeline.distribute import Cluster

        with Cluster(workers=args.workers, scheduler=args.scheduler) as cluster:
            result = pipeline.build(
                _seeds(args.seeds), Path(args.out), assets=args.assets, cluster=cluster
            )
    else:
        if args.workers < 1:
            raise InputFormatError(f"--workers expects 1 or more, got {args.workers}")
        result = pipeline.build(_seeds(args.seeds), Path(args.out), assets=args.assets)
    skipped = [p for p in result.problems if p.skipped]
    for problem in result.problems:
        word = "Skipped" if problem.skipped else "Warning"
        print(f"{word} {problem.path}: {problem.reason}", file=sys.stderr)
    warnings = len(result.problems) - len(skipped)
    print(
        f"{result.articles} articles ({result.read} read, the others unchanged), "
        f"{len(result.events)} events, {len(skipped)} unreadable"
        + (f", {warnings} with warnings" if warnings else "")
        + (f", {result.totals} totals set aside" if result.totals else "")
        + f", {len(result.unresolved)} unresolved names ({result.seconds:.1f} s)"
        f" → {result.map_path.resolve()}"
        f" (report: {result.map_path.with_name('report.txt').resolve()})"
    )
    from ..output.page import details_beside

    if details_beside(Path(args.out)):
        print(
            f"The map's {len(result.events):,} events keep their details beside it; its popups"
            f" read them when it is served: mapper serve --out {args.out}"
        )
    return 0


def _seeds(given: str) -> Path | str:
    """``--seeds`` as a path, or as the URL it is."""
    return given if is_url(given) else Path(given)


def cmd_watch(args) -> int:
    """``mapper watch``: build, then build again whenever the articles change."""
    from ..pipeline.watch import watch

    if is_url(args.seeds):
        raise InputFormatError(
            f"mapper watch follows a local folder, got the URL {args.seeds}; run mapper build"
            " again to read what changed there"
        )
    pipeline = open_pipeline(args)
    seeds, out = Path(args.seeds), Path(args.out)
    if not seeds.is_dir():
        raise InputFormatError(f"expected a folder of articles at {seeds}, found none")

    def rebuild() -> None:
        result = pipeline.build(seeds, out, assets=args.assets)
        skipped = sum(p.skipped for p in result.problems)
        print(
            f"{time.strftime('%H:%M:%S')} {result.articles} articles ({result.read} read),"
            f" {len(result.events)} events, {skipped} unreadable → {result.map_path.resolve()}",
            flush=True,
        )

    rebuild()
    print(f"Watching {seeds.resolve()} (Ctrl-C to stop) …", flush=True)
    watch(
        seeds,
        rebuild,
        debounce=args.debounce,
        on_error=lambda exc: print(f"Error: {exc}", file=sys.stderr, flush=True),
    )
    return 0


def cmd_serve(args) -> int:
    """``mapper serve``: the output folder over local HTTP until Ctrl-C."""
    from ..output.serve import MapServer

    if not 0 <= args.port <= 65535:
        raise InputFormatError(f"--port expects 0 to 65535, got {args.port}")
    with MapServer(Path(args.out), host=args.host, port=args.port) as server:
        print(f"Serving {Path(args.out).resolve()} at {server.url} (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def cmd_export(args) -> int:
    """``mapper export``: the last build's events as a GeoPackage, or as GeoParquet files
    partitioned by month."""
    from ..output.export import write_geopackage, write_parquet
    from ..pipeline.build import Events
    from ..pipeline.store import STORE_FILE, EventStore

    out = Path(args.out)
    if not (out / STORE_FILE).exists():
        raise InputFormatError(f"no event store in {out}: run 'mapper build --out {out}' first")
    store = EventStore(out)
    try:
        # The last build's merged events, corrections applied: the same events as its map.
        events = Events([json.loads(values) for values in store.merged_texts("record")])
    finally:
        store.close()
    if args.format == "parquet":
        target = Path(args.file) if args.file else out / "events.parquet"
        months = write_parquet(events, target)
        print(
            f"Wrote {sum(months.values())} events in {len(months)} monthly parts to"
            f" {target.resolve()}"
        )
        return 0
    target = Path(args.file) if args.file else out / "events.gpkg"
    rows = write_geopackage(events, target)
    print(f"Wrote {rows} events to {target.resolve()}")
    return 0
