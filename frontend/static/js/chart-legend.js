// observd chart legends and table views (HTML, in each chart's card, accessible): per series
// min / mean / max / last (and the total for counts) over the visible window, nulls ignored
// ("—" when nothing is known); the annotations in the window as focusable items whose text
// is their hover/focus text; and the "Table" view of a chart's values, a toggled region a
// keyboard or screen-reader user can read. Builds DOM only. window.observdLegend.
(function () {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // Over [[t, v], ...] with v a number or null: unknown is left out, not counted as 0.
  function stats(points) {
    var n = 0, sum = 0, min = null, max = null, last = null;
    points.forEach(function (p) {
      var v = p[1];
      if (v === null || v === undefined || !isFinite(v)) return;
      n++; sum += v;
      if (min === null || v < min) min = v;
      if (max === null || v > max) max = v;
      last = v;
    });
    return { n: n, min: min, max: max, last: last, mean: n ? sum / n : null, total: n ? sum : null };
  }

  // columns: [{key, label}], rows: [{label, swatch, values: {key: text}}]
  function legend(host, caption, columns, rows) {
    if (!host) return;
    var table = el('table', 'legend-table');
    table.appendChild(el('caption', 'visually-hidden', caption));
    var head = el('tr');
    var th0 = el('th', null, 'Series'); th0.scope = 'col'; head.appendChild(th0);
    columns.forEach(function (c) { var th = el('th', null, c.label); th.scope = 'col'; head.appendChild(th); });
    table.appendChild(el('thead')).appendChild(head);
    var body = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.setAttribute('data-series', r.key || r.label);
      var th = el('th');
      th.scope = 'row';
      th.appendChild(el('span', 'swatch swatch-' + r.swatch)).setAttribute('aria-hidden', 'true');
      th.appendChild(document.createTextNode(r.label));
      tr.appendChild(th);
      columns.forEach(function (c) { tr.appendChild(el('td', null, r.values[c.key] === undefined ? '' : r.values[c.key])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    host.replaceChildren(table);
  }

  // items: [{index, label, text}]; focus/hover highlights on the charts, leaving clears.
  function annotations(host, items, onFocus, zone) {
    if (!host) return;
    host.hidden = items.length === 0;
    if (!items.length) { host.replaceChildren(); return; }
    var list = el('ul', 'annotation-list');
    list.setAttribute('role', 'list');
    items.forEach(function (a) {
      var li = el('li');
      var b = el('button', 'annotation-item annotation-' + a.kind);
      b.type = 'button';
      b.title = a.text;
      b.setAttribute('data-annotation', String(a.index));
      b.appendChild(el('span', 'annotation-when', a.label));
      b.appendChild(el('span', 'annotation-text', a.text));
      ['focus', 'mouseenter'].forEach(function (ev) { b.addEventListener(ev, function () { onFocus(a.index); }); });
      ['blur', 'mouseleave'].forEach(function (ev) { b.addEventListener(ev, function () { onFocus(null); }); });
      b.addEventListener('click', function () { onFocus(a.index); });
      li.appendChild(b);
      list.appendChild(li);
    });
    var title = el('p', 'annotation-title', 'Events in this window (times in ' + zone + ')');
    host.replaceChildren(title, list);
  }

  // A "Table" button toggling a region with the chart's values (newest first).
  var tables = {};
  function tableView(key, button, region) {
    if (!button || !region) return;
    tables[key] = { button: button, region: region, build: null };
    button.addEventListener('click', function () {
      var open = region.hidden;
      region.hidden = !open;
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      button.textContent = open ? 'Hide table' : 'Table';
      if (open) refresh(key);
    });
  }
  function isOpen(key) { return !!(tables[key] && !tables[key].region.hidden); }
  // build() -> {caption, head: [...], rows: [[...], ...], note}
  function setTable(key, build) {
    if (!tables[key]) return;
    tables[key].build = build;
    if (isOpen(key)) refresh(key);
  }
  var LIMIT = 500;
  function refresh(key) {
    var t = tables[key];
    if (!t || !t.build) return;
    var d = t.build();
    var table = el('table', 'data-table');
    table.appendChild(el('caption', null, d.caption));
    var hr = el('tr');
    d.head.forEach(function (h) { var th = el('th', null, h); th.scope = 'col'; hr.appendChild(th); });
    table.appendChild(el('thead')).appendChild(hr);
    var body = el('tbody');
    d.rows.slice(0, LIMIT).forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (c, i) {
        var cell = el(i === 0 ? 'th' : 'td', null, c);
        if (i === 0) cell.scope = 'row';
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    var parts = [table];
    var note = d.rows.length > LIMIT ? 'Newest ' + LIMIT + ' of ' + d.rows.length + ' rows shown; the CSV link has them all.' : d.rows.length ? '' : 'No values in this window.';
    if (note) parts.push(el('p', 'data-note', note));
    t.region.replaceChildren.apply(t.region, parts);
  }

  window.observdLegend = { stats: stats, legend: legend, annotations: annotations, tableView: tableView, setTable: setTable, isOpen: isOpen };
})();
