// hedgelab dashboard: slider read-outs, starting a run, polling its progress, cancelling it.
"use strict";

document.querySelectorAll('input[type="range"][data-path]').forEach(function (slider) {
  var out = document.querySelector('output[data-path="' + slider.dataset.path + '"]');
  slider.addEventListener("input", function () { out.textContent = slider.value; });
});

var job = document.getElementById("job");
var form = document.getElementById("run-form");

function showErrors(lines) {
  var box = document.getElementById("job-errors");
  box.textContent = (lines || []).join("\n");
  box.hidden = !(lines && lines.length);
}

function follow(state) {
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var cancel = document.getElementById("cancel");
  if (state.status === "running") {
    bar.hidden = false; cancel.hidden = false;
    bar.value = state.total ? state.done / state.total : 0;
    status.textContent = "running: " + state.phase + " " + state.done + " / " + state.total;
    job.dataset.running = "1";
    setTimeout(function () {
      fetch("/api/job").then(function (r) { return r.json(); }).then(follow);
    }, 250);
    return;
  }
  bar.hidden = true; cancel.hidden = true; delete job.dataset.running;
  if (state.status === "done") { window.location.reload(); return; }
  status.textContent = state.status === "none" ? "" : "last run " + state.status;
  showErrors(state.errors);
}

if (form && job) {
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showErrors([]);
    document.getElementById("job-status").textContent = "starting";
    fetch(form.dataset.action, {method: "POST", body: new FormData(form)})
      .then(function (r) { return r.json(); }).then(follow);
  });
  document.getElementById("cancel").addEventListener("click", function () {
    fetch("/api/job/cancel", {method: "POST"});
  });
  if (job.dataset.running) {
    fetch("/api/job").then(function (r) { return r.json(); }).then(follow);
  }
}
