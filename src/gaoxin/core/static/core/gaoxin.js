// Searchable pickers: any <select data-picker> becomes a Tom Select box (offline, served locally).
function gxPickers(root) {
  root.querySelectorAll("select[data-picker]").forEach(function (el) {
    if (el.tomselect) return;
    var options = { maxOptions: 200, plugins: el.multiple ? ["remove_button"] : [] };
    if (el.dataset.search) {
      // A large set (a zone's enterprises, the industry codes): the page holds the chosen option
      // only; the server searches and ranks as one types. It answers {results: [{value, text}]},
      // or an API list {items: [...]} whose fields data-search-value and data-search-text name.
      var rows = function (data) {
        if (!el.dataset.searchValue) return data.results || [];
        var fields = el.dataset.searchText.split(" ");
        return (data.items || []).map(function (item) {
          return {
            value: item[el.dataset.searchValue],
            text: fields.map(function (f) { return item[f]; }).join(" "),
          };
        });
      };
      options.load = function (query, callback) {
        var box = this;
        fetch(el.dataset.search + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : {}; })
          .then(function (data) { box.clearOptions(); callback(rows(data)); })
          .catch(function () { callback(); });
      };
      options.score = function () { return function () { return 1; }; };  // the server's order
      options.preload = "focus";
    }
    new TomSelect(el, options);
  });
}
document.addEventListener("DOMContentLoaded", function () { gxPickers(document); });
document.addEventListener("htmx:afterSwap", function (e) { gxPickers(e.target); });
// Charts: <div data-chart="id-of-json-script"> draws the ECharts option in that script tag.
function gxCharts() {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var option = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
}
document.addEventListener("DOMContentLoaded", gxCharts);
// No inline handlers (the Content-Security-Policy refuses them): behaviour by data- attributes.
// <form data-confirm="…"> and <button data-confirm="…"> ask before submitting.
document.addEventListener("click", function (e) {
  var el = e.target.closest("button[data-confirm], input[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) e.preventDefault();
});
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
});
// <select data-autosubmit> submits its form when changed.
document.addEventListener("change", function (e) {
  if (e.target.matches("select[data-autosubmit]")) e.target.form.submit();
});
// <input type="checkbox" data-check-all="selector"> ticks or clears every box matching selector.
document.addEventListener("click", function (e) {
  var all = e.target.closest("input[data-check-all]");
  if (!all) return;
  document.querySelectorAll(all.dataset.checkAll).forEach(function (c) { c.checked = all.checked; });
});
// <button data-print> prints the page (the print stylesheet leaves out navigation and filters).
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
});
// What was typed before the session expired (core KeepTypedFormMiddleware): filled in again,
// into the page's post forms, by field name.
document.addEventListener("DOMContentLoaded", function () {
  var kept = document.getElementById("gx-kept-form");
  if (!kept) return;
  var fields = JSON.parse(kept.textContent);
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    Object.keys(fields).forEach(function (name) {
      var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      var values = fields[name];
      inputs.forEach(function (el, i) {
        if (el.type === "file" || el.type === "hidden") return;
        if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) >= 0; return; }
        if (el.tagName === "SELECT" && el.multiple) {
          Array.from(el.options).forEach(function (o) { o.selected = values.indexOf(o.value) >= 0; });
          return;
        }
        el.value = values[Math.min(i, values.length - 1)];
      });
    });
  });
});
