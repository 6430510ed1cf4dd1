"use strict";
// Plaza's service worker: shows the notifications the node pushes (new orders for staff, an order's
// news for the customer who asked) and opens the right page when one is tapped. It caches nothing.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
  var urgent = /:(placed|overdue)$/.test(data.tag || "");
  event.waitUntil(self.registration.showNotification(data.title || "Plaza", {
    body: data.body || "", tag: data.tag, renotify: true, requireInteraction: urgent,
    icon: "/icons/icon-192.png", badge: "/icons/icon-192.png", vibrate: urgent ? [300, 150, 300, 150, 300] : [200],
    data: { url: data.url || "/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow(url);
  }));
});
