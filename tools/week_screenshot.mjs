// tools/week_screenshot.py's browser half: opens observd's observability page on the
// 7-day range in Debian's Chromium and saves a screenshot. Usage: node week_screenshot.mjs URL OUT
import { launch } from '../tests/e2e/support/browser.mjs';

const [base, out] = process.argv.slice(2);
const browser = await launch({ viewport: { width: 1280, height: 1220 } });
try {
  const page = await browser.context.newPage();
  await page.goto(base + '/dashboard/observability?range=7d', { waitUntil: 'load' });
  await page.waitForFunction(() => window.observdCharts && window.observdCharts.state.loaded,
                             null, { timeout: 20000 });
  await page.waitForTimeout(1000);  // the charts' last paint
  await page.screenshot({ path: out, fullPage: false });
} finally {
  await browser.close();
}
