/* Names for the admin widgets that scripts build: the autocomplete selects (select2)
   and the rich-text editor (django-prose-editor). Each takes the name of the field it
   stands for: its <label>, or the aria-label the server gave an input in a table row. */
(function () {
  "use strict";

  function nameOf(field) {
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    var text = label ? label.textContent : field.getAttribute("aria-label") || "";
    return text.replace(/:\s*$/, "").trim();
  }

  function nameAutocomplete(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) return;
    var name = nameOf(select);
    if (!name) return;
    // A hidden element may be referenced by aria-labelledby; its text is the name.
    var nameId = select.id + "-accessible-name";
    if (!document.getElementById(nameId)) {
      var span = document.createElement("span");
      span.id = nameId;
      span.hidden = true;
      span.textContent = name;
      container.appendChild(span);
    }
    var rendered = container.querySelector(".select2-selection__rendered");
    var combobox = container.querySelector('[role="combobox"]');
    if (rendered) rendered.setAttribute("aria-labelledby", nameId);
    if (combobox) {
      // The name first, then the current choice, as select2 itself reads it.
      combobox.setAttribute("aria-labelledby", rendered && rendered.id ? nameId + " " + rendered.id : nameId);
    }
  }

  function nameEditor(textarea) {
    var wrapper = textarea.closest(".prose-editor");
    var editable = wrapper && wrapper.querySelector('[contenteditable="true"]');
    var name = nameOf(textarea);
    if (editable && name) editable.setAttribute("aria-label", name);
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameAutocomplete);
    document.querySelectorAll(".prose-editor textarea").forEach(nameEditor);
  }

  // select2 and the editor build their widgets when they are ready (and select2 again
  // for each inline row added), so name whatever new widgets appear.
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; nameAll(); });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameAll);
})();
