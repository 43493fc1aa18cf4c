"""What every command shares: the pipeline and gazetteer it opens, the records it reads (an
article file, standard input or a JSON-lines batch) and how it writes them, a bad record of a
batch giving ``{\"id\", \"error\"}`` in its place.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .. import ingest
from ..errors import InputFormatError, MapperError
from ..gazetteer import Gazetteer
from ..gazetteer.folders import default_folder

__all__ = ["each", "finish", "open_gazetteer", "open_pipeline", "records", "write"]


def open_pipeline(args):
    """The pipeline of the command's gazetteer and time budget."""
    from ..pipeline import Pipeline

    return Pipeline(open_gazetteer(args), budget=args.budget or None)


def open_gazetteer(args) -> Gazetteer:
    """The command's gazetteer, compiled first if needed (saying so on standard error)."""
    folder = default_folder(args.gazetteer)
    if not Gazetteer.is_current(folder):
        print(
            f"Building the gazetteer in {folder / 'cache'} (first run; about half a minute) …",
            file=sys.stderr,
            flush=True,
        )
    return Gazetteer(folder)


def write(records: Iterator[dict], *, fmt: str, out: TextIO) -> None:
    """Write output records as JSON lines (``fmt="jsonl"``) or as one JSON array (``"json"``)."""
    if fmt == "json":
        json.dump(list(records), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def records(args) -> Iterator[tuple[str, dict | MapperError]]:
    """(where, record) from --input-jsonl, or one record from FILE / standard input. A line
    of --input-jsonl that is not a JSON object comes as (where, the error)."""
    source = getattr(args, "file", None)
    if not args.input_jsonl and source and Path(source).suffix.lower() == ".jsonl":
        args.input_jsonl = source  # a JSON-lines FILE is a batch, read as --input-jsonl reads it
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


def each(args, records: Iterator[tuple[str, dict | MapperError]], handle) -> Iterator[dict]:
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


def finish(args) -> int:
    """The exit status of a batch: non-zero when a record failed."""
    failed = getattr(args, "failed", 0)
    if failed:
        print(
            f'Error: {failed} record(s) failed; each has an "error" record in the output',
            file=sys.stderr,
        )
        return 1
    return 0


# Files that hold many articles: each keeps the id its record or entry gives it.
_BATCH_SUFFIXES = (".xml", ".rss", ".atom")


def _single(args) -> Iterator[tuple[str, dict]]:
    """The records of FILE, read as the build reads it (a text or web page is one article, a
    JSON-lines file or a feed many), or the text on standard input."""
    source = getattr(args, "file", None) or "-"
    if source == "-":
        if sys.stdin.isatty():
            raise InputFormatError(
                "expected an article FILE, --input-jsonl FILE, or text on standard input"
            )
        text = sys.stdin.read()
        yield "<stdin>", {"id": "stdin", "text": text}
        return
    path = Path(source)
    articles, problems = ingest.read_file(path)
    said = [p.reason if p.reason.startswith(p.path) else f"{p.path}: {p.reason}" for p in problems]
    if not articles:
        raise InputFormatError(said[0] if said else f"{ingest.display_path(path)}: no article")
    for problem, line in zip(problems, said, strict=True):
        print(f"{'Error' if problem.skipped else 'Warning'}: {line}", file=sys.stderr)
    many = path.suffix.lower() in _BATCH_SUFFIXES
    for article in articles:
        record = {
            "id": article.id if many else path.stem,
            "text": article.text,
            "source": article.source,
            "url": article.url,
            "title": article.title,
            "dateline": article.dateline,
            "published": article.published.isoformat() if article.published else None,
        }
        yield article.path if many else source, record
