"""A time budget for the work on one article, checked where the stages loop over its text.

The build gives each article a budget (``Pipeline(..., budget=…)``); a stage calls
:func:`check_budget` once per sentence or name, so a text that would take too long stops
within a sentence of its budget and is reported, and the build goes on with the others.
Outside a budget, :func:`check_budget` costs one lookup and does nothing.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

from .errors import OutOfTime

__all__ = ["DEFAULT_BUDGET", "check_budget", "time_budget"]

# Seconds one article may take: a news story takes well under one, a 5 MB file about half a
# minute on one core (``bench/scaling.py``).
DEFAULT_BUDGET = 60.0

# (deadline on the monotonic clock, the budget in seconds) of the article being read.
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("mapper_deadline", default=None)


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Within the block, :func:`check_budget` raises ``OutOfTime`` once ``seconds`` have
    passed; ``None`` sets no budget."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds) if seconds else None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_budget() -> None:
    """Raise ``OutOfTime`` when the budget of the article being read is spent."""
    budget = _DEADLINE.get()
    if budget is not None and time.monotonic() > budget[0]:
        raise OutOfTime(f"too long to read in {budget[1]:g} s", seconds=budget[1])
