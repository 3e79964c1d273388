// The charts' window in real Chromium (issue 18): live ranges up to 7 days, the custom
// absolute range, drag-to-zoom and pan linked across the time charts with the data
// fetched for the new window (debounced, older requests cancelled), the window in the URL
// and in back/forward, legends over the visible window, annotations reachable by keyboard,
// history_since and the store's state, and the table view of every chart by keyboard.
// History answers are crafted (support/history-doc.mjs); live updates are paused.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, axe, eventually, url } from './support/browser.mjs';
import { historyDoc, routeHistory } from './support/history-doc.mjs';
import { gesture, centreOf } from './support/touch.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';

let browser;
describe('chart window, zoom, legends', { skip }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });

  async function open(query = '', opts = {}, seen = [], hold = null) {
    const o = await openPage(browser.context, BASE, '/dashboard/observability?live=0' + query,
      { beforeGoto: (p) => routeHistory(p, opts, seen, hold) });
    await o.page.waitForFunction(() => window.observdCharts && window.observdCharts.state.loaded, null, { timeout: 10000 });
    return { ...o, seen };
  }
  const xs = (page) => page.evaluate(() => ['latency', 'runs', 'traffic'].map((k) => [window.observdCharts[k].scales.x.min / 1000, window.observdCharts[k].scales.x.max / 1000]));
  const lastFetch = (page) => page.evaluate(() => window.observdCharts.state.fetches[window.observdCharts.state.fetches.length - 1]);
  const windowOf = (u) => { const p = new URLSearchParams(u.split('?')[1] || ''); return [Number(p.get('from')), Number(p.get('to'))]; };
  async function tabTo(page, selector, max = 120) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  test('live ranges up to 7 days fetch their window; back/forward restores the view', async () => {
    const { page, log, seen } = await open();
    for (const [range, span, step] of [['6h', 21600, 60], ['24h', 86400, 60], ['7d', 604800, 600]]) {
      await page.click(`[data-range="${range}"]`);
      assert.match(page.url(), new RegExp(`[?&]range=${range}`));
      await page.waitForFunction((s) => window.observdCharts.data.step === s && window.observdCharts.state.fetches.length > 0, step);
      const w = windowOf(await lastFetch(page));
      assert.ok(Math.abs(w[1] - w[0] - span) <= 1, `${range}: fetched window ${w}`);
      for (const [a, b] of await xs(page)) assert.ok(Math.abs(b - a - span) < 1, `${range}: x span ${b - a}`);
      assert.equal(await page.getAttribute(`[data-range="${range}"]`, 'aria-pressed'), 'true');
      assert.equal(await page.evaluate(() => window.observdCharts.latency.$observd.bucketed), true);
    }
    assert.ok(seen.some((u) => /from=\d+&to=\d+/.test(u)));
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('[data-range="24h"]').getAttribute('aria-pressed') === 'true');
    const [a, b] = (await xs(page))[0];
    assert.ok(Math.abs(b - a - 86400) < 1, 'back: 24 h again');
    await assertClean(page, log, 'ranges');
    await page.close();
  });

  test('custom range: validated, in the URL as unix seconds, not live, back to live', async () => {
    const { page, log } = await open();
    await page.click('#range-custom-toggle');
    assert.equal(await page.isVisible('#range-custom'), true);
    assert.equal(await page.textContent('#range-zone'), 'Times in UTC');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'range-from', 'focus moves into the form');
    const day = new Date(Date.now() - 2 * 86400000).toISOString().slice(0, 10);
    await page.fill('#range-from', `${day}T12:00`);
    await page.fill('#range-to', `${day}T10:00`);
    await page.click('#range-custom button[type="submit"]');
    assert.equal(await page.isVisible('#range-error'), true);
    assert.match(await page.textContent('#range-error'), /end must be after the start/);
    assert.equal(await page.getAttribute('#range-to', 'aria-invalid'), 'true');
    assert.doesNotMatch(page.url(), /from=/);
    await page.fill('#range-to', `${day}T14:30`);
    await page.keyboard.press('Enter');
    const from = Date.parse(`${day}T12:00:00Z`) / 1000, to = Date.parse(`${day}T14:30:00Z`) / 1000;
    await page.waitForFunction(() => /from=/.test(location.search));
    assert.match(page.url(), new RegExp(`from=${from}&to=${to}`));
    await page.waitForFunction((f) => window.observdCharts.state.fetches.some((u) => u.includes('from=' + f)), from);
    for (const w of await xs(page)) assert.deepEqual(w, [from, to]);
    assert.equal(await page.textContent('#view-mode'), 'Not live');
    assert.match(await page.textContent('#view-window'), /12:00 – .*14:30 \(UTC\); not updated/);
    assert.equal(await page.isVisible('#view-live'), true);
    await page.click('#view-live');
    assert.equal(await page.textContent('#view-mode'), 'Live');
    assert.doesNotMatch(page.url(), /from=|to=/);
    assert.equal(await page.getAttribute('[data-range="1h"]', 'aria-pressed'), 'true');
    await assertClean(page, log, 'custom range');
    await page.close();
  });

  test('a shared link shows exactly the sender\'s window (unix seconds or ISO)', async () => {
    const to = Math.floor(Date.now() / 1000) - 86400, from = to - 5400;
    for (const q of [`&from=${from}&to=${to}`, `&from=${new Date(from * 1000).toISOString()}&to=${new Date(to * 1000).toISOString()}`]) {
      const { page, seen } = await open(q);
      for (const w of await xs(page)) assert.deepEqual(w, [from, to], q);
      assert.ok(seen.some((u) => u.endsWith(`?from=${from}&to=${to}`)), JSON.stringify(seen));
      assert.equal(await page.textContent('#view-mode'), 'Not live');
      assert.equal(await page.getAttribute('#latency-csv', 'href'), `/dashboard/api/history.csv?series=latency&from=${from}&to=${to}`, 'CSV of the window on screen');
      await page.close();
    }
  });

  test('drag-to-zoom on one chart zooms all, fetches the new window, can be undone with Back', async () => {
    const { page, log } = await open();
    await page.$eval('#chart-traffic', (c) => c.scrollIntoView({ block: 'center' }));
    const box = await page.$eval('#chart-traffic', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    const before = await xs(page);
    const fetches0 = await page.evaluate(() => window.observdCharts.state.fetches.length);
    await page.mouse.move(box.x + box.w * 0.4, box.y + box.h * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.w * 0.55, box.y + box.h * 0.5, { steps: 5 });
    await page.mouse.move(box.x + box.w * 0.7, box.y + box.h * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => /from=/.test(location.search));
    const after = await xs(page);
    const span = after[0][1] - after[0][0];
    assert.ok(span < (before[0][1] - before[0][0]) * 0.5 && span >= 60, `zoomed to ${span} s`);
    for (const w of after.slice(1)) assert.deepEqual(w, after[0], 'every time chart shows the same window');
    await page.waitForFunction((n) => window.observdCharts.state.fetches.length > n, fetches0);
    const w = windowOf(await lastFetch(page));
    assert.ok(Math.abs(w[0] - after[0][0]) <= 1 && Math.abs(w[1] - after[0][1]) <= 1, `fetched ${w} for ${after[0]}`);
    assert.equal(await page.textContent('#view-mode'), 'Not live');
    await page.goBack();
    await page.waitForFunction(() => window.observdView.get().live);
    assert.doesNotMatch(page.url(), /from=/);
    await assertClean(page, log, 'drag zoom');
    await page.close();
  });

  test('shift-drag pans every chart; keyboard buttons zoom and pan too', async () => {
    const { page, log } = await open('&from=' + (Math.floor(Date.now() / 1000) - 7200) + '&to=' + (Math.floor(Date.now() / 1000) - 3600));
    const [a0, b0] = (await xs(page))[0];
    await page.$eval('#chart-latency', (c) => c.scrollIntoView({ block: 'center' }));
    const box = await page.$eval('#chart-latency', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.w * 0.4, box.y + box.h * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.w * 0.5, box.y + box.h * 0.5, { steps: 8 });
    await page.mouse.move(box.x + box.w * 0.6, box.y + box.h * 0.5, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await eventually(async () => (await xs(page))[0][0] < a0 - 60, { message: 'panned to earlier times' });
    const panned = await xs(page);
    assert.ok(Math.abs((panned[0][1] - panned[0][0]) - (b0 - a0)) < 2, 'same span after a pan');
    for (const w of panned.slice(1)) assert.deepEqual(w, panned[0]);
    await page.focus('[data-nudge="zoom:1"]');
    await page.keyboard.press('Enter');
    const z = (await xs(page))[0];
    assert.ok(Math.abs((z[1] - z[0]) - (b0 - a0) / 2) < 2, 'Zoom in halves the span');
    await page.focus('[data-nudge="pan:-1"]');
    await page.keyboard.press('Enter');
    const p = (await xs(page))[0];
    assert.ok(Math.abs(p[0] - (z[0] - (z[1] - z[0]) / 2)) < 2, 'Earlier moves half a span back');
    await assertClean(page, log, 'pan');
    await page.close();
  });

  test('zoom requests are debounced; an older request is cancelled and its answer ignored', async () => {
    let release;
    const held = new Promise((r) => { release = r; });
    let first = true;
    const hold = (u) => {
      if (!u.searchParams.has('from') || !first) return null;
      first = false;
      return held;
    };
    const { page, log } = await open('', {}, [], hold);
    await page.click('[data-nudge="zoom:1"]');
    await page.click('[data-nudge="zoom:1"]');  // within the debounce: one request for both
    await page.waitForFunction(() => window.observdCharts.state.fetches.filter((u) => /from=/.test(u)).length === 1);
    await page.click('[data-nudge="pan:-1"]');  // while the first is held: it is aborted
    await page.waitForFunction(() => window.observdCharts.state.fetches.filter((u) => /from=/.test(u)).length === 2);
    release();
    await page.waitForFunction(() => window.observdCharts.state.aborted >= 1);
    const last = windowOf(await lastFetch(page));
    await eventually(() => page.evaluate((f) => window.observdCharts.data.window && Math.abs(window.observdCharts.data.window.from - f) < 1, last[0]),
      { message: 'the newest window\'s data is on screen' });
    await assertClean(page, log, 'debounce');
    await page.close();
  });

  test('legends: min / mean / max / last / total over the visible window, unknown is not zero', async () => {
    const now = Math.floor(Date.now() / 1000) - 86400;
    const to = Math.floor(now / 60) * 60, from = to - 600;
    // 10 closed buckets: requests 1..10 except the 5th unknown; uploads all unknown.
    const opts = { now: now + 86400, requests: (t) => (t === from + 240 ? null : (t - from) / 60 + 1), uploads: () => null };
    const { page, log } = await open(`&from=${from}&to=${to}`, opts);
    const row = (k) => page.$$eval(`#traffic-legend tr[data-series="${k}"] td`, (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(await row('requests'), ['1', '5.6', '10', '10', '50']);
    assert.deepEqual(await row('uploads'), ['—', '—', '—', '—', '—']);
    const heads = await page.$$eval('#traffic-legend thead th', (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(heads, ['Series', 'Min', 'Mean', 'Max', 'Last', 'Total']);
    assert.match(await page.textContent('#runs-legend'), /Started, still running/);
    await assertClean(page, log, 'legends');
    await page.close();
  });

  test('annotations are listed in the legends and reachable by keyboard, with their text', async () => {
    const now = Date.now() / 1000;
    const opts = { annotations: [{ t: now - 1200, end: null, kind: 'reload', text: 'configuration reloaded (SIGHUP)' },
      { t: now - 900, end: now - 600, kind: 'redis_down', text: 'Redis unavailable: connection refused' }] };
    const { page, log } = await open('', opts);
    const items = await page.$$eval('#latency-events .annotation-item', (bs) => bs.map((b) => [b.title, b.textContent]));
    assert.equal(items.length, 2);
    assert.equal(items[1][0], 'Redis unavailable: connection refused');
    assert.match(items[1][1], /^Redis down, \d\d:\d\d–\d\d:\d\d/);
    const drawn = await page.evaluate(() => window.observdCharts.overlay.drawn['chart-latency']);
    assert.deepEqual(drawn.labels, ['reload', 'Redis down']);
    await page.focus('#range-custom-toggle');
    await tabTo(page, '#latency-events .annotation-redis_down');
    assert.match(await page.textContent('#latency-annotation'), /Redis unavailable: connection refused/);
    assert.equal(await page.evaluate(() => window.observdCharts.overlay.highlight), 1);
    await assertClean(page, log, 'annotations');
    await page.close();
  });

  test('history since: earlier parts are hatched "no data"; a failed store is said next to the charts', async () => {
    const now = Math.floor(Date.now() / 1000);
    const since = now - 7 * 3600;
    const opts = { since, store: { state: 'failed', message: 'cannot open /var/lib/observd/history.db: disk I/O error', retention_seconds: 0 } };
    const { page, log } = await open('&range=24h', opts);
    await page.waitForFunction(() => window.observdCharts.state.fetches.some((u) => /from=/.test(u)) && window.observdCharts.data.step === 60);
    assert.match(await page.textContent('#history-since'), /^History since .* UTC; earlier parts of this window are hatched: no data\.$/);
    const nd = await page.evaluate(() => ['chart-latency', 'chart-traffic'].map((id) => window.observdCharts.overlay.drawn[id].noData[0]));
    const [a] = (await xs(page))[0];
    for (const s of nd) { assert.ok(Math.abs(s[0] - a) < 1); assert.equal(s[1], since); }
    const req = await page.evaluate((s) => window.observdCharts.traffic.data.datasets[0].data.filter((p) => p.t < s).map((p) => p.y), since);
    assert.ok(req.length > 0 && req.every((y) => y === null), 'requests before history_since are unknown, not 0');
    assert.equal(await page.isVisible('#store-alert'), true);
    assert.equal(await page.textContent('#store-alert'), 'History is not being kept: cannot open /var/lib/observd/history.db: disk I/O error');
    await assertClean(page, log, 'history since');
    await page.close();
  });

  test('every chart\'s values are reachable by keyboard as a table; axe stays clean', async () => {
    const { page, log } = await open();
    await page.focus('#range-custom-toggle');
    await tabTo(page, '#traffic-table-toggle');
    assert.equal(await page.getAttribute('#traffic-table-toggle', 'aria-expanded'), 'false');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#traffic-table-toggle', 'aria-expanded'), 'true');
    assert.equal(await page.isVisible('#traffic-data'), true);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'traffic-data', 'the table region takes focus (scrollable by arrow keys)');
    const rows = await page.$$eval('#traffic-data tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent)));
    assert.ok(rows.length >= 59, `${rows.length} rows`);
    assert.match(rows[0][0], /^\d\d:\d\d–\d\d:\d\d$/);
    assert.match(await page.textContent('#traffic-data caption'), /times in UTC/);
    await page.click('#latency-table-toggle');
    assert.ok((await page.$$('#latency-data tbody tr')).length > 100);
    const v = await axe(page);
    assert.deepEqual(v, [], JSON.stringify(v, null, 1));
    await assertClean(page, log, 'tables');
    await page.close();
  });
});

describe('chart zoom and pan by touch', { skip }, () => {
  let touch;
  before(async () => { touch = await launch({ viewport: { width: 390, height: 844 }, hasTouch: true }); });
  after(async () => { if (touch) await touch.close(); });

  test('a horizontal swipe pans, a pinch zooms, every chart follows', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { page, log } = await openPage(touch.context, BASE, `/dashboard/observability?live=0&from=${now - 7200}&to=${now - 3600}`,
      { beforeGoto: (p) => routeHistory(p, {}) });
    await page.waitForFunction(() => window.observdCharts && window.observdCharts.state.loaded, null, { timeout: 10000 });
    const cdp = await page.context().newCDPSession(page);
    const centre = () => centreOf(page, '#chart-latency');
    let box = await centre();
    // A vertical swipe over a chart scrolls the page and leaves the window alone.
    const scroll0 = await page.evaluate(() => window.scrollY);
    await gesture(page, cdp, [[box.x + box.w * 0.5, box.y + 60, box.x + box.w * 0.5, box.y - 60]]);
    await page.waitForFunction((s) => window.scrollY > s + 20, scroll0);
    assert.equal(await page.evaluate(() => window.observdCharts.latency.scales.x.min / 1000), now - 7200);
    box = await centre();
    const y = box.y;
    await gesture(page, cdp, [[box.x + box.w * 0.3, y, box.x + box.w * 0.7, y]]);
    await page.waitForFunction((a) => window.observdCharts.latency.scales.x.min / 1000 < a - 60, now - 7200);
    const p = await page.evaluate(() => ['latency', 'runs', 'traffic'].map((k) => [window.observdCharts[k].scales.x.min, window.observdCharts[k].scales.x.max]));
    assert.ok(Math.abs((p[0][1] - p[0][0]) / 1000 - 3600) < 2, 'a pan keeps the span');
    for (const w of p.slice(1)) assert.deepEqual(w, p[0]);
    box = await centre();
    const cx = box.x + box.w / 2;
    await gesture(page, cdp, [[cx - 20, box.y, cx - 120, box.y], [cx + 20, box.y, cx + 120, box.y]]);
    await page.waitForFunction(() => (window.observdCharts.latency.scales.x.max - window.observdCharts.latency.scales.x.min) / 1000 < 3000);
    await page.waitForFunction(() => { const s = new URLSearchParams(location.search); return Number(s.get('to')) - Number(s.get('from')) < 3000; });
    await assertClean(page, log, 'touch');
    await page.close();
  });
});
