// Task check: a copy button for the prepared complaint text (the page works without it).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var target = document.querySelector(button.getAttribute("data-copy"));
      if (!target || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.value || target.textContent).then(function () {
          button.textContent = "已复制";
        });
      });
    });
  });
})();
