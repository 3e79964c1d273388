// observd site clock: every freshness claim is made on the server's clock (the offset is
// learnt from `now` in partials and JSON, the SSE `tick` and HTTP `Date` headers), and
// every time outside the charts is shown in the chosen zone (UTC, or the browser's zone
// as the header's UTC/Local switch says; kept in localStorage) and names it. Relabels the
// server-rendered `<time>` elements. Part of the site glue (site-state.js lists the files).
(function () {
  'use strict';

  var state = window.observd, S = window.observdSite;

  function readTz() {
    try { return window.localStorage.getItem('observd.tz') === 'local' ? 'local' : 'utc'; } catch (e) { return 'utc'; }
  }
  state.tz = readTz();

  function pad(n) { return n < 10 ? '0' + n : String(n); }
  // The zone a time is shown in, named so a reader never guesses: "UTC", or the browser's
  // offset at that instant ("UTC+05:30", "UTC−03:00"; daylight saving included).
  state.zone = function (sec) {
    if (state.tz === 'utc') return 'UTC';
    var off = -new Date((sec || Date.now() / 1000) * 1000).getTimezoneOffset();
    var a = Math.abs(off);
    return 'UTC' + (off < 0 ? '\u2212' : '+') + pad(Math.floor(a / 60)) + ':' + pad(a % 60);
  };
  // "14:05" / "14:05:09"; UTC or the browser's zone. `suffix` adds the zone's name.
  state.clock = function (sec, seconds, suffix) {
    var d = new Date(sec * 1000);
    var utc = state.tz === 'utc';
    var s = pad(utc ? d.getUTCHours() : d.getHours()) + ':' + pad(utc ? d.getUTCMinutes() : d.getMinutes());
    if (seconds) s += ':' + pad(utc ? d.getUTCSeconds() : d.getSeconds());
    return suffix ? s + ' ' + state.zone(sec) : s;
  };
  // "2026-12-02 14:05:09 UTC+05:30": a full timestamp (table tooltips).
  state.dateTime = function (sec) {
    var d = new Date(sec * 1000);
    var utc = state.tz === 'utc';
    return (utc ? d.getUTCFullYear() : d.getFullYear()) + '-' + pad((utc ? d.getUTCMonth() : d.getMonth()) + 1) + '-' +
      pad(utc ? d.getUTCDate() : d.getDate()) + ' ' + state.clock(sec, true, true);
  };
  state.tzLabel = function () { return state.tz === 'utc' ? 'UTC' : 'local time (' + state.zone() + ')'; };
  // Server time in unix seconds: every freshness claim is made on the server's clock.
  state.serverNow = function () {
    return (Date.now() + (state.serverOffsetMs === null ? 0 : state.serverOffsetMs)) / 1000;
  };
  state.noteServerTime = function (sec) {
    if (typeof sec === 'number' && isFinite(sec) && sec > 0) state.serverOffsetMs = sec * 1000 - Date.now();
  };

  // Server-rendered times: `data-clock` elements show the time, `data-clock-title` ones
  // (relative ages in tables) carry the full timestamp in their tooltip; both in the
  // chosen zone, named. `root`: a swapped slot; the whole page when absent.
  S.relabelClocks = function (root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('time[data-clock], time[data-clock-title]'), function (t) {
      var sec = Date.parse(t.getAttribute('datetime')) / 1000;
      if (!isFinite(sec)) return;
      if (t.hasAttribute('data-clock')) t.textContent = state.clock(sec, true, true);
      if (t.hasAttribute('data-clock-title')) t.title = state.dateTime(sec);
    });
  };

  S.relabelClocks();
})();
