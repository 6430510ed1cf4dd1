"use strict";
(function () {
  var button = document.getElementById("locate"), form = document.getElementById("nearby");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      form.lat.value = p.coords.latitude.toFixed(5);
      form.lon.value = p.coords.longitude.toFixed(5);
      form.submit();
    });
  });
})();
