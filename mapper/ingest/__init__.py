"""Files → Article records: formats, encodings, metadata, ids. No language processing.

``list_files`` lists a folder's article files (``listing``); ``read_file`` reads one into its
articles (``formats``), with what the article says about itself (``meta``).
"""

from ..types import Problem
from .formats import (
    MAX_BYTES,
    article_from_json,
    iter_jsonl,
    jsonl_records,
    read_article,
    read_file,
    read_html,
)
from .listing import ARTICLE_SUFFIXES, Listing, display_path, file_key, list_files
from .meta import english_share, parse_date, parse_dateline
from .remote import is_url, read_optional

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_BYTES",
    "Listing",
    "Problem",
    "article_from_json",
    "display_path",
    "english_share",
    "file_key",
    "is_url",
    "iter_jsonl",
    "jsonl_records",
    "list_files",
    "parse_date",
    "parse_dateline",
    "read_article",
    "read_file",
    "read_html",
    "read_optional",
]
