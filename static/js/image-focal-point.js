/* The focal point on an image's change form: a click on the preview sets the "focal
   point, across" and "down" fields (0..1); typing in them moves the marker. The fields
   stay the keyboard's way to set it. */
(function () {
  "use strict";

  var round = function (value) {
    return Math.round(Math.min(Math.max(value, 0), 1) * 1000) / 1000;
  };

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-focal-point]");
    var across = document.getElementById("id_focal_x");
    var down = document.getElementById("id_focal_y");
    if (!box || !across || !down) return;
    var image = box.querySelector("img");
    var marker = box.querySelector(".focal-point__marker");
    var help = box.parentElement.querySelector(".focal-point__help");
    if (help) help.hidden = false;

    var place = function () {
      var x = parseFloat(across.value);
      var y = parseFloat(down.value);
      if (isNaN(x) || isNaN(y)) {
        marker.hidden = true;
        return;
      }
      marker.hidden = false;
      marker.style.left = round(x) * 100 + "%";
      marker.style.top = round(y) * 100 + "%";
    };

    image.addEventListener("click", function (event) {
      var bounds = image.getBoundingClientRect();
      across.value = round((event.clientX - bounds.left) / bounds.width);
      down.value = round((event.clientY - bounds.top) / bounds.height);
      place();
    });
    across.addEventListener("input", place);
    down.addEventListener("input", place);
    place();
  });
})();
