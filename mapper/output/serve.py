"""The output folder served over local HTTP, so that a large map's page can fetch the details
it keeps beside it (``page.write_map``), which a page opened as a file cannot.

The standard library's server, limited to what a reader of the map needs: the page, its
details, the exports and the report, read-only. Hidden files (the event store, its lock,
a build's temporary files) and folder listings are refused; so is any path out of the folder.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import InputFormatError

__all__ = ["MapServer", "serving"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """GET and HEAD of the folder's visible files only."""

    def send_head(self):
        parts = [p for p in unquote(urlsplit(self.path).path).split("/") if p]
        if any(p.startswith(".") for p in parts):
            self.send_error(404, "hidden files are not served")
            return None
        target = Path(self.directory, *parts)
        if target.is_dir():
            if (target / "map.html").is_file() and not parts:
                self.send_response(302)
                self.send_header("Location", "/map.html")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.send_error(404, "folders are not listed")
            return None
        return super().send_head()

    def end_headers(self) -> None:
        # (a rebuilt page must be read again; a folder of details is named by what it holds)
        if urlsplit(self.path).path.endswith(".html"):
            self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if self.server.quiet:
            return
        super().log_message(format, *args)


class MapServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server of one output folder."""

    daemon_threads = True

    def __init__(
        self, folder: Path, *, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False
    ) -> None:
        folder = Path(folder)
        if not (folder / "map.html").is_file():
            raise InputFormatError(
                f"expected a built map at {folder / 'map.html'}, found none; run mapper build first"
            )
        self.quiet = quiet
        super().__init__((host, port), partial(_Handler, directory=str(folder.resolve())))

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/map.html"


@contextmanager
def serving(folder: Path, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[MapServer]:
    """A server of ``folder`` running in a thread (port 0: any free port) for the ``with``."""
    server = MapServer(folder, host=host, port=port, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
