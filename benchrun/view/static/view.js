// Draws every figure a page carries: <div data-figure="ID"> and its JSON in
// <script type="application/json" id="ID">. A click on a trial's point opens that trial.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-figure]").forEach(function (div) {
    var source = document.getElementById(div.dataset.figure);
    if (!source || typeof Plotly === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    Plotly.newPlot(div, spec.data, spec.layout, {responsive: true, displaylogo: false}).then(function () {
      div.dataset.drawn = "true";
      div.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (point && typeof point.customdata === "string" && point.customdata.indexOf("t-") === 0) {
          window.location.href = "/trials/" + encodeURIComponent(point.customdata);
        }
      });
    });
  });
});
