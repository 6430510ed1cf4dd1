"use strict";
// Web Push for Plaza's pages: registers the service worker, asks for permission and subscribes with
// the node's VAPID key. window.plazaPush.subscribe() resolves to the subscription's JSON
// ({ endpoint, keys: { p256dh, auth } }) or rejects with a reason the page words itself.
window.plazaPush = (function () {
  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function registration() {
    return navigator.serviceWorker.register("/sw.js").then(function () { return navigator.serviceWorker.ready; });
  }

  function subscribe() {
    if (!supported()) return Promise.reject("unsupported");
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw "denied";
      return Promise.all([registration(), fetch("/api/v1/push/key").then(function (r) { return r.json(); })]);
    }).then(function (both) {
      var reg = both[0], key = both[1].publicKey;
      return reg.pushManager.getSubscription().then(function (existing) {
        return existing || reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      });
    }).then(function (subscription) { return subscription.toJSON(); });
  }

  function current() {
    if (!supported() || Notification.permission !== "granted") return Promise.resolve(null);
    return navigator.serviceWorker.getRegistration("/").then(function (reg) {
      return reg ? reg.pushManager.getSubscription().then(function (s) { return s && s.toJSON(); }) : null;
    });
  }

  return { supported: supported, subscribe: subscribe, current: current };
})();
