// observd site glue, shared by every page (no inline script: the CSP allows only 'self').
// Owns: the live-update policy (SSE primary, polling fallback, both paused while the tab
// is hidden or the viewer pressed Pause; stream reconnects back off), page freshness
// (live / stale / unreachable, from the server's clock), whether observd itself answers
// (reachability: a dead server is named within ~5 s and its health claims become
// unknown), the header pulse, the local/UTC switch and the URL state (`?live=0`, and
// whatever charts.js keeps there). Exposes window.observd for charts.js, landing.js and
// the e2e tests.
//
// SSE, the way htmx-ext-sse 2.x documents it: `sse-connect` opens the stream, `sse-swap`
// swaps named events, and the extension's events tell us its state: `htmx:sseOpen` (open),
// `htmx:sseError` (failed: this file closes it and reconnects with backoff), `htmx:sseClose`.
// Partials have `hx-trigger="load, observd:poll"`: they load once, and this file fires
// `observd:poll` on a slot only while the stream is not delivering (the polling fallback).
(function () {
  'use strict';

  var body = document.body;
  var interval = Number(body.getAttribute('data-interval')) || 5; // seconds
  var htmx = window.htmx;
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
    tz: readTz()
  };
  window.observd = state;

  // ---- clock and time zone ---------------------------------------------------------------
  function readTz() {
    try { return window.localStorage.getItem('observd.tz') === 'local' ? 'local' : 'utc'; } catch (e) { return 'utc'; }
  }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  // The zone a time is shown in, named so a reader never guesses: "UTC", or the browser's
  // offset at that instant ("UTC+05:30", "UTC−03:00"; daylight saving included).
  state.zone = function (sec) {
    if (state.tz === 'utc') return 'UTC';
    var off = -new Date((sec || Date.now() / 1000) * 1000).getTimezoneOffset();
    var a = Math.abs(off);
    return 'UTC' + (off < 0 ? '\u2212' : '+') + pad(Math.floor(a / 60)) + ':' + pad(a % 60);
  };
  // "14:05" / "14:05:09"; UTC or the browser's zone. `suffix` adds the zone's name.
  state.clock = function (sec, seconds, suffix) {
    var d = new Date(sec * 1000);
    var utc = state.tz === 'utc';
    var s = pad(utc ? d.getUTCHours() : d.getHours()) + ':' + pad(utc ? d.getUTCMinutes() : d.getMinutes());
    if (seconds) s += ':' + pad(utc ? d.getUTCSeconds() : d.getSeconds());
    return suffix ? s + ' ' + state.zone(sec) : s;
  };
  // "2026-12-02 14:05:09 UTC+05:30": a full timestamp (table tooltips).
  state.dateTime = function (sec) {
    var d = new Date(sec * 1000);
    var utc = state.tz === 'utc';
    return (utc ? d.getUTCFullYear() : d.getFullYear()) + '-' + pad((utc ? d.getUTCMonth() : d.getMonth()) + 1) + '-' +
      pad(utc ? d.getUTCDate() : d.getDate()) + ' ' + state.clock(sec, true, true);
  };
  state.tzLabel = function () { return state.tz === 'utc' ? 'UTC' : 'local time (' + state.zone() + ')'; };
  // Server time in unix seconds: every freshness claim is made on the server's clock.
  state.serverNow = function () {
    return (Date.now() + (state.serverOffsetMs === null ? 0 : state.serverOffsetMs)) / 1000;
  };
  state.noteServerTime = function (sec) {
    if (typeof sec === 'number' && isFinite(sec) && sec > 0) state.serverOffsetMs = sec * 1000 - Date.now();
  };
  var tzListeners = [];
  state.onTz = function (fn) { tzListeners.push(fn); };
  // Server-rendered times: `data-clock` elements show the time, `data-clock-title` ones
  // (relative ages in tables) carry the full timestamp in their tooltip; both in the
  // chosen zone, named.
  function relabelClocks(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('time[data-clock], time[data-clock-title]'), function (t) {
      var sec = Date.parse(t.getAttribute('datetime')) / 1000;
      if (!isFinite(sec)) return;
      if (t.hasAttribute('data-clock')) t.textContent = state.clock(sec, true, true);
      if (t.hasAttribute('data-clock-title')) t.title = state.dateTime(sec);
    });
  }
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
      relabelClocks();
      tzListeners.forEach(function (fn) { fn(state.tz); });
      if (reach.since !== null) wipeClaims();  // a re-render must not bring claims back
      refresh();
    });
  }

  // ---- URL state (shareable views) -------------------------------------------------------
  state.param = function (name) { return new URLSearchParams(window.location.search).get(name); };
  state.setParam = function (name, value, dflt) {
    var p = new URLSearchParams(window.location.search);
    if (value === dflt || value === null) p.delete(name); else p.set(name, value);
    var q = p.toString();
    window.history.replaceState(null, '', window.location.pathname + (q ? '?' + q : '') + window.location.hash);
  };

  // ---- freshness and pulse ---------------------------------------------------------------
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
    if (age <= 2.5 * interval) return 'live';
    return state.lastFailureAt > state.lastUpdateAt ? 'unreachable' : 'stale';
  }

  function pulseFor(fresh) {
    var since = state.dataTime ? state.clock(state.dataTime, true, true) : '';
    if (fresh === 'paused') return ['paused', since ? 'Paused · data from ' + since : 'Paused'];
    if (fresh === 'waiting') return ['waiting', 'Connecting…'];
    if (fresh === 'unreachable') return ['error', 'observd unreachable' + unreachableSince() + (since ? ' · data from ' + since : '')];
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
    state.mode = state.paused ? 'paused' : document.hidden ? 'hidden' : sseLive() ? 'sse' : (htmx ? 'polling' : '');
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
          ? 'observd unreachable' + unreachableSince() + '. Its health is unknown; the other values below are from ' + since + '. Retrying…'
          : 'No update for a while. The values below are from ' + since + ' and may be out of date. Retrying…');
      }
    }
  }
  state.refresh = refresh;

  // Every fresh piece of data (partial swap, JSON from landing.js / charts.js) lands here.
  // info: {status, statusText, now (server unix seconds of the data)}
  function noteUpdate(info) {
    info = info || {};
    heard();
    state.lastUpdateAt = Date.now();
    if (info.now) { state.noteServerTime(info.now); state.dataTime = info.now; } else { state.dataTime = state.serverNow(); }
    if (info.status) state.dataStatus = info.status;
    if (info.statusText !== undefined) state.dataStatusText = info.statusText;
    refresh();
  }
  state.noteUpdate = noteUpdate;
  state.noteFailure = function () { state.requests.failed++; state.lastFailureAt = Date.now(); suspect(); refresh(); };

  // ---- reachability: does observd itself answer? ----------------------------------------
  // Anything from the server (a swap, an SSE event, JSON, a probe) counts as heard. After a
  // failure (stream error, failed request), or when nothing was heard for QUIET_MS (the
  // stream may be blocked; polls may be 10 s apart), one GET /-/healthy with a timeout
  // decides. If it fails, the page says "observd unreachable since <first failure>" at
  // once and every health claim of the dead server ([data-claim], the panel figures,
  // card severities) becomes unknown. About 5 s after a death whether or not the stream
  // works, and no extra request while the server keeps talking.
  var QUIET_MS = 5000;         // no open stream: polls alone may be 10 s apart
  var QUIET_STREAM_MS = 7000;  // open stream: a tick comes every 5 s (a death closes it at once)
  var PROBE_TIMEOUT_MS = 3000;
  var RETRY_MS = 1500;         // at most one probe per failure burst
  var reach = { heardAt: Date.now(), firstFailAt: null, since: null, probing: false, probeAt: 0, probes: 0, failedProbes: 0 };
  state.reach = reach;
  var reachListeners = [];
  state.onReachability = function (fn) { reachListeners.push(fn); };  // fn(reachable)

  function unreachableSince() { return reach.since !== null ? ' since ' + state.clock(reach.since, true, true) : ''; }
  function heard() {
    reach.heardAt = Date.now();
    reach.firstFailAt = null;
    if (reach.since !== null) recovered();
  }
  function suspect() {
    if (reach.firstFailAt === null) reach.firstFailAt = Date.now();
    watch();
  }
  function watch() {
    if (!state.isActive() || reach.probing) return;
    var now = Date.now();
    var quiet = state.sse.open ? QUIET_STREAM_MS : QUIET_MS;
    var due = reach.since !== null ? now - reach.probeAt >= QUIET_MS
      : reach.firstFailAt !== null ? now - reach.probeAt >= RETRY_MS
        : now - reach.heardAt >= quiet && now - reach.probeAt >= quiet;
    if (due) probe();
  }
  function probe() {
    reach.probing = true;
    reach.probeAt = Date.now();
    reach.probes++;
    var ctl = new AbortController();
    var timer = window.setTimeout(function () { ctl.abort(); }, PROBE_TIMEOUT_MS);
    fetch('/-/healthy', { cache: 'no-store', credentials: 'same-origin', signal: ctl.signal })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        var date = Date.parse(r.headers.get('Date') || '');
        if (date) state.noteServerTime(date / 1000);
        heard();
      })
      .catch(function () { reach.failedProbes++; if (reach.firstFailAt === null) reach.firstFailAt = reach.probeAt; unreachable(); })
      .then(function () { window.clearTimeout(timer); reach.probing = false; refresh(); });
  }
  function unreachable() {
    if (reach.since !== null) return;
    reach.since = (reach.firstFailAt + (state.serverOffsetMs || 0)) / 1000;  // server clock
    wipeClaims();
    reachListeners.forEach(function (fn) { try { fn(false); } catch (e) { /* keep going */ } });
  }
  function recovered() {
    reach.since = null;
    reachListeners.forEach(function (fn) { try { fn(true); } catch (e) { /* keep going */ } });
    // Fresh values at once; the stream reconnects now instead of at its backoff.
    if (sseEl && !sseEl.hasAttribute('sse-connect') && state.isActive()) {
      resetBackoff();
      streamOn();
    } else {
      runJobs(true);
    }
  }
  // A dead server's health claims are not shown greyed: they are replaced by "unknown"
  // (the attribute's value, or "—"). The next answer from the server brings values back.
  function wipeClaims() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-claim], .panel-figure'), function (el) {
      el.textContent = el.getAttribute('data-claim') || '\u2014';
      el.classList.remove('fact-ok', 'fact-warn', 'fact-bad');
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-severity]'), function (el) { el.setAttribute('data-severity', 'unknown'); });
    Array.prototype.forEach.call(document.querySelectorAll('.banner'), function (el) { el.remove(); });
  }

  // ---- live switch: pause button, hidden tab -------------------------------------------
  var liveListeners = [];
  state.onResume = function (fn) { liveListeners.push(fn); };
  state.isActive = function () { return !state.paused && !document.hidden; };

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
      showPause();
      applyActivity();
    });
  }

  // ---- polling scheduler (fallback while the stream does not deliver) --------------------
  var jobs = [];
  // fn runs every `everySec` while active and the SSE stream is not live, or while
  // `always()` says the stream does not cover it. Jobs run from one 1 s timer.
  state.poll = function (name, everySec, fn, always) {
    jobs.push({ name: name, every: everySec * 1000, fn: fn, last: Date.now(), always: always || function () { return false; } });
  };
  function runJobs(force) {
    var now = Date.now();
    var live = sseLive();
    jobs.forEach(function (j) {
      if (!force && (!state.isActive() || (live && !j.always()) || now - j.last < j.every - 250)) return;
      j.last = now;
      state.requests.polls++;
      j.fn();
    });
  }
  window.setInterval(function () { runJobs(false); watch(); refresh(); }, 1000);

  // ---- htmx partial slots ---------------------------------------------------------------
  var sseEl = document.querySelector('[sse-connect]');
  var sseUrl = sseEl ? sseEl.getAttribute('sse-connect') : '';
  var source = null;
  var rawHandlers = {};
  // The stream counts as live while open and either just opened or delivering events
  // (the server sends at least a `tick` every interval); a buffering proxy falls back.
  function sseLive() {
    if (!source || source.readyState !== 1 || !state.sse.open) return false;
    var now = Date.now();
    var grace = 2.5 * 1000 * interval;
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

  function slotOf(elt) { return elt && elt.closest ? elt.closest('[data-poll]') : null; }

  function selectionInside(slot) {
    var sel = window.getSelection && window.getSelection();
    return !!(sel && !sel.isCollapsed && sel.rangeCount && slot.contains(sel.getRangeAt(0).commonAncestorContainer));
  }
  // A swap is held back while the viewer selects text in the slot, and a slot with
  // data-min-interval (the metrics panel: 10 s) is not replaced more often than that.
  function holdSwap(slot) {
    var min = Number(slot.getAttribute('data-min-interval') || 0) * 1000;
    var last = Number(slot.getAttribute('data-swapped-at') || 0);
    return selectionInside(slot) || (min && Date.now() - last < min - 500);
  }

  function afterSwap(slot, viaSse) {
    var root = slot.querySelector('[data-status]');
    state.swaps.total++;
    if (viaSse) state.swaps.bySse++;
    var key = slot.id || 'slot';
    state.swaps.byPartial[key] = (state.swaps.byPartial[key] || 0) + 1;
    slot.setAttribute('data-swaps', String(state.swaps.byPartial[key]));
    slot.setAttribute('data-swapped-at', String(Date.now()));
    slot.classList.remove('is-error');
    relabelClocks(slot);
    var now = root ? Number(root.getAttribute('data-now')) : NaN;
    noteUpdate(root ? { status: root.getAttribute('data-status') || 'ok',
                        statusText: root.getAttribute('data-status-text') || '',
                        now: isFinite(now) && now > 0 ? now : null } : {});
  }

  if (htmx) {
    var slots = Array.prototype.slice.call(document.querySelectorAll('[data-poll]'));
    slots.forEach(function (slot) {
      var filtered = setUpFilter(slot);
      state.poll(slot.id, Number(slot.getAttribute('data-poll')) || interval, function () {
        htmx.trigger(slot, 'observd:poll');
      }, filtered);
    });

    document.addEventListener('htmx:beforeRequest', function (evt) {
      if (slotOf(evt.detail.elt)) state.requests.sent++;
    });
    document.addEventListener('htmx:afterRequest', function (evt) {
      var xhr = evt.detail.xhr;
      var date = xhr && xhr.getResponseHeader && Date.parse(xhr.getResponseHeader('Date') || '');
      if (date && !evt.detail.failed) state.noteServerTime(date / 1000);
      if (xhr && xhr.status > 0 && xhr.status < 500) heard();  // 5xx may be a proxy with observd gone
    });
    document.addEventListener('htmx:beforeSwap', function (evt) {
      var slot = slotOf(evt.detail.elt);
      if (slot && evt.detail.shouldSwap && holdSwap(slot)) { evt.detail.shouldSwap = false; state.swaps.skipped++; }
      if (slot) saveScroll(slot);
    });
    document.addEventListener('htmx:afterSwap', function (evt) {
      var slot = evt.detail.elt;
      if (slot && slot.hasAttribute && slot.hasAttribute('data-poll')) { afterSwap(slot, false); restoreScroll(slot); }
    });
    document.addEventListener('htmx:sseBeforeMessage', function (evt) {
      var slot = slotOf(evt.target);
      if (!slot) return;
      // The stream carries the unfiltered table: a filtered slot is polled instead.
      if (holdSwap(slot) || (slot.__filtered && slot.__filtered())) { evt.preventDefault(); state.swaps.skipped++; return; }
      saveScroll(slot);
    });
    document.addEventListener('htmx:sseMessage', function (evt) {
      var slot = slotOf(evt.target);
      if (slot) { afterSwap(slot, true); restoreScroll(slot); }
    });

    function onEvent(name) {
      return function (e) {
        state.sse.lastEventAt = Date.now();
        heard();
        state.sse.messages[name] = (state.sse.messages[name] || 0) + 1;
        (rawHandlers[name] || []).forEach(function (fn) {
          try { fn(e.data); } catch (err) { /* a malformed event must not end the stream */ }
        });
        if (name === 'tick') {
          try { state.noteServerTime(JSON.parse(e.data).now); } catch (err) { /* ignore */ }
        }
      };
    }
    document.addEventListener('htmx:sseOpen', function (evt) {
      source = evt.detail.source;
      state.sse.open = true;
      state.sse.opens++;
      state.sse.openedAt = Date.now();
      resetBackoff();
      heard();
      topics().forEach(function (name) { source.addEventListener(name, onEvent(name)); });
      refresh();
    });
    // The stream failed or ended. Left alone, Chromium retries it every ~3 s forever (and
    // htmx-ext-sse from 0.5 s once closed): close it, drop `sse-connect` (so neither
    // retries; the extension's own timer then finds no attribute) and reconnect with
    // backoff, while polling keeps the page live. Then ask whether observd still answers.
    document.addEventListener('htmx:sseError', function (evt) {
      var s = evt.detail && evt.detail.source;
      state.sse.errors++;
      if (s && s.readyState === 1) { refresh(); return; }
      if (s) s.close();
      streamOff();
      if (state.isActive()) scheduleReconnect();
      suspect();
      refresh();
    });
    document.addEventListener('htmx:sseClose', function () { state.sse.open = false; state.sse.closes++; refresh(); });

    function slotFailed(evt) {
      var slot = slotOf(evt.detail.elt);
      if (!slot) return;
      state.noteFailure();
      slot.classList.add('is-error');
      var placeholder = slot.querySelector('.placeholder');
      if (placeholder) {
        var xhr = evt.detail.xhr;
        placeholder.textContent = xhr && xhr.status
          ? 'Could not load this panel (HTTP ' + xhr.status + '). Retrying…'
          : 'Could not reach observd. Retrying…';
      }
    }
    document.addEventListener('htmx:responseError', slotFailed);
    document.addEventListener('htmx:sendError', slotFailed);
  }

  // A slot with data-filter="<form id>" sends the form's fields with every request
  // (hx-include); the values live in the URL, so a filtered view can be shared.
  function setUpFilter(slot) {
    var form = document.getElementById(slot.getAttribute('data-filter') || '');
    if (!form) return null;
    var fields = Array.prototype.filter.call(form.elements, function (el) { return el.name; });
    var defaults = {};
    fields.forEach(function (el) {
      defaults[el.name] = el.value;
      var v = state.param(el.name);
      if (v !== null) el.value = v;
    });
    var csv = document.getElementById(form.getAttribute('data-csv-link') || '');
    function query() {
      var p = new URLSearchParams();
      fields.forEach(function (el) { if (el.value !== defaults[el.name]) p.set(el.name, el.value); });
      return p.toString();
    }
    function showCsv() {
      if (csv) { var q = query(); csv.href = form.getAttribute('data-csv-base') + (q ? '?' + q : ''); }
    }
    var timer = 0;
    function changed() {
      fields.forEach(function (el) { state.setParam(el.name, el.value, defaults[el.name]); });
      showCsv();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { htmx.trigger(slot, 'observd:poll'); }, 250);
    }
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    form.addEventListener('submit', function (e) { e.preventDefault(); changed(); });
    showCsv();
    slot.__filtered = function () { return query() !== ''; };
    return slot.__filtered;
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

  function applyActivity() {
    if (state.isActive()) {
      if (state.lastUpdateAt) state.lastUpdateAt = Math.max(state.lastUpdateAt, Date.now() - interval * 1000);
      if (sseEl && !sseEl.hasAttribute('sse-connect')) {
        streamOn();  // slots reload through their `load` trigger
      } else {
        runJobs(true);
      }
      liveListeners.forEach(function (fn) { try { fn(); } catch (e) { /* keep going */ } });
    } else {
      resetBackoff();
      streamOff();
    }
    refresh();
  }
  document.addEventListener('visibilitychange', applyActivity);

  // ---- metrics panel scroll position -----------------------------------------------------
  var scrollMemo = new WeakMap();
  function saveScroll(slot) {
    var pre = slot.querySelector('pre');
    if (pre) scrollMemo.set(slot, [pre.scrollTop, pre.scrollLeft]);
  }
  function restoreScroll(slot) {
    var pos = scrollMemo.get(slot);
    var pre = slot.querySelector('pre');
    if (pos && pre) { pre.scrollTop = pos[0]; pre.scrollLeft = pos[1]; }
  }

  showTz();
  showPause();
  relabelClocks();
  // Paused from the URL, or opened in a background tab: htmx has not processed the page
  // yet (deferred scripts run before DOMContentLoaded), so it never opens the stream.
  if (!state.isActive() && sseEl) sseEl.removeAttribute('sse-connect');
  refresh();
})();
