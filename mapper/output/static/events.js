/* mapper: draw events from data, build popups and the summary from text nodes only.
   Article text never becomes HTML here: every string goes through textContent. */
(function () {
  "use strict";

  var PRECISION = {1: "place", 2: "district / near a place", 3: "province / region", 4: "country"};

  function safeUrl(value) {
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function row(table, label, value) {
    if (value === null || value === undefined || value === "") return;
    var tr = document.createElement("tr");
    var th = document.createElement("th");
    var td = document.createElement("td");
    th.textContent = label;
    td.textContent = String(value);
    tr.appendChild(th);
    tr.appendChild(td);
    table.appendChild(tr);
  }

  function toll(p) {
    if (p.fatalities === null || p.fatalities === undefined) return "not reported";
    var text = String(p.fatalities);
    var low = p.fatalities_low, high = p.fatalities_high;
    if ((low !== null && low !== p.fatalities) || (high !== null && high !== p.fatalities)) {
      text += " (" + (low === null ? "?" : low) + "–" + (high === null ? "?" : high) + ")";
    }
    return text;
  }

  var NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"];

  // Lower case without accents, one character for one, so that offsets still point into the text
  // (the gazetteer writes North Wazīristān where the article writes North Waziristan).
  function fold(text) {
    return Array.prototype.map.call(text, function (c) {
      var plain = c.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
      return plain.length === 1 ? plain : c;
    }).join("");
  }

  // Where the text names a term as a whole word (folded offsets are the text's own).
  var WORD = /[0-9A-Za-z\u00c0-\u024f]/;
  function exactSpans(text, folded, term) {
    var spans = [], needle = fold(term), from = 0, at;
    while ((at = folded.indexOf(needle, from)) !== -1) {
      var end = at + needle.length;
      from = end;
      // A toll of 8 is not the 8 in 18 or 2025.
      if (WORD.test(text.charAt(at - 1)) || WORD.test(text.charAt(end))) continue;
      spans.push({start: at, end: end});
    }
    return spans;
  }

  function editDistance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  // The run of words in the text most like a name written another way (Darra for Dara, Miran
  // Shah for Miranshah, -e- for -i-): same first letter, at most one edit in five.
  var WORDS = /[0-9a-z\u00c0-\u024f]+/g;
  function fuzzySpan(folded, name) {
    var target = (fold(name).match(WORDS) || []).join(""), n = (fold(name).match(WORDS) || []).length;
    if (target.length < 4) return null;
    var words = [], m, best = null, bestScore = 0.8;
    WORDS.lastIndex = 0;
    while ((m = WORDS.exec(folded)) !== null) words.push({start: m.index, end: m.index + m[0].length, w: m[0]});
    for (var i = 0; i < words.length; i++) {
      if (words[i].w.charAt(0) !== target.charAt(0)) continue;
      var joined = "";
      for (var k = 0; k < n + 2 && i + k < words.length; k++) {
        joined += words[i + k].w;
        if (joined.length > target.length * 1.3) break;
        var score = 1 - editDistance(joined, target) / Math.max(joined.length, target.length);
        if (score >= bestScore) {
          best = {start: words[i].start, end: words[i + k].end};
          bestScore = score;
        }
      }
    }
    return best;
  }

  // The evidence as text nodes, with the place and the toll marked where the sentence names
  // them; never parsed as HTML. A place the sentence spells differently is found by likeness.
  function highlight(el, text, terms) {
    var spans = [], folded = fold(text);
    terms.forEach(function (t) {
      var found = [];
      t.terms.forEach(function (term) {
        if (term) found = found.concat(exactSpans(text, folded, term));
      });
      if (!found.length && t.fuzzy) {
        t.terms.forEach(function (term) {
          var hit = term && !found.length ? fuzzySpan(folded, term) : null;
          if (hit) found.push(hit);
        });
      }
      found.forEach(function (s) { spans.push({start: s.start, end: s.end, cls: t.cls}); });
    });
    spans.sort(function (a, b) { return a.start - b.start; });
    var pos = 0;
    spans.forEach(function (s) {
      if (s.start < pos) return;  // overlaps an earlier mark
      if (s.start > pos) el.appendChild(document.createTextNode(text.slice(pos, s.start)));
      var mark = document.createElement("mark");
      mark.className = s.cls;
      mark.textContent = text.slice(s.start, s.end);
      el.appendChild(mark);
      pos = s.end;
    });
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
  }

  // "Source: name", linked only to an http(s) URL (a javascript: URL stays plain text).
  function sourceLine(prefix, name, url, fallback) {
    var line = document.createElement("div");
    line.className = "mapper-source";
    var href = safeUrl(url);
    var label = name || (href ? new URL(href).hostname : fallback);
    line.appendChild(document.createTextNode(prefix));
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = label;
      line.appendChild(link);
    } else {
      line.appendChild(document.createTextNode(label));
    }
    return line;
  }

  function popup(p) {
    var root = document.createElement("div");
    root.className = "mapper-popup";
    var title = document.createElement("div");
    title.className = "mapper-popup-type";
    title.textContent = p.event_type + (p.sub_event_type ? " — " + p.sub_event_type : "");
    root.appendChild(title);
    var table = document.createElement("table");
    row(table, "Date", p.event_date ? p.event_date + " (" + p.date_precision + ")" : "unknown");
    var actors = [p.actor1, p.actor2].filter(function (a) { return a; }).join(" vs ");
    row(table, "Actors", actors || "not named");
    row(table, "Killed", toll(p));
    row(table, "Injured", p.injured);
    // "ZZ" is the gazetteer's code for seas and regions of many countries: no country to name.
    var where = [p.location, p.admin2, p.admin1, p.country].filter(function (a, i, all) {
      return a && a !== "ZZ" && all.indexOf(a) === i;
    }).join(", ");
    row(table, "Place", where + " — precision " + p.geo_precision + ": " + (PRECISION[p.geo_precision] || "?"));
    row(table, "Drawn", p.border ? "along the " + p.border : null);
    row(table, "Notes", p.notes);
    root.appendChild(table);
    var quote = document.createElement("blockquote");
    quote.className = "mapper-evidence";
    var killed = p.fatalities > 0 ? [String(p.fatalities), NUMBER_WORDS[p.fatalities]] : [];
    highlight(quote, p.evidence || "", [
      {terms: [p.location], cls: "mapper-mark-place", fuzzy: true},
      {terms: killed, cls: "mapper-mark-toll"}
    ]);
    root.appendChild(quote);
    root.appendChild(sourceLine("Source: ", p.source, p.source_url, "source not given"));
    (p.also_reported || []).forEach(function (r) {
      root.appendChild(sourceLine("Also: ", r.source, r.source_url, "another article"));
    });
    return root;
  }

  // Events known only to a district, province or country are drawn as translucent areas of
  // about that size, never as a confident pin.
  var AREA_METRES = {2: 20000, 3: 90000, 4: 300000};
  // Below this zoom, markers that overlap on screen are drawn as one group with its count.
  // Areas wider than a marker and border lines are never grouped: they are not points.
  // A marker joins a group when it touches the group's first marker, or lies this close to it.
  var CLUSTER_BELOW_ZOOM = 10, CLUSTER_GAP = 6, CLUSTER_NEAR = 30, CLUSTER_MAX_AREA = 16;
  var CLUSTER_CELL = 80;  // at least the farthest join: two 32-pixel markers and the gap

  // Room kept clear of the panels (dates and search on the left, types and legend on the right):
  // a popup opening under one is panned clear of it.
  var CLEAR_TOP_LEFT = [230, 40], CLEAR_BOTTOM_RIGHT = [290, 40];
  var POPUP = {
    maxWidth: 360, autoPanPaddingTopLeft: CLEAR_TOP_LEFT, autoPanPaddingBottomRight: CLEAR_BOTTOM_RIGHT
  };

  // How long after its first view the page unpacks the popups' fields (see mapperDraw).
  var UNPACK_AFTER_MS = 1000;

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }

  // The first day an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) can mean, for ordering.
  function firstDay(date) {
    if (!date) return null;
    return date.length === 4 ? date + "-01-01" : date.length === 7 ? date + "-01" : date;
  }

  function summaryControl(map, s) {
    var control = L.control({position: "bottomleft"});
    var counts = null;
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-summary");
      L.DomEvent.disableClickPropagation(div);
      counts = text("div", "", "mapper-counts");
      div.appendChild(counts);
      div.appendChild(text("div", s.articles + " articles" +
        (s.problems ? " · " + s.problems + " not read" : "")));
      div.appendChild(text("div", s.first ? "dates " + s.first + " to " + s.last : "no dated events"));
      if (s.unresolved && s.unresolved.length) {
        var details = document.createElement("details");
        details.appendChild(text("summary", s.unresolved.length + " names not in the gazetteer"));
        details.appendChild(text("div", s.unresolved.join(", "), "mapper-unresolved"));
        div.appendChild(details);
      }
      return div;
    };
    control.addTo(map);
    return function (shown, killed) {
      counts.textContent = shown + " events shown · " + killed + " killed";
    };
  }

  function timeControl(map, days, onChange) {
    if (days.length < 2) return;
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-time");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var from = document.createElement("input"), to = document.createElement("input");
      [from, to].forEach(function (input, i) {
        input.type = "range";
        input.min = "0";
        input.max = String(days.length - 1);
        input.value = i === 0 ? "0" : String(days.length - 1);
        input.className = i === 0 ? "mapper-time-from" : "mapper-time-to";
        input.setAttribute("aria-label", i === 0 ? "from date" : "to date");
      });
      var label = text("div", "", "mapper-time-label");
      function update() {
        var a = Math.min(+from.value, +to.value), b = Math.max(+from.value, +to.value);
        label.textContent = days[a] + " – " + days[b];
        onChange(days[a], days[b], a === 0 && b === days.length - 1);
      }
      from.addEventListener("input", update);
      to.addEventListener("input", update);
      div.appendChild(text("div", "Dates", "mapper-control-title"));
      div.appendChild(from);
      div.appendChild(to);
      div.appendChild(label);
      label.textContent = days[0] + " – " + days[days.length - 1];
      return div;
    };
    control.addTo(map);
  }

  function searchControl(map, entries, d, open) {
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-search");
      L.DomEvent.disableClickPropagation(div);
      var input = document.createElement("input");
      input.type = "search";
      input.placeholder = "Find a place";
      input.setAttribute("aria-label", "find a place");
      var result = text("div", "", "mapper-search-result");
      input.addEventListener("keydown", function (ev) {
        if (ev.key !== "Enter") return;
        var q = input.value.trim().toLowerCase();
        if (!q) return;
        // An exact name first, then a name that starts with the query, then any that holds it.
        function find(test) {
          return entries.find(function (e) {
            return e.shown && (e.place.some(function (v) {
              return v !== null && v !== undefined && test(d.strings[v].toLowerCase());
            }) || (e.border !== null && test(e.border.toLowerCase())));
          });
        }
        var hit = find(function (n) { return n === q; }) ||
          find(function (n) { return n.indexOf(q) === 0; }) ||
          find(function (n) { return n.indexOf(q) !== -1; });
        if (!hit) {
          result.textContent = "no event at a place called " + input.value.trim();
          return;
        }
        result.textContent = "";
        open(hit, true);
      });
      div.appendChild(input);
      div.appendChild(result);
      return div;
    };
    control.addTo(map);
  }

  // Marker area grows with the toll: radius in pixels, as the legend says.
  function radius(toll) {
    return !toll || toll <= 0 ? 6 : Math.min(32, 6 + 2.6 * Math.sqrt(toll));
  }

  // One event's fields, read from the page's columns when its popup is needed: those of the
  // first view (d) and the details (x), each column of strings with its own table.
  function props(d, x, i, borders) {
    function s(part, column) {
      var v = part[column][i];
      return v === null || v === undefined ? null : part.strings[v];
    }
    var b = d.border ? d.border[i] : null;
    return {
      event_type: s(d, "event_type"), sub_event_type: s(d, "sub_event_type"),
      location: s(d, "location"), admin1: s(d, "admin1"), admin2: s(d, "admin2"),
      date_precision: s(x, "date_precision"), actor1: s(x, "actor1"), actor2: s(x, "actor2"),
      country: s(x, "country"), source: s(x, "source"), source_url: s(x, "source_url"),
      fatalities: d.fatalities[i], fatalities_low: x.fatalities_low[i],
      fatalities_high: x.fatalities_high[i], injured: x.injured[i],
      geo_precision: d.geo_precision[i], event_date: d.event_date[i], evidence: x.evidence[i],
      notes: x.notes[i], also_reported: x.also_reported[i] || [],
      border: b === null || b === undefined ? null : borderName(borders[b])
    };
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

  function borderName(b) {
    return b.names.join("–") + " border";
  }

  // ---- Shapes: each event type has its own, on markers, in the tree and in the legend.
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

  // A circle marker drawn as its type's shape (SVG renderer), clicked and grouped as a marker.
  var ShapeMarker = L.CircleMarker.extend({
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._setPath) return L.CircleMarker.prototype._updatePath.call(this);
      renderer._setPath(this, this._empty() ? "M0 0" :
        svgPath(this.options.shape, this._point.x, this._point.y, this._radius));
    }
  });

  // ---- Groups: markers that overlap on screen when zoomed out.
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

  function groupTitle(g) {
    return g.items.length + " events here: " + g.types.map(function (t) {
      return t[1] + " " + t[0];
    }).join(", ") + " — click to zoom in";
  }

  // A group's ring: one arc per type, as long as its share of the group.
  function groupGradient(g, styles) {
    var at = 0, stops = g.types.map(function (t) {
      var from = at;
      at += 100 * t[1] / g.items.length;
      return styles[t[0]].color + " " + from.toFixed(1) + "% " + at.toFixed(1) + "%";
    });
    return "conic-gradient(" + stops.join(", ") + ")";
  }

  // ---- Small maps: one SVG object per event (shapes, areas, border lines), groups as icons.
  function svgRenderer(map, byType, types, styles, describe) {
    var events = L.layerGroup().addTo(map), clusters = L.layerGroup().addTo(map);
    // Areas below border lines below markers, whatever order they are added in.
    [["mapperAreas", 401], ["mapperLines", 402], ["mapperPoints", 403]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = String(p[1]);
    });
    types.forEach(function (type) {
      var style = styles[type];
      byType[type].forEach(function (e) {
        var cls = "mapper-event mapper-precision-" + e.precision;
        var options = {color: style.color, fillColor: style.color};
        var layer;
        if (e.line) {
          options.weight = 5;
          options.opacity = 0.85;
          options.lineCap = "round";
          options.className = cls + " mapper-border";
          options.pane = "mapperLines";
          layer = L.polyline(e.line, options);
        } else if (e.precise) {
          options.weight = 1.5;
          options.fillOpacity = 0.7;
          options.radius = e.radius;
          options.shape = style.shape;
          options.className = cls + " mapper-shape-" + style.shape;
          options.pane = "mapperPoints";
          layer = new ShapeMarker(e.latlng, options);
        } else {
          // A district, province or country: a translucent area of about that size, not a pin.
          options.weight = 2;
          options.dashArray = "5 4";
          options.fillOpacity = 0.12;
          options.radius = AREA_METRES[e.precision] || AREA_METRES[4];
          options.className = cls + " mapper-area";
          options.pane = "mapperAreas";
          layer = L.circle(e.latlng, options);
        }
        layer.bindPopup(function () { return describe.popup(e); }, POPUP);
        layer.bindTooltip(function () { return describe.tooltip(e); });
        e.layer = layer;
        e.onMap = false;
      });
    });
    function refresh() {
      var zoom = map.getZoom(), scale = Math.pow(2, zoom);
      clusters.clearLayers();
      var drawn = layout(byType, types, zoom, function (e) {
        return {x: e.x0 * scale, y: e.y0 * scale};
      }, function () { return true; });
      var want = new Set();
      drawn.singles.forEach(function (it) { want.add(it.e); });
      drawn.groups.forEach(function (g) {
        var el = document.createElement("div");
        el.className = "mapper-cluster";
        el.style.background = groupGradient(g, styles);
        el.style.width = el.style.height = 2 * g.r + "px";
        el.appendChild(text("span", String(g.items.length), "mapper-cluster-count"));
        el.title = groupTitle(g);
        var at = map.unproject([g.x, g.y], zoom);
        var marker = L.marker(at, {
          icon: L.divIcon({className: "mapper-cluster-icon", html: el, iconSize: [2 * g.r, 2 * g.r]}),
          keyboard: false
        });
        marker.on("click", function () { map.setView(at, zoom + 2); });
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
      return drawn;
    }
    map.on("zoomend", refresh);
    return {
      refresh: refresh,
      open: function (e) { e.layer.openPopup(e.latlng); }
    };
  }

  // ---- Large maps: every event on one canvas, redrawn on each move.
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
      this._drawn = layout(this._byType, this._types, zoom, function (e) {
        return e.line ? map.latLngToContainerPoint(e.latlng) : {x: e.x0 * scale - ox, y: e.y0 * scale - oy};
      }, function (e, pt, r) {
        return e.line || !(pt.x < -r || pt.y < -r || pt.x > size.x + r || pt.y > size.y + r);
      });
      // Areas first, then border lines, then markers, then groups: the smaller on top. Shapes
      // are stamped from small images drawn once per type and size: 100,000 events stay fast.
      var drawn = this._drawn;
      this._fillAreas(ctx, size, drawn.singles);
      ["area", "line", "point"].forEach(function (kind) {
        drawn.singles.forEach(function (it) {
          if (kindOf(it.e) !== kind) return;
          var style = styles[it.e.type];
          if (kind === "line") {
            ctx.strokeStyle = style.color;
            drawLine(ctx, map, it.e.line);
            return;
          }
          var shape = kind === "point" ? style.shape : "circle", r = Math.round(it.r);
          if (r > SPRITE_MAX) {
            paint(ctx, shape, style.color, it.x, it.y, r, kind === "area");
            return;
          }
          var image = sprite(shape, style.color, r, kind === "area");
          ctx.drawImage(image, Math.round(it.x - image.width / 2), Math.round(it.y - image.height / 2));
        });
      });
      drawn.groups.forEach(function (g) { drawGroup(ctx, g, styles); });
      map.getContainer().setAttribute("data-mapper-groups", String(drawn.groups.length));
    },
    // Areas' fills, flat on a buffer then laid down faintly once: a hundred areas over one
    // province tint it no darker than one does (their dashed outlines still show each).
    _fillAreas: function (ctx, size, singles) {
      var buffer = this._buffer || (this._buffer = document.createElement("canvas"));
      buffer.width = size.x;
      buffer.height = size.y;
      var g = buffer.getContext("2d"), styles = this._styles, any = false, filled = new Set();
      singles.forEach(function (it) {
        if (kindOf(it.e) !== "area") return;
        // Events known only to the same district or country share its centre: on this flat
        // buffer, filling their disc once looks the same as filling it for each of them.
        var color = styles[it.e.type].color;
        var key = color + Math.round(it.x) + "," + Math.round(it.y) + "," + Math.round(it.r);
        if (filled.has(key)) return;
        filled.add(key);
        g.fillStyle = color;
        g.beginPath();
        g.arc(it.x, it.y, it.r, 0, 2 * Math.PI);
        g.fill();
        any = true;
      });
      if (!any) return;
      ctx.globalAlpha = AREA_FILL;
      ctx.drawImage(buffer, 0, 0);
      ctx.globalAlpha = 1;
    },
    _click: function (ev) {
      var map = this._map, at = ev.containerPoint, best = null, bestD = Infinity, zoomTo = null;
      this._drawn.groups.forEach(function (g) {
        if (Math.hypot(g.x - at.x, g.y - at.y) <= g.r) zoomTo = g;
      });
      this._drawn.singles.forEach(function (it) {
        var e = it.e;
        var d = e.line ? lineDistance(map, e.line, at) : Math.hypot(it.x - at.x, it.y - at.y);
        if (d > (e.line ? 6 : Math.min(it.r, 40) + 2)) return;
        // What is drawn on top wins: a marker over a line over an area.
        d += e.precise ? 0 : e.line ? 1000 : 2000;
        if (d < bestD) {
          best = e;
          bestD = d;
        }
      });
      if (zoomTo) {
        map.setView(map.containerPointToLatLng([zoomTo.x, zoomTo.y]), map.getZoom() + 2);
      } else if (best) {
        this.fire("pick", {entry: best});
      }
    }
  });

  // The heat map of the events shown: its points are gathered only while it is on the map,
  // when it is added and on each change of the toggles or dates, so a hidden heat map costs
  // nothing.
  var HeatOfShown = (L.HeatLayer || L.Layer).extend({
    initialize: function (entries, options) {
      this._entries = entries;
      L.setOptions(this, options);
      this._latlngs = [];
    },
    onAdd: function (map) {
      this._latlngs = this._points();
      L.HeatLayer.prototype.onAdd.call(this, map);
    },
    refresh: function () {
      if (this._map) this.setLatLngs(this._points());
    },
    _points: function () {
      var points = [];
      this._entries.forEach(function (e) {
        if (e.shown) points.push([e.latlng[0], e.latlng[1], Math.max(1, e.toll)]);
      });
      return points;
    }
  });

  // A group on the canvas: a ring of its types' colours around a white disc with its count.
  function drawGroup(ctx, g, styles) {
    var from = -Math.PI / 2;
    g.types.forEach(function (t) {
      var to = from + 2 * Math.PI * t[1] / g.items.length;
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
    ctx.fillText(String(g.items.length), g.x, g.y);
  }

  // A shape drawn as events are: solid for a place, faint and dashed for an area.
  function paint(ctx, shape, color, x, y, r, area) {
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.beginPath();
    trace(ctx, shape, x, y, r);
    if (!area) {  // an area's fill is laid down with all the others (_fillAreas)
      ctx.globalAlpha = 0.7;
      ctx.fill();
    }
    ctx.globalAlpha = area ? 0.35 : 1;
    ctx.setLineDash(area ? [5, 4] : []);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }

  var SPRITE_MAX = 200, AREA_FILL = 0.1, sprites = new Map();
  function sprite(shape, color, r, area) {
    var key = shape + color + r + (area ? "a" : "p"), image = sprites.get(key);
    if (image) return image;
    if (sprites.size > 2000) sprites.clear();
    image = document.createElement("canvas");
    image.width = image.height = Math.ceil(2.6 * r) + 4;  // shapes reach 1.27 r from the centre
    paint(image.getContext("2d"), shape, color, image.width / 2, image.height / 2, r, area);
    sprites.set(key, image);
    return image;
  }

  function kindOf(e) {
    return e.line ? "line" : e.precise ? "point" : "area";
  }

  function drawLine(ctx, map, paths) {
    ctx.lineWidth = 5;
    ctx.lineCap = "round";
    ctx.globalAlpha = 0.85;
    paths.forEach(function (path) {
      ctx.beginPath();
      path.forEach(function (ll, k) {
        var p = map.latLngToContainerPoint(ll);
        if (k) ctx.lineTo(p.x, p.y); else ctx.moveTo(p.x, p.y);
      });
      ctx.stroke();
    });
    ctx.lineWidth = 1;
    ctx.globalAlpha = 1;
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

  // One line of the tree: a checked box, an icon, the name and its count; all text as text.
  function checkNode(cls, name, glyph) {
    var node = {item: document.createElement("li"), label: document.createElement("label")};
    node.item.className = cls;
    node.input = document.createElement("input");
    node.input.type = "checkbox";
    node.input.checked = true;
    node.label.appendChild(node.input);
    if (glyph) node.label.appendChild(glyph);
    node.label.appendChild(text("span", name, "mapper-tree-name"));
    node.count = text("span", "", "mapper-tree-count");
    node.label.appendChild(node.count);
    node.item.appendChild(node.label);
    return node;
  }

  // ---- The tree of event types and sub-types: toggles, counts in the chosen dates; the legend.
  function treeControl(map, types, byType, styles, onChange) {
    var nodes = [], control = L.control({position: "topright"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-tree mapper-legend");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      div.appendChild(text("div", "Event types", "mapper-control-title"));
      var list = document.createElement("ul");
      types.forEach(function (type) {
        var subs = {};
        byType[type].forEach(function (e) {
          subs[e.sub] = (subs[e.sub] || 0) + 1;
        });
        var node = checkNode("mapper-tree-type", type, icon(styles[type], 14));
        node.type = type;
        node.subs = [];
        var children = document.createElement("ul");
        // The most frequent sub-types first.
        Object.keys(subs).sort(function (a, b) { return subs[b] - subs[a] || (a < b ? -1 : 1); })
          .forEach(function (sub) {
            var leaf = checkNode("mapper-tree-sub", sub, null);
            leaf.sub = sub;
            leaf.key = type + "\u0000" + sub;
            children.appendChild(leaf.item);
            leaf.input.addEventListener("change", function () {
              syncType(node);
              onChange();
            });
            node.subs.push(leaf);
          });
        node.input.addEventListener("change", function () {
          node.subs.forEach(function (leaf) { leaf.input.checked = node.input.checked; });
          syncType(node);
          onChange();
        });
        node.item.appendChild(children);
        list.appendChild(node.item);
        nodes.push(node);
      });
      div.appendChild(list);
      return div;
    };
    function syncType(node) {
      var on = node.subs.filter(function (leaf) { return leaf.input.checked; }).length;
      node.input.checked = on > 0;
      node.input.indeterminate = on > 0 && on < node.subs.length;
    }
    control.addTo(map);
    return {
      // Which sub-types are on, by "type\0sub-type".
      state: function () {
        var on = {};
        nodes.forEach(function (node) {
          node.subs.forEach(function (leaf) { on[leaf.key] = leaf.input.checked; });
        });
        return on;
      },
      // Events of each node within the chosen dates.
      counts: function (entries) {
        var n = {};
        entries.forEach(function (e) {
          if (!e.inTime) return;
          n[e.type] = (n[e.type] || 0) + 1;
          n[e.key] = (n[e.key] || 0) + 1;
        });
        nodes.forEach(function (node) {
          node.count.textContent = " " + (n[node.type] || 0);
          node.label.title = (n[node.type] || 0) + " " + node.type + " events in the chosen dates";
          node.subs.forEach(function (leaf) {
            leaf.count.textContent = " " + (n[leaf.key] || 0);
            leaf.label.title = (n[leaf.key] || 0) + " " + leaf.sub + " events in the chosen dates";
          });
        });
      }
    };
  }

  // What the marks on the map mean, beyond the types listed in the tree.
  function keyControl(map, hasAreas, hasBorders) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-key mapper-legend");
      div.appendChild(text("div", "size: number killed"));
      if (hasAreas) {
        var area = text("div", "dashed: district, region or country only");
        area.insertBefore(text("span", "", "ring"), area.firstChild);
        div.appendChild(area);
      }
      if (hasBorders) {
        var line = text("div", "line: on the border of two countries");
        line.insertBefore(text("span", "", "line"), line.firstChild);
        div.appendChild(line);
      }
      var group = text("div", "ring: overlapping events, by type (click to zoom in)");
      group.insertBefore(text("span", "", "group"), group.firstChild);
      div.appendChild(group);
      return div;
    };
    control.addTo(map);
  }

  // Columns sent as {"sparse": {index: value}} are mostly empty: make them arrays again.
  function expand(d) {
    Object.keys(d).forEach(function (key) {
      var col = d[key];
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

  window.mapperDraw = function (map, layerControl) {
    var data = readJson("mapper-data"), details = null, loading = null, opened = null;
    // The popups' fields, unpacked once: when the page is idle after its first view, or at
    // the first popup if that comes sooner.
    function loadDetails() {
      loading = loading || Promise.resolve("mapper-details").then(readPacked).then(function (x) {
        details = expand(x);
      });
      return loading;
    }
    map.on("popupopen", function (ev) { opened = ev.popup; });
    var d = expand(data.events), styles = data.styles, entries = [], canvasMode = d.n > 3000;
    var crs = map.options.crs, byType = {}, lines = (data.borders || []).map(borderLines);
    for (var i = 0; i < (d.n || 0); i++) {
      var type = d.strings[d.event_type[i]];
      if (!styles[type]) continue;
      var sub = d.sub_event_type[i] === null ? "(none)" : d.strings[d.sub_event_type[i]];
      var b = d.border ? d.border[i] : null, line = b === null || b === undefined ? null : lines[b];
      var latlng = line ? line.middle : [d.lat[i], d.lon[i]];
      var p0 = crs.latLngToPoint(L.latLng(latlng[0], latlng[1]), 0);
      var e = {
        i: i, type: type, sub: sub, key: type + "\u0000" + sub, latlng: latlng, x0: p0.x, y0: p0.y,
        precision: d.geo_precision[i], precise: d.geo_precision[i] === 1,
        radius: radius(d.fatalities[i]), toll: d.fatalities[i] || 0,
        day: firstDay(d.event_date[i]), place: [d.location[i], d.admin2[i], d.admin1[i]],
        line: line ? line.paths : null, border: line ? borderName(data.borders[b]) : null,
        shown: true, inTime: true
      };
      (byType[type] = byType[type] || []).push(e);
      entries.push(e);
    }
    var types = (data.types || Object.keys(styles)).filter(function (t) { return byType[t]; });
    var describe = {
      popup: function (e) {
        if (details) return popup(props(d, details, e.i, data.borders));
        // Not unpacked yet: a line of text now, the popup when its fields are there.
        var holder = text("div", "Loading…", "mapper-popup-loading");
        loadDetails().then(function () {
          holder.textContent = "";
          holder.appendChild(popup(props(d, details, e.i, data.borders)));
          if (opened && opened.isOpen()) opened.update();
        }, function (error) {
          holder.textContent = "This browser could not unpack the event's details (" + error + ").";
        });
        return holder;
      },
      tooltip: function (e) {
        var sub = d.sub_event_type[e.i], at = d.location[e.i], date = d.event_date[e.i];
        return text("span", e.type + (sub === null || sub === undefined ? "" : " — " + d.strings[sub]) +
          (e.border ? " · " + e.border : at === null || at === undefined ? "" : " · " + d.strings[at]) +
          (date ? " · " + date : ""));
      }
    };
    var renderer, canvas = null;
    if (canvasMode) {
      // Added to the map once the first filters are applied (below): drawn once at start.
      canvas = new CanvasEvents(byType, types, styles);
      canvas.on("pick", function (ev) { open(ev.entry); });
      renderer = {
        refresh: function () { if (canvas._map) canvas.redraw(); },
        open: function (e) {
          L.popup(POPUP).setLatLng(e.latlng).setContent(describe.popup(e)).openOn(map);
        }
      };
    } else {
      renderer = svgRenderer(map, byType, types, styles, describe);
    }
    // Open an event's popup; from the search, first zoom in far enough that it is not grouped.
    function open(e, find) {
      if (find) {
        map.setView(e.latlng, Math.max(map.getZoom(), CLUSTER_BELOW_ZOOM), {animate: false});
        renderer.refresh();
      }
      renderer.open(e);
    }
    var heat = null;
    if (L.HeatLayer && layerControl && entries.length) {
      // Where people died, weighted by the toll, among the events shown; offered in the layer
      // control, off at first.
      heat = new HeatOfShown(entries, {radius: 22, blur: 18});
      layerControl.addOverlay(heat, "Heat map of deaths");
    }
    var showCounts = summaryControl(map, data.summary);
    var container = map.getContainer();
    var tree = treeControl(map, types, byType, styles, update);
    // Apply the tree's toggles and the dates to every event, then redraw and recount.
    function update() {
      var on = tree.state(), shown = 0, killed = 0;
      entries.forEach(function (e) {
        e.shown = on[e.key] !== false && e.inTime;
        if (e.shown) {
          shown += 1;
          killed += e.toll;
        }
      });
      renderer.refresh();
      if (heat) heat.refresh();
      tree.counts(entries);
      showCounts(shown, killed);
      container.setAttribute("data-mapper-visible", String(shown));
    }
    var days = Array.from(new Set(entries.map(function (e) { return e.day; }).filter(Boolean))).sort();
    timeControl(map, days, function (from, to, all) {
      entries.forEach(function (e) {
        e.inTime = all || (e.day !== null && e.day >= from && e.day <= to);
      });
      update();
    });
    searchControl(map, entries, d, open);
    keyControl(map, entries.some(function (e) { return !e.precise && !e.line; }),
      entries.some(function (e) { return e.line; }));
    update();
    if (canvas) canvas.addTo(map);
    container.setAttribute("data-mapper-events", String(entries.length));
    container.setAttribute("data-mapper-mode", canvasMode ? "canvas" : "svg");
    window.mapperReady = true;
    // Unpacking takes the page a fifth of a second at 100,000 events: not while it draws its
    // first view and settles, but once it has been still for a moment (or at the first popup).
    // A failure is told in the popup that needs the details.
    setTimeout(function () {
      (window.requestIdleCallback || setTimeout)(function () { loadDetails().catch(function () {}); });
    }, UNPACK_AFTER_MS);
  };
})();
