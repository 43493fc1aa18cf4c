/* mapper, large maps: every event on one canvas, redrawn on each move; shapes stamped from
   small images drawn once, overlapping markers as rings, clicks found by distance. */
(function (M) {
  "use strict";

  var trace = M.trace, layout = M.layout;

  // A group on the canvas: a ring of its types' colours around a white disc with its count.
  function drawGroup(ctx, g, styles) {
    var from = -Math.PI / 2;
    g.types.forEach(function (t) {
      var to = from + 2 * Math.PI * t[1] / g.events.length;
      ctx.beginPath();
      ctx.moveTo(g.x, g.y);
      ctx.arc(g.x, g.y, g.r, from, to);
      ctx.closePath();
      ctx.fillStyle = styles[t[0]].color;
      ctx.fill();
      from = to;
    });
    ctx.beginPath();
    ctx.arc(g.x, g.y, g.r * 0.64, 0, 2 * Math.PI);
    ctx.fillStyle = "#fff";
    ctx.fill();
    ctx.font = "bold 11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillStyle = "#222";
    ctx.fillText(shortCount(g.events.length), g.x, g.y);
  }

  // A group's count as its disc can hold it: 950, 9.5k, 95k, 1.2M.
  function shortCount(n) {
    if (n < 1000) return String(n);
    if (n < 9950) return (n / 1000).toFixed(1) + "k";
    if (n < 999500) return Math.round(n / 1000) + "k";
    return (n / 1e6).toFixed(1) + "M";
  }

  // A shape drawn as events are: solid for a place, faint and dashed for an area; a hollow
  // one (low confidence) is its outline only.
  function paint(ctx, shape, color, x, y, r, look) {
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.beginPath();
    trace(ctx, shape, x, y, r);
    if (!look.area && !look.hollow) {  // an area's fill is laid down with all the others (_fillAreas)
      ctx.globalAlpha = 0.7;
      ctx.fill();
    }
    ctx.globalAlpha = look.area ? 0.35 : 1;
    ctx.lineWidth = look.hollow && !look.area ? 2 : 1;
    ctx.setLineDash(look.area ? [5, 4] : []);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.lineWidth = 1;
    ctx.globalAlpha = 1;
  }

  var SPRITE_MAX = 200, AREA_FILL = 0.1, sprites = new Map();
  function sprite(shape, color, r, look) {
    var key = shape + color + r + (look.area ? "a" : "p") + (look.hollow ? "h" : "");
    var image = sprites.get(key);
    if (image) return image;
    if (sprites.size > 2000) sprites.clear();
    image = document.createElement("canvas");
    image.width = image.height = Math.ceil(2.6 * r) + 4;  // shapes reach 1.27 r from the centre
    paint(image.getContext("2d"), shape, color, image.width / 2, image.height / 2, r, look);
    sprites.set(key, image);
    return image;
  }

  // Areas of one type drawn at the same whole pixels, the same size: the same marks on the
  // canvas, drawn once. The key is a number, not a string made for each of a million events:
  // the type's place, the centre and the radius; a string where they are too large for one.
  function areaKey(it) {
    var r = Math.round(it.r), rx = Math.round(it.x) + 4096, ry = Math.round(it.y) + 4096;
    return rx >= 0 && rx < 16384 && ry >= 0 && ry < 16384 && r < 4096 ?
      ((it.t * 16384 + rx) * 16384 + ry) * 4096 + r : it.t + ":" + rx + "," + ry + "," + r;
  }

  function kindOf(e) {
    return e.line ? "line" : e.precise ? "point" : "area";
  }

  // A border line; a hollow one (low confidence) with a white core, its edges in its colour.
  function drawLine(ctx, map, paths, color, hollow) {
    var points = paths.map(function (path) {
      return path.map(function (ll) { return map.latLngToContainerPoint(ll); });
    });
    function stroke(style, width, alpha) {
      ctx.strokeStyle = style;
      ctx.lineWidth = width;
      ctx.globalAlpha = alpha;
      points.forEach(function (path) {
        ctx.beginPath();
        path.forEach(function (p, k) {
          if (k) ctx.lineTo(p.x, p.y); else ctx.moveTo(p.x, p.y);
        });
        ctx.stroke();
      });
    }
    ctx.lineCap = "round";
    stroke(color, 5, M.BORDER_OPACITY);
    if (hollow) stroke("#fff", 2, 1);
    ctx.lineWidth = 1;
    ctx.globalAlpha = 1;
  }

  // A country's outline as one path of its rings, in screen pixels.
  function outlinePath(ctx, map, rings) {
    ctx.beginPath();
    rings.forEach(function (ring) {
      ring.forEach(function (ll, k) {
        var p = map.latLngToContainerPoint(ll);
        if (k) ctx.lineTo(p.x, p.y); else ctx.moveTo(p.x, p.y);
      });
      ctx.closePath();
    });
  }

  function lineDistance(map, paths, at) {
    var best = Infinity;
    paths.forEach(function (path) {
      for (var k = 1; k < path.length; k++) {
        var a = map.latLngToContainerPoint(path[k - 1]), b = map.latLngToContainerPoint(path[k]);
        best = Math.min(best, L.LineUtil.pointToSegmentDistance(at, a, b));
      }
    });
    return best;
  }

  var CanvasEvents = L.Layer.extend({
    initialize: function (byType, types, styles) {
      this._byType = byType;
      this._types = types;
      this._styles = styles;
      this._drawn = [];
    },
    onAdd: function (map) {
      this._map = map;
      this._canvas = L.DomUtil.create("canvas", "mapper-canvas leaflet-zoom-hide");
      // Its own pane above the overlays: Leaflet stacks any SVG (the basemap's translucent
      // countries) over canvases of the same pane.
      var pane = map.getPane("mapperCanvas") || map.createPane("mapperCanvas");
      pane.style.zIndex = "402";
      pane.appendChild(this._canvas);
      map.on("moveend zoomend resize viewreset", this.redraw, this);
      map.on("click", this._click, this);
      this.redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset", this.redraw, this);
      map.off("click", this._click, this);
    },
    redraw: function () {
      var map = this._map, size = map.getSize(), canvas = this._canvas, styles = this._styles;
      canvas.width = size.x;
      canvas.height = size.y;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      // Screen point = projected point at zoom 0 × 2^zoom − the view's pixel origin: the
      // projection is done once per event, not on every redraw.
      var zoom = map.getZoom(), scale = Math.pow(2, zoom), origin = map.getPixelOrigin();
      var pane = map.containerPointToLayerPoint([0, 0]), ox = origin.x + pane.x, oy = origin.y + pane.y;
      var ctx = canvas.getContext("2d");
      this._drawn = layout(this._byType, this._types, zoom, {
        scale: scale, ox: ox, oy: oy, width: size.x, height: size.y,
        line: function (e) { return map.latLngToContainerPoint(e.latlng); }
      });
      // Areas first, then border lines, then markers, then groups: the smaller on top. Shapes
      // are stamped from small images drawn once per type and size: 100,000 events stay fast.
      var drawn = this._drawn, outlined = new Set();
      this._fillAreas(ctx, size, drawn.singles);
      ["area", "line", "point"].forEach(function (kind) {
        drawn.singles.forEach(function (it) {
          if (kindOf(it.e) !== kind) return;
          var style = styles[it.e.type];
          if (kind === "line") {
            drawLine(ctx, map, it.e.line, style.color, it.e.low);
            return;
          }
          if (it.e.outline) {
            // A country: its outline, dashed as an area's edge is (its fill laid down below).
            // (the events of one type known only to one country share one outline)
            var key = style.color + it.e.outlineId;
            if (outlined.has(key)) return;
            outlined.add(key);
            outlinePath(ctx, map, it.e.outline);
            ctx.strokeStyle = style.color;
            ctx.globalAlpha = 0.6;
            ctx.lineWidth = 1.5;
            ctx.setLineDash([5, 4]);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.globalAlpha = 1;
            ctx.lineWidth = 1;
            return;
          }
          if (kind === "area") {
            // (a hollow area and a solid one at the same place are both drawn)
            var key = it.e.low ? "h" + areaKey(it) : areaKey(it);
            if (outlined.has(key)) return;
            outlined.add(key);
          }
          var shape = kind === "point" ? style.shape : "circle", r = Math.round(it.r);
          var look = {area: kind === "area", hollow: it.e.low};
          if (r > SPRITE_MAX) {
            paint(ctx, shape, style.color, it.x, it.y, r, look);
            return;
          }
          var image = sprite(shape, style.color, r, look);
          ctx.drawImage(image, Math.round(it.x - image.width / 2), Math.round(it.y - image.height / 2));
        });
      });
      drawn.groups.forEach(function (g) { drawGroup(ctx, g, styles); });
      map.getContainer().setAttribute("data-mapper-groups", String(drawn.groups.length));
    },
    // Areas' fills, flat on a buffer then laid down faintly once: a hundred areas over one
    // province tint it no darker than one does (their dashed outlines still show each).
    _fillAreas: function (ctx, size, singles) {
      var map = this._map, buffer = this._buffer || (this._buffer = document.createElement("canvas"));
      buffer.width = size.x;
      buffer.height = size.y;
      var g = buffer.getContext("2d"), styles = this._styles, any = false, filled = new Set();
      singles.forEach(function (it) {
        if (kindOf(it.e) !== "area" || it.e.low) return;  // a hollow area has no fill
        // Events known only to the same district or country share its centre: on this flat
        // buffer, filling their disc once looks the same as filling it for each of them.
        var color = styles[it.e.type].color, key = areaKey(it);
        if (filled.has(key)) return;
        filled.add(key);
        g.fillStyle = color;
        if (it.e.outline) {
          outlinePath(g, map, it.e.outline);
        } else {
          g.beginPath();
          g.arc(it.x, it.y, it.r, 0, 2 * Math.PI);
        }
        g.fill();
        any = true;
      });
      if (!any) return;
      ctx.globalAlpha = AREA_FILL;
      ctx.drawImage(buffer, 0, 0);
      ctx.globalAlpha = 1;
    },
    _click: function (ev) {
      var map = this._map, at = ev.containerPoint, hits = [], group = null;
      this._drawn.groups.forEach(function (g) {
        if (Math.hypot(g.x - at.x, g.y - at.y) <= g.r) group = g;
      });
      if (group) {
        var members = group.events;
        // A group that no zoom takes apart (events at one point) is listed, not zoomed into.
        if (M.together(members, map.getMaxZoom())) {
          this.fire("pickMany", {entries: members, latlng: ev.latlng});
        } else {
          map.setView(map.containerPointToLatLng([group.x, group.y]), map.getZoom() + 2);
        }
        return;
      }
      this._drawn.singles.forEach(function (it) {
        var e = it.e;
        var d = e.line ? lineDistance(map, e.line, at) : Math.hypot(it.x - at.x, it.y - at.y);
        if (d <= (e.line ? 6 : Math.min(it.r, 40) + 2)) hits.push({e: e, d: d});
      });
      if (!hits.length) return;
      var under = M.onTop(hits);
      if (under.length > 1) this.fire("pickMany", {entries: under, latlng: ev.latlng});
      else this.fire("pick", {entry: under[0]});
    }
  });

  M.CanvasEvents = CanvasEvents;
  M.shortCount = shortCount;
})(window.mapper = window.mapper || {});
