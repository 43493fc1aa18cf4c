"""Files → Article records, by format: plain text (``.txt``), web pages (``.html``, main text
and metadata by trafilatura), JSON lines (``.jsonl``, an article a line), Parquet tables
(``.parquet``, an article a row) and RSS or Atom feeds (an article an entry). A file, line,
row or entry that cannot be used is a Problem; the others are still read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

from ..errors import ArticleError, InputFormatError
from ..types import Article, Problem
from . import remote
from .listing import display_path, split_suffix
from .meta import META_FIELDS, front_matter, make_article, sidecar

__all__ = [
    "MAX_BYTES",
    "article_from_json",
    "iter_jsonl",
    "jsonl_records",
    "read_article",
    "read_file",
    "read_html",
]


MAX_BYTES = 5_000_000  # a news article is far smaller; bigger files are reported, not read


def _decode(raw: bytes, path: str) -> str:
    if not raw.strip():
        raise ArticleError(path, "empty file")
    if b"\x00" in raw[:4096]:
        raise ArticleError(path, "binary file (NUL bytes), expected text")
    try:
        text, warning = raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        # Older sites and e-mail exports write Windows-1252; read it so, and say so.
        text = raw.decode("cp1252", errors="replace")
        warning = (
            f"not valid UTF-8 ({exc.reason} at byte {exc.start}): read as Windows-1252,"
            " check its accented letters"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), warning


def _open(path: Path | str) -> IO[bytes]:
    """A local file or one at a URL (``remote``), opened for reading bytes."""
    if remote.is_url(path):
        return remote.open_url(str(path))
    try:
        return open(path, "rb")  # the callers close it
    except OSError as exc:
        raise ArticleError(display_path(path), f"cannot read ({exc.strerror or exc})") from None


def _raw(path: Path | str) -> bytes:
    where = display_path(path)
    try:
        with _open(path) as handle:
            # A file at a URL knows its size once open (the store answered that request).
            url = remote.is_url(path)
            size = getattr(handle, "size", None) if url else os.stat(path).st_size
            if size is not None and size > MAX_BYTES:
                raise ArticleError(where, f"too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise ArticleError(where, f"too large (the limit is {MAX_BYTES:,} bytes)")
        return raw
    except ArticleError:
        raise
    except Exception as exc:  # OSError, or a storage back end's own error
        raise ArticleError(where, f"cannot read ({_why(exc)})") from None


def _why(exc: Exception) -> str:
    """What a failed read says: the system's words for an OSError, else the error itself."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


def read_article(path: Path | str) -> Article:
    """Read one ``.txt`` article with its front matter or sidecar ``NAME.meta.json``."""
    where = display_path(path)
    text, warning = _decode(_raw(path), where)
    front, body = front_matter(text, where=where)
    meta = {**sidecar(path), **front}
    article = make_article(body, meta, path=where)
    return replace(article, warnings=(warning,)) if warning else article


def read_html(path: Path | str) -> Article:
    """A web page: its main text and metadata (title, date, canonical URL, site) by trafilatura."""
    import trafilatura

    where = display_path(path)
    page, warning = _decode(_raw(path), where)
    found = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    data = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    if not (data.get("text") or "").strip():
        raise ArticleError(where, "no article text found in the page")
    meta = {
        "title": data.get("title"),
        "url": data.get("url"),
        "source": data.get("sitename") or data.get("hostname"),
        "published": data.get("date"),
    }
    meta = {**{k: v for k, v in meta.items() if v}, **sidecar(path)}
    article = make_article(data["text"], meta, path=where)
    return replace(article, warnings=(warning,)) if warning else article


def article_from_json(record: dict, *, where: str) -> Article:
    """An Article from one JSON-lines record ``{"id", "text", "published"?, "source"?, "url"?}``."""
    text = record.get("text")
    if not isinstance(text, str):
        raise InputFormatError(
            f"{where}: expected a string field 'text', got {type(text).__name__}"
        )
    meta = {k: record.get(k) for k in META_FIELDS}
    rid = record.get("id")
    return make_article(text, meta, path=where, article_id=str(rid) if rid is not None else None)


def iter_jsonl(lines: Iterable[str], *, name: str) -> Iterator[tuple[str, dict]]:
    """(where, record) for each non-blank line; a line that is not a JSON object raises."""
    for where, record in jsonl_records(lines, name=name):
        if isinstance(record, InputFormatError):
            raise record
        yield where, record


def jsonl_records(
    lines: Iterable[str | bytes], *, name: str
) -> Iterator[tuple[str, dict | InputFormatError]]:
    """(where, record) for each non-blank line, or (where, the error) for a line that is not
    a JSON object (or, given bytes, not UTF-8), so that a batch goes on past a bad line."""
    for number, line in enumerate(lines, start=1):
        where = f"{display_path(name)}, line {number}"
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield (
                    where,
                    InputFormatError(
                        f"{where}: expected UTF-8 text, found byte 0x{line[exc.start]:02x}"
                        f" at {exc.start} ({exc.reason})"
                    ),
                )
                continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, InputFormatError(f"{where}: expected a JSON object ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield (
                where,
                InputFormatError(f"{where}: expected a JSON object, got {type(record).__name__}"),
            )
            continue
        yield where, record


def _lines(handle) -> Iterator[tuple[int, bytes | Exception | None]]:
    """(number, line) of a file of lines, read a line at a time; a line longer than an
    article may be is (number, None), skipped without being held; a read that fails (a
    connection lost mid-way) is (number, the error), and the last."""
    number = 0
    while True:
        number += 1
        try:
            line = handle.readline(MAX_BYTES + 1)
            long = len(line) > MAX_BYTES and not line.endswith(b"\n")
            while line and not line.endswith(b"\n") and long:  # the rest of the long line
                line = handle.readline(MAX_BYTES)
        except Exception as exc:
            yield number, exc
            return
        if long:
            yield number, None
        elif not line:
            return
        else:
            yield number, line


def _entries_jsonl(path: Path | str) -> tuple[list[Article], list[Problem]]:
    """An article a line. Streamed, so that a shard of any size is read a line at a time;
    each line is bounded as a file is."""
    where_file = display_path(path)
    articles: list[Article] = []
    problems: list[Problem] = []
    with _open(path) as handle:
        try:
            head = handle.read(4096)
            handle.seek(0)
        except Exception as exc:  # OSError, or a storage back end's own error
            raise ArticleError(where_file, f"cannot read ({_why(exc)})") from None
        if not head.strip():
            raise ArticleError(where_file, "empty file")
        if b"\x00" in head:
            raise ArticleError(where_file, "binary file (NUL bytes), expected text")
        fallback = None
        for number, raw in _lines(handle):
            where = f"{where_file}, line {number}"
            if raw is None:
                problems.append(Problem(where, f"too large (the limit is {MAX_BYTES:,} bytes)"))
                continue
            if isinstance(raw, Exception):
                why = f"lines from {number:,} on cannot be read ({_why(raw)})"
                problems.append(Problem(where_file, why))
                break
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                # Older exports write Windows-1252: read it so, and say so once.
                line = raw.decode("cp1252", errors="replace")
                fallback = fallback or (
                    f"not valid UTF-8 (line {number}: {exc.reason} at byte {exc.start}):"
                    " read as Windows-1252, check its accented letters"
                )
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise InputFormatError(
                        f"{where}: expected a JSON object, got {type(record).__name__}"
                    )
                articles.append(
                    replace(article_from_json(record, where=where), path=f"{where_file}#{number}")
                )
            except json.JSONDecodeError as exc:
                problems.append(Problem(where, f"expected a JSON object ({exc.msg})"))
            except (ArticleError, InputFormatError) as exc:
                problems.append(
                    Problem(where, exc.reason if isinstance(exc, ArticleError) else str(exc))
                )
    if fallback:
        problems.insert(0, Problem(where_file, fallback, skipped=False))
    return articles, problems


# Rows of a Parquet table read at a time: a table of any size is read in slices.
_PARQUET_ROWS = 1_024


def _entries_parquet(path: Path | str) -> tuple[list[Article], list[Problem]]:
    """An article a row of a Parquet table with a string column ``text`` (and, as in JSON
    lines, ``id``, ``title``, ``published``, ``source``, ``url``). Needs pyarrow (the
    ``parquet`` extra)."""
    where_file = display_path(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputFormatError(
            f'{where_file}: reading Parquet tables needs pyarrow: pip install "mapper[parquet]"'
        ) from None
    with contextlib.ExitStack() as opened:
        # A URL's file is read through its handle, the row groups a batch needs at a time.
        source = opened.enter_context(_open(path)) if remote.is_url(path) else path
        try:
            table = pq.ParquetFile(source)
        except OSError as exc:
            raise ArticleError(where_file, f"cannot read ({exc})") from None
        except Exception as exc:  # pyarrow's own errors: not a Parquet file, or a damaged one
            raise ArticleError(where_file, f"not a readable Parquet table ({exc})") from None
        return _parquet_rows(table, where_file)


def _parquet_rows(table, where_file: str) -> tuple[list[Article], list[Problem]]:
    names = set(table.schema_arrow.names)
    if "text" not in names:
        found = ", ".join(sorted(names)) or "none"
        raise InputFormatError(f"{where_file}: expected a column 'text', found {found}")
    columns = [c for c in ("id", "text", *META_FIELDS) if c in names]
    articles: list[Article] = []
    problems: list[Problem] = []
    number = 0
    batches = table.iter_batches(batch_size=_PARQUET_ROWS, columns=columns)
    while True:
        try:
            batch = next(batches, None)
        except Exception as exc:  # a damaged row group, or a connection lost mid-way
            problems.append(Problem(where_file, f"rows after {number:,} cannot be read ({exc})"))
            break
        if batch is None:
            break
        for record in batch.to_pylist():
            number += 1
            where = f"{where_file}, row {number}"
            text = record.get("text")
            if isinstance(text, str) and len(text) > MAX_BYTES:
                problems.append(Problem(where, f"too large (the limit is {MAX_BYTES:,} bytes)"))
                continue
            if isinstance(record.get("published"), dt.date | dt.datetime):
                record["published"] = record["published"].isoformat()
            try:
                article = article_from_json(record, where=where)
            except (ArticleError, InputFormatError) as exc:
                problems.append(
                    Problem(where, exc.reason if isinstance(exc, ArticleError) else str(exc))
                )
                continue
            articles.append(replace(article, path=f"{where_file}#{number}"))
    return articles, problems


def _entries_feed(path: Path | str) -> tuple[list[Article], list[Problem]]:
    """Each entry of an RSS or Atom feed file is an article."""
    import feedparser

    feed = feedparser.parse(_raw(path))
    if feed.bozo and not feed.entries:
        reason = getattr(feed, "bozo_exception", "not a feed")
        raise ArticleError(display_path(path), f"expected an RSS or Atom feed ({reason})")
    source = feed.feed.get("title")
    articles, problems = [], []
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{display_path(path)}, entry {number}"
        body = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
        text = _html_text(body)
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        meta = {
            "title": entry.get("title"),
            "url": entry.get("link"),
            "source": source,
            "published": dt.date(*published[:3]).isoformat() if published else None,
        }
        try:
            articles.append(
                replace(make_article(text, meta, path=where), path=f"{display_path(path)}#{number}")
            )
        except (ArticleError, InputFormatError) as exc:
            problems.append(
                Problem(where, exc.reason if isinstance(exc, ArticleError) else str(exc))
            )
    return articles, problems


def _html_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's content), paragraphs on their own lines."""
    from html.parser import HTMLParser

    parts: list[str] = []

    class Text(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("p", "br", "div", "li", "h1", "h2", "h3"):
                parts.append("\n")

        def handle_data(self, data):
            parts.append(data)

    Text().feed(fragment)
    return re.sub(r"\n\s*\n+", "\n", "".join(parts)).strip()


def read_file(path: Path | str) -> tuple[list[Article], list[Problem]]:
    """The articles a file holds (one for .txt and .html, many for .jsonl and feeds) and what
    went wrong, with the path (and line or entry) and why. ``path`` is a local path or a URL
    (``remote``)."""
    suffix = split_suffix(str(path))[1].lower()
    try:
        if suffix == ".jsonl":
            return _entries_jsonl(path)
        if suffix == ".parquet":
            return _entries_parquet(path)
        if suffix in (".xml", ".rss", ".atom"):
            return _entries_feed(path)
        article = read_html(path) if suffix in (".html", ".htm") else read_article(path)
        return [article], [Problem(display_path(path), w, skipped=False) for w in article.warnings]
    except (ArticleError, InputFormatError) as exc:
        return [], [
            Problem(display_path(path), exc.reason if isinstance(exc, ArticleError) else str(exc))
        ]
