// A stand-in for observd's HTTP surface, for front-end work and for running site.test.mjs
// without the C++ daemon: serves <www> with the CSP of docs/internal-contracts.md and the
// page URLs, panel routes and event topics of the site manifest the build writes from
// exporter/dashboard/ (pages.cc, panels.cc: build/site-manifest.json, next to <www>),
// renders <templates> with a tiny mustache subset ({{x}}, {{#x}}, {{^x}}, {{! }},
// {{> partial}}; escaped only) and fakes the JSON + SSE shapes.
//
//   node tests/e2e/support/mock-observd.mjs --www build/www --templates build/templates \
//        [--manifest build/site-manifest.json] [--port 0] [--sse-interval 2] [--redis-down]
//        [--empty] [--history-hours 36] [--store ok|memory|failed]
// Prints "listening http://127.0.0.1:PORT" on stdout. Not a test file (node --test skips it).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : dflt; };
const flag = (name) => args.includes('--' + name);
const WWW = path.resolve(opt('www', 'build/www'));
const TPL = path.resolve(opt('templates', 'build/templates'));
const MANIFEST = JSON.parse(fs.readFileSync(path.resolve(opt('manifest', path.join(path.dirname(WWW), 'site-manifest.json'))), 'utf8'));
const PORT = Number(opt('port', '0'));
const SSE_INTERVAL = Number(opt('sse-interval', '2')) * 1000;
const REDIS_DOWN = flag('redis-down');
const EMPTY = flag('empty');

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// ---- tiny mustache ------------------------------------------------------------------------
const esc = (s) => String(s).replace(/[&<>"'`=\/]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;', '/': '&#47;' }[c]));
function lookup(stack, name) {
  for (let i = stack.length - 1; i >= 0; i--) {
    const c = stack[i];
    if (c && typeof c === 'object' && name in c) return c[name];
  }
  return undefined;
}
function render(tpl, stack) {
  let out = '';
  let i = 0;
  const re = /\{\{([#^\/!>]?)\s*([^}]*?)\s*\}\}/g;
  while (true) {
    re.lastIndex = i;
    const m = re.exec(tpl);
    if (!m) { out += tpl.slice(i); break; }
    out += tpl.slice(i, m.index);
    const [whole, kind, name] = m;
    i = m.index + whole.length;
    if (kind === '!') continue;
    if (kind === '>') { out += render(loadTemplate(name), stack); continue; }
    if (kind === '#' || kind === '^') {
      // find matching close, honouring nesting of the same name
      let depth = 1; let j = i; let inner; let closeEnd;
      const re2 = new RegExp('\\{\\{([#^\\/])\\s*' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*\\}\\}', 'g');
      re2.lastIndex = j;
      let m2;
      while ((m2 = re2.exec(tpl))) {
        if (m2[1] === '/') depth--; else depth++;
        if (depth === 0) { inner = tpl.slice(i, m2.index); closeEnd = m2.index + m2[0].length; break; }
      }
      if (inner === undefined) throw new Error('unclosed section ' + name);
      const v = lookup(stack, name);
      const falsy = v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0);
      if (kind === '^') { if (falsy) out += render(inner, stack); }
      else if (!falsy) {
        if (Array.isArray(v)) for (const item of v) out += render(inner, [...stack, item]);
        else out += render(inner, [...stack, v]);
      }
      i = closeEnd;
      continue;
    }
    if (kind === '/') throw new Error('stray close ' + name);
    const v = lookup(stack, name);
    out += v === undefined || v === null ? '' : esc(v);
  }
  return out;
}

// ---- fake data ----------------------------------------------------------------------------
const started = Date.now() / 1000;
let requests = 0;
let hits = 40, misses = 3;
const pad = (n) => String(n).padStart(2, '0');
const utc = (t) => { const d = new Date(t * 1000); return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`; };
const latency = [];
for (let t = Math.floor(started) - 3600; t <= Math.floor(started); t++) {
  latency.push([t, (t % 97 === 0) ? null : +(0.18 + 0.05 * Math.sin(t / 60) + (t % 13) / 200).toFixed(3)]);
}
setInterval(() => {
  const t = Math.floor(Date.now() / 1000);
  latency.push([t, REDIS_DOWN ? null : +(0.2 + Math.random() * 0.08).toFixed(3)]);
  while (latency.length > 3600) latency.shift();
  hits++;
}, 1000).unref();

const uploads = EMPTY ? [] : [
  { id: 'u-hostile', filename: '<script>alert(1)</script><img src=x onerror=alert(2)>', user: 'mallory', size_human: '12 B', size_bytes: '12', content_type: 'text/html', status: 'failed', status_class: 'failed', age: '1 min ago', created_at_iso: '2026-11-28T18:30:05Z' },
  { id: 'u-2', filename: 'quarterly-report-2026-Q3.pdf', user: 'alice', size_human: '1.4 MiB', size_bytes: '1468006', content_type: 'application/pdf', status: 'stored', status_class: 'stored', age: '3 min ago', created_at_iso: '2026-11-28T18:28:05Z' },
  { id: 'u-3', filename: 'holiday photo (1).jpeg', user: 'bob', size_human: '3.2 MiB', size_bytes: '3355443', content_type: 'image/jpeg', status: 'processing', status_class: 'processing', age: '9 min ago', created_at_iso: '2026-11-28T18:22:05Z' },
  { id: 'u-4', filename: 'dump.sql.gz', user: '—', size_human: '—', size_bytes: '', content_type: '—', status: '—', status_class: 'unknown', age: '—', created_at_iso: '' },
];

function common() {
  const age = REDIS_DOWN ? 45 : 1;
  return {
    status_class: REDIS_DOWN ? 'down' : 'ok',
    status_text: REDIS_DOWN ? `Redis unavailable — data from ${age} s ago` : 'Live',
    updated_at: utc(Date.now() / 1000), updated_at_iso: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    now: String(Math.floor(Date.now() / 1000)), stale: REDIS_DOWN, redis_up: !REDIS_DOWN,
  };
}
// Same words as render/format.cc HumanDuration.
function duration(sec) {
  const m = Math.floor(sec / 60), h = Math.floor(m / 60);
  return sec < 60 ? `${Math.floor(sec)} s` : m < 60 ? `${m} min` : h < 24 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}
function loadTemplate(name) { return fs.readFileSync(path.join(TPL, name + '.mustache'), 'utf8'); }
const tpl = loadTemplate;
function statsHtml() {
  return render(tpl('stats'), [{
    ...common(), uptime_human: duration(Date.now() / 1000 - started), requests_total: requests.toLocaleString('en-US'),
    redis_latency_ms: REDIS_DOWN ? '—' : String(latency[latency.length - 1][1] ?? '—'), redis_latency_known: !REDIS_DOWN,
    latency_severity: REDIS_DOWN ? 'unknown' : 'ok', cache_hit_rate_pct: (100 * hits / (hits + misses)).toFixed(1),
    cache_hit_rate_known: true, cache_hit_rate_note: 'snapshot cache, since start', uploads_total: (uploads.length * 780).toLocaleString('en-US'),
    uploads_1h: '40', uploads_24h: '900', active_users: '17', runs_failed_1h: '2', failed_runs_severity: 'warn',
    snapshot_known: true, snapshot_age_human: REDIS_DOWN ? '45 s' : '1 s', snapshot_severity: REDIS_DOWN ? 'warn' : 'ok',
    snapshot_at: utc(Date.now() / 1000 - 1), snapshot_at_iso: new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    runs_window_minutes: '60', runs_window_end: utc(Date.now() / 1000 - 1),
    runs_window_end_iso: new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
  }]);
}
function uploadsHtml(limit, status = 'all', q = '') {
  const matching = uploads.filter((u) => (status === 'all' || u.status === status) && u.filename.toLowerCase().includes(q.toLowerCase()));
  const list = matching.slice(0, limit);
  return render(tpl('recent_uploads'), [{ ...common(), has_uploads: list.length > 0, count: String(list.length),
    matching: String(matching.length), total: String(uploads.length), filtered: status !== 'all' || q !== '', uploads: list }]);
}
function metricsText() {
  return `# HELP observd_build_info Build information.\n# TYPE observd_build_info gauge\nobservd_build_info{version="0.1.0",revision="mock"} 1\n` +
    `# HELP observd_redis_up 1 when the last Redis round trip succeeded.\n# TYPE observd_redis_up gauge\nobservd_redis_up ${REDIS_DOWN ? 0 : 1}\n` +
    `# TYPE observd_http_requests_total counter\nobservd_http_requests_total{handler="metrics",code="200"} ${requests}\n` +
    `# TYPE observd_app_uploads gauge\nobservd_app_uploads 3120\n`;
}
const metricsHtml = () => render(tpl('metrics_text'), [{ ...common(), metrics_text: metricsText() }]);
const storeHtml = () => render(tpl('history_store'), [{ state: 'memory', state_text: 'Memory only', severity: '',
  message: 'history.path is empty: the last 24 hours are kept in memory only', size: '\u2014',
  last_write_known: false, last_write: '\u2014', since_known: false, since_age: '\u2014',
  retention: '1 d 0 h (memory)', now: String(Math.floor(Date.now() / 1000)) }]);
// History API v2 (the contract in issue 18): windows of [from, to], `step` buckets aligned
// to multiples of step, the open bucket, history_since and the store's state. The data is
// a deterministic function of time, so any window can be asked for: observd's own series
// exist from HISTORY_SINCE (a store kept them across restarts), with a restart gap and a
// Redis outage inside; the application's series (uploads, runs) are known for every bucket.
const STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
const HISTORY_SINCE = Math.floor(started / 60) * 60 - Number(opt('history-hours', '36')) * 3600;
const GAP = [Math.floor(started / 60) * 60 - 5 * 3600, Math.floor(started / 60) * 60 - 5 * 3600 + 1200];  // observd stopped
const OUTAGE = [Math.floor(started / 60) * 60 - 3 * 3600, Math.floor(started / 60) * 60 - 3 * 3600 + 900];  // Redis down
const STORE = opt('store', 'ok');  // ok | memory | failed
const ANNOTATIONS = [
  { t: GAP[1], end: null, kind: 'restart', text: 'observd restarted (version 0.1.0)' },
  { t: OUTAGE[0], end: OUTAGE[1], kind: 'redis_down', text: 'Redis unavailable: connection refused' },
  { t: Math.floor(started) - 7200, end: null, kind: 'reload', text: 'configuration reloaded (SIGHUP)' },
  { t: started, end: null, kind: 'restart', text: 'observd started' },
];
const observing = (t) => t >= HISTORY_SINCE && !(t >= GAP[0] && t < GAP[1]);
const wave = (t, period, lo, hi) => lo + (hi - lo) * (0.5 + 0.5 * Math.sin((2 * Math.PI * t) / period));
function stepFor(from, to) { return STEPS.find((s) => (to - from) / s <= 1500) || STEPS[STEPS.length - 1]; }
function historyWindow(params) {
  const now = Date.now() / 1000;
  const has = params.has('from') || params.has('to');
  const from = has ? Number(params.get('from')) : now - 3600;
  const to = has ? Number(params.get('to')) : now;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to || to - from < 60 || to - from > 90 * 86400) return null;
  return { from, to, now };
}
function historyJson(params, delta) {
  const w = historyWindow(params);
  if (!w) return null;
  const { from, to, now } = w;
  const step = stepFor(from, to);
  const buckets = [];
  for (let t = Math.floor(from / step) * step; t <= Math.min(to, now); t += step) buckets.push(t);
  const per = (fn) => buckets.map((t) => [t, fn(t)]);
  const scale = step / 60;
  const open = Math.floor(now / step) * step;
  const latencyBuckets = [];
  for (const t of buckets) {
    if (!observing(t)) continue;
    const samples = Math.min(step, Math.max(1, Math.floor(now - t)));
    if (t >= OUTAGE[0] && t < OUTAGE[1]) { latencyBuckets.push([t, samples, samples, null, null, null, null]); continue; }
    const mean = +wave(t, 5400, 0.15, 0.4).toFixed(3);
    const failed = (t / step) % 37 === 0 ? 1 : 0;
    latencyBuckets.push([t, samples, failed, +(mean * 0.6).toFixed(3), mean, +(mean * 3).toFixed(3), +(mean * 2.5).toFixed(3)]);
  }
  const since = Number(params.get('since'));
  const points = latency.filter((p) => p[0] >= Math.max(from, now - 3600) && p[0] <= to && (!delta || !(since > 0) || p[0] > since));
  return {
    now,
    started_at: started,
    window: { from, to, step },
    open_bucket: open >= Math.floor(from / step) * step && open <= to ? open : null,
    history_since: HISTORY_SINCE,
    store: { state: STORE, message: STORE === 'ok' ? 'SQLite store /var/lib/observd/history.db' : STORE === 'memory'
      ? 'no store configured: history is kept in memory and lost on restart' : 'cannot open /var/lib/observd/history.db: disk I/O error',
    retention_seconds: 30 * 86400 },
    annotations: ANNOTATIONS.filter((a) => (a.end ?? a.t) >= from && a.t <= to),
    latency: { interval_seconds: 1, points: delta && !(since > 0) ? points.slice(-10) : points },
    latency_buckets: latencyBuckets,
    requests: per((t) => (observing(t) ? Math.round(scale * wave(t, 3600, 10, 40)) : null)),
    cache_buckets: per((t) => (observing(t) ? [Math.round(scale * 5), Math.round(scale / 3)] : [null, null])).map(([t, v]) => [t, v[0], v[1]]),
    uploads: per((t) => (EMPTY ? 0 : REDIS_DOWN && t > started ? null : Math.round(scale * wave(t, 7200, 0, 5)))),
    runs: {
      succeeded: per((t) => (REDIS_DOWN && t > started ? null : Math.round(scale * wave(t, 2700, 0, 4)))),
      failed: per((t) => (REDIS_DOWN && t > started ? null : (t / step) % 17 === 0 ? 1 : 0)),
      running: per((t) => (REDIS_DOWN && t > started ? null : t >= now - 600 ? 1 : 0)),
    },
    cache: { hits, misses, ratio: hits / (hits + misses) },
    snapshot: { available: !REDIS_DOWN, age_seconds: 1, stale: REDIS_DOWN },
    redis: { up: !REDIS_DOWN, latency_ms: 0.21 },
  };
}
function statsJson() {
  return {
    version: '0.1.0', revision: 'mock', uptime_seconds: Date.now() / 1000 - started, requests_total: requests,
    redis: { up: !REDIS_DOWN, latency_seconds: REDIS_DOWN ? null : 0.0002, errors_total: 0 },
    cache: { hits, misses, ratio: hits / (hits + misses), ttl_seconds: 30 },
    snapshot: { available: true, age_seconds: REDIS_DOWN ? 45 : 1, stale: REDIS_DOWN, computed_at: started, uploads_total: 3120 },
  };
}

// ---- server -------------------------------------------------------------------------------
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };
const PAGES = MANIFEST.pages;  // URL -> file below <www>
// The panels' partials by route, and what each renders (by panel name).
const PANEL_HTML = {
  stats: () => statsHtml(),
  recent_uploads: (params, limitName) => uploadsHtml(Math.min(100, Math.max(1, Number(params.get(limitName)) || 10)),
    params.get('status') || 'all', params.get('q') || ''),
  metrics_text: () => metricsHtml(),
  history_store: () => storeHtml(),
};
const PANELS = Object.fromEntries(MANIFEST.panels.map((p) => {
  if (!PANEL_HTML[p.name]) throw new Error(`mock-observd: no renderer for the ${p.name} panel`);
  return [p.route, p];
}));
const base = { 'X-Content-Type-Options': 'nosniff' };

function send(res, code, type, body, extra = {}) {
  res.writeHead(code, { ...base, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

const server = http.createServer((req, res) => {
  requests++;
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
  if (Object.hasOwn(PAGES, p)) return send(res, 200, TYPES['.html'], fs.readFileSync(path.join(WWW, PAGES[p])), { 'Content-Security-Policy': CSP });
  if (p.startsWith('/static/')) {
    const rel = p.slice(1);
    const file = path.join(WWW, rel);
    if (!file.startsWith(WWW + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send(res, 404, 'text/plain', 'not found\n');
    return send(res, 200, TYPES[path.extname(file)] || 'application/octet-stream', fs.readFileSync(file), { 'Cache-Control': 'public, max-age=3600' });
  }
  if (p === '/metrics') return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', metricsText());
  if (p === '/dashboard/api/stats') return send(res, 200, 'application/json', JSON.stringify(statsJson()));
  if (p === '/dashboard/api/history') {
    const h = historyJson(url.searchParams, url.searchParams.has('since'));
    return h ? send(res, 200, 'application/json', JSON.stringify(h)) : send(res, 400, 'text/plain', 'bad window\n');
  }
  if (Object.hasOwn(PANELS, p)) {
    if (PANELS[p].name === 'stats') hits++;
    return send(res, 200, TYPES['.html'], PANEL_HTML[PANELS[p].name](url.searchParams, 'limit'));
  }
  if (p === '/dashboard/api/events') {
    res.writeHead(200, { ...base, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 3000\n\n');
    const event = (name, data) => res.write(`event: ${name}\n` + String(data).split('\n').map((l) => 'data: ' + l).join('\n') + '\n\n');
    const topics = (url.searchParams.get('topics') || MANIFEST.topics.join(',')).split(',');
    const tick = () => {
      event('tick', JSON.stringify({ now: Math.floor(Date.now() / 1000) }));
      for (const panel of MANIFEST.panels) {
        if (panel.topic && topics.includes(panel.topic)) event(panel.topic, PANEL_HTML[panel.name](url.searchParams, 'uploads_limit'));
      }
      if (topics.includes('history')) event('history', JSON.stringify(historyJson(new URLSearchParams(), true)));
    };
    const t = setInterval(tick, SSE_INTERVAL);
    const hb = setInterval(() => res.write(': heartbeat\n\n'), 15000);
    req.on('close', () => { clearInterval(t); clearInterval(hb); });
    return;
  }
  if (p === '/-/healthy' || p === '/-/ready') return send(res, 200, 'text/plain', 'OK\n');
  if (p === '/favicon.ico') return send(res, 200, TYPES['.svg'], fs.readFileSync(path.join(WWW, 'static/favicon.svg')));
  return send(res, 404, 'text/plain', 'not found\n');
});
server.listen(PORT, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
});
