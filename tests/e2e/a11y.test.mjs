// axe-core (npm, injected over the DevTools protocol) on every page, light and dark, at
// 1400×1000 and 390×844, with live data on screen: no serious or critical violation.
import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, axe, url } from './support/browser.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';
const SIZES = { desktop: { width: 1400, height: 1000 }, mobile: { width: 390, height: 844 } };

const browsers = [];
describe('accessibility (axe-core)', { skip }, () => {
  after(async () => { for (const b of browsers) await b.close(); });

  for (const scheme of ['light', 'dark']) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      test(`${scheme}, ${size}: no serious or critical violations`, async () => {
        const b = await launch({ viewport, colorScheme: scheme });
        browsers.push(b);
        const problems = {};
        for (const route of ['/', '/dashboard/observability', '/dashboard/uploads']) {
          const { page } = await openPage(b.context, BASE, route);
          await page.waitForFunction(() => window.observd.lastUpdateAt > 0, null, { timeout: 10000 });
          if (route === '/dashboard/observability') {
            await page.waitForFunction(() => window.observdCharts.state.loaded && document.querySelector('#metrics pre'), null, { timeout: 10000 });
          }
          const v = await axe(page);
          if (v.length) problems[route] = v;
          await page.close();
        }
        assert.deepEqual(problems, {}, JSON.stringify(problems, null, 1));
      });
    }
  }
});
