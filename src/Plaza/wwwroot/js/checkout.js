"use strict";
(function () {
  var form = document.getElementById("checkout");
  if (!form) return;
  var d = form.dataset, shop = d.shop, currency = d.currency, digits = Number(d.digits);
  var cart = PlazaCart.load(shop);
  var params = new URLSearchParams(location.search);
  if (params.get("t")) { cart.table = params.get("t"); cart.tableName = d.tableName || cart.table; PlazaCart.save(shop, cart); }
  var linesEl = document.getElementById("lines"), totalsEl = document.getElementById("totals");
  var errorEl = document.getElementById("error"), placeButton = document.getElementById("place");
  var quoted = null;
  // The signed-in member's figures (points, balance), read from the API: the page itself is the same for everyone.
  var me = null, coupons = [], redeem = 0;
  var memberPay = document.getElementById("member-pay"), usePoints = document.getElementById("use-points");
  var payLine = document.getElementById("pay-line"), counterLine = payLine.textContent;

  function money(m) { return PlazaCart.money(m.amount, m.currency || currency, digits); }
  function type() { var t = form.querySelector("input[name=type]:checked"); return t ? t.value : "pickup"; }
  function tip() { var t = form.querySelector("input[name=tip]:checked"); return t && Number(t.value) > 0 ? { percent: Number(t.value) } : null; }
  function payment() { var p = form.querySelector("input[name=payment]:checked"); return p ? p.value : "counter"; }
  function items() { return cart.lines.map(function (l) { return { itemId: l.itemId, quantity: l.quantity, optionIds: l.optionIds }; }); }

  var dineIn = document.getElementById("type-dinein");
  if (dineIn && cart.table) {
    dineIn.hidden = false;
    dineIn.querySelector("input").checked = true;
    document.getElementById("table-name").textContent = "· " + (cart.tableName || cart.table);
  }

  function showType() {
    var t = type();
    document.getElementById("when").hidden = t === "dineIn";
    document.getElementById("address").hidden = t !== "delivery";
    // What this kind of order must give (0 nothing, 1 a phone, 2 a name and a phone), as the shop set it.
    var ask = Number(t === "dineIn" ? d.askDinein : d.askAway);
    [[form.name, ask >= 2], [form.phone, ask >= 1]].forEach(function (f) {
      f[0].required = f[1];
      f[0].closest(".field").querySelector(".if-optional").hidden = f[1];
    });
    quote();
  }

  function row(label, value, cls) {
    var dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = label; dd.textContent = value;
    if (cls) { dt.className = cls; dd.className = cls; }
    totalsEl.append(dt, dd);
  }

  function render(q) {
    linesEl.textContent = ""; totalsEl.textContent = "";
    document.getElementById("cart-empty").hidden = cart.lines.length > 0;
    placeButton.disabled = cart.lines.length === 0;
    cart.lines.forEach(function (line, index) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = line.quantity + " × " + line.name;
      if (line.options) { var small = document.createElement("small"); small.textContent = line.options; name.append(" ", small); }
      var price = document.createElement("span");
      price.textContent = q ? money(q.lines[index].total) : PlazaCart.money(line.unit * line.quantity, currency, digits);
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "link"; remove.textContent = d.labelsRemove;
      remove.addEventListener("click", function () { cart.lines.splice(index, 1); PlazaCart.save(shop, cart); quote(); });
      li.append(name, price, remove);
      linesEl.append(li);
    });
    if (!q) return;
    row(d.labelsItems, money(q.itemsTotal));
    q.discounts.forEach(function (x) {
      row(x.label === "points" ? d.labelsPoints.replace("{0}", redeem) : x.label === "tier" ? d.labelsTier : d.labelsCoupon.replace("{0}", x.label), "−" + money(x.amount));
    });
    if (q.deliveryFee.amount > 0) row(d.labelsDelivery, money(q.deliveryFee));
    if (q.tip.amount > 0) row(d.labelsTip, money(q.tip));
    q.taxes.forEach(function (t) { row((q.pricesIncludeTax ? d.labelsTax : d.labelsTaxadded).replace("{0}", t.ratePercent), money(t.tax), "minor"); });
    row(d.labelsTotal, money(q.total), "total");
  }

  function showProblem(problem) {
    form.querySelectorAll(".field-error").forEach(function (el) { el.textContent = ""; });
    var text = problem.detail || problem.title || d.failed;
    if (problem.errors) {
      Object.keys(problem.errors).forEach(function (field) {
        var el = form.querySelector('.field-error[data-for="' + field + '"]');
        if (el) el.textContent = problem.errors[field].join(" ");
        else text += " " + problem.errors[field].join(" ");
      });
    }
    errorEl.textContent = text; errorEl.hidden = false;
  }

  function quote() {
    render(null);
    if (cart.lines.length === 0) return;
    fetch("/api/v1/shops/" + shop + "/quote", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: type(), items: items(), tip: tip(), coupons: coupons, redeemPoints: redeem || null })
    }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok) { quoted = res.body; errorEl.hidden = true; render(quoted); showMember(); }
        else {
          quoted = null; showProblem(res.body);
          // A refused coupon is dropped, so the cart can still be ordered without it.
          if (res.body.errors && res.body.errors.coupons) { coupons = []; }
        }
      })
      .catch(function () { quoted = null; });
  }

  document.getElementById("locate").addEventListener("click", function () {
    var button = this;
    if (!navigator.geolocation) { button.textContent = button.dataset.denied; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      form.latitude.value = p.coords.latitude; form.longitude.value = p.coords.longitude;
      button.textContent = button.dataset.found + " ✓";
    }, function () { button.textContent = button.dataset.denied; });
  });

  /// Points to use: as many whole steps as the member has and the items (after coupons) can take.
  function pointsFor(q) {
    if (!me || !me.pointsStep || !q) return 0;
    var unit = Math.pow(10, digits);
    var other = q.discounts.filter(function (x) { return x.label !== "points"; }).reduce(function (a, x) { return a + x.amount.amount; }, 0);
    var steps = Math.min(Math.floor(me.points / me.pointsStep), Math.floor((q.itemsTotal.amount - other) / unit));
    return Math.max(0, steps) * me.pointsStep;
  }

  function showMember() {
    if (!me) return;
    memberPay.hidden = false;
    var usable = pointsFor(quoted);
    document.getElementById("use-points-row").hidden = usable === 0 && !usePoints.checked;
    document.getElementById("use-points-text").textContent = memberPay.dataset.points.replace("{0}", usable)
      .replace("{1}", PlazaCart.money(usable / me.pointsStep * Math.pow(10, digits), currency, digits));
    document.getElementById("pay-balance-text").textContent = memberPay.dataset.balance.replace("{0}", money(me.balance));
    document.getElementById("pay-balance").disabled = !quoted || me.balance.amount < quoted.total.amount;
    payLine.textContent = payment() === "balance" ? payLine.dataset.balance : counterLine;
  }

  // Only a signed-in member has points and a balance to show; a guest's page does not ask.
  if (form.dataset.member === "1") {
    fetch("/api/v1/shops/" + shop + "/me", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { me = body; showMember(); })
      .catch(function () { });
  }

  document.getElementById("apply-coupon").addEventListener("click", function () {
    var code = form.coupon.value.trim();
    coupons = code ? [code] : [];
    quote();
  });

  form.addEventListener("change", function (e) {
    if (e.target.name === "type") showType();
    if (e.target.name === "tip") quote();
    if (e.target === usePoints) { redeem = usePoints.checked ? pointsFor(quoted) : 0; quote(); }
    if (e.target.name === "payment") showMember();
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (cart.lines.length === 0) return;
    var t = type();
    var body = {
      type: t,
      table: t === "dineIn" ? cart.table : null,
      pickupAt: t === "dineIn" || !form.pickupAt.value ? null : form.pickupAt.value,
      address: t === "delivery" ? { text: form.addressText.value, latitude: Number(form.latitude.value) || null, longitude: Number(form.longitude.value) || null } : null,
      items: items(),
      customer: form.name.value || form.phone.value ? { name: form.name.value || null, phone: form.phone.value || null } : null,
      note: form.note.value || null,
      tip: tip(),
      expectedTotal: quoted ? quoted.total : null,
      coupons: coupons,
      redeemPoints: redeem || null,
      payment: me ? payment() : null
    };
    placeButton.disabled = true; errorEl.hidden = true;
    fetch("/api/v1/shops/" + shop + "/orders", {
      method: "POST",
      // Plaza-Member: this page's own script is spending the member's points or balance (another site's page cannot send it).
      headers: { "Content-Type": "application/json", "Idempotency-Key": PlazaCart.idempotencyKey(shop), "Plaza-Member": "1" },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); })
      .then(function (res) {
        if (res.status === 201) {
          PlazaCart.clear(shop);
          location.assign("/s/" + shop + "/orders/" + res.body.id);
          return;
        }
        // Refused: nothing was placed, so the next attempt may use a fresh key.
        sessionStorage.removeItem("plaza.cart." + shop + ".idem");
        placeButton.disabled = false;
        showProblem(res.body);
        if (res.status === 409) quote();
      })
      .catch(function () { placeButton.disabled = false; errorEl.textContent = d.offline; errorEl.hidden = false; });
  });

  showType();
})();
