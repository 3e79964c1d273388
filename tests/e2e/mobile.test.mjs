// The site at 390×844 (a phone): uploads readable without sideways scrolling (each row a
// labelled card; the table region keyboard-reachable), the first chart on the first
// screen, and a sticky header that keeps to a tenth of the height.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, shot, url } from './support/browser.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';
const W = 390, H = 844;

let browser;
describe('mobile 390×844', { skip }, () => {
  before(async () => { browser = await launch({ viewport: { width: W, height: H } }); });
  after(async () => { if (browser) await browser.close(); });

  test('uploads: every field on screen, labelled, region reachable by keyboard', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/uploads');
    await page.waitForFunction(() => document.querySelectorAll('#uploads tbody tr').length > 0, null, { timeout: 10000 });
    const fit = await page.evaluate(() => ({
      doc: document.scrollingElement.scrollWidth,
      wrap: (() => { const w = document.querySelector('.table-wrap'); return [w.scrollWidth, w.clientWidth]; })(),
      offscreen: Array.from(document.querySelectorAll('#uploads tbody td')).filter((td) => td.getBoundingClientRect().right > window.innerWidth + 0.5).length,
    }));
    assert.ok(fit.doc <= W, `page does not scroll sideways (${fit.doc})`);
    assert.ok(fit.wrap[0] <= fit.wrap[1] + 1, `table fits its container (${fit.wrap})`);
    assert.equal(fit.offscreen, 0, 'no cell off-screen');
    const labels = await page.$$eval('#uploads tbody tr:first-child td', (tds) => tds.map((td) => getComputedStyle(td, '::before').content));
    for (const l of ['"User"', '"Status"', '"Uploaded"']) assert.ok(labels.includes(l), `${l} label shown: ${labels}`);
    // Keyboard: Tab reaches the table region (skip link, brand, 4 nav links, 2 tools first).
    const wrap = await page.$eval('.table-wrap', (w) => [w.getAttribute('tabindex'), w.getAttribute('role'), w.getAttribute('aria-label')]);
    assert.deepEqual(wrap.slice(0, 2), ['0', 'region']);
    assert.ok(wrap[2]);
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('table-wrap'));
    }
    assert.ok(reached, 'Tab reaches the uploads region');
    await shot(page, 'uploads-mobile.png');
    await assertClean(page, log, 'uploads mobile');
    await page.close();
  });

  test('observability: first chart on the first screen, compact sticky header', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/observability');
    await page.waitForSelector('#stats .card', { timeout: 10000 });
    await page.waitForFunction(() => window.observdCharts.state.loaded, null, { timeout: 10000 });
    const m = await page.evaluate(() => ({
      header: document.querySelector('.site-header').getBoundingClientRect().height,
      sticky: getComputedStyle(document.querySelector('.site-header')).position,
      chart: document.getElementById('chart-latency').getBoundingClientRect().top,
      doc: document.scrollingElement.scrollWidth,
    }));
    assert.ok(m.doc <= W, `page does not scroll sideways (${m.doc}): legends and figures fit`);
    assert.equal(m.sticky, 'sticky');
    assert.ok(m.header <= H * 0.1, `header ${m.header}px ≤ 10 % of ${H}`);
    assert.ok(m.chart < H, `first chart starts at ${m.chart}px, on the first screen`);
    await shot(page, 'observability-mobile.png');
    await assertClean(page, log, 'observability mobile');
    await page.close();
  });
});
