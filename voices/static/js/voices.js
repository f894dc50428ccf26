// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Translatable fields: stacked boxes become one tab per language.
  function enhanceTranslatable(container) {
    if (container.dataset.tabs) return;
    container.dataset.tabs = "1";
    var fields = Array.prototype.slice.call(container.querySelectorAll(".translatable-field"));
    var tablist = document.createElement("div");
    tablist.className = "tablist";
    tablist.setAttribute("role", "tablist");
    var current = document.documentElement.lang;
    var selected = fields.find(function (f) { return f.dataset.language === current; }) || fields[0];
    fields.forEach(function (field, index) {
      var label = field.querySelector("label");
      var input = field.querySelector("input, textarea");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.id = input.id + "_tab";
      tab.setAttribute("aria-controls", field.id = input.id + "_panel");
      tab.textContent = label.textContent;
      tab.setAttribute("lang", field.dataset.language);
      field.setAttribute("role", "tabpanel");
      field.setAttribute("aria-labelledby", tab.id);
      function mark() { tab.classList.toggle("has-text", input.value.trim() !== ""); }
      input.addEventListener("input", mark);
      mark();
      tab.addEventListener("click", function () { select(field); });
      tab.addEventListener("keydown", function (event) {
        var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (!step) return;
        if (document.documentElement.dir === "rtl") step = -step;
        var next = fields[(index + step + fields.length) % fields.length];
        select(next);
        document.getElementById(next.getAttribute("aria-labelledby")).focus();
        event.preventDefault();
      });
      tablist.appendChild(tab);
    });
    function select(active) {
      fields.forEach(function (field) {
        var tab = document.getElementById(field.getAttribute("aria-labelledby"));
        var on = field === active;
        field.hidden = !on;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
      });
    }
    container.insertBefore(tablist, container.firstChild);
    select(selected);
  }

  function enhance(root) {
    root.querySelectorAll("[data-translatable]").forEach(enhanceTranslatable);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
