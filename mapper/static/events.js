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
    return root;
  }

  function summary(map, s) {
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-summary");
      var lines = [
        s.events + " events · " + s.fatalities + " killed",
        s.articles + " articles" + (s.problems ? " · " + s.problems + " not read" : ""),
        s.first ? "from " + s.first + " to " + s.last : "no dated events"
      ];
      lines.forEach(function (text) {
        var line = document.createElement("div");
        line.textContent = text;
        div.appendChild(line);
      });
      return div;
    };
    control.addTo(map);
  }

  window.mapperDraw = function (map, groups, data) {
    var drawn = 0;
    data.events.features.forEach(function (f) {
      var p = f.properties, style = data.styles[p.event_type];
      var group = groups[p.event_type];
      if (!group || !style) return;
      var c = f.geometry.coordinates;  // GeoJSON order: [lon, lat]
      var precise = p.geo_precision === 1;
      var marker = L.circleMarker([c[1], c[0]], {
        radius: data.radius[p.event_id],
        color: style.color,
        weight: precise ? 1.5 : 2,
        dashArray: precise ? null : "4 3",
        fillColor: style.color,
        fillOpacity: precise ? 0.7 : 0.15,
        className: "mapper-event mapper-precision-" + p.geo_precision
      });
      marker.feature = f;
      marker.bindPopup(function () { return popup(p); }, {maxWidth: 360});
      marker.bindTooltip(function () {
        var t = document.createElement("span");
        t.textContent = p.event_type + (p.location ? " · " + p.location : "") +
          (p.event_date ? " · " + p.event_date : "");
        return t;
      });
      marker.addTo(group);
      drawn += 1;
    });
    summary(map, data.summary);
    map.getContainer().setAttribute("data-mapper-events", String(drawn));
    window.mapperReady = true;
  };
})();
