/* The article form on deadline (templates/admin/articles/article/change_form.html):
   - the bar's word count and reading time follow the body as it is typed;
   - bylines and related picks are put in order by dragging a row's handle, or by
     focusing the handle and pressing the up and down arrow keys; the hidden
     "position" inputs are renumbered to match, so the server sees the order shown;
   - the tags box suggests existing tags and warns when a new tag nearly matches an
     old one (another case, a plural, accents).
   Without JavaScript the form still works: positions are typed, tags are free text. */
(function () {
  "use strict";

  var WORDS_PER_MINUTE = 230; // as articles/editorial/reading.py
  var WORD = /[\p{L}\p{N}_][\p{L}\p{N}_'’-]*/gu;

  // -- word count -----------------------------------------------------------

  function showCount(text) {
    var out = document.getElementById("word-count");
    if (!out) return;
    var words = (text.match(WORD) || []).length;
    var minutes = words ? Math.max(1, Math.ceil(words / WORDS_PER_MINUTE)) : 0;
    out.textContent = words + (words === 1 ? " word" : " words") + " · " + minutes + " min read";
  }

  function watchBody() {
    var field = document.querySelector(".field-body");
    if (!field) return;
    var update = function () {
      var editable = field.querySelector('[contenteditable="true"]');
      var textarea = field.querySelector("textarea");
      if (editable) showCount(editable.innerText || editable.textContent || "");
      else if (textarea) showCount(textarea.value.replace(/<[^>]*>/g, " "));
    };
    field.addEventListener("input", update);
    new MutationObserver(update).observe(field, { subtree: true, characterData: true, childList: true });
  }

  // -- ordering rows --------------------------------------------------------

  function rowsOf(tbody) {
    return Array.prototype.filter.call(tbody.children, function (row) {
      return row.classList.contains("form-row") && !row.classList.contains("empty-form");
    });
  }

  function rowName(row) {
    var select = row.querySelector("select");
    var option = select && select.options[select.selectedIndex];
    var text = option && option.value ? option.textContent : "";
    if (!text) {
      var original = row.querySelector("td.original p");
      text = original ? original.textContent : "";
    }
    return text.trim() || "empty row";
  }

  function isFilled(row) {
    if (row.classList.contains("has_original")) return true;
    var select = row.querySelector("select");
    return Boolean(select && select.value);
  }

  function renumber(tbody) {
    var position = 0;
    rowsOf(tbody).forEach(function (row) {
      var input = row.querySelector('input[name$="-position"]');
      // A blank extra row keeps its value: changing it would make Django validate it as filled.
      if (input && isFilled(row)) {
        if (input.value !== String(position)) input.value = String(position);
        position += 1;
      }
      var handle = row.querySelector(".row-handle");
      if (handle) handle.setAttribute("aria-label", "Move " + rowName(row) + " (drag, or use the up and down arrow keys)");
    });
  }

  function announce(group, message) {
    var status = group.querySelector(".row-order-status");
    if (status) status.textContent = message;
  }

  function announcePlace(group, tbody, row) {
    var filled = rowsOf(tbody).filter(isFilled);
    var place = filled.indexOf(row);
    if (place >= 0) announce(group, rowName(row) + ": position " + (place + 1) + " of " + filled.length);
  }

  function move(tbody, row, offset) {
    var rows = rowsOf(tbody);
    var index = rows.indexOf(row);
    var target = index + offset;
    if (index < 0 || target < 0 || target >= rows.length) return false;
    if (offset < 0) tbody.insertBefore(row, rows[target]);
    else tbody.insertBefore(row, rows[target].nextSibling);
    renumber(tbody);
    return true;
  }

  function makeHandle(group, tbody, row) {
    var cell = row.querySelector("td.original");
    if (!cell || cell.querySelector(".row-handle")) return;
    var handle = document.createElement("button");
    handle.type = "button";
    handle.className = "row-handle";
    handle.textContent = "⠿";
    cell.insertBefore(handle, cell.firstChild);

    handle.addEventListener("keydown", function (event) {
      var offset = event.key === "ArrowUp" ? -1 : event.key === "ArrowDown" ? 1 : 0;
      if (!offset) return;
      event.preventDefault();
      if (move(tbody, row, offset)) {
        handle.focus();
        announcePlace(group, tbody, row);
      }
    });

    handle.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      event.preventDefault();
      handle.focus();
      row.classList.add("is-dragging");
      var onMove = function (moveEvent) {
        var rows = rowsOf(tbody);
        for (var i = 0; i < rows.length; i++) {
          if (rows[i] === row) continue;
          var box = rows[i].getBoundingClientRect();
          if (moveEvent.clientY > box.top && moveEvent.clientY < box.bottom) {
            var below = moveEvent.clientY > box.top + box.height / 2;
            tbody.insertBefore(row, below ? rows[i].nextSibling : rows[i]);
            break;
          }
        }
      };
      // On the document, not captured by the handle: moving the row in the page would drop a capture.
      var onUp = function () {
        document.removeEventListener("pointermove", onMove);
        document.removeEventListener("pointerup", onUp);
        document.removeEventListener("pointercancel", onUp);
        row.classList.remove("is-dragging");
        renumber(tbody);
        announcePlace(group, tbody, row);
      };
      document.addEventListener("pointermove", onMove);
      document.addEventListener("pointerup", onUp);
      document.addEventListener("pointercancel", onUp);
    });
  }

  function sortable(group) {
    var tbody = group.querySelector("tbody");
    if (!tbody) return;
    group.classList.add("js-sortable");
    var help = document.createElement("p");
    help.className = "help row-order-help";
    help.textContent = "Drag a row by its handle ⠿ to change the order, or focus the handle and use the up and down arrow keys.";
    var table = group.querySelector("table");
    table.parentNode.insertBefore(help, table);
    var status = document.createElement("p");
    status.className = "row-order-status visually-hidden";
    status.setAttribute("aria-live", "polite");
    group.appendChild(status);
    var prepare = function () {
      rowsOf(tbody).forEach(function (row) { makeHandle(group, tbody, row); });
      renumber(tbody);
    };
    prepare();
    // Rows added with "Add another" and choices made later take part too.
    document.addEventListener("formset:added", prepare);
    tbody.addEventListener("change", function () { renumber(tbody); });
    var form = group.closest("form");
    if (form) form.addEventListener("submit", function () { renumber(tbody); });
  }

  // -- tags -----------------------------------------------------------------

  function tagBox() {
    var input = document.getElementById("id_tags");
    var source = document.querySelector("[data-tag-suggestions-url]");
    var url = input && source && source.getAttribute("data-tag-suggestions-url");
    if (!input || !url) return;
    var listId = "id_tags-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var warning = document.createElement("p");
    warning.className = "tag-warning";
    warning.setAttribute("aria-live", "polite");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    input.parentNode.insertBefore(list, input.nextSibling);
    list.parentNode.insertBefore(warning, list.nextSibling);
    var active = -1;
    var pending = null;

    function terms() {
      return input.value.split(",");
    }

    function currentTerm() {
      var parts = terms();
      return parts[parts.length - 1].trim().replace(/^"|"$/g, "");
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      var parts = terms();
      parts[parts.length - 1] = " " + (name.indexOf(",") >= 0 ? '"' + name + '"' : name);
      input.value = parts.join(",").replace(/^\s+/, "") + ", ";
      close();
      input.focus();
      checkAll();
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (options[index]) input.setAttribute("aria-activedescendant", options[index].id);
    }

    function show(names) {
      list.innerHTML = "";
      names.forEach(function (name, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = name;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(name); });
        list.appendChild(option);
      });
      list.hidden = names.length === 0;
      input.setAttribute("aria-expanded", names.length ? "true" : "false");
      active = -1;
    }

    function fetchJson(params) {
      return fetch(url + "?" + new URLSearchParams(params), { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.json() : { matches: [], near: [] };
      });
    }

    function checkAll() {
      var names = terms().map(function (t) { return t.trim().replace(/^"|"$/g, ""); }).filter(Boolean);
      if (!names.length) { warning.textContent = ""; return; }
      fetchJson({ check: names.join("\n") }).then(function (data) {
        warning.textContent = (data.near || []).map(function (pair) {
          return "“" + pair[0] + "” is new, and close to the existing tag “" + pair[1] + "”: use “" + pair[1] + "” if they mean the same.";
        }).join(" ");
      });
    }

    input.addEventListener("input", function () {
      var term = currentTerm();
      clearTimeout(pending);
      if (!term) { close(); return; }
      pending = setTimeout(function () {
        fetchJson({ q: term }).then(function (data) { show(data.matches || []); });
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      var options = list.querySelectorAll("[role=option]");
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options[active].textContent); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); checkAll(); });
  }

  function start() {
    watchBody();
    ["bylines-group", "related_links-group"].forEach(function (id) {
      var group = document.getElementById(id);
      if (group) sortable(group);
    });
    tagBox();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
