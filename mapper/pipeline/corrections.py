"""A reviewer's corrections, applied on every build: ``corrections.tsv`` in the seeds folder.

Tab-separated, ``#`` comments, columns ``action``, ``article``, ``target``, ``value``, ``note``:

- ``place``: in ``article`` (a file name, an article id, or ``*`` for every article), the name
  ``target`` means the place ``value`` ("Lakki Marwat|PK": a gazetteer name and country).
- ``suppress``: drop the event whose ``event_id`` is ``target`` (``article`` may be ``*``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ArticleError, InputFormatError
from ..ingest import is_url, read_optional
from ..text.names import fold
from ..types import Article, Place

__all__ = ["CORRECTIONS_FILE", "Corrections", "load_corrections"]

CORRECTIONS_FILE = "corrections.tsv"
_COLUMNS = ("action", "article", "target", "value", "note")


@dataclass(frozen=True, slots=True)
class _PlaceRule:
    article: str
    name: str  # folded
    place: Place


@dataclass(frozen=True, slots=True)
class Corrections:
    """A reviewer's corrections (``seeds/corrections.tsv``): places set for names, events
    suppressed."""

    places: tuple[_PlaceRule, ...] = ()
    suppressed: frozenset[str] = field(default_factory=frozenset)
    digest: str = ""  # changes whenever the file does

    def place_for(self, article: Article, name: str) -> Place | None:
        """The place a reviewer set for ``name`` in ``article``, if any."""
        folded = fold(name)
        file_name = Path(article.path.split("#", 1)[0]).name
        for rule in self.places:
            if rule.name == folded and rule.article in ("*", article.id, file_name):
                return rule.place
        return None


def load_corrections(folder: Path | str, lookup) -> Corrections:
    """Read ``folder/corrections.tsv``, ``folder`` a local folder or the URL of one (none, or
    articles given as one file or a glob: no corrections). ``lookup(name, country=…)``
    returns gazetteer places, best first."""
    path, raw = _corrections_file(folder)
    if raw is None:
        return Corrections()
    lines = [
        (n, line)
        for n, line in enumerate(raw.decode("utf-8").splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    places, suppressed = [], set()
    for number, line in lines:
        cells = (line.split("\t") + [""] * 5)[:5]
        row = dict(zip(_COLUMNS, (c.strip() for c in cells), strict=True))
        where = f"{path}, line {number}"
        if row["action"] == "action":  # a header line
            continue
        if row["action"] == "suppress":
            if not row["target"]:
                raise InputFormatError(
                    f"{where}: 'suppress' needs an event_id in the target column"
                )
            suppressed.add(row["target"])
        elif row["action"] == "place":
            name, _, country = row["value"].partition("|")
            if not (row["target"] and name):
                raise InputFormatError(
                    f"{where}: 'place' needs a target name and a value such as 'Kabul|AF'"
                )
            found = lookup(name.strip(), country=country.strip() or None)
            if not found:
                raise InputFormatError(f"{where}: the gazetteer has no place {row['value']!r}")
            places.append(_PlaceRule(row["article"] or "*", fold(row["target"]), found[0]))
        else:
            raise InputFormatError(
                f"{where}: expected the action 'place' or 'suppress', got {row['action']!r}"
            )
    return Corrections(tuple(places), frozenset(suppressed), hashlib.sha256(raw).hexdigest()[:16])


def _corrections_file(folder: Path | str) -> tuple[Path | str, bytes | None]:
    """Where the corrections file of ``folder`` is, and its bytes (None: there is none)."""
    if not is_url(folder):
        path = Path(folder) / CORRECTIONS_FILE
        return path, path.read_bytes() if path.is_file() else None
    url = f"{str(folder).rstrip('/')}/{CORRECTIONS_FILE}"
    try:
        return url, read_optional(url)  # none at a glob's or a file's URL either
    except ArticleError as exc:
        raise InputFormatError(
            f"{exc.path}: expected a readable corrections file ({exc.reason})"
        ) from None
