// Unknown never looks like zero or fresh: real observd instances with Redis never
// reachable, with Redis stopped mid-session, and observd itself stopped (run_e2e.py
// starts them and passes their addresses and the pids the tests may stop).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shot, url } from './support/browser.mjs';

const NOREDIS = url('OBSERVD_NOREDIS_URL');
const MID = url('OBSERVD_MID_URL');
const STOP = url('OBSERVD_STOP_URL');
const skip = NOREDIS && MID && STOP ? false : 'outage instances not set (the e2e driver sets them)';
const SSE_DEADLINE = 25000;

function stop(pidVar) {
  const pid = Number(process.env[pidVar]);
  assert.ok(pid > 1, `${pidVar} set`);
  process.kill(pid, 'SIGTERM');
}
const cardValue = (page, label) => page.$$eval('#stats .card', (cs, l) => {
  const c = cs.find((x) => x.querySelector('.card-label').textContent.trim() === l);
  return c ? c.querySelector('.card-value').textContent.replace(/\s+/g, ' ').trim() : null;
}, label);

let browser;
describe('outages', { skip }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });

  test('Redis never reachable: dashes, gaps and a down state, no zeros', async () => {
    const { page } = await openPage(browser.context, NOREDIS, '/dashboard/observability');
    await page.waitForSelector('#stats [data-status="down"]', { timeout: 10000 });
    await page.waitForFunction(() => window.observdCharts.state.loaded, null, { timeout: 10000 });
    for (const label of ['Uploads', 'Active users', 'Failed runs', 'Redis latency', 'Snapshot age']) {
      const v = await cardValue(page, label);
      assert.ok(v === null || /^—$/.test(v), `${label} card shows "${v}"`);
    }
    assert.ok(await page.$('#stats .banner-down'), 'down banner');
    assert.equal(await page.getAttribute('#pulse', 'data-state'), 'down');
    assert.equal(await page.textContent('#runs-figure'), '—');
    assert.doesNotMatch(await page.textContent('#runs-empty'), /No workflow runs/);
    assert.match(await page.textContent('#traffic-figure'), /— uploads/);
    assert.equal(await page.textContent('#cache-figure'), '—');
    // Minutes before observd started were not observed: gaps, not a flat zero line.
    const early = await page.evaluate(() => {
      const d = window.observdCharts.traffic.data.datasets[0].data;
      const started = window.observdCharts.data.startedAt;
      return { started, before: d.filter((p) => started && p.x / 1000 + 30 <= started).map((p) => p.y) };
    });
    assert.ok(early.started, 'history says when observd started');
    assert.ok(early.before.length > 0 && early.before.every((y) => y === null), 'minutes before the start are gaps');
    await shot(page, 'observability-no-redis.png');
    await page.close();

    const o = await openPage(browser.context, NOREDIS, '/');
    await o.page.waitForFunction(() => document.getElementById('fact-redis').textContent !== '—', null, { timeout: 10000 });
    assert.equal(await o.page.textContent('#fact-redis'), 'unavailable');
    assert.doesNotMatch(await o.page.textContent('#fact-snapshot'), /fresh/);
    await o.page.close();
  });

  test('Redis stopped mid-session: the page turns stale/down without a reload', async () => {
    const { page } = await openPage(browser.context, MID, '/dashboard/observability');
    await page.waitForSelector('#stats [data-status="ok"]', { timeout: 10000 });
    const overview = await openPage(browser.context, MID, '/');
    await overview.page.waitForFunction(() => /fresh/.test(document.getElementById('fact-snapshot').textContent), null, { timeout: 10000 });
    stop('E2E_MID_REDIS_PID');
    await page.waitForSelector('#stats [data-status="down"] .banner-down', { timeout: SSE_DEADLINE });
    assert.equal(await cardValue(page, 'Redis latency'), '—');
    assert.equal(await page.getAttribute('#pulse', 'data-state'), 'down');
    await overview.page.waitForFunction(() => document.getElementById('fact-redis').textContent === 'unavailable', null, { timeout: 20000 });
    assert.match(await overview.page.textContent('#fact-snapshot'), /^stale/, 'kept data is stale, not fresh');
    await shot(page, 'observability-redis-stopped.png');
    await page.close();
    await overview.page.close();
  });

  test('observd stopped: a page-level stale state, nothing looks fresh', async () => {
    const { page } = await openPage(browser.context, STOP, '/dashboard/observability');
    await page.waitForFunction(() => window.observd.mode === 'sse' && window.observd.freshness === 'live', null, { timeout: SSE_DEADLINE });
    const overview = await openPage(browser.context, STOP, '/');
    await overview.page.waitForFunction(() => window.observd.freshness === 'live', null, { timeout: 10000 });
    stop('E2E_STOP_OBSERVD_PID');
    await page.waitForFunction(() => document.body.getAttribute('data-freshness') === 'unreachable', null, { timeout: 30000 });
    assert.equal(await page.isVisible('#page-alert'), true);
    assert.match(await page.textContent('#page-alert'), /not reachable/);
    assert.equal(await page.getAttribute('#pulse', 'data-state'), 'error');
    assert.match(await page.textContent('#pulse-text'), /unreachable/);
    const card = await page.$eval('#stats .card', (c) => ({ style: getComputedStyle(c).borderLeftStyle, color: getComputedStyle(c).borderLeftColor }));
    assert.equal(card.style, 'dashed', 'cards lose their live look');
    await overview.page.waitForFunction(() => document.body.getAttribute('data-freshness') === 'unreachable', null, { timeout: 40000 });
    assert.equal(await overview.page.isVisible('#page-alert'), true);
    await shot(page, 'observability-observd-stopped.png');
    await page.close();
    await overview.page.close();
  });
});
