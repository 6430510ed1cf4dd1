"use strict";
// The reservations timeline: taps move a party without leaving the page; every change anyone makes (a guest
// booking, another tablet seating a party) redraws the day; a new booking rings like a new order on the board.
(function () {
  var day = document.getElementById("day");
  if (!day) return;
  var live = document.getElementById("live"), badge = document.getElementById("badge"), elsewhere = document.getElementById("elsewhere");
  var shift = window.plazaShift, title = document.title, unseen = 0, seen = {};

  function remember() {
    day.querySelectorAll("[data-id]").forEach(function (item) { seen[item.dataset.id] = true; });
  }

  function counts() {
    badge.textContent = unseen; badge.hidden = unseen === 0;
    document.title = (unseen ? "(" + unseen + ") " : "") + title;
  }

  // Where each party and hour sits along the day (data attributes: the content security policy allows no inline styles).
  function place() {
    day.querySelectorAll("[data-left]").forEach(function (item) {
      item.style.left = item.dataset.left + "%";
      if (item.dataset.width) item.style.width = item.dataset.width + "%";
    });
  }

  function wire() {
    place();
    day.querySelectorAll("form.move").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var button = form.querySelector("button"); button.disabled = true;
        fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
          .then(function (r) {
            if (r.ok) return refresh();
            return r.json().then(function (p) { alert(p.detail || p.title); button.disabled = false; });
          })
          .catch(function () { button.disabled = false; });
      });
    });
  }

  function refresh() {
    return fetch(day.dataset.day, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { day.innerHTML = html; wire(); remember(); } });
  }

  function announce(change) {
    var item = document.createElement("li"), link = document.createElement("a");
    link.href = "?date=" + encodeURIComponent(change.date);
    link.textContent = elsewhere.dataset.words.replace("{0}", change.date).replace("{1}", change.time).replace("{2}", change.partySize);
    item.append(link);
    elsewhere.prepend(item);
    elsewhere.hidden = false;
  }

  day.addEventListener("click", function () { unseen = 0; counts(); shift.acknowledge(); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { unseen = 0; counts(); } });

  var source = new EventSource(day.dataset.events);
  source.addEventListener("hello", function () { live.textContent = live.dataset.on; live.classList.remove("off"); refresh(); });
  source.addEventListener("reservation", function (e) {
    var change = JSON.parse(e.data);
    var fresh = !seen[change.id] && (change.status === "booked" || change.status === "waitlist");
    seen[change.id] = true;
    if (change.date === day.dataset.date) refresh(); else if (fresh) announce(change);
    if (fresh) { unseen++; counts(); shift.ring(); }
  });
  source.onerror = function () { live.textContent = live.dataset.off; live.classList.add("off"); };
  remember();
  wire();
  counts();
})();
