// "Order again" on the member page: the past order's lines go into this browser's cart, then to checkout,
// where the server prices them as they are today (an item gone from the menu is refused there by name).
"use strict";
(function () {
  document.querySelectorAll("button[data-again]").forEach(function (button) {
    button.addEventListener("click", function () {
      var shop = button.dataset.shop;
      JSON.parse(button.dataset.again).forEach(function (line) { PlazaCart.add(shop, line); });
      location.href = "/s/" + shop + "/checkout";
    });
  });
})();
