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
    // Menu groups (<details>): one open at a time; Escape, a click elsewhere or focus leaving the group
    // closes it. Opening and closing themselves need no script.
    var menus = Array.prototype.slice.call(document.querySelectorAll("[data-nav-menu]"));
    function closeMenus(except) {
      menus.forEach(function (m) { if (m !== except) { m.removeAttribute("open"); } });
    }
    menus.forEach(function (menu) {
      menu.addEventListener("toggle", function () { if (menu.open) { closeMenus(menu); } });
      menu.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && menu.open) {
          menu.removeAttribute("open");
          menu.querySelector("summary").focus();
        }
      });
      menu.addEventListener("focusout", function (e) {
        if (e.relatedTarget && !menu.contains(e.relatedTarget)) { menu.removeAttribute("open"); }
      });
    });
    document.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest("[data-nav-menu]")) { closeMenus(null); }
    });
    // Job progress: elements with data-job-status poll the status URL and update the page until done or failed.
    var STATES = { queued: "排队中", running: "进行中", done: "已完成", failed: "失败" };
    document.querySelectorAll("[data-job-status]").forEach(function (box) {
      var url = box.getAttribute("data-job-status");
      function el(sel) { return box.querySelector(sel); }
      function poll() {
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (job) {
          var finished = job.status === "done" || job.status === "failed";
          if (el("progress")) { el("progress").value = job.progress; }
          if (el(".job-percent")) { el(".job-percent").textContent = job.progress + "%"; }
          if (el(".job-state-tag")) { el(".job-state-tag").textContent = STATES[job.status] || job.status; }
          if (el(".job-message")) { el(".job-message").textContent = finished ? "" : (job.message || ""); }
          box.className = box.className.replace(/\bjob-(queued|running|done|failed)\b/, "job-" + job.status);
          if (el(".job-hint")) { el(".job-hint").hidden = finished; }
          if (el(".job-done")) { el(".job-done").hidden = job.status !== "done"; }
          if (el(".job-failed")) { el(".job-failed").hidden = job.status !== "failed"; }
          if (job.status === "done" && el(".job-download") && job.download_url) {
            el(".job-download").href = job.download_url; el(".job-download").hidden = false;
          }
          if (!finished) { setTimeout(poll, 1000); }
        }).catch(function () { setTimeout(poll, 3000); });
      }
      poll();
    });
    // Pages waiting for a result (data-reload-after="seconds") reload themselves, unless the user is typing.
    document.querySelectorAll("[data-reload-after]").forEach(function (box) {
      var seconds = parseInt(box.getAttribute("data-reload-after"), 10) || 5;
      var edited = false;
      document.addEventListener("input", function () { edited = true; });
      setInterval(function () {
        var a = document.activeElement;
        var typing = a && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName);
        if (!edited && !typing) { window.location.reload(); }
      }, seconds * 1000);
    });
    // A sticky submit bar never covers the field being typed in: scroll the field clear of it.
    document.addEventListener("focusin", function (e) {
      var field = e.target;
      if (!field || !/^(INPUT|TEXTAREA|SELECT)$/.test(field.tagName)) { return; }
      setTimeout(function () {
        var r = field.getBoundingClientRect();
        var cover = window.innerHeight;
        document.querySelectorAll(".sticky-submit, .sticky-actions, .apply-form .btn-block").forEach(function (bar) {
          if (bar.contains(field)) { return; }
          var b = bar.getBoundingClientRect();
          if (b.height && b.top < cover && b.bottom >= window.innerHeight - 2) { cover = b.top; }
        });
        if (r.bottom > cover - 8) { window.scrollBy(0, r.bottom - cover + 16); }
      }, 50);
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
