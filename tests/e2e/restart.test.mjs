// A restart in real Chromium against a real observd with a history store: the charts
// keep the data from before the restart, the restart marks are labelled events, and the
// page says since when history exists (run_e2e.py restarts that observd once).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, url } from './support/browser.mjs';

const BASE = url('OBSERVD_RESTARTED_URL');
const FIRST_START = Number(process.env.E2E_FIRST_START);
const skip = BASE ? false : 'OBSERVD_RESTARTED_URL is not set (the e2e driver sets it)';

let browser;
describe('restart with a history store', { skip }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });

  test('the charts show the samples from before the restart, and both starts as labelled events', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/observability?range=15m');
    await page.waitForFunction(() => window.observdCharts && window.observdCharts.state.loaded, null, { timeout: 15000 });
    const first = await page.evaluate((t0) => {
      const pts = window.observdCharts.data.points || [];
      return pts.filter((p) => p[0] < t0 + 30).length;
    }, FIRST_START);
    // The first process ran for at least five samples; they are drawn after the restart.
    assert.ok(first >= 5, `samples from before the restart drawn: ${first}`);
    const restarts = page.locator('.annotation-item.annotation-restart');
    await page.waitForFunction(() => document.querySelectorAll('.annotation-item.annotation-restart').length >= 2,
      null, { timeout: 10000 });
    const texts = await restarts.allTextContents();
    assert.ok(texts.length >= 2, `restart events listed: ${texts.length}`);
    for (const t of texts) assert.match(t, /observd started/);
    const since = await page.locator('#history-since').textContent();
    assert.match(since, /since/i, `history-since says: ${since}`);
    await assertClean(page, log, 'restart view');
  });
});
