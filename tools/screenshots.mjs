// tools/screenshots.py's browser half: opens observd's pages in Debian's Chromium and saves
// the README's screenshots. Usage: node screenshots.mjs URL DOCS_DIR
import path from 'node:path';
import { launch } from '../tests/e2e/support/browser.mjs';

const [base, docs] = process.argv.slice(2);
const chartsDrawn = () => window.observdCharts && window.observdCharts.state.loaded;
const tableFilled = () => document.querySelector('#uploads tbody tr') !== null;
const SHOTS = [
  { file: 'observability-7d.png', url: '/dashboard/observability?range=7d', width: 1280, height: 1220, ready: chartsDrawn },
  { file: 'observability-mobile.png', url: '/dashboard/observability?range=24h', width: 390, height: 844, ready: chartsDrawn },
  { file: 'uploads-mobile.png', url: '/dashboard/uploads', width: 390, height: 844, ready: tableFilled },
];
for (const s of SHOTS) {
  const browser = await launch({ viewport: { width: s.width, height: s.height } });
  try {
    const page = await browser.context.newPage();
    await page.goto(base + s.url, { waitUntil: 'load' });
    await page.waitForFunction(s.ready, null, { timeout: 20000 });
    await page.waitForTimeout(1000);  // the last paint
    await page.screenshot({ path: path.join(docs, s.file), fullPage: false });
    console.log('wrote', path.join(docs, s.file));
  } finally {
    await browser.close();
  }
}
