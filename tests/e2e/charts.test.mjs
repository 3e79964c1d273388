// Chart behaviour in real Chromium on the real observability page, fed with crafted
// history documents (the shape of /dashboard/api/history) while live updates are paused,
// so each case is exact: gaps, the unfinished minute, outliers, aligned axes, crosshair,
// tooltip units, annotations, time range in the URL, local/UTC switch.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, url } from './support/browser.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';

// 60 per-minute points ending with the current (unfinished) minute.
function crafted(nowSec, opts = {}) {
  const m0 = Math.floor(nowSec / 60) * 60;
  const minutes = (fn) => Array.from({ length: 60 }, (_, i) => [m0 - (59 - i) * 60, fn(i)]);
  const latency = [];
  for (let t = Math.floor(nowSec) - 1800; t <= Math.floor(nowSec); t += 5) latency.push([t, 0.1 + ((t / 5) % 7) * 0.01]);
  if (opts.outlier) latency[3][1] = 150;
  return {
    now: nowSec,
    started_at: opts.startedAt ?? null,
    latency: { interval_seconds: 1, points: latency },
    cache: { hits: 90, misses: 10, ratio: 0.9 },
    requests_per_minute: minutes((i) => (i === 40 ? null : 20 + i)),
    uploads_per_minute: opts.noSnapshot ? [] : minutes((i) => i % 3),
    workflow_runs_per_minute: opts.noSnapshot ? {} : { succeeded: minutes(() => 2), failed: minutes((i) => (i === 50 ? 1 : 0)), running: minutes(() => 0) },
    snapshot: { available: !opts.noSnapshot, age_seconds: 1, stale: false },
    redis: { up: true, latency_ms: 0.1 },
    annotations: opts.annotations || [],
  };
}

let browser;
describe('charts', { skip }, () => {
  before(async () => { browser = await launch({ timezoneId: 'Asia/Kolkata' }); });
  after(async () => { if (browser) await browser.close(); });

  async function pausedPage(query = '') {
    const o = await openPage(browser.context, BASE, '/dashboard/observability?live=0' + query);
    await o.page.waitForFunction(() => window.observdCharts && window.observdCharts.state.loaded, null, { timeout: 10000 });
    return o;
  }
  const apply = (page, h) => page.evaluate((doc) => window.observdCharts.applyHistory(doc, true), h);

  test('unknown minutes are gaps, never zero; the unfinished minute is not drawn', async () => {
    const { page, log } = await pausedPage();
    const now = Math.floor(Date.now() / 1000);
    const m0 = Math.floor(now / 60) * 60;
    await apply(page, crafted(now, { startedAt: m0 - 20 * 60 }));
    const r = await page.evaluate(() => window.observdCharts.traffic.data.datasets[0].data.map((p) => [p.x / 1000 - 30, p.y]));
    const byT = new Map(r);
    assert.ok(!byT.has(m0), 'current minute left out');
    assert.ok(byT.has(m0 - 60), 'last complete minute drawn');
    assert.equal(byT.get(m0 - 19 * 60), null, 'missing sample is a gap');
    assert.equal(byT.get(m0 - 30 * 60), null, 'minutes before observd started are a gap');
    assert.equal(byT.get(m0 - 10 * 60), 69, 'known values kept');
    // Runs and uploads come from Redis: known before observd started as well.
    const runs = await page.evaluate(() => window.observdCharts.runs.data.datasets[0].data.map((p) => [p.x / 1000 - 30, p.y]));
    assert.equal(new Map(runs).get(m0 - 30 * 60), 2, 'Redis-derived minutes before the start are kept');
    assert.ok(await page.evaluate(() => window.observdCharts.traffic.data.datasets[0].spanGaps === false));
    await assertClean(page, log, 'gaps');
    await page.close();
  });

  test('no snapshot: runs, uploads and the cache ring say unknown', async () => {
    const { page } = await pausedPage();
    await apply(page, crafted(Date.now() / 1000, { noSnapshot: true }));
    assert.equal(await page.textContent('#runs-figure'), '—');
    assert.equal(await page.isVisible('#runs-empty'), true);
    assert.doesNotMatch(await page.textContent('#runs-empty'), /No workflow runs/);
    assert.match(await page.textContent('#traffic-figure'), /— uploads/);
    assert.equal(await page.textContent('#cache-figure'), '—');
    assert.deepEqual(await page.evaluate(() => window.observdCharts.cache.data.datasets[0].data), [0, 0]);
    await page.close();
  });

  test('one slow PING does not set the latency scale; it is marked', async () => {
    const { page } = await pausedPage();
    await apply(page, crafted(Date.now() / 1000, { outlier: true }));
    const s = await page.evaluate(() => {
      const c = window.observdCharts.latency;
      return { max: c.scales.y.max, clipped: c.data.datasets[2].data.length };
    });
    assert.ok(s.max < 1, `y axis top ${s.max} ms stays near the real data`);
    assert.equal(s.clipped, 1, 'the outlier is marked');
    assert.match(await page.textContent('#latency-note'), /above the scale \(max 150 ms\)/);
    await page.close();
  });

  test('time axes line up, crosshair is linked, tooltips carry units', async () => {
    const { page } = await pausedPage();
    await apply(page, crafted(Date.now() / 1000));
    const axes = await page.evaluate(() => ['latency', 'runs', 'traffic'].map((k) => {
      const c = window.observdCharts[k];
      return { left: c.chartArea.left, ticks: c.scales.x.ticks.map((t) => t.value), min: c.scales.x.min, max: c.scales.x.max };
    }));
    assert.ok(axes[0].ticks.length >= 3);
    for (const a of axes.slice(1)) {
      assert.deepEqual(a.ticks, axes[0].ticks, 'same tick times on every time chart');
      assert.equal(a.left, axes[0].left, 'plot areas start at the same offset');
      assert.equal(a.min, axes[0].min);
    }
    assert.ok(axes[0].ticks.every((t) => t % 600000 === 0), 'ticks on whole 10-minute steps');

    await page.$eval('#chart-traffic', (c) => c.scrollIntoView({ block: 'center' }));
    const box = await page.$eval('#chart-traffic', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    await page.mouse.move(box.x + box.w * 0.6, box.y + box.h * 0.4);
    await page.waitForFunction(() => {
      const d = window.observdCharts.crosshair.drawn;
      return d['chart-latency'] && d['chart-latency'] === d['chart-runs'] && window.observdCharts.traffic.tooltip.opacity > 0;
    }, null, { timeout: 5000 });
    const lines = await page.evaluate(() => window.observdCharts.traffic.tooltip.body.flatMap((b) => b.lines));
    assert.ok(lines.some((l) => /HTTP requests: [\d,]+ per min/.test(l)), JSON.stringify(lines));
    await page.$eval('#chart-latency', (c) => c.scrollIntoView({ block: 'center' }));
    const lbox = await page.$eval('#chart-latency', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    await page.mouse.move(lbox.x + lbox.w * 0.7, lbox.y + lbox.h * 0.5);
    await page.waitForFunction(() => window.observdCharts.latency.tooltip.opacity > 0, null, { timeout: 5000 });
    const llines = await page.evaluate(() => window.observdCharts.latency.tooltip.body.flatMap((b) => b.lines));
    assert.ok(llines.some((l) => /PING [\d.]+ ms/.test(l)), JSON.stringify(llines));
    await page.mouse.move(0, 0);
    await page.close();
  });

  test('annotations (e.g. a Redis outage) are drawn on every time chart', async () => {
    const { page } = await pausedPage();
    const now = Date.now() / 1000;
    await apply(page, crafted(now, { annotations: [{ t: now - 900, end: now - 600, kind: 'redis_down', text: 'Redis unavailable' }] }));
    const bands = await page.evaluate(() => window.observdCharts.bands);
    for (const id of ['chart-latency', 'chart-runs', 'chart-traffic']) assert.equal(bands[id], 1, id);
    await page.close();
  });

  test('time range is kept in the URL and restored from it', async () => {
    const { page } = await pausedPage();
    await page.click('[data-range="5m"]');
    assert.match(page.url(), /[?&]range=5m/);
    assert.match(page.url(), /[?&]live=0/);
    const span = await page.evaluate(() => (window.observdCharts.traffic.scales.x.max - window.observdCharts.traffic.scales.x.min) / 1000);
    assert.equal(Math.round(span), 300);
    await page.close();
    const again = await pausedPage('&range=15m');
    assert.equal(await again.page.getAttribute('[data-range="15m"]', 'aria-pressed'), 'true');
    const span2 = await again.page.evaluate(() => (window.observdCharts.latency.scales.x.max - window.observdCharts.latency.scales.x.min) / 1000);
    assert.equal(Math.round(span2), 900);
    await again.page.close();
  });

  test('local time / UTC switch relabels times and is remembered', async () => {
    const { page } = await pausedPage();
    const tick = () => page.evaluate(() => window.observdCharts.latency.scales.x.ticks.map((t) => t.label)[0]);
    const tickUtc = await tick();
    assert.equal(await page.textContent('#tz-toggle'), 'UTC');
    await page.click('#tz-toggle');
    assert.equal(await page.textContent('#tz-toggle'), 'Local');
    const tickLocal = await tick();
    assert.notEqual(tickLocal, tickUtc, 'Asia/Kolkata is 5:30 off UTC');
    const [h1, m1] = tickUtc.split(':').map(Number);
    const [h2, m2] = tickLocal.split(':').map(Number);
    assert.equal(((h2 * 60 + m2) - (h1 * 60 + m1) + 1440) % 1440, 330);
    await page.close();
    const again = await pausedPage();
    assert.equal(await again.page.textContent('#tz-toggle'), 'Local', 'choice remembered');
    await again.page.click('#tz-toggle');
    await again.page.close();
  });
});
