/* mapper, links that share a view: the view, the filters and the open event kept in the page's
   address after "#", so that a copied link (also to a local file) opens the same map. Only
   what differs from the page as first drawn is written; every value read back is checked
   against what the page holds, and text from the address never becomes HTML. */
(function (M) {
  "use strict";

  function parse(hash) {
    var out = {};
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) {
        try {
          out[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1));
        } catch (e) { /* a malformed value is left out */ }
      }
    });
    return out;
  }

  function format(state) {
    return Object.keys(state).filter(function (k) { return state[k] !== null && state[k] !== ""; })
      .map(function (k) { return k + "=" + encodeURIComponent(state[k]); }).join("&");
  }

  function set(input, value, type) {
    if (!input) return;
    if (type === "checkbox") {
      input.checked = value;
    } else {
      input.value = value;
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  // page: {map, container, lastOpened() (the event whose popup was made last, null for
  //        a list), eventId(e) (a promise of its id), findEvent(id) (a promise of the event or
  //        null), open(e, keepView)}.
  function share(page) {
    var map = page.map, root = page.container, restoring = true, opened = null;

    function state() {
      var c = map.getCenter(), s = {
        z: String(map.getZoom()),
        ll: c.lat.toFixed(4) + "," + c.lng.toFixed(4)
      };
      var from = root.querySelector(".mapper-time-from"), to = root.querySelector(".mapper-time-to");
      if (from && from.value && from.value !== from.min) s.from = from.value;
      if (to && to.value && to.value !== to.max) s.to = to.value;
      var off = Array.from(root.querySelectorAll(".mapper-tree-sub input"))
        .filter(function (box) { return !box.checked; })
        .map(function (box) { return box.dataset.key.replace("\u0000", "/"); });
      if (off.length) s.off = off.join("|");
      var low = root.querySelector(".mapper-hide-low input");
      if (low && low.checked) s.low = "1";
      // The filters (filters.js): every input that names itself for links.
      root.querySelectorAll("[data-share]").forEach(function (input) {
        if (input.value.trim()) s[input.dataset.share] = input.value.trim();
      });
      if (opened) s.e = opened;
      return s;
    }

    function write() {
      if (restoring) return;
      var hash = "#" + format(state());
      if (hash === location.hash) return;
      try {
        history.replaceState(null, "", hash);
      } catch (e) {
        location.replace(hash);  // where the address cannot be replaced quietly
      }
    }

    function restore(s) {
      var z = parseInt(s.z, 10), ll = (s.ll || "").split(",").map(Number);
      var view = ll.length === 2 && ll.every(isFinite) && isFinite(z);
      if (view) {
        map.setView([ll[0], ll[1]], Math.max(map.getMinZoom(), Math.min(map.getMaxZoom(), z)),
          {animate: false});
      }
      var day = /^\d{4}-\d{2}-\d{2}$/;
      if (day.test(s.from || "")) set(root.querySelector(".mapper-time-from"), s.from);
      if (day.test(s.to || "")) set(root.querySelector(".mapper-time-to"), s.to);
      if (s.off) {
        var off = new Set(s.off.split("|"));
        root.querySelectorAll(".mapper-tree-sub input").forEach(function (box) {
          if (off.has(box.dataset.key.replace("\u0000", "/"))) set(box, false, "checkbox");
        });
      }
      if (s.low === "1") set(root.querySelector(".mapper-hide-low input"), true, "checkbox");
      root.querySelectorAll("[data-share]").forEach(function (input) {
        var v = s[input.dataset.share];
        if (typeof v === "string" && v.length <= 200) set(input, v);
      });
      if (!s.e) return Promise.resolve();
      return page.findEvent(s.e).then(function (e) {
        if (e) page.open(e, view);  // at the view the link names, if it names one
      });
    }

    map.on("moveend", write);
    root.addEventListener("change", function () { setTimeout(write); });
    root.addEventListener("input", function () { setTimeout(write); });
    map.on("popupopen", function (ev) {
      var e = page.lastOpened();
      opened = null;
      if (!e) return write();
      // The id is among the details, unpacked at the first popup if not before.
      page.eventId(e).then(function (id) {
        if (!ev.popup.isOpen()) return;
        opened = id;
        write();
      }, write);
    });
    map.on("popupclose", function () {
      opened = null;
      setTimeout(write);
    });
    var done = function () {
      restoring = false;
      write();
    };
    restore(parse(location.hash)).then(done, done);
  }

  M.share = share;
  M.parseHash = parse;
})(window.mapper = window.mapper || {});
