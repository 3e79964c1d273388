// observd site live switch: the polling scheduler (the fallback while the stream does not
// deliver: slots, landing.js and charts.js register jobs with state.poll), and what a
// hidden tab or Pause does (stream off, no polling) and undoes (stream back on, every job
// at once, the state.onResume listeners). Runs the 1 s tick that drives polling, the
// reachability watch and the pulse. Part of the site glue (site-state.js lists the files).
(function () {
  'use strict';

  var state = window.observd, S = window.observdSite;

  // ---- polling scheduler (fallback while the stream does not deliver) --------------------
  var jobs = [];
  // fn runs every `everySec` while active and the SSE stream is not live, or while
  // `always()` says the stream does not cover it. Jobs run from one 1 s timer.
  state.poll = function (name, everySec, fn, always) {
    jobs.push({ name: name, every: everySec * 1000, fn: fn, last: Date.now(), always: always || function () { return false; } });
  };
  // force: every job now, active or not, stream or not.
  function runJobs(force) {
    var now = Date.now();
    var live = state.sseLive();
    jobs.forEach(function (j) {
      if (!force && (!state.isActive() || (live && !j.always()) || now - j.last < j.every - 250)) return;
      j.last = now;
      state.requests.polls++;
      j.fn();
    });
  }
  S.runJobs = runJobs;

  // ---- live switch: pause button, hidden tab -------------------------------------------
  var liveListeners = [];
  state.onResume = function (fn) { liveListeners.push(fn); };

  // After Pause or a visibility change: stop everything, or bring the page up to date.
  function applyActivity() {
    if (state.isActive()) {
      if (state.lastUpdateAt) state.lastUpdateAt = Math.max(state.lastUpdateAt, Date.now() - state.interval * 1000);
      if (S.streamIsOff()) {
        S.streamOn();  // slots reload through their `load` trigger
      } else {
        runJobs(true);
      }
      liveListeners.forEach(function (fn) { try { fn(); } catch (e) { /* keep going */ } });
    } else {
      S.resetBackoff();
      S.streamOff();
    }
    state.refresh();
  }
  S.applyActivity = applyActivity;
  document.addEventListener('visibilitychange', applyActivity);

  window.setInterval(function () { runJobs(false); S.watch(); state.refresh(); }, 1000);
  state.refresh();
})();
