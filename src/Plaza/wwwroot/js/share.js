"use strict";
// The share button: asks the shop for this customer's personal link, offers the phone's share sheet
// where there is one, and always shows the link with a copy button.
(function () {
  var box = document.getElementById("share");
  if (!box) return;
  var button = box.querySelector(".share-button"), panel = box.querySelector(".share-panel");
  var input = panel.querySelector("input"), status = panel.querySelector("[role=status]");
  box.hidden = false;

  button.addEventListener("click", function () {
    status.textContent = "";
    fetch("/s/" + encodeURIComponent(box.dataset.shop) + "/share", { method: "POST", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (link) {
        var url = link.url + (box.dataset.item ? "?item=" + box.dataset.item : "");
        input.value = url;
        var poster = panel.querySelector(".poster-link");
        poster.href = "/s/" + encodeURIComponent(box.dataset.shop) + "/c/" + link.code + "/poster.png" + (box.dataset.item ? "?item=" + box.dataset.item : "");
        poster.hidden = false;
        panel.hidden = false;
        button.setAttribute("aria-expanded", "true");
        if (navigator.share) navigator.share({ title: box.dataset.title, url: url }).catch(function () { });
      })
      .catch(function () { panel.hidden = false; status.textContent = box.dataset.failed; });
  });

  panel.querySelector(".copy").addEventListener("click", function () {
    input.select();
    var done = function () { status.textContent = box.dataset.copied; };
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    else { document.execCommand("copy"); done(); }
  });
})();
