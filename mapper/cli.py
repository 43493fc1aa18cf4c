"""Command line: ``mapper build | geoparse | extract | gazetteer``.

The only module that prints. Errors print one line ``Error: …`` and exit non-zero.
"""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import ingest
from .budget import DEFAULT_BUDGET
from .errors import InputFormatError, MapperError
from .gazetteer import Gazetteer
from .gazetteer.folders import default_folder
from .types import Article, Mention

__all__ = ["main"]


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {value!r}")
    return seconds


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"Error: {message} (see '{self.prog} -h')\n")


def _pipeline(args):
    from .build.pipeline import Pipeline

    return Pipeline(_open_gazetteer(args), budget=args.budget or None)


def _open_gazetteer(args) -> Gazetteer:
    folder = default_folder(args.gazetteer)
    if not Gazetteer.is_current(folder):
        print(
            f"Building the gazetteer in {folder / 'cache'} (first run; about half a minute) …",
            file=sys.stderr,
            flush=True,
        )
    return Gazetteer(folder)


def _write(records: Iterator[dict], *, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(list(records), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _records(args) -> Iterator[tuple[str, dict | MapperError]]:
    """(where, record) from --input-jsonl, or one record from FILE / standard input. A line
    of --input-jsonl that is not a JSON object comes as (where, the error)."""
    if args.input_jsonl:
        name = args.input_jsonl
        if name == "-":
            yield from ingest.jsonl_records(sys.stdin.buffer, name="<stdin>")
            return
        try:
            with open(name, "rb") as handle:
                yield from ingest.jsonl_records(handle, name=name)
        except OSError as exc:
            raise InputFormatError(f"cannot read {name}: {exc.strerror or exc}") from None
        return
    yield from _single(args)


def _each(args, records: Iterator[tuple[str, dict | MapperError]], handle) -> Iterator[dict]:
    """``handle(where, record)`` for each record. In a batch (--input-jsonl), a record that
    fails gives ``{"id", "error"}`` in its place and a line on standard error, and the batch
    goes on; ``args.failed`` counts them. A single article's error ends the command."""
    args.failed = 0
    for where, record in records:
        try:
            if isinstance(record, MapperError):
                raise record
            yield handle(where, record)
        except Exception as exc:  # one bad record must not lose the ones after it
            if not args.input_jsonl:
                raise
            args.failed += 1
            message = (
                str(exc)
                if isinstance(exc, MapperError | ValueError)
                else (f"{where}: could not be processed ({type(exc).__name__}: {exc})")
            )
            if not message.startswith(where):
                message = f"{where}: {message}"
            print(f"Error: {message}", file=sys.stderr, flush=True)
            rid = record.get("id") if isinstance(record, dict) else None
            yield {"id": rid if isinstance(rid, str | int) else None, "error": message}


def _finish(args) -> int:
    """The exit status of a batch: non-zero when a record failed."""
    failed = getattr(args, "failed", 0)
    if failed:
        print(
            f'Error: {failed} record(s) failed; each has an "error" record in the output',
            file=sys.stderr,
        )
        return 1
    return 0


def _single(args) -> Iterator[tuple[str, dict]]:
    source = getattr(args, "file", None) or "-"
    if source == "-":
        if sys.stdin.isatty():
            raise InputFormatError(
                "expected an article FILE, --input-jsonl FILE, or text on standard input"
            )
        text = sys.stdin.read()
        yield "<stdin>", {"id": "stdin", "text": text}
        return
    article = ingest.read_article(Path(source))
    record = {
        "id": Path(source).stem,
        "text": article.text,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "dateline": article.dateline,
        "published": article.published.isoformat() if article.published else None,
    }
    yield source, record


def _toponym_record(m: Mention) -> dict:
    p = m.place
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "kind": m.kind,
        "name": p.name if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "feature": p.feature if p else None,
        "precision": p.precision if p else None,
        "geonameid": p.geonameid if p else None,
        "score": m.score,
        "confidence": m.confidence,
    }


# ---------------------------------------------------------------- commands


def cmd_build(args) -> int:
    pipeline = _pipeline(args)
    result = pipeline.build(Path(args.seeds), Path(args.out), assets=args.assets)
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
    return 0


def cmd_watch(args) -> int:
    from .build.watch import watch

    pipeline = _pipeline(args)
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


def cmd_export(args) -> int:
    import json

    from .build.pipeline import Events
    from .build.store import STORE_FILE, EventStore
    from .output.export import write_geopackage

    out = Path(args.out)
    if not (out / STORE_FILE).exists():
        raise InputFormatError(f"no event store in {out}: run 'mapper build --out {out}' first")
    store = EventStore(out)
    try:
        # The last build's merged events, corrections applied: the same events as its map.
        events = Events([json.loads(values) for _, _, values in store.merged()])
    finally:
        store.close()
    target = Path(args.file) if args.file else out / "events.gpkg"
    rows = write_geopackage(events, target)
    print(f"Wrote {rows} events to {target.resolve()}")
    return 0


def cmd_geoparse(args) -> int:
    pipeline = _pipeline(args)

    def one(where: str, record: dict) -> dict:
        text = record.get("text")
        if not isinstance(text, str):
            raise InputFormatError(f"{where}: expected a string field 'text'")
        spans = record.get("spans")
        if spans is not None:
            try:
                pairs = [(int(s), int(e)) for s, e in spans]
            except (TypeError, ValueError):
                raise InputFormatError(
                    f"{where}: expected 'spans' as a list of [start, end]"
                ) from None
            bad = next(((s, e) for s, e in pairs if not 0 <= s < e <= len(text)), None)
            if bad is not None:
                raise InputFormatError(
                    f"{where}: expected spans with 0 <= start < end <= {len(text)} (the text's"
                    f" length), got {list(bad)}"
                )
            mentions = pipeline.resolve_spans(text, pairs)
        else:
            mentions = pipeline.geoparse(text, dateline=ingest.parse_dateline(text)[0])
        return {"id": record.get("id"), "toponyms": [_toponym_record(m) for m in mentions]}

    _write(_each(args, _records(args), one), fmt=args.format, out=sys.stdout)
    return _finish(args)


def cmd_extract(args) -> int:
    pipeline = _pipeline(args)

    def one(where: str, record: dict) -> dict:
        if args.published and not record.get("published"):
            record = {**record, "published": args.published}
        article: Article = ingest.article_from_json(record, where=where)
        extraction = pipeline.extract(article)
        events = []
        for event in extraction.events:
            data = event.to_record()
            data["lat"], data["lon"] = data["latitude"], data["longitude"]
            events.append(data)
        return {
            "id": record.get("id", article.id),
            "events": events,
            "totals": [t.to_record() for t in extraction.totals],
        }

    _write(_each(args, _records(args), one), fmt=args.format, out=sys.stdout)
    return _finish(args)


def cmd_gazetteer_lookup(args) -> int:
    gazetteer = _open_gazetteer(args)
    if args.name is not None and args.input_jsonl:
        raise InputFormatError("give either NAME or --input-jsonl, not both")
    if args.name is not None:
        records: Iterator[tuple[str, dict | MapperError]] = iter(
            [("NAME", {"id": args.name, "name": args.name})]
        )
    elif args.input_jsonl:
        records = _prefetched(_records(args), gazetteer)
    else:
        raise InputFormatError("expected a NAME or --input-jsonl FILE")

    def one(where: str, record: dict) -> dict:
        name = record.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputFormatError(f"{where}: expected a non-empty string field 'name'")
        country = record.get("country") or args.country
        found = gazetteer.search(name, country=country, limit=args.limit)
        return {
            "id": record.get("id"),
            "candidates": [{**c.place.to_record(), "match": c.match} for c in found],
        }

    _write(_each(args, records, one), fmt=args.format, out=sys.stdout)
    return _finish(args)


def _prefetched(records, gazetteer, *, size: int = 1000):
    """Records in chunks, each chunk's names looked up in a few large queries first."""
    chunk: list = []
    for item in records:
        chunk.append(item)
        if len(chunk) >= size:
            gazetteer.prefetch(_names(chunk))
            yield from chunk
            chunk = []
    gazetteer.prefetch(_names(chunk))
    yield from chunk


def _names(chunk: list) -> list[str]:
    return [r["name"] for _, r in chunk if isinstance(r, dict) and isinstance(r.get("name"), str)]


def cmd_gazetteer_build(args) -> int:
    folder = default_folder(args.gazetteer)
    gazetteer = Gazetteer(folder, rebuild=True)
    total = sum(gazetteer.stats()["source"].values())
    print(f"Built {gazetteer.path} ({total:,} places in {len(gazetteer.layers)} layers)")
    return 0


def cmd_evaluate_geoparse(args) -> int:
    from .evaluate import read_corpus, score_geoparse

    pipeline = _pipeline(args)
    for path in args.paths:
        articles = read_corpus(Path(path))
        if args.limit:
            articles = articles[: args.limit]
        score = score_geoparse(
            Path(path).stem,
            articles,
            geoparse=lambda text: pipeline.geoparse(text),
            resolve_spans=pipeline.resolve_spans,
        )
        print(score.report())
        if args.errors:
            for title, counts in (
                ("missed", score.missed),
                ("spurious", score.spurious),
                ("resolved > 161 km", score.far),
            ):
                top = ", ".join(f"{k} ({n})" for k, n in counts.most_common(args.errors))
                print(f"  {title}: {top}")
    return 0


def cmd_evaluate_events(args) -> int:
    from .evaluate import score_events

    pipeline = _pipeline(args)
    folder = Path(args.articles)
    try:
        with open(args.gold, encoding="utf-8") as handle:
            rows = [record for _, record in ingest.iter_jsonl(handle, name=args.gold)]
    except OSError as exc:
        raise InputFormatError(f"cannot read {args.gold}: {exc.strerror or exc}") from None

    @functools.lru_cache(maxsize=1)
    def extraction(article_id: str):
        return pipeline.extract(ingest.read_article(folder / f"{article_id}.txt"))

    score = score_events(
        rows,
        lambda article_id: [e.to_record() for e in extraction(article_id).events],
        totals=lambda article_id: [t.to_record() for t in extraction(article_id).totals],
    )
    print(score.report())
    if args.errors:
        print("\n".join(score.lines))
    return 0


def cmd_gazetteer_import(args) -> int:
    from tqdm import tqdm

    from .gazetteer.geonames import import_files

    folder = default_folder(args.gazetteer)
    with tqdm(
        unit=" rows", unit_scale=True, file=sys.stderr, disable=args.quiet, desc="Importing"
    ) as bar:
        counts = import_files([Path(p) for p in args.files], folder, progress=bar.update)
    print(
        f"Imported {counts['places']:,} places, {counts['names'] + counts['alternates']:,} names"
        f" ({counts['skipped']:,} rows of other feature classes skipped) into {folder}"
    )
    return 0


def cmd_gazetteer_add(args) -> int:
    from .gazetteer.user import add_place

    folder = default_folder(args.gazetteer)
    path = add_place(
        folder,
        name=args.name,
        lat=args.lat,
        lon=args.lon,
        country=args.country,
        alt_names=args.alt or [],
        admin1=args.admin1,
        admin2=args.admin2,
        feature=args.feature,
        precision=args.precision,
        population=args.population,
        source=args.source,
    )
    print(f"Added {args.name!r} to {path}; it wins over every other source from now on.")
    return 0


def cmd_gazetteer_stats(args) -> int:
    stats = _open_gazetteer(args).stats()
    if args.format == "json":
        json.dump(stats, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return 0
    for title, counts in (("source", stats["source"]), ("feature class", stats["feature_class"])):
        print(f"by {title}:")
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {key}\t{n:,}")
    top = sorted(stats["country"].items(), key=lambda kv: (-kv[1], kv[0]))
    print(f"by country ({len(top)} countries; the 15 largest):")
    for key, n in top[:15]:
        print(f"  {key}\t{n:,}")
    return 0


# ---------------------------------------------------------------- parser


def _add_folders(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--seeds", default="seeds", metavar="DIR", help="folder of articles (default: seeds)"
    )
    p.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")


def _add_io(p: argparse.ArgumentParser, *, file_help: str | None) -> None:
    if file_help:
        p.add_argument("file", nargs="?", metavar="FILE", help=file_help)
    p.add_argument(
        "--input-jsonl",
        metavar="FILE",
        help="batch mode: read one JSON object per line ('-' for standard input)",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "json"),
        default="jsonl",
        help="output: one JSON object per line (default) or one JSON array",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mapper",
        description="Turn news articles about armed conflict into an interactive map, offline.",
    )
    parser.add_argument(
        "--gazetteer",
        metavar="DIR",
        help="your gazetteer folder: user.tsv, imports, the compiled index (default:"
        " $MAPPER_GAZETTEER, a checkout's gazetteer/, else the per-user data folder)",
    )
    parser.add_argument(
        "--budget",
        type=_seconds,
        default=DEFAULT_BUDGET,
        metavar="S",
        help=f"seconds one article may take before it is left out and reported (default"
        f" {DEFAULT_BUDGET:g}; 0: no limit)",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser(
        "build",
        help="read seeds/ and write the map and exports",
        description="Read every article in SEEDS and write OUT/map.html, "
        "OUT/events.geojson and OUT/events.csv.",
    )
    _add_folders(p)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--self-contained",
        dest="assets",
        action="store_const",
        const="self-contained",
        help="one file that makes no network request at all: no online map tiles, only the "
        "offline country borders",
    )
    mode.add_argument(
        "--cdn",
        dest="assets",
        action="store_const",
        const="cdn",
        help="link Leaflet from CDNs instead of inlining it (smaller page, needs network)",
    )
    p.set_defaults(func=cmd_build, assets="inline")

    p = sub.add_parser(
        "watch",
        help="rebuild the map whenever articles change",
        description="Build, then rebuild whenever files in SEEDS change (after DEBOUNCE seconds "
        "without further changes). Stop with Ctrl-C.",
    )
    _add_folders(p)
    p.add_argument(
        "--debounce",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="quiet time before a rebuild (default 2)",
    )
    p.set_defaults(func=cmd_watch, assets="inline")

    p = sub.add_parser(
        "export",
        help="export the events of the last build (GeoPackage)",
        description="Export the events of the last build, from the event store in OUT, as a "
        "GeoPackage (layer 'events', one row per event with every field).",
    )
    p.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    p.add_argument("--format", choices=("gpkg",), default="gpkg", help="export format")
    p.add_argument("--file", metavar="PATH", help="where to write (default: OUT/events.gpkg)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "geoparse",
        help="find and resolve place names",
        description="Find place names in text and resolve them against the gazetteer. "
        'Input records: {"id", "text", "spans"?}; with spans, only '
        "those [start, end] spans are resolved.",
    )
    _add_io(p, file_help="an article (.txt); '-' or nothing reads standard input")
    p.set_defaults(func=cmd_geoparse)

    p = sub.add_parser(
        "extract",
        help="extract events from articles",
        description="Extract events (type, date, place, actors, toll, evidence). "
        'Input records: {"id", "text", "published"?, "source"?, "url"?}.',
    )
    _add_io(
        p,
        file_help="an article (.txt, optional NAME.meta.json); '-' or nothing: standard input",
    )
    p.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="publication date for records that do not give one",
    )
    p.set_defaults(func=cmd_extract)

    e = sub.add_parser(
        "evaluate",
        help="score mapper on public benchmarks",
        description="Score mapper on geoparsing corpora or gold event files.",
    )
    esub = e.add_subparsers(dest="evaluate_command", required=True, parser_class=_Parser)
    p = esub.add_parser(
        "geoparse",
        help="recognition P/R/F1 and acc@161 on XML corpora",
        description="Score recognition (exact-span P/R/F1), end-to-end and "
        "gold-span acc@161 and error km on TR-News, GeoVirus or "
        "GeoWebNews-style XML corpora.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="corpus XML files")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N articles")
    p.add_argument(
        "--errors",
        type=int,
        default=0,
        metavar="N",
        help="also list the N most frequent misses, spurious names and far resolutions",
    )
    p.set_defaults(func=cmd_evaluate_geoparse)
    p = esub.add_parser(
        "events",
        help="event P/R/F1, type, toll and date accuracy on gold events",
        description="Score extracted events against a gold file (one JSON line per "
        "article: {article, events: [...]}) for the articles in DIR "
        "(NN.txt with NN.meta.json).",
    )
    p.add_argument("--gold", required=True, metavar="FILE", help="gold events, JSON lines")
    p.add_argument("--articles", required=True, metavar="DIR", help="folder of the articles")
    p.add_argument("--errors", action="store_true", help="also list missed and extra events")
    p.set_defaults(func=cmd_evaluate_events)

    g = sub.add_parser(
        "gazetteer",
        help="query and maintain the gazetteer",
        description="Query and maintain the offline gazetteer.",
    )
    gsub = g.add_subparsers(dest="gazetteer_command", required=True, parser_class=_Parser)
    p = gsub.add_parser(
        "lookup",
        help="candidate places for a name, best first",
        description="Candidate places for a name, best first. Input records: "
        '{"id", "name", "country"?}.',
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="a place name")
    p.add_argument("--country", metavar="CC", help="only places in this country (ISO 3166 alpha-2)")
    p.add_argument(
        "--limit", type=int, default=10, metavar="N", help="at most N candidates (default 10)"
    )
    _add_io(p, file_help=None)
    p.set_defaults(func=cmd_gazetteer_lookup)
    p = gsub.add_parser(
        "build",
        help="rebuild the compiled gazetteer now",
        description="Rebuild the compiled gazetteer from package data and the tables "
        "in the gazetteer folder.",
    )
    p.set_defaults(func=cmd_gazetteer_build)
    p = gsub.add_parser(
        "import",
        help="import GeoNames dump files",
        description="Import official GeoNames dumps: allCountries or country files "
        "(PK.zip), cities500/1000/5000/15000, alternateNamesV2, "
        "admin1CodesASCII.txt, admin2Codes.txt (.zip or .txt). "
        "Streams the files; kept across rebuilds.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="GeoNames dump files")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_gazetteer_import)
    p = gsub.add_parser(
        "add",
        help="add or override a place (user.tsv in your gazetteer folder)",
        description="Add a place to user.tsv in your gazetteer folder. Your places win over every "
        "other source and are kept across rebuilds.",
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--lat", type=float, required=True)
    p.add_argument("--lon", type=float, required=True)
    p.add_argument("--country", required=True, metavar="CC", help="ISO 3166 alpha-2")
    p.add_argument("--alt", action="append", metavar="NAME", help="another name (repeatable)")
    p.add_argument("--admin1", metavar="NAME")
    p.add_argument("--admin2", metavar="NAME")
    p.add_argument("--precision", default="place", choices=("place", "admin2", "admin1", "country"))
    p.add_argument("--feature", default="P.PPL", metavar="CLASS.CODE")
    p.add_argument("--population", type=int, default=0)
    p.add_argument("--source", required=True, help="where the coordinates come from")
    p.set_defaults(func=cmd_gazetteer_add)
    p = gsub.add_parser(
        "stats",
        help="places by source, feature class and country",
        description="Count places by source, feature class and country.",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=cmd_gazetteer_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except (MapperError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # a file of mapper's own that SQLite cannot use
        print(f"Error: a database file of mapper's failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
