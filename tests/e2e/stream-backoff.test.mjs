// The stream's reconnect backoff against the real observd: a blocked stream is retried
// 1-2 s, 2-4 s, 4-8 s, ... apart (capped at 60 s), polling keeps the page live meanwhile,
// and an open stream resets the backoff. Its own file: it watches 25 s of attempts, so
// the driver can run it beside the other files (tests/e2e/CMakeLists.txt, shards).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, url, eventually, waitSeconds } from './support/browser.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';

let browser;
describe('stream reconnect backoff', { skip }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });

  // Chromium retries a failed EventSource every ~3 s forever; the page must back off
  // (1–2 s, 2–4 s, 4–8 s, 8–16 s, … capped at 60 s, with jitter) and stay live by polling.
  test('stream blocked: reconnects back off exponentially, polling keeps the page live, an open stream resets', async () => {
    const page = await browser.context.newPage();
    const attempts = [];
    const block = (route) => { attempts.push(Date.now()); return route.abort(); };
    await page.route('**/dashboard/api/events*', block);
    await page.goto(BASE + '/dashboard/observability');
    await eventually(() => attempts.length >= 1, { timeout: 10000, message: 'the first stream attempt' });
    const t0 = attempts[0];
    await waitSeconds(25);
    const inWindow = attempts.filter((t) => t - t0 <= 25000);
    const gaps = inWindow.slice(1).map((t, i) => t - inWindow[i]);
    console.log('stream attempts in 25 s:', inWindow.length, 'gaps (ms):', JSON.stringify(gaps));
    // Without backoff: ~9 attempts in 25 s, every gap ~3 s.
    assert.ok(inWindow.length >= 3 && inWindow.length <= 6, `${inWindow.length} stream attempts in 25 s (gaps ${gaps})`);
    assert.ok(gaps[gaps.length - 1] >= 3500, `the gaps grow: ${gaps}`);
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= 0.8 * gaps[i - 1], `gap ${i} shrank: ${gaps}`);
    const st = await page.evaluate(() => ({ fresh: window.observd.freshness, mode: window.observd.mode, delays: window.observd.sse.backoff.delays,
      stats: window.observd.swaps.byPartial.stats || 0, history: window.observdCharts.state.updates }));
    assert.equal(st.fresh, 'live', 'polling keeps the page live');
    assert.equal(st.mode, 'polling');
    assert.ok(st.stats >= 3 && st.history >= 3, `polled meanwhile: ${JSON.stringify(st)}`);
    st.delays.forEach((d, i) => {
      const ceil = Math.min(60, 2 ** (i + 1)) * 1000;
      assert.ok(d >= ceil / 2 && d <= ceil, `delay ${i} = ${d} ms outside [${ceil / 2}, ${ceil}]`);
    });
    // Unblocked: the next attempt opens the stream and the backoff starts over.
    await page.unroute('**/dashboard/api/events*', block);
    await page.waitForFunction(() => window.observd.sse.open && window.observd.mode === 'sse', null, { timeout: 40000 });
    assert.equal(await page.evaluate(() => window.observd.sse.backoff.failures), 0, 'reset on success');
    await page.close();
  });
});
