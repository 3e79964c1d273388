// observd chart overlay: one Chart.js plugin, on every time chart, that draws what is not a
// data point: "no data" spans (hatched and labelled: before history_since, buckets nobody
// observed), failed-PING columns, annotation bands and lines with their kind as a label
// (laid out by chart-labels.js: never overlapping, the ones without room counted as "+n"),
// and the linked crosshair (a line on point charts, the whole bucket on bucket charts).
// Reads the shared state charts.js passes in; records what it drew for the tests.
// window.observdOverlay(state) -> plugin.
(function () {
  'use strict';

  var KIND = { restart: 'restart', reload: 'reload', redis_down: 'Redis down', store: 'store' };
  // Labels: 11 px text in rows of ROW px from the top of the chart area; the baseline sits
  // BASE px below a row's top.
  var ROW = 14, BASE = 10;
  var patterns = {};
  function hatch(ctx, color) {
    if (patterns[color]) return patterns[color];
    var c = document.createElement('canvas');
    c.width = c.height = 8;
    var g = c.getContext('2d');
    g.strokeStyle = color;
    g.lineWidth = 1;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
    patterns[color] = ctx.createPattern(c, 'repeat');
    return patterns[color];
  }

  window.observdOverlay = function (state) {
    function px(chart, sec) { return chart.scales.x.getPixelForValue(sec * 1000); }
    function annotationAt(chart, x, y) {
      var area = chart.chartArea;
      if (y < area.top || y > area.bottom) return null;
      var hit = null, drawn = state.drawn[chart.canvas.id];
      // A label (on any row) names its mark.
      (drawn ? drawn.labelBoxes : []).forEach(function (b) {
        if (b.index !== null && x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) hit = b.index;
      });
      if (hit !== null) return hit;
      state.annotations.forEach(function (a, i) {
        var p0 = px(chart, a.t);
        if (a.end !== null || a.kind === 'redis_down') {
          var p1 = px(chart, a.end === null ? state.now : a.end);
          if (x >= p0 - 2 && x <= p1 + 2 && y <= area.top + 16) hit = i;
        } else if (Math.abs(x - p0) <= 4) hit = i;
      });
      return hit;
    }
    function labelFont(ctx) { ctx.font = '11px ' + (ctx.font.split(' ').slice(1).join(' ') || 'sans-serif'); }
    // A "no data" span's label, on the second row inside its span: its box, for the layout
    // of the annotation labels to keep clear of.
    function spanLabel(ctx, text, p0, p1, area, color) {
      labelFont(ctx);
      var w = ctx.measureText(text).width;
      var box = { index: null, label: text, text: text, x: Math.min(p0 + 3, p1 - w - 2), y: area.top + 1 + ROW, w: w, h: ROW - 1, more: 0 };
      ctx.fillStyle = color;
      ctx.fillText(text, box.x, box.y + BASE);
      return box;
    }
    // The annotation labels, laid out over the boxes already taken; each on a backing of the
    // chart's surface, so the dashed marks of its neighbours do not cross its text.
    function annotationLabels(ctx, items, taken, area, pal) {
      labelFont(ctx);
      var out = window.observdLabels.layout(items, {
        left: area.left, right: area.right, top: area.top + 1, row: ROW, reserved: taken,
        measure: function (text) { return ctx.measureText(text).width; } });
      out.boxes.forEach(function (b) {
        ctx.globalAlpha = 0.85;
        ctx.fillStyle = pal.surface;
        ctx.fillRect(b.x - 1, b.y, b.w + 2, b.h);
        ctx.globalAlpha = 1;
        ctx.fillStyle = pal.info;
        ctx.fillText(b.text, b.x, b.y + BASE);
      });
      return out;
    }
    return {
      id: 'observdOverlay',
      afterEvent: function (chart, args) {
        var e = args.event;
        if (e.type === 'mouseout') { state.setCrosshair(null, chart); state.hoverAnnotation(null); return; }
        if (e.type !== 'mousemove') return;
        var area = chart.chartArea;
        if (e.x < area.left || e.x > area.right) { state.setCrosshair(null, chart); return; }
        state.setCrosshair(chart.scales.x.getValueForPixel(e.x) / 1000, chart);
        state.hoverAnnotation(annotationAt(chart, e.x, e.y));
      },
      beforeDatasetsDraw: function (chart) {
        var ctx = chart.ctx, area = chart.chartArea, pal = state.palette(), id = chart.canvas.id;
        // labels: the annotation labels drawn (their kinds); labelBoxes: every text drawn at the
        // top of the area ({ index (the annotation's; null: a "no data" label), label, text,
        // x, y, w, h, more }); hidden: how many annotation labels had no room (the "+n" counts).
        var drawn = { bands: 0, lines: 0, noData: [], failures: 0, labels: [], labelBoxes: [], hidden: 0 };
        var items = [];
        ctx.save();
        ctx.beginPath(); ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top); ctx.clip();
        // Unknown spans: hatched, never an empty-but-valid zero.
        state.noData(chart).forEach(function (s) {
          var p0 = Math.max(area.left, px(chart, s[0])), p1 = Math.min(area.right, px(chart, s[1]));
          if (p1 - p0 < 1) return;
          ctx.fillStyle = hatch(ctx, pal.hatch);
          ctx.fillRect(p0, area.top, p1 - p0, area.bottom - area.top);
          drawn.noData.push([s[0], s[1]]);
          if (s[2] && p1 - p0 > 60) drawn.labelBoxes.push(spanLabel(ctx, s[2], p0, p1, area, pal.muted));
        });
        // Failed PINGs: red columns over their second or bucket (not a point at 0 ms).
        state.failures(chart).forEach(function (f) {
          var p0 = px(chart, f[0]), p1 = px(chart, f[1]);
          if (p1 < area.left || p0 > area.right) return;
          ctx.fillStyle = pal.failBand;
          ctx.fillRect(p0, area.top, Math.max(2, p1 - p0), area.bottom - area.top);
          drawn.failures++;
        });
        state.annotations.forEach(function (a, i) {
          var p0 = px(chart, a.t), hi = state.highlight === i;
          if (a.end !== null || a.kind === 'redis_down') {
            var p1 = px(chart, a.end === null ? state.now : a.end);
            if (p1 <= area.left || p0 >= area.right) return;
            ctx.fillStyle = hi ? pal.bandHi : pal.band;
            ctx.fillRect(Math.max(area.left, p0), area.top, Math.max(2, Math.min(area.right, p1) - Math.max(area.left, p0)), area.bottom - area.top);
            drawn.bands++;
          } else {
            if (p0 <= area.left || p0 >= area.right) return;
            ctx.strokeStyle = pal.info;
            ctx.lineWidth = hi ? 2.5 : 1;
            ctx.setLineDash([4, 3]);
            ctx.beginPath(); ctx.moveTo(p0, area.top); ctx.lineTo(p0, area.bottom); ctx.stroke();
            ctx.setLineDash([]);
            drawn.lines++;
          }
          items.push({ index: i, text: KIND[a.kind] || a.kind, x: Math.max(area.left, p0) });
        });
        var out = annotationLabels(ctx, items, drawn.labelBoxes.slice(), area, pal);
        out.boxes.slice().sort(function (a, b) { return a.index - b.index; }).forEach(function (b) {
          drawn.labels.push(b.label);
        });
        drawn.labelBoxes = drawn.labelBoxes.concat(out.boxes);
        drawn.hidden = out.hidden;
        ctx.restore();
        state.drawn[id] = drawn;
      },
      afterDatasetsDraw: function (chart) {
        var id = chart.canvas.id, ch = state.crosshair;
        ch.drawn[id] = null;
        if (ch.x === null) return;
        var area = chart.chartArea, ctx = chart.ctx, step = state.bucketStep(chart);
        var t0 = ch.x, t1 = ch.x;
        if (step) { t0 = Math.floor(ch.x / step) * step; t1 = t0 + step; }
        var p0 = px(chart, t0), p1 = px(chart, t1);
        if (p1 < area.left || p0 > area.right) return;
        ch.drawn[id] = step ? [t0, t1] : ch.x;
        ctx.save();
        if (step) {
          ctx.fillStyle = state.palette().crossBand;
          ctx.fillRect(Math.max(area.left, p0), area.top, Math.min(area.right, p1) - Math.max(area.left, p0), area.bottom - area.top);
        } else {
          ctx.strokeStyle = state.palette().cross;
          ctx.lineWidth = 1;
          ctx.beginPath(); ctx.moveTo(p0, area.top); ctx.lineTo(p0, area.bottom); ctx.stroke();
        }
        ctx.restore();
      }
    };
  };
})();
