// The console's forms, enhanced: repeated rows added and removed in
// place, authority pickers that offer names as you type, and image upload
// with a progress bar. Without it the forms still work: a blank row is
// always there to fill, and a picker takes a name or an id.
(function () {
  "use strict";

  // Repeated rows: each [data-group] holds [data-row]s whose fields are
  // named group[N]...; a new row is the last one emptied and renumbered.
  document.querySelectorAll("[data-group]").forEach(function (group) {
    var name = group.getAttribute("data-group");
    var add = group.querySelector(":scope > button.add");
    var rows = function () { return group.querySelectorAll(":scope > [data-row]"); };
    var esc = name.replace(/[.[\]]/g, "\\$&");
    var re = new RegExp("^(" + esc + ")\\[(\\d+)\\]");
    var next = 0;
    rows().forEach(function (row) {
      row.querySelectorAll("[name]").forEach(function (el) {
        var m = re.exec(el.name);
        if (m) next = Math.max(next, +m[2] + 1);
      });
    });
    var wireRemove = function (row) {
      var b = row.querySelector("button.remove");
      if (!b) return;
      b.hidden = false;
      b.addEventListener("click", function () {
        if (rows().length > 1) {
          row.remove();
        } else {
          row.querySelectorAll("input, textarea").forEach(function (el) { el.value = ""; });
        }
        if (add) add.focus();
      });
    };
    rows().forEach(wireRemove);
    if (!add) return;
    add.hidden = false;
    add.addEventListener("click", function () {
      var all = rows();
      var last = all[all.length - 1];
      var row = last.cloneNode(true);
      var n = next++;
      row.querySelectorAll("[name], [id], [for], [list], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "list", "aria-describedby"].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v) el.setAttribute(a, v.replace(new RegExp("(^|-)" + esc + "\\[\\d+\\]"), "$1" + name + "[" + n + "]"));
        });
      });
      row.querySelectorAll("input, textarea").forEach(function (el) { el.value = ""; el.removeAttribute("aria-invalid"); });
      row.querySelectorAll(".field-error, .hint").forEach(function (el) { el.remove(); });
      row.querySelectorAll("datalist").forEach(function (el) { el.textContent = ""; });
      last.after(row);
      wireRemove(row);
      wirePicker(row);
      var first = row.querySelector("input, textarea, select");
      if (first) first.focus();
    });
  });

  // Pickers: an input with data-source lists the authorities whose names
  // hold what was typed; choosing one puts its id in the field.
  function wirePicker(root) {
    root.querySelectorAll("input[data-source]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      if (!list || !window.fetch) return;
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        var q = input.value.trim();
        if (!q) return;
        timer = setTimeout(function () {
          var src = input.getAttribute("data-source");
          fetch(src + (src.indexOf("?") < 0 ? "?" : "&") + "name=" + encodeURIComponent(q), { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : { items: [] }; })
            .then(function (body) {
              list.textContent = "";
              (body.items || []).forEach(function (rec) {
                var o = document.createElement("option");
                o.value = rec.id;
                o.label = (rec.names || []).map(function (n) { return n.value; }).slice(0, 3).join(" · ");
                list.appendChild(o);
              });
            })
            .catch(function () {});
        }, 150);
      });
    });
  }
  wirePicker(document);

  // Image upload: the API's multipart upload, with its progress shown.
  var up = document.getElementById("upload");
  if (up && window.XMLHttpRequest && window.FormData) {
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    up.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var file = document.getElementById("upload-file").files[0];
      if (!file) return;
      var meta = { visibility: document.getElementById("upload-visibility").value };
      var caption = document.getElementById("upload-caption").value.trim();
      if (caption) meta.caption = [{ lang: document.documentElement.lang, value: caption }];
      var fd = new FormData();
      fd.append("metadata", JSON.stringify(meta));
      fd.append("file", file);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", up.getAttribute("data-action"));
      xhr.setRequestHeader("X-CSRF-Token", up.getAttribute("data-csrf"));
      bar.hidden = false;
      bar.value = 0;
      status.textContent = "";
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 200 || xhr.status === 201) {
          bar.value = 100;
          status.textContent = up.getAttribute("data-done") || "OK";
          location.reload();
          return;
        }
        var msg = xhr.statusText;
        try {
          var p = JSON.parse(xhr.responseText);
          msg = p.detail + (p.errors ? ": " + p.errors.map(function (e) { return e.field + " " + e.message; }).join("; ") : "");
        } catch (e) {}
        status.textContent = (up.getAttribute("data-failed") || "Failed") + ": " + msg;
      });
      xhr.addEventListener("error", function () { status.textContent = up.getAttribute("data-failed") || "Failed"; });
      xhr.send(fd);
    });
  }
})();
