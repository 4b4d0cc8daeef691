// The map of the offers a search found, drawn with Leaflet and leaflet.markercluster (loaded before
// this file, deferred). The page works without it: the list of offers is the page's content, and the
// map's section stays hidden until this script has something to draw.
(function () {
  "use strict";

  const NUMBER = new Intl.NumberFormat("en-GB");

  function text(tag, className, words) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    element.textContent = words;
    return element;
  }

  function popup(properties) {
    const box = document.createElement("div");
    box.className = "lw-offer-map__popup";
    const heading = document.createElement("p");
    heading.className = "nhsuk-body-s nhsuk-u-margin-bottom-1";
    const link = text("a", "", properties.name);
    link.href = properties.url;
    heading.appendChild(link);
    box.appendChild(heading);
    for (const line of [properties.organisation, properties.address, properties.distance]) {
      if (line) box.appendChild(text("p", "nhsuk-body-s nhsuk-u-margin-bottom-1", line));
    }
    return box;
  }

  function clusterIcon(cluster) {
    const count = cluster.getChildCount();
    const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    const inner = document.createElement("div");
    const label = text("span", "", NUMBER.format(count));
    label.appendChild(text("span", "nhsuk-u-visually-hidden", " offers here: zoom in to see them"));
    inner.appendChild(label);
    return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
  }

  function status(section, words) {
    const element = section.querySelector("[data-offer-map-status]");
    if (element) element.textContent = words;
  }

  function summary(data) {
    const shown = data.features.length;
    const places = shown === 1 ? "1 place" : NUMBER.format(shown) + " places";
    if (data.left_off > 0) {
      return "The map shows the nearest or first " + places + ". " + NUMBER.format(data.left_off) +
        " more are not on the map: narrow your search to see them.";
    }
    return "The map shows " + places + " where the offers found meet.";
  }

  function markerIcon(section) {
    // Leaflet finds its default icon from its style sheet's file names, which our static files rename
    // (with a hash of their contents): give it their addresses instead.
    const { icon, icon2x, iconShadow } = section.dataset;
    if (!icon) return new L.Icon.Default();
    return L.icon({
      iconUrl: icon,
      iconRetinaUrl: icon2x || icon,
      shadowUrl: iconShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41],
    });
  }

  function draw(section, data) {
    const canvas = section.querySelector("[data-offer-map-canvas]");
    const icon = markerIcon(section);
    const map = L.map(canvas, { scrollWheelZoom: false, maxZoom: 18 });
    const tiles = section.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: section.dataset.attribution || "",
        // Tile servers ask where their tiles are shown: tell them this site, not the search.
        referrerPolicy: "strict-origin",
      }).addTo(map);
    }
    const clusters = L.markerClusterGroup({ showCoverageOnHover: false, iconCreateFunction: clusterIcon });
    for (const feature of data.features) {
      const [lng, lat] = feature.geometry.coordinates;
      const name = feature.properties.name;
      const marker = L.marker([lat, lng], { icon, title: name, alt: name, riseOnHover: true });
      marker.bindPopup(popup(feature.properties));
      clusters.addLayer(marker);
    }
    map.addLayer(clusters);
    let bounds = clusters.getBounds();
    const near = data.searched_near;
    if (near) {
      const [lng, lat] = near.geometry.coordinates;
      const name = near.properties.name;
      // A mark, not a control: the status below the map says what it is, and it never covers the
      // markers people choose (it sits beneath them and takes no clicks or focus).
      L.marker([lat, lng], {
        title: name,
        interactive: false,
        keyboard: false,
        zIndexOffset: -1000,
        icon: L.divIcon({ className: "lw-offer-map__home", html: "", iconSize: [18, 18] }),
      }).addTo(map);
      bounds = bounds.isValid() ? bounds.extend([lat, lng]) : L.latLngBounds([[lat, lng], [lat, lng]]);
    }
    if (!bounds.isValid()) {
      return false;
    }
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), 15);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
    return true;
  }

  async function start(section) {
    if (typeof L === "undefined" || typeof L.markerClusterGroup !== "function") return;
    let data;
    try {
      const response = await fetch(section.dataset.geojson, {
        headers: { Accept: "application/geo+json" },
        credentials: "same-origin",
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.includes("json")) throw new Error("status " + response.status);
      data = await response.json();
    } catch (error) {
      section.hidden = false;
      status(section, "The map could not be shown. The offers are in the list below.");
      section.querySelector("[data-offer-map-canvas]").hidden = true;
      return;
    }
    if (!data.features.length && !data.searched_near) return; // nothing to draw: the list says so
    section.hidden = false; // Leaflet needs the container's size
    if (!draw(section, data)) {
      section.hidden = true;
      return;
    }
    const near = data.searched_near;
    const mark = near ? " The dark blue dot marks " + near.properties.name + "." : "";
    status(section, summary(data) + mark);
  }

  for (const section of document.querySelectorAll("[data-offer-map]")) {
    start(section);
  }
})();
