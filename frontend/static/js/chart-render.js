// observd chart rendering: turns the data model (chart-data.js) and the shared window
// (chart-view.js) into the charts' datasets, the "no data" and failed-PING spans the
// overlay draws, the figures, legends (min/mean/max/last over the visible window),
// annotation lists, table views, "History since" and the store's state; the cache ring
// through chart-cache.js. Called by charts.js;
// window.observdChartRender(charts, helpers) -> {renderAll, renderCache, ...}.
(function () {
  'use strict';

  var T = window.observdTime, View = window.observdView, D = window.observdData, L = window.observdLegend;
  var KIND = { restart: 'observd restart', reload: 'configuration reload', redis_down: 'Redis down', store: 'history store' };

  window.observdChartRender = function (charts, h) {
    var data = charts.data, ov = charts.overlay;
    var latency = charts.latency, runs = charts.runs, traffic = charts.traffic, cache = charts.cache;
    var fmtMs = h.fmtMs, count = h.count;
    var renderCache = window.observdCacheRing(charts, h);  // chart-cache.js
    function $(id) { return document.getElementById(id); }

    function visible() { return View.bounds(data.now); }
    function setX(c, b) { c.options.scales.x.min = b[0] * 1000; c.options.scales.x.max = b[1] * 1000; c.options.scales.x.title.text = 'Time (' + T.zone(b[0]) + ')'; }
    function sinceSpan(b) {
      // Before history_since observd's own series do not exist: "no data", hatched.
      var s = data.historySince;
      return s !== null && s > b[0] ? [[b[0], Math.min(s, b[1]), 'no data before ' + T.stamp(s, true)]] : [];
    }
    function pointsMode(b) {
      return !data.lbuckets || (b[1] - b[0] <= 3600 && b[0] >= data.now - 3600 - 1 && data.points.length > 0);
    }
    // A robust top for the latency axis: a slow first PING must not flatten the hour.
    function latencyTop(values) {
      if (values.length < 5) return null;
      var sorted = values.slice().sort(function (a, b) { return a - b; });
      var p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
      var max = sorted[sorted.length - 1];
      return max > 3 * p99 && p99 > 0 ? niceCeil(p99 * 1.5) : null;
    }
    function niceCeil(v) {
      var p = Math.pow(10, Math.floor(Math.log10(v)));
      var steps = [1, 2, 2.5, 5, 10];
      for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
      return 10 * p;
    }

    // ---- latency ---------------------------------------------------------------------------
    var latencyRows = [];
    function renderLatency(b) {
      var mode = pointsMode(b), step = data.step;
      var line = [], failed = [], clipped = [], slowest = [], failSpans = [], gaps = [], rows = [];
      var values = [], failedCount = 0, samples = 0, lastV = null, minV = null, maxV = null, sum = 0, weight = 0;
      if (mode) {
        var pts = data.points.filter(function (p) { return p[0] >= b[0] && p[0] <= b[1]; });
        var gapAfter = 2.5 * data.interval, prev = null;
        var first = pts.length ? pts[0][0] : b[1], lastT = pts.length ? pts[pts.length - 1][0] : b[1];
        if (first - b[0] > gapAfter) gaps.push([b[0], first]);
        if (Math.min(b[1], data.now) - lastT > gapAfter) gaps.push([lastT + data.interval, Math.min(b[1], data.now)]);
        pts.forEach(function (p) {
          if (prev !== null && p[0] - prev > gapAfter) { line.push({ x: (prev + data.interval) * 1000, y: null }); gaps.push([prev + data.interval, p[0]]); }
          prev = p[0];
          if (p[1] !== null) values.push(p[1]);
        });
        var top = latencyTop(values);
        pts.forEach(function (p) {
          var x = p[0] * 1000;
          rows.push([T.stamp(p[0], h.withDate(), true), p[1] === null ? 'PING failed' : fmtMs(p[1])]);
          if (p[1] === null) {
            line.push({ x: x, y: null, t: p[0] }); failed.push({ x: x, y: 0.94, t: p[0] }); failSpans.push([p[0], p[0] + data.interval]); failedCount++; return;
          }
          samples++; lastV = p[1]; sum += p[1]; weight++;
          if (minV === null || p[1] < minV) minV = p[1];
          if (maxV === null || p[1] > maxV) maxV = p[1];
          if (top !== null && p[1] > top) { line.push({ x: x, y: top, t: p[0] }); clipped.push({ x: x, y: top, real: p[1], t: p[0] }); return; }
          line.push({ x: x, y: p[1], t: p[0] });
        });
        line.sort(function (a, c) { return a.x - c.x; });
        latency.options.scales.y.max = top === null ? undefined : top;
      } else {
        var have = {};
        (data.lbuckets || []).forEach(function (r) { have[r[0]] = r; });
        var missing = [];
        D.grid(data, b[0], b[1]).forEach(function (t) {
          var r = have[t], x = (t + step / 2) * 1000;
          if (!r) { missing.push(t); line.push({ x: x, y: null, t: t }); slowest.push({ x: x, y: null, t: t }); return; }
          var n = r[1] || 0, f = r[2] || 0, mean = r[4], ok = Math.max(0, n - f);
          rows.push([T.interval(t, t + step, h.withDate()), count(n), count(f), fmtMs(r[3]), fmtMs(mean), fmtMs(r[5]), fmtMs(r[6])]);
          line.push({ x: x, y: mean, t: t });
          slowest.push({ x: x, y: r[5], t: t });
          if (f > 0) { failed.push({ x: x, y: 0.94, t: t, failed: f, samples: n }); failSpans.push([t, t + step]); failedCount += f; }
          if (mean !== null) { lastV = mean; sum += mean * ok; weight += ok; samples += ok; }
          if (r[3] !== null && (minV === null || r[3] < minV)) minV = r[3];
          if (r[5] !== null && (maxV === null || r[5] > maxV)) maxV = r[5];
        });
        gaps = D.spans(missing, step);
        latency.options.scales.y.max = undefined;
      }
      latency.$observd.bucketed = !mode;
      latency.$observd.failures = failSpans;
      var since = data.historySince === null ? -Infinity : data.historySince;
      latency.$observd.noData = sinceSpan(b).concat(gaps.filter(function (g) { return g[1] > since; }).map(function (g) {
        return [Math.max(g[0], since), g[1], 'not observed'];
      }));
      latency.data.datasets[0].data = line;
      latency.data.datasets[1].data = failed;
      latency.data.datasets[2].data = clipped;
      latency.data.datasets[3].data = slowest;
      setX(latency, b);
      latency.update('none');

      var mean = weight ? sum / weight : null;
      var any = samples + failedCount > 0;
      showEmptyLatency(any);
      h.setText('latency-figure', !any ? '—' : mode ? (data.points.length && data.points[data.points.length - 1][1] === null ? 'PING failed' : fmtMs(lastV) + ' ms') : fmtMs(lastV) + ' ms mean');
      h.setText('latency-note', clipped.length ? clipped.length + ' slow PING' + (clipped.length > 1 ? 's' : '') +
        ' above the scale (max ' + fmtMs(maxV) + ' ms), marked ▲' : '');
      h.setText('latency-mode', mode ? 'Each point is one PING (1 s).' : 'Each point is the mean of a ' + h.stepText(step) + ' bucket; the dashed line its slowest PING.');
      h.setText('latency-summary-text', !any ? 'No latency samples in this window.'
        : View.describe() + ': ' + count(samples) + ' PINGs answered, minimum ' + fmtMs(minV) + ' ms, mean ' + fmtMs(mean) +
          ' ms, maximum ' + fmtMs(maxV) + ' ms; ' + count(failedCount) + ' failed.');
      L.legend($('latency-legend'), 'Redis PING latency over the visible window', [
        { key: 'min', label: 'Min' }, { key: 'mean', label: 'Mean' }, { key: 'max', label: 'Max' }, { key: 'last', label: 'Last' }, { key: 'n', label: 'Count' }
      ], [
        { key: 'latency', label: 'PING round trip (ms)', swatch: 'line', values: { min: fmtMs(minV), mean: fmtMs(mean), max: fmtMs(maxV), last: fmtMs(lastV), n: count(any ? samples : null) } },
        { key: 'failed', label: 'Failed PINGs (✕, red columns)', swatch: 'bad', values: { min: '', mean: '', max: '', last: '', n: count(any ? failedCount : null) } }
      ]);
      latencyRows = rows;
      L.setTable('latency', function () {
        return { caption: 'Redis latency, ' + View.describe() + ', times in ' + T.zone(), rows: latencyRows.slice().reverse(),
                 head: mode ? ['Time', 'Latency (ms)'] : ['Interval', 'PINGs', 'Failed', 'Min (ms)', 'Mean (ms)', 'Max (ms)', 'p99 (ms)'] };
      });
    }
    function showEmptyLatency(any) {
      h.showEmpty('latency-empty', !any, data.snapshot.available ? 'No samples in this window' : 'No samples yet');
    }

    // ---- bucket series (runs, traffic) --------------------------------------------------------
    function bucketPoints(series, b) {
      var step = data.step;
      return D.buckets(data, series, b[0], b[1]).map(function (p) { return { x: (p[0] + step / 2) * 1000, y: p[1], t: p[0] }; });
    }
    function statsOf(points, b) {
      return L.stats(points.filter(function (p) { return p.t + data.step > b[0] && p.t < b[1]; }).map(function (p) { return [p.t, p.y]; }));
    }
    var COUNT_COLS = [{ key: 'min', label: 'Min' }, { key: 'mean', label: 'Mean' }, { key: 'max', label: 'Max' }, { key: 'last', label: 'Last' }, { key: 'total', label: 'Total' }];
    function countRow(key, label, swatch, s) {
      return { key: key, label: label, swatch: swatch, values: { min: count(s.min), mean: s.mean === null ? '—' : fmt(s.mean), max: count(s.max), last: count(s.last), total: count(s.total) } };
    }
    function fmt(v) { return v < 10 ? (Math.round(v * 10) / 10).toString() : count(Math.round(v)); }
    function unknownSpans(sets, b) {
      // Buckets where every series of the chart is unknown: hatched ("unknown"), not empty.
      var starts = [];
      if (!sets.length || !sets[0].length) return [];
      sets[0].forEach(function (p, i) { if (sets.every(function (s) { return !s[i] || s[i].y === null; })) starts.push(p.t); });
      return D.spans(starts, data.step).filter(function (s) { return s[0] >= b[0] - data.step; }).map(function (s) { return [s[0], s[1], 'unknown']; });
    }
    function intervalRows(sets) {
      return (sets[0] || []).map(function (p, i) {
        return [T.interval(p.t, p.t + data.step, h.withDate())].concat(sets.map(function (s) { return count(s[i] ? s[i].y : null); }));
      }).reverse();
    }
    var per = function () { return 'per ' + h.stepText(data.step) + ' bucket'; };

    var AREA_OVER = 240;
    function runStyle(ds, area, i) {
      if (area === (ds.type === 'line')) return;
      if (area) {
        ds.type = 'line'; ds.stepped = 'middle'; ds.fill = i === 0 ? 'origin' : '-1'; ds.pointRadius = 0; ds.pointHoverRadius = 3;
        ds.borderWidth = 1; ds.borderColor = ds.backgroundColor; ds.spanGaps = false; ds.tension = 0;
      } else {
        delete ds.type; delete ds.stepped; delete ds.fill; ds.borderWidth = 0;
      }
    }
    function renderRuns(b) {
      var sets = h.RUN_KEYS.map(function (k) { return bucketPoints(data.runs[k] || [], b); });
      var st = sets.map(function (s) { return statsOf(s, b); });
      // Hundreds of bars cost Chromium ~0.4 s a draw (one fill per bar): a long window draws
      // the same buckets as stacked steps (edges at the bucket bounds), a short one as bars.
      var area = sets[0].length > AREA_OVER;
      sets.forEach(function (s, i) { runStyle(runs.data.datasets[i], area, i); runs.data.datasets[i].data = s; });
      runs.$observd.area = area;
      runs.$observd.noData = unknownSpans(sets, b);
      setX(runs, b);
      runs.update('none');
      var anyKnown = st.some(function (s) { return s.n > 0; });
      var none = anyKnown && st.every(function (s) { return !s.total; });
      h.showEmpty('runs-empty', !anyKnown || none, anyKnown ? 'No workflow runs in this window' : 'No run data: Redis has not answered yet');
      h.setText('runs-figure', anyKnown ? count(st[0].total) + ' ok · ' + count(st[1].total) + ' failed · ' + count(st[2].total) + ' still running, ' + View.describe() : '—');
      h.setText('runs-unit', 'Runs started ' + per() + '.');
      L.legend($('runs-legend'), 'Workflow runs started ' + per() + ', visible window', COUNT_COLS,
        h.RUN_KEYS.map(function (k, i) { return countRow(k, h.RUN_LABELS[k], ['ok', 'bad', 'info'][i], st[i]); }));
      L.setTable('runs', function () {
        return { caption: 'Workflow runs started ' + per() + ', ' + View.describe() + ', times in ' + T.zone(),
                 head: ['Interval', 'Succeeded', 'Failed', 'Started, still running'], rows: intervalRows(sets) };
      });
    }

    function renderTraffic(b) {
      var r = bucketPoints(data.requests, b), u = bucketPoints(data.uploads, b);
      var rs = statsOf(r, b), us = statsOf(u, b);
      traffic.data.datasets[0].data = r;
      traffic.data.datasets[1].data = u;
      traffic.$observd.noData = sinceSpan(b);
      setX(traffic, b);
      traffic.update('none');
      h.showEmpty('traffic-empty', !rs.n && !us.n, 'No complete bucket recorded in this window');
      h.setText('traffic-figure', count(rs.total) + ' HTTP requests · ' + count(us.total) + ' uploads, ' + View.describe());
      h.setText('traffic-unit', 'Counts ' + per() + '.');
      h.setText('traffic-summary-text', View.describe() + ': ' + count(rs.total) + ' HTTP requests to observd and ' + count(us.total) +
        ' uploads' + (us.n ? '' : ' (upload counts unknown: no snapshot from Redis)') + '.');
      L.legend($('traffic-legend'), 'Traffic ' + per() + ', visible window', COUNT_COLS,
        [countRow('requests', 'HTTP requests to observd', 'line', rs), countRow('uploads', 'Uploads (application)', 'warn', us)]);
      L.setTable('traffic', function () {
        return { caption: 'Traffic ' + per() + ', ' + View.describe() + ', times in ' + T.zone(), head: ['Interval', 'HTTP requests', 'Uploads'], rows: intervalRows([r, u]) };
      });
    }

    // ---- annotations, history since, store ------------------------------------------------------
    function annotationLabel(a) {
      var end = a.end !== null ? a.end : a.kind === 'redis_down' ? null : undefined;
      var when = end === undefined ? T.stamp(a.t, h.withDate()) : end === null ? 'since ' + T.stamp(a.t, h.withDate()) : T.interval(a.t, end, h.withDate());
      return (KIND[a.kind] || a.kind) + ', ' + when;
    }
    function renderAnnotations(b) {
      var items = [];
      data.annotations.forEach(function (a, i) {
        var end = a.end !== null ? a.end : a.kind === 'redis_down' ? data.now : a.t;
        if (end >= b[0] && a.t <= b[1]) items.push({ index: i, kind: a.kind, label: annotationLabel(a), text: a.text });
      });
      ['latency', 'runs', 'traffic'].forEach(function (k) { L.annotations($(k + '-events'), items, highlight, T.zone(b[0])); });
    }
    function highlight(i) {
      ov.highlight = i;
      noteAnnotation(i);
      [latency, runs, traffic].forEach(function (c) { c.draw(); });
    }
    function noteAnnotation(i) {
      var a = i === null || i === undefined ? null : data.annotations[i];
      var text = a ? annotationLabel(a) + ' (' + T.zone(a.t) + '): ' + a.text : '';
      ['latency', 'runs', 'traffic'].forEach(function (k) { h.setText(k + '-annotation', text); });
    }
    function renderStatus(b) {
      var s = data.historySince;
      var st = data.store, el = $('store-alert');
      // Memory only is a configuration (history.path empty), said quietly with the start
      // of history; a store that failed is an alert.
      var memory = st && st.state === 'memory';
      h.setText('history-since', s === null ? '' : 'History since ' + T.stamp(s, true) + ' ' + T.zone(s) +
        (memory ? ', in memory only (a restart starts it over)' : '') +
        (s > b[0] ? '; earlier parts of this window are hatched: no data.' : '.'));
      var bad = st && st.state === 'failed';
      if (el) {
        el.hidden = !bad;
        el.setAttribute('data-state', bad ? st.state : 'ok');
        h.setText('store-alert', bad ? 'History is not being kept: ' + (st.message || st.state) : '');
      }
      // CSV links export the window on screen (the live hour is the server's default).
      var v = View.get(), live = v.live && View.RANGES[v.range] <= 3600;
      Array.prototype.forEach.call(document.querySelectorAll('a[data-window-link]'), function (a) {
        var u = new URL(a.getAttribute('href'), window.location.href);
        u.searchParams.delete('from'); u.searchParams.delete('to');
        if (!live) { u.searchParams.set('from', String(Math.floor(b[0]))); u.searchParams.set('to', String(Math.ceil(b[1]))); }
        var href = u.pathname + u.search;
        if (a.getAttribute('href') !== href) a.setAttribute('href', href);
      });
      ['latency', 'runs', 'traffic'].forEach(function (k) {
        var c = $('chart-' + k);
        if (c) c.setAttribute('aria-label', c.getAttribute('data-label') + ', ' + View.describe() + ' (times in ' + T.zone() + ')');
      });
    }

    function renderAll() {
      var b = visible();
      renderLatency(b);
      renderRuns(b);
      renderTraffic(b);
      renderCache(b);
      renderAnnotations(b);
      renderStatus(b);
      View.show();
    }
    function recolor() {
      var p = h.pal();
      latency.data.datasets[0].borderColor = latency.data.datasets[3].borderColor = p.line;
      latency.data.datasets[0].backgroundColor = p.fill;
      latency.data.datasets[1].borderColor = latency.data.datasets[1].backgroundColor = p.bad;
      latency.data.datasets[2].borderColor = latency.data.datasets[2].backgroundColor = p.warn;
      cache.data.datasets[0].backgroundColor = [p.ok, p.warn];
      cache.data.datasets[0].borderColor = p.surface;
      runs.data.datasets[0].backgroundColor = runs.data.datasets[0].borderColor = p.ok;
      runs.data.datasets[1].backgroundColor = runs.data.datasets[1].borderColor = p.bad;
      runs.data.datasets[2].backgroundColor = runs.data.datasets[2].borderColor = p.info;
      traffic.data.datasets[0].borderColor = traffic.data.datasets[0].backgroundColor = p.line;
      traffic.data.datasets[1].borderColor = traffic.data.datasets[1].backgroundColor = p.warn;
    }
    ['latency', 'runs', 'traffic'].forEach(function (k) { L.tableView(k, $(k + '-table-toggle'), $(k + '-data')); });

    return { renderAll: renderAll, renderCache: renderCache, noteAnnotation: noteAnnotation, recolor: recolor };
  };
})();
