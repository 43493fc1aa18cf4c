/* mapper, the heat map of deaths (Leaflet.heat), weighted by the toll, of the events shown. */
(function (M) {
  "use strict";

  // The heat map of the events shown: its points are gathered only while it is on the map,
  // when it is added and on each change of the toggles or dates, so a hidden heat map costs
  // nothing.
  var HeatOfShown = (L.HeatLayer || L.Layer).extend({
    initialize: function (entries, options) {
      this._entries = entries;
      L.setOptions(this, options);
      this._latlngs = [];
    },
    onAdd: function (map) {
      this._latlngs = this._points();
      L.HeatLayer.prototype.onAdd.call(this, map);
    },
    refresh: function () {
      if (this._map) this.setLatLngs(this._points());
    },
    _points: function () {
      var points = [];
      this._entries.forEach(function (e) {
        if (e.shown) points.push([e.latlng[0], e.latlng[1], Math.max(1, e.toll)]);
      });
      return points;
    }
  });

  M.HeatOfShown = HeatOfShown;
})(window.mapper = window.mapper || {});
