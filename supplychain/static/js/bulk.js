/* Bulk pages: "tick all" boxes, and keyboard moves in the scoring grid (Enter/↓ next row, ↑ previous row). */
(function () {
  "use strict";
  document.querySelectorAll("input[data-tick-all]").forEach(function (box) {
    var name = box.getAttribute("data-tick-all");
    box.checked = true;
    box.addEventListener("change", function () {
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (item) {
        item.checked = box.checked;
      });
    });
  });
  var cells = document.querySelectorAll("input.grid-cell");
  if (!cells.length) { return; }
  var byPosition = {};
  cells.forEach(function (cell) {
    byPosition[cell.getAttribute("data-row") + "|" + cell.getAttribute("data-col")] = cell;
  });
  cells.forEach(function (cell) {
    cell.addEventListener("keydown", function (event) {
      var row = parseInt(cell.getAttribute("data-row"), 10), col = cell.getAttribute("data-col"), step = 0;
      if (event.key === "Enter" || event.key === "ArrowDown") { step = 1; }
      else if (event.key === "ArrowUp") { step = -1; }
      if (!step) { return; }
      var next = byPosition[(row + step) + "|" + col];
      event.preventDefault();
      if (next) { next.focus(); next.select(); }
    });
  });
})();
