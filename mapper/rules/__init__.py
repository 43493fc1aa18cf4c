"""The rules mapper reads news by, kept as data beside this module: word lists (``.txt``) and
tables (``.tsv``) with a header that says what each column means.

- ``triggers.tsv``, ``actors.tsv``, ``totals.tsv``: the words that name events, actors and
  totals, a row each;
- ``events.tsv``, ``tolls.tsv``, ``names.tsv``, ``dates.tsv``: named patterns (a regular
  expression a row, with its flags and why it is there), read with :func:`patterns`;
- ``stopwords.txt``, ``abbreviations.txt``: word lists;
- ``ranker.tsv``, ``confidence.tsv``: weights fitted on gold data by the scripts in ``bench/``
  (:func:`write_weights`), never set by hand.

Lines starting with "#" are comments. Every file is read once per process.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import MapperError

__all__ = ["RuleError", "lines", "patterns", "table", "words", "write_weights"]


class RuleError(MapperError, ValueError):
    """A rule table is not in the expected shape."""


_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}
_REFERENCE = re.compile(r"\{\{(?:(\w+):)?(\w+)\}\}")


@cache
def lines(name: str) -> tuple[str, ...]:
    """The lines of the rule file ``name`` that are neither blank nor comments.

    >>> "the" in " ".join(lines("stopwords.txt")).split()
    True
    """
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return tuple(x for x in text.splitlines() if x.strip() and not x.startswith("#"))


@cache
def words(name: str) -> frozenset[str]:
    """The words of the word list ``name`` (several a line; "#" starts a comment).

    >>> "the" in words("stopwords.txt")
    True
    """
    out: set[str] = set()
    for line in lines(name):
        out.update(line.split("#", 1)[0].split())
    return frozenset(out)


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the tab-separated table ``name``, as dicts by its header.

    >>> table("triggers.tsv")[0]["event_type"]
    'Explosions/Remote violence'
    """
    rows = csv.DictReader(lines(name), delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple(rows)


@cache
def patterns(name: str) -> Mapping[str, re.Pattern]:
    """The named patterns of the table ``name`` (columns name, flags, pattern, why), compiled.
    ``{{other}}`` in a pattern stands for the pattern of an earlier row named ``other``;
    ``{{tolls:person}}``, for the row ``person`` of ``tolls.tsv``.

    >>> bool(patterns("tolls.tsv")["kill"].search("two people were killed"))
    True
    """
    raw: dict[str, str] = {}
    out: dict[str, re.Pattern] = {}
    for number, row in enumerate(table(name), start=2):
        key, flags, pattern = row.get("name"), row.get("flags") or "", row.get("pattern")
        if not key or pattern is None or not (row.get("why") or "").strip():
            raise RuleError(
                f"{name}, row {number}: expected a name, a pattern and why it is there, got {row!r}"
            )

        def expand(m: re.Match, number: int = number) -> str:
            other, ref = m.groups()
            if other is not None:
                return patterns(f"{other}.tsv")[ref].pattern
            if ref not in raw:
                raise RuleError(f"{name}, row {number}: {{{{{ref}}}}} names no earlier row")
            return raw[ref]

        raw[key] = _REFERENCE.sub(expand, pattern)
        try:
            mode = 0
            for flag in flags:
                mode |= _FLAGS[flag]
            out[key] = re.compile(raw[key], mode)
        except (KeyError, re.error) as exc:
            raise RuleError(f"{name}, row {number} ({key}): {exc}") from None
    return out


def write_weights(name: str, comment: Sequence[str], weights: Iterable[tuple[str, float]]) -> Path:
    """Write a table of fitted weights (columns ``feature``, ``weight``) into this folder, under
    ``comment`` lines that say what fitted them; return its path. For the fitting scripts in
    ``bench/``: the checkout's rules are written, never an installed copy."""
    target = Path(__file__).resolve().parent / name
    rows = [*(f"# {line}" for line in comment), "feature\tweight"]
    rows += [f"{feature}\t{weight:.4f}" for feature, weight in weights]
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target
