// observd site glue, shared by every page (no inline script: the CSP allows only 'self').
// Owns: the live-update policy (SSE primary, polling fallback, both paused while the tab
// is hidden or the viewer pressed Pause; stream reconnects back off), page freshness
// (live / stale / unreachable, from the server's clock), whether observd itself answers
// (reachability: a dead server is named within ~5 s and its health claims become
// unknown), the header pulse, the local/UTC switch and the URL state (`?live=0`, and
// whatever charts.js keeps there). Exposes window.observd for charts.js, landing.js and
// the e2e tests.
//
// One concern a file, loaded in this order by every page (the "site" script of
// frontend/tools/assemble-page.mjs):
//   site-state.js      this file: the state record window.observd, the URL state
//   site-clock.js      the server's clock, the chosen time zone, server-rendered times
//   site-reach.js      does observd answer? the /-/healthy probe, "unreachable since"
//   site-freshness.js  live / stale / unreachable / paused, the header pulse, the page alert
//   site-stream.js     the SSE stream: htmx-ext-sse's events, reconnects with backoff
//   site-live.js       the polling scheduler, hidden tab and Pause, the 1 s tick
//   site-controls.js   the header's Pause and UTC/Local buttons
//   site-slots.js      the htmx partial slots: swaps, failures, filters (URL, CSV link)
// They share window.observd (state and the API the other scripts use) and
// window.observdSite (what one site-*.js file calls in another; not an API).
(function () {
  'use strict';

  var body = document.body;
  var interval = Number(body.getAttribute('data-interval')) || 5; // seconds
  var params = new URLSearchParams(window.location.search);

  var state = {
    page: body.getAttribute('data-page') || '',
    interval: interval,
    mode: 'waiting',            // sse | polling | paused | hidden | waiting (pulse badge)
    freshness: 'waiting',       // live | stale | unreachable | paused | waiting
    paused: params.get('live') === '0',
    sse: { open: false, openedAt: 0, lastEventAt: 0, opens: 0, closes: 0, errors: 0, attempts: 1, messages: {},
           backoff: { failures: 0, timer: 0, delays: [] } },
    swaps: { total: 0, bySse: 0, skipped: 0, byPartial: {} },
    requests: { sent: 0, failed: 0, polls: 0 },
    lastUpdateAt: 0,            // client ms of the newest data received
    lastFailureAt: 0,
    dataStatus: 'waiting',      // from the newest partial/JSON: ok | stale | down
    dataStatusText: '',
    serverOffsetMs: null,       // server clock - browser clock
    dataTime: null,             // server unix seconds of the newest data
    tz: 'utc'                   // utc | local (site-clock.js reads the viewer's choice)
  };
  window.observd = state;
  window.observdSite = {};

  // Live: neither paused by the viewer nor in a hidden tab.
  state.isActive = function () { return !state.paused && !document.hidden; };

  // ---- URL state (shareable views) -------------------------------------------------------
  state.param = function (name) { return new URLSearchParams(window.location.search).get(name); };
  state.setParam = function (name, value, dflt) {
    var p = new URLSearchParams(window.location.search);
    if (value === dflt || value === null) p.delete(name); else p.set(name, value);
    var q = p.toString();
    window.history.replaceState(null, '', window.location.pathname + (q ? '?' + q : '') + window.location.hash);
  };
})();
