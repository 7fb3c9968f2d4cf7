/* Inside the image chooser (templates/admin/images/image/chooser.html, shown in a dialog
   by image-chooser.js): choosing an image, or uploading one, tells the page that opened
   the chooser which image it is. */
(function () {
  "use strict";

  function target() {
    if (window.parent && window.parent !== window) return window.parent;
    return window.opener || null;
  }

  function send(entry) {
    var wide = document.querySelector(".chooser__width input[value=wide]");
    var opener = target();
    if (!opener) return;
    opener.postMessage(
      { type: "newsroom:image-chosen", image: entry, wide: Boolean(wide && wide.checked) },
      window.location.origin,
    );
  }

  function json(id) {
    var script = document.getElementById(id);
    return script ? JSON.parse(script.textContent) : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var entries = json("chooser-entries") || {};
    document.querySelectorAll("[data-image-id]").forEach(function (button) {
      button.addEventListener("click", function () {
        var entry = entries[button.dataset.imageId];
        if (entry) send(entry);
      });
    });
    var chosen = json("chooser-chosen");
    if (chosen) send(chosen);
  });
})();
