// Annotation labels on the time charts in real Chromium: marks a few pixels apart (restarts
// 10 s apart on the 1 h view, a reload between them, a Redis outage band over them) are all
// drawn, their labels never overlap (up to three rows, read from what the canvas really
// draws with fillText and from the overlay's record), and the labels without room are
// counted as "+n". History answers are crafted (support/history-doc.mjs); live is paused.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, url } from './support/browser.mjs';
import { historyDoc, routeHistory } from './support/history-doc.mjs';

const BASE = url('OBSERVD_URL');
const skip = BASE ? false : 'OBSERVD_URL is not set (the e2e driver sets it)';
const IDS = ['chart-latency', 'chart-runs', 'chart-traffic'];
const LABEL = /^(restart|reload|Redis down)( \+\d+)?$/;

let browser;
describe('annotation labels', { skip }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });

  async function pausedPage() {
    const o = await openPage(browser.context, BASE, '/dashboard/observability?live=0', { beforeGoto: (p) => routeHistory(p, {}) });
    await o.page.waitForFunction(() => window.observdCharts && window.observdCharts.state.loaded, null, { timeout: 10000 });
    // Every text the canvases draw, with its glyphs' box (measureText's actual bounds).
    await o.page.evaluate(() => {
      const fill = CanvasRenderingContext2D.prototype.fillText;
      window.__texts = [];
      CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
        const m = this.measureText(text);
        window.__texts.push({ id: this.canvas.id, text: String(text), x: x - m.actualBoundingBoxLeft, y: y - m.actualBoundingBoxAscent,
          w: m.actualBoundingBoxLeft + m.actualBoundingBoxRight, h: m.actualBoundingBoxAscent + m.actualBoundingBoxDescent });
        return fill.apply(this, arguments);
      };
    });
    return o;
  }
  // Applies the document, then redraws each time chart once: what it drew (the overlay's
  // record, the label texts filled on its canvas) and its area.
  async function draw(page, doc) {
    return page.evaluate(({ doc, ids }) => {
      const c = window.observdCharts;
      c.applyHistory(doc, true);
      const out = {};
      for (const id of ids) {
        const chart = Object.values(c).find((v) => v && v.canvas && v.canvas.id === id);
        window.__texts = [];
        chart.draw();
        const a = chart.chartArea;
        out[id] = { drawn: c.overlay.drawn[id], texts: window.__texts.filter((t) => t.id === id),
                    area: { left: a.left, right: a.right, top: a.top, bottom: a.bottom } };
      }
      return out;
    }, { doc, ids: IDS });
  }
  const meets = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  function assertApart(boxes, what) {
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        assert.ok(!meets(boxes[i], boxes[j]), `${what}: "${boxes[i].text}" ${JSON.stringify(boxes[i])} overlaps "${boxes[j].text}" ${JSON.stringify(boxes[j])}`);
      }
    }
  }

  test('marks a few pixels apart: all drawn, labels in up to 3 rows never overlap, the rest counted', async () => {
    const { page, log } = await pausedPage();
    const now = Math.floor(Date.now() / 1000);
    const mark = (t, kind) => ({ t: now - t, end: null, kind, text: `${kind} at -${t} s` });
    const annotations = [{ t: now - 1805, end: now - 1700, kind: 'redis_down', text: 'Redis unavailable: connection refused' },
      mark(1800, 'restart'), mark(1795, 'reload'), mark(1790, 'restart'), mark(1780, 'restart'), mark(1770, 'restart'),
      mark(1760, 'restart'), mark(600, 'restart')];
    const got = await draw(page, historyDoc({ now, annotations }));
    for (const id of IDS) {
      const { drawn, texts, area } = got[id];
      const labels = texts.filter((t) => LABEL.test(t.text) && t.y < area.top + 50);
      // What the canvas really drew first: on the old overlay every label sat on one line.
      assertApart(labels, `${id} drawn text`);
      assert.equal(drawn.lines, 7, `${id}: every mark drawn`);
      assert.equal(drawn.bands, 1, `${id}: the band drawn`);
      const boxes = drawn.labelBoxes.filter((b) => b.index !== null);
      assert.equal(labels.length, boxes.length, `${id}: one fillText per recorded label`);
      assertApart(drawn.labelBoxes, `${id} recorded boxes`);
      for (const b of boxes) {
        assert.ok(b.x >= area.left && b.x + b.w <= area.right && b.y >= area.top && b.w > 0 && b.h > 0, `${id}: ${JSON.stringify(b)} in the area`);
      }
      // The cluster fills three rows; its four other labels are counted on the last one.
      assert.equal(new Set(boxes.map((b) => b.y)).size, 3, `${id}: three rows used`);
      assert.equal(drawn.hidden, 4, `${id}: hidden count`);
      assert.deepEqual(boxes.filter((b) => b.more).map((b) => [b.more, / \+4$/.test(b.text)]), [[4, true]], `${id}: "+4" shown`);
      assert.ok(labels.some((t) => / \+4$/.test(t.text)), `${id}: "+4" drawn`);
      // The lone restart later on keeps its label on the first row.
      const lone = boxes.find((b) => b.index === 7);
      assert.ok(lone && lone.y === Math.min(...boxes.map((b) => b.y)), `${id}: the lone restart labelled on row 1`);
    }
    // A label on a lower row names its mark on hover.
    const low = got['chart-latency'].drawn.labelBoxes.filter((b) => b.index !== null).sort((a, b) => b.y - a.y)[0];
    const rect = await page.evaluate(() => { const r = document.getElementById('chart-latency').getBoundingClientRect(); return { x: r.left, y: r.top }; });
    await page.mouse.move(rect.x + low.x + low.w / 2, rect.y + low.y + low.h / 2);
    await page.waitForFunction((i) => window.observdCharts.overlay.hoverIdx === i, low.index, { timeout: 5000 });
    await assertClean(page, log, 'crowded labels');
    await page.close();
  });

  test('a restart 20 s after a reload: both labelled, on two rows, nothing hidden', async () => {
    const { page, log } = await pausedPage();
    const now = Math.floor(Date.now() / 1000);
    const annotations = [{ t: now - 1220, end: null, kind: 'reload', text: 'configuration reloaded (SIGHUP)' },
      { t: now - 1200, end: null, kind: 'restart', text: 'observd started' }];
    const got = await draw(page, historyDoc({ now, annotations }));
    for (const id of IDS) {
      const { drawn, texts, area } = got[id];
      const labels = texts.filter((t) => LABEL.test(t.text) && t.y < area.top + 50);
      assertApart(labels, `${id} drawn text`);
      assert.deepEqual(drawn.labels, ['reload', 'restart'], id);
      assert.equal(drawn.hidden, 0, id);
      assert.equal(new Set(drawn.labelBoxes.map((b) => b.y)).size, 2, `${id}: two rows`);
    }
    await assertClean(page, log, 'two labels');
    await page.close();
  });
});
