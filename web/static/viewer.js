// Deep zoom for every image of a page: each .viewer element names its IIIF
// info.json; OpenSeadragon reads the tiles it lists.
(function () {
  if (!window.OpenSeadragon) return;
  // Kept for the page's own scripts and the browser tests.
  window.wenyuanViewers = [];
  document.querySelectorAll(".viewer[data-info]").forEach(function (el) {
    el.textContent = "";
    window.wenyuanViewers.push(OpenSeadragon({
      element: el,
      tileSources: [el.getAttribute("data-info")],
      prefixUrl: "/static/vendor/openseadragon/images/",
      showNavigator: true,
      navigatorPosition: "BOTTOM_RIGHT",
      maxZoomPixelRatio: 2,
      gestureSettingsMouse: { clickToZoom: false },
      crossOriginPolicy: false
    }));
  });
})();
