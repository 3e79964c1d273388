// What the cards say matches what they count, in words nobody can misread: the cache hit
// rate is unknown while no snapshot exists (as the cache panel says), the failed-runs card
// names its exact window, and in local-time mode every time outside the charts names its
// zone. Real observd instances from run_e2e.py.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, url } from './support/browser.mjs';

const BASE = url('OBSERVD_URL');
const NOREDIS = url('OBSERVD_NOREDIS_URL');
const skip = BASE && NOREDIS ? false : 'OBSERVD_URL / OBSERVD_NOREDIS_URL not set (the e2e driver sets them)';

const card = (page, label) => page.$$eval('#stats .card', (cs, l) => {
  const c = cs.find((x) => x.querySelector('.card-label').textContent.trim() === l);
  return c && { value: c.querySelector('.card-value').textContent.replace(/\s+/g, ' ').trim(),
    note: c.querySelector('.card-note').textContent.replace(/\s+/g, ' ').trim(),
    time: (c.querySelector('.card-note time') || { dateTime: null }).dateTime };
}, label);

let browser;
let local;
describe('honest cards and times', { skip }, () => {
  before(async () => {
    browser = await launch();
    // Asia/Kolkata is UTC+05:30 all year: an offset no test machine has by accident.
    local = await launch({ timezoneId: 'Asia/Kolkata' });
    await local.context.addInitScript(() => window.localStorage.setItem('observd.tz', 'local'));
  });
  after(async () => { if (browser) await browser.close(); if (local) await local.close(); });

  test('no snapshot: the cache hit rate card and the cache panel both say it is unknown, and why', async () => {
    const { page } = await openPage(browser.context, NOREDIS, '/dashboard/observability');
    await page.waitForSelector('#stats .card', { timeout: 10000 });
    await page.waitForFunction(() => window.observdCharts.state.loaded, null, { timeout: 10000 });
    const json = await page.evaluate(() => fetch('/dashboard/api/stats').then((r) => r.json()));
    assert.ok(json.cache.hits + json.cache.misses > 0, 'the cache was looked up (the review saw 18.2 % from these)');
    const c = await card(page, 'Cache hit rate');
    assert.equal(c.value, '—');
    assert.equal(c.note, 'no snapshot computed yet');
    assert.equal(await page.textContent('#cache-figure'), '—');
    assert.equal(await page.textContent('#cache-empty'), 'No snapshot computed yet');
    assert.equal(json.snapshot.available, false);
    assert.equal(json.cache.ratio, null, '/dashboard/api/stats agrees');
    await page.close();
  });

  test('the failed-runs card names its exact window (60 min to the snapshot time)', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/observability');
    await page.waitForSelector('#stats [data-status="ok"]', { timeout: 10000 });
    const c = await card(page, 'Failed runs');
    assert.match(c.value, /^\d[\d,]*$/);
    assert.match(c.note, /^in the 60 min to \d\d:\d\d:\d\d UTC$/);
    const end = Date.parse(c.time) / 1000;
    const snapshotAt = Date.parse((await card(page, 'Data age')).time) / 1000;
    assert.equal(end, snapshotAt, 'the window ends at the snapshot the card counts from');
    assert.equal(c.note.slice(-12), new Date(end * 1000).toISOString().slice(11, 19) + ' UTC');
    // The Workflow runs header counts the chart's window (its whole buckets): it names that
    // window, so the two numbers are never read as the same hour's.
    await page.waitForFunction(() => document.getElementById('runs-figure').textContent !== '—', null, { timeout: 10000 });
    assert.match(await page.textContent('#runs-figure'), /^[\d,]+ ok · [\d,]+ failed · [\d,]+ still running, last hour$/);
    await assertClean(page, log, 'failed runs window');
    await page.close();
  });

  test('local time: the pulse, the card and table times and the tooltips name the zone', async () => {
    // A clock time ("14:05", "14:05:09") not followed by the zone's name.
    const hhmm = /(?<![+\u2212\d:])\d\d:\d\d(?::\d\d)?(?![\d:])(?! UTC\+05:30)/;
    const obs = await openPage(local.context, BASE, '/dashboard/observability');
    await obs.page.waitForFunction(() => /Updated/.test(document.getElementById('pulse-text').textContent) &&
      document.querySelector('#stats .card'), null, { timeout: 10000 });
    assert.equal(await obs.page.textContent('#tz-toggle'), 'Local');
    assert.match(await obs.page.textContent('#pulse-text'), /^Updated \d\d:\d\d:\d\d UTC\+05:30$/);
    const clocks = await obs.page.$$eval('time[data-clock]', (ts) => ts.map((t) => t.textContent));
    assert.ok(clocks.length >= 2, 'snapshot and runs-window times');
    for (const t of clocks) assert.match(t, /^\d\d:\d\d:\d\d UTC\+05:30$/);
    const text = await obs.page.$$eval('#pulse, #page-alert, #stats', (els) => els.map((e) => e.textContent).join(' '));
    assert.doesNotMatch(text, hhmm, 'a time without its zone');
    assert.match(await obs.page.getAttribute('#tz-toggle', 'aria-label'), /UTC\+05:30/);
    await obs.page.close();

    const up = await openPage(local.context, BASE, '/dashboard/uploads');
    await up.page.waitForSelector('#uploads tbody tr', { timeout: 10000 });
    const foot = await up.page.textContent('.table-foot time');
    assert.match(foot, /^\d\d:\d\d:\d\d UTC\+05:30$/);
    const titles = await up.page.$$eval('#uploads td.cell-age time', (ts) => ts.map((t) => [t.dateTime, t.title]));
    assert.ok(titles.length > 0);
    for (const [iso, title] of titles) {
      if (!iso) continue;  // unknown time: no tooltip to relabel
      const at = new Date(Date.parse(iso) + 330 * 60000).toISOString();
      assert.equal(title, at.slice(0, 10) + ' ' + at.slice(11, 19) + ' UTC+05:30', 'the row time in local time, named');
    }
    assert.doesNotMatch(await up.page.$$eval('#pulse, #page-alert, .table-foot', (els) => els.map((e) => e.textContent).join(' ')), hhmm);
    await up.page.close();
  });
});
