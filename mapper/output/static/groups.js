/* mapper, groups: where each event is drawn at a zoom, in screen pixels, and which markers
   that overlap there are drawn as one group; both renderers (svg.js, canvas.js) draw this. */
(function (M) {
  "use strict";

  // Events known only to a district, province or country are drawn as translucent areas of
  // about that size, never as a confident pin.
  var AREA_METRES = {2: 20000, 3: 90000, 4: 300000};
  // An event "at the border" of two countries is drawn along all of the line they share, as
  // faint as this: the text names the border, not which stretch of it.
  var BORDER_OPACITY = 0.45;
  // Below this zoom, markers that overlap on screen are drawn as one group with its count.
  // Areas wider than a marker and border lines are never grouped: they are not points.
  // A marker joins a group when it touches the group's first marker, or lies this close to it.
  var CLUSTER_BELOW_ZOOM = 10, CLUSTER_GAP = 6, CLUSTER_NEAR = 30, CLUSTER_MAX_AREA = 16;
  var CLUSTER_CELL = 80;  // at least the farthest join: two 32-pixel markers and the gap

  // Areas are drawn at about their real size: in pixels at a zoom.
  function pixels(e, zoom) {
    if (e.precise) return e.radius;
    var metresPerPixel = 40075016.686 * Math.cos(e.latlng[0] * Math.PI / 180) / Math.pow(2, zoom + 8);
    return Math.max(4, (AREA_METRES[e.precision] || AREA_METRES[4]) / metresPerPixel);
  }

  // Items {x, y, r, e} in screen pixels → groups {x, y, r, items}; each item joins the first
  // group whose first marker it touches. A grid keeps this linear for 100,000 events.
  function groupItems(items) {
    var grid = new Map(), groups = [];
    for (var n = 0; n < items.length; n++) {
      var it = items[n], cx = Math.floor(it.x / CLUSTER_CELL), cy = Math.floor(it.y / CLUSTER_CELL);
      var best = null, bestD = Infinity;
      for (var gx = cx - 1; gx <= cx + 1; gx++) {
        for (var gy = cy - 1; gy <= cy + 1; gy++) {
          var list = grid.get(gx * 65536 + gy);
          if (list === undefined) continue;
          for (var k = 0; k < list.length; k++) {
            // Squared distances: no square root for each of 100,000 markers.
            var g = list[k], dx = g.x0 - it.x, dy = g.y0 - it.y, dd = dx * dx + dy * dy;
            var reach = Math.max(g.r0 + it.r + CLUSTER_GAP, CLUSTER_NEAR);
            if (dd <= reach * reach && dd < bestD) {
              best = g;
              bestD = dd;
            }
          }
        }
      }
      if (best) {
        best.items.push(it);
        best.sx += it.x;
        best.sy += it.y;
        continue;
      }
      var group = {x0: it.x, y0: it.y, r0: it.r, sx: it.x, sy: it.y, items: [it]};
      var key = cx * 65536 + cy, cell = grid.get(key);
      if (cell === undefined) grid.set(key, [group]);
      else cell.push(group);
      groups.push(group);
    }
    groups.forEach(function (g) {
      var n = g.items.length;
      g.x = g.sx / n;
      g.y = g.sy / n;
      g.r = Math.min(20, 10 + 1.5 * Math.log2(n));
    });
    return groups;
  }

  // The events as drawn at this zoom, in screen pixels: {singles, groups}. Singles come in the
  // order of the types; a group holds overlapping markers of any types (g.types: [type, n]).
  // position(e) gives an event's pixel point; only events for which keep(e, point, r) holds count.
  function layout(entries, types, zoom, position, keep) {
    var grouped = zoom < CLUSTER_BELOW_ZOOM, singles = [], loose = [], groups = [];
    types.forEach(function (type) {
      entries[type].forEach(function (e) {
        if (!e.shown) return;
        var pt = position(e), r = e.line ? 0 : pixels(e, zoom);
        if (!keep(e, pt, r)) return;
        var it = {x: pt.x, y: pt.y, r: r, e: e};
        if (grouped && !e.line && r <= (e.precise ? 32 : CLUSTER_MAX_AREA)) loose.push(it);
        else singles.push(it);
      });
    });
    var alone = new Set();
    groupItems(loose).forEach(function (g) {
      if (g.items.length === 1) {
        alone.add(g.items[0]);
        return;
      }
      var n = {};
      g.items.forEach(function (it) { n[it.e.type] = (n[it.e.type] || 0) + 1; });
      g.types = types.filter(function (t) { return n[t]; }).map(function (t) { return [t, n[t]]; });
      groups.push(g);
    });
    // Markers left alone keep their type's place in the drawing order.
    loose.forEach(function (it) { if (alone.has(it)) singles.push(it); });
    return {singles: singles, groups: groups};
  }

  // Whether events lie so close that no zoom up to maxZoom draws them a pixel apart: a group of
  // them is opened as a list, not zoomed into.
  function together(entries, maxZoom) {
    var scale = Math.pow(2, maxZoom), e0 = entries[0];
    return entries.every(function (e) {
      return Math.abs(e.x0 - e0.x0) * scale < 1 && Math.abs(e.y0 - e0.y0) * scale < 1;
    });
  }

  // Of the events under a click ({e, d}: d its distance from the click), those drawn on top: a
  // marker over a line over an area. Several are listed, one is opened.
  function onTop(hits) {
    function rank(h) { return h.e.precise ? 0 : h.e.line ? 1 : 2; }
    var top = Math.min.apply(null, hits.map(rank));
    return hits.filter(function (h) { return rank(h) === top; })
      .sort(function (a, b) { return a.d - b.d; }).map(function (h) { return h.e; });
  }

  M.AREA_METRES = AREA_METRES;
  M.BORDER_OPACITY = BORDER_OPACITY;
  M.together = together;
  M.onTop = onTop;
  M.CLUSTER_BELOW_ZOOM = CLUSTER_BELOW_ZOOM;
  M.layout = layout;
})(window.mapper = window.mapper || {});
