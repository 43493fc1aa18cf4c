/* mapper, shapes: each event type has its own, on markers (SVG paths or canvas paths), in the
   tree and in the legend; a marker's size follows its toll. */
(function (M) {
  "use strict";

  function outline(shape, r) {
    var pts = [], i, a, q;
    switch (shape) {
      case "square":
        r *= 0.9;
        return [[-r, -r], [r, -r], [r, r], [-r, r]];
      case "diamond":
        r *= 1.25;
        return [[0, -r], [r, 0], [0, r], [-r, 0]];
      case "triangle":
        r *= 1.25;
        return [[0, -r], [r * 0.95, r * 0.7], [-r * 0.95, r * 0.7]];
      case "star":
        for (i = 0; i < 16; i++) {
          a = Math.PI * i / 8 - Math.PI / 2;
          q = i % 2 ? r * 0.55 : r * 1.25;
          pts.push([q * Math.cos(a), q * Math.sin(a)]);
        }
        return pts;
      case "cross":  // an X: a plus turned by 45 degrees
        var w = r * 0.4, l = r * 1.05;
        [[-w, -l], [w, -l], [w, -w], [l, -w], [l, w], [w, w], [w, l], [-w, l], [-w, w], [-l, w],
          [-l, -w], [-w, -w]].forEach(function (p) {
          pts.push([(p[0] - p[1]) * Math.SQRT1_2, (p[0] + p[1]) * Math.SQRT1_2]);
        });
        return pts;
      default:
        return null;  // a circle
    }
  }

  function svgPath(shape, x, y, r) {
    var pts = outline(shape, r);
    if (!pts) {
      return "M" + (x - r) + "," + y + "a" + r + "," + r + " 0 1,0 " + 2 * r + ",0 a" + r + "," +
        r + " 0 1,0 " + -2 * r + ",0";
    }
    return "M" + pts.map(function (p) {
      return (x + p[0]).toFixed(1) + "," + (y + p[1]).toFixed(1);
    }).join("L") + "Z";
  }

  // Adds one shape to the context's current path (a sub-path of its own).
  function trace(ctx, shape, x, y, r) {
    var pts = outline(shape, r);
    if (!pts) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      return;
    }
    ctx.moveTo(x + pts[0][0], y + pts[0][1]);
    for (var i = 1; i < pts.length; i++) ctx.lineTo(x + pts[i][0], y + pts[i][1]);
    ctx.closePath();
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  function icon(style, size) {
    var svg = document.createElementNS(SVG_NS, "svg"), path = document.createElementNS(SVG_NS, "path");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("class", "mapper-icon mapper-shape-" + style.shape);
    path.setAttribute("d", svgPath(style.shape, size / 2, size / 2, size * 0.36));
    path.setAttribute("fill", style.color);
    path.setAttribute("fill-opacity", "0.75");
    path.setAttribute("stroke", style.color);
    svg.appendChild(path);
    return svg;
  }

  // Marker area grows with the toll: radius in pixels, as the legend says.
  function radius(toll) {
    return !toll || toll <= 0 ? 6 : Math.min(32, 6 + 2.6 * Math.sqrt(toll));
  }

  M.svgPath = svgPath;
  M.trace = trace;
  M.icon = icon;
  M.radius = radius;
})(window.mapper = window.mapper || {});
