"""The map page written to its folder, with, for a large map, the files of its details beside it.

A reader (a browser, ``mapper serve``) never finds a page whose details are missing: the
details go first into a folder named by their content, the page that names it replaces the
old one in one rename, and only then are the folders no page names removed. A build killed
at any point leaves the old page and its folder whole.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import geopandas as gpd

from ..errors import StoreError
from . import export, render

__all__ = ["DETAILS_PREFIX", "details_beside", "prepare", "write_map"]

# Folders of details beside the page: this prefix and a digest of what they hold.
DETAILS_PREFIX = "map-details-"


def write_map(
    out: Path,
    events: gpd.GeoDataFrame,
    *,
    summary: Mapping[str, object],
    assets: str = "inline",
    inline_max: int = render.DETAILS_INLINE_MAX,
    part_size: int = render.DETAILS_PART,
) -> Path:
    """Write ``out/map.html`` (through ``atomic_write``) and return its path. A map of more
    than ``inline_max`` events keeps its details in ``out/map-details-<digest>/``, parts of
    ``part_size`` events."""
    path = out / "map.html"
    beside = None
    if len(events) > inline_max:
        beside = _write_parts(out, render.detail_parts(events, size=part_size), part_size)
    html = render.render_map(events, summary=summary, assets=assets, beside=beside)
    export.atomic_write(path, html)
    _remove_other_parts(out, keep=beside.folder if beside else None)
    return path


def prepare() -> None:
    """Load now what every page is drawn with (the table of towns it names, read from 17 MB of
    city records): for a moment it takes some 70 MB, better taken before a build has filled
    its memory with articles than on top of them."""
    render.towns()


def details_beside(out: Path) -> Path | None:
    """The folder of details the last map written to ``out`` keeps beside it, if any."""
    found = sorted(f for f in out.glob(f"{DETAILS_PREFIX}*") if f.is_dir())
    return found[0] if found else None


def _write_parts(out: Path, parts: Iterable[bytes], size: int) -> render.Beside:
    """The parts written into a new folder, renamed to its digest once whole; a folder of that
    name already there holds the same bytes and is kept."""
    tmp = out / f".{DETAILS_PREFIX}{os.getpid()}.tmp"
    digest = hashlib.sha256(str(size).encode())
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        count = 0
        for count, part in enumerate(parts, start=1):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
            (tmp / f"{count - 1}.bin").write_bytes(part)
        folder = f"{DETAILS_PREFIX}{digest.hexdigest()[:16]}"
        if (out / folder).is_dir():
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, out / folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        why = exc.strerror or str(exc)
        raise StoreError(f"cannot write the map's details into {out}: {why}") from exc
    return render.Beside(folder=folder, parts=count, size=size)


def _remove_other_parts(out: Path, *, keep: str | None) -> None:
    """Folders of details that the page no longer names (a build's leftovers included)."""
    # (builds take turns, so a folder ending in .tmp is a killed build's)
    for folder in [*out.glob(f"{DETAILS_PREFIX}*"), *out.glob(f".{DETAILS_PREFIX}*.tmp")]:
        if folder.name != keep and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
