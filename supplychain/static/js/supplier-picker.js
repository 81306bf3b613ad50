/* The supplier picker: any <input data-supplier-picker> gets suggestions from /suppliers/lookup as you type.
 *
 * data-supplier-picker="reference": the chosen supplier is written as "#12 Name" (forms accept it);
 * data-supplier-picker="id": the field keeps the number, a search box in front of it shows the name.
 * Keyboard: ↓/↑ move, Enter chooses, Escape closes. No inline script (the CSP forbids it).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = (script && script.getAttribute("data-lookup-url")) || "/suppliers/lookup";
  var counter = 0;

  function label(item) {
    var text = item.name_zh;
    if (item.name_en) { text += " · " + item.name_en; }
    if (item.credit_code) { text += " · " + item.credit_code; }
    return "#" + item.id + " " + text;
  }

  function attach(target) {
    var mode = target.getAttribute("data-supplier-picker") || "reference";
    var box = target;
    if (mode === "id") {
      box = document.createElement("input");
      box.type = "search";
      box.className = "form-control mb-1";
      box.placeholder = target.getAttribute("data-picker-placeholder") || "";
      box.setAttribute("aria-label", box.placeholder);
      box.setAttribute("data-picker-search", "");
      target.parentNode.insertBefore(box, target);
    }
    var list = document.createElement("ul");
    list.className = "list-group supplier-picker-list";
    list.id = "supplier-picker-" + (++counter);
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.parentNode.insertBefore(list, box.nextSibling);
    box.setAttribute("autocomplete", "off");
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-expanded", "false");
    var items = [], active = -1, timer = null, last = null;

    function close() { list.hidden = true; box.setAttribute("aria-expanded", "false"); active = -1; }
    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.classList.toggle("active", i === index);
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
    }
    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      if (mode === "id") { target.value = item.id; box.value = label(item); }
      else { box.value = item.reference; }
      close();
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function show(results) {
      items = results;
      list.innerHTML = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action";
        li.setAttribute("role", "option");
        li.textContent = label(item);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      box.setAttribute("aria-expanded", results.length ? "true" : "false");
      highlight(results.length ? 0 : -1);
    }
    function fetchNow() {
      var q = box.value.trim();
      if (q === last) { return; }
      last = q;
      if (!q) { show([]); return; }
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (data.query !== undefined && box.value.trim() === q) { show(data.results || []); } })
        .catch(function () { show([]); });
    }
    box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchNow, 150); });
    box.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(items.length - 1, active + 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(0, active - 1)); }
      else if (event.key === "Enter") { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    box.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-supplier-picker]").forEach(attach);
})();
