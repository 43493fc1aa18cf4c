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
    quote.textContent = p.evidence;
    root.appendChild(quote);
    var source = document.createElement("div");
    source.className = "mapper-source";
    var href = safeUrl(p.source_url);
    var label = p.source || (href ? new URL(href).hostname : "source not given");
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = label;
      source.appendChild(document.createTextNode("Source: "));
      source.appendChild(link);
    } else {
      source.textContent = "Source: " + label;
    }
    root.appendChild(source);
    (p.also_reported || []).forEach(function (r) {
      var more = document.createElement("div");
      more.className = "mapper-source";
      var url = safeUrl(r.source_url);
      var name = r.source || (url ? new URL(url).hostname : "another article");
      more.appendChild(document.createTextNode("Also: "));
      if (url) {
        var a = document.createElement("a");
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.textContent = name;
        more.appendChild(a);
      } else {
        more.appendChild(document.createTextNode(name));
      }
      root.appendChild(more);
    });
    return root;
  }

  // Events known only to a district, province or country are drawn as translucent areas of
  // about that size, never as a confident pin.
  var AREA_METRES = {2: 20000, 3: 90000, 4: 300000};

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

  function searchControl(map, entries) {
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
        var hit = entries.find(function (e) {
          return e.shown && [e.p.location, e.p.admin2, e.p.admin1].some(function (v) {
            return v && v.toLowerCase().indexOf(q) !== -1;
          });
        });
        if (!hit) {
          result.textContent = "no event at a place called " + input.value.trim();
          return;
        }
        result.textContent = "";
        map.setView(hit.latlng, Math.max(map.getZoom(), 8));
        hit.layer.openPopup(hit.latlng);
      });
      div.appendChild(input);
      div.appendChild(result);
      return div;
    };
    control.addTo(map);
  }

  window.mapperDraw = function (map, groups, data) {
    var entries = [];
    data.events.features.forEach(function (f) {
      var p = f.properties, style = data.styles[p.event_type];
      var group = groups[p.event_type];
      if (!group || !style) return;
      var c = f.geometry.coordinates;  // GeoJSON order: [lon, lat]
      var latlng = [c[1], c[0]];
      var precise = p.geo_precision === 1;
      var options = {
        color: style.color,
        weight: precise ? 1.5 : 2,
        dashArray: precise ? null : "5 4",
        fillColor: style.color,
        fillOpacity: precise ? 0.7 : 0.12,
        className: "mapper-event mapper-precision-" + p.geo_precision + (precise ? "" : " mapper-area")
      };
      var layer;
      if (precise) {
        options.radius = data.radius[p.event_id];
        layer = L.circleMarker(latlng, options);
      } else {
        options.radius = AREA_METRES[p.geo_precision] || AREA_METRES[4];
        layer = L.circle(latlng, options);
      }
      layer.bindPopup(function () { return popup(p); }, {maxWidth: 360});
      layer.bindTooltip(function () {
        return text("span", p.event_type + (p.location ? " · " + p.location : "") +
          (p.event_date ? " · " + p.event_date : ""));
      });
      layer.addTo(group);
      entries.push({layer: layer, group: group, p: p, latlng: latlng, day: firstDay(p.event_date), shown: true});
    });
    var showCounts = summaryControl(map, data.summary);
    var container = map.getContainer();
    function refresh() {
      var shown = entries.filter(function (e) { return e.shown; });
      var killed = shown.reduce(function (sum, e) { return sum + (e.p.fatalities || 0); }, 0);
      showCounts(shown.length, killed);
      container.setAttribute("data-mapper-visible", String(shown.length));
    }
    var days = Array.from(new Set(entries.map(function (e) { return e.day; }).filter(Boolean))).sort();
    timeControl(map, days, function (from, to, all) {
      entries.forEach(function (e) {
        var show = all || (e.day !== null && e.day >= from && e.day <= to);
        if (show && !e.shown) e.group.addLayer(e.layer);
        if (!show && e.shown) e.group.removeLayer(e.layer);
        e.shown = show;
      });
      refresh();
    });
    searchControl(map, entries);
    refresh();
    container.setAttribute("data-mapper-events", String(entries.length));
    window.mapperReady = true;
  };
})();
