"""What a worker of a local cluster made, written to an SQLite file of its own, a shard, for
the event store to take in (``EventStore.save_all``, ``EventStore.replace_merged``).

Sent back to the driver instead, the rows cost it most of its time: it unpickled them and
inserted them a row at a time, some 40 CPU seconds per 100,000 articles, taken from the
workers on a machine of few cores. A shard is copied by the store in one statement per table.
Shards live in a folder beside the event store, a file per task, removed once taken in; a
killed build's leftovers are removed by the next (builds take turns, under the store's lock).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..types import Article
from .store import TABLES, Kept, Merged, file_row, insert_kept, insert_merged

__all__ = ["SHARDS_FOLDER", "Shard", "clear", "write_kept", "write_merged"]

SHARDS_FOLDER = ".mapper-shards"


@dataclass(frozen=True, slots=True)
class Shard:
    """A shard's file and the ids of the articles it holds, in order (none for merged
    events). ``skip``: ids the store must not take from it (its copies of articles a shard
    before it held)."""

    path: str
    ids: tuple[str, ...] = ()
    skip: frozenset[str] = frozenset()


def clear(folder: Path, *, make: bool) -> None:
    """Remove ``folder`` and the shards in it (a killed build's), and ``make`` it anew."""
    shutil.rmtree(folder, ignore_errors=True)
    if make:
        folder.mkdir(parents=True, exist_ok=True)


def _open(path: Path, table: str) -> sqlite3.Connection:
    path.unlink(missing_ok=True)  # a task run again (its worker lost) writes it anew
    con = sqlite3.connect(path)
    # No journal and no syncing: a shard half written belongs to a build that died.
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute(f"CREATE TABLE {table} ({TABLES[table]})")
    return con


def write_kept(
    path: Path, kept: Sequence[Kept], *, files: Sequence[tuple[str, Article]] = ()
) -> Shard:
    """What some articles yielded, written to a shard at ``path``, and the articles of the
    files read, without their texts, under their files' keys (``files``); an article twice
    among them is kept once, its first."""
    con = _open(path, "articles")
    try:
        con.execute(f"CREATE TABLE events ({TABLES['events']})")
        con.execute(f"CREATE TABLE files ({TABLES['files']})")
        ids: dict[str, None] = {}
        with con:
            con.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(key, *file_row(a)) for key, a in files],
            )
            for one in kept:
                if one.article_id in ids:
                    continue
                ids[one.article_id] = None
                insert_kept(con, one)
    finally:
        con.close()
    return Shard(str(path), tuple(ids))


def write_merged(path: Path, rows: Sequence[Merged]) -> Shard:
    """One block's merged events, written to a shard at ``path``."""
    con = _open(path, "merged")
    try:
        with con:
            insert_merged(con, rows)
    finally:
        con.close()
    return Shard(str(path))
