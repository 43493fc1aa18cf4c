/* mapper, the map: each event's entry from the first view's columns, one renderer (SVG for a
   small map, canvas for a large one), the controls, and the filters that tie them together.
   mapperDraw is the page's one entry point; it sets mapperReady once the first view is drawn. */
(function (M) {
  "use strict";

  // How long after its first view the page unpacks the popups' fields (see mapperDraw).
  var UNPACK_AFTER_MS = 1000;

  // The first day an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) can mean, for ordering.
  function firstDay(date) {
    if (!date) return null;
    return date.length === 4 ? date + "-01-01" : date.length === 7 ? date + "-01" : date;
  }

  window.mapperDraw = function (map, layerControl) {
    // The popups' fields, unpacked once: when the page is idle after its first view, or at
    // the first popup if that comes sooner.
    var data = M.readJson("mapper-data"), d = M.firstView(data.events), beside = data.config.beside;
    var details = beside ? M.detailParts(beside, d.n || 0) : M.lazyPacked("mapper-details");
    var styles = data.styles, entries = [], canvasMode = d.n > 3000;
    var crs = map.options.crs, byType = {}, lines = (data.borders || []).map(M.borderLines);
    var outlines = (data.outlines || []).map(M.rings);
    var threshold = data.config.low_confidence, confidence = d.confidence || [];
    // What events share is made once and shared: each type and sub-type's key (keys[e.k]),
    // each date's days. A million events make a million objects, and the less each one holds,
    // the sooner the page is drawn.
    var keys = [], keyOf = new Map(), dates = new Map();
    var typeIndex = {};
    (data.types || Object.keys(styles)).forEach(function (t, k) { typeIndex[t] = k; });
    function keyCode(type, sub) {
      var key = type + "\u0000" + sub, k = keyOf.get(key);
      if (k === undefined) {
        k = keys.length;
        keys.push(key);
        keyOf.set(key, k);
      }
      return k;
    }
    function dated(date) {
      var known = dates.get(date);
      if (known === undefined) {
        known = {day: firstDay(date), when: M.dateSpan(date)};
        dates.set(date, known);
      }
      return known;
    }
    for (var i = 0; i < (d.n || 0); i++) {
      var type = d.strings[d.event_type[i]];
      if (!styles[type]) continue;
      var sub = d.sub_event_type[i] === null ? "(none)" : d.strings[d.sub_event_type[i]];
      var b = d.border ? d.border[i] : null, line = b === null || b === undefined ? null : lines[b];
      var latlng = line ? line.middle : [d.lat[i], d.lon[i]];
      var p0 = M.project(crs, latlng[0], latlng[1]), k = keyCode(type, sub), on = dated(d.event_date[i]);
      // A place no sentence of the event names, only the one the article is about, is drawn as
      // an area of a district's size, never as a pin.
      var source = d.location_source ? d.location_source[i] : null;
      var focusOnly = source !== null && source !== undefined && d.strings[source] === "article";
      var precision = focusOnly && d.geo_precision[i] === 1 ? 2 : d.geo_precision[i];
      var e = {
        i: i, type: type, t: typeIndex[type], sub: sub, key: keys[k], k: k, latlng: latlng,
        x0: p0.x, y0: p0.y, precision: precision, precise: precision === 1,
        radius: M.radius(d.fatalities[i]), toll: d.fatalities[i] || 0, day: on.day, when: on.when,
        line: line ? line.paths : null, border: line ? M.borderName(data.borders[b]) : null,
        // (an event known only to its country is drawn as the country's outline)
        outline: d.outline && d.outline[i] !== null ? outlines[d.outline[i]] : null,
        outlineId: d.outline ? d.outline[i] : null,
        low: M.isLow(confidence[i], threshold), shown: true, inTime: true, inFilters: true
      };
      (byType[type] = byType[type] || []).push(e);
      entries.push(e);
    }
    var types = (data.types || Object.keys(styles)).filter(function (t) { return byType[t]; });
    if (M.narrow(map)) {
      // A phone: popups as wide as the screen allows, panned clear of its edges only.
      var width = map.getContainer().clientWidth;
      M.POPUP.maxWidth = Math.max(180, width - 70);
      M.POPUP.autoPanPaddingTopLeft = M.POPUP.autoPanPaddingBottomRight = [10, 10];
      // The layers' list folds into its button (opened by a tap or the keyboard), closed
      // again by a tap on the map: open, it would cover the search.
      if (layerControl && layerControl.collapse) {
        layerControl.options.collapsed = true;  // (a layer added later does not open it)
        layerControl.collapse();
        map.on("click", layerControl.collapse, layerControl);
      }
    }
    var describe = M.describer(map, data, details);
    var renderer, canvas = null;
    // The event whose popup was made last (null while a list of events is open): what a link
    // to this view names (share.js).
    var lastOpened = null, popupOf = describe.popup;
    describe.popup = function (e) {
      lastOpened = e;
      if (table) table.select(e);
      return popupOf.call(describe, e);
    };
    var table = null;
    // Events a click cannot tell apart, listed in one popup; its first button takes the focus.
    function openMany(list, latlng) {
      lastOpened = null;
      var popup = L.popup(M.POPUP).setLatLng(latlng)
        .setContent(describe.list(list, function (e) { renderer.open(e); })).openOn(map);
      var first = popup.getElement().querySelector(".mapper-here-item");
      if (first) first.focus();
    }
    if (canvasMode) {
      // Added to the map once the first filters are applied (below): drawn once at start.
      canvas = new M.CanvasEvents(byType, types, styles);
      canvas.on("pick", function (ev) { open(ev.entry); });
      canvas.on("pickMany", function (ev) { openMany(ev.entries, ev.latlng); });
      renderer = {
        refresh: function () { if (canvas._map) canvas.redraw(); },
        open: function (e) {
          L.popup(M.POPUP).setLatLng(e.latlng).setContent(describe.popup(e)).openOn(map);
        }
      };
    } else {
      renderer = M.svgRenderer(map, byType, types, styles, describe, openMany);
    }
    // Open an event's popup; from the search, first zoom in far enough that it is not grouped.
    function open(e, find) {
      if (find) {
        map.setView(e.latlng, Math.max(map.getZoom(), M.CLUSTER_BELOW_ZOOM), {animate: false});
        renderer.refresh();
      }
      renderer.open(e);
    }
    var heat = null;
    if (L.HeatLayer && layerControl && entries.length) {
      // Where people died, weighted by the toll, among the events shown; offered in the layer
      // control, off at first.
      heat = new M.HeatOfShown(entries, {radius: 22, blur: 18});
      layerControl.addOverlay(heat, "Heat map of deaths");
    }
    if (data.towns && data.towns.length) {
      var towns = new M.TownNames(data.towns).addTo(map);
      if (layerControl) layerControl.addOverlay(towns, "Town names (offline)");
    }
    // Events the page cannot draw (a type it has no style for) are counted with those the
    // build found no place for.
    var skipped = (d.n || 0) - entries.length;
    var dock = M.dock(map);
    var showCounts = M.summaryControl(dock.titles, skipped ? Object.assign({}, data.summary, {
      not_drawn: (data.summary.not_drawn || 0) + skipped
    }) : data.summary);
    var container = map.getContainer();
    var tree = M.treeControl(map, types, byType, styles, update), hideLow = false;
    // Apply the tree's toggles, the dates and the confidence box to every event, then redraw
    // and recount. The dates and the box apply across types: the tree counts what they keep.
    function update() {
      var on = tree.state(), shown = 0, killed = 0;
      var onK = keys.map(function (key) { return on[key] !== false; });
      entries.forEach(function (e) {
        var kept = !(hideLow && e.low) && e.picked !== false;
        e.inFilters = e.inTime && kept;
        // (what the timeline counts: every filter but the dates)
        e.other = kept && onK[e.k];
        e.shown = e.other && e.inTime;
        if (e.shown) {
          shown += 1;
          killed += e.toll;
        }
      });
      renderer.refresh();
      if (heat) heat.refresh();
      if (table) table.refresh();
      if (time) time.counts();
      tree.counts(entries, hideLow);
      showCounts(shown, killed);
      container.setAttribute("data-mapper-visible", String(shown));
    }
    // Within the chosen dates: an event whose date (a day, a month or a year) overlaps them.
    var time = M.timeline({
      map: map, dock: dock, entries: entries, types: types, styles: styles,
      onChange: function (from, to, all) {
        var a = all ? null : M.dateSpan(from)[0], z = all ? null : M.dateSpan(to)[0];
        entries.forEach(function (e) {
          e.inTime = all || (e.when !== null && e.when[1] >= a && e.when[0] <= z);
        });
        update();
      }
    });
    M.searchControl(map, entries, d, details, describe, open);
    M.filterControl({
      map: map, entries: entries, d: d, details: details, countries: data.countries || {},
      onChange: update
    });
    // An event's fields as the build's exports give them (the details unpacked).
    function record(e) {
      var p = M.props(d, details.merged, e.i, data.borders), out = {};
      data.config.columns.forEach(function (c) { out[c] = p[c] === undefined ? null : p[c]; });
      out.location_source = p.location_source === null ? "text" : p.location_source || null;
      out.also_reported = p.also_reported;
      return out;
    }
    M.tileNotice(map, dock);
    dock.fit();
    table = M.tableControl({
      map: map, dock: dock, entries: entries, d: d, details: details, countries: data.countries || {},
      columns: data.config.columns, record: record,
      open: function (e) { renderer.open(e); }
    });
    M.keyControl(dock, {
      areas: entries.some(function (e) { return !e.precise && !e.line; }),
      borders: entries.some(function (e) { return e.line; }),
      low: entries.some(function (e) { return e.low; }) ? threshold : null
    }, function (hide) {
      hideLow = hide;
      update();
    });
    update();
    if (canvas) canvas.addTo(map);
    // Escape closes the open popup wherever the focus is on the page: in the search box, on a
    // list of events, on a marker.
    container.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && map.closePopup) map.closePopup();
    });
    // The controls come first in the tab order, before the events on the map (Leaflet puts
    // them after its panes; they are positioned above the map wherever they stand).
    if (map._controlContainer) container.insertBefore(map._controlContainer, container.firstChild);
    M.share({
      map: map, container: container,
      open: function (e, keepView) { open(e, !keepView); },
      lastOpened: function () { return lastOpened; },
      eventId: function (e) {
        return details.part(e.i).then(function (x) { return x.event_id[e.i]; });
      },
      findEvent: function (id) {
        return details.load().then(function () {
          var i = details.value.event_id.indexOf(id);
          return entries.find(function (e) { return e.i === i; }) || null;
        });
      }
    });
    container.setAttribute("data-mapper-events", String(entries.length));
    container.setAttribute("data-mapper-mode", canvasMode ? "canvas" : "svg");
    window.mapperReady = true;
    // Unpacking takes the page a fifth of a second at 100,000 events: not while it draws its
    // first view and settles, but once it has been still for a moment (or at the first popup).
    // A failure is told in the popup that needs the details.
    // A large map's details, kept beside it, are fetched a part at a time as they are needed.
    if (!beside) {
      setTimeout(function () {
        (window.requestIdleCallback || setTimeout)(function () { details.load().catch(function () {}); });
      }, UNPACK_AFTER_MS);
    } else if (location.protocol === "file:") {
      M.unservedNotice(dock, beside);
    }
  };
})(window.mapper = window.mapper || {});
