// observd site freshness: how current the page is (live / stale / unreachable / paused /
// waiting, judged on the server's clock; `body[data-freshness]`), said by the header pulse
// (with the update mode: SSE or polling) and, when the values may be out of date, the page
// alert. Every piece of fresh data lands in noteUpdate, every failed request in
// noteFailure. Part of the site glue (site-state.js lists the files).
(function () {
  'use strict';

  var state = window.observd, S = window.observdSite;
  var body = document.body;
  var reach = state.reach;

  var pulseEl = document.getElementById('pulse');
  var pulseText = document.getElementById('pulse-text');
  var pulseMode = document.getElementById('pulse-mode');
  var pulseLive = document.getElementById('pulse-live');
  var alertEl = document.getElementById('page-alert');

  function setText(el, text) { if (el && el.textContent !== text) el.textContent = text; }

  function computeFreshness() {
    if (state.paused) return 'paused';
    if (reach.since !== null) return 'unreachable';
    if (!state.lastUpdateAt) return state.requests.failed ? 'unreachable' : 'waiting';
    if (document.hidden) return 'live';
    var age = (Date.now() - state.lastUpdateAt) / 1000;
    if (age <= 2.5 * state.interval) return 'live';
    return state.lastFailureAt > state.lastUpdateAt ? 'unreachable' : 'stale';
  }

  function pulseFor(fresh) {
    var since = state.dataTime ? state.clock(state.dataTime, true, true) : '';
    if (fresh === 'paused') return ['paused', since ? 'Paused · data from ' + since : 'Paused'];
    if (fresh === 'waiting') return ['waiting', 'Connecting…'];
    if (fresh === 'unreachable') return ['error', 'observd unreachable' + S.unreachableSince() + (since ? ' · data from ' + since : '')];
    if (fresh === 'stale') return ['stale', 'No update for ' + Math.round((Date.now() - state.lastUpdateAt) / 1000) + ' s'];
    if (state.dataStatus === 'down' || state.dataStatus === 'stale') {
      return [state.dataStatus, state.dataStatusText || (state.dataStatus === 'down' ? 'Redis unavailable' : 'Stale data')];
    }
    return ['ok', since ? 'Updated ' + since : 'Live'];
  }

  function refresh() {
    var fresh = computeFreshness();
    state.freshness = fresh;
    body.setAttribute('data-freshness', fresh);
    state.mode = state.paused ? 'paused' : document.hidden ? 'hidden' : state.sseLive() ? 'sse' : (window.htmx ? 'polling' : '');
    var p = pulseFor(fresh);
    if (pulseEl) {
      var changed = pulseEl.getAttribute('data-state') !== p[0];
      pulseEl.setAttribute('data-state', p[0]);
      setText(pulseText, p[1]);
      setText(pulseMode, fresh === 'live' && state.mode !== 'hidden' ? state.mode.toUpperCase() : '');
      if (changed && pulseLive) setText(pulseLive, p[0] === 'ok' ? 'Live updates resumed.' : p[1]);
    }
    if (alertEl) {
      var show = fresh === 'unreachable' || fresh === 'stale';
      alertEl.hidden = !show;
      if (show) {
        var since = state.dataTime ? state.clock(state.dataTime, true, true) : 'earlier';
        setText(alertEl, fresh === 'unreachable'
          ? 'observd unreachable' + S.unreachableSince() + '. Its health is unknown; the other values below are from ' + since + '. Retrying…'
          : 'No update for a while. The values below are from ' + since + ' and may be out of date. Retrying…');
      }
    }
  }
  state.refresh = refresh;

  // Every fresh piece of data (partial swap, JSON from landing.js / charts.js) lands here.
  // info: {status, statusText, now (server unix seconds of the data)}
  state.noteUpdate = function (info) {
    info = info || {};
    S.heard();
    state.lastUpdateAt = Date.now();
    if (info.now) { state.noteServerTime(info.now); state.dataTime = info.now; } else { state.dataTime = state.serverNow(); }
    if (info.status) state.dataStatus = info.status;
    if (info.statusText !== undefined) state.dataStatusText = info.statusText;
    refresh();
  };
  state.noteFailure = function () { state.requests.failed++; state.lastFailureAt = Date.now(); S.suspect(); refresh(); };
})();
