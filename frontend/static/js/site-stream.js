// observd site stream: the SSE connection, the way htmx-ext-sse 2.x documents it:
// `sse-connect` opens the stream, `sse-swap` swaps named events, and the extension's
// events tell us its state: `htmx:sseOpen` (open), `htmx:sseError` (failed: this file
// closes it and reconnects with backoff), `htmx:sseClose`. Whether the stream delivers
// (sseLive) decides whether the slots are polled (site-live.js); raw named events go to
// the handlers of state.onSse (charts.js: `history`). Part of the site glue (site-state.js
// lists the files).
(function () {
  'use strict';

  var state = window.observd, S = window.observdSite;
  var htmx = window.htmx;

  var sseEl = document.querySelector('[sse-connect]');
  var sseUrl = sseEl ? sseEl.getAttribute('sse-connect') : '';
  var source = null;
  var rawHandlers = {};
  // The stream counts as live while open and either just opened or delivering events
  // (the server sends at least a `tick` every interval); a buffering proxy falls back.
  function sseLive() {
    if (!source || source.readyState !== 1 || !state.sse.open) return false;
    var now = Date.now();
    var grace = 2.5 * 1000 * state.interval;
    return now - state.sse.openedAt < grace || now - state.sse.lastEventAt < grace;
  }
  state.sseLive = sseLive;
  state.onSse = function (name, fn) {
    (rawHandlers[name] = rawHandlers[name] || []).push(fn);
  };
  function topics() {
    var names = { tick: true };
    var q = sseUrl.indexOf('?') >= 0 ? new URLSearchParams(sseUrl.slice(sseUrl.indexOf('?') + 1)) : null;
    ((q && q.get('topics')) || '').split(',').forEach(function (t) { if (t) names[t] = true; });
    Object.keys(rawHandlers).forEach(function (t) { names[t] = true; });
    return Object.keys(names);
  }

  if (htmx) {
    var onEvent = function (name) {
      return function (e) {
        state.sse.lastEventAt = Date.now();
        S.heard();
        state.sse.messages[name] = (state.sse.messages[name] || 0) + 1;
        (rawHandlers[name] || []).forEach(function (fn) {
          try { fn(e.data); } catch (err) { /* a malformed event must not end the stream */ }
        });
        if (name === 'tick') {
          try { state.noteServerTime(JSON.parse(e.data).now); } catch (err) { /* ignore */ }
        }
      };
    };
    document.addEventListener('htmx:sseOpen', function (evt) {
      source = evt.detail.source;
      state.sse.open = true;
      state.sse.opens++;
      state.sse.openedAt = Date.now();
      resetBackoff();
      S.heard();
      topics().forEach(function (name) { source.addEventListener(name, onEvent(name)); });
      state.refresh();
    });
    // The stream failed or ended. Left alone, Chromium retries it every ~3 s forever (and
    // htmx-ext-sse from 0.5 s once closed): close it, drop `sse-connect` (so neither
    // retries; the extension's own timer then finds no attribute) and reconnect with
    // backoff, while polling keeps the page live. Then ask whether observd still answers.
    document.addEventListener('htmx:sseError', function (evt) {
      var s = evt.detail && evt.detail.source;
      state.sse.errors++;
      if (s && s.readyState === 1) { state.refresh(); return; }
      if (s) s.close();
      streamOff();
      if (state.isActive()) scheduleReconnect();
      S.suspect();
      state.refresh();
    });
    document.addEventListener('htmx:sseClose', function () { state.sse.open = false; state.sse.closes++; state.refresh(); });
  }

  // Stream on/off. Off: close our EventSource and drop `sse-connect` so htmx forgets it.
  // On: restore the attribute and re-process, which makes the extension connect again;
  // the slots are re-processed too (their `load` trigger fetches them at once).
  function streamOn() {
    if (!htmx || !sseEl || sseEl.hasAttribute('sse-connect')) return;
    window.clearTimeout(state.sse.backoff.timer);
    state.sse.attempts++;
    sseEl.setAttribute('sse-connect', sseUrl);
    var epoch = String(Date.now());
    Array.prototype.forEach.call(sseEl.querySelectorAll('[sse-swap]'), function (el) { el.setAttribute('data-sse-epoch', epoch); });
    htmx.process(sseEl);
  }
  function streamOff() {
    if (!htmx || !sseEl || !sseEl.hasAttribute('sse-connect')) return;
    if (source) source.close();
    source = null;
    state.sse.open = false;
    state.sse.closes++;
    sseEl.removeAttribute('sse-connect');
    htmx.process(sseEl);
  }
  S.streamOn = streamOn;
  S.streamOff = streamOff;
  // The page has a stream and it is off (closed by a failure, a hidden tab or Pause).
  S.streamIsOff = function () { return !!sseEl && !sseEl.hasAttribute('sse-connect'); };
  state.streamConnected = function () { return !!(source && source.readyState !== 2); };

  // Reconnect delays: 1–2 s, 2–4 s, 4–8 s, … then 30–60 s (doubling, with jitter so many
  // viewers do not come back in step); an opened stream resets them.
  var BACKOFF_CAP_S = 60;
  function scheduleReconnect() {
    var b = state.sse.backoff;
    window.clearTimeout(b.timer);
    var ceil = Math.min(BACKOFF_CAP_S, Math.pow(2, b.failures + 1));
    var delay = Math.round((ceil / 2 + Math.random() * ceil / 2) * 1000);
    b.failures++;
    b.delays.push(delay);
    b.timer = window.setTimeout(function () { b.timer = 0; if (state.isActive()) streamOn(); }, delay);
  }
  function resetBackoff() {
    window.clearTimeout(state.sse.backoff.timer);
    state.sse.backoff.timer = 0;
    state.sse.backoff.failures = 0;
  }
  S.resetBackoff = resetBackoff;

  // Paused from the URL, or opened in a background tab: htmx has not processed the page
  // yet (deferred scripts run before DOMContentLoaded), so it never opens the stream.
  if (!state.isActive() && sseEl) sseEl.removeAttribute('sse-connect');
})();
