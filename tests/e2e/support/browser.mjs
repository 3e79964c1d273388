// Shared helpers of the browser tests: Debian's Chromium through playwright-core (never a
// downloaded browser), a page opener that records everything the assertions need, axe-core
// injected from frontend/node_modules, and polling waits with deadlines (no fixed sleeps).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..', '..');
export const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(repo, 'tests', 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const frontendRequire = createRequire(path.join(repo, 'frontend', 'package.json'));

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function url(envName) { return (process.env[envName] || '').replace(/\/+$/, ''); }

let profileSeq = 0;
// A fresh profile per browser (launchPersistentContext gives each its own --user-data-dir).
export async function launch(options = {}) {
  const { chromium } = frontendRequire(process.env.PLAYWRIGHT_CORE || 'playwright-core');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', `observd-e2e-profile-${process.pid}-${profileSeq++}-`));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport || { width: 1400, height: 1000 },
    hasTouch: !!options.hasTouch,
    colorScheme: options.colorScheme || 'light',
    reducedMotion: 'reduce',
    timezoneId: options.timezoneId || 'UTC',
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || '?'}:${e.lineNumber}`);
    });
    window.__layoutShift = 0;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__layoutShift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    } catch { /* not supported */ }
  });
  const close = async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); };
  return { context, close };
}

// One page with every observer the assertions need; `beforeGoto(page)` runs first (e.g. to
// route requests to crafted answers).
export async function openPage(context, base, route, { expectStatus = 200, beforeGoto = null } = {}) {
  const page = await context.newPage();
  if (beforeGoto) await beforeGoto(page);
  const log = { console: [], pageErrors: [], dialogs: [], failedResponses: [], requests: [], responses: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.console.push(m.text()); });
  page.on('pageerror', (e) => log.pageErrors.push(String((e && e.message) || e)));
  page.on('dialog', (d) => { log.dialogs.push(d.type() + ': ' + d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => log.requests.push({ url: r.url(), at: Date.now() }));
  page.on('response', (r) => { if (r.status() >= 400) log.failedResponses.push(r.status() + ' ' + r.url()); });
  const response = await page.goto(base + route, { waitUntil: 'load' });
  if (expectStatus !== null) assert.equal(response.status(), expectStatus, `GET ${route} status`);
  return { page, log, response };
}

export async function assertClean(page, log, what, { allowFailed = false, allowConsole = false } = {}) {
  const csp = await page.evaluate(() => (window.__cspViolations || []).slice());
  assert.deepEqual(csp, [], `${what}: CSP violations`);
  assert.deepEqual(log.pageErrors, [], `${what}: uncaught page errors`);
  if (!allowConsole) assert.deepEqual(log.console, [], `${what}: console errors`);
  assert.deepEqual(log.dialogs, [], `${what}: dialogs (alert/confirm) fired`);
  if (!allowFailed) assert.deepEqual(log.failedResponses, [], `${what}: failed responses`);
}

// Polls fn (in node) until it returns truthy; the deadline makes a hang a failure.
export async function eventually(fn, { timeout = 10000, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${message}; last value ${JSON.stringify(last)}`);
}

// Lets `s` seconds of real time pass: for tests that count what happens in a window
// (swaps, stream attempts), where no single event marks the end.
export function waitSeconds(s) {
  const t0 = Date.now();
  return eventually(() => Date.now() - t0 >= s * 1000, { timeout: s * 1000 + 5000, interval: 250, message: `${s} s` });
}

// Runs axe-core (from npm) in the page; returns serious/critical violations.
export async function axe(page) {
  const src = fs.readFileSync(frontendRequire.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated over the DevTools protocol: no inline <script>, so the page's CSP stays strict.
  await page.evaluate(src);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\n').slice(0, 2).join(' ')),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// Hides or shows the tab the way the Page Visibility API reports it.
export async function setHidden(page, hidden) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}
