// observd chart time: every time the charts show (axis ticks and titles, tooltips, legends,
// annotations, the window line, the custom-range inputs) is formatted here, in UTC or the
// browser's zone (the header's UTC/Local switch, window.observd.tz), and always names the
// zone: "UTC" or e.g. "Asia/Kolkata (UTC+05:30)". Pure functions; window.observdTime.
(function () {
  'use strict';

  var site = window.observd;
  if (!site) return;
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  // Tick spacings (seconds); the smallest that keeps the ticks at most `maxTicks` apart wins.
  var TICK_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 345600, 691200, 1382400];

  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function utc() { return site.tz === 'utc'; }
  // Minutes east of UTC of the displayed zone at `sec`.
  function offsetMin(sec) { return utc() ? 0 : -new Date(sec * 1000).getTimezoneOffset(); }
  function parts(sec) {
    var d = new Date(sec * 1000), u = utc();
    return {
      y: u ? d.getUTCFullYear() : d.getFullYear(), mo: u ? d.getUTCMonth() : d.getMonth(),
      d: u ? d.getUTCDate() : d.getDate(), wd: u ? d.getUTCDay() : d.getDay(),
      h: u ? d.getUTCHours() : d.getHours(), mi: u ? d.getUTCMinutes() : d.getMinutes(),
      s: u ? d.getUTCSeconds() : d.getSeconds()
    };
  }
  function offsetText(min) {
    var a = Math.abs(min);
    return 'UTC' + (min < 0 ? '−' : '+') + pad(Math.floor(a / 60)) + ':' + pad(a % 60);
  }
  function ianaZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { return ''; }
  }
  // "UTC" or "Asia/Kolkata (UTC+05:30)" (the offset at `sec`, default now).
  function zone(sec) {
    if (utc()) return 'UTC';
    var name = ianaZone();
    var off = offsetText(offsetMin(sec === undefined ? Date.now() / 1000 : sec));
    return name && name !== 'UTC' ? name + ' (' + off + ')' : off;
  }
  function clock(sec, seconds) {
    var p = parts(sec);
    return pad(p.h) + ':' + pad(p.mi) + (seconds ? ':' + pad(p.s) : '');
  }
  function date(sec) { var p = parts(sec); return DAYS[p.wd] + ' ' + p.d + ' ' + MONTHS[p.mo]; }
  // "14:05:09" or "Wed 2 Dec 14:05" (withDate), without the zone.
  function stamp(sec, withDate, seconds) { return (withDate ? date(sec) + ' ' : '') + clock(sec, seconds); }
  // A bucket: "10:01–10:02", or "Wed 2 Dec 10:00–10:10"; the end's date when it differs.
  function interval(t0, t1, withDate) {
    var sameDay = date(t0) === date(t1) || (t1 - t0 <= 86400 && clock(t1) === '00:00');
    return stamp(t0, withDate) + '–' + (withDate && !sameDay ? date(t1) + ' ' : '') + clock(t1);
  }
  function tickStep(spanSec, maxTicks) {
    for (var i = 0; i < TICK_STEPS.length; i++) if (spanSec / TICK_STEPS[i] <= maxTicks) return TICK_STEPS[i];
    return TICK_STEPS[TICK_STEPS.length - 1];
  }
  // Tick times (ms) on whole steps of the displayed zone's wall clock (the zone's offset at
  // the window's start; a DST change inside a long window shifts later ticks by an hour).
  function ticks(minMs, maxMs, stepSec) {
    var out = [];
    var off = offsetMin(minMs / 1000) * 60;
    for (var t = Math.ceil((minMs / 1000 + off) / stepSec) * stepSec - off; t * 1000 <= maxMs; t += stepSec) {
      out.push({ value: t * 1000 });
    }
    return out;
  }
  // "14:00", or for spans over a day a date under midnight ticks ("00:00", "Wed 2 Dec").
  function tickLabel(ms, spanSec) {
    var sec = ms / 1000;
    if (spanSec <= 86400) return clock(sec);
    return clock(sec) === '00:00' ? date(sec) : clock(sec);
  }
  // <input type="datetime-local"> values in the displayed zone, and back (unix seconds).
  function toInput(sec) {
    var p = parts(sec);
    return p.y + '-' + pad(p.mo + 1) + '-' + pad(p.d) + 'T' + pad(p.h) + ':' + pad(p.mi);
  }
  function fromInput(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || '');
    if (!m) return null;
    var a = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0)];
    var ms = utc() ? Date.UTC(a[0], a[1], a[2], a[3], a[4], a[5]) : new Date(a[0], a[1], a[2], a[3], a[4], a[5]).getTime();
    return isFinite(ms) ? ms / 1000 : null;
  }

  window.observdTime = {
    zone: zone, clock: clock, date: date, stamp: stamp, interval: interval, tickStep: tickStep,
    ticks: ticks, tickLabel: tickLabel, toInput: toInput, fromInput: fromInput, offsetText: offsetText
  };
})();
