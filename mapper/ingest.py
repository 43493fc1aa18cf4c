"""Files → Article records: formats, encodings, metadata, ids. No language processing."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ArticleError, InputFormatError
from .types import Article

__all__ = [
    "MAX_BYTES",
    "Listing",
    "Problem",
    "article_from_json",
    "file_key",
    "iter_jsonl",
    "jsonl_records",
    "list_files",
    "list_folder",
    "parse_date",
    "parse_dateline",
    "read_article",
    "read_file",
    "read_folder",
    "read_html",
    "read_paths",
]

MAX_BYTES = 5_000_000  # a news article is far smaller; bigger files are reported, not read
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".xml", ".rss", ".atom")
META_FIELDS = ("title", "url", "source", "published", "dateline")

# "ISLAMABAD (AP) —", "KABUL, Afghanistan (AP) —", "PESHAWAR, Pakistan, Nov 9 (Reuters) -"
_DATELINE = re.compile(
    r"""^\s*(?P<place>[A-Z][A-Z.'’\- ]{1,40}?)
        (?:,\s*(?P<region>[A-Z][A-Za-z.'’\- ]{1,40}?))?
        (?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?
        \s*(?:\((?P<agency>[A-Za-z.&/ ]{1,30})\))?
        \s*[—–-]{1,2}\s+""",
    re.VERBOSE,
)
_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<body>.*?)\n---\s*\n", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be used (or, ``skipped=False``, was used with a caveat)."""

    path: str
    reason: str
    skipped: bool = True


# Words every English news text is full of; other languages hardly use them.
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "was",
        "were",
        "for",
        "on",
        "that",
        "with",
        "by",
        "said",
        "at",
        "as",
        "from",
        "has",
        "have",
        "had",
        "it",
        "its",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "be",
        "been",
        "are",
        "an",
        "or",
        "but",
        "not",
        "this",
        "which",
        "who",
        "after",
    ]
)
_ENGLISH_MIN = 0.08  # English news: 0.25 and more; French, Urdu in Latin script: under 0.05
_WORDS = re.compile(r"[^\W\d_]+")


def english_share(text: str) -> float | None:
    """The share of common English words among the first 400 words; None for a short text."""
    words = [w.lower() for w in _WORDS.findall(text[:5000])][:400]
    if len(words) < 30:
        return None
    return sum(w in _ENGLISH for w in words) / len(words)


def parse_date(value: object, *, where: str) -> dt.date | None:
    """An ISO date (or datetime) from metadata; anything else is an error naming ``where``."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InputFormatError(
            f"{where}: expected 'published' as an ISO date like 2025-11-10, got {text!r}"
        ) from None


def parse_dateline(text: str) -> tuple[str | None, str | None]:
    """The dateline place and agency of a wire story, e.g. ("ISLAMABAD", "AP")."""
    match = _DATELINE.match(text[:200])
    if not match:
        return None, None
    place = match.group("place").strip(" .")
    # All-caps place names only: "Pakistani security forces —" is not a dateline.
    if not place.replace(" ", "").replace("-", "").replace(".", "").isupper():
        return None, None
    return place.title() if place.isupper() else place, match.group("agency")


def _front_matter(text: str, *, where: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group("body").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise InputFormatError(f"{where}: front matter line {line!r} is not 'key: value'")
        meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def _sidecar(path: Path) -> dict:
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.exists():
        return {}
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFormatError(f"{meta_path}: expected a JSON object of metadata ({exc})") from None
    if not isinstance(data, dict):
        raise InputFormatError(f"{meta_path}: expected a JSON object, got {type(data).__name__}")
    return data


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


def read_article(path: Path) -> Article:
    """Read one ``.txt`` article with its front matter or sidecar ``NAME.meta.json``."""
    where = display_path(path)
    text, warning = _decode(_raw(path), where)
    front, body = _front_matter(text, where=where)
    meta = {**_sidecar(path), **front}
    article = _make_article(body, meta, path=where)
    return replace(article, warnings=(warning,)) if warning else article


def _make_article(text: str, meta: dict, *, path: str, article_id: str | None = None) -> Article:
    text = text.strip("\n")
    if not text.strip():
        raise ArticleError(path, "no article text")
    share = english_share(text)
    if share is not None and share < _ENGLISH_MIN:
        raise ArticleError(
            path,
            f"not English ({share:.0%} of its words are common English words; mapper reads"
            " English)",
        )
    dateline, agency = parse_dateline(text)
    return Article(
        id=article_id or Article.content_id(text),
        text=text,
        path=path,
        title=_str_or_none(meta.get("title")),
        url=_str_or_none(meta.get("url")),
        source=_str_or_none(meta.get("source")) or agency,
        published=parse_date(meta.get("published"), where=path),
        dateline=_str_or_none(meta.get("dateline")) or dateline,
    )


def _str_or_none(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def article_from_json(record: dict, *, where: str) -> Article:
    """An Article from one JSON-lines record ``{"id", "text", "published"?, "source"?, "url"?}``."""
    text = record.get("text")
    if not isinstance(text, str):
        raise InputFormatError(
            f"{where}: expected a string field 'text', got {type(text).__name__}"
        )
    meta = {k: record.get(k) for k in META_FIELDS}
    rid = record.get("id")
    return _make_article(text, meta, path=where, article_id=str(rid) if rid is not None else None)


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


def file_key(path: Path | str) -> str:
    """What identifies a file's state without reading it: size and time of it and its sidecar."""
    parts = []
    for p in (str(path), _sidecar_path(str(path))):
        try:
            stat = os.stat(p)
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except FileNotFoundError:
            parts.append("-")
    return f"{display_path(path)}|{'|'.join(parts)}"


def _sidecar_path(path: str) -> str:
    return f"{path[: len(path) - len(_suffix(path))]}.meta.json"


def _suffix(path: str) -> str:
    """``Path(path).suffix`` without making a Path (thousands of files)."""
    dot, start = path.rfind("."), path.rfind(os.sep) + 1
    return path[dot:] if start < dot < len(path) - 1 else ""


def list_folder(folder: Path, *, ignore: tuple[str, ...] = ()) -> tuple[list[Path], list[Problem]]:
    """The article files under ``folder`` (sorted) and the files of a type mapper cannot read;
    files named in ``ignore`` (the corrections file) are neither."""
    listing = list_files(folder, ignore=ignore)
    return [Path(p) for p in listing.paths], listing.problems


@dataclass(frozen=True, slots=True)
class Listing:
    """``list_folder`` with the paths as strings, and each one's ``file_key``."""

    paths: list[str]
    problems: list[Problem]
    keys: dict[str, str]


def list_files(folder: Path, *, ignore: tuple[str, ...] = ()) -> Listing:
    """Every article file under ``folder`` in one pass, with its ``file_key``; every other
    entry (a file of another type, a folder that cannot be read, a link that is broken or
    loops, a named pipe or socket) is a Problem with its path and why. Hidden entries (names
    starting with ".") and files named in ``ignore`` (the corrections file) are neither."""
    if not folder.is_dir():
        raise InputFormatError(f"expected a folder of articles at {folder}, found none")
    problems: list[Problem] = []
    try:
        top = os.stat(folder)
    except OSError as exc:
        raise InputFormatError(f"cannot read the folder {folder}: {exc.strerror or exc}") from None
    files = _walk(str(folder), problems, {(top.st_dev, top.st_ino)})
    stamps = {where: stamp for _, where, stamp in files}
    paths, keys = [], {}
    for name, where, stamp in files:
        if name.endswith(".meta.json") or name in ignore:
            continue
        suffix = _suffix(name)
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
) -> list[tuple[str, str, str]]:
    """(name, path, size:mtime) of every regular file under ``folder``, in path order (a
    folder's files come where its name sorts), listed with ``os.scandir``: thousands of files
    cost one ``stat`` call each and no Path. Links are followed; a folder reached twice (a
    link loop) is read once. Nothing is opened here: a named pipe would block a read."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        problems.append(
            Problem(display_path(folder), f"cannot read this folder ({exc.strerror or exc})")
        )
        return []
    found = []
    for entry in entries:
        if entry.name.startswith("."):  # .DS_Store, .git, editors' swap files
            continue
        try:
            info = entry.stat()  # through links
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                reason = "a link that leads back to itself (a link loop)"
            elif entry.is_symlink():
                reason = "a broken link (what it points to does not exist)"
            else:
                reason = f"cannot read ({exc.strerror or exc})"
            problems.append(Problem(display_path(entry.path), reason))
            continue
        if stat.S_ISDIR(info.st_mode):
            if (info.st_dev, info.st_ino) in seen:
                problems.append(
                    Problem(display_path(entry.path), "a link to a folder read already (a loop)")
                )
                continue
            seen.add((info.st_dev, info.st_ino))
            found += _walk(entry.path, problems, seen)
        elif stat.S_ISREG(info.st_mode):
            found.append((entry.name, entry.path, f"{info.st_size}:{info.st_mtime_ns}"))
        else:
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            problems.append(
                Problem(display_path(entry.path), f"{kind}, not an article file: not read")
            )
    return found


def _raw(path: Path) -> bytes:
    where = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ArticleError(where, f"too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        return path.read_bytes()
    except OSError as exc:
        raise ArticleError(where, f"cannot read ({exc.strerror or exc})") from None


def read_html(path: Path) -> Article:
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
    meta = {**{k: v for k, v in meta.items() if v}, **_sidecar(path)}
    article = _make_article(data["text"], meta, path=where)
    return replace(article, warnings=(warning,)) if warning else article


def _entries_jsonl(path: Path) -> tuple[list[Article], list[Problem]]:
    text, warning = _decode(_raw(path), display_path(path))
    articles, problems = (
        [],
        [Problem(display_path(path), warning, skipped=False)] if warning else [],
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{display_path(path)}, line {number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise InputFormatError(
                    f"{where}: expected a JSON object, got {type(record).__name__}"
                )
            articles.append(
                replace(
                    article_from_json(record, where=where), path=f"{display_path(path)}#{number}"
                )
            )
        except json.JSONDecodeError as exc:
            problems.append(Problem(where, f"expected a JSON object ({exc.msg})"))
        except (ArticleError, InputFormatError) as exc:
            problems.append(
                Problem(where, exc.reason if isinstance(exc, ArticleError) else str(exc))
            )
    return articles, problems


def _entries_feed(path: Path) -> tuple[list[Article], list[Problem]]:
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
                replace(
                    _make_article(text, meta, path=where), path=f"{display_path(path)}#{number}"
                )
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


def read_file(path: Path) -> tuple[list[Article], list[Problem]]:
    """The articles a file holds (one for .txt and .html, many for .jsonl and feeds) and what
    went wrong, with the path (and line or entry) and why."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            return _entries_jsonl(path)
        if suffix in (".xml", ".rss", ".atom"):
            return _entries_feed(path)
        article = read_html(path) if suffix in (".html", ".htm") else read_article(path)
        return [article], [Problem(display_path(path), w, skipped=False) for w in article.warnings]
    except (ArticleError, InputFormatError) as exc:
        return [], [
            Problem(display_path(path), exc.reason if isinstance(exc, ArticleError) else str(exc))
        ]


def read_paths(paths: Iterable[Path]) -> tuple[list[Article], list[Problem]]:
    """Read articles; a file that cannot be used becomes a Problem, the others go on."""
    articles, problems = [], []
    for path in paths:
        found, trouble = read_file(path)
        articles.extend(found)
        problems.extend(trouble)
    return articles, problems


def read_folder(folder: Path) -> tuple[list[Article], list[Problem]]:
    """Every article under ``folder`` (sorted by path) and the files that could not be used."""
    paths, problems = list_folder(folder)
    articles, unreadable = read_paths(paths)
    return articles, problems + unreadable
