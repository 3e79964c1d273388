// observd observability charts (Chart.js 4, UMD build, no eval, no inline style).
// Owns: the latency line, cache doughnut, workflow-runs stacked bars and traffic lines;
// loads /dashboard/api/history once, then appends from the SSE `history` event, or
// re-polls the history every 5 s while the stream is not live. Charts are exposed on
// window.observdCharts; each has a visually-hidden text/table twin for screen readers.
(function () {
  'use strict';

  var Chart = window.Chart;
  var site = window.observd || {};
  if (!Chart || !document.getElementById('chart-latency')) return;

  var HISTORY_URL = '/dashboard/api/history';
  var POLL_MS = 5000;
  var HOUR = 3600;

  var reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  var darkScheme = window.matchMedia('(prefers-color-scheme: dark)');

  // ---- helpers ---------------------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  function setText(id, text) { var el = $(id); if (el && el.textContent !== text) el.textContent = text; }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function hhmm(sec) { var d = new Date(sec * 1000); return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()); }
  function hhmmss(sec) { var d = new Date(sec * 1000); return hhmm(sec) + ':' + pad(d.getUTCSeconds()); }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function fmtMs(v) { return v === null ? '—' : (v < 10 ? v.toFixed(2) : v.toFixed(1)); }
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
  function showEmpty(id, empty) { var el = $(id); if (el) el.hidden = !empty; }

  function palette() {
    var cs = getComputedStyle(document.documentElement);
    function v(name, fallback) { return (cs.getPropertyValue(name) || '').trim() || fallback; }
    return {
      text: v('--chart-text', '#6b7280'),
      grid: v('--chart-grid', 'rgba(127,127,127,.18)'),
      line: v('--chart-line', '#3b82f6'),
      fill: v('--chart-fill', 'rgba(59,130,246,.12)'),
      ok: v('--c-ok', '#16a34a'),
      bad: v('--c-bad', '#dc2626'),
      warn: v('--c-warn', '#d97706'),
      info: v('--c-info', '#2563eb'),
      muted: v('--c-muted', '#9ca3af'),
      surface: v('--surface', '#ffffff')
    };
  }

  function applyDefaults() {
    var p = palette();
    Chart.defaults.color = p.text;
    Chart.defaults.borderColor = p.grid;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.animation = reducedMotion.matches ? false : { duration: 350 };
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.responsive = true;
    Chart.defaults.plugins.legend.labels.boxWidth = 10;
    Chart.defaults.plugins.legend.labels.boxHeight = 10;
    return p;
  }
  var pal = applyDefaults();

  function timeAxis(minSec, maxSec) {
    return {
      type: 'linear',
      min: minSec * 1000,
      max: maxSec * 1000,
      grid: { display: false },
      ticks: {
        maxRotation: 0,
        autoSkipPadding: 24,
        stepSize: 10 * 60 * 1000,
        callback: function (value) { return hhmm(value / 1000); }
      }
    };
  }

  // ---- charts ----------------------------------------------------------------------------
  var nowSec = Date.now() / 1000;

  var latency = new Chart($('chart-latency'), {
    type: 'line',
    data: {
      datasets: [{
        label: 'PING latency (ms)',
        data: [],
        parsing: false,
        normalized: true,
        borderColor: pal.line,
        backgroundColor: pal.fill,
        borderWidth: 1.5,
        fill: 'origin',
        pointRadius: 0,
        pointHoverRadius: 3,
        tension: 0,
        spanGaps: false
      }, {
        label: 'PING failed',
        data: [],
        parsing: false,
        showLine: false,
        pointStyle: 'crossRot',
        pointRadius: 5,
        borderColor: pal.bad,
        backgroundColor: pal.bad,
        borderWidth: 2
      }]
    },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: timeAxis(nowSec - HOUR, nowSec),
        y: { beginAtZero: true, title: { display: true, text: 'ms' }, ticks: { maxTicksLimit: 5 } }
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: function (items) { return items.length ? hhmmss(items[0].parsed.x / 1000) + ' UTC' : ''; },
            label: function (item) {
              return item.datasetIndex === 1 ? 'PING failed' : fmtMs(item.parsed.y) + ' ms';
            }
          }
        }
      }
    }
  });

  var cache = new Chart($('chart-cache'), {
    type: 'doughnut',
    data: {
      labels: ['Hits', 'Misses'],
      datasets: [{ data: [0, 0], backgroundColor: [pal.ok, pal.warn], borderColor: pal.surface, borderWidth: 2 }]
    },
    options: {
      cutout: '68%',
      plugins: { legend: { position: 'bottom' } }
    }
  });

  function barDataset(label, color) {
    return { label: label, data: [], backgroundColor: color, borderWidth: 0, barPercentage: 1, categoryPercentage: 0.9 };
  }
  var runs = new Chart($('chart-runs'), {
    type: 'bar',
    data: {
      labels: [],
      datasets: [barDataset('Succeeded', pal.ok), barDataset('Failed', pal.bad), barDataset('Running', pal.info)]
    },
    options: {
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0, maxTicksLimit: 5 } }
      },
      plugins: { legend: { position: 'bottom' }, tooltip: { mode: 'index', intersect: false } }
    }
  });

  function trafficDataset(label, color, fill) {
    return {
      label: label, data: [], parsing: false, borderColor: color, backgroundColor: fill,
      borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 3, tension: 0.25, fill: false
    };
  }
  var traffic = new Chart($('chart-traffic'), {
    type: 'line',
    data: { datasets: [trafficDataset('HTTP requests', pal.line, pal.line), trafficDataset('Uploads', pal.warn, pal.warn)] },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: timeAxis(nowSec - HOUR, nowSec),
        y: { beginAtZero: true, ticks: { precision: 0, maxTicksLimit: 5 } }
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { title: function (items) { return items.length ? hhmm(items[0].parsed.x / 1000) + ' UTC' : ''; } } }
      }
    }
  });

  var charts = { latency: latency, cache: cache, runs: runs, traffic: traffic };
  window.observdCharts = charts;

  // ---- data ------------------------------------------------------------------------------
  var latencyPoints = [];  // [sec, ms|null], oldest first
  var history = { loaded: false, updates: 0, lastFetchAt: 0, lastNow: 0, errors: 0 };
  charts.state = history;

  function renderLatency(now) {
    var minSec = now - HOUR;
    while (latencyPoints.length && latencyPoints[0][0] < minSec) latencyPoints.shift();
    var line = [];
    var failed = [];
    var sum = 0, n = 0, min = null, max = null, lastVal = null;
    latencyPoints.forEach(function (p) {
      line.push({ x: p[0] * 1000, y: p[1] });
      if (p[1] === null) {
        failed.push({ x: p[0] * 1000, y: 0 });
      } else {
        sum += p[1]; n++;
        min = min === null ? p[1] : Math.min(min, p[1]);
        max = max === null ? p[1] : Math.max(max, p[1]);
      }
    });
    if (latencyPoints.length) lastVal = latencyPoints[latencyPoints.length - 1][1];
    latency.data.datasets[0].data = line;
    latency.data.datasets[1].data = failed;
    latency.options.scales.x.min = minSec * 1000;
    latency.options.scales.x.max = now * 1000;
    latency.update('none');

    showEmpty('latency-empty', latencyPoints.length === 0);
    setText('latency-figure', lastVal === null ? (latencyPoints.length ? 'PING failed' : '—') : fmtMs(lastVal) + ' ms');
    var summary = latencyPoints.length === 0 ? 'No latency samples yet.'
      : 'Last hour: ' + n + ' samples, minimum ' + fmtMs(min) + ' ms, average ' + fmtMs(n ? sum / n : null) +
        ' ms, maximum ' + fmtMs(max) + ' ms, ' + failed.length + ' failed PINGs. Latest: ' +
        (lastVal === null ? 'failed' : fmtMs(lastVal) + ' ms') + '.';
    setText('latency-summary-text', summary);
    fillRows('latency-table', latencyPoints.slice(-10).reverse().map(function (p) {
      return [hhmmss(p[0]), p[1] === null ? 'PING failed' : fmtMs(p[1])];
    }));
  }

  function renderCache(c) {
    if (!c) return;
    var hits = num(c.hits) || 0, misses = num(c.misses) || 0;
    var ratio = num(c.ratio);
    cache.data.datasets[0].data = [hits, misses];
    cache.update('none');
    var total = hits + misses;
    showEmpty('cache-empty', total === 0);
    var pct = total === 0 ? '—' : ((ratio !== null ? ratio : hits / total) * 100).toFixed(1) + ' %';
    setText('cache-figure', total === 0 ? '—' : pct + ' hits');
    setText('cache-hits', String(hits));
    setText('cache-misses', String(misses));
    setText('cache-ratio', pct);
  }

  function series(arr) { return Array.isArray(arr) ? arr : []; }

  function renderRuns(w) {
    w = w || {};
    var keys = ['succeeded', 'failed', 'running'];
    var base = series(w.succeeded).length ? series(w.succeeded) : (series(w.failed).length ? series(w.failed) : series(w.running));
    runs.data.labels = base.map(function (p) { return hhmm(p[0]); });
    var totals = [];
    var any = false;
    keys.forEach(function (k, i) {
      var byT = {};
      series(w[k]).forEach(function (p) { byT[p[0]] = num(p[1]) || 0; });
      var data = base.map(function (p) { return byT[p[0]] || 0; });
      runs.data.datasets[i].data = data;
      var total = 0, peak = 0, peakT = null;
      data.forEach(function (v, j) { total += v; if (v > peak) { peak = v; peakT = base[j][0]; } });
      if (total > 0) any = true;
      totals.push([k.charAt(0).toUpperCase() + k.slice(1), String(total), peakT === null ? '—' : hhmm(peakT) + ' (' + peak + ')']);
    });
    runs.update('none');
    showEmpty('runs-empty', !any);
    setText('runs-figure', totals.map(function (t) { return t[1]; }).join(' / ') + ' ok/failed/running');
    fillRows('runs-table', totals);
  }

  function renderTraffic(req, up) {
    var r = series(req).map(function (p) { return { x: p[0] * 1000, y: num(p[1]) || 0 }; });
    var u = series(up).map(function (p) { return { x: p[0] * 1000, y: num(p[1]) || 0 }; });
    traffic.data.datasets[0].data = r;
    traffic.data.datasets[1].data = u;
    var now = history.lastNow || Date.now() / 1000;
    traffic.options.scales.x.min = (now - HOUR) * 1000;
    traffic.options.scales.x.max = now * 1000;
    traffic.update('none');
    var sum = function (a) { return a.reduce(function (s, p) { return s + p.y; }, 0); };
    var rs = sum(r), us = sum(u);
    showEmpty('traffic-empty', r.length === 0 && u.length === 0);
    setText('traffic-figure', rs + ' req · ' + us + ' uploads');
    setText('traffic-summary-text', 'Last hour: ' + rs + ' HTTP requests and ' + us + ' uploads' +
      (r.length ? '; latest minute ' + r[r.length - 1].y + ' requests' : '') + '.');
  }

  // full=true: replace everything (GET /dashboard/api/history); false: SSE delta.
  function applyHistory(h, full) {
    if (!h || typeof h !== 'object') return;
    var now = num(h.now) || Date.now() / 1000;
    history.lastNow = now;
    var pts = h.latency && Array.isArray(h.latency.points) ? h.latency.points : [];
    pts = pts.filter(function (p) { return Array.isArray(p) && num(p[0]) !== null; })
             .map(function (p) { return [p[0], num(p[1])]; });
    if (full || !latencyPoints.length) {
      latencyPoints = pts;
    } else {
      var last = latencyPoints[latencyPoints.length - 1][0];
      pts.forEach(function (p) { if (p[0] > last) latencyPoints.push(p); });
    }
    renderLatency(now);
    renderCache(h.cache);
    renderRuns(h.workflow_runs_per_minute);
    renderTraffic(h.requests_per_minute, h.uploads_per_minute);
    history.loaded = true;
    history.updates++;
  }
  charts.applyHistory = applyHistory;

  var inflight = false;
  function fetchHistory() {
    if (inflight) return;
    inflight = true;
    history.lastFetchAt = Date.now();
    fetch(HISTORY_URL, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (h) { applyHistory(h, true); })
      .catch(function () { history.errors++; showEmpty('latency-empty', latencyPoints.length === 0); setText('latency-empty', 'History unavailable — retrying'); })
      .then(function () { inflight = false; });
  }

  if (site.onSse) {
    site.onSse('history', function (data) { applyHistory(JSON.parse(data), false); });
  }

  // Fallback polling: only while the SSE history feed is not live and the tab is visible.
  window.setInterval(function () {
    if (document.hidden) return;
    if (site.sseIsLive && site.sseIsLive('history', 5)) return;
    if (Date.now() - history.lastFetchAt < POLL_MS - 250) return;
    fetchHistory();
  }, 1000);
  if (site.onVisible) site.onVisible(fetchHistory);

  function restyle() {
    pal = applyDefaults();
    [latency, cache, runs, traffic].forEach(function (c) {
      c.options.color = pal.text;
      Object.keys(c.options.scales || {}).forEach(function (k) {
        var s = c.options.scales[k];
        if (s.ticks) s.ticks.color = pal.text;
        if (s.grid) s.grid.color = pal.grid;
        if (s.title) s.title.color = pal.text;
      });
      if (c.options.plugins && c.options.plugins.legend) c.options.plugins.legend.labels.color = pal.text;
    });
    latency.data.datasets[0].borderColor = pal.line;
    latency.data.datasets[0].backgroundColor = pal.fill;
    latency.data.datasets[1].borderColor = pal.bad;
    latency.data.datasets[1].backgroundColor = pal.bad;
    cache.data.datasets[0].backgroundColor = [pal.ok, pal.warn];
    cache.data.datasets[0].borderColor = pal.surface;
    runs.data.datasets[0].backgroundColor = pal.ok;
    runs.data.datasets[1].backgroundColor = pal.bad;
    runs.data.datasets[2].backgroundColor = pal.info;
    traffic.data.datasets[0].borderColor = pal.line;
    traffic.data.datasets[1].borderColor = pal.warn;
    [latency, cache, runs, traffic].forEach(function (c) { c.update('none'); });
  }
  if (darkScheme.addEventListener) darkScheme.addEventListener('change', restyle);
  if (reducedMotion.addEventListener) reducedMotion.addEventListener('change', function () { applyDefaults(); });

  fetchHistory();
})();
