// Authoring enhancements. Without JavaScript every page works: the "Xem trước" button
// posts the lesson and the server renders the preview; confirmations are skipped.
(function () {
  "use strict";

  // Ask before destructive buttons (forms carrying data-confirm).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });

  // Live preview of a lesson, rendered by the server exactly as learners will see it.
  var preview = document.getElementById("lesson-preview");
  var body = document.getElementById("body");
  if (!preview || !body || !window.fetch) {
    return;
  }
  var missing = document.getElementById("missing-media");
  var missingNames = document.getElementById("missing-names");
  var timer = null;
  var sent = 0;

  function render() {
    var number = ++sent;
    fetch(preview.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": preview.dataset.csrf, "Accept": "application/json" },
      body: JSON.stringify({ body: body.value })
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data || number !== sent) {
        return;  // a later keystroke already asked for a newer preview
      }
      preview.innerHTML = data.html;  // sanitised by the server (nh3), as for learners
      missingNames.textContent = data.missing.join(", ");
      missing.hidden = data.missing.length === 0;
    }).catch(function () { /* offline: the "Xem trước" button still works */ });
  }

  body.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(render, 400);
  });
}());
