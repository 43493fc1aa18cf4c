"""Memory a phase of a build freed, handed back to the system.

The C library keeps what Python frees for later use; after a phase that made and dropped a few
hundred megabytes (the reads of 100,000 articles, a merge), the process keeps that much until it
exits, and the next phase's peak comes on top of it. Dask hands freed memory back the same way
in its workers. Where the C library cannot (not glibc), this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache

__all__ = ["release_memory"]


@cache
def _trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc: no malloc_trim
        return None


def release_memory() -> None:
    """Collect cycles, then hand the C library's free memory back to the system."""
    gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)
