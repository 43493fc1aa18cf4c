"""GeoDataFrame of events → a folium map: one layer per event type, legend, summary.

Article text reaches the page only as JSON data inside a script, encoded for the
script context; popups and tooltips are built from it with ``textContent``
(``static/events.js``). Nothing from an article passes through folium's Popup,
Tooltip or Jinja templates.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from itertools import count

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from folium.plugins import Fullscreen, HeatMap
from jinja2 import Template

from .assets import inline_assets
from .errors import RenderError
from .models import EVENT_TYPES

__all__ = ["ASSET_MODES", "TYPE_STYLES", "render_map", "script_json"]

ASSET_MODES = ("inline", "self-contained", "cdn")

TYPE_STYLES = {
    "Battles": "#d7191c",
    "Explosions/Remote violence": "#f07c00",
    "Violence against civilians": "#7b3294",
    "Protests": "#2c7bb6",
    "Riots": "#1a9641",
    "Strategic developments": "#555555",
}
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


@cache
def _static(name: str) -> str:
    return resources.files("mapper").joinpath(f"static/{name}").read_text(encoding="utf-8")


@cache
def _borders() -> dict:
    """Simplified country outlines from countryinfo: an offline basemap."""
    import countryinfo
    from shapely.geometry import mapping, shape

    def rounded(coords):
        if coords and isinstance(coords[0], (int, float)):
            return [round(coords[0], 3), round(coords[1], 3)]
        return [rounded(c) for c in coords]

    features = []
    for info in countryinfo.all_countries():
        data = info.info()
        for feature in (data.get("geoJSON") or {}).get("features") or []:
            geom = mapping(shape(feature["geometry"]).simplify(0.02, preserve_topology=True))
            features.append(
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": geom["type"], "coordinates": rounded(geom["coordinates"])},
                }
            )
    return {"type": "FeatureCollection", "features": features}


# Event fields the page needs, sent as columns; repeated strings are indexes into a table.
_NUMBERS = ("fatalities", "fatalities_low", "fatalities_high", "injured", "geo_precision")
_TEXTS = ("event_date", "evidence", "notes")
_REPEATED = (
    "event_type",
    "sub_event_type",
    "date_precision",
    "actor1",
    "actor2",
    "location",
    "admin1",
    "admin2",
    "country",
    "source",
    "source_url",
)


def _columns(events: gpd.GeoDataFrame) -> dict:
    """The events as compact columns: coordinates, numbers, texts and a table of strings."""
    if not len(events):
        return {"n": 0}
    table: dict[str, int] = {}

    def code(value: object) -> int | None:
        if not isinstance(value, str):
            return None
        return table.setdefault(value, len(table))

    def clean(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return None
        return int(value) if isinstance(value, float) and value.is_integer() else value

    out: dict = {
        "n": len(events),
        "lat": [round(y, 5) for y in events.geometry.y.tolist()],
        "lon": [round(x, 5) for x in events.geometry.x.tolist()],
    }
    for name in _NUMBERS:
        out[name] = _sparse([clean(v) for v in events[name].tolist()])
    for name in _TEXTS:
        out[name] = _sparse(
            [v if isinstance(v, str) and v else None for v in events[name].tolist()]
        )
    for name in _REPEATED:
        out[name] = _sparse([code(v) for v in events[name].tolist()])
    out["also_reported"] = _sparse(
        [list(v) if isinstance(v, list) and v else None for v in events["also_reported"].tolist()]
    )
    out["strings"] = list(table)
    return out


def _sparse(values: list) -> list | dict:
    """A mostly empty column as {"sparse": {index: value}}; the page expands it."""
    filled = {i: v for i, v in enumerate(values) if v is not None}
    return {"sparse": filled} if len(filled) < len(values) / 3 else values


class _EventLayers(MacroElement):
    _template = Template(
        "{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "{{ this.js }}\n"
        "mapperDraw({{ this._parent.get_name() }}, {\n"
        "{% for key, group in this.groups %}  {{ key }}: {{ group.get_name() }},\n{% endfor %}"
        "}, window.mapperData, {{ this.control.get_name() }});\n"
        "{% endmacro %}"
    )

    def __init__(
        self, groups: list[tuple[str, folium.FeatureGroup]], control: folium.LayerControl
    ) -> None:
        super().__init__()
        self._name = "EventLayers"
        self.groups = groups
        self.control = control
        self.js = _static("events.js")
        self.css = _static("mapper.css")


def _legend(types: Mapping[str, int]) -> Element:
    items = "".join(
        f'<div><span class="swatch" style="background:{TYPE_STYLES[t]}"></span>{t} ({n})</div>'
        for t, n in types.items()
    )
    return Element(
        '<div class="mapper-legend" style="position:fixed;bottom:24px;right:10px;z-index:1000">'
        "<strong>Event types</strong>"
        + items
        + '<div style="margin-top:4px"><span class="ring"></span>'
        + "dashed: district, region or country only</div>"
        "<div>size: number killed</div></div>"
    )


def _fix_ids(root: MacroElement) -> None:
    """Deterministic element ids, so the same events give the same page."""
    counter = count(1)

    def walk(element) -> None:
        element._id = f"{next(counter):08x}"
        for child in element._children.values():
            walk(child)

    walk(root)


def render_map(
    events: gpd.GeoDataFrame, *, summary: Mapping[str, object], assets: str = "inline"
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
    """
    if assets not in ASSET_MODES:
        raise RenderError(f"assets must be one of {', '.join(ASSET_MODES)}; got {assets!r}")
    m = folium.Map(location=[30, 40], zoom_start=3, tiles=None, control_scale=True)
    m.default_js = [*_LEAFLET_JS, *HeatMap.default_js]  # the page draws its heat map itself
    m.default_css = list(_LEAFLET_CSS)
    if assets != "self-contained":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(m)
    folium.GeoJson(
        _borders(),
        name="Country borders (offline)",
        style_function=lambda _: {
            "color": "#666",
            "weight": 1,
            "fillColor": "#fbfaf7",
            "fillOpacity": 0.5,
        },
        smooth_factor=1,
        interactive=False,
        control=True,
    ).add_to(m)

    counts = {t: int((events["event_type"] == t).sum()) if len(events) else 0 for t in EVENT_TYPES}
    present = {t: n for t, n in counts.items() if n}
    groups = []
    for event_type in present:
        colour = TYPE_STYLES[event_type]
        name = f'<span style="color:{colour}">●</span> {event_type} ({present[event_type]})'
        group = folium.FeatureGroup(name=name, overlay=True, show=True).add_to(m)
        groups.append((event_type, group))

    if len(events):
        minx, miny, maxx, maxy = events.total_bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(40, 40), max_zoom=8)
    control = folium.LayerControl(collapsed=False).add_to(m)
    Fullscreen(position="topleft").add_to(m)
    m.get_root().html.add_child(_legend(present))

    payload = {
        "events": _columns(events),
        "styles": {t: {"color": c} for t, c in TYPE_STYLES.items()},
        "summary": dict(summary),
    }
    m.add_child(_EventLayers([(script_json(t), g) for t, g in groups], control))
    _fix_ids(m.get_root())
    html = m.get_root().render()
    # The data goes in after folium has rendered: it is never run through Jinja, however large.
    data = f"<script>window.mapperData = {script_json(payload, template=False)};</script>\n"
    html = html.replace("</head>", data + "</head>", 1)
    return html if assets == "cdn" else inline_assets(html)
