/* mapper, part 1 of the page's scripts: the namespace they share, text-only elements and the
   page's data. render.py inlines the parts in a fixed order (_SCRIPTS); each adds what it
   makes to window.mapper and takes what it uses from the parts before it. Article text never
   becomes HTML in any part: every string goes through textContent. */
(function (M) {
  "use strict";

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }

  // The page's data: blocks written by render.py, read (never run) when needed.
  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  // A block of JSON compressed with zlib, in base64: a promise of its value.
  function readPacked(id) {
    var text = document.getElementById(id).textContent.trim();
    var bytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64(text) :
      Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  }

  // A packed block unpacked once, when first asked for: value stays null until load()'s
  // promise is done.
  function lazyPacked(id) {
    var loading = null, block = {value: null};
    block.load = function () {
      loading = loading || Promise.resolve(id).then(readPacked).then(function (x) {
        block.value = expand(x);
      });
      return loading;
    };
    return block;
  }

  function borderName(b) {
    return b.names.join("–") + " border";
  }

  // Columns sent as {"sparse": {index: value}} are mostly empty, and those sent as {"fixed":
  // width, "text": ...} strings of one width run together: make them arrays again.
  function expand(d) {
    Object.keys(d).forEach(function (key) {
      var col = d[key];
      if (col && typeof col === "object" && !Array.isArray(col) && col.fixed) {
        var cut = new Array(d.n);
        for (var k = 0; k < d.n; k++) cut[k] = col.text.substr(k * col.fixed, col.fixed);
        d[key] = cut;
        return;
      }
      if (col && typeof col === "object" && !Array.isArray(col) && col.sparse) {
        var full = new Array(d.n).fill(null);
        Object.keys(col.sparse).forEach(function (i) { full[+i] = col.sparse[i]; });
        d[key] = full;
      }
    });
    return d;
  }

  // A border's paths as [lat, lon] lists, and the point an event on it is found at (the middle
  // of its longest stretch).
  function borderLines(b) {
    var paths = b.paths.map(function (flat) {
      var path = [];
      for (var k = 0; k + 1 < flat.length; k += 2) path.push([flat[k], flat[k + 1]]);
      return path;
    });
    var longest = paths.reduce(function (a, p) { return p.length > a.length ? p : a; }, []);
    return {paths: paths, middle: longest[Math.floor(longest.length / 2)]};
  }

  // A country's outline: flat [lat, lon, ...] rings as lists of [lat, lon].
  function rings(flatRings) {
    return flatRings.map(function (flat) {
      var ring = [];
      for (var k = 0; k + 1 < flat.length; k += 2) ring.push([flat[k], flat[k + 1]]);
      return ring;
    });
  }

  // Whether an event's confidence (two decimals, or null when not known) is below the page's
  // threshold (config.low_confidence, set in render.py): the one test the drawing, the filter
  // and the popup share.
  function isLow(confidence, threshold) {
    return typeof confidence === "number" && confidence < threshold;
  }

  M.text = text;
  M.isLow = isLow;
  M.readJson = readJson;
  M.expand = expand;
  M.lazyPacked = lazyPacked;
  M.borderName = borderName;
  M.borderLines = borderLines;
  M.rings = rings;
})(window.mapper = window.mapper || {});
