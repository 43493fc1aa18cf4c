"""The event store: what each article yielded, kept on disk so a rebuild only reads what changed.

One SQLite file beside the outputs. An article is keyed by the hash of its text; its events
are kept with the version of the extractor that produced them (a hash of mapper's code, data
tables and gazetteer), so new code or a new gazetteer re-extracts everything, and nothing else
does. Updates are transactions; a lock keeps two builds from writing at once.

The store also keeps the merged events, each with its export texts, and the footprints of the
reports added or removed since they were merged ("dirty"), so a rebuild re-merges and
re-serialises only the neighbourhood of what changed. A report's change and its dirty mark are
written in one transaction, so a build killed half-way leaves nothing forgotten.

It also keeps the articles of each file read (without their texts), by the file's state, and,
for the build that holds it, the folder as listed now: which files must be read, which texts
are found in several files and which must be extracted again are questions to the store, not
objects held per article.
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
from typing import TYPE_CHECKING

from ..errors import StoreError
from ..types import Article, Event, Total

if TYPE_CHECKING:
    from .shards import Shard

__all__ = [
    "MAX_SHARDS",
    "TABLES",
    "BlockQuery",
    "EventStore",
    "Kept",
    "Merged",
    "Reports",
    "extractor_version",
    "file_row",
    "insert_kept",
    "insert_merged",
    "kept",
    "stamp",
    "store_error",
]

STORE_FILE = ".mapper-store.sqlite"
# Shards attached at once (``EventStore.save_all``): SQLite attaches at most 10 files.
MAX_SHARDS = 8
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
    record: str  # JSON array of its record's values (``export.stored_values``)

    def values(self) -> tuple:
        """Its row of the ``merged`` table (``insert_merged``)."""
        return (
            *self.key,
            self.block,
            self.event_date,
            self.event_id,
            self.feature,
            self.row,
            self.record,
        )


@lru_cache(maxsize=100_000)
def _place(text: str) -> tuple:
    return tuple(json.loads(text))  # a folder's events sit at far fewer places


def _place_text(place: tuple) -> str:
    return json.dumps(place, ensure_ascii=False)  # decodes back to ``place`` exactly


# The exports' order: date, then id, then the record itself (even twins come in one order).
# SQLite compares text as UTF-8 bytes, which order as their characters do.
_EXPORT_ORDER = "ORDER BY event_date, event_id, record"

SCHEMA_VERSION = "11"
# The tables a worker also writes, into a shard of its own (``shards``), with the same columns.
TABLES = {
    "articles": "id TEXT PRIMARY KEY, path TEXT NOT NULL, version TEXT NOT NULL,"
    " unknown TEXT NOT NULL, totals TEXT NOT NULL, trouble TEXT, unplaced TEXT NOT NULL,"
    " published TEXT",
    "events": "article_id TEXT NOT NULL, seq INTEGER NOT NULL, block TEXT NOT NULL, lo INTEGER,"
    " hi INTEGER, place TEXT NOT NULL, record TEXT NOT NULL",
    "merged": "article_id TEXT NOT NULL, seq INTEGER NOT NULL, block TEXT NOT NULL,"
    " event_date TEXT NOT NULL, event_id TEXT NOT NULL, feature TEXT, row TEXT NOT NULL,"
    " record TEXT NOT NULL",
    "files": "key TEXT NOT NULL, article_id TEXT NOT NULL, path TEXT NOT NULL, published TEXT,"
    " source TEXT, url TEXT, warnings TEXT NOT NULL",
}
_SCHEMA = (
    "".join(f"CREATE TABLE IF NOT EXISTS {t} ({c});\n" for t, c in TABLES.items())
    + """
CREATE TABLE IF NOT EXISTS dirty (block TEXT NOT NULL, lo INTEGER, hi INTEGER,
    place TEXT NOT NULL, article_id TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (block TEXT PRIMARY KEY, width INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE INDEX IF NOT EXISTS files_key ON files (key);
CREATE INDEX IF NOT EXISTS events_block ON events (block, place, lo, hi, article_id, seq);
CREATE INDEX IF NOT EXISTS merged_head ON merged (article_id, seq);
CREATE INDEX IF NOT EXISTS dirty_block ON dirty (block);
"""
)


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


def insert_merged(con: sqlite3.Connection, rows: Iterable[Merged]) -> None:
    """Write merged events into the ``merged`` table of ``con`` (the store's, or a shard's)."""
    values = [m.values() for m in rows]
    con.executemany("INSERT INTO merged VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)


def insert_kept(con: sqlite3.Connection, one: Kept) -> None:
    """Write what one article yielded into the ``articles`` and ``events`` tables of ``con``
    (the event store's, or a shard's), its article's row replacing any of the same id."""
    con.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)", one.row)
    con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", one.events)


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
        article.published.isoformat() if article.published else None,
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


# A file's article as the files table keeps it, and back.
_FILE_COLUMNS = "f.article_id, f.path, f.published, f.source, f.url, f.warnings"


def file_row(article: Article) -> tuple:
    """The columns of ``_FILE_COLUMNS`` of ``article`` (a file's, without its text)."""
    return (
        article.id,
        article.path,
        article.published.isoformat() if article.published else None,
        article.source,
        article.url,
        json.dumps(list(article.warnings)),
    )


def _stub(row: Sequence) -> Article:
    """An article, without its text, from the columns of ``_FILE_COLUMNS``."""
    aid, path, published, source, url, warnings = row
    return Article(
        id=aid,
        text="",
        path=path,
        source=source,
        url=url,
        published=dt.date.fromisoformat(published) if published else None,
        warnings=tuple(json.loads(warnings)) if warnings != "[]" else (),
    )


# The reports asked for, with the publication date of each one's article (the article's first
# file's), for the merge.
Reports = tuple[list[tuple[Key, str]], dict[str, dt.date | None]]

_REPORT_COLUMNS = "SELECT e.article_id, e.seq, e.record, a.published"
_ARTICLE = "LEFT JOIN articles AS a ON a.id = e.article_id"


def _reports(rows: Iterable[tuple]) -> Reports:
    records, dates = [], {}
    for aid, seq, record, published in rows:
        records.append(((aid, seq), record))
        if aid not in dates:
            dates[aid] = dt.date.fromisoformat(published) if published else None
    return records, dates


def _records(con: sqlite3.Connection, keys: Iterable[Key]) -> Reports:
    with con:  # a temporary table: the main file is not written
        con.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (article_id, seq)")
        con.execute("DELETE FROM wanted")
        con.executemany("INSERT INTO wanted VALUES (?, ?)", keys)
    return _reports(
        con.execute(
            f"{_REPORT_COLUMNS} FROM wanted AS w JOIN events AS e"
            f" ON e.article_id = w.article_id AND e.seq = w.seq {_ARTICLE}"
            " ORDER BY e.article_id, e.seq"
        )
    )


def _block_records(con: sqlite3.Connection, block: str) -> Reports:
    return _reports(
        con.execute(
            f"{_REPORT_COLUMNS} FROM events AS e {_ARTICLE} WHERE e.block = ?"
            " ORDER BY e.article_id, e.seq",
            (block,),
        )
    )


@dataclass(frozen=True, slots=True)
class BlockQuery:
    """The reports of one block to merge, for a process that can open the store (a worker of
    a local cluster) to read itself rather than be sent them: the store's file, the block, and
    the keys of the reports (None: every report of the block)."""

    path: str
    block: str
    keys: tuple[Key, ...] | None = None

    def records(self) -> Reports:
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
            # This connection's own: a build's listing (``begin``) and the files it read.
            with self.con:
                self.con.execute(
                    "CREATE TEMP TABLE listing (ord INTEGER PRIMARY KEY, key TEXT NOT NULL)"
                )
                self.con.execute(f"CREATE TEMP TABLE read_now ({TABLES['files']})")
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

    def begin(self, keys: Iterable[str]) -> list[int]:
        """Note the files of the folder as listed now, by ``ingest.file_key`` in path order,
        for the build that holds the store; return the places in that order of those not
        read before (their state unknown). What the build reads is noted (``save_all``) and
        kept for the next build (``update_files``); the listing and the files noted are the
        connection's own (temporary tables), never the next build's. (Files are known by
        their place and key: a path need not be text SQLite can hold.)"""
        con = self.con
        with con:
            con.execute("DELETE FROM temp.listing")
            con.execute("DELETE FROM temp.read_now")
            con.executemany("INSERT INTO temp.listing VALUES (?, ?)", enumerate(keys))
        rows = con.execute(
            "SELECT ord FROM temp.listing WHERE key NOT IN (SELECT key FROM files) ORDER BY ord"
        )
        return [place for (place,) in rows]

    def update_files(self) -> None:
        """Forget the files no longer listed and remember the articles of the files read this
        time, so the table lists the folder as it is now."""
        with self.con:
            self.con.execute("DELETE FROM files WHERE key NOT IN (SELECT key FROM temp.listing)")
            self.con.execute("INSERT INTO files SELECT * FROM temp.read_now ORDER BY rowid")
            self.con.execute("DELETE FROM temp.read_now")

    def listed_warnings(self) -> Iterator[tuple[int, Article]]:
        """(file's place in the listing, article) of the listed files' articles read with a
        warning, in path order (``update_files`` first)."""
        rows = self.con.execute(
            f"SELECT l.ord, {_FILE_COLUMNS} FROM temp.listing AS l JOIN files AS f USING (key)"
            " WHERE f.warnings != '[]' ORDER BY l.ord, f.rowid"
        )
        return ((place, _stub(row)) for place, *row in rows)

    def copies(self) -> dict[str, list[Article]]:
        """The texts found in more than one listed file: their articles by id, each in path
        order, the first found first (``update_files`` first)."""
        rows = self.con.execute(
            f"SELECT {_FILE_COLUMNS} FROM temp.listing AS l JOIN files AS f USING (key)"
            " WHERE f.article_id IN (SELECT article_id FROM temp.listing JOIN files USING (key)"
            " GROUP BY article_id HAVING COUNT(*) > 1) ORDER BY l.ord, f.rowid"
        )
        out: dict[str, list[Article]] = {}
        for row in rows:
            out.setdefault(row[0], []).append(_stub(row))
        return out

    def listed(self, *, files: int = 1_000) -> Iterator[tuple[Article, str, str | None]]:
        """Every article of the listed files, in path order, with its file's key and the stamp
        its events are kept with (None: none are). Read ``files`` listed files at a time, each
        lot whole before it is given: the caller may save between lots."""
        end = self.con.execute("SELECT COUNT(*) FROM temp.listing").fetchone()[0]
        for first in range(0, end, files):
            rows = self.con.execute(
                f"SELECT {_FILE_COLUMNS}, f.key, a.version FROM temp.listing AS l"
                " JOIN files AS f USING (key) LEFT JOIN articles AS a ON a.id = f.article_id"
                " WHERE l.ord >= ? AND l.ord < ? ORDER BY l.ord, f.rowid",
                (first, first + files),
            ).fetchall()
            for *row, key, version in rows:
                yield _stub(row), key, version

    def count_listed(self) -> int:
        """How many texts the listed files hold."""
        return self.con.execute(
            "SELECT COUNT(DISTINCT article_id) FROM temp.listing JOIN files USING (key)"
        ).fetchone()[0]

    def keep_listed(self) -> int:
        """Drop the articles (and events) no listed file holds; return how many were dropped."""
        gone = [
            i
            for (i,) in self.con.execute(
                "SELECT id FROM articles WHERE id NOT IN"
                " (SELECT article_id FROM temp.listing JOIN files USING (key))"
            )
        ]
        if not gone:
            return 0
        with self.con:
            for i in gone:
                self._forget(i)
            self.con.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in gone])
        return len(gone)

    def ids(self) -> frozenset[str]:
        """The ids of the articles whose events are kept."""
        return frozenset(i for (i,) in self.con.execute("SELECT id FROM articles"))

    def save_all(
        self,
        articles: Iterable[Kept],
        shards: Sequence[Shard] = (),
        *,
        files: Iterable[tuple[str, Article]] = (),
    ) -> None:
        """Replace what each article yielded, in one transaction that also marks the old and
        new events dirty: the ``articles`` given, then those of each shard (``shards``; at most
        ``MAX_SHARDS``), less its ``skip``. The articles of the files read, (file key, article
        without text) in order (``files``, and a shard's), are noted for ``update_files``. A
        build saves a batch at a time: a commit per article would cost more than the
        extraction of a short one."""
        if len(shards) > MAX_SHARDS:
            raise ValueError(f"expected at most {MAX_SHARDS} shards at once, got {len(shards)}")
        names = self._attach(shards)
        try:
            with self.con:
                self.con.executemany(
                    "INSERT INTO temp.read_now VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(key, *file_row(a)) for key, a in files],
                )
                for one in articles:
                    self._forget(one.article_id)
                    insert_kept(self.con, one)
                    self.con.executemany(
                        "INSERT INTO dirty VALUES (?, ?, ?, ?, ?, ?)",
                        [(b, lo, hi, place, a, seq) for a, seq, b, lo, hi, place, _ in one.events],
                    )
                for name, shard in zip(names, shards, strict=True):
                    self._take(name, shard.skip)
        finally:
            self._detach(names)

    def _take(self, name: str, skip: Iterable[str]) -> None:
        """Save the articles of the attached shard ``name`` as ``save_all`` saves each (inside
        the caller's transaction), but for those in ``skip``."""
        con = self.con
        skipped = [(i,) for i in skip]
        if skipped:
            con.executemany(f"DELETE FROM {name}.articles WHERE id = ?", skipped)
            con.executemany(f"DELETE FROM {name}.events WHERE article_id = ?", skipped)
        theirs = f"SELECT id FROM {name}.articles"
        con.execute(
            "INSERT INTO dirty SELECT block, lo, hi, place, article_id, seq FROM events"
            f" WHERE article_id IN ({theirs})"
        )
        con.execute(f"DELETE FROM events WHERE article_id IN ({theirs})")
        con.execute(f"INSERT OR REPLACE INTO articles SELECT * FROM {name}.articles ORDER BY rowid")
        con.execute(f"INSERT INTO events SELECT * FROM {name}.events ORDER BY rowid")
        con.execute(
            "INSERT INTO dirty SELECT block, lo, hi, place, article_id, seq"
            f" FROM {name}.events ORDER BY rowid"
        )
        con.execute(f"INSERT INTO temp.read_now SELECT * FROM {name}.files ORDER BY rowid")

    def _attach(self, shards: Sequence[Shard]) -> list[str]:
        """Attach each shard's file (outside a transaction, as SQLite requires); their names."""
        names: list[str] = []
        try:
            for i, shard in enumerate(shards):
                self.con.execute(f"ATTACH DATABASE ? AS shard{i}", (shard.path,))
                names.append(f"shard{i}")
        except sqlite3.Error:
            self._detach(names)
            raise
        return names

    def _detach(self, names: Iterable[str]) -> None:
        for name in names:
            self.con.execute(f"DETACH DATABASE {name}")

    def _forget(self, article_id: str) -> None:
        """Drop an article's events, marking them dirty (inside the caller's transaction)."""
        self.con.execute(
            "INSERT INTO dirty SELECT block, lo, hi, place, article_id, seq FROM events"
            " WHERE article_id = ?",
            (article_id,),
        )
        self.con.execute("DELETE FROM events WHERE article_id = ?", (article_id,))

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

    def records(self, keys: Iterable[Key]) -> Reports:
        """The stored records (JSON) of the reports with these keys, in a stable order
        (article, then seq), and the publication dates of their articles, by id."""
        return _records(self.con, keys)

    def block_records(self, block: str) -> Reports:
        """``records`` of every report of ``block``."""
        return _block_records(self.con, block)

    def replace_merged(
        self,
        block: str,
        *,
        drop: Iterable[Key],
        rows: Iterable[Merged] = (),
        width: int,
        shard: Shard | None = None,
    ) -> None:
        """Swap one block's merged events (those first reported by ``drop``) for ``rows`` (or
        those of ``shard``), record its width and clear its dirty marks, in one transaction.
        Only this block's are dropped: a report that moved to another block (its country
        corrected) keeps its key there, and that block may have been merged first."""
        names = self._attach([shard] if shard is not None else [])
        try:
            with self.con:
                self.con.executemany(
                    "DELETE FROM merged WHERE block = ? AND article_id = ? AND seq = ?",
                    ((block, *key) for key in drop),
                )
                insert_merged(self.con, rows)
                for name in names:
                    self.con.execute(
                        f"INSERT INTO merged SELECT * FROM {name}.merged ORDER BY rowid"
                    )
                self.con.execute("INSERT OR REPLACE INTO blocks VALUES (?, ?)", (block, width))
                self.con.execute("DELETE FROM dirty WHERE block = ?", (block,))
        finally:
            self._detach(names)

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
