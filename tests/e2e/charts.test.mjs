// Chart behaviour in real Chromium on the real observability page. Every history request
// of the page is answered with crafted History API v2 documents (support/history-doc.mjs)
// while live updates are paused, so each case is exact: gaps, the open bucket, outliers,
// aligned axes, crosshair, tooltip units, annotations, the time range in the URL and the
// local/UTC switch. Ranges, zoom, legends and the rest of issue 18: charts-view.test.mjs;
// crowded annotation labels: chart-labels.test.mjs.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, url } from './support/browser.mjs';
import { historyDoc, routeHistory } from './support/history-doc.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';

let browser;
describe('charts', { skip }, () => {
  before(async () => { browser = await launch({ timezoneId: 'Asia/Kolkata' }); });
  after(async () => { if (browser) await browser.close(); });

  async function pausedPage(query = '', opts = {}) {
    const o = await openPage(browser.context, BASE, '/dashboard/observability?live=0' + query, { beforeGoto: (p) => routeHistory(p, opts) });
    await o.page.waitForFunction(() => window.observdCharts && window.observdCharts.state.loaded, null, { timeout: 10000 });
    return o;
  }
  const apply = (page, h) => page.evaluate((doc) => window.observdCharts.applyHistory(doc, true), h);

  test('unknown buckets are gaps, never zero; the open bucket is not drawn', async () => {
    const { page, log } = await pausedPage();
    const now = Math.floor(Date.now() / 1000);
    const m0 = Math.floor(now / 60) * 60;
    await apply(page, historyDoc({ now, since: m0 - 20 * 60, requests: (t) => (t < m0 - 20 * 60 || t === m0 - 19 * 60 ? null : (t - m0) / 60 + 79) }));
    const r = await page.evaluate(() => window.observdCharts.traffic.data.datasets[0].data.map((p) => [p.x / 1000 - 30, p.y]));
    const byT = new Map(r);
    assert.ok(!byT.has(m0), 'open bucket left out');
    assert.ok(byT.has(m0 - 60), 'last closed bucket drawn');
    assert.equal(byT.get(m0 - 19 * 60), null, 'missing sample is a gap');
    assert.equal(byT.get(m0 - 30 * 60), null, 'buckets before history_since are a gap');
    assert.equal(byT.get(m0 - 10 * 60), 69, 'known values kept');
    // Runs and uploads come from Redis: known before observd's history began as well.
    const runs = await page.evaluate(() => window.observdCharts.runs.data.datasets[0].data.map((p) => [p.x / 1000 - 30, p.y]));
    assert.equal(new Map(runs).get(m0 - 30 * 60), 2, 'Redis-derived buckets before history_since are kept');
    assert.ok(await page.evaluate(() => window.observdCharts.traffic.data.datasets[0].spanGaps === false));
    await assertClean(page, log, 'gaps');
    await page.close();
  });

  test('no snapshot: runs, uploads and the cache ring say unknown', async () => {
    const { page } = await pausedPage();
    const doc = historyDoc({ uploads: () => null, runs: { succeeded: () => null, failed: () => null, running: () => null } });
    doc.snapshot = { available: false };
    await apply(page, doc);
    assert.equal(await page.textContent('#runs-figure'), '—');
    assert.equal(await page.isVisible('#runs-empty'), true);
    assert.doesNotMatch(await page.textContent('#runs-empty'), /No workflow runs/);
    assert.match(await page.textContent('#traffic-figure'), /— uploads/);
    assert.equal(await page.textContent('#cache-figure'), '—');
    assert.deepEqual(await page.evaluate(() => window.observdCharts.cache.data.datasets[0].data), [0, 0]);
    await page.close();
  });

  test('the cache ring sums the window\'s buckets, not the totals since start; unrecorded buckets are not zero', async () => {
    const { page, log } = await pausedPage();
    const m0 = Math.floor(Date.now() / 1000 / 60) * 60, now = m0 + 30;
    const ring = () => page.evaluate(() => window.observdCharts.cache.data.datasets[0].data);
    // The live hour holds 60 complete minutes, m0 - 3600 … m0 - 60 (m0 is open): 3 hits and
    // 1 miss each, but one minute nobody recorded. Since start: 90 hits, 10 misses (90.0 %).
    const doc = historyDoc({ now, cache: (t) => (t === m0 - 600 ? [null, null] : [3, 1]) });
    assert.deepEqual([doc.cache.hits, doc.cache.misses], [90, 10]);
    await apply(page, doc);
    assert.equal(await page.textContent('#cache-hits'), '177');
    assert.equal(await page.textContent('#cache-misses'), '59');
    assert.equal(await page.textContent('#cache-ratio'), '75.0 %');
    assert.equal(await page.textContent('#cache-figure'), '75.0 % hits, last hour');
    assert.deepEqual(await ring(), [177, 59]);
    assert.equal(await page.isVisible('#cache-empty'), false);
    assert.equal(await page.textContent('#cache-caption'), 'Snapshot cache lookups, last hour');

    // No minute of the window recorded: unknown, not 0 lookups.
    await apply(page, historyDoc({ now, cache: () => [null, null] }));
    assert.equal(await page.textContent('#cache-figure'), '—');
    assert.equal(await page.textContent('#cache-hits'), '—');
    assert.equal(await page.textContent('#cache-ratio'), '—');
    assert.equal(await page.isVisible('#cache-empty'), true);
    assert.equal(await page.textContent('#cache-empty'), 'No cache counts recorded in this window');
    assert.deepEqual(await ring(), [0, 0]);

    // Recorded, but no lookup in the window: 0 and 0, and no hit rate.
    await apply(page, historyDoc({ now, cache: () => [0, 0] }));
    assert.equal(await page.textContent('#cache-hits'), '0');
    assert.equal(await page.textContent('#cache-ratio'), '—');
    assert.equal(await page.textContent('#cache-empty'), 'No cache lookups in this window');
    await assertClean(page, log, 'cache ring window');
    await page.close();
  });

  test('v1 documents (per-minute fields) still draw', async () => {
    const { page } = await pausedPage();
    const now = Date.now() / 1000, m0 = Math.floor(now / 60) * 60;
    const minutes = (fn) => Array.from({ length: 60 }, (_, i) => [m0 - (59 - i) * 60, fn(i)]);
    await apply(page, { now, started_at: null, latency: { interval_seconds: 1, points: [[Math.floor(now) - 5, 0.2]] },
      requests_per_minute: minutes((i) => i), uploads_per_minute: minutes(() => 1), workflow_runs_per_minute: { succeeded: minutes(() => 2) },
      cache: { hits: 1, misses: 1 }, snapshot: { available: true } });
    const n = await page.evaluate(() => window.observdCharts.traffic.data.datasets[0].data.length);
    assert.equal(n, 59, 'the 59 closed minutes');
    await page.close();
  });

  test('one slow PING does not set the latency scale; it is marked', async () => {
    const { page } = await pausedPage();
    const doc = historyDoc();
    doc.latency.points[3][1] = 150;
    await apply(page, doc);
    const s = await page.evaluate(() => {
      const c = window.observdCharts.latency;
      return { max: c.scales.y.max, clipped: c.data.datasets[2].data.length };
    });
    assert.ok(s.max < 1, `y axis top ${s.max} ms stays near the real data`);
    assert.equal(s.clipped, 1, 'the outlier is marked');
    assert.match(await page.textContent('#latency-note'), /above the scale \(max 150 ms\)/);
    await page.close();
  });

  test('failed PINGs are marked at the top and as red columns, not on the 0 ms line', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Two closed 10-minute buckets (the open one is never drawn), all in the last hour.
    const grid = Math.floor(now / 600) * 600;
    const failedAt = [grid - 1190, grid - 1189, grid - 595];
    // Every history document the page fetches carries the same failures (the 7-day one too).
    const { page, log } = await pausedPage('', { failedAt });
    await apply(page, historyDoc({ now, failedAt }));
    const read = () => page.evaluate(() => {
      const c = window.observdCharts.latency;
      const meta = c.getDatasetMeta(1);
      return { n: meta.data.length, ys: meta.data.map((e) => e.y), zero: c.scales.y.getPixelForValue(0), top: c.chartArea.top,
               bottom: c.chartArea.bottom, columns: window.observdCharts.overlay.drawn['chart-latency'].failures,
               legend: document.querySelector('#latency-legend tr[data-series="failed"]').textContent };
    });
    const atTheTop = (r) => {
      for (const y of r.ys) {
        assert.ok(Math.abs(y - r.zero) > (r.bottom - r.top) / 2, `marker at ${y}px is far from the 0 ms line at ${r.zero}px`);
        assert.ok(y - r.top < (r.bottom - r.top) * 0.15, 'marker near the top of the plot');
      }
    };
    const r = await read();
    assert.equal(r.n, 3);
    atTheTop(r);
    assert.equal(r.columns, 3, 'each failed PING is a red column');
    assert.match(r.legend, /Failed PINGs.*3$/);
    // 7 days: failed PINGs counted per 10-minute bucket, one marker and one red column per
    // bucket that had any, still at the top.
    await page.click('[data-range="7d"]');
    await page.waitForFunction(() => window.observdCharts.latency.$observd.bucketed && window.observdCharts.state.fetches.some((u) => /from=/.test(u)));
    const buckets = 2;
    await page.waitForFunction((n) => window.observdCharts.latency.getDatasetMeta(1).data.length === n, buckets, { timeout: 10000 });
    const r7 = await read();
    atTheTop(r7);
    assert.equal(r7.columns, buckets, 'a red column per bucket with failed PINGs');
    assert.match(r7.legend, /Failed PINGs.*3$/, 'the legend still counts every failed PING');
    await assertClean(page, log, 'failed pings');
    await page.close();
  });

  test('time axes line up, crosshair is linked and snaps to buckets, tooltips carry units and intervals', async () => {
    const { page } = await pausedPage();
    await apply(page, historyDoc());
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
      return d['chart-latency'] && Array.isArray(d['chart-traffic']) && window.observdCharts.traffic.tooltip.opacity > 0;
    }, null, { timeout: 5000 });
    const t = await page.evaluate(() => {
      const c = window.observdCharts;
      return { title: c.traffic.tooltip.title, lines: c.traffic.tooltip.body.flatMap((b) => b.lines), band: c.crosshair.drawn['chart-traffic'],
               runs: c.crosshair.drawn['chart-runs'], active: c.traffic.tooltip.dataPoints[0].raw.t };
    });
    assert.ok(t.lines.some((l) => /HTTP requests: [\d,]+ per 1 min/.test(l)), JSON.stringify(t.lines));
    assert.match(t.title[0], /^\d\d:\d\d–\d\d:\d\d UTC$/, 'a bucket is stamped with its interval');
    assert.deepEqual(t.band, [t.active, t.active + 60], 'the crosshair covers the tooltip\'s bucket');
    assert.deepEqual(t.runs, t.band, 'and the same bucket on the runs chart');
    const hhmm = (s) => new Date(s * 1000).toISOString().slice(11, 16);
    assert.equal(t.title[0], `${hhmm(t.active)}–${hhmm(t.active + 60)} UTC`);

    await page.$eval('#chart-runs', (c) => c.scrollIntoView({ block: 'center' }));
    const rbox = await page.$eval('#chart-runs', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    await page.mouse.move(rbox.x + rbox.w * 0.5, rbox.y + rbox.h * 0.5);
    await page.waitForFunction(() => window.observdCharts.runs.tooltip.opacity > 0, null, { timeout: 5000 });
    const rl = await page.evaluate(() => window.observdCharts.runs.tooltip.body.flatMap((b) => b.lines));
    assert.ok(rl.some((l) => /started in this bucket, still running/.test(l)), JSON.stringify(rl));
    assert.ok(!rl.some((l) => /runs\/min/.test(l)), JSON.stringify(rl));

    await page.$eval('#chart-latency', (c) => c.scrollIntoView({ block: 'center' }));
    const lbox = await page.$eval('#chart-latency', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    await page.mouse.move(lbox.x + lbox.w * 0.7, lbox.y + lbox.h * 0.5);
    await page.waitForFunction(() => window.observdCharts.latency.tooltip.opacity > 0, null, { timeout: 5000 });
    const ll = await page.evaluate(() => ({ lines: window.observdCharts.latency.tooltip.body.flatMap((b) => b.lines), title: window.observdCharts.latency.tooltip.title }));
    assert.ok(ll.lines.some((l) => /PING [\d.]+ ms/.test(l)), JSON.stringify(ll));
    assert.match(ll.title[0], /^\d\d:\d\d:\d\d UTC$/);
    await page.mouse.move(0, 0);
    await page.close();
  });

  test('the traffic header says what it counts and over which window', async () => {
    const { page } = await pausedPage();
    await apply(page, historyDoc({ requests: () => 2, uploads: () => 1 }));
    assert.match(await page.textContent('#traffic-figure'), /^120 HTTP requests · 60 uploads, last hour$/);
    await page.close();
  });

  test('annotations (e.g. a Redis outage) are drawn and labelled on every time chart', async () => {
    const { page } = await pausedPage();
    const now = Date.now() / 1000;
    await apply(page, historyDoc({ now, annotations: [{ t: now - 900, end: now - 600, kind: 'redis_down', text: 'Redis unavailable: connection refused' }] }));
    const drawn = await page.evaluate(() => window.observdCharts.overlay.drawn);
    for (const id of ['chart-latency', 'chart-runs', 'chart-traffic']) {
      assert.equal(drawn[id].bands, 1, id);
      assert.deepEqual(drawn[id].labels, ['Redis down'], id);
    }
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

  test('local time / UTC switch relabels times, names the zone and is remembered', async () => {
    const { page } = await pausedPage();
    const tick = () => page.evaluate(() => window.observdCharts.latency.scales.x.ticks.map((t) => t.label)[0]);
    const tickUtc = await tick();
    assert.equal(await page.textContent('#tz-toggle'), 'UTC');
    assert.equal(await page.evaluate(() => window.observdCharts.latency.options.scales.x.title.text), 'Time (UTC)');
    await page.click('#tz-toggle');
    assert.equal(await page.textContent('#tz-toggle'), 'Local');
    const tickLocal = await tick();
    assert.notEqual(tickLocal, tickUtc, 'Asia/Kolkata is 5:30 off UTC');
    const [h1, m1] = tickUtc.split(':').map(Number);
    const [h2, m2] = tickLocal.split(':').map(Number);
    assert.equal(((h2 * 60 + m2) - (h1 * 60 + m1) + 1440) % 1440, 330);
    // Chromium's ICU may spell the zone by its older name.
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.match(zone, /^Asia\/(Kolkata|Calcutta)$/);
    const named = `${zone} (UTC+05:30)`;
    for (const k of ['latency', 'runs', 'traffic']) {
      assert.equal(await page.evaluate((c) => window.observdCharts[c].options.scales.x.title.text, k), `Time (${named})`);
    }
    assert.ok((await page.textContent('#history-since')).includes(named));
    await page.$eval('#chart-traffic', (c) => c.scrollIntoView({ block: 'center' }));
    const box = await page.$eval('#chart-traffic', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    await page.mouse.move(box.x + box.w * 0.5, box.y + box.h * 0.5);
    await page.waitForFunction(() => window.observdCharts.traffic.tooltip.opacity > 0, null, { timeout: 5000 });
    const title = await page.evaluate(() => window.observdCharts.traffic.tooltip.title[0]);
    assert.ok(title.endsWith(named), title);
    await page.mouse.move(0, 0);
    await page.close();
    const again = await pausedPage();
    assert.equal(await again.page.textContent('#tz-toggle'), 'Local', 'choice remembered');
    await again.page.click('#tz-toggle');
    await again.page.close();
  });
});
