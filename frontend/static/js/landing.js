// observd landing page: shows version, Redis state, uptime and snapshot age from
// GET /dashboard/api/stats (JSON) and feeds the header pulse. Refreshes every 10 s while
// the tab is visible. All text goes in with textContent.
(function () {
  'use strict';

  var site = window.observd || {};
  var REFRESH_MS = 10000;

  function set(id, text, cls) {
    var el = document.getElementById(id);
    if (!el) return;
    el.textContent = text;
    if (cls !== undefined) el.className = cls;
  }
  function n(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function duration(sec) {
    if (sec === null) return '—';
    if (sec < 90) return Math.round(sec) + ' s';
    if (sec < 5400) return Math.round(sec / 60) + ' min';
    if (sec < 172800) return (sec / 3600).toFixed(1) + ' h';
    return (sec / 86400).toFixed(1) + ' days';
  }

  function render(s) {
    var version = s.version ? 'v' + s.version : '—';
    if (s.version && s.revision && s.revision !== 'unknown') version += ' (' + s.revision + ')';
    set('fact-version', version);
    var redis = s.redis || {};
    var lat = n(redis.latency_seconds);
    if (redis.up) {
      set('fact-redis', 'up' + (lat !== null ? ' · ' + (lat * 1000).toFixed(2) + ' ms' : ''), 'fact-ok');
    } else {
      set('fact-redis', 'unavailable', 'fact-bad');
    }
    set('fact-uptime', duration(n(s.uptime_seconds)));
    var snap = s.snapshot || {};
    var age = n(snap.age_seconds);
    if (!snap.available) {
      set('fact-snapshot', 'not available yet', 'fact-warn');
    } else {
      set('fact-snapshot', (snap.stale ? 'stale · ' : 'fresh · ') + duration(age) + ' old', snap.stale ? 'fact-warn' : 'fact-ok');
    }
    var status = !redis.up ? 'down' : (snap.stale ? 'stale' : 'ok');
    var text = !redis.up ? 'Redis unavailable' : (snap.stale ? 'Stale — data from ' + duration(age) + ' ago' : '');
    var d = new Date();
    var p = function (x) { return x < 10 ? '0' + x : String(x); };
    var updated = p(d.getUTCHours()) + ':' + p(d.getUTCMinutes()) + ':' + p(d.getUTCSeconds()) + ' UTC';
    if (site.noteUpdate) site.noteUpdate(status, text, updated);
  }

  function load() {
    return fetch('/dashboard/api/stats', { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(render)
      .catch(function () {
        var v = document.getElementById('fact-version');
        if (v && v.textContent === '—') set('fact-version', 'unavailable', 'fact-bad');
        if (site.noteFailure) site.noteFailure();
      });
  }

  load();
  window.setInterval(function () { if (!document.hidden) load(); }, REFRESH_MS);
  if (site.onVisible) site.onVisible(load);
})();
