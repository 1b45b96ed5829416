// Lesson player enhancement: remember this lesson as the place to resume, and mark it
// read once its end scrolls into view. Without JavaScript the "mark as read" button
// does the same and resuming falls back to the first unread lesson.
(function () {
  "use strict";
  var end = document.getElementById("lesson-end");
  if (!end || !window.fetch) {
    return;
  }

  function post(url) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": end.dataset.csrf, "Accept": "application/json" }
    });
  }

  post(end.dataset.visitUrl).catch(function () { /* offline: resuming falls back to the first unread lesson */ });

  var form = end.querySelector("form.mark-read");
  if (!form || !("IntersectionObserver" in window)) {
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    if (!entries.some(function (entry) { return entry.isIntersecting; })) {
      return;
    }
    observer.disconnect();
    post(end.dataset.readUrl).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      form.hidden = true;
      end.querySelector(".read-status").hidden = false;
    }).catch(function () {
      // Offline or refused: the button stays, and works without this script.
    });
  });
  observer.observe(end);
})();
