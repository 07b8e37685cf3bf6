// The view's own behaviour; figures.js draws the figures. A click on a trial's point opens that trial.
"use strict";
document.addEventListener("figure-drawn", function (event) {
  event.target.on("plotly_click", function (click) {
    var point = click.points && click.points[0];
    if (point && typeof point.customdata === "string" && point.customdata.indexOf("t-") === 0) {
      window.location.href = "/trials/" + encodeURIComponent(point.customdata);
    }
  });
});
