// observd observability charts (Chart.js 4, UMD build, no eval, no inline style).
// Owns: the latency line, cache doughnut, workflow-runs bars and traffic lines; the time
// range (5m / 15m / 1h, kept in the URL as ?range=), the linked crosshair and the
// annotation bands drawn on every time chart. Loads /dashboard/api/history once, then
// merges the SSE `history` event, or polls `?since=` deltas while the stream is not
// live. Unknown is never drawn as 0: nulls are gaps, the unfinished minute is left out.
// Charts are on window.observdCharts; each has a visually-hidden text/table twin.
(function () {
  'use strict';

  var Chart = window.Chart;
  var site = window.observd;
  if (!Chart || !site || !document.getElementById('chart-latency')) return;

  var HISTORY_URL = '/dashboard/api/history';
  var RANGES = { '5m': 300, '15m': 900, '1h': 3600 };
  var TICK_STEP = { '5m': 60, '15m': 180, '1h': 600 };  // seconds between time ticks
  var Y_AXIS_WIDTH = 52;  // every time chart reserves the same width: the x axes line up
  var num = function (v) { return typeof v === 'number' && isFinite(v) ? v : null; };
  var fmtInt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  var darkScheme = window.matchMedia('(prefers-color-scheme: dark)');

  function $(id) { return document.getElementById(id); }
  function setText(id, text) { var el = $(id); if (el && el.textContent !== text) el.textContent = text; }
  function showEmpty(id, empty, text) {
    var el = $(id);
    if (!el) return;
    el.hidden = !empty;
    if (text) setText(id, text);
  }
  function fmtMs(v) { return v === null ? '—' : (v < 10 ? v.toFixed(2) : fmtInt.format(v)); }
  function count(v) { return v === null ? '—' : fmtInt.format(v); }
  function clock(sec, seconds) { return site.clock(sec, seconds, false); }
  function fillRows(tbodyId, rows) {
    var tbody = $(tbodyId);
    if (!tbody) return;
    var frag = document.createDocumentFragment();
    rows.forEach(function (cells) {
      var tr = document.createElement('tr');
      cells.forEach(function (c, i) {
        var cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.setAttribute('scope', 'row');
        cell.textContent = c;
        tr.appendChild(cell);
      });
      frag.appendChild(tr);
    });
    tbody.replaceChildren(frag);
  }

  // ---- state -----------------------------------------------------------------------------
  var range = RANGES[site.param('range')] ? site.param('range') : '1h';
  var data = {
    now: site.serverNow(), latency: [], minutes: { requests: [], uploads: [], runs: {} },
    cache: null, snapshot: { available: false }, annotations: [], startedAt: null
  };
  var history = { loaded: false, updates: 0, polls: 0, errors: 0, lastT: null };

  // ---- look --------------------------------------------------------------------------------
  function palette() {
    var cs = getComputedStyle(document.documentElement);
    function v(name) { return (cs.getPropertyValue(name) || '').trim(); }
    return {
      text: v('--chart-text'), grid: v('--chart-grid'), line: v('--chart-line'), fill: v('--chart-fill'),
      ok: v('--c-ok'), bad: v('--c-bad'), warn: v('--c-warn'), info: v('--c-info'), muted: v('--c-muted'),
      surface: v('--surface'), band: v('--band'), cross: v('--text-2')
    };
  }
  var pal;
  function applyDefaults() {
    pal = palette();
    Chart.defaults.color = pal.text;
    Chart.defaults.borderColor = pal.grid;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.animation = false;  // live data: motion would only blur the values
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.responsive = true;
    Chart.defaults.plugins.legend.labels.boxWidth = 10;
    Chart.defaults.plugins.legend.labels.boxHeight = 10;
  }
  applyDefaults();

  // ---- crosshair and annotations (one plugin, on every time chart) ----------------------
  var crosshair = { x: null, source: null, drawn: {} };  // drawn: canvas id -> x (tests)
  var bandsDrawn = {};                                      // canvas id -> bands (tests)
  var timeCharts = [];
  var overlay = {
    id: 'observdOverlay',
    afterEvent: function (chart, args) {
      var e = args.event;
      if (e.type === 'mouseout') { setCrosshair(null, chart); return; }
      if (e.type !== 'mousemove') return;
      var area = chart.chartArea;
      if (e.x < area.left || e.x > area.right) { setCrosshair(null, chart); return; }
      setCrosshair(chart.scales.x.getValueForPixel(e.x), chart);
    },
    beforeDatasetsDraw: function (chart) {
      var ctx = chart.ctx, area = chart.chartArea, x = chart.scales.x;
      bandsDrawn[chart.canvas.id] = 0;
      ctx.save();
      data.annotations.forEach(function (a) {
        var t0 = num(a.t), t1 = num(a.end);
        if (t0 === null) return;
        var p0 = Math.max(area.left, x.getPixelForValue(t0 * 1000));
        if (t1 !== null || a.kind === 'redis_down') {
          var p1 = Math.min(area.right, x.getPixelForValue((t1 === null ? data.now : t1) * 1000));
          if (p1 <= area.left || p0 >= area.right) return;
          ctx.fillStyle = pal.band;
          ctx.fillRect(p0, area.top, Math.max(2, p1 - p0), area.bottom - area.top);
          bandsDrawn[chart.canvas.id]++;
        } else if (p0 > area.left && p0 < area.right) {
          ctx.strokeStyle = pal.info;
          ctx.setLineDash([4, 3]);
          ctx.beginPath(); ctx.moveTo(p0, area.top); ctx.lineTo(p0, area.bottom); ctx.stroke();
          ctx.setLineDash([]);
        }
      });
      ctx.restore();
    },
    afterDatasetsDraw: function (chart) {
      crosshair.drawn[chart.canvas.id] = null;
      if (crosshair.x === null) return;
      var area = chart.chartArea;
      var px = chart.scales.x.getPixelForValue(crosshair.x);
      if (px < area.left || px > area.right) return;
      crosshair.drawn[chart.canvas.id] = crosshair.x;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = pal.cross;
      ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
      ctx.restore();
    }
  };
  function setCrosshair(x, from) {
    if (crosshair.x === x) return;
    crosshair.x = x;
    crosshair.source = from ? from.canvas.id : null;
    timeCharts.forEach(function (c) { if (c !== from) c.draw(); });
  }

  function timeAxis() {
    return {
      type: 'linear',
      grid: { display: true, drawTicks: false },
      ticks: {
        maxRotation: 0,
        autoSkip: false,
        callback: function (v) { return clock(v / 1000, false); }
      },
      afterBuildTicks: function (axis) {
        // Ticks on whole steps of wall time, identical on every chart.
        var step = TICK_STEP[range] * 1000;
        var ticks = [];
        for (var t = Math.ceil(axis.min / step) * step; t <= axis.max; t += step) ticks.push({ value: t });
        axis.ticks = ticks;
      }
    };
  }
  function yAxis(extra) {
    var y = { beginAtZero: true, ticks: { maxTicksLimit: 5 }, afterFit: function (a) { a.width = Y_AXIS_WIDTH; } };
    Object.keys(extra || {}).forEach(function (k) { y[k] = extra[k]; });
    return y;
  }
  function tooltipTitle(items) {
    return items.length ? clock(items[0].parsed.x / 1000, true) + ' ' + (site.tz === 'utc' ? 'UTC' : '') : '';
  }
  function timeChart(canvas, type, datasets, yExtra, label) {
    var c = new Chart(canvas, {
      type: type,
      data: { datasets: datasets },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'index', axis: 'x', intersect: false },
        scales: { x: timeAxis(), y: yAxis(yExtra) },
        plugins: {
          legend: { display: datasets.length > 1, position: 'bottom' },
          tooltip: { callbacks: { title: tooltipTitle, label: label } }
        }
      },
      plugins: [overlay]
    });
    timeCharts.push(c);
    return c;
  }

  // ---- charts ------------------------------------------------------------------------------
  var latency = timeChart($('chart-latency'), 'line', [{
    label: 'PING latency', data: [], borderColor: pal.line, backgroundColor: pal.fill, borderWidth: 1.5,
    fill: 'origin', pointRadius: 0, pointHoverRadius: 3, tension: 0, spanGaps: false
  }, {
    label: 'PING failed', data: [], showLine: false, pointStyle: 'crossRot', pointRadius: 5,
    borderColor: pal.bad, backgroundColor: pal.bad, borderWidth: 2
  }, {
    label: 'Above the scale', data: [], showLine: false, pointStyle: 'triangle', pointRadius: 5,
    borderColor: pal.warn, backgroundColor: pal.warn, borderWidth: 1
  }], { title: { display: true, text: 'ms' } }, function (item) {
    if (item.datasetIndex === 1) return 'PING failed';
    if (item.datasetIndex === 2) return 'PING ' + fmtMs(item.raw.real) + ' ms (above the scale)';
    return 'PING ' + fmtMs(item.parsed.y) + ' ms';
  });

  function bars(label, color) {
    return { label: label, data: [], backgroundColor: color, borderWidth: 0, barPercentage: 1, categoryPercentage: 0.85, grouped: false };
  }
  var runs = timeChart($('chart-runs'), 'bar', [bars('Succeeded', pal.ok), bars('Failed', pal.bad), bars('Running', pal.info)],
    { stacked: true, ticks: { precision: 0, maxTicksLimit: 5 } },
    function (item) { return item.dataset.label + ': ' + count(item.parsed.y) + ' runs/min'; });
  runs.options.scales.x.stacked = true;

  function lineSet(label, color) {
    return { label: label, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0,
             pointHoverRadius: 3, tension: 0, spanGaps: false, fill: false };
  }
  var traffic = timeChart($('chart-traffic'), 'line', [lineSet('HTTP requests', pal.line), lineSet('Uploads', pal.warn)],
    { ticks: { precision: 0, maxTicksLimit: 5 } },
    function (item) { return item.dataset.label + ': ' + count(item.parsed.y) + ' per min'; });

  var cache = new Chart($('chart-cache'), {
    type: 'doughnut',
    data: { labels: ['Hits', 'Misses'], datasets: [{ data: [0, 0], backgroundColor: [pal.ok, pal.warn], borderColor: pal.surface, borderWidth: 2 }] },
    options: {
      cutout: '68%',
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: function (item) { return item.label + ': ' + count(item.parsed) + ' lookups'; } } }
      }
    }
  });

  var charts = { latency: latency, cache: cache, runs: runs, traffic: traffic, state: history, data: data,
                 crosshair: crosshair, bands: bandsDrawn };
  window.observdCharts = charts;

  // ---- rendering ---------------------------------------------------------------------------
  function windowStart() { return data.now - RANGES[range]; }
  function setX(c) { c.options.scales.x.min = windowStart() * 1000; c.options.scales.x.max = data.now * 1000; }

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

  function renderLatency() {
    var from = windowStart();
    var pts = data.latency.filter(function (p) { return p[0] >= from; });
    var values = pts.map(function (p) { return p[1]; }).filter(function (v) { return v !== null; });
    var top = latencyTop(values);
    var line = [], failed = [], clipped = [];
    pts.forEach(function (p) {
      var x = p[0] * 1000;
      if (p[1] === null) { line.push({ x: x, y: null }); failed.push({ x: x, y: 0 }); return; }
      if (top !== null && p[1] > top) { line.push({ x: x, y: top }); clipped.push({ x: x, y: top, real: p[1] }); return; }
      line.push({ x: x, y: p[1] });
    });
    latency.data.datasets[0].data = line;
    latency.data.datasets[1].data = failed;
    latency.data.datasets[2].data = clipped;
    latency.options.scales.y.max = top === null ? undefined : top;
    setX(latency);
    latency.update('none');

    var sum = values.reduce(function (s, v) { return s + v; }, 0);
    var last = pts.length ? pts[pts.length - 1][1] : null;
    showEmpty('latency-empty', pts.length === 0, data.snapshot.available || pts.length ? 'Collecting samples…' : 'No samples yet');
    setText('latency-figure', pts.length ? (last === null ? 'PING failed' : fmtMs(last) + ' ms') : '—');
    setText('latency-note', clipped.length ? clipped.length + ' slow PING' + (clipped.length > 1 ? 's' : '') +
      ' above the scale (max ' + fmtMs(Math.max.apply(null, values)) + ' ms), marked ▲' : '');
    setText('latency-summary-text', pts.length === 0 ? 'No latency samples yet.'
      : 'Last ' + rangeLabel() + ': ' + values.length + ' samples, minimum ' + fmtMs(values.length ? Math.min.apply(null, values) : null) +
        ' ms, average ' + fmtMs(values.length ? sum / values.length : null) + ' ms, maximum ' +
        fmtMs(values.length ? Math.max.apply(null, values) : null) + ' ms, ' + failed.length + ' failed PINGs.');
    fillRows('latency-table', pts.slice(-10).reverse().map(function (p) {
      return [clock(p[0], true), p[1] === null ? 'PING failed' : fmtMs(p[1])];
    }));
  }

  // Per-minute points inside the range, whole minutes only, centred on their minute;
  // null (unknown) stays null.
  function minutePoints(series) {
    var from = windowStart();
    return (series || []).filter(function (p) { return p[0] + 60 > from && p[0] + 60 <= data.now; })
      .map(function (p) { return { x: (p[0] + 30) * 1000, y: p[1] }; });
  }
  function known(points) { return points.filter(function (p) { return p.y !== null; }); }
  function total(points) { return known(points).reduce(function (s, p) { return s + p.y; }, 0); }

  function renderRuns() {
    var keys = ['succeeded', 'failed', 'running'];
    var anyKnown = false, totals = [];
    keys.forEach(function (k, i) {
      var pts = minutePoints(data.minutes.runs[k]);
      runs.data.datasets[i].data = pts;
      if (known(pts).length) anyKnown = true;
      totals.push(known(pts).length ? total(pts) : null);
    });
    setX(runs);
    runs.update('none');
    var none = anyKnown && totals.every(function (t) { return !t; });
    showEmpty('runs-empty', !anyKnown || none, anyKnown ? 'No workflow runs in this range' : 'No run data: Redis has not answered yet');
    setText('runs-figure', anyKnown ? count(totals[0]) + ' ok · ' + count(totals[1]) + ' failed · ' + count(totals[2]) + ' running' : '—');
    fillRows('runs-table', keys.map(function (k, i) { return [k.charAt(0).toUpperCase() + k.slice(1), count(totals[i])]; }));
  }

  function renderTraffic() {
    var r = minutePoints(data.minutes.requests), u = minutePoints(data.minutes.uploads);
    traffic.data.datasets[0].data = r;
    traffic.data.datasets[1].data = u;
    setX(traffic);
    traffic.update('none');
    var rk = known(r).length, uk = known(u).length;
    showEmpty('traffic-empty', !rk && !uk, 'No complete minute recorded yet');
    var rs = rk ? count(total(r)) : '—', us = uk ? count(total(u)) : '—';
    setText('traffic-figure', rs + ' req · ' + us + ' uploads');
    setText('traffic-summary-text', 'Last ' + rangeLabel() + ': ' + rs + ' HTTP requests and ' + us + ' uploads' +
      (uk ? '' : ' (upload counts unknown: no snapshot from Redis)') + '.');
  }

  function renderCache() {
    var c = data.cache || {};
    var hits = num(c.hits), misses = num(c.misses);
    var totalLookups = (hits || 0) + (misses || 0);
    var knownRatio = data.snapshot.available && totalLookups > 0;
    cache.data.datasets[0].data = knownRatio ? [hits, misses] : [0, 0];
    cache.update('none');
    var pct = knownRatio ? (100 * hits / totalLookups).toFixed(1) + ' %' : '—';
    showEmpty('cache-empty', !knownRatio, totalLookups ? 'No snapshot computed yet' : 'No cache lookups yet');
    setText('cache-figure', knownRatio ? pct + ' hits' : '—');
    setText('cache-hits', hits === null ? '—' : count(hits));
    setText('cache-misses', misses === null ? '—' : count(misses));
    setText('cache-ratio', pct);
  }

  function rangeLabel() { return range === '1h' ? 'hour' : range.replace('m', ' min'); }
  function renderAll() {
    renderLatency();
    renderRuns();
    renderTraffic();
    renderCache();
    Array.prototype.forEach.call(document.querySelectorAll('[data-range-label]'), function (el) {
      el.textContent = rangeLabel();
    });
  }

  // ---- data --------------------------------------------------------------------------------
  function cleanPoints(arr) {
    return (Array.isArray(arr) ? arr : []).filter(function (p) { return Array.isArray(p) && num(p[0]) !== null; })
      .map(function (p) { return [p[0], num(p[1])]; });
  }
  // full=true replaces everything (first load); otherwise latency points newer than the
  // newest we hold are appended (SSE event, `?since=` poll) and the rest is replaced.
  function applyHistory(h, full) {
    if (!h || typeof h !== 'object') return;
    data.now = num(h.now) || site.serverNow();
    var pts = cleanPoints(h.latency && h.latency.points);
    if (full || !data.latency.length) {
      data.latency = pts;
    } else {
      var last = data.latency[data.latency.length - 1][0];
      pts.forEach(function (p) { if (p[0] > last) data.latency.push(p); });
    }
    var oldest = data.now - 3600;
    while (data.latency.length && data.latency[0][0] < oldest) data.latency.shift();
    history.lastT = data.latency.length ? data.latency[data.latency.length - 1][0] : null;
    data.startedAt = num(h.started_at);
    var beforeStart = function (series) {
      // observd's own counts: minutes before it started were not observed (unknown, not 0).
      return cleanPoints(series).map(function (p) { return data.startedAt !== null && p[0] + 60 <= data.startedAt ? [p[0], null] : p; });
    };
    // A delta without per-minute series (no minute completed since the last one) keeps ours.
    if (full || 'requests_per_minute' in h) {
      data.minutes.requests = beforeStart(h.requests_per_minute);
      // Uploads and runs come from Redis: known for minutes before observd started too.
      data.minutes.uploads = cleanPoints(h.uploads_per_minute);
      var wr = h.workflow_runs_per_minute || {};
      data.minutes.runs = {};
      Object.keys(wr).forEach(function (k) { data.minutes.runs[k] = cleanPoints(wr[k]); });
    }
    data.cache = h.cache || null;
    data.snapshot = h.snapshot || { available: false };
    data.annotations = Array.isArray(h.annotations) ? h.annotations : [];
    renderAll();
    history.loaded = true;
    history.updates++;
    site.noteUpdate({ now: data.now });
  }
  charts.applyHistory = applyHistory;

  var inflight = false;
  function fetchHistory(full) {
    if (inflight) return;
    inflight = true;
    var url = HISTORY_URL + (!full && history.lastT !== null ? '?since=' + history.lastT : '');
    if (!full) history.polls++;
    fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (h) { applyHistory(h, full || !history.loaded); })
      .catch(function () {
        history.errors++;
        site.noteFailure();
        showEmpty('latency-empty', data.latency.length === 0, 'History unavailable — retrying');
      })
      .then(function () { inflight = false; });
  }

  site.onSse('history', function (raw) { applyHistory(JSON.parse(raw), false); });
  site.poll('history', 5, function () { fetchHistory(false); });
  site.onResume(function () { fetchHistory(false); });
  site.onTz(function () { renderAll(); });

  // ---- time range ----------------------------------------------------------------------------
  function showRange() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-range]'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-range') === range ? 'true' : 'false');
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-range]'), function (b) {
    b.addEventListener('click', function () {
      range = b.getAttribute('data-range');
      site.setParam('range', range, '1h');
      showRange();
      renderAll();
    });
  });
  charts.range = function () { return range; };
  showRange();

  function restyle() {
    applyDefaults();
    timeCharts.concat([cache]).forEach(function (c) {
      Object.keys(c.options.scales || {}).forEach(function (k) {
        var s = c.options.scales[k];
        if (s.ticks) s.ticks.color = pal.text;
        if (s.grid) s.grid.color = pal.grid;
        if (s.title) s.title.color = pal.text;
      });
      if (c.options.plugins.legend) c.options.plugins.legend.labels.color = pal.text;
    });
    latency.data.datasets[0].borderColor = pal.line;
    latency.data.datasets[0].backgroundColor = pal.fill;
    latency.data.datasets[1].borderColor = latency.data.datasets[1].backgroundColor = pal.bad;
    latency.data.datasets[2].borderColor = latency.data.datasets[2].backgroundColor = pal.warn;
    cache.data.datasets[0].backgroundColor = [pal.ok, pal.warn];
    cache.data.datasets[0].borderColor = pal.surface;
    runs.data.datasets[0].backgroundColor = pal.ok;
    runs.data.datasets[1].backgroundColor = pal.bad;
    runs.data.datasets[2].backgroundColor = pal.info;
    traffic.data.datasets[0].borderColor = traffic.data.datasets[0].backgroundColor = pal.line;
    traffic.data.datasets[1].borderColor = traffic.data.datasets[1].backgroundColor = pal.warn;
    timeCharts.concat([cache]).forEach(function (c) { c.update('none'); });
  }
  if (darkScheme.addEventListener) darkScheme.addEventListener('change', restyle);
  if (reducedMotion.addEventListener) reducedMotion.addEventListener('change', applyDefaults);

  renderAll();
  fetchHistory(true);
})();
