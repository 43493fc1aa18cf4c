"""Things found in a text (dates, counts, place names), kept in order of position so that a
stage asks for those of one clause or sentence without scanning the whole article: work per
article stays linear in its length.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar

__all__ = ["Intervals", "Spans", "Taken"]


class _Positioned(Protocol):
    @property
    def start(self) -> int: ...


T = TypeVar("T", bound=_Positioned)


class Spans(Sequence[T], Generic[T]):
    """Items with a ``start`` offset, sorted by it.

    >>> from collections import namedtuple
    >>> Word = namedtuple("Word", "start end")
    >>> words = Spans([Word(10, 12), Word(0, 3), Word(5, 8)])
    >>> [w.start for w in words.within(4, 11)]
    [5, 10]
    """

    __slots__ = ("_items", "_starts")

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items: list[T] = sorted(items, key=lambda item: item.start)
        self._starts = [item.start for item in self._items]

    def within(self, start: int, end: int) -> list[T]:
        """The items that start in ``[start, end)``, in order."""
        return self._items[bisect_left(self._starts, start) : bisect_left(self._starts, end)]

    def last_before(self, position: int, where: Callable[[T], bool] = bool) -> T | None:
        """The last item starting before ``position`` for which ``where`` holds."""
        for i in range(bisect_left(self._starts, position) - 1, -1, -1):
            if where(self._items[i]):
                return self._items[i]
        return None

    def __getitem__(self, index):  # an int or a slice, as for a list
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"Spans({self._items!r})"


class Intervals:
    """Fixed ``[start, end)`` intervals (they may overlap), asked whether a span meets one.

    >>> Intervals([(0, 5), (2, 3), (10, 12)]).overlaps(4, 8)
    True
    >>> Intervals([(0, 5), (10, 12)]).overlaps(5, 10)
    False
    """

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        # The furthest end among the intervals that start at or before each one.
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Some interval meets ``[start, end)``."""
        i = bisect_left(self._starts, end)
        return i > 0 and self._reach[i - 1] > start

    def holds(self, position: int) -> bool:
        """Some interval holds ``position``."""
        return self.overlaps(position, position + 1)


class Taken:
    """Disjoint ``[start, end)`` intervals taken one by one (the first claim wins): asks whether
    a new span meets one already taken, in logarithmic time.

    >>> taken = Taken()
    >>> taken.add(3, 7)
    >>> taken.overlaps(6, 9), taken.overlaps(7, 9)
    (True, False)
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Some interval taken meets ``[start, end)``."""
        # Disjoint and sorted by start, the intervals are sorted by end too: only the last one
        # starting before ``end`` can reach past ``start``.
        i = bisect_left(self._starts, end)
        return i > 0 and self._ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        """Take a span that overlaps none taken (check with :meth:`overlaps` first)."""
        i = bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
