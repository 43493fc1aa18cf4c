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

  // Cells of markers (those at one whole pixel, of one size: {x, y, r, sx, sy, events}) →
  // groups {x0, y0, r0, sx, sy, events}; each cell joins the first group whose first marker
  // its first marker touches. A grid keeps this linear in the cells.
  function groupCells(cells) {
    var grid = new Map(), groups = [];
    for (var n = 0; n < cells.length; n++) {
      var c = cells[n], cx = Math.floor(c.x / CLUSTER_CELL), cy = Math.floor(c.y / CLUSTER_CELL);
      var best = null, bestD = Infinity;
      for (var gx = cx - 1; gx <= cx + 1; gx++) {
        for (var gy = cy - 1; gy <= cy + 1; gy++) {
          var list = grid.get(gx * 65536 + gy);
          if (list === undefined) continue;
          for (var k = 0; k < list.length; k++) {
            // Squared distances: no square root for each of them.
            var g = list[k], dx = g.x0 - c.x, dy = g.y0 - c.y, dd = dx * dx + dy * dy;
            var reach = Math.max(g.r0 + c.r + CLUSTER_GAP, CLUSTER_NEAR);
            if (dd <= reach * reach && dd < bestD) {
              best = g;
              bestD = dd;
            }
          }
        }
      }
      if (best) {
        for (var j = 0; j < c.events.length; j++) best.events.push(c.events[j]);
        best.sx += c.sx;
        best.sy += c.sy;
        continue;
      }
      var group = {x0: c.x, y0: c.y, r0: c.r, sx: c.sx, sy: c.sy, events: c.events, t: c.t};
      var key = cx * 65536 + cy, cell = grid.get(key);
      if (cell === undefined) grid.set(key, [group]);
      else cell.push(group);
      groups.push(group);
    }
    return groups;
  }

  // The events as drawn at this zoom, in screen pixels: {singles, groups}. Singles ({x, y, r,
  // e, t}: t the place of e's type in types) come in the order of the types; a group ({x, y,
  // r, events, types: [[type, n]]}) holds overlapping markers of any types.
  // view: {scale (2^zoom), ox, oy (the view's pixel origin), line(e) (the pixel point of an
  // event on a border), width, height (events wholly outside are left out; none if absent)}.
  // An event's pixel point is its projection at zoom 0 × scale − origin, worked out here in
  // place: this runs over every event shown at every redraw. Markers that may be grouped are
  // first gathered by whole pixel: zoomed out, a million of them fall on a few tens of
  // thousands of pixels, and those at one pixel would join one group anyway.
  function layout(entries, types, zoom, view) {
    var grouped = zoom < CLUSTER_BELOW_ZOOM, singles = [], groups = [];
    var scale = view.scale, ox = view.ox, oy = view.oy, clip = view.width !== undefined;
    var width = view.width, height = view.height, cells = [], byPixel = new Map();
    // On a canvas, the pixels of the view (and a margin) are a table of the cells' numbers; a
    // cell's first marker stands for those that fall on its pixel, whatever their size. Drawn
    // whole (SVG, a small map), markers are gathered by pixel and size.
    var MARGIN = 34, stride = clip ? width + 2 * MARGIN : 0;
    var dense = clip && grouped ? new Int32Array(stride * (height + 2 * MARGIN)) : null;
    for (var t = 0; t < types.length; t++) {
      var list = entries[types[t]];
      for (var k = 0; k < list.length; k++) {
        var e = list[k];
        if (!e.shown) continue;
        var x, y, r = 0;
        if (e.line) {
          var pt = view.line(e);
          x = pt.x;
          y = pt.y;
        } else {
          x = e.x0 * scale - ox;
          y = e.y0 * scale - oy;
          r = pixels(e, zoom);
          if (clip && (x < -r || y < -r || x > width + r || y > height + r)) continue;
        }
        if (!grouped || e.line || r > (e.precise ? 32 : CLUSTER_MAX_AREA)) {
          singles.push({x: x, y: y, r: r, e: e, t: t});
          continue;
        }
        var px = Math.round(x), py = Math.round(y), cell = null;
        if (dense) {
          // (a marker that may be grouped is at most 32 pixels wide: within the margin)
          var at = (py + MARGIN) * stride + px + MARGIN;
          if (dense[at]) cell = cells[dense[at] - 1];
          else dense[at] = cells.length + 1;
        } else {
          var key = px + "," + py + "," + Math.round(r), known = byPixel.get(key);
          if (known !== undefined) cell = cells[known];
          else byPixel.set(key, cells.length);
        }
        if (!cell) {
          cell = {x: x, y: y, r: r, sx: 0, sy: 0, events: [], t: t};
          cells.push(cell);
        }
        cell.events.push(e);
        cell.sx += x;
        cell.sy += y;
      }
    }
    // Each type's place in types, by its place among all types (e.t).
    var place = [];
    types.forEach(function (type, t) { if (entries[type].length) place[entries[type][0].t] = t; });
    var lone = [];
    groupCells(cells).forEach(function (g) {
      var n = g.events.length;
      if (n === 1) {
        lone.push({x: g.sx, y: g.sy, r: g.r0, e: g.events[0], t: g.t});
        return;
      }
      g.x = g.sx / n;
      g.y = g.sy / n;
      g.r = Math.min(20, 10 + 1.5 * Math.log2(n));
      var counts = new Array(types.length).fill(0);
      for (var j = 0; j < n; j++) counts[place[g.events[j].t]] += 1;
      g.types = [];
      types.forEach(function (type, t) { if (counts[t]) g.types.push([type, counts[t]]); });
      groups.push(g);
    });
    // Markers left alone keep their type's place in the drawing order: cells are made type by
    // type, and groups in the order of their first cells.
    return {singles: singles.concat(lone), groups: groups};
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
