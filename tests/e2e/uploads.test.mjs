// Uploads table: status filter, filename search and sort are server-side (escaped,
// bounded), kept in the URL, shown with a row count, and exported as CSV with the same
// filter. A filtered view is polled: the SSE stream's unfiltered table never replaces it.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, url } from './support/browser.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

let browser;
describe('uploads table', { skip }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });

  test('filter by status, search, sort: server-side, in the URL, counted', async () => {
    const { page, log } = await openPage(browser.context, BASE, '/dashboard/uploads');
    await page.waitForFunction(() => document.querySelectorAll('#uploads tbody tr').length > 0, null, { timeout: 10000 });
    const asked = page.waitForRequest((r) => /recent-uploads-html\?.*status=failed/.test(r.url()), { timeout: 5000 });
    await page.selectOption('#uploads-filter select[name="status"]', 'failed');
    await asked;
    assert.match(page.url(), /[?&]status=failed/);
    await page.waitForFunction(() => {
      const b = Array.from(document.querySelectorAll('#uploads tbody .badge')).map((x) => x.textContent.trim());
      return b.length > 0 && b.every((t) => t === 'failed');
    }, null, { timeout: 10000 });
    assert.match(await page.textContent('#uploads .table-foot'), /\d+ of \d+/);
    // The stream keeps sending the unfiltered table; the filtered one stays.
    await page.waitForFunction(() => window.observd.swaps.skipped >= 1, null, { timeout: 25000 });
    const badges = await page.$$eval('#uploads tbody .badge', (bs) => bs.map((b) => b.textContent.trim()));
    assert.ok(badges.every((t) => t === 'failed'), JSON.stringify(badges));

    await page.selectOption('#uploads-filter select[name="status"]', 'all');
    await page.fill('#uploads-filter input[name="q"]', '<script>');
    await page.waitForFunction(() => /q=%3Cscript%3E/.test(location.search), null, { timeout: 5000 });
    await page.waitForFunction((h) => {
      const names = Array.from(document.querySelectorAll('#uploads .filename')).map((e) => e.textContent);
      return names.length === 1 && names[0] === h;
    }, HOSTILE, { timeout: 10000 });
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length), 0);

    const href = await page.getAttribute('#uploads-csv', 'href');
    assert.match(href, /^\/dashboard\/api\/uploads\.csv\?q=%3Cscript%3E$/);
    const csv = await fetch(BASE + href);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') || '', /^text\/csv/);
    const body = await csv.text();
    assert.equal(body.split('\r\n')[0], 'id,filename,user,size_bytes,content_type,status,created_at');
    assert.ok(body.includes('"<script>alert(1)</script><img src=x onerror=alert(2)>"') || body.includes('<script>alert(1)'), body);

    await page.fill('#uploads-filter input[name="q"]', '');
    await page.selectOption('#uploads-filter select[name="sort"]', '-size');
    await page.waitForFunction(() => /sort=-size/.test(location.search), null, { timeout: 5000 });
    await page.waitForFunction(() => {
      const sizes = Array.from(document.querySelectorAll('#uploads tbody data')).map((d) => Number(d.getAttribute('value') || -1));
      return sizes.length > 3 && sizes.every((v, i) => i === 0 || v <= sizes[i - 1] || v === -1);
    }, null, { timeout: 10000 });
    await assertClean(page, log, 'uploads filter');
    await page.close();
  });

  test('a shared filtered link opens filtered', async () => {
    const { page } = await openPage(browser.context, BASE, '/dashboard/uploads?status=failed&sort=name');
    assert.equal(await page.$eval('#uploads-filter select[name="status"]', (s) => s.value), 'failed');
    assert.equal(await page.$eval('#uploads-filter select[name="sort"]', (s) => s.value), 'name');
    await page.waitForFunction(() => {
      const b = Array.from(document.querySelectorAll('#uploads tbody .badge')).map((x) => x.textContent.trim());
      return b.length > 0 && b.every((t) => t === 'failed');
    }, null, { timeout: 10000 });
    await page.close();
  });
});
