"""Extraction on a Dask cluster: the articles a build must read go in batches to worker
processes, each of which opens the build's gazetteer once; their extractions come back in the
order the articles were sent, so that the event store, and every output, is the same whatever
the number of workers. Needs the ``dask`` extra (``pip install "mapper[dask]"``).
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import InputFormatError, OutOfTime

__all__ = ["Cluster", "Outcome", "extract_one"]

# Articles sent to a worker at once, and batches in flight per worker: enough to keep every
# worker busy, few enough that the driver never holds much more than they are working on.
BATCH = 32
IN_FLIGHT = 2


@dataclass(frozen=True, slots=True)
class Outcome:
    """An article's extraction, or why there is none: ``late`` (its time budget ran out) or
    ``error`` (the text broke a stage; reported, never silent)."""

    extraction: object | None = None
    late: str | None = None
    error: str | None = None


def extract_one(pipeline, article, corrections) -> Outcome:
    """One article's extraction as the build keeps it, whichever process runs it."""
    try:
        return Outcome(extraction=pipeline.extract(article, corrections=corrections))
    except OutOfTime as exc:
        return Outcome(late=str(exc))
    except Exception as exc:  # a failure in one article never stops the build
        return Outcome(error=f"{type(exc).__name__}: {exc}")


# In a worker process: the pipeline of each recipe, built at its first batch.
_PIPELINES: dict[bytes, object] = {}


def _pipeline(recipe: bytes):
    pipeline = _PIPELINES.get(recipe)
    if pipeline is None:
        from ..gazetteer import Gazetteer
        from .build import Pipeline

        gazetteer, budget, ranker = pickle.loads(recipe)
        pipeline = Pipeline(Gazetteer.reopen(gazetteer), budget=budget, ranker=ranker)
        _PIPELINES[recipe] = pipeline
    return pipeline


def _extract_batch(recipe: bytes, batch: list) -> list[Outcome]:
    pipeline = _pipeline(recipe)
    return [extract_one(pipeline, article, corrections) for article, corrections in batch]


class Cluster:
    """A Dask cluster to extract on: ``workers`` local processes (a
    ``distributed.LocalCluster``), or the running cluster at ``scheduler``. Use as a context
    manager; a local cluster is shut down on leaving it."""

    def __init__(self, *, workers: int = 2, scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise InputFormatError(
                'extraction on several workers needs Dask: pip install "mapper[dask]"'
            ) from exc
        if scheduler is None and workers < 1:
            raise InputFormatError(f"expected at least one worker, got {workers}")
        self._local = None
        if scheduler is None:
            # One thread a process: extraction is pure Python, so processes, not threads, share
            # the cores; no dashboard, which would need a free port.
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

    def extract(self, pipeline, jobs: Iterable[tuple]) -> Iterator[Outcome]:
        """The outcome of each (article, corrections) of ``jobs``, in their order. Batches
        stream: at most a few per worker are sent ahead of the one awaited."""
        recipe = pickle.dumps((pipeline.gazetteer.recipe, pipeline.budget, pipeline.ranker))
        pending: deque = deque()
        batch: list = []
        most = max(1, self.workers) * IN_FLIGHT

        def send(items: list) -> None:
            pending.append(self.client.submit(_extract_batch, recipe, items, pure=False))

        for job in jobs:
            batch.append(job)
            if len(batch) == BATCH:
                send(batch)
                batch = []
                while len(pending) >= most:
                    yield from pending.popleft().result()
        if batch:
            send(batch)
        while pending:
            yield from pending.popleft().result()
