/* mapper, small maps: one SVG object per event (shapes, areas, border lines), each with its own
   popup and tooltip, and overlapping markers as group icons. */
(function (M) {
  "use strict";

  var text = M.text, svgPath = M.svgPath, layout = M.layout;
  var AREA_METRES = M.AREA_METRES, POPUP = M.POPUP;

  // A circle marker drawn as its type's shape (SVG renderer), clicked and grouped as a marker.
  var ShapeMarker = L.CircleMarker.extend({
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._setPath) return L.CircleMarker.prototype._updatePath.call(this);
      renderer._setPath(this, this._empty() ? "M0 0" :
        svgPath(this.options.shape, this._point.x, this._point.y, this._radius));
    }
  });

  function groupTitle(g) {
    return g.events.length + " events here: " + g.types.map(function (t) {
      return t[1] + " " + t[0];
    }).join(", ") + " — click to zoom in or list them";
  }

  // A group's ring: one arc per type, as long as its share of the group.
  function groupGradient(g, styles) {
    var at = 0, stops = g.types.map(function (t) {
      var from = at;
      at += 100 * t[1] / g.events.length;
      return styles[t[0]].color + " " + from.toFixed(1) + "% " + at.toFixed(1) + "%";
    });
    return "conic-gradient(" + stops.join(", ") + ")";
  }

  // A hollow border line: its line with a white core drawn over it (not clickable: a click
  // goes through to the line), so that only its two edges show the type's colour.
  function hollowLine(line, paths) {
    var core = L.polyline(paths, {
      color: "#fff", weight: 2, opacity: 1, lineCap: "round", interactive: false,
      className: "mapper-hollow-core", pane: "mapperLines"
    });
    return L.featureGroup([line, core]);
  }

  // The SVG element a keyboard reaches an event by (a hollow line's own line, not its core).
  function elementOf(e) {
    var layer = e.layer.getLayers ? e.layer.getLayers()[0] : e.layer;
    return layer.getElement ? layer.getElement() : null;
  }

  // openMany(entries, latlng) lists events that a click cannot tell apart.
  function svgRenderer(map, byType, types, styles, describe, openMany) {
    var lastDrawn = null;
    function open(e, latlng) {
      L.popup(POPUP).setLatLng(latlng || e.latlng).setContent(describe.popup(e)).openOn(map);
    }
    // A click (or Enter) on an event: its popup, or the list of every event drawn under it
    // (markers stacked at one point, or overlapping), so that each can be reached.
    function pick(e, latlng) {
      if (e.line || !lastDrawn) {
        open(e, latlng);
        return;
      }
      var zoom = map.getZoom(), at = map.project(latlng, zoom), hits = [{e: e, d: 0}];
      lastDrawn.singles.forEach(function (it) {
        if (it.e === e || it.e.line) return;
        var d = Math.hypot(it.x - at.x, it.y - at.y);
        if (d <= Math.min(it.r, 40) + 2) hits.push({e: it.e, d: d});
      });
      var under = M.onTop(hits);
      if (under.length > 1) openMany(under, latlng);
      else open(under[0], latlng);
    }
    var events = L.layerGroup().addTo(map), clusters = L.layerGroup().addTo(map);
    // Areas below border lines below markers, whatever order they are added in.
    [["mapperAreas", 401], ["mapperLines", 402], ["mapperPoints", 403]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = String(p[1]);
    });
    types.forEach(function (type) {
      var style = styles[type];
      byType[type].forEach(function (e) {
        var cls = "mapper-event mapper-precision-" + e.precision + (e.low ? " mapper-low" : "");
        var options = {color: style.color, fillColor: style.color};
        var layer;
        if (e.line) {
          // The whole border, faint: the text names the border, not the stretch of it.
          options.weight = 5;
          options.opacity = M.BORDER_OPACITY;
          options.lineCap = "round";
          options.className = cls + " mapper-border";
          options.pane = "mapperLines";
          layer = L.polyline(e.line, options);
          if (e.low) layer = hollowLine(layer, e.line);
        } else if (e.precise) {
          // A low-confidence event is hollow: its outline only, in its type's shape and colour.
          options.fill = !e.low;
          options.weight = e.low ? 2 : 1.5;
          options.fillOpacity = 0.7;
          options.radius = e.radius;
          options.shape = style.shape;
          options.className = cls + " mapper-shape-" + style.shape;
          options.pane = "mapperPoints";
          layer = new ShapeMarker(e.latlng, options);
        } else if (e.outline) {
          // A country: its outline, dashed and faintly filled, never a pin.
          options.fill = !e.low;
          options.weight = 1.5;
          options.dashArray = "5 4";
          options.fillOpacity = 0.05;
          options.className = cls + " mapper-area mapper-outline";
          options.pane = "mapperAreas";
          layer = L.polygon(e.outline, options);
        } else {
          // A district or province: a translucent area of about that size, not a pin.
          options.fill = !e.low;
          options.weight = 2;
          options.dashArray = "5 4";
          options.fillOpacity = 0.12;
          options.radius = AREA_METRES[e.precision] || AREA_METRES[4];
          options.className = cls + " mapper-area";
          options.pane = "mapperAreas";
          layer = L.circle(e.latlng, options);
        }
        layer.on("click", function (ev) { pick(e, ev.latlng); });
        layer.bindTooltip(function () { return describe.tooltip(e); });
        e.layer = layer;
        e.onMap = false;
      });
    });
    function refresh() {
      var zoom = map.getZoom(), scale = Math.pow(2, zoom);
      clusters.clearLayers();
      var drawn = layout(byType, types, zoom, {
        scale: scale, ox: 0, oy: 0,
        line: function (e) { return {x: e.x0 * scale, y: e.y0 * scale}; }
      });
      var want = new Set();
      drawn.singles.forEach(function (it) { want.add(it.e); });
      drawn.groups.forEach(function (g) {
        var el = document.createElement("div");
        el.className = "mapper-cluster";
        el.style.background = groupGradient(g, styles);
        el.style.width = el.style.height = 2 * g.r + "px";
        el.appendChild(text("span", String(g.events.length), "mapper-cluster-count"));
        el.title = groupTitle(g);
        var at = map.unproject([g.x, g.y], zoom);
        var marker = L.marker(at, {
          icon: L.divIcon({className: "mapper-cluster-icon", html: el, iconSize: [2 * g.r, 2 * g.r]}),
          keyboard: true,
          title: el.title
        });
        var members = g.events;
        function choose() {
          // A group that no zoom takes apart (events at one point) is listed, not zoomed into.
          if (M.together(members, map.getMaxZoom())) openMany(members, at);
          else map.setView(at, zoom + 2);
        }
        marker.on("click", choose);
        marker.on("add", function () {
          marker.getElement().setAttribute("role", "button");
          marker.getElement().addEventListener("keydown", function (ev) {
            if (ev.key !== "Enter" && ev.key !== " ") return;
            ev.preventDefault();
            choose();
          });
        });
        clusters.addLayer(marker);
      });
      map.getContainer().setAttribute("data-mapper-groups", String(clusters.getLayers().length));
      types.forEach(function (type) {
        byType[type].forEach(function (e) {
          var on = want.has(e);
          if (on && !e.onMap) events.addLayer(e.layer);
          if (!on && e.onMap) events.removeLayer(e.layer);
          e.onMap = on;
        });
      });
      focusable(drawn.singles);
      lastDrawn = drawn;
      return drawn;
    }
    // Each event drawn alone is reached by Tab and opened by Enter; of events stacked at one
    // point only the first takes a tab stop (Enter there lists them all).
    function focusable(singles) {
      var seen = new Set();
      singles.forEach(function (it) {
        var el = elementOf(it.e);
        if (!el) return;
        var key = (it.e.line ? "l" : it.e.precise ? "p" : "a") + Math.round(it.x) + "," + Math.round(it.y);
        el.setAttribute("tabindex", seen.has(key) ? "-1" : "0");
        seen.add(key);
        if (el.getAttribute("role")) return;
        el.setAttribute("role", "button");
        el.setAttribute("aria-label", describe.tooltip(it.e).textContent);
        el.addEventListener("keydown", function (ev) {
          if (ev.key !== "Enter" && ev.key !== " ") return;
          ev.preventDefault();
          pick(it.e, it.e.latlng);
        });
      });
    }
    map.on("zoomend", refresh);
    return {
      refresh: refresh,
      open: function (e) { open(e); }
    };
  }

  M.svgRenderer = svgRenderer;
})(window.mapper = window.mapper || {});
