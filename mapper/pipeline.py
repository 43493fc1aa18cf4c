"""Wires the stages: ingest → recognise → resolve → extract → export/render. No domain logic."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from . import events as _events
from . import export, ingest, render, resolve, toponyms
from .corrections import CORRECTIONS_FILE, Corrections, load_corrections
from .gazetteer import Gazetteer
from .merge import block_of, footprint, merge_clusters, stale
from .models import Article, Event, Mention
from .store import EventStore, Merged, extractor_version

__all__ = ["BuildResult", "Events", "Pipeline"]


class Events(Sequence[Event]):
    """A build's merged events, in export order, made into ``Event`` objects on first use
    (thousands of them cost a tenth of a second, which a rebuild that only counts them
    saves). Given as their records' values (``export.RECORD_FIELDS``)."""

    def __init__(self, rows: list[list]) -> None:
        self._rows = rows
        self._events: tuple[Event, ...] | None = None

    def _all(self) -> tuple[Event, ...]:
        if self._events is None:
            names = export.RECORD_FIELDS
            self._events = tuple(
                Event.from_record(dict(zip(names, r, strict=True))) for r in self._rows
            )
        return self._events

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):  # an int or a slice, as for a tuple
        return self._all()[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self._all() == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # compared by content, like a list

    def __repr__(self) -> str:
        return f"Events({list(self._all())!r})"


@dataclass(frozen=True, slots=True)
class BuildResult:
    articles: int
    events: Events
    problems: tuple[ingest.Problem, ...]
    unresolved: tuple[str, ...]
    map_path: Path
    seconds: float
    read: int = 0  # articles read this time (the others came from the event store)


class Pipeline:
    """The whole chain over one gazetteer; cheap to call per article once built."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def geoparse(self, text: str, *, dateline: str | None = None) -> list[Mention]:
        """Place names found in ``text`` and resolved."""
        lookup = self.gazetteer.candidates
        found = toponyms.recognise(text, lookup)
        return resolve.resolve(found, lookup, dateline=dateline, text=text)

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Mention]:
        """Resolve exactly the given ``[start, end)`` spans (gold-span evaluation)."""
        gazetteer = self.gazetteer

        def lookup(name: str):
            # A given span may carry a type word or a small misspelling ("Karak district").
            return gazetteer.candidates(name) or gazetteer.search(name)

        given = [Mention(text[s:e], s, e, hint=toponyms.type_hint(text, s, e)) for s, e in spans]
        # The article's other names still give context.
        context = [
            m
            for m in toponyms.recognise(text, gazetteer.candidates)
            if not any(m.start < e and s < m.end for s, e in spans)
        ]
        resolved = resolve.resolve([*given, *context], lookup, text=text)
        return resolve.by_context(resolved[: len(given)], resolved[len(given) :])

    def extract(self, article: Article) -> _events.Extraction:
        mentions = self.geoparse(article.text, dateline=article.dateline)
        unknown = toponyms.unknown_mentions(article.text, mentions)
        return _events.extract(article, [*mentions, *unknown])

    def build(self, seeds: Path, out: Path, *, assets: str = "inline") -> BuildResult:
        """Read the articles in ``seeds`` and write the map and exports to ``out``.

        Only new or changed articles are read again: the others' events come from the event
        store in ``out`` (kept while neither the code nor the gazetteer changes), and only the
        merged events near the changed ones are merged again. Outputs are written atomically,
        and only when their content changed.
        """
        started = time.perf_counter()
        listing = ingest.list_files(seeds, ignore=(CORRECTIONS_FILE,))
        paths, problems, keys = listing.paths, list(listing.problems), listing.keys
        corrections = load_corrections(seeds, self.gazetteer.lookup)
        version = _version(self.gazetteer) + corrections.digest
        store = EventStore(out)
        try:
            with store.locked():
                # Files unchanged since the last build are not even read again.
                seen = store.known_files()
                known = store.versions()
                by_file: dict[str, list[Article]] = {}
                read: dict[str, list[Article]] = {}  # by file key
                fresh = 0
                for path in paths:
                    stubs = seen.get(keys[path])
                    if stubs is not None and all(
                        known.get(a.id) == _stamp(version, a) for a in stubs
                    ):
                        # Unchanged since the last build and extracted by this very code.
                        by_file[path] = stubs
                        problems += [
                            ingest.Problem(a.path, w, skipped=False)
                            for a in stubs
                            for w in a.warnings
                        ]
                        continue
                    found, trouble = ingest.read_file(Path(path))
                    problems += trouble
                    by_file[path] = read[keys[path]] = found
                    for article in found:
                        stamp = _stamp(version, article)
                        if known.get(article.id) == stamp:
                            continue
                        mentions = self.geoparse(article.text, dateline=article.dateline)
                        mentions = _corrected(mentions, article, corrections)
                        unknown = toponyms.unknown_mentions(article.text, mentions)
                        events = _events.extract(article, [*mentions, *unknown]).events
                        located = [(e, footprint(e)) for e in events]
                        store.save(article, located, (m.text for m in unknown), stamp)
                        known[article.id] = stamp
                        fresh += 1
                store.update_files(gone=seen.keys() - set(keys.values()), read=read)
                articles = [a for p in paths for a in by_file[p]]
                store.keep_only(a.id for a in articles)
                _remerge(store, articles, corrections.suppressed)
                merged = store.merged()
                unresolved = store.unknown()
                result = self._write(out, articles, problems, merged, unresolved, assets)
        finally:
            store.close()
        return BuildResult(
            articles=len(articles),
            events=result[0],
            problems=tuple(problems),
            unresolved=tuple(sorted(unresolved)),
            map_path=result[1],
            seconds=time.perf_counter() - started,
            read=fresh,
        )

    def _write(self, out, articles, problems, merged, unresolved, assets):
        """Write the exports from the merged events' stored texts, and the map."""
        rows = [json.loads(values) for _, _, values in merged]
        frame = export.frame_from_values(rows)
        field = {name: i for i, name in enumerate(export.RECORD_FIELDS)}
        date, lat, toll = field["event_date"], field["latitude"], field["fatalities"]
        dated = [r[date] for r in rows if r[date]]
        summary = {
            "events": len(frame),
            "fatalities": int(sum(r[toll] or 0 for r in rows if r[lat] is not None)),
            "articles": len(articles),
            "problems": sum(p.skipped for p in problems),
            "first": min(dated) if dated else None,
            "last": max(dated) if dated else None,
            "unresolved": sorted(unresolved)[:200],
        }
        html = render.render_map(frame, summary=summary, assets=assets)
        features = (f for f, _, _ in merged if f is not None)
        export.atomic_write(out / "events.geojson", export.geojson_join(features))
        export.atomic_write(out / "events.csv", export.csv_join(row for _, row, _ in merged))
        map_path = out / "map.html"
        export.atomic_write(map_path, html)
        export.atomic_write(out / "report.txt", _report(problems, unresolved))
        return Events(rows), map_path


def _remerge(store: EventStore, articles: Sequence[Article], suppressed: frozenset[str]) -> None:
    """Merge again the events chained to the reports added or removed since the last build,
    and store them with their export texts. Every removed report is marked dirty, so the merged
    events it started are dropped here."""
    dirty = store.dirty()
    if not dirty:
        return
    before = store.widths()
    drop: set[tuple[str, int]] = set()
    widths, wanted = {}, set()
    for block, seeds in dirty.items():
        widths[block] = store.width(block)
        keys = stale(
            seeds,
            span=widths[block],
            before=before.get(block),
            places=store.places(block),
            at=partial(store.at, block),
            everything=partial(store.keys, block),
        )
        drop |= keys | {k for k, _ in seeds}
        wanted |= keys
    reports = [(k, e) for k, e in store.reports(wanted) if e.event_id not in suppressed]
    key_of = {id(e): k for k, e in reports}
    rows = []
    for first, event in merge_clusters([e for _, e in reports], articles):
        feature, row, record = export.texts(event)
        rows.append(
            Merged(
                key_of[id(first)],
                block_of(event),
                event.event_date or "",
                event.event_id,
                feature,
                row,
                record,
            )
        )
    store.replace_merged(drop=drop, rows=rows, widths=widths)


def _stamp(version: str, article: Article) -> str:
    """What an article's events depend on besides its text: the extractor and its metadata
    (a new publication date moves "on Sunday"; a new source changes the events' source)."""
    return f"{version}|{article.published}|{article.source}|{article.url}"


def _corrected(
    mentions: list[Mention], article: Article, corrections: Corrections
) -> list[Mention]:
    """The reviewer's places replace the resolver's choice for the names they name."""
    out = []
    for m in mentions:
        place = corrections.place_for(article, m.text)
        out.append(replace(m, place=place, confidence=1.0) if place is not None else m)
    return out


def _report(problems, unresolved) -> str:
    """What a reviewer should look at: files not read (and why), caveats, unknown names."""
    lines = ["# mapper build report", ""]
    skipped = [p for p in problems if p.skipped]
    warned = [p for p in problems if not p.skipped]
    lines.append(f"## Files not read ({len(skipped)})")
    lines += [f"- {p.path}: {p.reason}" for p in sorted(skipped, key=lambda p: p.path)]
    lines += ["", f"## Files read with a warning ({len(warned)})"]
    lines += [f"- {p.path}: {p.reason}" for p in sorted(warned, key=lambda p: p.path)]
    lines += ["", f"## Place names the gazetteer does not know ({len(unresolved)})"]
    lines += [f"- {name}" for name in sorted(unresolved)]
    return "\n".join(lines) + "\n"


def _version(gazetteer: Gazetteer) -> str:
    """The extractor version: mapper's code and tables, and the gazetteer's state."""
    return extractor_version(gazetteer.state())
