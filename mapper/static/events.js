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

  // The evidence as text nodes, with the place and the toll marked where the sentence names
  // them (as a whole word); never parsed as HTML.
  function highlight(el, text, terms) {
    var spans = [], folded = fold(text), word = /[0-9A-Za-z\u00c0-\u024f]/;
    terms.forEach(function (t) {
      t.terms.forEach(function (term) {
        if (!term) return;
        var needle = fold(term), from = 0, at;
        while ((at = folded.indexOf(needle, from)) !== -1) {
          var end = at + needle.length;
          from = end;
          // A toll of 8 is not the 8 in 18 or 2025.
          if (word.test(text.charAt(at - 1)) || word.test(text.charAt(end))) continue;
          spans.push({start: at, end: end, cls: t.cls});
        }
      });
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
    var where = [p.location, p.admin2, p.admin1, p.country].filter(function (a, i, all) {
      return a && all.indexOf(a) === i;
    }).join(", ");
    row(table, "Place", where + " — precision " + p.geo_precision + ": " + (PRECISION[p.geo_precision] || "?"));
    row(table, "Notes", p.notes);
    root.appendChild(table);
    var quote = document.createElement("blockquote");
    quote.className = "mapper-evidence";
    var killed = p.fatalities > 0 ? [String(p.fatalities), NUMBER_WORDS[p.fatalities]] : [];
    highlight(quote, p.evidence || "", [
      {terms: [p.location], cls: "mapper-mark-place"},
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
  // Large maps group their events per screen cell below this zoom (and above this many).
  var CLUSTER_BELOW_ZOOM = 7, CLUSTER_OVER = 400, CLUSTER_CELL = 44;

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
            return e.shown && e.place.some(function (v) {
              return v !== null && v !== undefined && test(d.strings[v].toLowerCase());
            });
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
        map.setView(hit.latlng, Math.max(map.getZoom(), 8));
        open(hit);
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

  // One event's fields, read from the page's columns when its popup is needed.
  function props(d, i) {
    function s(column) {
      var v = d[column][i];
      return v === null || v === undefined ? null : d.strings[v];
    }
    return {
      event_type: s("event_type"), sub_event_type: s("sub_event_type"),
      date_precision: s("date_precision"), actor1: s("actor1"), actor2: s("actor2"),
      location: s("location"), admin1: s("admin1"), admin2: s("admin2"), country: s("country"),
      source: s("source"), source_url: s("source_url"), fatalities: d.fatalities[i],
      fatalities_low: d.fatalities_low[i], fatalities_high: d.fatalities_high[i],
      injured: d.injured[i], geo_precision: d.geo_precision[i], event_date: d.event_date[i],
      evidence: d.evidence[i], notes: d.notes[i], also_reported: d.also_reported[i] || []
    };
  }

  // Many events: one canvas per event type, redrawn on each move, instead of one object each.
  var CanvasPoints = L.Layer.extend({
    initialize: function (entries, color) {
      this._entries = entries;
      this._color = color;
    },
    onAdd: function (map) {
      this._map = map;
      this._canvas = L.DomUtil.create("canvas", "mapper-canvas leaflet-zoom-hide");
      map.getPane("overlayPane").appendChild(this._canvas);
      map.on("moveend zoomend resize viewreset", this.redraw, this);
      map.on("click", this._click, this);
      this.redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset", this.redraw, this);
      map.off("click", this._click, this);
    },
    _pixels: function (e) {
      if (e.precise) return e.radius;
      var metresPerPixel = 40075016.686 * Math.cos(e.latlng[0] * Math.PI / 180) /
        Math.pow(2, this._map.getZoom() + 8);
      return Math.max(4, (AREA_METRES[e.precision] || AREA_METRES[4]) / metresPerPixel);
    },
    redraw: function () {
      var map = this._map, size = map.getSize(), canvas = this._canvas;
      canvas.width = size.x;
      canvas.height = size.y;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      var ctx = canvas.getContext("2d"), self = this;
      ctx.strokeStyle = ctx.fillStyle = this._color;
      var visible = [];
      this._entries.forEach(function (e) {
        if (!e.shown) return;
        var pt = map.latLngToContainerPoint(e.latlng), r = self._pixels(e);
        if (pt.x < -r || pt.y < -r || pt.x > size.x + r || pt.y > size.y + r) return;
        visible.push({e: e, pt: pt, r: r});
      });
      // Zoomed out over many events: one circle per cell of the screen, with its count.
      this._cells = map.getZoom() < CLUSTER_BELOW_ZOOM && visible.length > CLUSTER_OVER ?
        this._cluster(visible) : null;
      if (this._cells) {
        ctx.font = "bold 11px system-ui, sans-serif";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        this._cells.forEach(function (c) {
          ctx.beginPath();
          ctx.arc(c.x, c.y, c.r, 0, 2 * Math.PI);
          ctx.globalAlpha = 0.55;
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.stroke();
          ctx.fillStyle = "#fff";
          ctx.fillText(String(c.n), c.x, c.y);
          ctx.fillStyle = self._color;
        });
        return;
      }
      visible.forEach(function (v) {
        var e = v.e;
        ctx.beginPath();
        ctx.arc(v.pt.x, v.pt.y, v.r, 0, 2 * Math.PI);
        // Many areas overlap: a faint fill and a dashed outline keep the towns beneath readable.
        ctx.globalAlpha = e.precise ? 0.7 : 0.03;
        ctx.fill();
        ctx.globalAlpha = e.precise ? 1 : 0.35;
        ctx.setLineDash(e.precise ? [] : [5, 4]);
        ctx.stroke();
        ctx.globalAlpha = 1;
      });
    },
    _cluster: function (visible) {
      var cells = {};
      visible.forEach(function (v) {
        var key = Math.floor(v.pt.x / CLUSTER_CELL) + ":" + Math.floor(v.pt.y / CLUSTER_CELL);
        var c = cells[key] || (cells[key] = {n: 0, x: 0, y: 0});
        c.n += 1;
        c.x += v.pt.x;
        c.y += v.pt.y;
      });
      return Object.keys(cells).map(function (key) {
        var c = cells[key];
        return {n: c.n, x: c.x / c.n, y: c.y / c.n, r: Math.min(26, 9 + 3 * Math.log2(c.n))};
      });
    },
    _click: function (ev) {
      var map = this._map, self = this;
      if (this._cells) {
        // A cluster: zoom in on it.
        var hit = this._cells.find(function (c) {
          return Math.hypot(c.x - ev.containerPoint.x, c.y - ev.containerPoint.y) <= c.r;
        });
        if (hit) map.setView(map.containerPointToLatLng([hit.x, hit.y]), map.getZoom() + 2);
        return;
      }
      var best = null, bestD = Infinity;
      this._entries.forEach(function (e) {
        if (!e.shown) return;
        var pt = map.latLngToContainerPoint(e.latlng);
        var d = pt.distanceTo(ev.containerPoint);
        if (d <= Math.min(self._pixels(e), 40) + 2 && d < bestD) {
          best = e;
          bestD = d;
        }
      });
      if (best) this.fire("pick", {entry: best});
    }
  });

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

  window.mapperDraw = function (map, groups, data, layerControl) {
    var d = expand(data.events), entries = [], canvasMode = d.n > 3000;
    // Open an event's popup: its own marker's, or a free popup over the canvas.
    function open(e) {
      if (e.layer) {
        e.layer.openPopup(e.latlng);
      } else {
        L.popup({maxWidth: 360}).setLatLng(e.latlng).setContent(popup(props(d, e.i))).openOn(map);
      }
    }
    var byType = {};
    for (var i = 0; i < (d.n || 0); i++) {
      var type = d.strings[d.event_type[i]];
      var group = groups[type], style = data.styles[type];
      if (!group || !style) continue;
      var e = {
        i: i, type: type, group: group, latlng: [d.lat[i], d.lon[i]],
        precision: d.geo_precision[i], precise: d.geo_precision[i] === 1,
        radius: radius(d.fatalities[i]), toll: d.fatalities[i] || 0,
        day: firstDay(d.event_date[i]), place: [d.location[i], d.admin2[i], d.admin1[i]],
        shown: true
      };
      if (canvasMode) {
        (byType[type] = byType[type] || []).push(e);
      } else {
        var options = {
          color: style.color, weight: e.precise ? 1.5 : 2, dashArray: e.precise ? null : "5 4",
          fillColor: style.color, fillOpacity: e.precise ? 0.7 : 0.12,
          className: "mapper-event mapper-precision-" + e.precision + (e.precise ? "" : " mapper-area")
        };
        var layer;
        if (e.precise) {
          options.radius = e.radius;
          layer = L.circleMarker(e.latlng, options);
        } else {
          options.radius = AREA_METRES[e.precision] || AREA_METRES[4];
          layer = L.circle(e.latlng, options);
        }
        layer.bindPopup((function (index) {
          return function () { return popup(props(d, index)); };
        })(i), {maxWidth: 360});
        layer.bindTooltip((function (index) {
          return function () {
            var p = props(d, index);
            return text("span", p.event_type + (p.location ? " · " + p.location : "") +
              (p.event_date ? " · " + p.event_date : ""));
          };
        })(i));
        layer.addTo(group);
        e.layer = layer;
      }
      entries.push(e);
    }
    var canvases = [];
    Object.keys(byType).forEach(function (type) {
      var layer = new CanvasPoints(byType[type], data.styles[type].color);
      layer.on("pick", function (ev) { open(ev.entry); });
      groups[type].addLayer(layer);
      canvases.push(layer);
    });
    if (L.heatLayer && layerControl && entries.length) {
      // Where people died, weighted by the toll; offered in the layer control, off at first.
      var heat = L.heatLayer(entries.map(function (e) {
        return [e.latlng[0], e.latlng[1], Math.max(1, e.toll)];
      }), {radius: 22, blur: 18});
      layerControl.addOverlay(heat, "Heat map of deaths");
    }
    var showCounts = summaryControl(map, data.summary);
    var container = map.getContainer();
    function refresh() {
      var shown = 0, killed = 0;
      entries.forEach(function (e) {
        if (e.shown) {
          shown += 1;
          killed += e.toll;
        }
      });
      showCounts(shown, killed);
      container.setAttribute("data-mapper-visible", String(shown));
    }
    var days = Array.from(new Set(entries.map(function (e) { return e.day; }).filter(Boolean))).sort();
    timeControl(map, days, function (from, to, all) {
      entries.forEach(function (e) {
        var show = all || (e.day !== null && e.day >= from && e.day <= to);
        if (e.layer) {
          if (show && !e.shown) e.group.addLayer(e.layer);
          if (!show && e.shown) e.group.removeLayer(e.layer);
        }
        e.shown = show;
      });
      canvases.forEach(function (c) { if (c._map) c.redraw(); });
      refresh();
    });
    searchControl(map, entries, d, open);
    refresh();
    container.setAttribute("data-mapper-events", String(entries.length));
    container.setAttribute("data-mapper-mode", canvasMode ? "canvas" : "svg");
    window.mapperReady = true;
  };
})();
