#!/usr/bin/env node
// 7-day chart draw time in Chromium (issue 18 target: <= 1 s with ~1,000 points per series).
// Starts tests/e2e/support/mock-observd.mjs on a free loopback port (History API v2: a
// 7-day window has 10-minute buckets, 1,008 per series), opens the observability page in
// Debian's Chromium (playwright-core, never a downloaded browser), and measures, 5 times:
//   switch  click "7 days" -> the window's data fetched, drawn and painted (next frame)
//   draw    the same 7-day document applied again -> drawn and painted (no network)
// Prints a Markdown table (median, min, max in ms) and exits 1 when the median draw or
// switch exceeds 1,000 ms. Usage (from the source tree, after building the site):
//   node tests/bench/chart_draw.mjs [--www build/www] [--templates build/templates] [--runs 5]
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { launch, openPage } from '../e2e/support/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : dflt; };
// Paths relative to the current directory; by default the source tree's build/.
const www = path.resolve(opt('www', path.join(repo, 'build/www')));
const templates = path.resolve(opt('templates', path.join(repo, 'build/templates')));
const RUNS = Number(opt('runs', '5'));
const LIMIT_MS = 1000;

const mock = spawn(process.execPath, [path.join(repo, 'tests/e2e/support/mock-observd.mjs'), '--www', www, '--templates', templates,
  '--manifest', path.join(path.dirname(www), 'site-manifest.json'), '--port', '0', '--history-hours', '200'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error('mock did not start in 10 s')), 10000);
  readline.createInterface({ input: mock.stdout }).on('line', (l) => {
    const m = /^listening (http:\/\/\S+)/.exec(l);
    if (m) { clearTimeout(t); resolve(m[1]); }
  });
  mock.on('exit', (c) => reject(new Error('mock exited ' + c)));
});

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
let browser;
let code = 0;
try {
  browser = await launch({ viewport: { width: 1400, height: 1000 } });
  const { page } = await openPage(browser.context, base, '/dashboard/observability?live=0');
  await page.waitForFunction(() => window.observdCharts && window.observdCharts.state.loaded, null, { timeout: 15000 });
  const switches = [], draws = [], renders = [];
  let points = 0;
  for (let i = 0; i < RUNS; i++) {
    await page.click('[data-range="24h"]');
    await page.waitForFunction(() => window.observdCharts.data.step === 60 && window.observdView.get().range === '24h', null, { timeout: 15000 });
    switches.push(await page.evaluate(async () => {
      const c = window.observdCharts, n = c.state.updates, t0 = performance.now();
      document.querySelector('[data-range="7d"]').click();
      while (c.state.updates === n || c.data.step !== 600) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));  // painted
      return performance.now() - t0;
    }));
    const r = await page.evaluate(async () => {
      const c = window.observdCharts;
      const doc = await (await fetch(c.state.fetches[c.state.fetches.length - 1])).json();
      const t0 = performance.now();
      c.applyHistory(doc, true);
      const render = c.state.drawMs;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { ms: performance.now() - t0, render, points: c.traffic.data.datasets[0].data.length };
    });
    draws.push(r.ms);
    renders.push(r.render);
    points = r.points;
  }
  const row = (name, xs) => `| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`;
  console.log(`7-day window, ${points} buckets per series (10 min), ${RUNS} runs, Chromium ${browser.context.browser()?.version() || ''}`);
  console.log('| what | median ms | min | max |\n|---|---|---|---|');
  console.log(row('switch to 7 days (fetch + draw + paint)', switches));
  console.log(row('draw + paint of the 7-day document', draws));
  console.log(row('  of which chart updates (renderAll)', renders));
  if (median(draws) > LIMIT_MS || median(switches) > LIMIT_MS) { console.log(`over the ${LIMIT_MS} ms target`); code = 1; }
} catch (e) {
  console.error(e);
  code = 2;
} finally {
  if (browser) await browser.close();
  mock.kill();
}
process.exit(code);
