/* mapper, popups and tooltips: an event's fields read from the page's columns, shown as text
   nodes; the evidence with its place and toll marked where the event's offsets say. */
(function (M) {
  "use strict";

  var text = M.text, borderName = M.borderName, isLow = M.isLow;

  var PRECISION = {1: "place", 2: "district / near a place", 3: "province / region", 4: "country"};
  // How the place was found, when the event's own words do not name it.
  var PLACED = {
    chain: "at the place of the event it continues",
    sentence: "at the place its sentence names for another event",
    article: "at the place the article is about: no sentence of the event names one",
    country: "in the article's country: no place named"
  };

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

  // The evidence as text nodes, with each span {at, len, cls} marked: offsets into the evidence
  // that the event carries, never words looked for in it. They count code points, as Python
  // does, not UTF-16 units. A span that is missing, outside the text or overlapping another is
  // skipped: offsets that contradict the text mark nothing rather than the wrong words.
  function marked(el, value, spans) {
    var chars = Array.from(value), n = chars.length;
    var valid = spans.filter(function (s) {
      return Number.isInteger(s.at) && Number.isInteger(s.len) && s.at >= 0 && s.len > 0 &&
        s.at + s.len <= n;
    });
    var pos = 0;
    valid.filter(function (s) {
      return !valid.some(function (o) { return o !== s && o.at < s.at + s.len && s.at < o.at + o.len; });
    }).sort(function (a, b) { return a.at - b.at; }).forEach(function (s) {
      if (s.at > pos) el.appendChild(document.createTextNode(chars.slice(pos, s.at).join("")));
      el.appendChild(text("mark", chars.slice(s.at, s.at + s.len).join(""), s.cls));
      pos = s.at + s.len;
    });
    if (pos < n) el.appendChild(document.createTextNode(chars.slice(pos).join("")));
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

  // "0.73", or "0.21 (low)" below the page's threshold.
  function confidence(value, threshold) {
    if (typeof value !== "number") return null;
    return value.toFixed(2) + (isLow(value, threshold) ? " (low)" : "");
  }

  function popup(p, threshold) {
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
    row(table, "Placed", PLACED[p.location_source] || null);
    row(table, "Drawn", p.border ? "along the " + p.border : null);
    row(table, "Confidence", confidence(p.confidence, threshold));
    row(table, "Notes", p.notes);
    row(table, "Event id", p.event_id);
    root.appendChild(table);
    var quote = document.createElement("blockquote");
    quote.className = "mapper-evidence";
    marked(quote, p.evidence || "", [
      {at: p.place_at, len: p.place_len, cls: "mapper-mark-place"},
      {at: p.toll_at, len: p.toll_len, cls: "mapper-mark-toll"}
    ]);
    root.appendChild(quote);
    root.appendChild(sourceLine("Source: ", p.source, p.source_url, "source not given"));
    (p.also_reported || []).forEach(function (r) {
      root.appendChild(sourceLine("Also: ", r.source, r.source_url, "another article"));
    });
    return root;
  }

  // Room kept clear of the panels (dates and search on the left, types and legend on the right):
  // a popup opening under one is panned clear of it.
  var CLEAR_TOP_LEFT = [230, 40], CLEAR_BOTTOM_RIGHT = [290, 40];
  var POPUP = {
    maxWidth: 360, autoPanPaddingTopLeft: CLEAR_TOP_LEFT, autoPanPaddingBottomRight: CLEAR_BOTTOM_RIGHT
  };

  // An event's other reports, sent as [article_id, source, source_url] each, as the exports
  // spell them.
  function reports(list) {
    return (list || []).map(function (r) {
      return {article_id: r[0], source: r[1], source_url: r[2]};
    });
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
      location_source: d.location_source ? s(d, "location_source") : null,
      date_precision: s(x, "date_precision"), actor1: s(x, "actor1"), actor2: s(x, "actor2"),
      country: s(x, "country"), source: s(x, "source"), source_url: s(x, "source_url"),
      fatalities: d.fatalities[i], fatalities_low: x.fatalities_low[i],
      fatalities_high: x.fatalities_high[i], injured: x.injured[i],
      geo_precision: d.geo_precision[i], event_date: d.event_date[i], evidence: x.evidence[i],
      confidence: d.confidence ? d.confidence[i] : null,
      notes: x.notes[i], also_reported: reports(x.also_reported[i]), event_id: x.event_id[i],
      place_at: x.place_at[i], place_len: x.place_len[i], toll_at: x.toll_at[i], toll_len: x.toll_len[i],
      border: b === null || b === undefined ? null : borderName(borders[b]),
      // (for the exports of what the page shows)
      article_id: s(x, "article_id"), start: x.start[i], geonameid: x.geonameid[i],
      end: typeof x.start[i] === "number" && typeof x.length[i] === "number" ?
        x.start[i] + x.length[i] : null,
      latitude: d.lat[i], longitude: d.lon[i]
    };
  }

  // Why a large map's details (kept beside it, core.js detailParts) could not be read: a page
  // opened as a file cannot fetch them; a page open while its map was built again asks for a
  // folder that the new build removed.
  function unserved(beside, error) {
    if (error && error.status === 404) {
      return "Its evidence, actors and source are no longer in " + beside.folder +
        ": the map was probably built again since this page was opened. Reload the page.";
    }
    if (location.protocol === "file:") {
      return "Its evidence, actors and source are kept in the folder " + beside.folder +
        " beside this page and load only when the map is served: run \u201cmapper serve\u201d" +
        " and open the address it prints.";
    }
    return "Its evidence, actors and source could not be loaded from " + beside.folder +
      " (" + error + ").";
  }

  // What an event shows: a tooltip from the first view's columns (data.events, expanded) and a
  // popup from the details, a lazyPacked block (core.js) unpacked at the first popup if not
  // before.
  function describer(map, data, details) {
    var d = data.events, borders = data.borders, threshold = data.config.low_confidence;
    var opened = null;
    map.on("popupopen", function (ev) { opened = ev.popup; });
    return {
      popup: function (e) {
        if (details.has(e.i)) return popup(props(d, details.merged, e.i, borders), threshold);
        // Not unpacked yet: a line of text now, the popup when its fields are there.
        var holder = text("div", "Loading…", "mapper-popup-loading");
        details.part(e.i).then(function (x) {
          holder.textContent = "";
          holder.appendChild(popup(props(d, x, e.i, borders), threshold));
          if (opened && opened.isOpen()) opened.update();
        }, function (error) {
          holder.textContent = "";
          holder.appendChild(this.tooltip(e));
          holder.appendChild(text("p", details.beside ? unserved(details.beside, error) :
            "This browser could not unpack the event's details (" + error + ")."));
          if (opened && opened.isOpen()) opened.update();
        }.bind(this));
        return holder;
      },
      // One event in a list (of events here, of search results): a button with its type, place,
      // date and toll, as text, that calls choose().
      item: function (e, choose) {
        var button = text("button", "", "mapper-here-item");
        button.type = "button";
        button.appendChild(this.tooltip(e));
        if (e.toll) button.appendChild(text("span", " · " + e.toll + " killed", "mapper-here-toll"));
        button.addEventListener("click", function (ev) {
          L.DomEvent.stop(ev);
          choose();
        });
        var li = document.createElement("li");
        li.appendChild(button);
        return li;
      },
      // Several events under one click or in one group that never comes apart: a list of them,
      // the deadliest first, each a button that opens its popup (open(e)).
      list: function (entries, open) {
        var root = text("div", "", "mapper-here");
        root.appendChild(text("div", entries.length + " events here", "mapper-here-title"));
        var ul = document.createElement("ul");
        ul.className = "mapper-here-list";
        entries.slice().sort(function (a, b) {
          return b.toll - a.toll || (b.day || "").localeCompare(a.day || "") || a.i - b.i;
        }).forEach(function (e) {
          ul.appendChild(this.item(e, function () { open(e); }));
        }, this);
        root.appendChild(ul);
        return root;
      },
      tooltip: function (e) {
        var sub = d.sub_event_type[e.i], at = d.location[e.i], date = d.event_date[e.i];
        return text("span", e.type + (sub === null || sub === undefined ? "" : " — " + d.strings[sub]) +
          (e.border ? " · " + e.border : at === null || at === undefined ? "" : " · " + d.strings[at]) +
          (date ? " · " + date : ""));
      }
    };
  }

  M.POPUP = POPUP;
  M.describer = describer;
  M.props = props;
  M.unserved = unserved;
})(window.mapper = window.mapper || {});
