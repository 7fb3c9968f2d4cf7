/* The image chooser on admin forms: NewsroomImageChooser.open(url) shows the library
   (images/admin.py, chooser_view) in a dialog and resolves with the chosen image
   ({id, alt, caption, credit, thumbnail, src, width, height}, plus wide) or null.
   Fields rendered by images/widgets.py (ImageChooserWidget) get their "Choose" and
   "Remove" buttons here; without JavaScript they stay a number input. */
(function () {
  "use strict";

  function open(url, title) {
    return new Promise(function (resolve) {
      var dialog = document.createElement("dialog");
      dialog.className = "image-chooser-dialog";
      dialog.setAttribute("aria-label", title || "Choose an image");
      var bar = document.createElement("div");
      bar.className = "image-chooser-dialog__bar";
      var heading = document.createElement("h2");
      heading.textContent = title || "Choose an image";
      var close = document.createElement("button");
      close.type = "button";
      close.className = "button";
      close.textContent = "Close";
      bar.append(heading, close);
      var frame = document.createElement("iframe");
      frame.src = url;
      frame.title = "Image library";
      dialog.append(bar, frame);
      document.body.appendChild(dialog);

      var result = null;
      var onMessage = function (event) {
        if (event.origin !== window.location.origin || event.source !== frame.contentWindow) return;
        if (!event.data || event.data.type !== "newsroom:image-chosen") return;
        result = Object.assign({}, event.data.image, { wide: Boolean(event.data.wide) });
        dialog.close();
      };
      window.addEventListener("message", onMessage);
      close.addEventListener("click", function () {
        dialog.close();
      });
      dialog.addEventListener("close", function () {
        window.removeEventListener("message", onMessage);
        dialog.remove();
        resolve(result);
      });
      dialog.showModal();
    });
  }

  function enhance(field) {
    var input = field.querySelector("input");
    var preview = field.querySelector("[data-image-chooser-preview]");
    var choose = field.querySelector("[data-image-chooser-open]");
    var clear = field.querySelector("[data-image-chooser-clear]");
    var label = field.closest(".form-row");
    label = label && label.querySelector("label");
    var show = function (image) {
      preview.replaceChildren();
      if (!image) {
        var none = document.createElement("span");
        none.className = "image-chooser__none";
        none.textContent = "No image chosen.";
        preview.appendChild(none);
      } else {
        var template = document.createElement("template");
        template.innerHTML = image.thumbnail; // the server's own markup (images.pictures.thumbnail_html)
        var alt = document.createElement("span");
        alt.className = "image-chooser__alt";
        alt.textContent = image.alt;
        preview.append(template.content, alt);
      }
      clear.hidden = !input.value;
    };
    choose.hidden = false;
    clear.hidden = !input.value;
    choose.addEventListener("click", function () {
      open(field.dataset.chooserUrl, "Choose " + (label ? label.textContent.replace(/:$/, "").toLowerCase() : "an image")).then(
        function (image) {
          if (!image) return;
          input.value = image.id;
          input.dispatchEvent(new Event("change", { bubbles: true }));
          show(image);
          choose.focus();
        },
      );
    });
    clear.addEventListener("click", function () {
      input.value = "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
      show(null);
      choose.focus();
    });
  }

  window.NewsroomImageChooser = { open: open };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-image-chooser]").forEach(enhance);
  });
})();
