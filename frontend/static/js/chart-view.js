// observd chart view: which window of time the charts show, shared by every time chart.
// Owns: the live ranges (5 min … 7 days, following now) and absolute windows (from zoom,
// pan, the keyboard buttons or the custom range form; never live), the URL that holds them
// (`?range=6h` for a live range, `?from=&to=` in unix seconds for a window; ISO 8601 is
// accepted too), history entries (pushState per change, back/forward restore the view),
// and the toolbar/status markup of the observability page. Pause freezes a live range
// into its absolute window, so a paused link shows the sender's view, not the receiver's
// now; Resume returns to the range if the window is still that one. window.observdView.
(function () {
  'use strict';

  var site = window.observd, T = window.observdTime;
  if (!site || !T || !document.getElementById('chart-latency')) return;

  var RANGES = { '5m': 300, '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800 };
  var LABELS = { '5m': 'last 5 min', '15m': 'last 15 min', '1h': 'last hour', '6h': 'last 6 hours', '24h': 'last 24 hours', '7d': 'last 7 days' };
  var MIN_SPAN = 60, MAX_SPAN = 90 * 86400;  // what /dashboard/api/history accepts
  var DEFAULT = '1h';
  var listeners = [];
  var view;  // {live: true, range} or {live: false, from, to}

  function $(id) { return document.getElementById(id); }
  function parseTime(v) {
    if (v === null || v === '') return null;
    if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
    var ms = Date.parse(v);
    return isFinite(ms) ? ms / 1000 : null;
  }
  function fromUrl() {
    var p = new URLSearchParams(window.location.search);
    var f = parseTime(p.get('from')), t = parseTime(p.get('to'));
    if (f !== null && t !== null && t - f >= MIN_SPAN && t - f <= MAX_SPAN) return { live: false, from: f, to: t };
    var r = p.get('range');
    return { live: true, range: RANGES[r] ? r : DEFAULT };
  }
  function toUrl(v, push) {
    var p = new URLSearchParams(window.location.search);
    ['range', 'from', 'to'].forEach(function (k) { p.delete(k); });
    if (v.live && v.range !== DEFAULT) p.set('range', v.range);
    if (!v.live) { p.set('from', String(Math.floor(v.from))); p.set('to', String(Math.ceil(v.to))); }
    var q = p.toString();
    var next = window.location.pathname + (q ? '?' + q : '') + window.location.hash;
    if (next === window.location.pathname + window.location.search + window.location.hash) return;
    window.history[push ? 'pushState' : 'replaceState'](null, '', next);
  }

  // [from, to] in unix seconds; a live range ends at `now` (server clock).
  function bounds(now) {
    if (!view.live) return [view.from, view.to];
    var n = now === undefined ? site.serverNow() : now;
    return [n - RANGES[view.range], n];
  }
  function span() { var b = bounds(0); return b[1] - b[0]; }
  function describe() {
    if (view.live) return LABELS[view.range];
    var withDate = true;
    return T.stamp(view.from, withDate) + ' – ' + T.stamp(view.to, withDate);
  }
  function set(v, how) {
    if (!v.live) {
      var s = Math.min(MAX_SPAN, Math.max(MIN_SPAN, v.to - v.from));
      var mid = (v.from + v.to) / 2;
      v = { live: false, from: mid - s / 2, to: mid + s / 2 };
    }
    var same = view && view.live === v.live && (v.live ? view.range === v.range : view.from === v.from && view.to === v.to);
    view = v;
    if (how !== 'popstate') toUrl(v, how !== 'init' && how !== 'pause' && how !== 'resume');
    show();
    if (!same || how === 'popstate') listeners.forEach(function (fn) { fn(view, how); });
  }

  // ---- markup -----------------------------------------------------------------------------
  function show() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-range]'), function (b) {
      b.setAttribute('aria-pressed', view.live && b.getAttribute('data-range') === view.range ? 'true' : 'false');
    });
    var custom = $('range-custom-toggle');
    if (custom) custom.setAttribute('data-active', view.live ? 'false' : 'true');  // aria-expanded says the form's state
    var status = $('view-status');
    if (status) status.setAttribute('data-live', view.live ? 'true' : 'false');
    setText('view-mode', view.live ? 'Live' : 'Not live');
    setText('view-window', view.live ? describe() + ', following now' : describe() + ' (' + T.zone(view.from) + '); not updated');
    var back = $('view-live');
    if (back) back.hidden = view.live;
    Array.prototype.forEach.call(document.querySelectorAll('[data-range-label]'), function (el) {
      el.textContent = view.live ? LABELS[view.range] : 'selected window';
    });
    setText('range-zone', 'Times in ' + T.zone());
  }
  function setText(id, text) { var el = $(id); if (el && el.textContent !== text) el.textContent = text; }

  Array.prototype.forEach.call(document.querySelectorAll('[data-range]'), function (b) {
    b.addEventListener('click', function () { set({ live: true, range: b.getAttribute('data-range') }, 'range'); });
  });
  var back = $('view-live');
  if (back) back.addEventListener('click', function () { set({ live: true, range: view.live ? view.range : lastLive }, 'live'); });

  // Keyboard (and mouse) equivalents of zoom and pan: halve/double the span, shift by half.
  function nudge(kind, dir) {
    var b = bounds(), s = b[1] - b[0], now = site.serverNow();
    var f = b[0], t = b[1];
    if (kind === 'zoom') { var mid = (f + t) / 2, ns = dir > 0 ? s / 2 : s * 2; f = mid - ns / 2; t = mid + ns / 2; }
    if (kind === 'pan') { f += dir * s / 2; t += dir * s / 2; }
    if (t > now) { f -= t - now; t = now; }
    set({ live: false, from: f, to: t }, kind);
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-nudge]'), function (b) {
    var v = b.getAttribute('data-nudge').split(':');
    b.addEventListener('click', function () { nudge(v[0], Number(v[1])); });
  });

  // ---- custom range form --------------------------------------------------------------------
  var form = $('range-custom'), toggle = $('range-custom-toggle');
  function fillForm() {
    var b = bounds();
    $('range-from').value = T.toInput(b[0]);
    $('range-to').value = T.toInput(b[1]);
  }
  function formError(msg, field) {
    var el = $('range-error');
    el.hidden = !msg;
    el.textContent = msg || '';
    ['range-from', 'range-to'].forEach(function (id) {
      if (msg && (!field || field === id)) $(id).setAttribute('aria-invalid', 'true'); else $(id).removeAttribute('aria-invalid');
    });
    if (msg) $(field || 'range-from').focus();
  }
  if (form && toggle) {
    toggle.addEventListener('click', function () {
      var open = form.hidden;
      form.hidden = !open;
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) { fillForm(); formError(null); $('range-from').focus(); }
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var f = T.fromInput($('range-from').value), t = T.fromInput($('range-to').value);
      if (f === null) return formError('Enter a start date and time.', 'range-from');
      if (t === null) return formError('Enter an end date and time.', 'range-to');
      if (t <= f) return formError('The end must be after the start.', 'range-to');
      if (t - f < MIN_SPAN) return formError('The window must be at least one minute long.', 'range-to');
      if (t - f > MAX_SPAN) return formError('The window can be at most 90 days long.', 'range-from');
      if (f >= site.serverNow()) return formError('The start is in the future.', 'range-from');
      formError(null);
      set({ live: false, from: f, to: t }, 'custom');
    });
  }

  var lastLive = DEFAULT;
  listeners.push(function (v) { if (v.live) lastLive = v.range; });
  var frozen = null;  // the window Pause made of a live range, and that range
  site.onPause(function (paused) {
    if (paused && view.live) {
      var range = view.range, b = bounds();
      set({ live: false, from: b[0], to: b[1] }, 'pause');
      frozen = { range: range, from: view.from, to: view.to };
    } else if (!paused && frozen && !view.live && view.from === frozen.from && view.to === frozen.to) {
      set({ live: true, range: frozen.range }, 'resume');
    }
    if (!paused) frozen = null;
  });
  window.addEventListener('popstate', function () { set(fromUrl(), 'popstate'); });
  site.onTz(function () { show(); if (form && !form.hidden) fillForm(); });

  set(fromUrl(), 'init');
  if (view.live) lastLive = view.range;
  window.observdView = {
    RANGES: RANGES, MIN_SPAN: MIN_SPAN, MAX_SPAN: MAX_SPAN,
    get: function () { return view; },
    bounds: bounds, span: span, describe: describe, show: show,
    // how: 'zoom' | 'pan' | 'range' | 'custom' | 'live' | 'pause' | 'resume' | 'popstate' | 'init'
    set: set,
    onChange: function (fn) { listeners.push(fn); }
  };
})();
