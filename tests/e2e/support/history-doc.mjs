// Crafted /dashboard/api/history documents in the History API v2 shape (issue 18 contract:
// window, step buckets, open_bucket, history_since, store, latency points and buckets,
// requests, uploads, runs, annotations), for exact chart tests and the 7-day draw bench,
// and a Playwright route that answers the page's history requests with them.
export const STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
export const stepFor = (from, to) => STEPS.find((s) => (to - from) / s <= 1500) || STEPS[STEPS.length - 1];

// opts: now, from, to (default the live hour), since (history_since), store, annotations,
// failedAt (seconds whose PING failed), requests/uploads/runs: (t, i) => value | null,
// cache: (t, i) => [hits, misses] (either null: not recorded).
export function historyDoc(opts = {}) {
  const now = opts.now ?? Date.now() / 1000;
  const to = opts.to ?? now, from = opts.from ?? to - 3600;
  const step = stepFor(from, to);
  const since = opts.since === undefined ? from - 86400 : opts.since;
  const buckets = [];
  for (let t = Math.floor(from / step) * step; t <= Math.min(to, now); t += step) buckets.push(t);
  const open = Math.floor(now / step) * step;
  const per = (fn) => buckets.map((t, i) => [t, fn(t, i)]);
  const failed = new Set(opts.failedAt || []);
  const points = [];
  for (let t = Math.ceil(Math.max(from, now - 3600, since ?? -Infinity)); t <= Math.min(to, now); t++) {
    points.push([t, failed.has(t) ? null : +(0.1 + (t % 7) * 0.01).toFixed(3)]);
  }
  const lb = buckets.filter((t) => since === null || t >= since).map((t) => {
    const f = [...failed].filter((x) => x >= t && x < t + step).length;
    return [t, step, f, 0.05, +(0.1 + ((t / step) % 7) * 0.01).toFixed(3), 0.3, 0.25];
  });
  const r = opts.runs || {};
  return {
    now, started_at: opts.startedAt ?? now - 600,
    window: { from, to, step },
    open_bucket: open <= to ? open : null,
    history_since: since,
    store: opts.store || { state: 'ok', message: 'SQLite store', retention_seconds: 30 * 86400 },
    annotations: opts.annotations || [],
    latency: { interval_seconds: 1, points },
    latency_buckets: lb,
    requests: per(opts.requests || ((t) => (since !== null && t < since ? null : 20 + ((t / step) % 5)))),
    cache_buckets: per(opts.cache || (() => [3, 1])).map(([t, v]) => [t, v[0], v[1]]),
    uploads: per(opts.uploads || ((t) => (t / step) % 3)),
    runs: { succeeded: per(r.succeeded || (() => 2)), failed: per(r.failed || (() => 0)), running: per(r.running || (() => 0)) },
    cache: { hits: 90, misses: 10, ratio: 0.9 },
    snapshot: { available: true, age_seconds: 1, stale: false },
    redis: { up: true, latency_ms: 0.1 },
  };
}

// Answers every GET /dashboard/api/history[?from=&to=] of `page` with historyDoc(opts + the
// asked window); records the URLs asked for in `seen`. `hold(url)` may return a promise
// to delay an answer (to test that older answers are cancelled or ignored).
export async function routeHistory(page, opts = {}, seen = [], hold = null) {
  await page.route((u) => u.pathname === '/dashboard/api/history', async (route) => {
    const u = new URL(route.request().url());
    seen.push(u.pathname + u.search);
    const o = typeof opts === 'function' ? opts() : opts;
    const w = {};
    if (u.searchParams.has('from')) { w.from = Number(u.searchParams.get('from')); w.to = Number(u.searchParams.get('to')); }
    if (hold) await hold(u);
    try {
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(historyDoc({ ...o, ...w })) });
    } catch { /* the page aborted the request: that is what is being tested */ }
  });
}
