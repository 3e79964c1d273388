// observd cache ring: the snapshot cache's hits and misses over the visible window, the
// sums of its complete buckets (cache_buckets, read by chart-data.js; a bucket nobody
// recorded is left out, not read as 0), with the figure, the hidden table and the empty
// state. The hit rate is unknown over no lookups, and while no snapshot exists: lookups
// that joined a refresh which produced nothing are not hits of anything (the server's
// rule, Status::cache_hit_ratio). Called by chart-render.js;
// window.observdCacheRing(charts, helpers) -> render([from, to]).
(function () {
  'use strict';

  var View = window.observdView, D = window.observdData;

  window.observdCacheRing = function (charts, h) {
    var data = charts.data, cache = charts.cache, count = h.count;
    return function render(b) {
      b = b || View.bounds(data.now);
      var s = D.cacheSum(data, b[0], b[1]);
      var total = s.n ? s.hits + s.misses : null;
      var known = data.snapshot.available && total > 0;
      cache.data.datasets[0].data = known ? [s.hits, s.misses] : [0, 0];
      cache.update('none');
      var pct = known ? (100 * s.hits / total).toFixed(1) + ' %' : '—';
      h.showEmpty('cache-empty', !known, data.snapshot.available === false ? 'No snapshot computed yet'
        : total === null ? 'No cache counts recorded in this window' : 'No cache lookups in this window');
      h.setText('cache-figure', known ? pct + ' hits, ' + View.describe() : '—');
      h.setText('cache-hits', count(s.hits));
      h.setText('cache-misses', count(s.misses));
      h.setText('cache-ratio', pct);
      h.setText('cache-caption', 'Snapshot cache lookups, ' + View.describe());
      var c = document.getElementById('chart-cache');
      if (c) c.setAttribute('aria-label', c.getAttribute('data-label') + ', ' + View.describe());
    };
  };
})();
