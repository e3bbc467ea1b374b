// The monthly return form: growth against last period and last year, computed as one types.
// Each row carries the accepted figures it compares with in data attributes (data-prev,
// data-prev-month, data-last-year, data-last-year-month, data-cumulative, data-combined);
// the same formulas as the server's (views.returns.value_rows): growth = now / base − 1 in
// percent, 0.1 precision, none without a positive base.
(function () {
  "use strict";

  function parse(text) {
    if (text === undefined || text === null) return null;
    var s = String(text).trim().replace(/[,，\s]/g, "")
      .replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/[．]/g, ".").replace(/[－−]/g, "-");
    if (s === "" || !/^-?\d*\.?\d+(e[+-]?\d+)?$/i.test(s) && !/^-?\d+\.$/.test(s)) return null;
    var n = Number(s);
    return isFinite(n) ? n : null;
  }

  function growth(now, base) {
    if (now === null || base === null || !(base > 0)) return null;
    return Math.round((now / base - 1) * 1000) / 10;
  }

  function showGrowth(cell, g) {
    if (!cell) return;
    cell.textContent = "";
    var span = document.createElement("span");
    if (g === null) {
      span.className = "text-muted";
      span.textContent = "—";
    } else {
      span.className = g > 0 ? "text-danger" : (g < 0 ? "text-success" : "");
      span.textContent = (g > 0 ? "+" : "") + g.toFixed(1) + "%";
    }
    cell.appendChild(span);
  }

  function showNumber(cell, n) {
    if (!cell) return;
    cell.textContent = n === null ? "—" : n.toLocaleString("zh-CN", { maximumFractionDigits: 4 });
  }

  function update(row) {
    var input = row.querySelector("input.gx-value");
    if (!input) return;
    var d = row.dataset;
    var value = parse(input.value);
    var prev = parse(d.prev), lastYear = parse(d.lastYear);
    showGrowth(row.querySelector(".gx-yoy"), growth(value, lastYear));
    if (d.cumulative) {
      var month = null;
      if (value !== null) {
        if (d.combined) month = value;
        else if (prev !== null) month = Math.round((value - prev) * 10000) / 10000;
      }
      showNumber(row.querySelector(".gx-month"), month);
      showGrowth(row.querySelector(".gx-month-yoy"), growth(month, parse(d.lastYearMonth)));
      showGrowth(row.querySelector(".gx-mom"), d.combined ? null : growth(month, parse(d.prevMonth)));
    } else {
      showGrowth(row.querySelector(".gx-mom"), growth(value, prev));
    }
  }

  function init() {
    var table = document.getElementById("return-table");
    if (!table) return;
    table.addEventListener("input", function (e) {
      var row = e.target.closest("tr.gx-row");
      if (row) update(row);
    });
    table.querySelectorAll("tr.gx-row").forEach(update);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
