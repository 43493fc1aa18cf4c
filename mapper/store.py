"""The event store: what each article yielded, kept on disk so a rebuild only reads what changed.

One SQLite file beside the outputs. An article is keyed by the hash of its text; its events
are kept with the version of the extractor that produced them (a hash of mapper's code, data
tables and gazetteer), so new code or a new gazetteer re-extracts everything, and nothing else
does. Updates are transactions; a lock keeps two builds from writing at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from .errors import MapperError
from .models import Article, Event

__all__ = ["EventStore", "extractor_version"]

STORE_FILE = ".mapper-store.sqlite"
SCHEMA_VERSION = "3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, version TEXT NOT NULL, unknown TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (article_id TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (key TEXT NOT NULL, article_id TEXT NOT NULL, path TEXT NOT NULL,
    published TEXT, source TEXT, url TEXT, warnings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
"""


def extractor_version(*extra: str) -> str:
    """A hash of mapper's own code and data tables, plus ``extra`` (the gazetteer's state)."""
    digest = hashlib.sha256()
    root = resources.files("mapper")
    for folder in (root, root / "gazetteer", root / "data"):
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.is_file() and item.name.endswith((".py", ".tsv", ".txt")):
                digest.update(item.name.encode())
                digest.update(item.read_bytes())
    for value in extra:
        digest.update(value.encode())
    return digest.hexdigest()[:16]


class EventStore:
    """Events per article, on disk."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / STORE_FILE
        self._lock_path = folder / f"{STORE_FILE}.lock"
        try:
            self.con = sqlite3.connect(self.path, timeout=30)
            self._migrate()
            self.con.executescript(_SCHEMA)
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            self.con.commit()
        except sqlite3.DatabaseError as exc:
            raise MapperError(
                f"{self.path} is not a usable event store ({exc});"
                " delete it to rebuild from the articles"
            ) from exc

    def _migrate(self) -> None:
        """A store written by another layout is emptied: its articles are simply read again."""
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is None or row[0] != SCHEMA_VERSION:
            for table in ("articles", "events", "files", "meta"):
                self.con.execute(f"DROP TABLE IF EXISTS {table}")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store alone for a build; a second build waits for the first to finish."""
        handle = open(self._lock_path, "w")  # noqa: SIM115 - held for the whole block
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
                    warnings=tuple(json.loads(warnings)),
                )
            )
        return out

    def remember_files(self, files: dict[str, list[Article]]) -> None:
        """Keep exactly these files' keys and articles (the folder as it is now)."""
        with self.con:
            self.con.execute("DELETE FROM files")
            self.con.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        k,
                        a.id,
                        a.path,
                        a.published.isoformat() if a.published else None,
                        a.source,
                        a.url,
                        json.dumps(list(a.warnings)),
                    )
                    for k, arts in files.items()
                    for a in arts
                ],
            )

    def versions(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT id, version FROM articles"))

    def save(
        self, article: Article, events: Iterable[Event], unknown: Iterable[str], version: str
    ) -> None:
        """Replace what ``article`` yielded, in one transaction."""
        with self.con:
            self.con.execute("DELETE FROM events WHERE article_id = ?", (article.id,))
            self.con.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)",
                (article.id, article.path, version, json.dumps(sorted(set(unknown)))),
            )
            self.con.executemany(
                "INSERT INTO events VALUES (?, ?)",
                [(article.id, json.dumps(e.to_record(), ensure_ascii=False)) for e in events],
            )

    def keep_only(self, ids: Iterable[str]) -> int:
        """Drop the articles (and events) not in ``ids``; return how many were dropped."""
        keep = set(ids)
        gone = [i for (i,) in self.con.execute("SELECT id FROM articles") if i not in keep]
        with self.con:
            self.con.executemany("DELETE FROM events WHERE article_id = ?", [(i,) for i in gone])
            self.con.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in gone])
        return len(gone)

    def events(self) -> list[Event]:
        rows = self.con.execute("SELECT record FROM events ORDER BY article_id, rowid")
        return [Event.from_record(json.loads(r)) for (r,) in rows]

    def unknown(self) -> set[str]:
        out: set[str] = set()
        for (names,) in self.con.execute("SELECT unknown FROM articles"):
            out.update(json.loads(names))
        return out

    def close(self) -> None:
        self.con.close()
