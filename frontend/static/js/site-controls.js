// observd site controls: the header's two buttons. Pause / Resume stops and restarts live
// updates (kept in the URL as `?live=0`, so a paused view can be shared; the state.onPause
// listeners hear of it first: the charts freeze their window there); UTC / Local
// switches every time on the page between UTC and the browser's zone (kept in
// localStorage) and tells the state.onTz listeners (the charts). Part of the site glue
// (site-state.js lists the files).
(function () {
  'use strict';

  var state = window.observd, S = window.observdSite;

  // ---- UTC / Local -------------------------------------------------------------------------
  var tzListeners = [];
  state.onTz = function (fn) { tzListeners.push(fn); };
  var tzButton = document.getElementById('tz-toggle');
  function showTz() {
    if (!tzButton) return;
    tzButton.textContent = state.tz === 'utc' ? 'UTC' : 'Local';
    tzButton.setAttribute('aria-label', 'Times shown in ' + state.tzLabel() + '; switch');
  }
  if (tzButton) {
    tzButton.addEventListener('click', function () {
      state.tz = state.tz === 'utc' ? 'local' : 'utc';
      try { window.localStorage.setItem('observd.tz', state.tz); } catch (e) { /* private mode */ }
      showTz();
      S.relabelClocks();
      tzListeners.forEach(function (fn) { fn(state.tz); });
      if (state.reach.since !== null) S.wipeClaims();  // a re-render must not bring claims back
      state.refresh();
    });
  }

  // ---- Pause / Resume ----------------------------------------------------------------------
  var pauseListeners = [];
  state.onPause = function (fn) { pauseListeners.push(fn); };
  var pauseButton = document.getElementById('pause-toggle');
  function showPause() {
    if (!pauseButton) return;
    pauseButton.textContent = state.paused ? 'Resume' : 'Pause';
    pauseButton.setAttribute('aria-pressed', state.paused ? 'true' : 'false');
    pauseButton.setAttribute('aria-label', state.paused ? 'Resume live updates' : 'Pause live updates');
  }
  if (pauseButton) {
    pauseButton.addEventListener('click', function () {
      state.paused = !state.paused;
      state.setParam('live', state.paused ? '0' : null, null);
      pauseListeners.forEach(function (fn) { fn(state.paused); });
      showPause();
      S.applyActivity();
    });
  }

  showTz();
  showPause();
})();
