/*
 * Autosave for the admin article form.
 *
 * Every few seconds the form (body included) is copied to this browser's local
 * storage, keyed by user and article. When the form is opened again and the stored
 * copy differs from what the server has (a crashed browser, a closed tab, a lost
 * connection), the editor is offered to restore it. The copy is dropped once a save
 * went through, or when the editor discards it. Without JavaScript nothing changes.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 3000;
  var SKIP = { csrfmiddlewaretoken: true, loaded_version: true };

  if (!window.localStorage) return;
  var user = document.currentScript && document.currentScript.dataset.user;

  // A new article's copy is kept under "<user>:new". Saving it leads to another page
  // (the list, or the new article's form); the admin's "was added" message there says
  // the save went through, so the copy can go.
  var added = Array.prototype.some.call(document.querySelectorAll(".messagelist .success"), function (li) {
    return li.textContent.indexOf("was added successfully") !== -1;
  });
  if (user && added) {
    var newKey = "newsroom:autosave:" + user + ":new";
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(newKey) || "null"); } catch (error) { kept = null; }
    if (kept && kept.submitted) localStorage.removeItem(newKey);
  }

  var form = document.getElementById("article_form");
  var status = document.getElementById("autosave-status");
  if (!form || !status) return;

  var storageKey = "newsroom:autosave:" + status.dataset.autosaveKey;
  var versionInput = form.elements.namedItem("loaded_version");
  var editor = null; // the body's ProseMirror editor, once it is ready
  var lastSaved = null; // what was last kept (at first: the form as the server sent it)
  var started = false;

  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name === "body") editor = event.detail.editor;
  });

  // Tiptap keeps its instance on the editable element; the ready event may have come
  // before this script ran.
  function bodyEditor() {
    if (!editor) {
      var dom = form.querySelector(".field-body [contenteditable=true]");
      editor = dom && dom.editor ? dom.editor : null;
    }
    return editor;
  }

  function currentVersion() {
    return versionInput ? Number(versionInput.value || 0) : 0;
  }

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.disabled) return;
      if (el.type === "file" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) data[el.name] = el.value;
        else if (el.type === "checkbox") data[el.name] = data[el.name] || "";
        return;
      }
      data[el.name] = el.value;
    });
    if (bodyEditor() && "body" in data) data.body = editor.getHTML();
    return data;
  }

  function read() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function write(extra) {
    var data = fields();
    var serialized = JSON.stringify(data);
    if (serialized === lastSaved && !extra) return;
    var record = Object.assign({ data: data, savedAt: new Date().toISOString(), baseVersion: currentVersion() }, extra || {});
    try {
      localStorage.setItem(storageKey, JSON.stringify(record));
      lastSaved = serialized;
      status.textContent = "Draft kept in this browser at " + new Date().toLocaleTimeString() + ".";
    } catch (error) {
      status.textContent = "This browser could not keep a draft copy (storage full?). Save often.";
    }
  }

  function differs(stored, current) {
    return Object.keys(stored).some(function (name) {
      return name in current && stored[name] !== current[name];
    });
  }

  function restore(data) {
    Object.keys(data).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (!el) return;
      if (el instanceof RadioNodeList) {
        Array.prototype.forEach.call(el, function (option) { option.checked = option.value === data[name]; });
      } else if (el.type === "checkbox") {
        el.checked = data[name] !== "";
      } else {
        el.value = data[name];
      }
    });
    if (bodyEditor() && "body" in data) editor.commands.setContent(data.body, true);
  }

  function offer(stored) {
    var box = document.createElement("div");
    box.className = "autosave-offer";
    box.setAttribute("role", "alert");
    var when = new Date(stored.savedAt).toLocaleString();
    box.innerHTML = "<p><strong>Unsaved changes from " + when + " were found in this browser.</strong> " +
      "They differ from the saved article.</p>";
    var restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.className = "button";
    restoreButton.textContent = "Restore my unsaved changes";
    var discardButton = document.createElement("button");
    discardButton.type = "button";
    discardButton.className = "button";
    discardButton.textContent = "Discard them";
    box.appendChild(restoreButton);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(discardButton);
    form.parentNode.insertBefore(box, form);
    restoreButton.addEventListener("click", function () {
      restore(stored.data);
      box.remove();
      status.textContent = "Your unsaved changes are back in the form. Save to keep them.";
      start();
    });
    discardButton.addEventListener("click", function () {
      localStorage.removeItem(storageKey);
      box.remove();
      start();
    });
  }

  function start() {
    if (started) return;
    started = true;
    setInterval(write, INTERVAL_MS);
    form.addEventListener("submit", function () { write({ submitted: true }); });
  }

  function begin() {
    // What the form holds as loaded, with the body as the editor serialises it.
    lastSaved = JSON.stringify(fields());
    var stored = read();
    var saveFailed = document.querySelector(".errornote") !== null;
    if (!stored) return start();
    var saveWentThrough = stored.submitted && !saveFailed && currentVersion() > stored.baseVersion;
    if (saveWentThrough || !differs(stored.data, fields())) {
      localStorage.removeItem(storageKey);
      return start();
    }
    if (saveFailed) return start(); // the server sent the form back as typed: nothing to offer
    offer(stored);
  }

  // Let the rich-text editor come up first, so the body compares as the editor sees it.
  var waited = 0;
  (function whenReady() {
    if (bodyEditor() || waited >= 2000 || !form.querySelector("textarea[name=body]")) return begin();
    waited += 100;
    setTimeout(whenReady, 100);
  })();
})();
