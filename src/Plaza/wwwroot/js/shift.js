"use strict";
// A shift at a screen that must not miss anything (the order board, the reservations timeline).
// Sound needs a tap first (browsers block an AudioContext started without one): the #shift-start button
// makes it and keeps the screen awake; from then on ring() sounds every 2.5 s until acknowledge().
window.plazaShift = (function () {
  var audio = null, ringing = false, ringTimer = null, wakeLock = null, shift = document.getElementById("shift");
  var shiftState = document.getElementById("shift-state");
  var control = { pending: function () { return false; } };

  function tone() {
    if (!audio || audio.state !== "running") {
      if (shift) { shift.classList.add("blocked"); shiftState.textContent = shift.dataset.blocked; }
      return false;
    }
    [0, 0.18, 0.36].forEach(function (at) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = at === 0.18 ? 660 : 880; osc.connect(gain); gain.connect(audio.destination);
      gain.gain.setValueAtTime(0.25, audio.currentTime + at);
      osc.start(audio.currentTime + at); osc.stop(audio.currentTime + at + 0.14);
    });
    return true;
  }

  control.ring = function () {
    ringing = true;
    document.body.classList.add("ringing");
    if (!ringTimer) { tone(); ringTimer = setInterval(tone, 2500); }
  };

  control.acknowledge = function () {
    ringing = false;
    document.body.classList.remove("ringing");
    if (ringTimer) { clearInterval(ringTimer); ringTimer = null; }
  };

  control.ringing = function () { return ringing; };

  function keepAwake() {
    if (!("wakeLock" in navigator)) return Promise.resolve(false);
    return navigator.wakeLock.request("screen").then(function (lock) { wakeLock = lock; return true; }, function () { return false; });
  }

  function startShift() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    } catch (e) { audio = null; }
    var resumed = audio ? audio.resume() : Promise.resolve();
    Promise.all([resumed, keepAwake()]).then(function (done) {
      var awake = done[1];
      shift.classList.remove("blocked");
      shift.classList.add("started");
      shiftState.textContent = awake ? shift.dataset.on : shift.dataset.nowake;
      if (audio && audio.state === "running") tone(); else { shift.classList.add("blocked"); shiftState.textContent = shift.dataset.blocked; }
      if (control.pending()) control.ring();
    });
  }

  if (shift) {
    document.getElementById("shift-start").addEventListener("click", startShift);
    // A wake lock ends when the tab is hidden; it is taken again when the page shows.
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && shift.classList.contains("started") && (!wakeLock || wakeLock.released)) keepAwake();
    });
  }
  return control;
})();
