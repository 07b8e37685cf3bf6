// Draws every figure a page carries: a div whose data-figure is ID, and the figure's JSON
// (benchrun.reports.charts.figure_json) in the application/json script element of id ID. A drawn
// figure's div gets data-drawn="true" and sends a "figure-drawn" event up the page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-figure]").forEach(function (div) {
    var source = document.getElementById(div.dataset.figure);
    if (!source || typeof Plotly === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    Plotly.newPlot(div, spec.data, spec.layout, {responsive: true, displaylogo: false}).then(function () {
      div.dataset.drawn = "true";
      div.dispatchEvent(new CustomEvent("figure-drawn", {bubbles: true}));
    });
  });
});
