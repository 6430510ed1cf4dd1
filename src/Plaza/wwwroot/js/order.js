"use strict";
(function () {
  var el = document.getElementById("order");
  if (!el || !window.EventSource) return;
  var labels = JSON.parse(el.dataset.labels);
  var statusEl = document.getElementById("status"), steps = document.getElementById("steps");
  var order = ["placed", "accepted", "preparing", "ready", "completed"];
  var source = new EventSource(el.dataset.events);

  // A time the shop states is the shop's clock time (data-zone), wherever the phone is.
  function localTime(iso) {
    return new Date(iso).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: el.dataset.zone });
  }

  source.addEventListener("status", function (e) {
    var data = JSON.parse(e.data);
    el.dataset.status = data.status;
    statusEl.textContent = labels[data.status] || data.status;
    statusEl.className = "status status-" + data.status;
    var index = order.indexOf(data.status);
    steps.hidden = index < 0;
    steps.querySelectorAll("li").forEach(function (li, i) { li.classList.toggle("done", i <= index); });
    document.getElementById("ready-at").textContent = data.readyAt && index < 3 ? el.dataset.ready.replace("{0}", localTime(data.readyAt)) : "";
    var reason = document.getElementById("reason");
    reason.hidden = !data.reason; reason.textContent = data.reason || "";
    if (index === 4 || index < 0) source.close();
  });
  // A refused stream (429: too many live pages open from this network) is not retried by the browser;
  // the page then reloads now and then, as it does without JavaScript.
  source.onerror = function () {
    var index = order.indexOf(el.dataset.status);
    if (source.readyState === EventSource.CLOSED && index >= 0 && index < 4) setTimeout(function () { location.reload(); }, 20000);
  };
})();
