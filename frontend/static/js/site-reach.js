// observd site reachability: does observd itself answer? Anything from the server (a
// swap, an SSE event, JSON, a probe) counts as heard. After a failure (stream error,
// failed request), or when nothing was heard for QUIET_MS (the stream may be blocked;
// polls may be 10 s apart), one GET /-/healthy with a timeout decides. If it fails, the
// page says "observd unreachable since <first failure>" at once and every health claim of
// the dead server ([data-claim], the panel figures, card severities) becomes unknown.
// About 5 s after a death whether or not the stream works, and no extra request while the
// server keeps talking. Part of the site glue (site-state.js lists the files).
(function () {
  'use strict';

  var state = window.observd, S = window.observdSite;

  var QUIET_MS = 5000;         // no open stream: polls alone may be 10 s apart
  var QUIET_STREAM_MS = 7000;  // open stream: a tick comes every 5 s (a death closes it at once)
  var PROBE_TIMEOUT_MS = 3000;
  var RETRY_MS = 1500;         // at most one probe per failure burst
  var reach = { heardAt: Date.now(), firstFailAt: null, since: null, probing: false, probeAt: 0, probes: 0, failedProbes: 0 };
  state.reach = reach;
  var reachListeners = [];
  state.onReachability = function (fn) { reachListeners.push(fn); };  // fn(reachable)

  // " since 14:05:09 UTC" while observd is unreachable, else "".
  S.unreachableSince = function () { return reach.since !== null ? ' since ' + state.clock(reach.since, true, true) : ''; };
  // The server answered.
  function heard() {
    reach.heardAt = Date.now();
    reach.firstFailAt = null;
    if (reach.since !== null) recovered();
  }
  S.heard = heard;
  // A request or the stream failed: probe soon.
  S.suspect = function () {
    if (reach.firstFailAt === null) reach.firstFailAt = Date.now();
    watch();
  };
  // Probes when one is due (called every second and after a failure).
  function watch() {
    if (!state.isActive() || reach.probing) return;
    var now = Date.now();
    var quiet = state.sse.open ? QUIET_STREAM_MS : QUIET_MS;
    var due = reach.since !== null ? now - reach.probeAt >= QUIET_MS
      : reach.firstFailAt !== null ? now - reach.probeAt >= RETRY_MS
        : now - reach.heardAt >= quiet && now - reach.probeAt >= quiet;
    if (due) probe();
  }
  S.watch = watch;
  function probe() {
    reach.probing = true;
    reach.probeAt = Date.now();
    reach.probes++;
    var ctl = new AbortController();
    var timer = window.setTimeout(function () { ctl.abort(); }, PROBE_TIMEOUT_MS);
    fetch('/-/healthy', { cache: 'no-store', credentials: 'same-origin', signal: ctl.signal })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        var date = Date.parse(r.headers.get('Date') || '');
        if (date) state.noteServerTime(date / 1000);
        heard();
      })
      .catch(function () { reach.failedProbes++; if (reach.firstFailAt === null) reach.firstFailAt = reach.probeAt; unreachable(); })
      .then(function () { window.clearTimeout(timer); reach.probing = false; state.refresh(); });
  }
  function unreachable() {
    if (reach.since !== null) return;
    reach.since = (reach.firstFailAt + (state.serverOffsetMs || 0)) / 1000;  // server clock
    wipeClaims();
    reachListeners.forEach(function (fn) { try { fn(false); } catch (e) { /* keep going */ } });
  }
  function recovered() {
    reach.since = null;
    reachListeners.forEach(function (fn) { try { fn(true); } catch (e) { /* keep going */ } });
    // Fresh values at once; the stream reconnects now instead of at its backoff.
    if (S.streamIsOff() && state.isActive()) {
      S.resetBackoff();
      S.streamOn();
    } else {
      S.runJobs(true);
    }
  }
  // A dead server's health claims are not shown greyed: they are replaced by "unknown"
  // (the attribute's value, or "—"). The next answer from the server brings values back.
  function wipeClaims() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-claim], .panel-figure'), function (el) {
      el.textContent = el.getAttribute('data-claim') || '\u2014';
      el.classList.remove('fact-ok', 'fact-warn', 'fact-bad');
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-severity]'), function (el) { el.setAttribute('data-severity', 'unknown'); });
    Array.prototype.forEach.call(document.querySelectorAll('.banner'), function (el) { el.remove(); });
  }
  S.wipeClaims = wipeClaims;
})();
