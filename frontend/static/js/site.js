// observd site glue, shared by every page (no inline script: the CSP allows only 'self').
// Owns: the header pulse (live / stale / no updates), the SSE-primary / polling-fallback
// policy for htmx partials, pausing while the tab is hidden, and small UX fixes
// (metrics panel keeps its scroll position across swaps). Exposes window.observd for
// the e2e tests and for charts.js.
(function () {
  'use strict';

  var body = document.body;
  var pageInterval = Number(body.getAttribute('data-interval')) || 5; // seconds
  var hasHtmx = typeof window.htmx !== 'undefined';

  var state = {
    page: body.getAttribute('data-page') || '',
    interval: pageInterval,
    sse: { source: null, open: false, openedAt: 0, lastMessageAt: 0, lastByType: {}, messages: {} },
    swaps: { total: 0, byPartial: {}, bySse: 0 },
    requests: { sent: 0, skippedHidden: 0, skippedSse: 0, failed: 0 },
    lastUpdateAt: 0,          // ms, when the last partial (or JSON refresh) arrived
    partialStatus: 'waiting', // ok | stale | down | waiting (from data-status)
    partialStatusText: '',
    updatedAt: '',
    pulse: 'waiting',
    listeners: []
  };
  window.observd = state;

  // ---- pulse ---------------------------------------------------------------------------
  var pulseEl = document.getElementById('pulse');
  var pulseText = document.getElementById('pulse-text');
  var pulseMode = document.getElementById('pulse-mode');
  var pulseLive = document.getElementById('pulse-live');

  function sseIsOpen() {
    var s = state.sse.source;
    return !!(s && s.readyState === 1 && state.sse.open);
  }

  // The stream counts as live while it is open and either just opened or delivered an
  // event recently; a proxy that buffers the stream therefore falls back to polling.
  function sseIsLive(eventName, pollSeconds) {
    if (!sseIsOpen()) return false;
    var now = Date.now();
    var window_ = 2.5 * 1000 * Math.max(pollSeconds || pageInterval, 5);
    var last = eventName ? state.sse.lastByType[eventName] : state.sse.lastMessageAt;
    return (now - state.sse.openedAt) < window_ || (last && (now - last) < window_);
  }

  function setPulse(kind, text) {
    if (!pulseEl) return;
    var changed = state.pulse !== kind;
    state.pulse = kind;
    pulseEl.setAttribute('data-state', kind);
    if (pulseText && pulseText.textContent !== text) pulseText.textContent = text;
    if (pulseMode) {
      var mode = '';
      if (hasHtmx && body.querySelector('[sse-connect]')) mode = sseIsLive() ? 'SSE' : 'polling';
      if (pulseMode.textContent !== mode) pulseMode.textContent = mode;
    }
    if (changed && pulseLive) {
      pulseLive.textContent = kind === 'ok' ? 'Live updates resumed.' : text;
    }
  }

  function secondsAgo(ms) { return Math.max(0, Math.round((Date.now() - ms) / 1000)); }

  function refreshPulse() {
    if (!state.lastUpdateAt) {
      setPulse(state.requests.failed ? 'error' : 'waiting',
               state.requests.failed ? 'Cannot reach observd' : 'Connecting…');
      return;
    }
    var age = secondsAgo(state.lastUpdateAt);
    if (age > 2 * pageInterval && !document.hidden) {
      setPulse('stale', 'No update for ' + age + ' s');
      return;
    }
    if (state.partialStatus === 'stale' || state.partialStatus === 'down') {
      setPulse(state.partialStatus, state.partialStatusText ||
               (state.partialStatus === 'down' ? 'Redis unavailable' : 'Stale data'));
      return;
    }
    setPulse('ok', state.updatedAt ? 'Updated ' + state.updatedAt : 'Updated ' + age + ' s ago');
  }

  // Called for every fresh piece of data (partials here, JSON from landing.js / charts.js).
  function noteUpdate(status, statusText, updatedAt) {
    state.lastUpdateAt = Date.now();
    if (status) state.partialStatus = status;
    if (statusText !== undefined) state.partialStatusText = statusText;
    if (updatedAt) state.updatedAt = updatedAt;
    refreshPulse();
  }
  state.noteUpdate = noteUpdate;
  state.noteFailure = function () { state.requests.failed++; refreshPulse(); };
  state.sseIsLive = sseIsLive;
  state.onVisible = function (fn) { state.listeners.push(fn); };

  window.setInterval(refreshPulse, 1000);

  // ---- htmx glue -----------------------------------------------------------------------
  function pollSlot(elt) {
    return elt && elt.closest ? elt.closest('[data-poll]') : null;
  }

  if (hasHtmx) {
    // A polled slot's first request always goes out. After that, timer-driven requests
    // (htmx passes no triggering event for `load` and `every`) are cancelled while the tab
    // is hidden or while the SSE stream covers this slot; `observd:refresh` always goes.
    document.addEventListener('htmx:beforeRequest', function (evt) {
      var elt = evt.detail && evt.detail.elt;
      if (!elt || !elt.hasAttribute || !elt.hasAttribute('data-poll')) return;
      if (!elt.hasAttribute('data-initialised')) {
        elt.setAttribute('data-initialised', '');
        state.requests.sent++;
        return;
      }
      var cfg = evt.detail.requestConfig || {};
      var trig = cfg.triggeringEvent;
      var explicit = trig && trig.type === 'observd:refresh';
      if (document.hidden && !explicit) {
        evt.preventDefault();
        state.requests.skippedHidden++;
        return;
      }
      // An SSE-triggered refresh right after a swap (e.g. the first tick after connect,
      // just behind the `load` request) would fetch the same data twice.
      if (trig && /^sse:/.test(trig.type) &&
          Date.now() - Number(elt.getAttribute('data-swapped-at') || 0) < 2000) {
        evt.preventDefault();
        state.requests.skippedSse++;
        return;
      }
      if (!trig) {
        var ev = elt.getAttribute('sse-swap') || elt.getAttribute('data-sse-event');
        if (ev && sseIsLive(ev, Number(elt.getAttribute('data-poll')))) {
          evt.preventDefault();
          state.requests.skippedSse++;
          return;
        }
      }
      state.requests.sent++;
    });

    function onSwapped(slot, viaSse) {
      var root = slot.querySelector('[data-status]');
      state.swaps.total++;
      if (viaSse) state.swaps.bySse++;
      var key = slot.id || 'slot';
      state.swaps.byPartial[key] = (state.swaps.byPartial[key] || 0) + 1;
      slot.setAttribute('data-swaps', String(state.swaps.byPartial[key]));
      slot.setAttribute('data-swapped-at', String(Date.now()));
      slot.classList.remove('is-error');
      if (root) {
        noteUpdate(root.getAttribute('data-status') || 'ok',
                   root.getAttribute('data-status-text') || '',
                   root.getAttribute('data-updated') || '');
      } else {
        noteUpdate();
      }
    }

    document.addEventListener('htmx:afterSwap', function (evt) {
      var slot = evt.detail && evt.detail.elt;
      if (slot && slot.hasAttribute && slot.hasAttribute('data-poll')) {
        onSwapped(slot, false);
        restoreScroll(slot);
      }
    });

    document.addEventListener('htmx:sseBeforeMessage', function (evt) {
      var elt = evt.target;
      if (elt && elt.hasAttribute && elt.hasAttribute('data-poll')) {
        saveScroll(elt);
        elt.setAttribute('data-via-sse', '');
      }
    });
    document.addEventListener('htmx:sseMessage', function (evt) {
      var d = evt.detail || {};
      var type = d.type || 'message';
      state.sse.lastMessageAt = Date.now();
      state.sse.lastByType[type] = state.sse.lastMessageAt;
      state.sse.messages[type] = (state.sse.messages[type] || 0) + 1;
      var elt = evt.target;
      if (elt && elt.hasAttribute && elt.hasAttribute('data-via-sse')) {
        elt.removeAttribute('data-via-sse');
        state.swaps.bySse++;
        restoreScroll(elt);
      }
    });
    document.addEventListener('htmx:beforeSwap', function (evt) {
      var elt = evt.detail && evt.detail.elt;
      if (elt && elt.hasAttribute && elt.hasAttribute('data-poll')) saveScroll(elt);
    });

    // Event names the page wants straight from the EventSource (JSON, e.g. `history`).
    var rawSseHandlers = {};
    state.onSse = function (name, fn) {
      (rawSseHandlers[name] = rawSseHandlers[name] || []).push(fn);
      if (state.sse.source) attachRaw(state.sse.source, name);
    };
    var attached = typeof WeakMap === 'function' ? new WeakMap() : null;
    function attachRaw(source, name) {
      var names = attached.get(source);
      if (!names) { names = {}; attached.set(source, names); }
      if (names[name]) return;
      names[name] = true;
      source.addEventListener(name, function (e) {
        state.sse.lastMessageAt = Date.now();
        state.sse.lastByType[name] = state.sse.lastMessageAt;
        state.sse.messages[name] = (state.sse.messages[name] || 0) + 1;
        (rawSseHandlers[name] || []).forEach(function (fn) {
          try { fn(e.data); } catch (err) { /* malformed event: keep the stream */ }
        });
      });
      // Stats/uploads/metrics events also count as "the stream is alive".
      ['stats', 'uploads', 'metrics'].forEach(function (n) {
        if (names['#' + n]) return;
        names['#' + n] = true;
        source.addEventListener(n, function () {
          state.sse.lastMessageAt = Date.now();
          state.sse.lastByType[n] = state.sse.lastMessageAt;
        });
      });
    }

    document.addEventListener('htmx:sseOpen', function (evt) {
      var source = evt.detail && evt.detail.source;
      if (!source) return;
      state.sse.source = source;
      state.sse.open = true;
      state.sse.openedAt = Date.now();
      attachRaw(source, '__observd_keepalive');
      Object.keys(rawSseHandlers).forEach(function (n) { attachRaw(source, n); });
      refreshPulse();
    });
    function sseDown() {
      state.sse.open = !!(state.sse.source && state.sse.source.readyState === 1);
      refreshPulse();
    }
    document.addEventListener('htmx:sseError', sseDown);
    document.addEventListener('htmx:sseClose', sseDown);

    function slotFailed(evt) {
      var slot = evt.detail && evt.detail.elt;
      if (!slot || !slot.hasAttribute || !slot.hasAttribute('data-poll')) return;
      state.requests.failed++;
      slot.classList.add('is-error');
      var placeholder = slot.querySelector('.placeholder');
      if (placeholder) {
        var xhr = evt.detail.xhr;
        placeholder.textContent = xhr && xhr.status
          ? 'Could not load this panel (HTTP ' + xhr.status + '). Retrying…'
          : 'Could not reach observd. Retrying…';
      }
      refreshPulse();
    }
    document.addEventListener('htmx:responseError', slotFailed);
    document.addEventListener('htmx:sendError', slotFailed);
  }

  // ---- metrics panel scroll position -----------------------------------------------------
  var scrollMemo = typeof WeakMap === 'function' ? new WeakMap() : null;
  function saveScroll(slot) {
    var pre = slot.querySelector('pre');
    if (pre && scrollMemo) scrollMemo.set(slot, [pre.scrollTop, pre.scrollLeft]);
  }
  function restoreScroll(slot) {
    var pos = scrollMemo && scrollMemo.get(slot);
    var pre = slot.querySelector('pre');
    if (pos && pre) { pre.scrollTop = pos[0]; pre.scrollLeft = pos[1]; }
  }

  // ---- visibility ------------------------------------------------------------------------
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) return;
    // Give the pulse a fresh grace period instead of flashing "no update for 300 s".
    if (state.lastUpdateAt) state.lastUpdateAt = Math.max(state.lastUpdateAt, Date.now() - pageInterval * 1000);
    if (hasHtmx) {
      Array.prototype.forEach.call(document.querySelectorAll('[data-poll]'), function (slot) {
        window.htmx.trigger(slot, 'observd:refresh');
      });
    }
    state.listeners.forEach(function (fn) { try { fn(); } catch (e) { /* ignore */ } });
    refreshPulse();
  });

  refreshPulse();
})();
