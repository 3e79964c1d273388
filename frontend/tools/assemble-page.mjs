// Build step: wraps one page body (frontend/pages/<name>.html) in the shared layout
// (frontend/layout/page.html: head, header/nav, footer), so those are written once.
// A page body starts with `<!--page {json}-->` naming its title, data-page, refresh
// interval, nav entry and scripts. Usage: node assemble-page.mjs <layout> <body> <out> [assets]
// [assets]: the www paths the build copies, one a line; a script not among them fails.
// A name maps to one file or to an ordered list of them ("site": the site-*.js files that
// every page loads, in the order they depend on each other; "charts": chart-fetch.js, then
// charts.js, which calls it).
import fs from 'node:fs';
import path from 'node:path';

const SCRIPTS = {
  htmx: '/static/vendor/htmx.min.js',
  sse: '/static/vendor/htmx-ext-sse.js',
  chart: '/static/vendor/chart.umd.min.js',
  hammer: '/static/vendor/hammer.min.js',
  'chart-zoom': '/static/vendor/chartjs-plugin-zoom.min.js',
  site: ['/static/js/site-state.js', '/static/js/site-clock.js', '/static/js/site-reach.js',
    '/static/js/site-freshness.js', '/static/js/site-stream.js', '/static/js/site-live.js',
    '/static/js/site-controls.js', '/static/js/site-slots.js'],
  'chart-time': '/static/js/chart-time.js',
  'chart-view': '/static/js/chart-view.js',
  'chart-data': '/static/js/chart-data.js',
  'chart-legend': '/static/js/chart-legend.js',
  'chart-labels': '/static/js/chart-labels.js',
  'chart-overlay': '/static/js/chart-overlay.js',
  'chart-cache': '/static/js/chart-cache.js',
  'chart-render': '/static/js/chart-render.js',
  charts: ['/static/js/chart-fetch.js', '/static/js/charts.js'],
  landing: '/static/js/landing.js',
};

function fail(msg) {
  process.stderr.write(`assemble-page: ${msg}\n`);
  process.exit(1);
}

const [layoutPath, bodyPath, outPath, assetsPath] = process.argv.slice(2);
if (!outPath) fail('usage: assemble-page.mjs <layout> <body> <out>');
const layout = fs.readFileSync(layoutPath, 'utf8');
const body = fs.readFileSync(bodyPath, 'utf8');
const m = /^<!--page\s+(\{[\s\S]*?\})\s*-->\n/.exec(body);
if (!m) fail(`${bodyPath}: must start with <!--page {json}-->`);
let meta;
try { meta = JSON.parse(m[1]); } catch (e) { fail(`${bodyPath}: bad page header: ${e.message}`); }
for (const k of ['title', 'page', 'interval', 'current', 'scripts']) {
  if (meta[k] === undefined) fail(`${bodyPath}: page header lacks "${k}"`);
}
const built = assetsPath ? new Set(fs.readFileSync(assetsPath, 'utf8').split('\n').filter(Boolean)) : null;
const scripts = meta.scripts.flatMap((s) => {
  if (!SCRIPTS[s]) fail(`${bodyPath}: unknown script "${s}"`);
  return [].concat(SCRIPTS[s]).map((src) => {
    if (built && !built.has(src.slice(1))) fail(`${bodyPath}: script "${s}" (${src}) is not in the build's asset lists (frontend/CMakeLists.txt)`);
    return `  <script defer src="${src}"></script>`;
  });
}).join('\n');

const values = { title: meta.title, page: meta.page, interval: String(meta.interval), scripts, main: body.slice(m[0].length).trimEnd() };
let html = layout.replace(/\{\{(\w+)\}\}/g, (whole, k) => {
  if (!(k in values)) fail(`${layoutPath}: unknown placeholder ${whole}`);
  return values[k];
});
const navLink = `<li><a href="${meta.current}"`;
if (meta.current && !html.includes(navLink)) fail(`${bodyPath}: no nav entry for ${meta.current}`);
if (meta.current) html = html.replace(navLink, `${navLink} aria-current="page"`);
fs.mkdirSync(path.dirname(outPath), { recursive: true });
fs.writeFileSync(outPath, html);
