/* mapper, filters across every field: country, province, actor, words, the smallest toll and
   confidence, and an area chosen on the map. Each is an input whose value a link carries
   (share.js keeps every [data-share] input); those that read the details (country, actor,
   words) wait for them to be unpacked. Text typed here is only ever compared, never shown
   as HTML. */
(function (M) {
  "use strict";

  var text = M.text;
  // How long typing may pause before the map follows (a filter over 100,000 events is quick,
  // but not at every key).
  var TYPING_MS = 200;

  function field(label, input, share) {
    var row = document.createElement("label");
    row.className = "mapper-filter";
    row.appendChild(text("span", label, "mapper-filter-name"));
    input.dataset.share = share;
    row.appendChild(input);
    return row;
  }

  function textInput(listId) {
    var input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    if (listId) input.setAttribute("list", listId);
    return input;
  }

  function numberInput(min, max, step) {
    var input = document.createElement("input");
    input.type = "number";
    input.min = String(min);
    if (max !== null) input.max = String(max);
    input.step = String(step);
    return input;
  }

  function fill(datalist, values) {
    datalist.textContent = "";
    values.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      datalist.appendChild(option);
    });
  }

  function lowerAll(strings) {
    return strings.map(function (s) { return s.toLowerCase(); });
  }

  // Which of the page's strings (a column's table) hold needle; null for an empty needle.
  function holding(strings, needle, exact) {
    if (!needle) return null;
    var hit = new Uint8Array(strings.length);
    strings.forEach(function (s, k) {
      if (exact ? s === needle : s.indexOf(needle) !== -1) hit[k] = 1;
    });
    return hit;
  }

  // page: {map, entries, d (first view's columns), details (lazyPacked), countries (code →
  //        name), onChange()}. Returns {picked(e)} and sets e.picked on every entry.
  function filterControl(page) {
    var map = page.map, entries = page.entries, d = page.d, details = page.details;
    var control = L.control({position: "topleft"}), inputs = {}, title = null;
    var box = null, rectangle = null, timer = null, countryNames = page.countries || {};
    var ids = {country: "mapper-countries", admin1: "mapper-provinces", actor: "mapper-actors"};

    function value(name) {
      return inputs[name].value.trim().toLowerCase();
    }

    // Countries answer to their name or their code.
    function countryHit(x) {
      var q = value("country");
      if (!q) return null;
      var hit = new Uint8Array(x.strings.length);
      x.strings.forEach(function (code, k) {
        var name = countryNames[code] || "";
        if (code.toLowerCase() === q || name.toLowerCase() === q) hit[k] = 1;
      });
      return hit;
    }

    function apply() {
      var x = details.value, lowerD = lowerAll(d.strings);
      var lowerX = x ? lowerAll(x.strings) : null;
      var admin1 = holding(lowerD, value("admin1"), true);
      var country = x ? countryHit(x) : null, actor = x ? holding(lowerX, value("actor"), false) : null;
      var words = value("words").split(/\s+/).filter(Boolean);
      var least = parseFloat(inputs.killed.value), sure = parseFloat(inputs.confidence.value);
      var confidence = d.confidence || [];
      var on = 0;
      ["country", "admin1", "actor", "words", "killed", "confidence"].forEach(function (k) {
        if (inputs[k].value.trim()) on += 1;
      });
      if (box) on += 1;
      title.textContent = "Filters" + (on ? " (" + on + " on)" : "");
      function has(column, table, i) {
        var v = column[i];
        return v !== null && v !== undefined && table[v] === 1;
      }
      // Words are looked for in the places, the actors, the evidence and the notes.
      function saysAll(e) {
        var i = e.i, parts = [e.type, e.sub];
        [d.location, d.admin2, d.admin1].forEach(function (c) {
          if (c[i] !== null && c[i] !== undefined) parts.push(d.strings[c[i]]);
        });
        [x.actor1, x.actor2].forEach(function (c) {
          if (c[i] !== null && c[i] !== undefined) parts.push(x.strings[c[i]]);
        });
        parts.push(x.evidence[i] || "", x.notes[i] || "");
        var all = parts.join("\u0000").toLowerCase();
        return words.every(function (w) { return all.indexOf(w) !== -1; });
      }
      entries.forEach(function (e) {
        var i = e.i, ok = true;
        if (admin1) ok = has(d.admin1, admin1, i);
        if (ok && country) ok = has(x.country, country, i);
        if (ok && actor) ok = has(x.actor1, actor, i) || has(x.actor2, actor, i);
        if (ok && isFinite(least)) ok = e.toll >= least;
        if (ok && isFinite(sure)) ok = typeof confidence[i] === "number" && confidence[i] >= sure;
        if (ok && box) {
          ok = e.latlng[0] >= box[0] && e.latlng[0] <= box[2] &&
            e.latlng[1] >= box[1] && e.latlng[1] <= box[3];
        }
        if (ok && words.length && x) ok = saysAll(e);
        e.picked = ok;
      });
      page.onChange();
    }

    // Filters that read the details wait for them; the others apply at once.
    function changed() {
      clearTimeout(timer);
      timer = null;
      var needs = value("country") || value("actor") || value("words");
      if (needs && !details.value) {
        details.load().then(apply, apply);
      } else {
        apply();
      }
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(changed, TYPING_MS);
    }

    // The area: [south, west, north, east], kept in a hidden input that links carry.
    function setBox(b) {
      box = b;
      inputs.box.value = b ? b.map(function (v) { return v.toFixed(4); }).join(",") : "";
      if (rectangle) rectangle.remove();
      rectangle = b ? L.rectangle([[b[0], b[1]], [b[2], b[3]]], {
        className: "mapper-area-box", interactive: false, fill: false, weight: 2, dashArray: "6 4",
        color: "#222"
      }).addTo(map) : null;
      clear.hidden = !b;
      // (for a link to carry it: share.js listens for changes)
      inputs.box.dispatchEvent(new Event("change", {bubbles: true}));
      changed();
    }

    function readBox() {
      var parts = inputs.box.value.split(",").map(Number);
      var ok = parts.length === 4 && parts.every(isFinite) && parts[0] < parts[2] && parts[1] < parts[3];
      return ok ? parts : null;
    }

    // Drawing an area: the next drag on the map draws it instead of moving the map.
    function drawArea() {
      var start = null, container = map.getContainer();
      map.dragging.disable();
      container.classList.add("mapper-drawing");
      function down(ev) {
        start = ev.latlng;
        L.DomEvent.stop(ev.originalEvent);
      }
      function move(ev) {
        if (!start) return;
        var b = L.latLngBounds(start, ev.latlng);
        if (rectangle) rectangle.setBounds(b);
        else rectangle = L.rectangle(b, {className: "mapper-area-box", interactive: false, fill: false,
          weight: 2, dashArray: "6 4", color: "#222"}).addTo(map);
      }
      function up(ev) {
        map.off("mousedown", down).off("mousemove", move).off("mouseup", up);
        map.dragging.enable();
        container.classList.remove("mapper-drawing");
        if (!start) return;
        var b = L.latLngBounds(start, ev.latlng);
        setBox(b.getSouth() < b.getNorth() && b.getWest() < b.getEast() ?
          [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()] : null);
      }
      map.on("mousedown", down).on("mousemove", move).on("mouseup", up);
    }

    var clear = null;
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-filters");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var body = document.createElement("div");
      title = document.createElement("span");
      var drawerButton = M.drawer("Filters", body, false);
      drawerButton.textContent = "";
      drawerButton.appendChild(title);
      title.textContent = "Filters";
      div.appendChild(drawerButton);
      div.appendChild(body);
      Object.keys(ids).forEach(function (k) {
        var list = document.createElement("datalist");
        list.id = ids[k];
        body.appendChild(list);
      });
      inputs.country = textInput(ids.country);
      inputs.admin1 = textInput(ids.admin1);
      inputs.actor = textInput(ids.actor);
      inputs.words = textInput(null);
      inputs.killed = numberInput(0, null, 1);
      inputs.confidence = numberInput(0, 1, 0.05);
      inputs.box = document.createElement("input");
      inputs.box.type = "hidden";
      inputs.box.dataset.share = "box";
      body.appendChild(field("Country", inputs.country, "country"));
      body.appendChild(field("Province", inputs.admin1, "province"));
      body.appendChild(field("Actor", inputs.actor, "actor"));
      body.appendChild(field("Words", inputs.words, "words"));
      body.appendChild(field("Killed at least", inputs.killed, "killed"));
      body.appendChild(field("Confidence at least", inputs.confidence, "sure"));
      body.appendChild(inputs.box);
      var area = text("div", "", "mapper-filter-area");
      var draw = text("button", "Draw an area", "mapper-area-draw");
      var view = text("button", "Area in view", "mapper-area-view");
      clear = text("button", "Clear area", "mapper-area-clear");
      [draw, view, clear].forEach(function (b) { b.type = "button"; area.appendChild(b); });
      draw.addEventListener("click", drawArea);
      view.addEventListener("click", function () {
        var b = M.visibleBounds(map);
        setBox([b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]);
      });
      clear.addEventListener("click", function () { setBox(null); });
      clear.hidden = true;
      body.appendChild(area);
      var reset = text("button", "Clear all filters", "mapper-filters-reset");
      reset.type = "button";
      reset.addEventListener("click", function () {
        ["country", "admin1", "actor", "words", "killed", "confidence"].forEach(function (k) {
          inputs[k].value = "";
        });
        setBox(null);
      });
      body.appendChild(reset);
      ["country", "admin1", "actor", "words", "killed", "confidence"].forEach(function (k) {
        inputs[k].addEventListener("input", later);
        inputs[k].addEventListener("change", changed);
      });
      // A link sets the hidden area's value and says so with an input event.
      inputs.box.addEventListener("input", function () { setBox(readBox()); });
      return div;
    };
    control.addTo(map);
    var provinces = {};
    d.admin1.forEach(function (v) { if (v !== null && v !== undefined) provinces[d.strings[v]] = 1; });
    fill(document.getElementById(ids.admin1), Object.keys(provinces).sort());
    // The countries and actors are among the details: offered once a reader comes to their
    // boxes (not before the first view, which does without the details).
    var offered = false;
    function offer() {
      if (offered) return;
      offered = true;
      details.load().then(function () {
        var x = details.value, codes = {}, actors = {};
        entries.forEach(function (e) {
          var c = x.country[e.i];
          if (c !== null && c !== undefined) codes[x.strings[c]] = 1;
          [x.actor1[e.i], x.actor2[e.i]].forEach(function (a) {
            if (a !== null && a !== undefined) actors[x.strings[a]] = 1;
          });
        });
        fill(document.getElementById(ids.country), Object.keys(codes).filter(function (c) {
          return c !== "ZZ";
        }).map(function (c) { return countryNames[c] || c; }).sort());
        fill(document.getElementById(ids.actor), Object.keys(actors).sort());
      }, function () {});
    }
    inputs.country.addEventListener("focus", offer);
    inputs.actor.addEventListener("focus", offer);
    entries.forEach(function (e) { e.picked = true; });
  }

  M.filterControl = filterControl;
})(window.mapper = window.mapper || {});
