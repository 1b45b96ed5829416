/* Quiz attempt page: autosave (on change and every 30 s), the time left, a confirmation
   before submitting. An enhancement only: without it the "Lưu bài" and "Nộp bài" buttons
   post the same form, and the server alone decides what is accepted and when time is up. */
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) { return; }
  var statusBox = document.getElementById("quiz-status");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  // Sequence numbers follow the server's clock (ms), so they keep growing across reloads
  // and match the numbers of saves made by the "Lưu bài" button, whatever the phone's clock.
  var serverOffset = Number(form.dataset.serverTime) - Date.now();
  var lastSeq = 0;
  var dirty = false;
  var saving = false;
  var closed = false;
  var typingTimer = null;

  function nextSeq() {
    lastSeq = Math.max(Date.now() + serverOffset, lastSeq + 1);
    return lastSeq;
  }

  function collectAnswers() {
    var answers = {};
    new FormData(form).forEach(function (value, name) {
      var match = /^q(\d+)$/.exec(name);
      if (match && typeof value === "string") {
        (answers[match[1]] = answers[match[1]] || []).push(value);
      }
    });
    return answers;
  }

  function showStatus(text, isError) {
    statusBox.textContent = text;
    statusBox.classList.toggle("is-error", Boolean(isError));
  }

  function markQuestion(position) {
    var marked = form.querySelectorAll(".question.has-error");
    Array.prototype.forEach.call(marked, function (box) { box.classList.remove("has-error"); });
    var box = position && document.getElementById("q" + position);
    if (box) { box.classList.add("has-error"); }
  }

  function handleReply(status, data) {
    if (status === 200) {
      markQuestion(null);
      var time = new Date(data.saved_at).toLocaleTimeString(document.documentElement.lang || [], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      showStatus(statusBox.dataset.msgSaved + " " + time, false);
    } else if (status === 409) {
      closed = true;
      showStatus(data.error, true);
      window.location.assign(data.review_url);
    } else if (status === 400 && data.error) {
      markQuestion(data.position);
      showStatus(data.error, true);
    } else {
      throw new Error("autosave failed");
    }
  }

  function save(keepalive) {
    if (!dirty || saving || closed) { return; }
    saving = true;
    dirty = false;
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: Boolean(keepalive),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ seq: nextSeq(), answers: collectAnswers() })
    }).then(function (response) {
      return response.json().then(function (data) { handleReply(response.status, data); });
    }).catch(function () {
      dirty = true;
      showStatus(statusBox.dataset.msgFailed, true);
    }).then(function () {
      saving = false;
    });
  }

  function changed(event) {
    if (!/^q\d+$/.test(event.target.name || "")) { return; }
    dirty = true;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(save, event.type === "input" ? 2000 : 0);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  setInterval(save, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  form.addEventListener("submit", function () { closed = true; });

  var submitButton = document.getElementById("quiz-submit");
  submitButton.addEventListener("click", function (event) {
    var answers = collectAnswers();
    var boxes = form.querySelectorAll(".question:not(.question-description)");
    var unanswered = Array.prototype.filter.call(boxes, function (box) {
      var values = answers[box.id.slice(1)] || [];
      return !values.some(function (value) { return value.trim() !== ""; });
    }).length;
    var question = submitButton.dataset.msgConfirm;
    if (unanswered) { question = submitButton.dataset.msgUnanswered.replace("{n}", unanswered) + " " + question; }
    if (!window.confirm(question)) { event.preventDefault(); }
  });

  var timer = document.getElementById("quiz-timer");
  if (!timer) { return; }
  var deadline = Date.parse(timer.dataset.deadline);
  var left = timer.querySelector(".quiz-timer-left");

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function tick() {
    var ms = deadline - (Date.now() + serverOffset);
    if (ms <= 0) {
      // The server closes the attempt anyway; submitting now saves the last answers.
      left.textContent = timer.dataset.msgUp;
      closed = true;
      form.action = form.dataset.submitUrl;
      form.submit();
      return;
    }
    var seconds = Math.ceil(ms / 1000);
    var hours = Math.floor(seconds / 3600);
    var text = (hours ? hours + ":" + pad(Math.floor(seconds / 60) % 60) : Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
    left.textContent = timer.dataset.msgLeft + " " + text;
    timer.classList.toggle("is-low", seconds <= 120);
    setTimeout(tick, (ms % 1000) || 1000);
  }
  tick();
}());
