// observd chart overlay: one Chart.js plugin, on every time chart, that draws what is not a
// data point: "no data" spans (hatched and labelled: before history_since, buckets nobody
// observed), failed-PING columns, annotation bands and lines with their kind as a label,
// and the linked crosshair (a line on point charts, the whole bucket on bucket charts).
// Reads the shared state charts.js passes in; records what it drew for the tests.
// window.observdOverlay(state) -> plugin.
(function () {
  'use strict';

  var KIND = { restart: 'restart', reload: 'reload', redis_down: 'Redis down', store: 'store' };
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
      var hit = null;
      state.annotations.forEach(function (a, i) {
        var p0 = px(chart, a.t);
        if (a.end !== null || a.kind === 'redis_down') {
          var p1 = px(chart, a.end === null ? state.now : a.end);
          if (x >= p0 - 2 && x <= p1 + 2 && y <= area.top + 16) hit = i;
        } else if (Math.abs(x - p0) <= 4) hit = i;
      });
      return hit;
    }
    function label(ctx, text, x, area, color) {
      ctx.font = '11px ' + (ctx.font.split(' ').slice(1).join(' ') || 'sans-serif');
      var w = ctx.measureText(text).width;
      var lx = Math.min(Math.max(x + 3, area.left + 2), area.right - w - 2);
      ctx.fillStyle = color;
      ctx.fillText(text, lx, area.top + 11);
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
        var drawn = { bands: 0, lines: 0, noData: [], failures: 0, labels: [] };
        ctx.save();
        ctx.beginPath(); ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top); ctx.clip();
        // Unknown spans: hatched, never an empty-but-valid zero.
        state.noData(chart).forEach(function (s) {
          var p0 = Math.max(area.left, px(chart, s[0])), p1 = Math.min(area.right, px(chart, s[1]));
          if (p1 - p0 < 1) return;
          ctx.fillStyle = hatch(ctx, pal.hatch);
          ctx.fillRect(p0, area.top, p1 - p0, area.bottom - area.top);
          drawn.noData.push([s[0], s[1]]);
          if (s[2] && p1 - p0 > 60) label(ctx, s[2], p0, { left: p0, right: p1, top: area.top + 14 }, pal.muted);
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
          label(ctx, KIND[a.kind] || a.kind, Math.max(area.left, p0), area, pal.info);
          drawn.labels.push(KIND[a.kind] || a.kind);
        });
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
