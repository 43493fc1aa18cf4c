"""One exception family for mapper.

Leaves also inherit the built-in exception a caller would naturally catch, so
``except ValueError`` keeps working around mapper calls.
"""

__all__ = [
    "ArticleError",
    "GazetteerError",
    "InputFormatError",
    "MapperError",
    "OutOfTime",
    "RenderError",
    "StoreError",
]


class MapperError(Exception):
    """Base class of every error mapper raises on purpose."""


class ArticleError(MapperError, ValueError):
    """An article could not be read or is not usable (empty, binary, too large …)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InputFormatError(MapperError, ValueError):
    """Structured input (JSON lines, metadata) is not in the expected shape."""


class GazetteerError(MapperError, OSError):
    """The gazetteer could not be built, opened or queried."""


class RenderError(MapperError, RuntimeError):
    """The map or an export could not be written."""


class OutOfTime(MapperError, TimeoutError):
    """The work on one article took longer than its time budget."""

    def __init__(self, message: str, *, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class StoreError(MapperError, OSError):
    """The event store or an output file could not be read or written (a full disk, a
    read-only folder, a damaged store)."""
