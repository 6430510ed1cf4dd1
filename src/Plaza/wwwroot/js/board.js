"use strict";
(function () {
  var board = document.getElementById("board");
  if (!board) return;
  var live = document.getElementById("live"), badge = document.getElementById("badge"), empty = document.getElementById("board-empty");
  var show = board.dataset.show, unseen = 0, title = document.title;
  var closed = ["completed", "rejected", "cancelled"];

  // The shift's sound and wake lock (shift.js): a new order rings until someone taps the board.
  var shiftControl = window.plazaShift, ring = shiftControl.ring, acknowledge = shiftControl.acknowledge;
  var shift = document.getElementById("shift");
  shiftControl.pending = function () { return !!board.querySelector('.ticket[data-status="placed"]'); };

  var push = document.getElementById("push"), pushState = document.getElementById("push-state");
  function pushForm(subscription) {
    var form = new FormData();
    form.append("__RequestVerificationToken", shift.querySelector("input[name=__RequestVerificationToken]").value);
    form.append("endpoint", subscription.endpoint);
    if (subscription.keys) { form.append("p256dh", subscription.keys.p256dh); form.append("auth", subscription.keys.auth); }
    return form;
  }
  function showPush(on) {
    push.dataset.subscribed = on ? "1" : "";
    push.textContent = on ? push.dataset.on : push.dataset.off;
    pushState.textContent = on ? push.dataset.done : "";
  }
  if (push && window.plazaPush && window.plazaPush.supported()) {
    push.hidden = false;
    window.plazaPush.current().then(function (s) { showPush(!!s && localStorage.getItem("plaza.push." + board.dataset.events) === s.endpoint); });
    push.addEventListener("click", function () {
      push.disabled = true;
      var turnOff = push.dataset.subscribed === "1";
      var done = turnOff
        ? window.plazaPush.current().then(function (s) {
            return fetch(push.dataset.stop, { method: "POST", body: pushForm(s || { endpoint: "" }), credentials: "same-origin" })
              .then(function () { localStorage.removeItem("plaza.push." + board.dataset.events); showPush(false); });
          })
        : window.plazaPush.subscribe().then(function (s) {
            return fetch(push.dataset.action, { method: "POST", body: pushForm(s), credentials: "same-origin" }).then(function (r) {
              if (!r.ok) return r.json().then(function (p) { throw p.detail || p.title; });
              localStorage.setItem("plaza.push." + board.dataset.events, s.endpoint);
              showPush(true);
            });
          });
      done.catch(function (reason) {
        pushState.textContent = reason === "denied" ? push.dataset.denied : typeof reason === "string" && reason !== "unsupported" ? reason : push.dataset.failed;
      }).then(function () { push.disabled = false; });
    });
  }

  function counts() {
    badge.textContent = unseen; badge.hidden = unseen === 0;
    document.title = (unseen ? "(" + unseen + ") " : "") + title;
    empty.hidden = board.children.length > 0;
  }

  function belongs(status) {
    if (show === "open") return closed.indexOf(status) < 0;
    if (show === "done") return closed.indexOf(status) >= 0;
    return true;
  }

  function wire(card) {
    card.querySelectorAll("form.move").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var button = form.querySelector("button"); button.disabled = true;
        fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text().then(place) : r.json().then(function (p) { alert(p.detail || p.title); button.disabled = false; }); })
          .catch(function () { button.disabled = false; });
      });
    });
  }

  function place(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    var card = t.content.firstElementChild;
    if (!card) return;
    var existing = document.getElementById(card.id);
    if (!belongs(card.dataset.status)) { if (existing) existing.remove(); counts(); return; }
    wire(card);
    if (existing) existing.replaceWith(card); else { board.append(card); if (card.dataset.status === "placed") { unseen++; ring(); } }
    if (shiftControl.ringing() && !board.querySelector('.ticket[data-status="placed"]')) acknowledge();
    counts();
  }

  function refresh(id) {
    fetch(board.dataset.card + id, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; }).then(place);
  }

  // A printer that stops or comes back shows without a reload.
  if (document.getElementById("printers")) {
    setInterval(function () {
      fetch(location.pathname + "?handler=Printers", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
        var now = document.getElementById("printers");
        if (html === null || !now) return;
        var t = document.createElement("template");
        t.innerHTML = html.trim();
        if (t.content.firstElementChild) now.replaceWith(t.content.firstElementChild);
      }).catch(function () { /* offline: the next try shows it */ });
    }, 30000);
  }

  board.querySelectorAll(".ticket").forEach(wire);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { unseen = 0; counts(); } });
  board.addEventListener("click", function () { unseen = 0; counts(); acknowledge(); });

  var source = new EventSource(board.dataset.events);
  source.addEventListener("hello", function () { live.textContent = live.dataset.on; live.classList.remove("off"); });
  source.addEventListener("order", function (e) { refresh(JSON.parse(e.data).orderId); });
  source.onerror = function () { live.textContent = live.dataset.off; live.classList.add("off"); };
  counts();
})();
