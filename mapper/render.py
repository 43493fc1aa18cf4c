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
from .models import EVENT_TYPES

__all__ = ["TYPE_STYLES", "render_map", "script_json"]

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
# Inside JSON strings: characters that mean something to HTML, to JavaScript template
# literals or to Jinja, which branca runs over rendered scripts a second time.
_IN_STRINGS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "<>&{}$`\u2028\u2029"})


def script_json(value: object) -> str:
    """JSON safe to place in ``<script>`` of a folium page.

    No ``</script>`` or HTML comment, no line separators, and no ``{``, ``}``, ``$`` or
    backtick inside strings: branca renders the page's scripts as Jinja templates again,
    so ``{{ 7*7 }}`` in an article would otherwise be evaluated.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _STRING.sub(lambda m: m.group().translate(_IN_STRINGS), text)


def _number(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value):
        return float(value)
    return 0.0


def radius(fatalities: object) -> float:
    """Marker radius in pixels: grows with the square root of the toll, so area tracks deaths."""
    if (
        not isinstance(fatalities, (int, float))
        or isinstance(fatalities, bool)
        or math.isnan(fatalities)
        or fatalities <= 0
    ):
        return 6.0
    return round(min(32.0, 6.0 + 2.6 * math.sqrt(fatalities)), 1)


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


class _EventLayers(MacroElement):
    _template = Template(
        "{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "{{ this.js }}\n"
        "mapperDraw({{ this._parent.get_name() }}, {\n"
        "{% for key, group in this.groups %}  {{ key }}: {{ group.get_name() }},\n{% endfor %}"
        "}, {{ this.payload }});\n"
        "{% endmacro %}"
    )

    def __init__(self, groups: list[tuple[str, folium.FeatureGroup]], payload: str) -> None:
        super().__init__()
        self._name = "EventLayers"
        self.groups = groups
        self.payload = payload
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
    events: gpd.GeoDataFrame, *, summary: Mapping[str, object], offline: bool = True
) -> str:
    """The map page as HTML text.

    Parameters
    ----------
    events
        One row per located event (``mapper.export.to_geodataframe``).
    summary
        Counts shown in the summary panel (events, fatalities, articles, problems, first, last).
    offline
        Inline Leaflet from the installed package instead of linking CDNs.
    """
    m = folium.Map(location=[30, 40], zoom_start=3, tiles=None, control_scale=True)
    m.default_js = list(_LEAFLET_JS)
    m.default_css = list(_LEAFLET_CSS)
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
        # Where people died, weighted by the toll; off by default.
        weights = [
            [row.geometry.y, row.geometry.x, float(max(1.0, _number(row.fatalities)))]
            for row in events.itertuples()
        ]
        HeatMap(weights, name="Heat map of deaths", show=False, radius=22, blur=18).add_to(m)
        minx, miny, maxx, maxy = events.total_bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(40, 40), max_zoom=8)
    folium.LayerControl(collapsed=False).add_to(m)
    Fullscreen(position="topleft").add_to(m)
    m.get_root().html.add_child(_legend(present))

    data = (
        json.loads(events.to_json(drop_id=True))
        if len(events)
        else {"type": "FeatureCollection", "features": []}
    )
    payload = {
        "events": data,
        "styles": {t: {"color": c} for t, c in TYPE_STYLES.items()},
        "radius": {row.event_id: radius(row.fatalities) for row in events.itertuples()}
        if len(events)
        else {},
        "summary": dict(summary),
    }
    m.add_child(_EventLayers([(script_json(t), g) for t, g in groups], script_json(payload)))
    _fix_ids(m.get_root())
    html = m.get_root().render()
    return inline_assets(html) if offline else html
