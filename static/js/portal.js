// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var list = document.getElementById("nav-list");
        var open = list.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Job progress: elements with data-job-status poll the status URL and update a <progress>.
    document.querySelectorAll("[data-job-status]").forEach(function (box) {
      var url = box.getAttribute("data-job-status");
      var bar = box.querySelector("progress");
      var label = box.querySelector(".job-message");
      var link = box.querySelector(".job-download");
      var percent = box.querySelector(".job-percent");
      var failed = box.querySelector(".job-failed");
      function poll() {
        fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (job) {
          if (bar) { bar.value = job.progress; }
          if (percent) { percent.textContent = job.progress + "%"; }
          if (label) { label.textContent = job.message || ({ queued: "排队中", running: "进行中", done: "已完成", failed: "失败" })[job.status]; }
          if (job.status === "done") {
            if (label) { label.textContent = "已完成"; }
            if (link && job.download_url) { link.href = job.download_url; link.hidden = false; }
          } else if (job.status === "failed") {
            if (failed) { failed.hidden = false; }
          } else {
            setTimeout(poll, 1000);
          }
        }).catch(function () { setTimeout(poll, 3000); });
      }
      poll();
    });
    // Confirmation for dangerous actions.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); }
      });
    });
    // Print buttons.
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
