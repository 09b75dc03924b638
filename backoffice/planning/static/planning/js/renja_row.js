// Sub kegiatan search of the Renja row form: results come from the Renja's own search URL (only the
// sub kegiatan this department may choose); choosing one proposes the keluaran indicator and satuan.
(function () {
  function init(root) {
    var input = root.querySelector("[data-autocomplete-input]");
    var hidden = root.querySelector("[data-autocomplete-value]");
    var list = root.querySelector("[data-autocomplete-results]");
    var info = root.querySelector("[data-autocomplete-kinerja]");
    var form = root.closest("form");
    var timer = null;
    var proposed = { text: null, satuan: null };

    function propose(name, value, key) {
      var field = form && form.querySelector('[name="' + name + '"]');
      if (!field) return;
      // Replace only what is empty or what we proposed ourselves: never what the planner typed.
      if (!field.value || field.value === proposed[key]) field.value = value || "";
      proposed[key] = value || "";
    }

    function choose(item) {
      hidden.value = item.id;
      input.value = item.label;
      list.hidden = true;
      list.innerHTML = "";
      info.textContent = "Kinerja: " + (item.kinerja || "-") + " · Indikator: " + (item.indikator || "-") + " · Satuan: " + (item.satuan || "-");
      propose("keluaran_text", item.proposed_text, "text");
      propose("keluaran_satuan", item.satuan, "satuan");
    }

    function search() {
      var url = root.dataset.searchUrl + "?q=" + encodeURIComponent(input.value.trim());
      fetch(url, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          list.innerHTML = "";
          (data.results || []).forEach(function (item) {
            var li = document.createElement("li");
            li.setAttribute("role", "option");
            li.style.padding = "0.3em 0.5em";
            li.style.cursor = "pointer";
            li.textContent = item.label;
            li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
            list.appendChild(li);
          });
          if (data.error) {
            var li = document.createElement("li");
            li.textContent = data.error;
            list.appendChild(li);
          }
          list.hidden = !list.children.length;
        });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("focus", function () { if (!hidden.value) search(); });
    input.addEventListener("blur", function () { setTimeout(function () { list.hidden = true; }, 150); });
  }

  function start() {
    document.querySelectorAll("[data-planning-autocomplete]").forEach(init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
