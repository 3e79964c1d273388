// observd observability charts (Chart.js 4 + chartjs-plugin-zoom, UMD builds, no eval, no
// inline style). Owns: the latency line, cache doughnut, workflow-runs bars and traffic
// lines; the shared x window (window.observdView: live ranges or an absolute window) with
// drag-to-zoom, shift-drag/touch pan and pinch linked across every time chart; the
// per-chart legends and table views. Loading the window's history and merging the SSE
// `history` deltas into the live hour is chart-fetch.js's.
// Unknown is never drawn as 0: nulls are gaps, unobserved spans hatched, the open bucket
// left out. Charts are on window.observdCharts (state and counters for the tests).
(function () {
  'use strict';

  var Chart = window.Chart, site = window.observd, T = window.observdTime, View = window.observdView;
  var D = window.observdData, L = window.observdLegend;
  if (!Chart || !site || !T || !View || !D || !L || !window.observdOverlay || !document.getElementById('chart-latency')) return;

  var DEBOUNCE_MS = 250;
  var Y_AXIS_WIDTH = 52;         // every time chart reserves the same width: the x axes line up
  var fmtInt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var darkScheme = window.matchMedia('(prefers-color-scheme: dark)');

  function $(id) { return document.getElementById(id); }
  function setText(id, text) { var el = $(id); if (el && el.textContent !== text) el.textContent = text; }
  function showEmpty(id, isEmpty, text) { var el = $(id); if (!el) return; el.hidden = !isEmpty; if (text) setText(id, text); }
  function fmtMs(v) { return v === null ? '—' : (v < 10 ? v.toFixed(2) : fmtInt.format(v)); }
  function count(v) { return v === null ? '—' : fmtInt.format(v); }
  function stepText(s) { return s < 3600 ? (s / 60) + ' min' : s < 86400 ? (s / 3600) + ' h' : (s / 86400) + ' d'; }

  // ---- state -----------------------------------------------------------------------------
  var data = D.empty();
  data.now = site.serverNow();
  var history = { loaded: false, updates: 0, polls: 0, errors: 0, lastT: null, fetches: [], aborted: 0, ignored: 0, lastFetchAt: 0, drawMs: null,
                  answeredAt: null };  // server time of the newest window or `?since=` answer

  // ---- look --------------------------------------------------------------------------------
  var pal;
  function applyDefaults() {
    var cs = getComputedStyle(document.documentElement);
    var v = function (n) { return (cs.getPropertyValue(n) || '').trim(); };
    pal = {
      text: v('--chart-text'), grid: v('--chart-grid'), line: v('--chart-line'), fill: v('--chart-fill'),
      ok: v('--c-ok'), bad: v('--c-bad'), warn: v('--c-warn'), info: v('--c-info'), muted: v('--c-muted'),
      surface: v('--surface'), band: v('--band'), bandHi: v('--band-hi'), cross: v('--text-2'),
      crossBand: v('--cross-band'), hatch: v('--hatch'), failBand: v('--fail-band')
    };
    Chart.defaults.color = pal.text;
    Chart.defaults.borderColor = pal.grid;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.animation = false;  // live data and range changes: motion would only blur
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.responsive = true;
  }
  applyDefaults();

  // ---- the shared overlay state (crosshair, annotations, no-data spans) -----------------
  var timeCharts = [];
  var ov = {
    annotations: [], now: data.now, highlight: null, drawn: {},
    crosshair: { x: null, source: null, drawn: {} },
    palette: function () { return pal; },
    noData: function (c) { return (c.$observd && c.$observd.noData) || []; },
    failures: function (c) { return (c.$observd && c.$observd.failures) || []; },
    bucketStep: function (c) { return c.$observd && c.$observd.bucketed ? data.step : 0; },
    setCrosshair: function (x, from) {
      if (ov.crosshair.x === x) return;
      ov.crosshair.x = x;
      ov.crosshair.source = from ? from.canvas.id : null;
      timeCharts.forEach(function (c) { if (c !== from) c.draw(); });
    },
    hoverAnnotation: function (i) { if (i !== ov.hoverIdx) { ov.hoverIdx = i; noteAnnotation(i); } }
  };
  var overlay = window.observdOverlay(ov);

  // ---- charts ------------------------------------------------------------------------------
  // As many ticks as the narrowest time chart has room for (dates need more), the same on all.
  function maxTicks(spanSec) {
    var w = Math.min.apply(null, timeCharts.map(function (c) { return c.width || 600; }).concat([window.innerWidth]));
    return Math.max(3, Math.min(8, Math.floor(w / (spanSec > 86400 ? 105 : 80))));
  }
  function timeAxis() {
    return {
      type: 'linear',
      grid: { display: true, drawTicks: false },
      title: { display: true, text: 'Time (UTC)', font: { size: 11 } },
      ticks: { maxRotation: 0, autoSkip: false, callback: function (v) { return T.tickLabel(v, (this.max - this.min) / 1000); } },
      afterBuildTicks: function (axis) {
        // Ticks on whole steps of wall time in the displayed zone, identical on every chart.
        var span = (axis.max - axis.min) / 1000;
        axis.ticks = T.ticks(axis.min, axis.max, T.tickStep(span, maxTicks(span)));
      }
    };
  }
  function yAxis(extra) {
    var y = { beginAtZero: true, ticks: { maxTicksLimit: 5 }, afterFit: function (a) { a.width = Y_AXIS_WIDTH; } };
    Object.keys(extra || {}).forEach(function (k) { y[k] = extra[k]; });
    return y;
  }
  function withDate() { var s = View.span(); return s > 86400 || !View.get().live; }
  function tooltipTitle(items) {
    if (!items.length) return '';
    var raw = items[0].raw || {};
    var c = items[0].chart;
    if (c.$observd && c.$observd.bucketed && raw.t !== undefined) return T.interval(raw.t, raw.t + data.step, withDate()) + ' ' + T.zone(raw.t);
    var t = raw.t !== undefined ? raw.t : items[0].parsed.x / 1000;
    return T.stamp(t, withDate(), true) + ' ' + T.zone(t);
  }
  var zoomReady = !!window.ChartZoom;
  function zoomOptions() {
    if (!zoomReady) return undefined;
    return {
      limits: { x: { minRange: View.MIN_SPAN * 1000 } },
      pan: { enabled: true, mode: 'x', modifierKey: 'shift', threshold: 6, onPanComplete: userWindow },
      zoom: {
        mode: 'x', wheel: { enabled: false }, pinch: { enabled: true },
        drag: { enabled: true, threshold: 8, backgroundColor: 'rgba(47, 111, 222, 0.15)', borderColor: 'rgba(47, 111, 222, 0.6)', borderWidth: 1 },
        onZoomComplete: userWindow
      }
    };
  }
  function timeChart(canvas, type, datasets, yExtra, label, bucketed) {
    var c = new Chart(canvas, {
      type: type,
      data: { datasets: datasets },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'index', axis: 'x', intersect: false },
        scales: { x: timeAxis(), y: yAxis(yExtra) },
        plugins: {
          legend: { display: false },  // the HTML legend in the card says more (min/mean/max/last)
          tooltip: { callbacks: { title: tooltipTitle, label: label } },
          zoom: zoomOptions()
        }
      },
      plugins: [overlay]
    });
    c.$observd = { bucketed: bucketed, noData: [], failures: [] };
    timeCharts.push(c);
    return c;
  }

  // Failed PINGs sit on their own hidden 0..1 axis, at the top: never on the 0 ms line.
  var latency = timeChart($('chart-latency'), 'line', [{
    label: 'PING round trip', data: [], borderColor: pal.line, backgroundColor: pal.fill, borderWidth: 1.5,
    fill: 'origin', pointRadius: 0, pointHoverRadius: 3, tension: 0, spanGaps: false
  }, {
    label: 'PING failed', data: [], showLine: false, pointStyle: 'crossRot', pointRadius: 5, yAxisID: 'flag',
    borderColor: pal.bad, backgroundColor: pal.bad, borderWidth: 2
  }, {
    label: 'Above the scale', data: [], showLine: false, pointStyle: 'triangle', pointRadius: 5,
    borderColor: pal.warn, backgroundColor: pal.warn, borderWidth: 1
  }, {
    label: 'Slowest PING per bucket', data: [], borderColor: pal.line, borderWidth: 1, borderDash: [3, 3], pointRadius: 0,
    pointHoverRadius: 2, tension: 0, spanGaps: false, fill: false
  }], { title: { display: true, text: 'ms' } }, function (item) {
    var raw = item.raw || {};
    if (item.datasetIndex === 1) return raw.failed > 1 || raw.samples ? count(raw.failed) + ' of ' + count(raw.samples) + ' PINGs failed' : 'PING failed';
    if (item.datasetIndex === 2) return 'PING ' + fmtMs(raw.real) + ' ms (above the scale)';
    if (item.datasetIndex === 3) return 'slowest ' + fmtMs(item.parsed.y) + ' ms';
    return (latency.$observd.bucketed ? 'mean ' : 'PING ') + fmtMs(item.parsed.y) + ' ms';
  }, false);
  latency.options.scales.flag = { type: 'linear', display: false, min: 0, max: 1 };

  function bars(label, color) {
    return { label: label, data: [], backgroundColor: color, borderWidth: 0, barPercentage: 1, categoryPercentage: 0.85, grouped: false };
  }
  var RUN_KEYS = ['succeeded', 'failed', 'running'];
  var RUN_LABELS = { succeeded: 'Succeeded', failed: 'Failed', running: 'Started, still running' };
  var runs = timeChart($('chart-runs'), 'bar', [bars(RUN_LABELS.succeeded, pal.ok), bars(RUN_LABELS.failed, pal.bad), bars(RUN_LABELS.running, pal.info)],
    { stacked: true, ticks: { precision: 0, maxTicksLimit: 5 } },
    function (item) {
      var n = count(item.parsed.y);
      if (item.datasetIndex === 2) return n + ' started in this bucket, still running';
      return item.dataset.label + ': ' + n + ' runs started (per ' + stepText(data.step) + ')';
    }, true);
  runs.options.scales.x.stacked = true;

  function lineSet(label, color) {
    return { label: label, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0,
             pointHoverRadius: 3, tension: 0, spanGaps: false, fill: false };
  }
  var traffic = timeChart($('chart-traffic'), 'line', [lineSet('HTTP requests', pal.line), lineSet('Uploads', pal.warn)],
    { ticks: { precision: 0, maxTicksLimit: 5 } },
    function (item) { return item.dataset.label + ': ' + count(item.parsed.y) + ' per ' + stepText(data.step); }, true);

  var cache = new Chart($('chart-cache'), {
    type: 'doughnut',
    data: { labels: ['Hits', 'Misses'], datasets: [{ data: [0, 0], backgroundColor: [pal.ok, pal.warn], borderColor: pal.surface, borderWidth: 2 }] },
    options: {
      cutout: '68%',
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10 } },
        tooltip: { callbacks: { label: function (item) { return item.label + ': ' + count(item.parsed) + ' lookups'; } } }
      }
    }
  });

  var charts = { latency: latency, cache: cache, runs: runs, traffic: traffic, state: history, data: data,
                 crosshair: ov.crosshair, overlay: ov, view: View };
  Object.defineProperty(charts, 'bands', { get: function () {
    var out = {};
    Object.keys(ov.drawn).forEach(function (k) { out[k] = ov.drawn[k].bands; });
    return out;
  } });
  window.observdCharts = charts;

  var R = window.observdChartRender(charts, { pal: function () { return pal; }, fmtMs: fmtMs, count: count, stepText: stepText,
    showEmpty: showEmpty, setText: setText, withDate: withDate, RUN_KEYS: RUN_KEYS, RUN_LABELS: RUN_LABELS });
  function noteAnnotation(i) { R.noteAnnotation(i); }
  function renderAll() {
    var t0 = performance.now();
    ov.annotations = data.annotations;
    ov.now = data.now;
    R.renderAll();
    history.drawMs = performance.now() - t0;
  }

  // ---- data: the window's history, the live hour's deltas (chart-fetch.js) -----------------
  var load = window.observdChartFetch(charts, { renderAll: renderAll, renderCache: R.renderCache,
    showEmpty: showEmpty }).load;

  // ---- zoom, pan and the shared window -----------------------------------------------------
  // A zoom or pan on one chart becomes the window of all (View), and data for it is fetched.
  function userWindow(ctx) {
    var c = ctx.chart;
    var from = c.scales.x.min / 1000, to = c.scales.x.max / 1000, now = site.serverNow();
    if (to > now) { from -= to - now; to = now; }
    View.set({ live: false, from: from, to: to }, 'zoom');
  }
  View.onChange(function (v, how) {
    // Draw the new window at once with what we hold, then fetch its own buckets. Pause
    // froze the window on screen: what we hold is its data, and a paused page fetches nothing.
    renderAll();
    if (how === 'pause') return;
    load(how === 'zoom' || how === 'pan' ? DEBOUNCE_MS : 0);
  });

  function restyle() {
    applyDefaults();
    timeCharts.concat([cache]).forEach(function (c) {
      Object.keys(c.options.scales || {}).forEach(function (k) {
        var s = c.options.scales[k];
        if (s.ticks) s.ticks.color = pal.text;
        if (s.grid) s.grid.color = pal.grid;
        if (s.title) s.title.color = pal.text;
      });
      if (c.options.plugins.legend && c.options.plugins.legend.labels) c.options.plugins.legend.labels.color = pal.text;
    });
    R.recolor();
    timeCharts.concat([cache]).forEach(function (c) { c.update('none'); });
  }
  if (darkScheme.addEventListener) darkScheme.addEventListener('change', restyle);

  renderAll();
  load(0);
})();
