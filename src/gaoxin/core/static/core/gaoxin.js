// Searchable pickers: any <select data-picker> becomes a Tom Select box (offline, served locally).
function gxPickers(root) {
  root.querySelectorAll("select[data-picker]").forEach(function (el) {
    if (el.tomselect) return;
    new TomSelect(el, { maxOptions: 200, plugins: el.multiple ? ["remove_button"] : [] });
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
