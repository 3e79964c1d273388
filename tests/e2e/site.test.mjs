// Browser tests for observd's live site against a real observd + seeded redis-server
// (started by run_e2e.py, which sets OBSERVD_URL). Every wait has a deadline; no sleeps.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, setHidden, shot, url, eventually } from './support/browser.mjs';

const BASE = url('OBSERVD_URL');
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const SSE_DEADLINE = Number(process.env.E2E_SSE_DEADLINE_MS || 25000);
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';

let browser;
const allRequests = [];
const navCurrent = (page) => page.$$eval('.site-nav a[aria-current="page"]', (as) => as.map((a) => a.getAttribute('href')));

describe('observd live site', { skip }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });

  async function open(route) {
    const o = await openPage(browser.context, BASE, route);
    o.page.on('request', (r) => allRequests.push({ page: route, url: r.url() }));
    return o;
  }

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

  test('every page has the one shared header, nav and footer', async () => {
    const shells = [];
    for (const route of ['/', '/dashboard/observability', '/dashboard/uploads']) {
      const html = await (await fetch(BASE + route)).text();
      const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
      const footer = html.slice(html.indexOf('<footer'), html.indexOf('</footer>'));
      shells.push((header + footer).replace(/ aria-current="page"/g, ''));
      assert.equal((html.match(/aria-current="page"/g) || []).length, 1, `${route}: one current nav item`);
    }
    assert.equal(new Set(shells).size, 1, 'header/nav/footer identical on every page');
  });

  test('the Metrics nav item keeps the site open (new tab, marked)', async () => {
    const { page } = await open('/dashboard/uploads');
    const a = await page.$eval('.site-nav a[href="/metrics"]', (el) => ({ target: el.target, rel: el.rel, text: el.textContent }));
    assert.equal(a.target, '_blank');
    assert.match(a.rel, /noopener/);
    assert.match(a.text, /new tab/);
    await page.close();
  });

  test('overview: version, and freshness from the server', async () => {
    const { page, log } = await open('/');
    assert.deepEqual(await navCurrent(page), ['/']);
    await page.waitForFunction(() => /^v\d/.test(document.getElementById('fact-version').textContent), null, { timeout: 10000 });
    const hrefs = await page.$$eval('main a', (as) => as.map((a) => a.getAttribute('href')));
    for (const h of ['/dashboard/observability', '/dashboard/uploads', '/metrics']) assert.ok(hrefs.includes(h), `link to ${h}`);
    await page.waitForFunction(() => window.observd.serverOffsetMs !== null, null, { timeout: 10000 });
    assert.match(await page.textContent('#pulse-text'), /Updated \d\d:\d\d:\d\d/);
    await shot(page, 'overview.png');
    await assertClean(page, log, 'overview');
    await page.close();
  });

  test('the pulse clock is the server\'s, not the browser\'s', async () => {
    // A browser clock one hour fast must not move the "Updated" time.
    const { page } = await open('/');
    await page.close();
    const ctx = browser.context;
    const p = await ctx.newPage();
    await p.addInitScript(() => {
      const skew = 3600 * 1000;
      const RealDate = Date;
      const now = () => RealDate.now() + skew;
      // eslint-disable-next-line no-global-assign
      Date = class extends RealDate { constructor(...a) { super(...(a.length ? a : [now()])); } static now() { return now(); } };
    });
    await p.goto(BASE + '/', { waitUntil: 'load' });
    await p.waitForFunction(() => /Updated/.test(document.getElementById('pulse-text').textContent), null, { timeout: 10000 });
    const shown = (await p.textContent('#pulse-text')).match(/(\d\d):(\d\d)/);
    const real = new Date();
    const minutes = (h, m) => Number(h) * 60 + Number(m);
    const diff = Math.abs(minutes(shown[1], shown[2]) - minutes(real.getUTCHours(), real.getUTCMinutes()));
    assert.ok(diff <= 1 || diff >= 1439, `pulse shows server time ${shown[0]}, real UTC ${real.toISOString()}`);
    await p.close();
  });

  test('observability page: cards, charts, metrics, SSE without polling', async () => {
    const { page, log } = await open('/dashboard/observability');
    assert.deepEqual(await navCurrent(page), ['/dashboard/observability']);
    await page.waitForSelector('#stats [data-partial="stats"][data-status]', { timeout: 10000 });
    const cards = await page.$$eval('#stats .card', (cs) => cs.map((c) => c.querySelector('.card-number').textContent.trim()));
    assert.ok(cards.filter((v) => /^-?\d[\d.,]*/.test(v)).length >= 4, 'cards contain numbers: ' + JSON.stringify(cards));

    await page.waitForFunction(() => {
      const c = window.observdCharts && window.observdCharts.latency;
      return c && c.data.datasets[0].data.some((p) => p.y !== null);
    }, null, { timeout: 15000 });
    const inked = await page.evaluate(() => {
      const canvas = document.getElementById('chart-latency');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
      return n;
    });
    assert.ok(inked > 500, `latency canvas has ink (${inked} px)`);
    for (const [role, label] of await page.$$eval('canvas', (cs) => cs.map((c) => [c.getAttribute('role'), c.getAttribute('aria-label')]))) {
      assert.equal(role, 'img');
      assert.ok(label && label.length > 10);
    }
    await page.waitForFunction(() => /observd_/.test((document.querySelector('#metrics pre') || {}).textContent || ''), null, { timeout: 15000 });

    // The stream delivers: partials swapped from SSE events, and no polling request at all.
    await page.waitForFunction(() => window.observd.swaps.bySse >= 2 && window.observd.mode === 'sse', null, { timeout: SSE_DEADLINE });
    const polls0 = await page.evaluate(() => window.observd.requests.polls);
    const ticks0 = await page.evaluate(() => window.observd.sse.messages.stats || 0);
    await page.waitForFunction((n) => (window.observd.sse.messages.stats || 0) >= n + 3, ticks0, { timeout: SSE_DEADLINE });
    assert.equal(await page.evaluate(() => window.observd.requests.polls), polls0, 'no polling while the stream is live');
    assert.equal(await page.getAttribute('#pulse', 'data-state'), 'ok');
    assert.equal(await page.textContent('#pulse-mode'), 'SSE');

    await shot(page, 'observability.png');
    await assertClean(page, log, 'observability');
    await page.close();
  });

  test('cards: one uptime wording, separators, severity, honest data age', async () => {
    const { page } = await open('/dashboard/observability');
    await page.waitForSelector('#stats .card', { timeout: 10000 });
    const cards = await page.$$eval('#stats .card', (cs) => Object.fromEntries(cs.map((c) => [
      c.querySelector('.card-label').textContent.trim(),
      { value: c.querySelector('.card-value').textContent.replace(/\s+/g, ' ').trim(),
        note: c.querySelector('.card-note').textContent.trim(), severity: c.getAttribute('data-severity') }])));
    assert.match(cards.Uptime.value, /^(\d+ s|\d+ min|\d+ h \d+ min|\d+ d \d+ h)$/, 'uptime like the overview: ' + cards.Uptime.value);
    for (const [k, c] of Object.entries(cards)) assert.doesNotMatch(c.value, /—\s*\S/, `${k}: no unit after an unknown value`);
    const failed = Number(cards['Failed runs'].value.replace(/,/g, ''));
    assert.equal(cards['Failed runs'].severity, failed > 0 ? (failed >= 10 ? 'bad' : 'warn') : 'ok', 'failed runs severity');
    assert.ok(['ok', 'warn', 'bad'].includes(cards['Redis latency'].severity), 'latency severity ' + cards['Redis latency'].severity);
    assert.match(cards['Data age'].note, /^snapshot of \d\d:\d\d:\d\d/, 'data age names the snapshot time, not now');
    // The overview says the same uptime in the same words.
    const o = await open('/');
    await o.page.waitForFunction(() => document.getElementById('fact-uptime').textContent !== '—', null, { timeout: 10000 });
    assert.match(await o.page.textContent('#fact-uptime'), /^(\d+ s|\d+ min|\d+ h \d+ min|\d+ d \d+ h)$/);
    await o.page.close();
    await page.close();
  });

  test('hidden tab: stream closed and nothing polled; visible again: refreshed at once', async () => {
    const { page, log } = await open('/dashboard/observability');
    await page.waitForFunction(() => window.observd.mode === 'sse' && window.observd.sse.open, null, { timeout: SSE_DEADLINE });
    await setHidden(page, true);
    assert.equal(await page.evaluate(() => window.observd.streamConnected()), false, 'EventSource closed while hidden');
    const n = log.requests.length;
    const messages = await page.evaluate(() => JSON.stringify(window.observd.sse.messages));
    // Three poll periods (5 s) pass without a single request or event.
    const t0 = Date.now();
    await eventually(() => Date.now() - t0 > 12000, { timeout: 15000, interval: 500, message: '12 s hidden' });
    assert.deepEqual(log.requests.slice(n).map((r) => r.url), [], 'no request while hidden');
    assert.equal(await page.evaluate(() => JSON.stringify(window.observd.sse.messages)), messages, 'no SSE event while hidden');
    const swaps = await page.evaluate(() => window.observd.swaps.total);
    await setHidden(page, false);
    await page.waitForFunction((s) => window.observd.swaps.total > s, swaps, { timeout: 3000 });
    await page.waitForFunction(() => window.observd.streamConnected() && window.observd.sse.open, null, { timeout: 10000 });
    await assertClean(page, log, 'hidden/visible');
    await page.close();
  });

  test('uploads page: rows listed, hostile filename rendered as text', async () => {
    const { page, log } = await open('/dashboard/uploads');
    assert.deepEqual(await navCurrent(page), ['/dashboard/uploads']);
    await page.waitForFunction(() => document.querySelectorAll('#uploads tbody tr').length > 0, null, { timeout: 10000 });
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
    await shot(page, 'uploads.png');
    await assertClean(page, log, 'uploads');
    await page.close();
  });

  test('no layout shift while the page loads and the partials arrive', async () => {
    for (const route of ['/', '/dashboard/observability', '/dashboard/uploads']) {
      const { page } = await open(route);
      await page.waitForFunction(() => window.observd.lastUpdateAt > 0, null, { timeout: 10000 });
      await page.waitForFunction(() => !window.observdCharts || window.observdCharts.state.loaded, null, { timeout: 10000 });
      const cls = await page.evaluate(() => window.__layoutShift);
      assert.ok(cls < 0.02, `${route}: cumulative layout shift ${cls.toFixed(3)} < 0.02`);
      await page.close();
    }
  });

  test('/favicon.ico is served (no 404 on /metrics)', async () => {
    const res = await fetch(BASE + '/favicon.ico');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^image\//);
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
