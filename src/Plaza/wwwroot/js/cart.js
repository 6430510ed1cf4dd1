// The cart lives in this browser only (localStorage), one per shop; the server prices it.
"use strict";
window.PlazaCart = (function () {
  function key(shop) { return "plaza.cart." + shop; }
  function load(shop) {
    try {
      var cart = JSON.parse(localStorage.getItem(key(shop)) || "null");
      if (cart && Array.isArray(cart.lines)) return cart;
    } catch (e) { /* a damaged cart starts again */ }
    return { table: null, lines: [] };
  }
  function save(shop, cart) { localStorage.setItem(key(shop), JSON.stringify(cart)); }
  function clear(shop) { localStorage.removeItem(key(shop)); sessionStorage.removeItem(key(shop) + ".idem"); }
  function sameLine(a, b) { return a.itemId === b.itemId && a.optionIds.join(",") === b.optionIds.join(","); }
  function add(shop, line) {
    var cart = load(shop);
    var found = cart.lines.find(function (l) { return sameLine(l, line); });
    if (found) found.quantity = Math.min(99, found.quantity + line.quantity); else cart.lines.push(line);
    save(shop, cart);
    return cart;
  }
  function count(cart) { return cart.lines.reduce(function (n, l) { return n + l.quantity; }, 0); }
  function money(amount, currency, digits) {
    var lang = document.documentElement.lang || "en";
    try {
      return new Intl.NumberFormat(lang, { style: "currency", currency: currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
        .format(amount / Math.pow(10, digits));
    } catch (e) { return (amount / Math.pow(10, digits)).toFixed(digits) + " " + currency; }
  }
  // One key per checkout attempt: a retry after a lost answer re-sends it, so no second order.
  function idempotencyKey(shop) {
    var k = key(shop) + ".idem";
    var value = sessionStorage.getItem(k);
    if (!value) {
      value = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
      sessionStorage.setItem(k, value);
    }
    return value;
  }
  return { load: load, save: save, clear: clear, add: add, count: count, money: money, idempotencyKey: idempotencyKey };
})();
