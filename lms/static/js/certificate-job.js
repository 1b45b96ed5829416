// Certificate bundle page: poll the job's progress and reload when it ends.
// Without JavaScript the page offers a "reload" link instead.
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box || !document.getElementById("job-refresh")) return;
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");

  async function poll() {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    count.textContent = count.textContent.replace(/^\d+\/\d+/, job.done + "/" + job.total);
    if (job.status !== "queued" && job.status !== "running") {
      window.location.reload();
    } else {
      window.setTimeout(poll, 1000);
    }
  }
  window.setTimeout(poll, 1000);
})();
