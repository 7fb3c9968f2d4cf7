/* Uploading several images (templates/admin/images/image/upload.html): once files are
   picked, each gets a row with its preview and its own alt text (required), caption and
   credit, sent in the files' order. After a refusal the page remembers what was typed,
   by file name, and fills it in again when the same files are picked. */
(function () {
  "use strict";

  var FIELDS = [
    { name: "alt", label: "Alt text", required: true, maxLength: 250,
      help: "Describe the picture for readers who cannot see it." },
    { name: "caption", label: "Caption", maxLength: 300 },
    { name: "credit", label: "Credit", maxLength: 120, help: "E.g. Photo: Jane Doe / Agency" },
  ];

  function previousValues() {
    var script = document.getElementById("upload-previous");
    try {
      return script ? JSON.parse(script.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function row(file, index, previous) {
    var fieldset = document.createElement("fieldset");
    fieldset.className = "module aligned upload-row";
    var legend = document.createElement("h2");
    legend.textContent = file.name;
    fieldset.appendChild(legend);
    var preview = document.createElement("img");
    preview.className = "upload-row__preview";
    preview.alt = "";
    preview.src = URL.createObjectURL(file);
    fieldset.appendChild(preview);
    FIELDS.forEach(function (spec) {
      var id = "id_" + spec.name + "_" + index;
      var line = document.createElement("div");
      line.className = "form-row";
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = spec.label + " (" + file.name + ")";
      if (spec.required) label.className = "required";
      var input = document.createElement("input");
      input.type = "text";
      input.name = spec.name;
      input.id = id;
      input.className = "vTextField";
      input.maxLength = spec.maxLength;
      input.required = Boolean(spec.required);
      input.value = (previous[file.name] || {})[spec.name] || "";
      line.append(label, input);
      if (spec.help) {
        var help = document.createElement("div");
        help.className = "help";
        help.textContent = spec.help;
        line.appendChild(help);
      }
      fieldset.appendChild(line);
    });
    return fieldset;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-image-upload]");
    if (!form) return;
    var input = form.querySelector("input[type=file]");
    var rows = form.querySelector("[data-upload-rows]");
    var previous = previousValues();
    var show = function () {
      rows.replaceChildren();
      Array.prototype.forEach.call(input.files, function (file, index) {
        rows.appendChild(row(file, index, previous));
      });
      var first = rows.querySelector("input");
      if (first) first.focus();
    };
    input.addEventListener("change", show);
    if (input.files.length) show();
  });
})();
