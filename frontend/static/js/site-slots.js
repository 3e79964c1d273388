// observd site slots: the htmx partial slots (`[data-poll]`). Partials have
// `hx-trigger="load, observd:poll"`: they load once, and this file fires `observd:poll`
// on a slot only while the stream is not delivering (a job of site-live.js's scheduler).
// Counts swaps (by SSE or by request) for freshness and the tests, holds a swap back while
// the viewer selects text in the slot, says when a slot failed, keeps a filtered slot's
// form in the URL with its CSV link, and keeps the metrics panel's scroll position across
// swaps. Part of the site glue (site-state.js lists the files).
(function () {
  'use strict';

  var state = window.observd, S = window.observdSite;
  var htmx = window.htmx;

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
    S.relabelClocks(slot);
    var now = root ? Number(root.getAttribute('data-now')) : NaN;
    state.noteUpdate(root ? { status: root.getAttribute('data-status') || 'ok',
                              statusText: root.getAttribute('data-status-text') || '',
                              now: isFinite(now) && now > 0 ? now : null } : {});
  }

  if (htmx) {
    var slots = Array.prototype.slice.call(document.querySelectorAll('[data-poll]'));
    slots.forEach(function (slot) {
      var filtered = setUpFilter(slot);
      state.poll(slot.id, Number(slot.getAttribute('data-poll')) || state.interval, function () {
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
      if (xhr && xhr.status > 0 && xhr.status < 500) S.heard();  // 5xx may be a proxy with observd gone
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

    var slotFailed = function (evt) {
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
    };
    document.addEventListener('htmx:responseError', slotFailed);
    document.addEventListener('htmx:sendError', slotFailed);
  }

  // A slot with data-filter="<form id>" sends the form's fields with every request
  // (hx-include); the values live in the URL, so a filtered view can be shared, and the
  // form's CSV link (data-csv-link, data-csv-base) exports what the filter shows.
  // Returns whether the slot is filtered now (a function), or null without a form.
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
})();
