// observd landing page: shows version, Redis state, uptime and snapshot age from
// GET /dashboard/api/stats (JSON) and feeds the header pulse. Polls every 10 s through
// site-live.js (paused while hidden or paused). Times come from the server's clock (`now` in
// the JSON, else the Date header). All text goes in with textContent.
(function () {
  'use strict';

  var site = window.observd;
  if (!site) return;

  function set(id, text, cls) {
    var el = document.getElementById(id);
    if (!el) return;
    if (el.textContent !== text) el.textContent = text;
    if (cls !== undefined) el.className = cls;
  }
  function n(v) { return typeof v === 'number' && isFinite(v) ? v : null; }

  // Same wording as the server's partials (render/format.cc HumanDuration).
  function duration(sec) {
    if (sec === null || sec < 0) return '—';
    if (sec < 60) return Math.floor(sec) + ' s';
    var m = Math.floor(sec / 60);
    if (m < 60) return m + ' min';
    var h = Math.floor(m / 60);
    if (h < 24) return h + ' h ' + (m % 60) + ' min';
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }
  site.duration = duration;

  function render(s, dateHeader) {
    var now = n(s.now) || (dateHeader ? Date.parse(dateHeader) / 1000 : null);
    var version = s.version ? 'v' + s.version : '—';
    if (s.version && s.revision && s.revision !== 'unknown') version += ' (' + s.revision + ')';
    set('fact-version', version);
    var redis = s.redis || {};
    var lat = n(redis.latency_seconds);
    // up is null before observd's first PING: unknown, not unavailable.
    var down = redis.up === false;
    if (redis.up === true) {
      set('fact-redis', 'up' + (lat !== null ? ' · ' + (lat * 1000).toFixed(2) + ' ms' : ''), 'fact-ok');
    } else if (down) {
      set('fact-redis', 'unavailable', 'fact-bad');
    } else {
      set('fact-redis', '—', '');
    }
    set('fact-uptime', duration(n(s.uptime_seconds)));
    var snap = s.snapshot || {};
    var age = n(snap.age_seconds);
    // Fresh only when the server says so and Redis answers: data kept from before an
    // outage is stale however young it is.
    var stale = !!snap.stale || redis.up !== true;
    if (!snap.available) {
      set('fact-snapshot', 'none yet', 'fact-warn');
    } else {
      set('fact-snapshot', (stale ? 'stale · ' : 'fresh · ') + duration(age) + ' old', stale ? 'fact-warn' : 'fact-ok');
    }
    var status = down ? 'down' : (stale ? 'stale' : 'ok');
    var text = down ? 'Redis unavailable' : (stale ? 'Stale — data from ' + duration(age) + ' ago' : '');
    site.noteUpdate({ status: status, statusText: text, now: now });
  }

  function load() {
    var date = null;
    return fetch('/dashboard/api/stats', { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); date = r.headers.get('Date'); return r.json(); })
      .then(function (s) { render(s, date); })
      .catch(function () {
        var v = document.getElementById('fact-version');
        if (v && v.textContent === '—') set('fact-version', 'unavailable', 'fact-bad');
        site.noteFailure();
      });
  }

  load();
  site.poll('stats', 10, load);
})();
