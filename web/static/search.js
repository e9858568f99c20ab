// Typeahead for the search box: names of periods, makers, places and
// concepts from /api/v1/suggest, offered in a <datalist>. The page works
// without it.
(function () {
  var input = document.getElementById("q");
  var list = document.getElementById("suggest");
  if (!input || !list || !window.fetch) return;
  var timer = null, last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      var word = q.split(/\s+/).pop();
      if (!word || word === last) return;
      last = word;
      fetch("/api/v1/suggest?limit=8&q=" + encodeURIComponent(word), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (body) {
          list.textContent = "";
          var prefix = q.slice(0, q.length - word.length);
          (body.items || []).forEach(function (s) {
            var seen = {};
            (s.names || []).forEach(function (n) {
              if (seen[n.value] || (n.lang !== "zh-Hans" && n.lang !== "en")) return;
              seen[n.value] = true;
              var o = document.createElement("option");
              o.value = prefix + n.value;
              o.label = n.value + " (" + s.count + ")";
              list.appendChild(o);
            });
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
