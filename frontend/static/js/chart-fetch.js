// observd chart data: fetching the window's history, the live hour's `?since=` and SSE deltas.
// Called by charts.js; window.observdChartFetch(charts, helpers) -> {load}; sets charts.load
// and charts.applyHistory.
(function () {
  'use strict';

  var site = window.observd, View = window.observdView, D = window.observdData;
  var HISTORY_URL = '/dashboard/api/history';
  var LIVE_HOUR = 3600;          // live ranges up to an hour follow the SSE deltas (1 s points)
  var REFETCH_MS = 60000;        // longer live ranges refetch their window every minute
  var num = D.num;

  window.observdChartFetch = function (charts, helpers) {
    var data = charts.data, history = charts.state;
    var renderAll = helpers.renderAll, renderCache = helpers.renderCache, showEmpty = helpers.showEmpty;

    function liveHour() { var v = View.get(); return v.live && View.RANGES[v.range] <= LIVE_HOUR; }
    function applyHistory(h, full) {
      if (!h || typeof h !== 'object') return;
      D.apply(data, h, full);
      history.lastT = data.points.length ? data.points[data.points.length - 1][0] : null;
      renderAll();
      history.loaded = true;
      history.updates++;
      site.noteUpdate({ now: data.now });
    }
    charts.applyHistory = applyHistory;

    // The URL for the current view: the live hour is the default window (no from/to).
    function windowUrl() {
      if (liveHour()) return HISTORY_URL;
      var b = View.bounds(), from = Math.floor(b[0]), to = Math.ceil(b[1]);
      if (to - from < View.MIN_SPAN) { var mid = (from + to) / 2; from = Math.floor(mid - 30); to = from + View.MIN_SPAN; }
      return HISTORY_URL + '?from=' + from + '&to=' + to;
    }
    var ctl = null, seq = 0, timer = 0;
    function load(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (ctl) { ctl.abort(); history.aborted++; }
        var my = ++seq, url = windowUrl();
        ctl = typeof AbortController === 'function' ? new AbortController() : null;
        history.fetches.push(url);
        if (history.fetches.length > 50) history.fetches.shift();
        history.lastFetchAt = Date.now();
        fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin', signal: ctl ? ctl.signal : undefined })
          .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
          .then(function (h) {
            if (my !== seq) { history.ignored++; return; }
            ctl = null;
            history.answeredAt = num(h && h.now) || site.serverNow();
            applyHistory(h, true);
          })
          .catch(function (e) {
            if (e && e.name === 'AbortError') return;
            if (my !== seq) return;
            ctl = null;
            history.errors++;
            site.noteFailure();
            showEmpty('latency-empty', data.points.length === 0, 'History unavailable — retrying');
          });
      }, delay || 0);
    }
    charts.load = load;

    // `?since=` deltas of the live hour while the stream is not live (site-live.js decides when).
    var deltaInflight = false;
    function pollDelta() {
      if (!liveHour() || deltaInflight || ctl || !history.loaded) return;
      deltaInflight = true;
      history.polls++;
      var my = seq;
      fetch(HISTORY_URL + (history.lastT !== null ? '?since=' + history.lastT : ''), { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
        .then(function (h) { if (my === seq && liveHour()) { history.answeredAt = num(h && h.now) || site.serverNow(); applyHistory(h, false); } })
        .catch(function () { history.errors++; site.noteFailure(); })
        .then(function () { deltaInflight = false; });
    }
    site.onSse('history', function (raw) {
      var h = JSON.parse(raw);
      if (liveHour() && history.loaded && !ctl) { applyHistory(h, false); return; }
      // Another window on screen: the stream's live hour is not its data. Only whether a
      // snapshot exists (the cache ring's hit rate is unknown without one) follows it.
      data.snapshot = h.snapshot || data.snapshot;
      renderCache();
      site.noteUpdate({ now: num(h.now) });
    });
    site.poll('history', 5, pollDelta);
    site.onResume(function () { if (liveHour()) pollDelta(); else if (View.get().live) load(0); });
    // The stream's deltas carry no cache buckets (a window or `?since=` answer does): while
    // the stream feeds the live hour, one `?since=` request a minute, once the server has
    // closed the minute (2 s after its end), brings the cache ring the newest bucket.
    function closedMinute(sec) { return Math.floor((sec - 3) / 60); }
    var askedMinute = null;
    window.setInterval(function () {
      var v = View.get(), m = closedMinute(site.serverNow());
      if (v.live && !liveHour() && site.isActive() && Date.now() - history.lastFetchAt >= REFETCH_MS) load(0);
      if (liveHour() && site.isActive() && site.sseLive() && history.answeredAt !== null &&
          m > closedMinute(history.answeredAt) && m !== askedMinute) { askedMinute = m; pollDelta(); }
    }, 1000);
    site.onTz(function () { renderAll(); });

    return { load: load };
  };
})();
