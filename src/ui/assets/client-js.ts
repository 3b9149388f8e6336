// The console's one script (served at /ui/assets/ui.js, no inline scripts): draws every
// <canvas data-chart> with Chart.js, asks data-confirm forms for confirmation, and refreshes
// [data-poll] regions in place (live progress without a reload).
export const CLIENT_JS = `(function () {
  "use strict";
  function initCharts(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (el) {
      if (Chart.getChart(el)) return;
      var cfg = JSON.parse(el.getAttribute("data-chart"));
      cfg.options = cfg.options || {};
      cfg.options.maintainAspectRatio = false;
      cfg.options.animation = false;
      new Chart(el, cfg);
    });
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
  function poll(el) {
    var url = el.getAttribute("data-poll");
    var ms = Number(el.getAttribute("data-poll-ms")) || 2000;
    function tick() {
      fetch(url, { headers: { accept: "text/html" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })
        .then(function (html) {
          el.innerHTML = html;
          el.removeAttribute("data-poll-error");
          initCharts(el);
          if (!el.querySelector("[data-final]")) setTimeout(tick, ms);
        })
        .catch(function () { el.setAttribute("data-poll-error", "live updates paused, retrying"); setTimeout(tick, ms * 3); });
    }
    if (!el.querySelector("[data-final]")) setTimeout(tick, ms);
  }
  document.querySelectorAll("[data-poll]").forEach(poll);
  initCharts(document);
})();
`;
