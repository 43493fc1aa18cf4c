"""Articles at a URL, through fsspec: a folder (a prefix), one file or a glob on object storage
(``s3://``, ``gs://``, through the ``s3`` and ``gcs`` extras), or any other file system fsspec
knows (``file://``, ``memory://``, ``https://`` for one file). Listed as a local folder is, with
each file's state taken from the listing (its size and the store's version tag or time), so
that a rebuild reads again only what changed.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from typing import IO, TYPE_CHECKING, Any

from ..errors import ArticleError, InputFormatError
from ..types import Problem

if TYPE_CHECKING:
    from .listing import Listing

__all__ = ["is_url", "list_url", "open_url", "read_optional", "url_key"]


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


# The extra that brings a storage's fsspec back end.
_EXTRAS = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs"}


# What tells a stored object's version, best first: a tag of its content, then a time.
_VERSION_FIELDS = (
    "ETag",
    "etag",
    "md5Hash",
    "generation",
    "mtime",
    "LastModified",
    "last_modified",
    "updated",
    "modified",
    "created",
)


def is_url(where: object) -> bool:
    """Whether ``where`` names a place by URL (``s3://bucket/news``), not a local path.

    >>> is_url("s3://bucket/news"), is_url("seeds"), is_url("C:\\\\news")
    (True, False, False)
    """
    return isinstance(where, str) and _URL.match(where) is not None


def _filesystem(url: str):
    """The fsspec file system of ``url`` and the path in it; a missing back end or an unknown
    scheme is an InputFormatError that says what to install."""
    import fsspec

    scheme = url.split("://", 1)[0].lower()
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:
        extra = _EXTRAS.get(scheme)
        needs = f'pip install "mapper[{extra}]"' if extra else f"its fsspec back end ({exc})"
        raise InputFormatError(f"{url}: reading {scheme}:// URLs needs {needs}") from None
    except ValueError as exc:
        raise InputFormatError(
            f"{url}: expected a local path or a URL that fsspec can read ({exc})"
        ) from None


def _stamp(info: dict[str, Any]) -> str:
    """``size:version`` of a listed file, the version the first of ``_VERSION_FIELDS`` it has
    (times as POSIX seconds, whichever way the back end writes them)."""
    version = next((info[f] for f in _VERSION_FIELDS if info.get(f) not in (None, "")), "")
    if isinstance(version, dt.datetime):
        version = version.timestamp()
    return f"{info.get('size')}:{version}"


def list_url(url: str, *, suffixes: tuple[str, ...], ignore: tuple[str, ...] = ()) -> Listing:
    """The files at ``url`` (a folder, one file or a glob), as ``listing.list_files`` gives a
    folder's: paths as URLs in path order, keys, and a Problem for every file of another
    type. Hidden entries (a name or a folder starting with ".") and names in ``ignore`` are
    neither; ``NAME.meta.json`` sidecars count in their article's key."""
    from .listing import Listing, split_suffix

    fs, root = _filesystem(url)
    try:
        if fs.isfile(root):
            found, base = {root: fs.info(root)}, posixpath.dirname(root)
        else:
            found = fs.glob(root, detail=True) if _has_magic(root) else fs.find(root, detail=True)
            base = _fixed_part(root)
            if not found and not fs.isdir(root) and not _has_magic(root):
                raise FileNotFoundError(root)
    except FileNotFoundError:
        raise InputFormatError(f"expected articles at {url}, found nothing there") from None
    except Exception as exc:  # the back end's own errors: credentials, a bucket refused
        raise InputFormatError(f"cannot list {url} ({type(exc).__name__}: {exc})") from None
    files = {}
    for path, info in sorted(found.items()):
        if info.get("type", "file") != "file":
            continue
        inside = posixpath.relpath(path, base) if base else path
        if any(part.startswith(".") for part in inside.split("/")):
            continue
        files[path] = info
    paths, keys, problems = [], {}, []
    for path, info in files.items():
        name = posixpath.basename(path)
        if name.endswith(".meta.json") or name in ignore:
            continue
        stem, suffix = split_suffix(path)
        where = fs.unstrip_protocol(path)
        if suffix.lower() not in suffixes:
            problems.append(
                Problem(
                    where,
                    f"unsupported file type {suffix or '(none)'!r}; expected {', '.join(suffixes)}",
                )
            )
            continue
        side = files.get(f"{stem}.meta.json")
        paths.append(where)
        keys[where] = f"{where}|{_stamp(info)}|{_stamp(side) if side else '-'}"
    return Listing(paths, problems, keys)


def _has_magic(path: str) -> bool:
    return any(c in path for c in "*?[")


def _fixed_part(path: str) -> str:
    """The folder a glob starts from (``bucket/news`` of ``bucket/news/*/*.jsonl``)."""
    if not _has_magic(path):
        return path
    parts = path.split("/")
    first = next(i for i, part in enumerate(parts) if _has_magic(part))
    return "/".join(parts[:first])


def url_key(url: str, sidecar: str) -> str:
    """A file's key as ``list_url`` gives it, from its state and its ``sidecar``'s now."""
    parts = []
    for one in (url, sidecar):
        fs, path = _filesystem(one)
        try:
            parts.append(_stamp(fs.info(path)))
        except Exception:  # none there, or none to be read now: read again, and said then
            parts.append("-")
    return f"{url}|{'|'.join(parts)}"


def open_url(url: str) -> IO[bytes]:
    """The file at ``url``, opened for reading bytes; what the back end raises is an
    ArticleError with the URL and why."""
    fs, path = _filesystem(url)
    return _reading(url, lambda: fs.open(path, "rb"))


def read_optional(url: str) -> bytes | None:
    """The bytes of the file at ``url``, or None when there is none."""
    fs, path = _filesystem(url)
    try:
        return _reading(url, lambda: fs.cat_file(path))
    except ArticleError as exc:
        if exc.reason.startswith("no such file"):
            return None
        raise


def _reading(url: str, call):
    try:
        return call()
    except FileNotFoundError:
        raise ArticleError(url, "no such file") from None
    except Exception as exc:  # a network or permission error of the back end
        raise ArticleError(url, f"cannot read ({type(exc).__name__}: {exc})") from None
