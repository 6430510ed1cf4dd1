"use strict";
// Back to my order: the orders this phone placed here lately (kept on the phone by order.js, never on the server).
(function () {
  var nav = document.getElementById("recent");
  if (!nav || !window.localStorage) return;
  var list = [];
  try { list = JSON.parse(localStorage.getItem("plaza.orders") || "[]"); } catch (e) { list = []; }
  var week = Date.now() - 7 * 24 * 3600 * 1000;
  list.filter(function (o) { return o.shop === nav.dataset.shop && o.at > week; }).slice(0, 3).forEach(function (o) {
    var a = document.createElement("a");
    a.href = "/s/" + encodeURIComponent(o.shop) + "/orders/" + encodeURIComponent(o.id);
    a.textContent = nav.dataset.order.replace("{0}", o.number);
    nav.append(" ", a);
    nav.hidden = false;
  });
})();
(function () {
  var bar = document.getElementById("cart-bar");
  if (!bar) return;
  var shop = bar.dataset.shop, currency = bar.dataset.currency, digits = Number(bar.dataset.digits);
  var cart = PlazaCart.load(shop);
  if (bar.dataset.table) { cart.table = bar.dataset.table; cart.tableName = bar.dataset.tableName || bar.dataset.table; PlazaCart.save(shop, cart); }

  function render() {
    var n = PlazaCart.count(cart);
    bar.hidden = n === 0;
    var sum = cart.lines.reduce(function (s, l) { return s + l.unit * l.quantity; }, 0);
    bar.querySelector(".count").textContent = n === 1 ? bar.dataset.one : bar.dataset.items.replace("{0}", n);
    bar.querySelector(".sum").textContent = PlazaCart.money(sum, currency, digits);
    bar.href = "/s/" + shop + "/checkout" + (cart.table ? "?t=" + encodeURIComponent(cart.table) : "");
  }

  document.querySelectorAll(".add-form").forEach(function (form) {
    form.addEventListener("change", function (e) {
      // Keep multi-choice groups within their maximum.
      var set = e.target.closest("fieldset");
      if (!set || e.target.type !== "checkbox") return;
      var max = Number(set.dataset.max);
      var chosen = set.querySelectorAll("input:checked");
      if (chosen.length > max) e.target.checked = false;
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var error = form.querySelector(".form-error");
      var optionIds = [], names = [], unit = Number(form.dataset.price), problem = "";
      form.querySelectorAll("fieldset").forEach(function (set) {
        var chosen = set.querySelectorAll("input:checked");
        if (chosen.length < Number(set.dataset.min) && !problem) {
          problem = bar.dataset.choose.replace("{0}", set.querySelector("legend").firstChild.textContent.trim());
        }
        chosen.forEach(function (input) {
          optionIds.push(Number(input.value));
          names.push(input.dataset.name);
          unit += Number(input.dataset.delta);
        });
      });
      if (problem) { error.textContent = problem; error.hidden = false; return; }
      error.hidden = true;
      var quantity = Math.max(1, Math.min(99, Number(form.quantity.value) || 1));
      cart = PlazaCart.add(shop, {
        itemId: Number(form.dataset.item), name: form.dataset.name, optionIds: optionIds,
        options: names.join(", "), quantity: quantity, unit: unit
      });
      render();
      var details = form.closest("details");
      if (details) details.open = false;
      var button = form.querySelector("button[type=submit]");
      var label = button.textContent;
      button.textContent = bar.dataset.added + " ✓";
      setTimeout(function () { button.textContent = label; }, 1200);
    });
  });
  render();
})();
