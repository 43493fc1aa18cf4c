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
    return inflate(bytes);
  }

  // Bytes compressed with zlib → the JSON they hold.
  function inflate(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  }

  // A packed block unpacked once, when first asked for: value stays null until load()'s
  // promise is done. part(i), a promise of the columns that hold event i, has(i) and merged
  // (the columns, read where has(i) holds) are those of detailParts, for a page that keeps
  // its details in itself.
  function lazyPacked(id) {
    var loading = null, block = {value: null, merged: null};
    block.load = function () {
      loading = loading || Promise.resolve(id).then(readPacked).then(function (x) {
        block.value = block.merged = expand(x);
      });
      return loading;
    };
    block.part = function () { return block.load().then(function () { return block.value; }); };
    block.parts = block.part;
    block.has = function () { return block.value !== null; };
    block.beside = null;
    return block;
  }

  // The details of a large map, kept beside the page in files of meta.size events each
  // (render.py's Beside): fetched when an event of a part is first needed, which only a served
  // page can do. The parts' columns go into columns of all n events, their codes into one
  // table of strings; value is that whole once every part is in (load()).
  function detailParts(meta, n) {
    var block = {value: null, beside: meta}, merged = {n: n, strings: []}, index = new Map();
    var repeated = new Set(meta.repeated), fetched = [], loading = null, parts = [];
    function code(strings, c) {
      if (c === null || c === undefined) return null;
      var s = strings[c], k = index.get(s);
      if (k === undefined) {
        k = merged.strings.length;
        merged.strings.push(s);
        index.set(s, k);
      }
      return k;
    }
    function merge(k, x) {
      var first = k * meta.size;
      Object.keys(x).forEach(function (key) {
        if (key === "n" || key === "strings") return;
        var col = merged[key] || (merged[key] = new Array(n).fill(null)), src = x[key], j;
        if (repeated.has(key)) {
          for (j = 0; j < x.n; j++) col[first + j] = code(x.strings, src[j]);
        } else {
          for (j = 0; j < x.n; j++) col[first + j] = src[j];
        }
      });
      parts[k] = true;
    }
    function part(k) {
      if (!fetched[k]) {
        var url = new URL(meta.folder + "/" + k + ".bin", document.baseURI);
        fetched[k] = fetch(url).then(function (r) {
          if (!r.ok) {
            var failed = new Error(r.status + " " + r.statusText + " for " + url.pathname);
            failed.status = r.status;
            throw failed;
          }
          return r.arrayBuffer();
        }).then(inflate).then(function (x) { merge(k, expand(x)); });
        // (a failed part may be asked for again: the server may be back)
        fetched[k].catch(function () { fetched[k] = null; });
      }
      return fetched[k];
    }
    block.has = function (i) { return parts[Math.floor(i / meta.size)] === true; };
    block.part = function (i) {
      return part(Math.floor(i / meta.size)).then(function () { return merged; });
    };
    // A promise of the columns once the parts of all these events are in.
    block.parts = function (indices) {
      var want = new Set();
      indices.forEach(function (i) { want.add(Math.floor(i / meta.size)); });
      return Promise.all(Array.from(want, part)).then(function () { return merged; });
    };
    block.load = function () {
      if (!loading) {
        var all = [];
        for (var k = 0; k < meta.parts; k++) all.push(part(k));
        loading = Promise.all(all).then(function () { block.value = merged; });
        loading.catch(function () { loading = null; });
      }
      return loading;
    };
    block.merged = merged;
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

  // The first view's columns (the events of the page's data block), expanded, with their
  // dates, sent as codes into the table of strings as they repeat, made strings again.
  function firstView(events) {
    var d = expand(events);
    if (d.event_date) {
      d.event_date = d.event_date.map(function (c) { return c === null ? null : d.strings[c] || null; });
    }
    return d;
  }

  // A point's place on the map at zoom 0, in pixels: Leaflet's projection, done in place for
  // the web Mercator every folium map uses (a million points, a fifth of a second less).
  var MAX_LATITUDE = 85.0511287798;
  function project(crs, lat, lon) {
    if (crs !== L.CRS.EPSG3857) return crs.latLngToPoint(L.latLng(lat, lon), 0);
    var phi = Math.max(Math.min(lat, MAX_LATITUDE), -MAX_LATITUDE) * Math.PI / 180;
    return {
      x: 256 * (0.5 + lon / 360),
      y: 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI))
    };
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
  M.project = project;
  M.firstView = firstView;
  M.lazyPacked = lazyPacked;
  M.detailParts = detailParts;
  M.borderName = borderName;
  M.borderLines = borderLines;
  M.rings = rings;
})(window.mapper = window.mapper || {});
