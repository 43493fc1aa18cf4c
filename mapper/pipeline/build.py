"""Wires the stages: ingest → recognise → resolve → extract → export/render. No domain logic."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from .. import events as _events
from .. import ingest
from ..budget import DEFAULT_BUDGET, time_budget
from ..gazetteer import Gazetteer
from ..gazetteer.rank import order
from ..geoparse import focus, recognise, resolve, villages
from ..output import export, page
from ..types import Article, Event, Mention, Place
from . import shards
from .corrections import CORRECTIONS_FILE, Corrections, load_corrections
from .distribute import Cluster, Job, extract_one, read_and_extract
from .memory import release_memory
from .merge import block_of, merge_clusters, stale
from .store import (
    MAX_SHARDS,
    BlockQuery,
    EventStore,
    Kept,
    Key,
    Merged,
    Reports,
    extractor_version,
    stamp,
    store_error,
)

__all__ = ["BuildResult", "Events", "Pipeline", "merged_rows"]

# Articles saved to the event store in one transaction: a commit per article would cost
# about as much as extracting a short one; a build killed mid-way reads a batch again. At
# 100,000 articles, saves took 21 s in batches of 64 and 12 s in batches of 1,024 (each commit
# writes the index pages its batch touched, and random ids touch many).
SAVE_BATCH = 1_024


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
    """What a build did: the articles mapped, their merged events, what could not be used, and where
    the map is."""

    articles: int
    events: Events
    problems: tuple[ingest.Problem, ...]
    unresolved: tuple[str, ...]
    map_path: Path
    seconds: float
    read: int = 0  # articles read this time (the others came from the event store)
    totals: int = 0  # tolls set aside as totals of other events (listed in the report)


class Pipeline:
    """The whole chain over one gazetteer; cheap to call per article once built.

    ``budget`` is the time one article may take (seconds; None: no limit). An article that
    takes longer is left out with a reason, and the others go on.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        budget: float | None = DEFAULT_BUDGET,
        ranker: resolve.Ranker | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.budget = budget
        self.ranker = ranker or resolve.fitted()

    def geoparse(
        self, text: str, *, dateline: str | None = None, trace: resolve.Trace | None = None
    ) -> list[Mention]:
        """Place names found in ``text`` and resolved; ``trace`` receives what the ranker saw
        of each name (``resolve.resolve``)."""
        with time_budget(self.budget):
            return self._geoparse(text, dateline=dateline, trace=trace)

    def _geoparse(
        self, text: str, *, dateline: str | None = None, trace: resolve.Trace | None = None
    ) -> list[Mention]:
        lookup = self.gazetteer.candidates
        found = recognise.recognise(text, lookup, prefetch=self.gazetteer.prefetch)
        resolved = resolve.resolve(
            found, lookup, dateline=dateline, text=text, ranker=self.ranker, trace=trace
        )
        home = self._place_of(dateline)
        resolved = villages.home_villages(resolved, self.gazetteer.villages, dateline=home)
        resolved = villages.district_towns(resolved, self.gazetteer.villages)
        resolved = focus.lone_namesakes(resolved, dateline=home)
        # Names in a place's position that the main index lacks, at villages of the story's
        # countries where the text settles which.
        placed = [m for m in resolved if m.place is not None]
        unknown = recognise.unknown_mentions(text, placed)
        if not unknown:
            return resolved
        at_villages = [
            m
            for m in villages.place_villages(
                unknown, placed, self.gazetteer.villages, dateline=home
            )
            if m.place is not None
        ]
        return sorted([*resolved, *at_villages], key=lambda m: m.start) if at_villages else resolved

    def _place_of(self, dateline: str | None) -> Place | None:
        found = self.gazetteer.candidates(dateline) if dateline else ()
        return found[0].place if found else None

    def resolve_spans(
        self,
        text: str,
        spans: Sequence[tuple[int, int]],
        *,
        trace: resolve.Trace | None = None,
    ) -> list[Mention]:
        """Resolve exactly the given ``[start, end)`` spans (gold-span evaluation); ``trace``
        receives what the ranker saw of each name (``resolve.resolve``)."""
        gazetteer = self.gazetteer
        given = [Mention(text[s:e], s, e, hint=recognise.type_hint(text, s, e)) for s, e in spans]
        with time_budget(self.budget):
            # The article's other names still give context.
            context = [
                m
                for m in recognise.recognise(text, gazetteer.candidates)
                if not any(m.start < e and s < m.end for s, e in spans)
            ]
            # The story's countries, from the names known as written, bound the fuzzy matches.
            known = [m for m in given if gazetteer.candidates(m.text)]
            first = resolve.resolve(
                [*known, *context], gazetteer.candidates, text=text, ranker=self.ranker
            )
            countries = villages.story_countries(first)
            lookup = partial(_span_candidates, gazetteer, countries)
            resolved = resolve.resolve(
                [*given, *context], lookup, text=text, ranker=self.ranker, trace=trace
            )
            resolved = focus.lone_namesakes(resolved)
            # A given name the main index lacks may be a village of the story's countries.
            out = resolved[: len(given)]
            missing = [i for i, m in enumerate(out) if m.place is None]
            placed = [m for m in resolved if m.place is not None]
            found = villages.place_villages([out[i] for i in missing], placed, gazetteer.villages)
            for i, m in zip(missing, found, strict=True):
                out[i] = m
        return resolve.by_context(out, resolved[len(given) :])

    def extract(
        self, article: Article, *, corrections: Corrections | None = None
    ) -> _events.Extraction:
        """The events of ``article``, within the time budget, with the reviewer's
        ``corrections`` of places applied."""
        with time_budget(self.budget):
            mentions = self._geoparse(article.text, dateline=article.dateline)
            if corrections is not None:
                mentions = _corrected(mentions, article, corrections)
            # A name left unresolved (a namesake abroad, a part of a town far from it) is, in a
            # place's position, a name the gazetteer lacks.
            placed = [m for m in mentions if m.place is not None]
            unknown = recognise.unknown_mentions(article.text, placed)
            return _events.extract(article, [*mentions, *unknown])

    def build(
        self,
        seeds: Path | str,
        out: Path,
        *,
        assets: str = "inline",
        cluster: Cluster | None = None,
    ) -> BuildResult:
        """Read the articles in ``seeds`` (a folder, one file of articles, or a URL of either
        or a glob: ``ingest.remote``) and write the map and exports to ``out``.

        Only new or changed articles are read again: the others' events come from the event
        store in ``out`` (kept while neither the code nor the gazetteer changes), and only the
        merged events near the changed ones are merged again. Outputs are written atomically,
        and only when their content changed. Nothing in ``seeds`` stops the build: an entry
        that cannot be read, or an article that cannot be finished in its time budget, is
        reported with its path and why, and the map shows the rest. With a ``cluster``
        (``distribute.Cluster``), the articles are extracted on its workers; the outputs are
        the same.
        """
        started = time.perf_counter()
        page.prepare()
        listing = ingest.list_files(seeds, ignore=(CORRECTIONS_FILE,))
        paths, problems, keys = listing.paths, list(listing.problems), listing.keys
        del listing
        corrections = load_corrections(seeds, self.gazetteer.lookup)
        version = _version(self.gazetteer) + corrections.digest
        store = EventStore(out)
        # The workers of a local cluster write what they make to shards beside the store.
        local = cluster is not None and cluster.local
        folder = out / shards.SHARDS_FOLDER
        try:
            with store.locked():
                # (a killed build's shards are removed by the next, on a cluster or not)
                shards.clear(folder, make=local)
                # Files unchanged since the last build are not read again, unless their
                # articles were extracted by other code (checked below, with their copies).
                fresh_places = store.begin(keys[p] for p in paths)
                new = [paths[i] for i in fresh_places]
                known = store.ids()
                reads = (
                    cluster.read(
                        self,
                        new,
                        version=version,
                        known=known,
                        corrections=corrections,
                        keys=keys,
                        shards=folder if local else None,
                    )
                    if cluster is not None
                    else (
                        read_and_extract(
                            self, p, version=version, known=known, corrections=corrections
                        )
                        for p in new
                    )
                )
                saved: set[str] = set()  # the articles extracted this time
                trouble: dict[str, tuple[ingest.Problem, ...]] = {}

                def first_copies() -> Iterator[Kept | shards.Shard | Noted]:
                    # What the new files' new articles yielded as they were read, kept once
                    # per text (the stamps of those found in several files are checked below),
                    # and the files' articles, noted for the next build.
                    for path, found in zip(new, reads, strict=True):
                        if found.problems:
                            trouble[path] = found.problems
                        if found.articles:
                            yield tuple((keys[path], a) for a in found.articles)
                        for one in found.kept:
                            if one.article_id not in saved:
                                saved.add(one.article_id)
                                yield one
                        if found.shard is not None:
                            ids = found.shard.ids
                            skip = frozenset(i for i in ids if i in saved)
                            saved.update(ids)
                            yield replace(found.shard, skip=skip)

                _save(store, first_copies())
                del known
                store.update_files()
                release_memory()
                # What each file gave a reader to know, in path order: what went wrong when
                # it was read now, or the warnings its articles were read with before.
                warned: dict[int, list[ingest.Problem]] = {}
                for place, a in store.listed_warnings():
                    warned.setdefault(place, []).extend(
                        ingest.Problem(a.path, w, skipped=False) for w in a.warnings
                    )
                for place in fresh_places:
                    if paths[place] in trouble:
                        warned[place] = list(trouble[paths[place]])
                    else:
                        warned.pop(place, None)
                for place in sorted(warned):
                    problems += warned[place]
                del warned, fresh_places
                # (the listing is the store's now: a million paths need not stay in memory)
                paths.clear()
                keys.clear()
                new.clear()
                trouble.clear()
                copies = store.copies()

                def jobs() -> Iterator[Job]:
                    # The articles whose events are not those of their text and files as they
                    # are now: found in a file read before by other code, or in several files.
                    done: set[str] = set()
                    for article, key, kept_with in store.listed():
                        group = copies.get(article.id)
                        if group is not None:
                            if article.id in done:
                                continue
                            done.add(article.id)
                        else:
                            group = [article]
                        if kept_with != (now := stamp(version, group)):
                            yield Job(group[0], tuple(group[1:]), now, key)

                again = (
                    cluster.extract(self, jobs(), corrections, shards=folder if local else None)
                    if cluster is not None
                    else (extract_one(self, job, corrections) for job in jobs())
                )

                def noted(items: Iterator[Kept | shards.Shard]) -> Iterator[Kept | shards.Shard]:
                    for item in items:
                        if isinstance(item, shards.Shard):
                            saved.update(item.ids)
                        else:
                            saved.add(item.article_id)
                        yield item

                _save(store, noted(again))
                fresh = len(saved)
                saved.clear()
                problems += [
                    ingest.Problem(
                        c.path,
                        f"the same text as {group[0].path}: read once, its source kept on"
                        " the events as another report",
                        skipped=False,
                    )
                    for group in copies.values()
                    for c in group[1:]
                ]
                copies.clear()
                articles = store.count_listed()
                store.keep_listed()
                _remerge(store, corrections.suppressed, cluster, folder if local else None)
                release_memory()
                problems += [ingest.Problem(path, why) for path, why in store.troubles()]
                unresolved = store.unknown()
                totals = store.totals()
                unplaced = store.unplaced()
                result = self._write(
                    out, articles, problems, store, unresolved, (totals, unplaced), assets
                )
        except sqlite3.Error as exc:
            raise store_error(exc, store.path) from exc
        finally:
            store.close()
            if local:
                shards.clear(folder, make=False)
        return BuildResult(
            articles=articles,
            events=result[0],
            problems=tuple(problems),
            unresolved=tuple(sorted(unresolved)),
            map_path=result[1],
            seconds=time.perf_counter() - started,
            read=fresh,
            totals=len(totals),
        )

    def _write(self, out, articles, problems, store, unresolved, set_aside, assets):
        """Write the exports from the merged events' stored texts, a row at a time, and the
        map."""
        rows = [json.loads(values) for values in store.merged_texts("record")]
        frame = export.frame_from_values(rows)
        field = {name: i for i, name in enumerate(export.RECORD_FIELDS)}
        date, lat, toll = field["event_date"], field["latitude"], field["fatalities"]
        dated = [r[date] for r in rows if r[date]]
        unplaced = [r for r in rows if r[lat] is None]
        summary = {
            "events": len(frame),
            "fatalities": int(sum(r[toll] or 0 for r in rows if r[lat] is not None)),
            # events the exports hold that the map cannot draw: no place was found for them
            "not_drawn": len(unplaced),
            "not_drawn_killed": int(sum(r[toll] or 0 for r in unplaced)),
            "articles": articles,
            "problems": sum(p.skipped for p in problems),
            "first": min(dated) if dated else None,
            "last": max(dated) if dated else None,
            "unresolved": sorted(unresolved)[:200],
        }
        features = store.merged_texts("feature")
        export.atomic_write(out / "events.geojson", export.geojson_pieces(features))
        export.atomic_write(out / "events.csv", export.csv_pieces(store.merged_texts("row")))
        map_path = page.write_map(out, frame, summary=summary, assets=assets)
        export.atomic_write(out / "report.txt", _report(problems, unresolved, *set_aside))
        return Events(rows), map_path


# The articles of a file read, without their texts, by the file's key.
Noted = tuple[tuple[str, Article], ...]


def _save(store: EventStore, items: Iterator[Kept | shards.Shard | Noted]) -> None:
    """Save what articles yielded, given as they come or in shards, and note the files read,
    about ``SAVE_BATCH`` articles a transaction; a shard's file is removed once saved."""
    kept: list[Kept] = []
    taken: list[shards.Shard] = []
    files: list[tuple[str, Article]] = []
    count = 0
    for item in items:
        if isinstance(item, shards.Shard):
            taken.append(item)
            count += len(item.ids)
        elif isinstance(item, tuple):
            files += item
        else:
            kept.append(item)
            count += 1
        # (the files' articles cost little to note, but are not held without end: a build
        # of files whose texts are all known saves none)
        if count >= SAVE_BATCH or len(taken) == MAX_SHARDS or len(files) >= 4 * SAVE_BATCH:
            _save_batch(store, kept, taken, files)
            kept, taken, files, count = [], [], [], 0
    if kept or taken or files:
        _save_batch(store, kept, taken, files)


def _save_batch(
    store: EventStore, kept: list[Kept], taken: list[shards.Shard], files: list
) -> None:
    store.save_all(kept, taken, files=files)
    for shard in taken:
        Path(shard.path).unlink(missing_ok=True)


def _remerge(
    store: EventStore,
    suppressed: frozenset[str],
    cluster: Cluster | None = None,
    folder: Path | None = None,
) -> None:
    """Merge again the events chained to the reports added or removed since the last build,
    and store them with their export texts, a block at a time (a block's merge, its texts
    and its dirty marks in one transaction: a build killed between blocks leaves the rest
    dirty, to be merged by the next). Every removed report is marked dirty, so the merged
    events it started are dropped here. With a ``cluster``, its workers merge the blocks; a
    local cluster's write them to shards in ``folder``."""
    blocks = store.dirty_blocks()
    if not blocks:
        return
    before = store.widths()
    # The workers of a local cluster read each block's reports from the store themselves, and
    # write the merged events to a shard: the driver then never holds a block's records (over
    # 100 MB for the largest block of 100,000 articles) nor its merged events.
    local = cluster is not None and cluster.local and folder is not None

    def work() -> Iterator[tuple[str, int, set, BlockQuery]]:
        for block in blocks:
            seeds = store.dirty(block)
            width = store.width(block)
            if width != before.get(block):  # the whole block is stale (``stale``)
                keys = store.keys(block)
                query = BlockQuery(str(store.path), block)
            else:
                keys = stale(
                    seeds,
                    span=width,
                    before=before.get(block),
                    places=store.places(block),
                    at=partial(store.at, block),
                    everything=partial(store.keys, block),
                )
                query = BlockQuery(str(store.path), block, tuple(sorted(keys)))
            yield block, width, keys | {k for k, _ in seeds}, query

    made: deque = deque()  # what each block sent to merge is, to store its rows

    def inputs() -> Iterator[BlockQuery | Reports]:
        for block, width, drop, query in work():
            made.append((block, width, drop))
            if local:
                yield query
                continue
            yield store.block_records(block) if query.keys is None else store.records(query.keys)

    if local:
        for shard in cluster.merge_queries(inputs(), suppressed, shards=folder):
            block, width, drop = made.popleft()
            store.replace_merged(block, drop=drop, shard=shard, width=width)
            Path(shard.path).unlink(missing_ok=True)
        return
    if cluster is None:
        merged = (merged_rows(records, dates, suppressed) for records, dates in inputs())
    else:
        merged = cluster.merge(inputs(), suppressed)
    for rows in merged:
        block, width, drop = made.popleft()
        store.replace_merged(block, drop=drop, rows=rows, width=width)


def merged_rows(
    records: Sequence[tuple[Key, str]],
    published: dict[str, dt.date | None],
    suppressed: frozenset[str],
) -> list[Merged]:
    """One block's reports (by key, as the store keeps them) merged into events, with their
    export texts; ``published`` dates the reports' articles, and the reports whose ids are
    ``suppressed`` (a reviewer's "not an event") are left out."""
    reports = [(k, Event.from_record(json.loads(r))) for k, r in records]
    reports = [(k, e) for k, e in reports if e.event_id not in suppressed]
    key_of = {id(e): k for k, e in reports}
    rows = []
    for first, event in merge_clusters([e for _, e in reports], published):
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
    return rows


def _span_candidates(gazetteer: Gazetteer, countries: Sequence[str], name: str) -> tuple:
    """A given span's candidates: as known, or without a type word ("Karak district"), or a
    small misspelling; never a supranational body, and a fuzzy match never for a short word or
    an abbreviation, nor outside the story's countries when it has some ("Kogelo" is not a
    German village in a story about Kenya)."""
    if recognise.is_supranational(name):
        return ()
    found = gazetteer.candidates(name) or gazetteer.search(name, fuzzy=False)
    if found or len(name) < _FUZZY_SHORTEST or name.isupper():
        return tuple(found)
    if not countries:
        return tuple(gazetteer.search(name))
    return tuple(
        sorted((c for cc in countries for c in gazetteer.search(name, country=cc)), key=order)
    )


# Shorter words are too often a misspelling of many places to guess one.
_FUZZY_SHORTEST = 5


def _corrected(
    mentions: list[Mention], article: Article, corrections: Corrections
) -> list[Mention]:
    """The reviewer's places replace the resolver's choice for the names they name."""
    out = []
    for m in mentions:
        place = corrections.place_for(article, m.text)
        out.append(replace(m, place=place, confidence=1.0) if place is not None else m)
    return out


def _report(problems, unresolved, totals, unplaced) -> str:
    """What a reviewer should look at: what was not read (and why), caveats, tolls set aside
    as totals of other events (with their parts), events the text names no place for, unknown
    names."""
    lines = ["# mapper build report", ""]
    skipped = [p for p in problems if p.skipped]
    warned = [p for p in problems if not p.skipped]
    lines.append(f"## Not read ({len(skipped)})")
    lines += [f"- {p.path}: {p.reason}" for p in sorted(skipped, key=lambda p: p.path)]
    lines += ["", f"## Read with a warning ({len(warned)})"]
    lines += [f"- {p.path}: {p.reason}" for p in sorted(warned, key=lambda p: p.path)]
    lines += ["", f"## Tolls set aside as totals of other events, not drawn ({len(totals)})"]
    for path, total in totals:
        parts = " + ".join(
            f"{'?' if n is None else n} ({where or 'no place'})" for n, where, _ in total.parts
        )
        lines.append(
            f"- {path}: {total.fatalities} killed ({total.cue!r}) = {parts}:"
            f" {_quoted(total.evidence)}"
        )
    lines += ["", f"## Events the text names no place for, not drawn ({len(unplaced)})"]
    for path, event in unplaced:
        toll = f", {event.fatalities} killed" if event.fatalities else ""
        lines.append(
            f"- {path}: {event.event_type} ({event.sub_event_type}),"
            f" {event.event_date or 'no date'}{toll}: {_quoted(event.evidence)}"
        )
    lines += ["", f"## Place names the gazetteer does not know ({len(unresolved)})"]
    lines += [f"- {name}" for name in sorted(unresolved)]
    return "\n".join(lines) + "\n"


def _quoted(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _version(gazetteer: Gazetteer) -> str:
    """The extractor version: mapper's code and tables, and the gazetteer's state."""
    return extractor_version(gazetteer.state())
