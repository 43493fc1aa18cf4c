"""Reading, extraction and the merge on a Dask cluster. The driver sends paths, never texts:
each worker reads its files and extracts the articles the event store does not hold yet, as
it reads them. The articles without their texts (so that the build can tell copies of one
text apart) and what the new ones yielded, ready to save, come back in the order sent: in a
shard the worker writes (``shards``), when the cluster is local and its workers see the
build's folder, else in the task's result. Articles that must be extracted again once every
file is known (a text found in two files, a store made by other code) go to the workers in
batches, each reading their files again. Each worker opens the build's gazetteer once. The
event store, and every output, is the same whatever the number of workers. Needs the
``dask`` extra (``pip install "mapper[dask]"``).
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import ingest
from ..errors import InputFormatError, OutOfTime
from ..types import Article, Problem
from .merge import footprint
from .shards import Shard, write_kept, write_merged
from .store import Kept, kept, stamp

__all__ = [
    "BATCH",
    "Cluster",
    "FileRead",
    "Job",
    "batched",
    "extract_one",
    "read_and_extract",
    "with_text",
]

# Articles (or files to read) sent to a worker at once, and batches in flight per worker:
# enough to keep every worker busy, few enough that the driver never holds much more than
# they are working on (4 a worker ran slower at 100,000 articles).
BATCH = 32
IN_FLIGHT = 2
# A batch whose results a worker writes to a shard (``shards``): the driver takes in a few
# shards a transaction (``store.MAX_SHARDS``), so that a commit saves about a thousand
# articles, as one process's build does (``build.SAVE_BATCH``).
SHARD_BATCH = 128


@dataclass(frozen=True, slots=True)
class Job:
    """An article to extract: the first file's article (its text may be left out, to be read
    where it is extracted), the other files holding the same text (their sources go on its
    events), and the stamp its events are kept with."""

    article: Article
    others: tuple[Article, ...]
    stamp: str
    # The state of the article's file as the build listed it (``ingest.file_key``): its text
    # is read again only when another file, or another state of it, was read last. None: the
    # file is asked (an article's file not in the listing).
    file_state: str | None = None


def extract_one(pipeline, job: Job, corrections) -> Kept:
    """What one article yielded, ready to save, whichever process runs it. An article that
    fails or runs out of its time budget is kept with no events and the reason, so that it is
    not tried on every build but reported on each."""
    article = job.article if job.article.text else with_text(job.article, job.file_state)
    try:
        extraction = pipeline.extract(article, corrections=corrections)
    except OutOfTime as exc:
        return kept(article, (), (), job.stamp, trouble=f"{exc}: its events are left out")
    except Exception as exc:  # a failure in one article never stops the build
        why = f"could not be read ({type(exc).__name__}: {exc}); please report it"
        return kept(article, (), (), job.stamp, trouble=why)
    events = extraction.events
    if job.others:
        extra = tuple((a.id, a.source, a.url) for a in job.others)
        events = [replace(e, also_reported=e.also_reported + extra) for e in events]
    return kept(
        article,
        [(e, footprint(e)) for e in events],
        extraction.unknown,
        job.stamp,
        totals=extraction.totals,
        unplaced=extraction.unplaced,
    )


# The articles of the last file read again in this process, by id, with the file's state: the
# articles of a file of many (JSON lines, a feed) come in a row, so it is read about once.
_LAST: dict[str, tuple[str, dict[str, Article]]] = {}


def with_text(article: Article, state: str | None = None) -> Article:
    """``article`` with its text, read again from its file (``article`` itself when the file
    no longer holds it). ``state`` is the file's key as listed; without it the file is asked
    for it, a request per article when the file is at a URL."""
    path = article.path.split("#", 1)[0]
    state = state or ingest.file_key(path)
    last = _LAST.get(path)
    if last is None or last[0] != state:
        found, _ = ingest.read_file(path)
        _LAST.clear()
        _LAST[path] = last = (state, {a.id: a for a in found})
    return last[1].get(article.id, article)


@dataclass(frozen=True, slots=True)
class FileRead:
    """One file as a build reads it: its articles without their texts, what went wrong, and
    what its new articles yielded (``read_and_extract``)."""

    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    kept: tuple[Kept, ...]
    # Written by a worker instead (``Cluster.read`` with a folder of shards): the shard that
    # holds what this file and those before it in its batch yielded, on the batch's last file.
    shard: Shard | None = None


def read_and_extract(
    pipeline, path: str, *, version: str, known: Container[str], corrections
) -> FileRead:
    """Read one file and extract, as it is read, each article whose id is not ``known`` (to the
    event store), with the stamp of an article found in this file alone. The build checks the
    stamps once every file is read. A file of more articles than a batch is only read: its
    articles are extracted in batches, on every worker."""
    found, trouble = ingest.read_file(path)
    done: list[Kept] = []
    if len(found) <= BATCH:
        ids: set[str] = set()
        for article in found:
            if article.id in known or article.id in ids:
                continue
            ids.add(article.id)
            job = Job(article, (), stamp(version, [article]))
            done.append(extract_one(pipeline, job, corrections))
    return FileRead(tuple(replace(a, text="") for a in found), tuple(trouble), tuple(done))


# In a worker process: the pipeline of each recipe, built at its first batch.
_PIPELINES: dict[bytes, object] = {}


def _recipe(pipeline) -> bytes:
    """What a worker needs to make the driver's pipeline."""
    return pickle.dumps((pipeline.gazetteer.recipe, pipeline.budget, pipeline.ranker))


def _pipeline(recipe: bytes):
    pipeline = _PIPELINES.get(recipe)
    if pipeline is None:
        from ..gazetteer import Gazetteer
        from .build import Pipeline

        gazetteer, budget, ranker = pickle.loads(recipe)
        pipeline = Pipeline(Gazetteer.reopen(gazetteer), budget=budget, ranker=ranker)
        _PIPELINES[recipe] = pipeline
    return pipeline


def _extract_batch(recipe: bytes, corrections, batch: list[Job]) -> list[Kept]:
    pipeline = _pipeline(recipe)
    return [extract_one(pipeline, job, corrections) for job in batch]


def _merge_batch(suppressed, batch: list[tuple[list, dict]]) -> list[list]:
    from .build import merged_rows

    return [merged_rows(records, dates, suppressed) for records, dates in batch]


def _merge_queries(suppressed, batch: list) -> list[list]:
    from .build import merged_rows

    return [merged_rows(*query.records(), suppressed) for query in batch]


def _read_batch(recipe: bytes, version: str, known, corrections, paths: list[str]):
    pipeline = _pipeline(recipe)
    return [
        read_and_extract(pipeline, p, version=version, known=known, corrections=corrections)
        for p in paths
    ]


def _read_to_shard(recipe: bytes, version: str, known, corrections, folder: str, numbered):
    number, listed = numbered
    found = _read_batch(recipe, version, known, corrections, [path for path, _ in listed])
    kept = [one for read in found for one in read.kept]
    pairs = zip(listed, found, strict=True)
    files = [(key, a) for (_, key), read in pairs for a in read.articles]
    shard = write_kept(Path(folder) / f"read-{number}.sqlite", kept, files=files)
    out = [FileRead((), read.problems, ()) for read in found]
    out[-1] = replace(out[-1], shard=shard)
    return out


def _extract_to_shard(recipe: bytes, corrections, folder: str, numbered) -> list[Shard]:
    number, jobs = numbered
    kept = _extract_batch(recipe, corrections, jobs)
    return [write_kept(Path(folder) / f"extract-{number}.sqlite", kept)]


def _merge_to_shard(suppressed, folder: str, numbered) -> list[Shard]:
    number, queries = numbered
    [rows] = _merge_queries(suppressed, queries)
    return [write_merged(Path(folder) / f"merge-{number}.sqlite", rows)]


def batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# Dask's defaults that cost a local cluster's extraction time: a profiler sampling every
# worker's stacks every 10 ms; the C library made to hand freed memory back to the system at
# every 64 kB (extraction makes and drops small objects all the time); and the scheduler's
# memory manager, which drops the copies of what is sent to every worker (the ids the store
# holds, the reviewer's corrections) that no task waits for yet, so that the next task on that
# worker waits to fetch them from the other, which answers only between two of its own tasks: a
# merge of 100,000 articles' reports took 16 to 33 s, as it fell, and 16 to 17 s without it. And
# the last thousand messages of each stream, kept for debugging: in the driver, which runs a
# local cluster's scheduler, the tasks sent to each worker, every path of a build of 100,000
# articles (36 MB).
_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.scheduler.active-memory-manager.start": False,
    "distributed.admin.low-level-log-length": 16,
}


class Cluster:
    """A Dask cluster to read and extract on: ``workers`` local processes (a
    ``distributed.LocalCluster``), or the running cluster at ``scheduler``, whose workers must
    see the articles' paths. Use as a context manager; a local cluster is shut down on
    leaving it."""

    def __init__(self, *, workers: int = 2, scheduler: str | None = None) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise InputFormatError(
                'extraction on several workers needs Dask: pip install "mapper[dask]"'
            ) from exc
        if scheduler is None and workers < 1:
            raise InputFormatError(f"expected at least one worker, got {workers}")
        self._local = None
        with dask.config.set(_WORKER_CONFIG):
            if scheduler is None:
                # One thread a process: extraction is pure Python, so processes, not threads,
                # share the cores; no dashboard, which would need a free port.
                self._local = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                self.client = Client(self._local)
            else:
                self.client = Client(scheduler)
        self.workers = len(self.client.scheduler_info().get("workers", {})) or workers

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()
        if self._local is not None:
            self._local.close()

    def read(
        self,
        pipeline,
        paths: Sequence[str],
        *,
        version: str,
        known: Container[str],
        corrections,
        keys: Mapping[str, str],
        shards: Path | None = None,
    ) -> Iterator[FileRead]:
        """``read_and_extract`` of each of ``paths``, in their order; with a folder of
        ``shards`` (that the workers can write to), what the files held and their articles
        yielded comes in shards (``FileRead.shard``), each file's articles under its key
        (``keys``), not with the files."""
        # The ids the store holds and the reviewer's corrections go to each worker once, not
        # with every batch.
        shared = self.client.scatter([frozenset(known), corrections], broadcast=True, hash=False)
        args = (_recipe(pipeline), version, *shared)
        if shards is None:
            return self._stream(_read_batch, args, batched(paths))
        listed = ((path, keys[path]) for path in paths)
        # (a few hundred files still go to every worker)
        size = max(1, min(SHARD_BATCH, -(-len(paths) // (2 * IN_FLIGHT * self.workers))))
        numbered = enumerate(batched(listed, size))
        return self._stream(_read_to_shard, (*args, str(shards)), numbered)

    def extract(
        self, pipeline, jobs: Iterable[Job], corrections, *, shards: Path | None = None
    ) -> Iterator[Kept | Shard]:
        """What each of ``jobs`` yielded, ready to save, in their order; with a folder of
        ``shards``, in shards of some jobs each."""
        [shared] = self.client.scatter([corrections], broadcast=True, hash=False)
        args = (_recipe(pipeline), shared)
        if shards is None:
            return self._stream(_extract_batch, args, batched(jobs))
        numbered = enumerate(batched(jobs, SHARD_BATCH))
        return self._stream(_extract_to_shard, (*args, str(shards)), numbered)

    def merge(self, blocks: Iterable[tuple[list, dict]], suppressed) -> Iterator[list]:
        """``build.merged_rows`` of each block (its reports' records and their articles'
        dates), in their order: a block a task, so that the blocks merge side by side."""
        # Blocks are large: one a worker at a time, sent to it straight, not through the
        # scheduler with the task.
        return self._stream(_merge_batch, (suppressed,), batched(blocks, 1), ahead=1, scatter=True)

    def merge_queries(self, queries: Iterable, suppressed, *, shards: Path) -> Iterator[Shard]:
        """``build.merged_rows`` of each block, its reports and their articles' dates read by
        the worker from the store (``store.BlockQuery``: a local cluster's workers see the
        driver's files), written to a shard in the folder ``shards``, in order."""
        # (two blocks a worker in flight, as for the other tasks: a worker that ends one has
        # the next at hand, not after the driver has stored the one before)
        numbered = enumerate(batched(queries, 1))
        return self._stream(_merge_to_shard, (suppressed, str(shards)), numbered)

    @property
    def local(self) -> bool:
        """Whether the workers run on this machine (a cluster made here): they can open the
        build's own files, such as its event store."""
        return self._local is not None

    def _stream(
        self,
        run: Callable,
        args: tuple,
        batches: Iterable,
        *,
        ahead: int = IN_FLIGHT,
        scatter: bool = False,
    ) -> Iterator:
        """The results of ``run(*args, batch)`` on each batch, in order, with at most
        ``ahead`` batches per worker sent ahead of the one awaited; ``scatter`` sends each
        batch to a worker before its task. Each result is a list: its items are yielded."""
        pending: deque = deque()
        most = max(1, self.workers) * ahead
        for batch in batches:
            data = self.client.scatter(batch, hash=False) if scatter else batch
            pending.append(self.client.submit(run, *args, data, pure=False))
            while len(pending) >= most:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
