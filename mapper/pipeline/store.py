"""The event store: what each article yielded, kept on disk so a rebuild only reads what changed.

One SQLite file beside the outputs. An article is keyed by the hash of its text; its events
are kept with the version of the extractor that produced them (a hash of mapper's code, data
tables and gazetteer), so new code or a new gazetteer re-extracts everything, and nothing else
does. Updates are transactions; a lock keeps two builds from writing at once.

The store also keeps the merged events, each with its export texts, and the footprints of the
reports added or removed since they were merged ("dirty"), so a rebuild re-merges and
re-serialises only the neighbourhood of what changed. A report's change and its dirty mark are
written in one transaction, so a build killed half-way leaves nothing forgotten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import StoreError
from ..types import Article, Event, Total

__all__ = [
    "BlockQuery",
    "EventStore",
    "Kept",
    "Merged",
    "extractor_version",
    "kept",
    "stamp",
    "store_error",
]

STORE_FILE = ".mapper-store.sqlite"
Key = tuple[str, int]  # a report: its article and its place among the article's events
# Where and when a report can meet others (``mapper.merge.footprint``): block, first and last
# day (None when it can meet none) and place. The store keeps it without interpreting it.
Footprint = tuple[str, int | None, int | None, tuple]


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged event as kept for the exports: the report it started from and its texts."""

    key: Key
    block: str
    event_date: str
    event_id: str
    feature: str | None  # GeoJSON feature; None when the event has no coordinates
    row: str  # CSV row
    record: str  # JSON array of the values of ``Event.to_record``


@lru_cache(maxsize=100_000)
def _place(text: str) -> tuple:
    return tuple(json.loads(text))  # a folder's events sit at far fewer places


def _place_text(place: tuple) -> str:
    return json.dumps(place, ensure_ascii=False)  # decodes back to ``place`` exactly


# The exports' order: date, then id, then the record itself (even twins come in one order).
# SQLite compares text as UTF-8 bytes, which order as their characters do.
_EXPORT_ORDER = "ORDER BY event_date, event_id, record"

SCHEMA_VERSION = "10"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, version TEXT NOT NULL, unknown TEXT NOT NULL,
    totals TEXT NOT NULL, trouble TEXT, unplaced TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (article_id TEXT NOT NULL, seq INTEGER NOT NULL,
    block TEXT NOT NULL, lo INTEGER, hi INTEGER, place TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dirty (block TEXT NOT NULL, lo INTEGER, hi INTEGER,
    place TEXT NOT NULL, article_id TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS merged (article_id TEXT NOT NULL, seq INTEGER NOT NULL,
    block TEXT NOT NULL, event_date TEXT NOT NULL, event_id TEXT NOT NULL, feature TEXT,
    row TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (block TEXT PRIMARY KEY, width INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS files (key TEXT NOT NULL, article_id TEXT NOT NULL, path TEXT NOT NULL,
    published TEXT, source TEXT, url TEXT, warnings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE INDEX IF NOT EXISTS files_key ON files (key);
CREATE INDEX IF NOT EXISTS events_block ON events (block, place, lo, hi, article_id, seq);
CREATE INDEX IF NOT EXISTS merged_head ON merged (article_id, seq);
CREATE INDEX IF NOT EXISTS dirty_block ON dirty (block);
"""


def extractor_version(*extra: str) -> str:
    """A hash of mapper's own code and data tables (every subpackage), plus ``extra`` (the
    gazetteer's state)."""
    digest = hashlib.sha256()
    root = Path(str(resources.files("mapper")))
    files = (
        p
        for p in root.rglob("*")
        if p.suffix in (".py", ".tsv", ".txt") and "__pycache__" not in p.parts
    )
    for item in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(item.relative_to(root).as_posix().encode())
        digest.update(item.read_bytes())
    for value in extra:
        digest.update(value.encode())
    return digest.hexdigest()[:16]


def store_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """What went wrong with the event store at ``path``, in a user's words, and what to do."""
    text = str(exc).lower()
    if "full" in text:
        why = "the disk is full; free some space and build again"
    elif "readonly" in text or "read-only" in text or "unable to open" in text:
        why = "the output folder is read-only or not yours; choose another --out"
    elif "locked" in text or "busy" in text:
        why = "another build holds it; wait for it to finish"
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        why = f"it is damaged ({exc}); delete it and build again to read the articles anew"
    else:
        why = str(exc)
    return StoreError(f"cannot use the event store {path}: {why}")


def stamp(version: str, copies: Sequence[Article]) -> str:
    """What an article's events depend on besides its text: the extractor and the metadata
    of each file holding the text (a new publication date moves "on Sunday"; a new source
    changes the events' sources)."""
    return "|".join([version, *(f"{a.published}|{a.source}|{a.url}" for a in copies)])


@dataclass(frozen=True, slots=True)
class Kept:
    """What one article yielded, as the store keeps it: its row and its events' rows, already
    serialised, so that the process that extracted the article (a worker) does that work."""

    article_id: str
    row: tuple
    events: tuple[tuple, ...]

    @property
    def stamp(self) -> str:
        """The stamp its events are kept with (``stamp``)."""
        return self.row[2]


def kept(
    article: Article,
    events: Sequence[tuple[Event, Footprint]],
    unknown: Iterable[str],
    version: str,
    *,
    totals: Sequence[Total] = (),
    trouble: str | None = None,
    unplaced: Sequence[Event] = (),
) -> Kept:
    """What ``article`` yielded (each event with its footprint, the names the gazetteer lacks,
    the tolls set aside as totals), made ready to save. ``trouble`` says why an article gave
    no events at all (too long to read in its time budget): kept, so it is reported on every
    build, as are the ``unplaced`` events (the text names no place for them)."""
    row = (
        article.id,
        article.path,
        version,
        json.dumps(sorted(set(unknown))),
        json.dumps([t.to_record() for t in totals], ensure_ascii=False),
        trouble,
        json.dumps([e.to_record() for e in unplaced], ensure_ascii=False),
    )
    rows = tuple(
        (
            article.id,
            seq,
            block,
            lo,
            hi,
            _place_text(place),
            json.dumps(e.to_record(), ensure_ascii=False),
        )
        for seq, (e, (block, lo, hi, place)) in enumerate(events)
    )
    return Kept(article.id, row, rows)


def _records(con: sqlite3.Connection, keys: Iterable[Key]) -> list[tuple[Key, str]]:
    with con:  # a temporary table: the main file is not written
        con.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (article_id, seq)")
        con.execute("DELETE FROM wanted")
        con.executemany("INSERT INTO wanted VALUES (?, ?)", keys)
    rows = con.execute(
        "SELECT article_id, seq, record FROM events JOIN wanted USING (article_id, seq)"
        " ORDER BY article_id, seq"
    )
    return [((aid, seq), r) for aid, seq, r in rows]


def _block_records(con: sqlite3.Connection, block: str) -> list[tuple[Key, str]]:
    rows = con.execute(
        "SELECT article_id, seq, record FROM events WHERE block = ? ORDER BY article_id, seq",
        (block,),
    )
    return [((aid, seq), r) for aid, seq, r in rows]


@dataclass(frozen=True, slots=True)
class BlockQuery:
    """The reports of one block to merge, for a process that can open the store (a worker of
    a local cluster) to read itself rather than be sent them: the store's file, the block, and
    the keys of the reports (None: every report of the block)."""

    path: str
    block: str
    keys: tuple[Key, ...] | None = None

    def records(self) -> list[tuple[Key, str]]:
        """``EventStore.records`` of the keys (or ``block_records``), read without writing: the
        build that asks holds the store, and reads go beside its writes (write-ahead log)."""
        con = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            if self.keys is None:
                return _block_records(con, self.block)
            return _records(con, self.keys)
        finally:
            con.close()


class EventStore:
    """Events per article, on disk."""

    def __init__(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot make the output folder {folder}: {exc.strerror}") from exc
        self.path = folder / STORE_FILE
        self._lock_path = folder / f"{STORE_FILE}.lock"
        self.con: sqlite3.Connection
        try:
            self.con = sqlite3.connect(self.path, timeout=30)
            # Two builds started at once on a new folder would both make (and drop) the
            # tables: the layout is settled under the build lock.
            with self.locked():
                # A write-ahead log: a commit is one append, not a journal file and two syncs
                # per transaction. A killed build still leaves the last committed state.
                self.con.execute("PRAGMA journal_mode = WAL")
                self.con.execute("PRAGMA synchronous = NORMAL")
                if self._migrate():
                    self.con.executescript(_SCHEMA)
                    self.con.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,)
                    )
                    self.con.commit()
        except sqlite3.Error as exc:
            raise store_error(exc, self.path) from exc

    def _migrate(self) -> bool:
        """A store written by another layout is emptied (its articles are simply read again);
        returns whether the tables are to be made."""
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is not None and row[0] == SCHEMA_VERSION:
            return False
        with self.con:
            for table in ("articles", "events", "files", "meta", "dirty", "merged", "blocks"):
                self.con.execute(f"DROP TABLE IF EXISTS {table}")
        return True

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store alone for a build; a second build waits for the first to finish."""
        try:
            handle = open(self._lock_path, "w")  # noqa: SIM115 - held for the whole block
        except OSError as exc:
            raise StoreError(f"cannot write {self._lock_path}: {exc.strerror}") from exc
        try:
            try:
                import fcntl

                fcntl.flock(handle, fcntl.LOCK_EX)
            except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking remains
                pass
            yield
        finally:
            handle.close()

    def known_files(self) -> dict[str, list[Article]]:
        """Files read before, by ``ingest.file_key``: the articles each held (without text)."""
        out: dict[str, list[Article]] = {}
        rows = self.con.execute("SELECT * FROM files ORDER BY rowid")
        for key, aid, path, published, source, url, warnings in rows:
            out.setdefault(key, []).append(
                Article(
                    id=aid,
                    text="",
                    path=path,
                    source=source,
                    url=url,
                    published=dt.date.fromisoformat(published) if published else None,
                    warnings=tuple(json.loads(warnings)) if warnings != "[]" else (),
                )
            )
        return out

    def update_files(self, *, gone: Iterable[str], read: dict[str, list[Article]]) -> None:
        """Forget the files whose keys are ``gone`` and remember the articles of the files
        ``read`` this time (by key), so the table lists the folder as it is now."""
        rows = [
            (
                k,
                a.id,
                a.path,
                a.published.isoformat() if a.published else None,
                a.source,
                a.url,
                json.dumps(list(a.warnings)),
            )
            for k, arts in read.items()
            for a in arts
        ]
        drop = [(k,) for k in {*gone, *read}]
        if not drop:
            return
        with self.con:
            self.con.executemany("DELETE FROM files WHERE key = ?", drop)
            self.con.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def versions(self) -> dict[str, str]:
        """The stamp of the extractor and metadata each article's events were made with, by article
        id."""
        return dict(self.con.execute("SELECT id, version FROM articles"))

    def save_all(self, articles: Iterable[Kept]) -> None:
        """Replace what each article yielded, in one transaction that also marks the old and
        new events dirty. A build saves a batch at a time: a commit per article would cost
        more than the extraction of a short one."""
        with self.con:
            for one in articles:
                self._forget(one.article_id)
                self.con.execute(
                    "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)", one.row
                )
                self.con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", one.events)
                self.con.executemany(
                    "INSERT INTO dirty VALUES (?, ?, ?, ?, ?, ?)",
                    [(b, lo, hi, place, aid, seq) for aid, seq, b, lo, hi, place, _ in one.events],
                )

    def _forget(self, article_id: str) -> None:
        """Drop an article's events, marking them dirty (inside the caller's transaction)."""
        self.con.execute(
            "INSERT INTO dirty SELECT block, lo, hi, place, article_id, seq FROM events"
            " WHERE article_id = ?",
            (article_id,),
        )
        self.con.execute("DELETE FROM events WHERE article_id = ?", (article_id,))

    def keep_only(self, ids: Iterable[str]) -> int:
        """Drop the articles (and events) not in ``ids``; return how many were dropped."""
        keep = set(ids)
        gone = [i for (i,) in self.con.execute("SELECT id FROM articles") if i not in keep]
        if not gone:
            return 0
        with self.con:
            for i in gone:
                self._forget(i)
            self.con.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in gone])
        return len(gone)

    def events(self) -> list[Event]:
        """Every article's events, before merging."""
        rows = self.con.execute("SELECT record FROM events ORDER BY article_id, seq")
        return [Event.from_record(json.loads(r)) for (r,) in rows]

    def dirty_blocks(self) -> list[str]:
        """The blocks with reports added or removed since the last merge, the largest (most
        reports) first: merged side by side on a cluster, the longest start first, on workers
        of their own, and the small ones fill in after them (at 100,000 articles two blocks of
        nine hold over half the reports)."""
        rows = self.con.execute(
            "SELECT d.block FROM (SELECT DISTINCT block FROM dirty) AS d"
            " LEFT JOIN (SELECT block, COUNT(*) AS n FROM events GROUP BY block) AS e"
            " USING (block) ORDER BY COALESCE(e.n, 0) DESC, d.block"
        )
        return [b for (b,) in rows]

    def dirty(self, block: str) -> list[tuple[Key, Footprint]]:
        """The reports of ``block`` added or removed since the last merge."""
        rows = self.con.execute(
            "SELECT lo, hi, place, article_id, seq FROM dirty WHERE block = ? ORDER BY rowid",
            (block,),
        )
        return [((aid, seq), (block, lo, hi, _place(place))) for lo, hi, place, aid, seq in rows]

    def width(self, block: str) -> int:
        """``mapper.merge.width`` of the block's reports, counted by SQLite."""
        row = self.con.execute(
            "SELECT MAX(hi - lo + 1) FROM events WHERE block = ? AND lo IS NOT NULL", (block,)
        ).fetchone()
        return row[0] or 0

    def places(self, block: str) -> list[tuple]:
        """The places of the block's reports that can merge."""
        rows = self.con.execute(
            "SELECT DISTINCT place FROM events WHERE block = ? AND lo IS NOT NULL", (block,)
        )
        return [_place(p) for (p,) in rows]

    def at(self, block: str, place: tuple) -> list[tuple[int, int, Key]]:
        """(first day, last day, key) of the block's reports at ``place``, by first day."""
        rows = self.con.execute(
            "SELECT lo, hi, article_id, seq FROM events WHERE block = ? AND place = ?"
            " AND lo IS NOT NULL ORDER BY lo, hi",
            (block, _place_text(place)),
        )
        return [(lo, hi, (aid, seq)) for lo, hi, aid, seq in rows]

    def keys(self, block: str) -> set[Key]:
        """Every report of the block."""
        rows = self.con.execute("SELECT article_id, seq FROM events WHERE block = ?", (block,))
        return set(rows)

    def widths(self) -> dict[str, int]:
        """Each block's date width when it was last merged."""
        return dict(self.con.execute("SELECT block, width FROM blocks"))

    def records(self, keys: Iterable[Key]) -> list[tuple[Key, str]]:
        """The stored records (JSON) of the reports with these keys, in a stable order
        (article, then seq)."""
        return _records(self.con, keys)

    def block_records(self, block: str) -> list[tuple[Key, str]]:
        """``records`` of every report of ``block``."""
        return _block_records(self.con, block)

    def replace_merged(
        self, block: str, *, drop: Iterable[Key], rows: Iterable[Merged], width: int
    ) -> None:
        """Swap one block's merged events (those first reported by ``drop``) for ``rows``,
        record its width and clear its dirty marks, in one transaction. Only this block's are
        dropped: a report that moved to another block (its country corrected) keeps its key
        there, and that block may have been merged first."""
        with self.con:
            self.con.executemany(
                "DELETE FROM merged WHERE block = ? AND article_id = ? AND seq = ?",
                ((block, *key) for key in drop),
            )
            self.con.executemany(
                "INSERT INTO merged VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (*m.key, m.block, m.event_date, m.event_id, m.feature, m.row, m.record)
                    for m in rows
                ],
            )
            self.con.execute("INSERT OR REPLACE INTO blocks VALUES (?, ?)", (block, width))
            self.con.execute("DELETE FROM dirty WHERE block = ?", (block,))

    def merged_texts(self, column: str) -> Iterator[str]:
        """One text of every merged event, in export order, a row at a time: ``"record"``
        (values), ``"row"`` (CSV) or ``"feature"`` (GeoJSON; the events with coordinates)."""
        if column not in ("record", "row", "feature"):
            raise ValueError(f"expected record, row or feature, got {column!r}")
        rows = self.con.execute(
            f"SELECT {column} FROM merged WHERE {column} IS NOT NULL {_EXPORT_ORDER}"
        )
        return (text for (text,) in rows)

    def unknown(self) -> set[str]:
        """Every place name of the stored articles that the gazetteer does not know."""
        out: set[str] = set()
        for (names,) in self.con.execute("SELECT unknown FROM articles WHERE unknown != '[]'"):
            out.update(json.loads(names))
        return out

    def totals(self) -> list[tuple[str, Total]]:
        """(article path, total) of every toll set aside as a total, in path order."""
        rows = self.con.execute(
            "SELECT id, path, totals FROM articles WHERE totals != '[]' ORDER BY path, id"
        )
        return [
            (path, Total.from_record(record, article_id=aid))
            for aid, path, text in rows
            for record in json.loads(text)
        ]

    def unplaced(self) -> list[tuple[str, Event]]:
        """(article path, event) of every event the text names no place for, in path order."""
        rows = self.con.execute(
            "SELECT path, unplaced FROM articles WHERE unplaced != '[]' ORDER BY path, id"
        )
        return [(path, Event.from_record(r)) for path, text in rows for r in json.loads(text)]

    def troubles(self) -> list[tuple[str, str]]:
        """(article path, why) of every article that gave no events because of trouble."""
        rows = self.con.execute(
            "SELECT path, trouble FROM articles WHERE trouble IS NOT NULL ORDER BY path, id"
        )
        return list(rows)

    def close(self) -> None:
        """Close the store's database."""
        self.con.close()
