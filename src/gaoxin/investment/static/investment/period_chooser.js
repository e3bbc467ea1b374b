// The cockpit's period chooser: one kind of period at a time, choosing one clears the others.
(function () {
  var form = document.getElementById("period-form");
  if (!form) return;
  var period = form.querySelector("[name=period]"), campaign = form.querySelector("[name=campaign]");
  var start = form.querySelector("[name=start]"), end = form.querySelector("[name=end]");
  period.addEventListener("change", function () { campaign.value = ""; start.value = ""; end.value = ""; });
  campaign.addEventListener("change", function () { period.value = ""; start.value = ""; end.value = ""; });
  [start, end].forEach(function (el) { el.addEventListener("change", function () { period.value = ""; campaign.value = ""; }); });
})();
