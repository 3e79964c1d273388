// observd chart labels: where the annotation labels of one time chart go, so that no two
// overlap however close their marks are (a restart 20 s after a reload, restarts minutes
// apart on the 7-day view). Greedy, left to right by the mark's position: a label takes
// the first of ROWS rows where it keeps GAP pixels from every box already there (and from
// the boxes the caller reserves, e.g. the "no data" labels); when no row has room it is
// not drawn but counted, as " +n" after the label placed last before it, which the list
// under the chart names in full. If that label no longer fits with its count, it is hidden
// too and the count moves to the label placed before it. The marks are the caller's, and
// always drawn. Pure: widths come from measure(text), the canvas's measureText, so the
// layout holds for any font. window.observdLabels.layout(items, opts) -> { boxes, hidden }.
(function () {
  'use strict';

  var ROWS = 3, GAP = 4;

  function intersects(a, b) {
    return a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  // items: [{ index, text, x }] (x: the mark's pixel, the band's left edge); opts: { left,
  // right, top, row (height of a row, px), measure, reserved: [{ x, y, w, h }] }.
  // Returns the boxes to draw ({ index, label, text, x, y, w, h, more }: label the item's
  // text, text the label with its " +more" count, y the box's top) in placing order, and
  // hidden: how many labels are not drawn.
  function layout(items, opts) {
    var placed = [], reserved = opts.reserved || [], lost = 0;
    function boxAt(item, text, row) {
      var w = opts.measure(text);
      var x = Math.min(Math.max(item.x + 3, opts.left + 2), opts.right - w - 2);
      return { index: item.index, text: text, x: x, y: opts.top + row * opts.row, w: w, h: opts.row - 1,
               more: 0, row: row, item: item };
    }
    function fits(box, except) {
      if (box.x < opts.left) return false;
      return !reserved.some(function (r) { return intersects(box, r); }) &&
        !placed.some(function (p) { return p !== except && intersects(box, p); });
    }
    // n labels could not be placed: counted on the label placed last (see the header).
    function count(n) {
      while (placed.length) {
        var owner = placed[placed.length - 1], more = owner.more + n;
        var box = boxAt(owner.item, owner.item.text + ' +' + more, owner.row);
        box.more = more;
        if (fits(box, owner)) { placed[placed.length - 1] = box; return; }
        placed.pop();
        n = more + 1;
      }
      lost += n;
    }
    items.slice().sort(function (a, b) { return a.x - b.x || a.index - b.index; }).forEach(function (item) {
      for (var row = 0; row < ROWS; row++) {
        var box = boxAt(item, item.text, row);
        if (fits(box, null)) { placed.push(box); return; }
      }
      count(1);
    });
    var hidden = lost;
    var boxes = placed.map(function (p) {
      hidden += p.more;
      return { index: p.index, label: p.item.text, text: p.text, x: p.x, y: p.y, w: p.w, h: p.h, more: p.more };
    });
    return { boxes: boxes, hidden: hidden };
  }

  window.observdLabels = { layout: layout };
})();
