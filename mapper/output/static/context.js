/* mapper, the map's context offline: names of towns drawn by the page itself (the larger from
   afar, the smaller as the reader zooms in), and a notice when the online tiles cannot be
   loaded, so that a grey map never passes for an empty one. */
(function (M) {
  "use strict";

  var text = M.text;

  // The smallest population whose towns are named at each zoom (below the first, none).
  var NAMED_FROM = [[4, 1000000], [6, 300000], [7, 100000], [8, 40000], [9, 0]];

  // About how wide a letter of a town's name is drawn (11 px type), for names not to overlap.
  var LETTER_PX = 6;

  function least(zoom) {
    var floor = Infinity;
    NAMED_FROM.forEach(function (step) { if (zoom >= step[0]) floor = step[1]; });
    return floor;
  }

  // towns: [[name, lat, lon, population], ...], the largest first.
  var TownNames = L.Layer.extend({
    initialize: function (towns) {
      this._towns = towns;
    },
    onAdd: function (map) {
      if (!map.getPane("mapper-towns")) {
        var pane = map.createPane("mapper-towns");
        pane.style.zIndex = 350;  // over the basemap, under the events (400 and above)
        pane.style.pointerEvents = "none";
      }
      this._root = L.DomUtil.create("div", "mapper-towns", map.getPane("mapper-towns"));
      map.on("zoomend moveend", this._draw, this);
      this._draw();
    },
    onRemove: function (map) {
      map.off("zoomend moveend", this._draw, this);
      L.DomUtil.remove(this._root);
    },
    _draw: function () {
      var map = this._map, floor = least(map.getZoom()), bounds = map.getBounds().pad(0.1);
      this._root.textContent = "";
      // The larger towns first; a name that would run into one already placed is left out.
      var shown = 0, placed = [];
      this._towns.forEach(function (t) {
        if (t[3] < floor || !bounds.contains([t[1], t[2]])) return;
        var at = map.latLngToLayerPoint([t[1], t[2]]);
        var box = [at.x - 4, at.y - 9, at.x + 10 + LETTER_PX * t[0].length, at.y + 5];
        var clash = placed.some(function (b) {
          return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
        });
        if (clash) return;
        placed.push(box);
        var label = text("span", t[0], "mapper-town");
        L.DomUtil.setPosition(label, at);
        this._root.appendChild(label);
        shown += 1;
      }, this);
      this._root.setAttribute("data-mapper-towns", String(shown));
    }
  });

  // When the online tiles fail and none has loaded, the dock says so and offers to hide them.
  // (dock: timeline.js's; its height follows at once)
  function tileNotice(map, dock) {
    var host = dock.titles;
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) return;
      var loaded = 0, notice = null;
      layer.on("tileload", function () { loaded += 1; });
      layer.on("tileerror", function () {
        if (loaded || notice) return;
        notice = text("span", "Offline: the online map tiles cannot be loaded; the map shows " +
          "its own borders and town names. ", "mapper-offline");
        notice.setAttribute("role", "status");
        var hide = text("button", "Hide online tiles", "mapper-offline-hide");
        hide.type = "button";
        hide.addEventListener("click", function () {
          map.removeLayer(layer);
          notice.remove();
          dock.fit();
        });
        notice.appendChild(hide);
        host.insertBefore(notice, host.querySelector(".mapper-summary"));
        dock.fit();
      });
    });
  }

  // A large map opened as a file: its details, kept beside it (core.js detailParts), cannot be
  // fetched, and the dock says what the page shows without them and how to serve it.
  function unservedNotice(dock, beside) {
    var host = dock.titles, notice = text("span", "Opened as a file: popups show each event's " +
      "type, place, date and toll. Its evidence, actors and source, and the search and filters " +
      "that read them, are in the folder " + beside.folder + " beside this page and load only " +
      "when the map is served: run \u201cmapper serve\u201d and open the address it prints.",
      "mapper-offline mapper-unserved");
    notice.setAttribute("role", "status");
    host.insertBefore(notice, host.querySelector(".mapper-summary"));
    dock.fit();
  }

  M.TownNames = TownNames;
  M.unservedNotice = unservedNotice;
  M.tileNotice = tileNotice;
})(window.mapper = window.mapper || {});
