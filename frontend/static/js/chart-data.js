// observd chart data: reads /dashboard/api/history documents (History API v2: window, step
// buckets, latency_buckets, requests, cache_buckets, uploads, runs, history_since, store,
// open_bucket; the v1 per-minute fields are read when the v2 ones are absent) into one
// plain model, merges the live 1 s deltas, and cuts series to a window. Unknown stays
// null; buckets nobody observed are gaps. Pure functions over the model; window.observdData.
(function () {
  'use strict';

  var num = function (v) { return typeof v === 'number' && isFinite(v) ? v : null; };

  function empty() {
    return {
      now: null, startedAt: null, historySince: null, store: null, window: null, step: 60, openBucket: null,
      points: [], interval: 1, lbuckets: null, requests: [], uploads: [], runs: { succeeded: [], failed: [], running: [] },
      cacheBuckets: [], snapshot: { available: null }, annotations: []  // available: unknown before an answer
    };
  }
  function clean(arr) {
    return (Array.isArray(arr) ? arr : []).filter(function (p) { return Array.isArray(p) && num(p[0]) !== null; })
      .map(function (p) { return [p[0], num(p[1])]; });
  }
  function cleanRows(arr) {
    return (Array.isArray(arr) ? arr : []).filter(function (p) { return Array.isArray(p) && num(p[0]) !== null; })
      .map(function (p) { return p.map(function (v) { return num(v); }); });
  }
  function annotations(list) {
    return (Array.isArray(list) ? list : []).filter(function (a) { return a && num(a.t) !== null; }).map(function (a) {
      return { t: a.t, end: num(a.end), kind: String(a.kind || ''), text: String(a.text || a.kind || '') };
    });
  }

  // full: a whole window (first load, a window fetch); otherwise an SSE/`?since=` delta of
  // the live hour: newer 1 s points are appended, bucket series replaced when present.
  function apply(d, h, full) {
    d.now = num(h.now) || d.now;
    d.startedAt = num(h.started_at);
    if ('history_since' in h) d.historySince = num(h.history_since);
    else if (full) d.historySince = d.startedAt;  // v1: observd's own series begin at its start
    if ('store' in h) d.store = h.store && typeof h.store === 'object' ? h.store : null;
    if (h.window && num(h.window.step)) { d.window = h.window; d.step = h.window.step; } else if (full) { d.window = null; d.step = 60; }

    var pts = clean(h.latency && h.latency.points);
    d.interval = num(h.latency && h.latency.interval_seconds) || 1;
    if (full || !d.points.length) {
      d.points = pts;
    } else {
      var last = d.points[d.points.length - 1][0];
      pts.forEach(function (p) { if (p[0] > last) d.points.push(p); });
      var oldest = d.now - 3600;
      var cut = 0;
      while (cut < d.points.length && d.points[cut][0] < oldest) cut++;
      if (cut) d.points.splice(0, cut);
    }
    if (Array.isArray(h.latency_buckets)) d.lbuckets = cleanRows(h.latency_buckets);
    else if (full) d.lbuckets = null;

    if (Array.isArray(h.requests)) {
      d.requests = clean(h.requests);
      d.uploads = clean(h.uploads);
      var r = h.runs || {};
      d.runs = { succeeded: clean(r.succeeded), failed: clean(r.failed), running: clean(r.running) };
      if ('open_bucket' in h) d.openBucket = num(h.open_bucket);
    } else if (full || 'requests_per_minute' in h) {
      // v1: per-minute series of the live hour; minutes before observd started are unknown.
      d.requests = clean(h.requests_per_minute).map(function (p) {
        return d.startedAt !== null && p[0] + 60 <= d.startedAt ? [p[0], null] : p;
      });
      d.uploads = clean(h.uploads_per_minute);
      var wr = h.workflow_runs_per_minute || {};
      d.runs = { succeeded: clean(wr.succeeded), failed: clean(wr.failed), running: clean(wr.running) };
      d.openBucket = d.now !== null ? Math.floor(d.now / 60) * 60 : null;
    }
    if ('open_bucket' in h) d.openBucket = num(h.open_bucket);
    // [t, hits, misses] of the snapshot cache per bucket (null: not recorded). The stream's
    // deltas do not carry them: a delta leaves them as they are.
    if (Array.isArray(h.cache_buckets)) d.cacheBuckets = cleanRows(h.cache_buckets);
    else if (full) d.cacheBuckets = [];
    d.snapshot = h.snapshot || { available: false };
    if ('annotations' in h || full) d.annotations = annotations(h.annotations);
  }

  // Closed buckets of `series` whose interval overlaps [from, to]: the open (unfinished)
  // bucket is left out; values stay null when unknown.
  function buckets(d, series, from, to) {
    var step = d.step;
    return series.filter(function (p) {
      return p[0] + step > from && p[0] < to && (d.openBucket === null || p[0] < d.openBucket) && p[0] + step <= d.now + 1e-6;
    });
  }
  // Snapshot cache lookups in the closed buckets overlapping [from, to]: the sums over the
  // buckets whose counts are known (a bucket nobody recorded is left out, not read as 0);
  // hits and misses are null when no bucket in the window is known. n: the known buckets.
  function cacheSum(d, from, to) {
    var hits = 0, misses = 0, n = 0;
    buckets(d, d.cacheBuckets, from, to).forEach(function (r) {
      if (typeof r[1] !== 'number' || typeof r[2] !== 'number') return;
      hits += r[1]; misses += r[2]; n++;
    });
    return n ? { hits: hits, misses: misses, n: n } : { hits: null, misses: null, n: 0 };
  }
  // The closed bucket starts in [from, to] the server was expected to send (for gaps).
  function grid(d, from, to) {
    var out = [], step = d.step;
    var end = Math.min(to, d.openBucket !== null ? d.openBucket : Math.floor(d.now / step) * step);
    for (var t = Math.floor(from / step) * step; t < end; t += step) out.push(t);
    return out;
  }
  // Merges consecutive unknown buckets into [t0, t1] spans.
  function spans(starts, step) {
    var out = [];
    starts.forEach(function (t) {
      var last = out[out.length - 1];
      if (last && last[1] >= t) last[1] = t + step; else out.push([t, t + step]);
    });
    return out;
  }

  window.observdData = { num: num, empty: empty, apply: apply, buckets: buckets, cacheSum: cacheSum, grid: grid, spans: spans };
})();
