/* Evidence import: a saved column mapping belongs to one kind of file. A <select data-kind-from="ID"> keeps only
 * the options whose data-kind is the kind chosen in the select #ID (options without data-kind always stay), and
 * forgets a choice of another kind. Without JavaScript every mapping is listed with its kind, and the server
 * refuses one of another kind. No inline script (the CSP forbids it). */
(function () {
  "use strict";
  document.querySelectorAll("select[data-kind-from]").forEach(function (select) {
    var kind = document.getElementById(select.getAttribute("data-kind-from"));
    if (!kind) { return; }
    function filter() {
      Array.prototype.forEach.call(select.options, function (option) {
        var own = option.getAttribute("data-kind");
        var other = own !== null && own !== kind.value;
        option.hidden = other;
        option.disabled = other;
        if (other && option.selected) { select.value = ""; }
      });
    }
    kind.addEventListener("change", filter);
    filter();
  });
}());
