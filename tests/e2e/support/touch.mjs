// Touch input for the browser tests: real touch events through the DevTools protocol
// (what a finger sends), not synthetic DOM events, and where to aim them.

// Moves one finger per track [x0, y0, x1, y1] from its start to its end in `steps` moves.
export async function gesture(page, cdp, tracks, steps = 10) {
  const at = (i) => tracks.map(([x0, y0, x1, y1], id) => ({ x: x0 + ((x1 - x0) * i) / steps, y: y0 + ((y1 - y0) * i) / steps, id }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let i = 1; i <= steps; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(i) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

// The element's place on screen ({x, y: its middle, w}), centred in the viewport and
// measured once the page is still: a swipe's fling scrolls on after the finger lifts,
// and partials and legends that arrive meanwhile move it.
export function centreOf(page, selector) {
  return page.$eval(selector, (c) => new Promise((resolve) => {
    let last = null, still = 0;
    (function frame() {
      c.scrollIntoView({ block: 'center' });
      const r = c.getBoundingClientRect();
      const at = [window.scrollY, r.y, r.height].join();
      still = at === last ? still + 1 : 0;
      last = at;
      if (still >= 5) resolve({ x: r.x, y: r.y + r.height / 2, w: r.width });
      else requestAnimationFrame(frame);
    })();
  }));
}
