"use strict";
(function () {
  var board = document.getElementById("board");
  if (!board) return;
  var live = document.getElementById("live"), badge = document.getElementById("badge"), empty = document.getElementById("board-empty");
  var show = board.dataset.show, unseen = 0, title = document.title;
  var closed = ["completed", "rejected", "cancelled"];

  function beep() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.18].forEach(function (at) {
        var osc = ctx.createOscillator(), gain = ctx.createGain();
        osc.frequency.value = 880; osc.connect(gain); gain.connect(ctx.destination);
        gain.gain.setValueAtTime(0.2, ctx.currentTime + at);
        osc.start(ctx.currentTime + at); osc.stop(ctx.currentTime + at + 0.12);
      });
    } catch (e) { /* sound is a bonus; the badge still shows */ }
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
    if (existing) existing.replaceWith(card); else { board.append(card); if (card.dataset.status === "placed") { unseen++; beep(); } }
    counts();
  }

  function refresh(id) {
    fetch(board.dataset.card + id, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; }).then(place);
  }

  board.querySelectorAll(".ticket").forEach(wire);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { unseen = 0; counts(); } });
  board.addEventListener("click", function () { unseen = 0; counts(); });

  var source = new EventSource(board.dataset.events);
  source.addEventListener("hello", function () { live.textContent = live.dataset.on; live.classList.remove("off"); });
  source.addEventListener("order", function (e) { refresh(JSON.parse(e.data).orderId); });
  source.onerror = function () { live.textContent = live.dataset.off; live.classList.add("off"); };
  counts();
})();
