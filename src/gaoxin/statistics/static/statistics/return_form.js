// The monthly return form: growth against last period and last year, computed as one types.
// Each row carries the accepted figures it compares with in data attributes (data-prev,
// data-prev-month, data-last-year, data-last-year-month, data-cumulative, data-combined) and
// its unit (data-unit: 1.2亿 typed in a 万元 row is 12000);
// the same formulas as the server's (views.returns.value_rows): growth = now / base − 1 in
// percent, 0.1 precision, none without a positive base.
(function () {
  "use strict";

  // Scale words of a unit, longest first (core.spreadsheets.normalize.UNIT_SCALES): a figure
  // typed as 1.2亿 or 500万 is read in the row's unit, as the server reads it.
  var SCALES = [["千万", 1e7], ["百万", 1e6], ["亿", 1e8], ["万", 1e4], ["千", 1e3]];
  var OWN_AFTER_QIAN = /^[瓦克米伏焦帕卡赫升]/;

  function unitScale(unit) {
    for (var i = 0; i < SCALES.length; i++) {
      var word = SCALES[i][0], base = unit.slice(word.length);
      if (unit.indexOf(word) === 0 && base && !(word === "千" && OWN_AFTER_QIAN.test(base))) {
        return [SCALES[i][1], base];
      }
    }
    return [1, unit];
  }

  function suffixFactor(suffix, unit) {
    if (suffix === "" || suffix === unit) return 1;
    var us = unitScale(unit), scale = us[0], base = us[1];
    if (base === "%") return null;
    if (suffix === base) return 1 / scale;
    for (var i = 0; i < SCALES.length; i++) {
      if (suffix === SCALES[i][0] || suffix === SCALES[i][0] + base) return SCALES[i][1] / scale;
    }
    return null;
  }

  function parse(text, unit) {
    if (text === undefined || text === null) return null;
    var s = String(text).trim().replace(/[,，\s]/g, "")
      .replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/[．]/g, ".").replace(/[－−]/g, "-");
    var m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(\D*)$/.exec(s);
    if (!m) return null;
    var factor = suffixFactor(m[2], unit || "");
    if (factor === null) return null;
    var n = Number(m[1]) * factor;
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
    var value = parse(input.value, d.unit);
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
