"""What an article says about itself: metadata from front matter or a sidecar
``NAME.meta.json``, a wire dateline ("ISLAMABAD (AP) —"), a publication date, and whether it
is in English.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from ..errors import ArticleError, InputFormatError
from ..types import Article
from . import remote
from .listing import sidecar_path

__all__ = [
    "META_FIELDS",
    "english_share",
    "front_matter",
    "make_article",
    "parse_date",
    "parse_dateline",
    "sidecar",
]


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
    """The dateline place and agency of a wire story, e.g. ("ISLAMABAD", "AP"): at the start
    of the text, or of its first paragraph after a headline."""
    match = _DATELINE.match(text[:200])
    if not match:
        headline, gap, rest = text[:400].lstrip().partition("\n")
        body = rest.lstrip("\n")
        if not gap or not headline.strip() or headline.rstrip().endswith((".", ":")):
            return None, None
        match = _DATELINE.match(body[:200])
        if not match:
            return None, None
    place = match.group("place").strip(" .")
    # All-caps place names only: "Pakistani security forces —" is not a dateline.
    if not place.replace(" ", "").replace("-", "").replace(".", "").isupper():
        return None, None
    return place.title() if place.isupper() else place, match.group("agency")


def front_matter(text: str, *, where: str) -> tuple[dict, str]:
    """The ``key: value`` pairs between ``---`` lines at the top of a text, and the text
    after them."""
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


def sidecar(path: Path | str) -> dict:
    """The metadata of ``NAME.meta.json`` beside ``path`` (a local path or a URL), if there
    is one."""
    meta_path = sidecar_path(str(path))
    try:
        if remote.is_url(meta_path):
            raw = remote.read_optional(meta_path)
        else:
            raw = Path(meta_path).read_bytes() if os.path.exists(meta_path) else None
        if raw is None:
            return {}
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ArticleError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFormatError(f"{meta_path}: expected a JSON object of metadata ({exc})") from None
    if not isinstance(data, dict):
        raise InputFormatError(f"{meta_path}: expected a JSON object, got {type(data).__name__}")
    return data


def make_article(text: str, meta: dict, *, path: str, article_id: str | None = None) -> Article:
    """An Article from text and metadata: its dateline read, refused when empty or not English."""
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
