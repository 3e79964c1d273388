// Live-update behaviour against the real observd: pause/resume kept in the URL, the
// polling fallback when the stream is unavailable (with `?since=` history deltas; the
// reconnect backoff is stream-backoff.test.mjs), the metrics panel on its own 10 s cadence that never wipes a
// text selection, card numbers that do not dim on a swap, and the CSV exports.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, url, eventually, waitSeconds } from './support/browser.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';
const SSE_DEADLINE = 25000;
const count = (log, part, from = 0) => log.requests.slice(from).filter((r) => r.url.includes(part)).length;

let browser;
describe('live updates', { skip }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });

  test('pause stops the stream and polling and is kept in the URL; resume restarts them', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/observability');
    await page.waitForFunction(() => window.observd.mode === 'sse', null, { timeout: SSE_DEADLINE });
    await page.click('#pause-toggle');
    assert.match(page.url(), /[?&]live=0/);
    assert.equal(await page.getAttribute('#pause-toggle', 'aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => window.observd.streamConnected()), false);
    assert.equal(await page.getAttribute('#pulse', 'data-state'), 'paused');
    const n = log.requests.length;
    const swaps = await page.evaluate(() => window.observd.swaps.total);
    await waitSeconds(7);
    assert.deepEqual(log.requests.slice(n).map((r) => r.url), [], 'nothing fetched while paused');
    assert.equal(await page.evaluate(() => window.observd.swaps.total), swaps, 'nothing swapped while paused');
    await page.click('#pause-toggle');
    assert.doesNotMatch(page.url(), /live=0/);
    await page.waitForFunction((s) => window.observd.swaps.total > s && window.observd.mode === 'sse', swaps, { timeout: SSE_DEADLINE });
    await assertClean(page, log, 'pause/resume');
    await page.close();
  });

  test('pause freezes a live range into from/to: the paused link shows the sender\'s window; resume returns to the range', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/observability?range=15m');
    await page.waitForFunction(() => window.observdCharts.state.loaded, null, { timeout: 10000 });
    await page.click('#pause-toggle');
    const m = page.url().match(/[?&]from=(\d+)&to=(\d+)/);
    assert.ok(m, 'window in the URL: ' + page.url());
    assert.match(page.url(), /[?&]live=0/);
    const [from, to] = [Number(m[1]), Number(m[2])];
    assert.ok(to - from >= 900 && to - from <= 901, `the 15 min range, frozen: ${from}..${to}`);
    const serverNow = await page.evaluate(() => window.observd.serverNow());
    assert.ok(Math.abs(serverNow - to) < 5, `frozen at the sender's now (${to} vs ${serverNow})`);
    assert.equal(await page.textContent('#view-mode'), 'Not live');
    const xs = (p) => p.evaluate(() => ['latency', 'runs', 'traffic'].map((k) => [window.observdCharts[k].scales.x.min / 1000, window.observdCharts[k].scales.x.max / 1000]));
    // The receiver opens the link later: a live range would end at its own now.
    await waitSeconds(2);
    const { page: other, log: otherLog } = await openPage(browser.context, BASE, new URL(page.url()).pathname + new URL(page.url()).search);
    await other.waitForFunction(() => window.observdCharts.state.loaded, null, { timeout: 10000 });
    assert.equal(await other.textContent('#pause-toggle'), 'Resume');
    for (const [lo, hi] of await xs(other)) {
      assert.equal(lo, from, 'receiver\'s window starts where the sender\'s did');
      assert.equal(hi, to, 'receiver\'s window ends where the sender\'s did');
    }
    for (const [lo, hi] of await xs(page)) assert.ok(Math.abs(lo - from) <= 1 && Math.abs(hi - to) <= 1, 'sender keeps the frozen window');
    await page.click('#pause-toggle');
    assert.match(page.url(), /[?&]range=15m/);
    assert.doesNotMatch(page.url(), /from=|to=|live=0/);
    assert.equal(await page.textContent('#view-mode'), 'Live');
    await assertClean(page, log, 'pause freezes the window');
    await assertClean(other, otherLog, 'the paused link');
    await other.close();
    await page.close();
  });

  test('a shared paused link opens paused: data loaded once, no stream', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/observability?live=0&range=15m');
    await page.waitForFunction(() => window.observd.swaps.total >= 2 && window.observdCharts.state.loaded, null, { timeout: 10000 });
    assert.equal(await page.textContent('#pause-toggle'), 'Resume');
    await waitSeconds(6);
    assert.equal(count(log, '/dashboard/api/events'), 0, 'no EventSource opened');
    assert.equal(count(log, '/dashboard/api/stats-html'), 1, 'stats loaded exactly once');
    await page.close();
  });

  test('stream unavailable: partials and charts are polled, history as deltas', async () => {
    const ctx = browser.context;
    const page = await ctx.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.route('**/dashboard/api/events*', (route) => route.fulfill({ status: 503, body: 'busy' }));
    await page.goto(BASE + '/dashboard/observability');
    await page.waitForFunction(() => window.observd.mode === 'polling' && window.observd.lastUpdateAt > 0, null, { timeout: 10000 });
    const stats0 = requests.filter((u) => u.includes('/stats-html')).length;
    await eventually(() => requests.filter((u) => /\/dashboard\/api\/history\?since=\d/.test(u)).length >= 2,
      { timeout: 15000, message: 'history polled as ?since= deltas: ' + JSON.stringify(requests.filter((u) => u.includes('history'))) });
    assert.ok(requests.filter((u) => u.includes('/stats-html')).length >= stats0 + 1, 'stats polled');
    assert.equal(await page.getAttribute('#pulse', 'data-state'), 'ok');
    assert.equal(await page.textContent('#pulse-mode'), 'POLLING');
    await page.close();
  });

  test('metrics panel: replaced every 10 s at most, never under a text selection', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/observability');
    await page.waitForFunction(() => window.observd.mode === 'sse' && document.querySelector('#metrics pre'), null, { timeout: SSE_DEADLINE });
    const s0 = await page.evaluate(() => ({ stats: window.observd.swaps.byPartial.stats || 0, metrics: window.observd.swaps.byPartial.metrics || 0 }));
    await waitSeconds(11);
    const s1 = await page.evaluate(() => ({ stats: window.observd.swaps.byPartial.stats || 0, metrics: window.observd.swaps.byPartial.metrics || 0 }));
    assert.ok(s1.stats - s0.stats >= 3, `stats kept swapping (${s1.stats - s0.stats})`);
    assert.ok(s1.metrics - s0.metrics <= 2, `metrics swapped ${s1.metrics - s0.metrics} times in 11 s`);
    // Select some text: the panel must hold still while the selection exists.
    await page.evaluate(() => {
      const pre = document.querySelector('#metrics pre');
      const range = document.createRange();
      range.setStart(pre.firstChild, 0);
      range.setEnd(pre.firstChild, 40);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    });
    const held = await page.evaluate(() => window.observd.swaps.byPartial.metrics);
    await waitSeconds(12);
    assert.equal(await page.evaluate(() => window.observd.swaps.byPartial.metrics), held, 'not replaced under the selection');
    assert.equal(await page.evaluate(() => window.getSelection().toString().length), 40, 'selection intact');
    await assertClean(page, log, 'metrics cadence');
    await page.close();
  });

  test('SSE: per-page topics, tick beat, gzip when accepted', async () => {
    const ctrl = new AbortController();
    const res = await fetch(BASE + '/dashboard/api/events?topics=uploads&uploads_limit=5', {
      headers: { Accept: 'text/event-stream', 'Accept-Encoding': 'gzip' }, signal: ctrl.signal });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let text = '';
    const end = Date.now() + 15000;
    while (Date.now() < end && (text.match(/^event: tick$/gm) || []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
    }
    ctrl.abort();
    const events = new Set((text.match(/^event: (\w+)$/gm) || []).map((l) => l.slice(7)));
    assert.deepEqual([...events].sort(), ['tick', 'uploads'], text.slice(0, 300));
    assert.match(text, /data: \{"now":\d+\}/);
    assert.equal((await fetch(BASE + '/dashboard/api/events?topics=nope')).status, 400);
  });

  test('CSV exports: each chart series', async () => {
    for (const [series, head] of [['latency', 'time,latency_ms'], ['requests', 'time,requests_per_minute'],
      ['uploads', 'time,uploads_per_minute'], ['runs', 'time,status,runs_per_minute']]) {
      const res = await fetch(BASE + '/dashboard/api/history.csv?series=' + series);
      assert.equal(res.status, 200, series);
      assert.match(res.headers.get('content-type'), /^text\/csv/);
      assert.match(res.headers.get('content-disposition') || '', /attachment/);
      const lines = (await res.text()).split('\r\n');
      assert.equal(lines[0], head);
      assert.ok(lines.length > 2, series + ' has rows');
    }
    assert.equal((await fetch(BASE + '/dashboard/api/history.csv?series=x')).status, 400);
  });

  test('CSV exports: every download has its own descriptive file name', async () => {
    const names = [];
    for (const q of ['history.csv?series=latency', 'history.csv?series=requests', 'history.csv?series=uploads',
      'history.csv?series=runs', 'uploads.csv', 'uploads.csv?status=failed', 'annotations.csv']) {
      const res = await fetch(BASE + '/dashboard/api/' + q);
      assert.equal(res.status, 200, q);
      const d = res.headers.get('content-disposition') || '';
      assert.match(d, /^attachment; filename="observd-[a-z-]+-\d{8}T\d{4}Z(-\d{8}T\d{4}Z)?\.csv"$/, q);
      names.push(d.match(/filename="(.*)"/)[1]);
      await res.arrayBuffer();
    }
    assert.equal(new Set(names).size, names.length, 'no two exports share a name: ' + names.join(', '));
    assert.match(names[2], /^observd-uploads-per-minute-/);
    assert.match(names[4], /^observd-recent-uploads-\d/);
    assert.match(names[5], /^observd-recent-uploads-failed-/);
  });

  test('the page links a CSV of every series the API exports, downloaded under its own name', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/observability');
    const linked = await page.evaluate(() => [...document.querySelectorAll('a[href*="history.csv?series="]')]
      .map((a) => new URL(a.href).searchParams.get('series')).sort());
    // The server's own list (its 400 names every series), not a copy of it here.
    const refusal = await (await fetch(BASE + '/dashboard/api/history.csv?series=x')).text();
    const exported = refusal.replace(/^series must be one of /, '').trim().split(', ').sort();
    assert.ok(exported.length >= 4, refusal);
    assert.deepEqual(linked, exported, 'a CSV link per exported series');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#uploads-csv')]);
    assert.match(download.suggestedFilename(), /^observd-uploads-per-minute-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.csv$/);
    await download.cancel();
    await assertClean(page, log, 'CSV links');
    await page.close();
  });

  test('card numbers never dim when a swap replaces them', async () => {
    const { page } = await openPage(browser.context, BASE, '/dashboard/observability');
    await page.evaluate(() => {
      window.__opacity = [];
      const probe = () => document.querySelectorAll('#stats .card-number').forEach((n) => window.__opacity.push(Number(getComputedStyle(n).opacity)));
      document.addEventListener('htmx:afterSwap', probe);
      document.addEventListener('htmx:sseMessage', probe);
      document.addEventListener('htmx:afterSettle', probe);
    });
    await page.waitForFunction(() => window.__opacity.length >= 24, null, { timeout: SSE_DEADLINE });
    const min = await page.evaluate(() => Math.min(...window.__opacity));
    assert.equal(min, 1, 'opacity stays 1');
    await page.close();
  });
});
