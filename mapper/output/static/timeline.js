/* mapper, the dock and the timeline. The dock is a strip along the bottom of the map for the
   panels too wide for a corner (the timeline, the table); the map's bottom corners stand on
   it. The timeline counts the events over calendar time, by day, week or month as the span
   asks, stacked by type, with the deaths as a line; dragging across it (the brush) or typing
   the two dates is the date filter, and "play" walks the chosen span through time. */
(function (M) {
  "use strict";

  var text = M.text, SVG = "http://www.w3.org/2000/svg";
  var DAY_MS = 86400000, HEIGHT = 48, PLAY_MS = 700;

  function svg(tag, attrs) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    return el;
  }

  function dayNumber(iso) {
    return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS);
  }

  function isoDay(n) {
    return new Date(n * DAY_MS).toISOString().slice(0, 10);
  }

  // The dock: its sections are drawers side by side in one row of titles; the map's bottom
  // corners and the panels' heights follow its height (--mapper-dock).
  function dock(map) {
    var container = map.getContainer(), root = text("div", "", "mapper-dock");
    var titles = text("div", "", "mapper-dock-titles"), bodies = text("div", "", "mapper-dock-bodies");
    root.appendChild(titles);
    root.appendChild(bodies);
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    container.appendChild(root);
    // As the dock grows or shrinks, the map's visible part keeps its centre.
    // (only when a reader opens or closes a section: not as the page lays itself out, nor
    // under a view a link restores)
    var height = root.offsetHeight;
    var clearOf = M.POPUP.autoPanPaddingBottomRight;
    function fit(keep) {
      var now = Math.ceil(root.getBoundingClientRect().height);
      container.style.setProperty("--mapper-dock", now + "px");
      // Popups open clear of the dock, as of the panels.
      M.POPUP.autoPanPaddingBottomRight = [clearOf[0], clearOf[1] + now];
      if (keep === true && now !== height) map.panBy([0, (now - height) / 2], {animate: false});
      height = now;
    }
    if (window.ResizeObserver) new ResizeObserver(function () { fit(false); }).observe(root);
    fit();
    return {
      // A section: its title (a drawer button) and its body; returns the body.
      add: function (title, cls, open) {
        var body = text("div", "", "mapper-dock-section " + cls);
        var button = M.drawer(title, body, open);
        button.classList.add(cls + "-title");
        button.addEventListener("click", function () { fit(true); });
        titles.insertBefore(button, titles.querySelector(".mapper-summary"));
        bodies.appendChild(body);
        return {body: body, button: button};
      },
      element: root,
      titles: titles,
      // (the dock's height is known at once, not only when the observer next runs)
      fit: fit
    };
  }

  // The part of the map a reader sees: above the dock.
  function visibleBounds(map) {
    var size = map.getSize(), dockEl = map.getContainer().querySelector(".mapper-dock");
    var foot = Math.max(1, size.y - (dockEl ? dockEl.offsetHeight : 0));
    return L.latLngBounds(map.containerPointToLatLng([0, foot]), map.containerPointToLatLng([size.x, 0]));
  }

  // The first and last day an event's date can mean (YYYY, YYYY-MM or YYYY-MM-DD), as day
  // numbers; an event is within the chosen dates when these overlap them.
  function span(date) {
    if (!date) return null;
    if (date.length === 4) return [dayNumber(date + "-01-01"), dayNumber(date + "-12-31")];
    if (date.length === 7) {
      var y = +date.slice(0, 4), m = +date.slice(5, 7);
      return [dayNumber(date + "-01"), Math.round(Date.UTC(y, m, 1) / DAY_MS) - 1];
    }
    return [dayNumber(date), dayNumber(date)];
  }

  // The bins over [first, last]: days for a few months, weeks (from Monday) for up to three
  // years, else months. Returns {starts: [day numbers], unit, of(day) → bin}.
  function bins(first, last) {
    var days = last - first + 1, starts = [], unit;
    if (days <= 120) {
      unit = "day";
      for (var k = first; k <= last; k++) starts.push(k);
      return {starts: starts, unit: unit, of: function (n) { return n - first; }};
    }
    if (days <= 3 * 366) {
      // Day 0 (1970-01-01) was a Thursday: Monday is 4 days later.
      var monday = first - ((first - 4) % 7 + 7) % 7;
      for (var w = monday; w <= last; w += 7) starts.push(w);
      return {starts: starts, unit: "week", of: function (n) { return Math.floor((n - monday) / 7); }};
    }
    var d0 = new Date(first * DAY_MS), y0 = d0.getUTCFullYear(), m0 = d0.getUTCMonth();
    var d1 = new Date(last * DAY_MS), count = (d1.getUTCFullYear() - y0) * 12 + d1.getUTCMonth() - m0 + 1;
    for (var m = 0; m < count; m++) starts.push(Math.round(Date.UTC(y0, m0 + m, 1) / DAY_MS));
    return {starts: starts, unit: "month", of: function (n) {
      var d = new Date(n * DAY_MS);
      return (d.getUTCFullYear() - y0) * 12 + d.getUTCMonth() - m0;
    }};
  }

  // page: {map, dock, entries, types, styles, onChange(from, to, all) (ISO days)}. The entries
  // carry .when ([first, last] day numbers, or null) and .other (kept by every filter but the
  // dates), which counts() reads. Returns {counts()}.
  function timeline(page) {
    var entries = page.entries, dated = entries.filter(function (e) { return e.when; });
    if (!dated.length) return {counts: function () {}};
    var first = Infinity, last = -Infinity;
    dated.forEach(function (e) {
      if (e.when[0] < first) first = e.when[0];
      if (e.when[0] > last) last = e.when[0];
    });
    var b = bins(first, last), n = b.starts.length, chosen = null, playing = null;
    var section = page.dock.add("Timeline", "mapper-timeline", !M.narrow(page.map));
    var body = section.body;
    var bar = text("div", "", "mapper-timeline-bar");
    var from = document.createElement("input"), to = document.createElement("input");
    [from, to].forEach(function (input, k) {
      input.type = "date";
      input.min = isoDay(first);
      input.max = isoDay(last);
      input.className = k === 0 ? "mapper-time-from" : "mapper-time-to";
      input.setAttribute("aria-label", k === 0 ? "from date" : "to date");
    });
    var all = text("button", "All dates", "mapper-time-all"), play = text("button", "Play", "mapper-time-play");
    all.type = play.type = "button";
    var label = text("span", "", "mapper-time-label");
    label.setAttribute("role", "status");
    bar.appendChild(text("span", "From "));
    bar.appendChild(from);
    bar.appendChild(text("span", " to "));
    bar.appendChild(to);
    bar.appendChild(all);
    bar.appendChild(play);
    bar.appendChild(label);
    body.appendChild(bar);
    var chart = svg("svg", {class: "mapper-timeline-chart", height: HEIGHT, role: "img",
      "aria-label": "events and deaths per " + b.unit + "; drag across it to choose dates"});
    chart.setAttribute("preserveAspectRatio", "none");
    chart.setAttribute("viewBox", "0 0 " + n + " " + HEIGHT);
    var bars = svg("g"), deaths = svg("polyline", {class: "mapper-timeline-deaths", fill: "none"});
    var shade = svg("g"), brush = svg("rect", {class: "mapper-timeline-brush", y: 0, height: HEIGHT});
    chart.appendChild(bars);
    chart.appendChild(deaths);
    chart.appendChild(shade);
    chart.appendChild(brush);
    body.appendChild(chart);
    var scale = text("div", "", "mapper-timeline-scale");
    body.appendChild(scale);

    // The dates chosen, as inclusive day numbers, or null for all of them.
    function set(a, z, quiet) {
      chosen = a === null ? null : [Math.min(a, z), Math.max(a, z)];
      from.value = isoDay(chosen ? chosen[0] : first);
      to.value = isoDay(chosen ? chosen[1] : last);
      if (chosen && chosen[0] <= first && chosen[1] >= last) chosen = null;
      drawBrush();
      if (!quiet) {
        page.onChange(chosen ? isoDay(chosen[0]) : null, chosen ? isoDay(chosen[1]) : null, !chosen);
      }
    }

    function drawBrush() {
      label.textContent = chosen ? isoDay(chosen[0]) + " to " + isoDay(chosen[1]) : "all dates";
      if (!chosen) {
        brush.setAttribute("width", "0");
        return;
      }
      var a = b.of(chosen[0]), z = b.of(chosen[1]);
      brush.setAttribute("x", String(Math.max(0, a)));
      brush.setAttribute("width", String(Math.max(0, Math.min(n, z + 1) - Math.max(0, a))));
    }

    // The bars and the line: events kept by every filter but the dates, by bin and type.
    function counts() {
      var stack = {}, killed = new Float64Array(n), top = 0, most = 0;
      page.types.forEach(function (t) { stack[t] = new Float64Array(n); });
      var imprecise = 0;
      entries.forEach(function (e) {
        if (!e.other || !e.when) return;
        var k = b.of(e.when[0]);
        stack[e.type][k] += 1;
        killed[k] += e.toll;
        if (e.when[1] > e.when[0]) imprecise += 1;
      });
      var totals = new Float64Array(n);
      page.types.forEach(function (t) {
        for (var k = 0; k < n; k++) totals[k] += stack[t][k];
      });
      for (var k = 0; k < n; k++) {
        if (totals[k] > top) top = totals[k];
        if (killed[k] > most) most = killed[k];
      }
      bars.textContent = "";
      var base = new Float64Array(n);
      page.types.forEach(function (t) {
        var path = "";
        for (var k = 0; k < n; k++) {
          if (!stack[t][k]) continue;
          var h = stack[t][k] / (top || 1) * (HEIGHT - 4), y = HEIGHT - base[k] - h;
          path += "M" + k + " " + y.toFixed(2) + "h0.9v" + h.toFixed(2) + "h-0.9z";
          base[k] += h;
        }
        if (path) bars.appendChild(svg("path", {d: path, fill: page.styles[t].color}));
      });
      var points = [];
      for (var k2 = 0; k2 < n; k2++) {
        points.push((k2 + 0.45) + "," + (HEIGHT - 2 - killed[k2] / (most || 1) * (HEIGHT - 6)).toFixed(2));
      }
      deaths.setAttribute("points", most ? points.join(" ") : "");
      scale.textContent = isoDay(first) + " · per " + b.unit + ": up to " + M.number(top) + " events" +
        (most ? ", " + M.number(most) + " killed (line)" : "") +
        (imprecise ? " · " + M.number(imprecise) + " dated only to a month or year, counted at its start" : "") +
        " · " + isoDay(last);
    }

    // The brush: a drag across the chart chooses the bins it covers; a click, one bin.
    var dragFrom = null;
    function binAt(ev) {
      var r = chart.getBoundingClientRect();
      return Math.max(0, Math.min(n - 1, Math.floor((ev.clientX - r.left) / r.width * n)));
    }
    function daysOf(a, z) {
      var lo = Math.min(a, z), hi = Math.max(a, z);
      var end = hi + 1 < n ? b.starts[hi + 1] - 1 : Math.max(last, b.starts[hi]);
      return [Math.max(first, b.starts[lo]), Math.min(last, end)];
    }
    chart.addEventListener("pointerdown", function (ev) {
      dragFrom = binAt(ev);
      chart.setPointerCapture(ev.pointerId);
      var d = daysOf(dragFrom, dragFrom);
      set(d[0], d[1], true);
    });
    chart.addEventListener("pointermove", function (ev) {
      if (dragFrom === null) return;
      var d = daysOf(dragFrom, binAt(ev));
      set(d[0], d[1], true);
    });
    chart.addEventListener("pointerup", function (ev) {
      if (dragFrom === null) return;
      var d = daysOf(dragFrom, binAt(ev));
      dragFrom = null;
      set(d[0], d[1]);
    });
    function typed() {
      var a = from.value ? dayNumber(from.value) : first, z = to.value ? dayNumber(to.value) : last;
      if (!isFinite(a) || !isFinite(z)) return;
      set(a, z);
    }
    from.addEventListener("change", typed);
    to.addEventListener("change", typed);
    all.addEventListener("click", function () { stop(); set(null); });
    // Play: the chosen span (a tenth of the whole, if none) steps forward a bin at a time.
    function stop() {
      clearInterval(playing);
      playing = null;
      play.textContent = "Play";
    }
    play.addEventListener("click", function () {
      if (playing) return stop();
      var width = chosen ? chosen[1] - chosen[0] : Math.max(0, Math.round((last - first) / 10));
      var at = chosen && chosen[1] < last ? chosen[0] : first;
      play.textContent = "Pause";
      set(at, at + width);
      playing = setInterval(function () {
        var step = b.unit === "day" ? 1 : b.unit === "week" ? 7 : 30;
        at += step;
        if (at + width > last + step) return stop();
        set(at, Math.min(last, at + width));
      }, PLAY_MS);
    });
    set(null, null, true);
    return {counts: counts};
  }

  M.dock = dock;
  M.visibleBounds = visibleBounds;
  M.timeline = timeline;
  M.dateSpan = span;
})(window.mapper = window.mapper || {});
