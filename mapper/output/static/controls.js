/* mapper, controls: the summary, the search, the tree of event types
   (toggles, counts, the legend of shapes) and the key to the other marks. */
(function (M) {
  "use strict";

  var text = M.text, icon = M.icon;

  // 21021 → "21,021", whatever the reader's locale: the page's words are English.
  function number(n) {
    return Number(n).toLocaleString("en-US");
  }

  // Below this width (a phone) the tree and the key start closed, so that no panel covers
  // another; their titles open and close them.
  var NARROW = 640;

  function narrow(map) {
    return map.getContainer().clientWidth < NARROW;
  }

  // A panel's title as a button that shows and hides its body (open at first unless narrow).
  function drawer(title, body, open) {
    var button = text("button", title, "mapper-drawer mapper-control-title");
    button.type = "button";
    function set(on) {
      body.hidden = !on;
      button.setAttribute("aria-expanded", String(on));
    }
    button.addEventListener("click", function () { set(body.hidden); });
    set(open);
    return button;
  }

  // The summary: what is shown and what the build read, on the dock's title line (host).
  function summaryControl(host, s) {
    var div = text("div", "", "mapper-summary");
    var counts = text("span", "", "mapper-counts");
    div.appendChild(counts);
    if (s.not_drawn) {
      div.appendChild(text("span", number(s.not_drawn) + (s.not_drawn === 1 ? " event" : " events") +
        " (" + number(s.not_drawn_killed || 0) + " killed) not drawn: no place found;" +
        " in the exports", "mapper-not-drawn"));
    }
    div.appendChild(text("span", number(s.articles) + " articles" +
      (s.problems ? " · " + number(s.problems) + " not read" : "")));
    div.appendChild(text("span", s.first ? "dates " + s.first + " to " + s.last : "no dated events"));
    if (s.unresolved && s.unresolved.length) {
      var details = document.createElement("details");
      details.appendChild(text("summary", s.unresolved.length + " names not in the gazetteer"));
      details.appendChild(text("div", s.unresolved.join(", "), "mapper-unresolved"));
      div.appendChild(details);
    }
    host.appendChild(div);
    return function (shown, killed) {
      counts.textContent = number(shown) + " events shown · " + number(killed) + " killed";
    };
  }

  // The most events a search lists; it always says how many match.
  var SEARCH_LIST = 100;

  // Search over the events shown: their places first (an exact name, then one that starts with
  // the query, then any that holds it), then their types, actors and evidence. The best match is
  // opened and every match is listed, with the count, to open each.
  function searchControl(map, entries, d, details, describe, open) {
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-search");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var input = document.createElement("input");
      input.type = "search";
      input.placeholder = "Find a place, actor or word";
      input.setAttribute("aria-label", "find a place, actor or word");
      var result = text("div", "", "mapper-search-result");
      result.setAttribute("role", "status");
      var list = document.createElement("ul");
      list.className = "mapper-search-list";
      function lower(table, v) {
        return v === null || v === undefined ? "" : table.strings[v].toLowerCase();
      }
      // How well an event answers q: 0 its place is q, 1 starts with it, 2 holds it, 3 its type,
      // 4 an actor, 5 its evidence; -1 not at all.
      function rank(e, q, x) {
        var places = [d.location[e.i], d.admin2[e.i], d.admin1[e.i]].map(function (v) { return lower(d, v); });
        if (e.border) places.push(e.border.toLowerCase());
        if (places.indexOf(q) !== -1) return 0;
        if (places.some(function (n) { return n && n.indexOf(q) === 0; })) return 1;
        if (places.some(function (n) { return n && n.indexOf(q) !== -1; })) return 2;
        if ((e.type + " " + e.sub).toLowerCase().indexOf(q) !== -1) return 3;
        if (!x) return -1;
        if ((lower(x, x.actor1[e.i]) + "\u0000" + lower(x, x.actor2[e.i])).indexOf(q) !== -1) return 4;
        return (x.evidence[e.i] || "").toLowerCase().indexOf(q) !== -1 ? 5 : -1;
      }
      function run(raw, x) {
        var q = raw.toLowerCase();
        var hits = [];
        entries.forEach(function (e) {
          if (!e.shown) return;
          var r = rank(e, q, x);
          if (r >= 0) hits.push({e: e, r: r});
        });
        hits.sort(function (a, b) { return a.r - b.r || b.e.toll - a.e.toll || a.e.i - b.e.i; });
        list.textContent = "";
        if (!hits.length) {
          map.closePopup();
          result.textContent = "no event matches " + raw;
          return 0;
        }
        result.textContent = hits.length === 1 ? "1 event matches" :
          M.number(hits.length) + " events match" +
          (hits.length > SEARCH_LIST ? " (the first " + SEARCH_LIST + " listed)" : "");
        if (hits.length > 1) {
          hits.slice(0, SEARCH_LIST).forEach(function (h) {
            list.appendChild(describe.item(h.e, function () { open(h.e, true); }));
          });
        }
        open(hits[0].e, true);
        return hits.length;
      }
      input.addEventListener("keydown", function (ev) {
        if (ev.key !== "Enter") return;
        var raw = input.value.trim();
        if (!raw) return;
        // Actors and evidence are among the details: unpacked now if not yet. A large map's
        // details are beside it (core.js detailParts): its places and types are searched at
        // once, and its actors and evidence fetched only when they find nothing.
        if (details.beside && !details.value) {
          if (run(raw, null)) return;
          result.textContent = "searching the actors and evidence…";
          details.load().then(function () { run(raw, details.value); }, function (error) {
            result.textContent = "no event matches " + raw + " by place or type. " +
              M.unserved(details.beside, error);
          });
          return;
        }
        details.load().then(function () { run(raw, details.value); }, function () { run(raw, null); });
      });
      div.appendChild(input);
      div.appendChild(result);
      div.appendChild(list);
      return div;
    };
    control.addTo(map);
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

  // The tree of event types and sub-types: toggles, counts in the chosen dates
  // (and confidence, when low-confidence events are hidden); the legend.
  function treeControl(map, types, byType, styles, onChange) {
    var nodes = [], control = L.control({position: "topright"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "mapper-tree mapper-legend");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var list = document.createElement("ul");
      div.appendChild(drawer("Event types", list, !narrow(map)));
      types.forEach(function (type) {
        var subs = {}, byKey = [];
        byType[type].forEach(function (e) {
          if (byKey[e.k] === undefined) byKey[e.k] = [e.sub, 0];
          byKey[e.k][1] += 1;
        });
        byKey.forEach(function (c) { if (c) subs[c[0]] = c[1]; });
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
            leaf.input.dataset.key = leaf.key;  // how a shared link names it (map.js)
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
      nodes.forEach(function (node) {
        onlyButton(node, null);
        node.subs.forEach(function (leaf) { onlyButton(node, leaf); });
      });
      div.appendChild(list);
      return div;
    };
    // "only": this type or sub-type alone on the map, every other unticked.
    function onlyButton(node, leaf) {
      var target = leaf || node, button = text("button", "only", "mapper-only");
      button.type = "button";
      button.setAttribute("aria-label", "show only " + (leaf ? leaf.sub : node.type));
      button.addEventListener("click", function (ev) {
        ev.preventDefault();  // not the label's box
        ev.stopPropagation();
        nodes.forEach(function (other) {
          other.subs.forEach(function (sub) {
            sub.input.checked = leaf ? sub === leaf : other === node;
          });
          syncType(other);
        });
        onChange();
      });
      target.label.insertBefore(button, target.count);
    }
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
      // Events of each node that the filters across types keep: the dates and, when lowHidden,
      // the confidence box.
      counts: function (entries, lowHidden) {
        var n = {}, within = " events in the chosen dates" + (lowHidden ? ", low confidence hidden" : "");
        // Counted by the number of each sub-type's key (e.k), then named: no lookup by name
        // for each of a million events.
        var byKey = [], names = [];
        entries.forEach(function (e) {
          if (!e.inFilters) return;
          if (byKey[e.k] === undefined) {
            byKey[e.k] = 0;
            names[e.k] = e;
          }
          byKey[e.k] += 1;
        });
        byKey.forEach(function (c, k) {
          var e = names[k];
          n[e.type] = (n[e.type] || 0) + c;
          n[e.key] = c;
        });
        nodes.forEach(function (node) {
          node.count.textContent = " " + (n[node.type] || 0);
          node.label.title = (n[node.type] || 0) + " " + node.type + within;
          node.subs.forEach(function (leaf) {
            leaf.count.textContent = " " + (n[leaf.key] || 0);
            leaf.label.title = (n[leaf.key] || 0) + " " + leaf.sub + within;
          });
        });
      }
    };
  }

  // Markers as large as those of events with these tolls, each with its number: the size scale.
  function sizeScale(tolls) {
    var row = text("div", "", "mapper-size-scale");
    row.appendChild(text("span", "killed: "));
    var ns = "http://www.w3.org/2000/svg";
    tolls.forEach(function (toll) {
      var r = M.radius(toll), svg = document.createElementNS(ns, "svg");
      svg.setAttribute("width", String(2 * r + 2));
      svg.setAttribute("height", String(2 * r + 2));
      svg.setAttribute("aria-hidden", "true");
      var circle = document.createElementNS(ns, "circle");
      circle.setAttribute("cx", String(r + 1));
      circle.setAttribute("cy", String(r + 1));
      circle.setAttribute("r", String(r));
      svg.appendChild(circle);
      row.appendChild(svg);
      row.appendChild(text("span", String(toll) + " "));
    });
    return row;
  }

  // What the marks on the map mean, beyond the types listed in the tree: marks.areas and
  // marks.borders say whether there are such events; marks.low is the confidence threshold
  // when some events are below it (else null), and then a box to hide them, which calls
  // onHideLow(checked). A section of the dock (timeline.js), closed at first.
  function keyControl(dock, marks, onHideLow) {
    var div = dock.add("Key", "mapper-key", false).body;
    div.appendChild(sizeScale([1, 10, 100]));
    if (marks.low !== null) {
      var hollow = text("div", "hollow: low confidence (under " + marks.low.toFixed(2) + ")");
      hollow.insertBefore(text("span", "", "hollow"), hollow.firstChild);
      div.appendChild(hollow);
    }
    if (marks.areas) {
      var area = text("div", "dashed: known only to a district (a disc about 40 km across)," +
        " a region (180 km) or a country (its outline)");
      area.insertBefore(text("span", "", "ring"), area.firstChild);
      div.appendChild(area);
    }
    if (marks.borders) {
      var line = text("div", "line: on the border of two countries");
      line.insertBefore(text("span", "", "line"), line.firstChild);
      div.appendChild(line);
    }
    var group = text("div", "ring: overlapping events, by type (click: zoom in, or list them)");
    group.insertBefore(text("span", "", "group"), group.firstChild);
    div.appendChild(group);
    if (marks.low !== null) {
      // A native checkbox in its label: named by its text, reached and toggled by keyboard.
      var label = document.createElement("label"), box = document.createElement("input");
      label.className = "mapper-hide-low";
      box.type = "checkbox";
      box.addEventListener("change", function () { onHideLow(box.checked); });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" Hide low-confidence events"));
      div.appendChild(label);
    }
  }

  M.number = number;
  M.drawer = drawer;
  M.narrow = narrow;
  M.summaryControl = summaryControl;
  M.searchControl = searchControl;
  M.treeControl = treeControl;
  M.keyControl = keyControl;
})(window.mapper = window.mapper || {});
