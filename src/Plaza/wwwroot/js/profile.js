"use strict";
// The profile's map pin: the OpenStreetMap link follows the coordinates as they are typed, and a phone
// standing in the shop can fill them in. Nothing is loaded from the map's site.
(function () {
  var lat = document.getElementById("lat"), lon = document.getElementById("lon"), link = document.getElementById("map-pin");
  if (!lat || !lon || !link) return;
  function update() {
    var a = parseFloat(lat.value.replace(",", ".")), o = parseFloat(lon.value.replace(",", "."));
    if (!isFinite(a) || !isFinite(o) || Math.abs(a) > 90 || Math.abs(o) > 180) return;
    var la = a.toFixed(5), lo = o.toFixed(5);
    link.href = "https://www.openstreetmap.org/?mlat=" + la + "&mlon=" + lo + "#map=17/" + la + "/" + lo;
  }
  lat.addEventListener("input", update);
  lon.addEventListener("input", update);
  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        lat.value = p.coords.latitude.toFixed(5);
        lon.value = p.coords.longitude.toFixed(5);
        update();
      });
    });
  }
})();
