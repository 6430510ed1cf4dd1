"use strict";
(function () {
  var el = document.getElementById("order");
  if (!el) return;

  // Remembered on this phone, so the shop's menu page links back to it.
  try {
    var list = JSON.parse(localStorage.getItem("plaza.orders") || "[]").filter(function (o) { return o.id !== el.dataset.id; });
    list.unshift({ shop: el.dataset.shop, id: el.dataset.id, number: el.dataset.number, at: Date.now() });
    localStorage.setItem("plaza.orders", JSON.stringify(list.slice(0, 10)));
  } catch (e) { /* private mode: nothing remembered */ }

  var notify = document.getElementById("notify");
  if (notify && window.plazaPush && window.plazaPush.supported()) {
    var button = document.getElementById("notify-button"), state = document.getElementById("notify-state");
    var asked = "plaza.notify." + el.dataset.id;
    notify.hidden = false;
    if (localStorage.getItem(asked)) { button.hidden = true; state.textContent = notify.dataset.done; }
    button.addEventListener("click", function () {
      button.disabled = true;
      window.plazaPush.subscribe().then(function (subscription) {
        return fetch(notify.dataset.action, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(subscription) });
      }).then(function (r) {
        if (!r.ok) return r.json().then(function (p) { throw p.detail || p.title; });
        localStorage.setItem(asked, "1");
        button.hidden = true; state.textContent = notify.dataset.done;
      }).catch(function (reason) {
        state.textContent = reason === "denied" ? notify.dataset.denied : typeof reason === "string" && reason !== "unsupported" ? reason : notify.dataset.failed;
        button.disabled = false;
      });
    });
  }

  if (!window.EventSource) return;
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
    if (data.status === "ready" && notify) notify.hidden = true;
    if (index === 4 || index < 0) source.close();
  });
  // A refused stream (429: too many live pages open from this network) is not retried by the browser;
  // the page then reloads now and then, as it does without JavaScript.
  source.onerror = function () {
    var index = order.indexOf(el.dataset.status);
    if (source.readyState === EventSource.CLOSED && index >= 0 && index < 4) setTimeout(function () { location.reload(); }, 20000);
  };
})();
