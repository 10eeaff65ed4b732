/* Co-City maps: the catalogue map (server clusters, the list following the viewport), the
   small map of a commons, and the office's point picker. Pages work without this script. */
(function () {
  "use strict";

  function config(element) {
    try { return JSON.parse(element.dataset.config || "{}"); } catch (e) { return {}; }
  }

  function baseMap(element, cfg) {
    var map = L.map(element, { scrollWheelZoom: false, keyboard: true });
    L.tileLayer(cfg.tiles, { attribution: cfg.attribution, maxZoom: 19 }).addTo(map);
    if (cfg.bounds) { map.fitBounds(cfg.bounds); } else { map.setView([42.5, 12.5], 6); }
    return map;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function clusterIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + count + "</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40)
    });
  }

  /* The catalogue: features for the viewport from the GeoJSON endpoint, and the list below
     replaced by the server's rendering of the same viewport. */
  function catalogue(element) {
    var cfg = config(element);
    var map = baseMap(element, cfg);
    // Server clusters arrive when there are many commons; the few hundred single ones that
    // arrive otherwise are grouped on the client by the marker-cluster plugin.
    var layer = L.layerGroup().addTo(map);
    var pins = L.markerClusterGroup
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 })
      : L.layerGroup();
    pins.addTo(map);
    var markers = {};
    var listBox = document.getElementById("commons-list");
    var pending = null;
    var wanted = null;  // the commons whose popup opens once its marker is on the map

    function openWanted() {
      var marker = wanted && markers[wanted];
      if (!marker) { return; }
      wanted = null;
      function open() {
        marker.openPopup();
        var link = document.querySelector(".leaflet-popup-content a");
        if (link) { link.focus(); }
      }
      if (pins.zoomToShowLayer && pins.hasLayer(marker)) {
        pins.zoomToShowLayer(marker, open);
      } else {
        open();
      }
    }

    function bboxParam() {
      var b = map.getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (v) { return v.toFixed(6); }).join(",");
    }

    function withFilters(extra) {
      var params = new URLSearchParams(cfg.filters || "");
      Object.keys(extra).forEach(function (k) { params.set(k, extra[k]); });
      return params.toString();
    }

    function drawFeatures(collection) {
      layer.clearLayers();
      pins.clearLayers();
      markers = {};
      collection.features.forEach(function (feature) {
        var props = feature.properties || {};
        var coords = feature.geometry.coordinates;
        if (props.cluster) {
          var cluster = L.marker([coords[1], coords[0]], {
            icon: clusterIcon(props.count),
            title: props.count + " " + (document.documentElement.lang === "it" ? "beni comuni" : "commons"),
            keyboard: true
          });
          cluster.on("click", function () {
            var b = props.bbox;
            if (b && (b[0] !== b[2] || b[1] !== b[3])) {
              map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [30, 30] });
            } else {
              map.setView([coords[1], coords[0]], map.getZoom() + 2);
            }
          });
          layer.addLayer(cluster);
          return;
        }
        var popup = '<a href="' + escapeHtml(props.url) + '">' + escapeHtml(props.name) + "</a>";
        var item;
        if (feature.geometry.type === "Point") {
          item = L.marker([coords[1], coords[0]], { title: props.name, alt: props.name, keyboard: true });
        } else {
          item = L.geoJSON(feature, { style: { color: "#0066cc", weight: 2 } });
        }
        item.bindPopup(popup);
        (feature.geometry.type === "Point" ? pins : layer).addLayer(item);
        markers[props.id] = item;
      });
      openWanted();
    }

    function refresh() {
      var zoom = map.getZoom();
      var bbox = bboxParam();
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(cfg.geojson + "?" + withFilters({ bbox: bbox, zoom: zoom }), { signal: pending.signal })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { drawFeatures(data); } })
        .catch(function () {});
      if (listBox) {
        fetch(cfg.list + "?" + withFilters({ bbox: bbox }), { headers: { "HX-Request": "true" } })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html !== null) { listBox.innerHTML = html; wireList(); } })
          .catch(function () {});
      }
    }

    function wireList() {
      if (!listBox) { return; }
      listBox.querySelectorAll(".show-on-map").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          var li = button.closest(".commons-item");
          var lat = parseFloat(li.dataset.lat), lon = parseFloat(li.dataset.lon);
          wanted = button.dataset.id;
          map.setView([lat, lon], Math.max(map.getZoom(), 17));
          openWanted();  // already on the map when the view did not change
        });
      });
    }

    map.on("moveend", refresh);
    wireList();
    refresh();
  }

  /* One commons: its point or polygon. */
  function single(element) {
    var cfg = config(element);
    if (!cfg.feature) { return; }
    var map = baseMap(element, cfg);
    var shape = L.geoJSON(cfg.feature, { style: { color: "#0066cc", weight: 2 } }).addTo(map);
    var g = cfg.feature.geometry;
    if (g.type === "Point") {
      map.setView([g.coordinates[1], g.coordinates[0]], 16);
    } else {
      map.fitBounds(shape.getBounds(), { padding: [20, 20] });
    }
  }

  /* The office's picker: a click fills in the longitude and latitude fields. */
  function picker(element) {
    var cfg = config(element);
    var map = baseMap(element, cfg);
    var lonField = document.getElementById(element.dataset.lonField);
    var latField = document.getElementById(element.dataset.latField);
    var marker = null;
    function place(lat, lon) {
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.marker([lat, lon]).addTo(map); }
    }
    if (lonField && latField && lonField.value && latField.value) {
      place(parseFloat(latField.value), parseFloat(lonField.value));
      map.setView([parseFloat(latField.value), parseFloat(lonField.value)], 16);
    }
    map.on("click", function (event) {
      var lat = event.latlng.lat.toFixed(6), lon = event.latlng.lng.toFixed(6);
      if (lonField) { lonField.value = lon; }
      if (latField) { latField.value = lat; }
      place(lat, lon);
    });
  }

  if (typeof L === "undefined") { return; }
  var el;
  if ((el = document.getElementById("commons-map"))) { catalogue(el); }
  if ((el = document.getElementById("commons-detail-map"))) { single(el); }
  if ((el = document.getElementById("commons-pick-map"))) { picker(el); }
})();
