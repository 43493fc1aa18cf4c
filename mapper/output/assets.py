"""Leaflet's JavaScript and CSS from an installed package, inlined so maps work offline.

folium links its assets from CDNs; ``folium-offline`` (pinned to our folium release)
carries the same files as Python strings. We inline only what the page uses.
"""

from __future__ import annotations

import re
from functools import cache

from ..errors import RenderError

__all__ = ["inline_assets"]

_SCRIPT = re.compile(r'<script src="(?P<url>https?://[^"]+)"></script>')
_STYLE = re.compile(r'<link rel="stylesheet" href="(?P<url>https?://[^"]+)"/>')


@cache
def _library() -> dict[str, str]:
    try:
        from offlinefolium import elements
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise RenderError(f"offline map assets need the folium-offline package: {exc}") from exc
    return dict(elements._res)  # the package's URL → file-content table


def asset(url: str) -> str:
    """The content of one asset URL; a clear error if the package does not carry it."""
    content = _library().get(url)
    if content is None:
        raise RenderError(f"no offline copy of {url}: expected one of the folium-offline assets")
    return content


def inline_assets(html: str) -> str:
    """Replace every CDN ``<script src>`` and stylesheet ``<link>`` with the file's content."""

    def script(m: re.Match) -> str:
        code = asset(m.group("url")).replace("</script", "<\\/script")
        return f"<script>{code}</script>"

    def style(m: re.Match) -> str:
        css = asset(m.group("url")).replace("</style", "<\\/style")
        return f"<style>{css}</style>"

    return _STYLE.sub(style, _SCRIPT.sub(script, html))
