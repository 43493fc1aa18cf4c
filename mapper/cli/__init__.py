"""Command line: ``mapper build | watch | serve | export | geoparse | extract | gazetteer |
evaluate``.

The only package that prints. Errors print one line ``Error: …`` and exit non-zero. Each
command's options sit next to it in ``parser``; the commands themselves are thin calls into
the library, by family (``mapping``, ``reading``, ``gazetteer``, ``evaluation``).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence

from ..errors import MapperError
from .parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process's arguments); return the exit
    status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except (MapperError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # a file of mapper's own that SQLite cannot use
        print(f"Error: a database file of mapper's failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
