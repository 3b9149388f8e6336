// The console's one script (served at /ui/assets/ui.js, no inline scripts): draws every
// <canvas data-chart> with Chart.js (with a visible loading and error state), asks data-confirm
// forms for confirmation, marks a submitted form busy so it cannot be sent twice, and refreshes
// [data-poll] regions in place (live progress without a reload), saying so in a live region when
// updates pause and again when they recover.
export const CLIENT_JS = `(function () {
  "use strict";
  function chartState(el, state, text) {
    var box = el.parentNode;
    box.setAttribute("data-chart-state", state);
    var note = box.querySelector(".chart-note");
    if (note) note.textContent = text || "";
  }
  function initCharts(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(function (el) {
      if (typeof Chart === "undefined") {
        chartState(el, "error", "Chart could not be drawn: the chart library did not load. The numbers are in the table.");
        return;
      }
      if (Chart.getChart(el)) return;
      try {
        var cfg = JSON.parse(el.getAttribute("data-chart"));
        cfg.options = cfg.options || {};
        cfg.options.maintainAspectRatio = false;
        cfg.options.animation = false;
        new Chart(el, cfg);
        chartState(el, "ready", "");
      } catch (err) {
        chartState(el, "error", "Chart could not be drawn (" + (err && err.message ? err.message : "error") + "). The numbers are in the table.");
      }
    });
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.getAttribute("aria-busy") === "true") { e.preventDefault(); return; }
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); return; }
    form.setAttribute("aria-busy", "true");
    // Disabled after the browser has read the form: a disabled submitter would drop its own
    // name=value (the feedback form's A/B/tie buttons) from what is sent.
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
        b.disabled = true;
        if (b.getAttribute("data-busy")) b.textContent = b.getAttribute("data-busy");
      });
    }, 0);
  });
  // Back/forward cache: a page shown again must not keep its forms disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[aria-busy=true]").forEach(function (f) {
      f.removeAttribute("aria-busy");
      f.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });
  function status(el, text) {
    var s = el.previousElementSibling;
    if (!s || !s.classList.contains("live-status")) {
      s = document.createElement("div");
      s.className = "live-status";
      s.setAttribute("role", "status");
      s.setAttribute("aria-live", "polite");
      el.parentNode.insertBefore(s, el);
    }
    s.textContent = text;
    s.hidden = !text;
  }
  function poll(el) {
    var url = el.getAttribute("data-poll");
    var ms = Number(el.getAttribute("data-poll-ms")) || 2000;
    var failed = 0;
    function tick() {
      fetch(url, { headers: { accept: "text/html" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })
        .then(function (html) {
          el.innerHTML = html;
          el.removeAttribute("data-poll-error");
          if (failed) status(el, "Live updates resumed.");
          failed = 0;
          initCharts(el);
          if (!el.querySelector("[data-final]")) setTimeout(tick, ms);
        })
        .catch(function (err) {
          failed++;
          el.setAttribute("data-poll-error", "live updates paused, retrying");
          status(el, "Live updates paused (" + (err && err.message ? err.message : "network error") + "); retrying. What you see may be out of date.");
          setTimeout(tick, ms * Math.min(8, 1 + failed));
        });
    }
    if (!el.querySelector("[data-final]")) setTimeout(tick, ms);
  }
  document.querySelectorAll("[data-poll]").forEach(poll);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  else initCharts(document);
})();
`;
