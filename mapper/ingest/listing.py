"""The article files of a folder, listed without opening any: every other entry (a file of
another type, a folder that cannot be read, a broken link or a link loop, a named pipe or a
socket) is a Problem with its path and why.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFormatError
from ..types import Problem
from . import remote

__all__ = [
    "ARTICLE_SUFFIXES",
    "Listing",
    "display_path",
    "file_key",
    "list_files",
    "sidecar_path",
    "split_suffix",
]


ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".parquet", ".xml", ".rss", ".atom")


@dataclass(frozen=True, slots=True)
class Listing:
    """``list_folder`` with the paths as strings, and each one's ``file_key``."""

    paths: list[str]
    problems: list[Problem]
    keys: dict[str, str]


def list_files(folder: Path | str, *, ignore: tuple[str, ...] = ()) -> Listing:
    """Every article file under ``folder`` in one pass, with its ``file_key``; every other
    entry (a file of another type, a folder that cannot be read, a link that is broken or
    loops, a named pipe or socket) is a Problem with its path and why. Hidden entries (names
    starting with ".") and files named in ``ignore`` (the corrections file) are neither.
    ``folder`` may also be one article file (a JSON-lines shard, a Parquet table), or a URL
    of either (``remote``)."""
    if remote.is_url(folder):
        return remote.list_url(str(folder), suffixes=ARTICLE_SUFFIXES, ignore=ignore)
    folder = Path(folder)
    if folder.is_file() and split_suffix(str(folder))[1].lower() in ARTICLE_SUFFIXES:
        where = str(folder)
        return Listing([where], [], {where: file_key(where)})
    if not folder.is_dir():
        raise InputFormatError(
            f"expected a folder of articles or an article file at {folder}, found none"
        )
    problems: list[Problem] = []
    try:
        top = os.stat(folder)
    except OSError as exc:
        raise InputFormatError(f"cannot read the folder {folder}: {exc.strerror or exc}") from None
    files = _walk(str(folder), problems, {(top.st_dev, top.st_ino)})
    stamps = {where: stamp for where, stamp in files if where.endswith(".meta.json")}
    paths, keys = [], {}
    for where, stamp in files:
        name = os.path.basename(where)
        if name.endswith(".meta.json") or name in ignore:
            continue
        suffix = split_suffix(name)[1]
        if suffix.lower() not in ARTICLE_SUFFIXES:
            problems.append(
                Problem(
                    display_path(where),
                    f"unsupported file type {suffix or '(none)'!r}"
                    f"; expected {', '.join(ARTICLE_SUFFIXES)}",
                )
            )
            continue
        paths.append(where)
        sidecar = stamps.get(f"{where[: len(where) - len(suffix)]}.meta.json", "-")
        keys[where] = f"{display_path(where)}|{stamp}|{sidecar}"
    return Listing(paths, problems, keys)


def display_path(path: str | Path) -> str:
    """A path as it can be shown, stored and written anywhere: bytes of a name that are not
    UTF-8 (a Latin-1 "café.txt") as ``\\xe9``, control characters as escapes. The same
    as the path for every ordinary name."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _walk(
    folder: str, problems: list[Problem], seen: set[tuple[int, int]]
) -> list[tuple[str, str]]:
    """(path, size:mtime) of every regular file under ``folder``, in path order (a folder's
    files come where its name sorts), listed with ``os.scandir``: thousands of files cost one
    ``stat`` call each and no Path. Links are followed; a folder reached twice (a link loop)
    is read once. Nothing is opened here: a named pipe would block a read."""
    try:
        # (names only: the entries, each with its state once asked, would all be held at
        # once, some 500 bytes a file, 100 MB for a folder of 200,000)
        with os.scandir(folder) as listing:
            names = sorted(entry.name for entry in listing)
    except OSError as exc:
        problems.append(
            Problem(display_path(folder), f"cannot read this folder ({exc.strerror or exc})")
        )
        return []
    found = []
    for name in names:
        if name.startswith("."):  # .DS_Store, .git, editors' swap files
            continue
        path = os.path.join(folder, name)
        try:
            info = os.stat(path)  # through links
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                reason = "a link that leads back to itself (a link loop)"
            elif os.path.islink(path):
                reason = "a broken link (what it points to does not exist)"
            else:
                reason = f"cannot read ({exc.strerror or exc})"
            problems.append(Problem(display_path(path), reason))
            continue
        if stat.S_ISDIR(info.st_mode):
            if (info.st_dev, info.st_ino) in seen:
                problems.append(
                    Problem(display_path(path), "a link to a folder read already (a loop)")
                )
                continue
            seen.add((info.st_dev, info.st_ino))
            found += _walk(path, problems, seen)
        elif stat.S_ISREG(info.st_mode):
            found.append((path, f"{info.st_size}:{info.st_mtime_ns}"))
        else:
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            problems.append(Problem(display_path(path), f"{kind}, not an article file: not read"))
    return found


def file_key(path: Path | str) -> str:
    """What identifies a file's state without reading it: size and time (or, at a URL, version)
    of it and its sidecar."""
    if remote.is_url(path):
        return remote.url_key(str(path), sidecar_path(str(path)))
    parts = []
    for p in (str(path), sidecar_path(str(path))):
        try:
            stat = os.stat(p)
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except FileNotFoundError:
            parts.append("-")
    return f"{display_path(path)}|{'|'.join(parts)}"


def sidecar_path(path: str) -> str:
    """Where the metadata of the article file ``path`` would be: ``NAME.meta.json``."""
    return f"{split_suffix(path)[0]}.meta.json"


def split_suffix(path: str) -> tuple[str, str]:
    """``path`` without its suffix, and the suffix, as ``Path`` splits them but without making
    one (thousands of files), for local paths and URLs alike.

    >>> split_suffix("s3://news/2025/a.b.jsonl"), split_suffix("news/.hidden"), split_suffix("x.")
    (('s3://news/2025/a.b', '.jsonl'), ('news/.hidden', ''), ('x.', ''))
    """
    dot, start = path.rfind("."), max(path.rfind(os.sep), path.rfind("/")) + 1
    return (path[:dot], path[dot:]) if start < dot < len(path) - 1 else (path, "")
