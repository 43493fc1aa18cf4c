/* mapper, the table of the events in view: every event the filters keep whose point lies in
   the map's view, sortable by any column, following pans, zooms and filters; a row opens its
   event on the map and an event opened on the map is found in the table. Only the rows on
   screen are made (100,000 rows scroll as 30), and the rows can be saved as CSV or GeoJSON
   with the build's columns. Every cell is text. */
(function (M) {
  "use strict";

  var text = M.text;
  var ROW_PX = 24, EXTRA_ROWS = 8;

  // A cell of a CSV file that no spreadsheet runs, as the build's exports write it
  // (export.inert_cell): text that starts like a formula gets a leading apostrophe.
  var FORMULA_START = /^[=+\-@\t\r\n]/;

  function csvCell(v) {
    if (v === null || v === undefined) return "";
    if (typeof v !== "string") return String(v);
    v = v.replace(/\r\n?/g, "\n");
    if (FORMULA_START.test(v)) v = "'" + v;
    return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }

  // page: {map, dock, entries, d, details, open(e), countries, columns (the build's CSV
  //        columns), record(e) (an event's fields as the exports have them; details loaded)}.
  function tableControl(page) {
    var map = page.map, entries = page.entries, d = page.d, details = page.details;
    var rows = [], selected = null;
    var sortKey = "date", descending = true, body = null, spacer = null, status = null;
    var panel = null, headers = {};

    function s(part, column, i) {
      var v = part[column] ? part[column][i] : null;
      return v === null || v === undefined ? "" : part.strings[v];
    }
    function fromDetails(column, i) {
      return details.has(i) ? s(details.merged, column, i) : "…";
    }
    function country(i) {
      var code = fromDetails("country", i);
      return code === "ZZ" ? "" : (page.countries[code] || code);
    }
    // (key, title, the cell's text, the value it sorts by)
    var COLUMNS = [
      {key: "date", title: "Date", cell: function (e) { return d.event_date[e.i] || ""; },
        sort: function (e) { return e.day || ""; }},
      {key: "type", title: "Type", cell: function (e) { return e.type; }},
      {key: "sub", title: "Sub-type", cell: function (e) { return e.sub === "(none)" ? "" : e.sub; }},
      {key: "place", title: "Place", cell: function (e) { return e.border || s(d, "location", e.i); }},
      {key: "admin1", title: "Province", cell: function (e) { return s(d, "admin1", e.i); }},
      {key: "country", title: "Country", cell: function (e) { return country(e.i); }},
      {key: "killed", title: "Killed", cell: function (e) { return M.number(e.toll); },
        sort: function (e) { return e.toll; }},
      {key: "actors", title: "Actors", cell: function (e) {
        return [fromDetails("actor1", e.i), fromDetails("actor2", e.i)].filter(Boolean).join(" vs ");
      }},
      {key: "confidence", title: "Confidence", cell: function (e) {
        var c = d.confidence ? d.confidence[e.i] : null;
        return typeof c === "number" ? c.toFixed(2) : "";
      }, sort: function (e) {
        var c = d.confidence ? d.confidence[e.i] : null;
        return typeof c === "number" ? c : -1;
      }}
    ];
    var byKey = {};
    COLUMNS.forEach(function (c) { byKey[c.key] = c; });

    function sortRows() {
      var column = byKey[sortKey], key = column.sort || column.cell, sign = descending ? -1 : 1;
      var keyed = rows.map(function (e) { return {e: e, k: key(e)}; });
      keyed.sort(function (a, b) {
        var x = a.k, y = b.k;
        if (typeof x === "string") x = x.toLowerCase();
        if (typeof y === "string") y = y.toLowerCase();
        return (x < y ? -1 : x > y ? 1 : 0) * sign || a.e.i - b.e.i;
      });
      rows = keyed.map(function (k) { return k.e; });
      version += 1;
    }

    // The events the map shows in its view (above the dock), as the map draws them (an event
    // on a border at the middle of the border's line).
    function collect() {
      var b = M.visibleBounds(map), s0 = b.getSouth(), n0 = b.getNorth(), w0 = b.getWest(), e0 = b.getEast();
      rows = entries.filter(function (e) {
        var ll = e.latlng;
        return e.shown && ll[0] >= s0 && ll[0] <= n0 && ll[1] >= w0 && ll[1] <= e0;
      });
      sortRows();
    }

    function rowOf(e, k) {
      var row = text("div", "", "mapper-row");
      row.setAttribute("role", "row");
      row.setAttribute("aria-rowindex", String(k + 2));
      row.tabIndex = -1;
      row.style.top = (k * ROW_PX) + "px";
      row.dataset.i = String(e.i);
      if (e === selected) row.setAttribute("aria-selected", "true");
      COLUMNS.forEach(function (c) {
        var cell = text("span", c.cell(e), "mapper-cell mapper-cell-" + c.key);
        cell.setAttribute("role", "gridcell");
        row.appendChild(cell);
      });
      row.addEventListener("click", function () { choose(e); });
      row.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") choose(e);
        else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
          ev.preventDefault();
          focusRow(k + (ev.key === "ArrowDown" ? 1 : -1));
        }
      });
      return row;
    }

    function focusRow(k) {
      if (k < 0 || k >= rows.length) return;
      var top = k * ROW_PX;
      if (top < body.scrollTop) body.scrollTop = top;
      else if (top + ROW_PX > body.scrollTop + body.clientHeight) {
        body.scrollTop = top + ROW_PX - body.clientHeight;
      }
      paint();
      var row = spacer.querySelector('.mapper-row[aria-rowindex="' + (k + 2) + '"]');
      if (row) row.focus();
    }

    // Only the rows on screen, and a few either side, are in the page; made again only when
    // the rows or the part of them on screen change (a row remade under the pointer between
    // its mousedown and mouseup would never get the click).
    var version = 0, painted = "";
    function paint() {
      if (!panel || panel.hidden) return;
      var first = Math.max(0, Math.floor(body.scrollTop / ROW_PX) - EXTRA_ROWS);
      var last = Math.min(rows.length, Math.ceil((body.scrollTop + body.clientHeight) / ROW_PX) + EXTRA_ROWS);
      var key = version + ":" + first + ":" + last;
      if (key === painted) return;
      painted = key;
      spacer.style.height = (rows.length * ROW_PX) + "px";
      // The row the keyboard is on keeps the focus when the rows are made again (a popup
      // opened from it pans the map, and the table follows).
      var active = document.activeElement;
      var focused = active && active.parentNode === spacer ? active.dataset.i : null;
      spacer.textContent = "";
      var missing = [];
      for (var k = first; k < last; k++) {
        var row = rowOf(rows[k], k);
        spacer.appendChild(row);
        if (row.dataset.i === focused) row.focus({preventScroll: true});
        if (!details.has(rows[k].i)) missing.push(rows[k].i);
      }
      // Rows of a large map whose details are kept beside it (core.js detailParts) are
      // painted again once their parts are in: those of the rows in sight only.
      if (missing.length && details.beside) {
        details.parts(missing).then(function () { painted = null; paint(); }, function () {});
      }
    }

    function refresh() {
      if (!panel || panel.hidden) return;
      collect();
      status.textContent = M.number(rows.length) + (rows.length === 1 ? " event" : " events") +
        " in view";
      panel.setAttribute("data-mapper-rows", String(rows.length));
      paint();
    }

    function choose(e) {
      selected = e;
      page.open(e);
    }

    // An event opened on the map: its row is marked and scrolled to.
    function select(e) {
      selected = e;
      if (!panel || panel.hidden) return;
      spacer.querySelectorAll(".mapper-row").forEach(function (row) {
        if (+row.dataset.i === e.i) row.setAttribute("aria-selected", "true");
        else row.removeAttribute("aria-selected");
      });
      var k = rows.indexOf(e);
      if (k === -1) return;
      var top = k * ROW_PX;
      if (top < body.scrollTop || top + ROW_PX > body.scrollTop + body.clientHeight) {
        body.scrollTop = Math.max(0, top - body.clientHeight / 2);
      }
      paint();
    }

    function save(kind) {
      var list = rows.slice();
      details.parts(list.map(function (e) { return e.i; })).then(function () {
        var content, type;
        if (kind === "csv") {
          var lines = [page.columns.join(",")];
          list.forEach(function (e) {
            var r = page.record(e);
            r.also_reported = (r.also_reported || []).map(function (a) {
              return [a.source, a.source_url].filter(Boolean).join(" ");
            }).join("; ");
            lines.push(page.columns.map(function (c) { return csvCell(r[c]); }).join(","));
          });
          content = lines.join("\n") + "\n";
          type = "text/csv";
        } else {
          content = JSON.stringify({type: "FeatureCollection", features: list.map(function (e) {
            var r = page.record(e);
            return {type: "Feature", id: r.event_id,
              geometry: {type: "Point", coordinates: [r.longitude, r.latitude]}, properties: r};
          })});
          type = "application/geo+json";
        }
        var link = document.createElement("a");
        link.href = URL.createObjectURL(new Blob([content], {type: type}));
        link.download = "events-in-view." + (kind === "csv" ? "csv" : "geojson");
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
      }, function (error) {
        status.textContent = "Not saved: " + (details.beside ? M.unserved(details.beside, error) : error);
      });
    }

    function build() {
      var section = page.dock.add("Table of events in view", "mapper-table", false);
      panel = section.body;
      section.button.addEventListener("click", function () {
        if (!panel.hidden && !details.beside) details.load().then(refresh, function () {});
        refresh();
      });
      var bar = text("div", "", "mapper-table-bar");
      status = text("span", "", "mapper-table-status");
      status.setAttribute("role", "status");
      bar.appendChild(status);
      [["csv", "Save as CSV"], ["geojson", "Save as GeoJSON"]].forEach(function (k) {
        var b = text("button", k[1], "mapper-save-" + k[0]);
        b.type = "button";
        b.addEventListener("click", function () { save(k[0]); });
        bar.appendChild(b);
      });
      panel.appendChild(bar);
      var grid = text("div", "", "mapper-grid");
      grid.setAttribute("role", "grid");
      grid.setAttribute("aria-label", "events in view");
      var head = text("div", "", "mapper-row mapper-head");
      head.setAttribute("role", "row");
      head.setAttribute("aria-rowindex", "1");
      COLUMNS.forEach(function (c) {
        var cell = text("span", "", "mapper-cell mapper-cell-" + c.key);
        cell.setAttribute("role", "columnheader");
        var sort = text("button", c.title, "mapper-sort");
        sort.type = "button";
        sort.addEventListener("click", function () {
          descending = sortKey === c.key ? !descending : c.key === "killed" || c.key === "date";
          sortKey = c.key;
          Object.keys(headers).forEach(function (k) { headers[k].removeAttribute("aria-sort"); });
          cell.setAttribute("aria-sort", descending ? "descending" : "ascending");
          sortRows();
          paint();
        });
        cell.appendChild(sort);
        headers[c.key] = cell;
        head.appendChild(cell);
      });
      headers.date.setAttribute("aria-sort", "descending");
      grid.appendChild(head);
      body = text("div", "", "mapper-table-body");
      // Eight rows, five on a short screen: the map keeps the rest. (Not as many as there
      // are: the rows in view would change the view.)
      body.style.height = ((window.innerHeight < 700 ? 5 : 8) * ROW_PX) + "px";
      spacer = text("div", "", "mapper-table-rows");
      body.appendChild(spacer);
      body.addEventListener("scroll", function () { window.requestAnimationFrame(paint); });
      grid.appendChild(body);
      panel.appendChild(grid);
    }
    build();
    map.on("moveend", refresh);
    return {refresh: refresh, select: select};
  }

  M.tableControl = tableControl;
})(window.mapper = window.mapper || {});
