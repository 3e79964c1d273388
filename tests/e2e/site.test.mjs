// Browser tests for observd's live site, run by the e2e driver as `node --test tests/e2e/`.
// The driver starts redis-server with seeded data plus observd, and sets:
//   OBSERVD_URL    base URL of the daemon (required; the suite is skipped without it)
//   E2E_ARTIFACTS  folder for screenshots (default tests/artifacts)
//   CHROMIUM       browser binary (default /usr/bin/chromium; never downloaded)
// playwright-core comes from frontend/node_modules (`npm ci --prefix frontend`), or from
// the module path in PLAYWRIGHT_CORE. All waits have deadlines; there are no fixed sleeps.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const BASE = (process.env.OBSERVD_URL || '').replace(/\/+$/, '');
const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(repo, 'tests', 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const SSE_DEADLINE = Number(process.env.E2E_SSE_DEADLINE_MS || 25000);

function loadPlaywright() {
  const candidates = [process.env.PLAYWRIGHT_CORE, path.join(repo, 'frontend', 'package.json'), path.join(here, 'package.json')];
  for (const c of candidates.filter(Boolean)) {
    try {
      const req = createRequire(c.endsWith('.json') ? c : path.join(c, 'noop.js'));
      return req(c.endsWith('.json') ? 'playwright-core' : c);
    } catch { /* try the next one */ }
  }
  throw new Error('playwright-core not found: run `npm ci --prefix frontend` (it is a devDependency there)');
}

const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';

let browser;
let context;
const allRequests = [];

// One page with every observer the assertions need.
async function openPage(route) {
  const page = await context.newPage();
  const log = { console: [], pageErrors: [], dialogs: [], failedResponses: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.console.push(m.text()); });
  page.on('pageerror', (e) => log.pageErrors.push(String(e && e.message || e)));
  page.on('dialog', (d) => { log.dialogs.push(d.type() + ': ' + d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => { log.requests.push(r.url()); allRequests.push({ page: route, url: r.url() }); });
  page.on('response', (r) => { if (r.status() >= 400) log.failedResponses.push(r.status() + ' ' + r.url()); });
  const response = await page.goto(BASE + route, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `GET ${route} status`);
  return { page, log, response };
}

async function cspViolations(page) {
  return page.evaluate(() => (window.__cspViolations || []).slice());
}

async function assertClean(page, log, what) {
  const csp = await cspViolations(page);
  assert.deepEqual(csp, [], `${what}: CSP violations`);
  assert.deepEqual(log.pageErrors, [], `${what}: uncaught page errors`);
  assert.deepEqual(log.console, [], `${what}: console errors`);
  assert.deepEqual(log.dialogs, [], `${what}: dialogs (alert/confirm) fired`);
  assert.deepEqual(log.failedResponses, [], `${what}: failed responses`);
}

async function navCurrent(page) {
  return page.$$eval('.site-nav a[aria-current="page"]', (as) => as.map((a) => a.getAttribute('href')));
}

describe('observd live site', { skip }, () => {
  before(async () => {
    const { chromium } = loadPlaywright();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || '?'}:${e.lineNumber}`);
      });
    });
  });

  after(async () => {
    if (browser) await browser.close();
  });

  test('pages carry the contract headers', async () => {
    for (const route of ['/', '/dashboard/observability', '/dashboard/uploads']) {
      const res = await fetch(BASE + route);
      assert.equal(res.status, 200, route);
      const csp = res.headers.get('content-security-policy') || '';
      assert.match(csp, /script-src 'self'/, `${route} CSP script-src`);
      assert.match(csp, /frame-ancestors 'none'/, `${route} CSP frame-ancestors`);
      assert.doesNotMatch(csp, /unsafe-(inline|eval)/, `${route} CSP must not allow inline/eval`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${route} nosniff`);
      assert.match(res.headers.get('content-type') || '', /text\/html/, `${route} content type`);
    }
  });

  test('overview shows the version from /dashboard/api/stats', async () => {
    const { page, log } = await openPage('/');
    assert.deepEqual(await navCurrent(page), ['/']);
    await page.waitForFunction(() => /^v\d/.test(document.getElementById('fact-version').textContent), null, { timeout: 10000 });
    const hrefs = await page.$$eval('main a', (as) => as.map((a) => a.getAttribute('href')));
    for (const h of ['/dashboard/observability', '/dashboard/uploads', '/metrics']) assert.ok(hrefs.includes(h), `link to ${h}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'overview.png'), fullPage: true });
    await assertClean(page, log, 'overview');
    await page.close();
  });

  test('observability page: pulse cards, charts, metrics, SSE updates, polling fallback', async () => {
    const { page, log } = await openPage('/dashboard/observability');
    assert.deepEqual(await navCurrent(page), ['/dashboard/observability']);

    // Stats partial swapped in, cards hold numbers.
    await page.waitForSelector('#stats [data-partial="stats"][data-status]', { timeout: 10000 });
    const cards = await page.$$eval('#stats .card', (cs) => cs.map((c) => ({
      label: c.querySelector('.card-label').textContent.trim(),
      value: c.querySelector('.card-number').textContent.trim(),
    })));
    assert.ok(cards.length >= 4, 'at least four pulse cards');
    const numeric = cards.filter((c) => /^-?\d[\d.,]*$/.test(c.value));
    assert.ok(numeric.length >= 4, 'cards contain numbers: ' + JSON.stringify(cards));
    const status = await page.getAttribute('#stats [data-partial="stats"]', 'data-status');
    assert.ok(['ok', 'stale', 'down'].includes(status), 'data-status is ' + status);

    // Latency chart has data and drew non-blank pixels.
    await page.waitForFunction(() => {
      const c = window.observdCharts && window.observdCharts.latency;
      return c && c.data.datasets[0].data.some((p) => p.y !== null);
    }, null, { timeout: 15000 });
    const inked = await page.evaluate(() => {
      const canvas = document.getElementById('chart-latency');
      const ctx = canvas.getContext('2d');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
      return n;
    });
    assert.ok(inked > 500, `latency canvas has ink (${inked} px)`);
    const a11y = await page.$$eval('canvas', (cs) => cs.map((c) => [c.getAttribute('role'), c.getAttribute('aria-label')]));
    for (const [role, label] of a11y) { assert.equal(role, 'img'); assert.ok(label && label.length > 10); }
    await page.waitForFunction(() => !/No latency samples/.test(document.getElementById('latency-summary-text').textContent), null, { timeout: 10000 });

    // Metrics text panel.
    await page.waitForFunction(() => /observd_/.test((document.querySelector('#metrics pre') || {}).textContent || ''), null, { timeout: 15000 });

    // An SSE `stats` event swaps the cards again, without a polling request.
    const before = await page.evaluate(() => ({ swaps: Number(document.getElementById('stats').getAttribute('data-swaps') || 0) }));
    await page.waitForFunction((n) => {
      const o = window.observd;
      return o && o.sse.messages.stats >= 1 && Number(document.getElementById('stats').getAttribute('data-swaps') || 0) > n;
    }, before.swaps, { timeout: SSE_DEADLINE });
    const sse = await page.evaluate(() => ({ bySse: window.observd.swaps.bySse, open: window.observd.sse.open }));
    assert.ok(sse.bySse >= 1, 'a partial was swapped from an SSE event');

    // While the stream is live, timer-driven polling is cancelled rather than sent.
    await page.waitForFunction(() => window.observd.requests.skippedSse >= 1, null, { timeout: 12000 });

    // Hidden tab: polling pauses; visible again: immediate refresh.
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForFunction(() => window.observd.requests.skippedHidden >= 1, null, { timeout: 12000 });
    const statsReqsBefore = log.requests.filter((u) => u.includes('/dashboard/api/stats-html')).length;
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const t0 = Date.now();
    await page.waitForResponse((r) => r.url().includes('/dashboard/api/stats-html'), { timeout: 3000 });
    assert.ok(Date.now() - t0 < 3000, 'refresh on visible is immediate');
    assert.ok(log.requests.filter((u) => u.includes('/dashboard/api/stats-html')).length > statsReqsBefore);

    // Header pulse reflects live data.
    const pulse = await page.getAttribute('#pulse', 'data-state');
    assert.ok(['ok', 'stale', 'down'].includes(pulse), 'pulse state is ' + pulse);

    await page.screenshot({ path: path.join(ARTIFACTS, 'observability.png'), fullPage: true });
    await assertClean(page, log, 'observability');
    await page.close();
  });

  test('uploads page: rows listed, hostile filename rendered as text', async () => {
    const { page, log } = await openPage('/dashboard/uploads');
    assert.deepEqual(await navCurrent(page), ['/dashboard/uploads']);
    await page.waitForSelector('#uploads [data-partial="uploads"]', { timeout: 10000 });
    await page.waitForFunction(() => document.querySelectorAll('#uploads tbody tr').length > 0, null, { timeout: 10000 });
    const rows = await page.$$eval('#uploads tbody tr', (trs) => trs.map((tr) => tr.textContent));
    assert.ok(rows.length >= 1, 'uploads table lists rows');

    const names = await page.$$eval('#uploads .filename', (els) => els.map((e) => e.textContent));
    assert.ok(names.includes(HOSTILE), 'hostile filename appears as literal text: ' + JSON.stringify(names));
    const injected = await page.evaluate(() => ({
      imgX: document.querySelectorAll('img[src="x"]').length,
      scripts: Array.from(document.scripts).filter((s) => /alert/.test(s.textContent)).length,
      imgs: Array.from(document.images).map((i) => i.getAttribute('src')),
    }));
    assert.equal(injected.imgX, 0, 'no <img src=x> element');
    assert.equal(injected.scripts, 0, 'no injected <script>');
    assert.ok(injected.imgs.every((s) => s.startsWith('/static/')), 'only our own images: ' + injected.imgs);

    await page.screenshot({ path: path.join(ARTIFACTS, 'uploads.png'), fullPage: true });
    await assertClean(page, log, 'uploads');
    await page.close();
  });

  test('every request stays on the same origin', () => {
    const origin = new URL(BASE).origin;
    assert.ok(allRequests.length > 5, 'requests were recorded');
    const foreign = allRequests.filter((r) => {
      const u = new URL(r.url);
      return u.protocol !== 'data:' && u.origin !== origin;
    });
    assert.deepEqual(foreign, [], 'cross-origin requests');
  });
});
