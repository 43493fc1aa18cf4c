"""The command line's parser: every command, its options and help, next to each other."""

from __future__ import annotations

import argparse
from typing import NoReturn

from ..budget import DEFAULT_BUDGET
from .evaluation import cmd_evaluate_events, cmd_evaluate_geoparse
from .gazetteer import (
    cmd_gazetteer_add,
    cmd_gazetteer_build,
    cmd_gazetteer_import,
    cmd_gazetteer_lookup,
    cmd_gazetteer_stats,
)
from .mapping import cmd_build, cmd_export, cmd_serve, cmd_watch
from .reading import cmd_extract, cmd_geoparse

__all__ = ["build_parser"]


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


def _add_folders(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--seeds",
        default="seeds",
        metavar="DIR",
        help="folder of articles (default: seeds); build also takes one file of articles, or"
        " a URL of a folder, a file or a glob (s3://bucket/news/*.jsonl)",
    )
    _add_out(p)


def _add_out(p: argparse.ArgumentParser) -> None:
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
    """The parser of every command, with its options and help."""
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
    cluster = p.add_mutually_exclusive_group()
    cluster.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="extract on N local worker processes, a Dask cluster (default 1: in this process; "
        "needs pip install 'mapper[dask]')",
    )
    cluster.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="extract on the running Dask cluster at ADDRESS (tcp://host:8786)",
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
        "serve",
        help="serve the map over local HTTP (a large map's popups need it)",
        description="Serve OUT (the page, the details a large map keeps beside it, the exports) "
        "at http://HOST:PORT/map.html until Ctrl-C. A map of more than 250,000 events keeps "
        "its events' evidence, actors and sources beside the page, which a page opened as a "
        "file cannot read.",
    )
    _add_out(p)
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)"
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "export",
        help="export the events of the last build (GeoPackage or GeoParquet)",
        description="Export the events of the last build, from the event store in OUT, as a "
        "GeoPackage (layer 'events', one row per event with every field) or as GeoParquet "
        "files partitioned by month (a folder of month=YYYY-MM/ parts with the CSV's columns; "
        "needs pyarrow: pip install 'mapper[parquet]').",
    )
    _add_out(p)
    p.add_argument("--format", choices=("gpkg", "parquet"), default="gpkg", help="export format")
    p.add_argument(
        "--file",
        metavar="PATH",
        help="where to write (default: OUT/events.gpkg, or the folder OUT/events.parquet)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "geoparse",
        help="find and resolve place names",
        description="Find place names in text and resolve them against the gazetteer. "
        'Input records: {"id", "text", "spans"?}; with spans, only '
        "those [start, end] spans are resolved.",
    )
    _add_io(
        p,
        file_help="an article file as the build reads it (.txt, .html, a .jsonl batch, a feed);"
        " '-' or nothing reads standard input",
    )
    p.set_defaults(func=cmd_geoparse)

    p = sub.add_parser(
        "extract",
        help="extract events from articles",
        description="Extract events (type, date, place, actors, toll, evidence). "
        'Input records: {"id", "text", "published"?, "source"?, "url"?}.',
    )
    _add_io(
        p,
        file_help="an article file as the build reads it (.txt with optional NAME.meta.json,"
        " .html, a .jsonl batch, a feed); '-' or nothing: standard input",
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
