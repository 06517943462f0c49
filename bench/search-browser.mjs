#!/usr/bin/env node
// bench/search-browser.mjs: how fast the search page of a built site shows
// its first results in Chromium, and how much a query downloads (issue 17).
// Language: JavaScript (Node 20 or later, an ES module).
//
// Usage:
//   node bench/search-browser.mjs --site OUTPUT [--queries N] [--common N]
//                                 [--transport LIST] [--details] [--json FILE]
//
//   --site OUTPUT        a built site (the output folder, with search/index.html)
//   --queries N          headline queries (default 24): two distinctive words of each
//                        of N headlines taken at even steps through the index
//   --common N           common-word queries (default 4): pairs of the words most
//                        articles use, the worst case for what a query loads
//   --transport LIST     some of file, http, gzip (default all three): from disk, over
//                        HTTP, over HTTP with gzip (as most static hosts send text)
//   --details            also print every query's figures, and the files the
//                        largest query loaded
//   --json FILE          write every measurement to FILE
//
// Browser: headless Chromium (GAZETTE_CHROMIUM, default /usr/bin/chromium) with the
// flags of the browser tests, driven by playwright-core from tests/e2e/node_modules
// (`npm ci` in tests/e2e installs it; bench/search-browser.sh does).
//
// What is measured. On the search page, search.js takes a search from its own box
// (and a filter, sort or page link) in the page: it changes the URL with the History
// API and searches again, the index files it loaded still loaded. From any other
// page, the masthead box is an ordinary GET form to search/index.html?q=…, a
// navigation; search.js then searches that URL on load. A query's time runs from
// the form's `submit` event to the first <li> of a new <ol id="search-results"> in
// the document (timed in the page, performance.timeOrigin + now() on both sides of
// a navigation); "frame" is the next animation frame after that.
//   - "first query": a new browser context (empty cache) opens the search page once
//     (its first load: the HTML, CSS, search.js and search/index/root.js), then the
//     query is typed into its box and submitted: in the page. The page and its
//     script are warm, the index files the query needs are not: a reader's first
//     search. Then its tag filter (the largest facet file) is opened by a click:
//     "open filter" runs from the click to its values shown with their counts
//     (the filters but the year load their facet file only when opened).
//   - "next query": one context runs every query in turn in the same search page:
//     files an earlier query loaded (document blocks, common shards, the tag
//     facet once its filter is open: it stays open) are loaded already.
//   - "from another page": a new context opens the search page once (now cached),
//     then the home page, and the query is typed into the masthead box: a
//     navigation to the search page, which loads root.js (from the cache) and the
//     index files again.
// Bytes: "index" is the size on disk of the index files the query asked for
// (search/index/ but root.js, which the first load has; the same whatever the cache
// holds); "transfer" (HTTP only) is what crossed the wire for the whole navigation,
// headers included (CDP Network.loadingFinished encodedDataLength), so 304s and
// cache hits count what they cost.
// HTTP: a small static server of this script on 127.0.0.1 (not `gazette serve`,
// which sends Cache-Control: no-cache without validators and adds its live-reload
// script), answering as a plain static host does: ETag and Last-Modified,
// `Cache-Control: no-cache` (each use revalidates, a 304 when unchanged); no
// compression ("http") or gzip, level 6, made once per file ("gzip").
//
// Exits nonzero on an error (a page error, a failed or 4xx/5xx request, a query with
// no results, a timeout); a missed target is not an error, this is a benchmark.

import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

// The browser suite's Chromium and flags (no sandbox as root, no GPU, no background traffic).
import { CHROMIUM_ARGS, chromiumPath as CHROMIUM } from '../tests/e2e/lib/chromium.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

function usage() {
  const text = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  return text.slice(1, 19).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
}

function die(message) {
  console.error(`search-browser: error: ${message}`);
  process.exit(1);
}

const TRANSPORTS = ['file', 'http', 'gzip'];
const LABEL = { file: '`file://`', http: 'HTTP', gzip: 'HTTP, gzip' };
const opts = { site: '', queries: 24, common: 4, transports: TRANSPORTS, details: false, json: '' };
{
  const args = process.argv.slice(2);
  const value = (flag) => {
    const v = args.shift();
    if (v === undefined) die(`${flag} needs a value`);
    return v;
  };
  const count = (flag) => {
    const v = value(flag);
    if (!/^\d+$/.test(v)) die(`${flag} must be a whole number, got '${v}'`);
    return Number(v);
  };
  while (args.length) {
    const a = args.shift();
    if (a === '--site') opts.site = path.resolve(value(a));
    else if (a === '--queries') opts.queries = count(a);
    else if (a === '--common') opts.common = count(a);
    else if (a === '--transport') opts.transports = value(a).split(',').filter(Boolean);
    else if (a === '--details') opts.details = true;
    else if (a === '--json') opts.json = path.resolve(value(a));
    else if (a === '-h' || a === '--help') {
      console.log(usage());
      process.exit(0);
    } else die(`unknown argument '${a}' (see --help)`);
  }
  if (!opts.site) die('--site OUTPUT is required (see --help)');
  if (!opts.transports.length || opts.transports.some((t) => !TRANSPORTS.includes(t))) {
    die(`--transport takes some of ${TRANSPORTS.join(',')}`);
  }
  if (opts.queries + opts.common < 1) die('no queries to run');
}

const SEARCH_PAGE = path.join(opts.site, 'search', 'index.html');
const INDEX = path.join(opts.site, 'search', 'index');
if (!fs.existsSync(SEARCH_PAGE) || !fs.existsSync(path.join(INDEX, 'root.js'))) {
  die(`${opts.site} has no search page and index (search/index.html, search/index/root.js): build it with search on`);
}
if (!/<input[^>]*name="q"/.test(fs.readFileSync(path.join(opts.site, 'index.html'), 'utf8'))) {
  die(`${opts.site}/index.html has no search box (input name="q") to search from another page`);
}

const requireFromSuite = createRequire(path.join(REPO, 'tests', 'e2e', 'package.json'));
let chromium;
try {
  ({ chromium } = requireFromSuite('playwright-core'));
} catch {
  die('playwright-core is not installed: run `npm ci` in tests/e2e (bench/search-browser.sh does)');
}
if (!fs.existsSync(CHROMIUM)) die(`no Chromium at ${CHROMIUM} (set GAZETTE_CHROMIUM)`);

// ---------------------------------------------------------------------------
// Queries, from the index's own metadata chunks (what a result shows)
// ---------------------------------------------------------------------------

/** The data of an index file: `gazetteSearch.add("kind","id",DATA);`. */
function indexData(file) {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^gazetteSearch\.add\("[^"]*","[^"]*",([\s\S]*)\);\s*$/.exec(text);
  if (!m) die(`${file} is not an index file`);
  return JSON.parse(m[1]);
}

/** Words as a reader would type them: letters only, lowercase. */
function words(text) {
  return (text.toLowerCase().match(/\p{L}+/gu) || []).filter((w) => w.length >= 3);
}

// Function words: never chosen (a reader does not search for them).
const STOP = new Set(
  ('the and for but not are was were has have had its with from into over under than that this these those ' +
    'will would could should may might can does did been being about after before again against amid ' +
    'says said while what when where which who why how all any more most some such only own same very just ' +
    'also there their they them then out off per via yet our your his her him she one two new')
    .split(' '),
);

function chooseQueries() {
  const chunks = fs
    .readdirSync(path.join(INDEX, 'm'))
    .map((f) => Number.parseInt(f, 10))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const records = [];
  for (const c of chunks) {
    for (const r of indexData(path.join(INDEX, 'm', `${c}.js`))) records.push({ headline: r[1], excerpt: r[7] });
  }
  if (!records.length) die('the index has no articles');

  // How many headlines use each word (for "distinctive"), and how many articles
  // use it in the headline or the excerpt (for "common").
  const inHeadlines = new Map();
  const inArticles = new Map();
  for (const r of records) {
    const h = new Set(words(r.headline));
    for (const w of h) inHeadlines.set(w, (inHeadlines.get(w) || 0) + 1);
    for (const w of new Set([...h, ...words(r.excerpt)])) inArticles.set(w, (inArticles.get(w) || 0) + 1);
  }

  const queries = [];
  const seen = new Set();
  // Headlines at even steps through the index (slot order: a hash of the source
  // path, so spread over the years); from each, its two rarest words, as written.
  const step = records.length / Math.max(opts.queries, 1);
  for (let i = 0; i < opts.queries; i++) {
    // The headline at the step, or the next one that has two words to take.
    for (let at = Math.floor(i * step); at < records.length; at++) {
      const headline = records[at].headline;
      const candidates = [...new Set(words(headline))].filter((w) => w.length >= 4 && !STOP.has(w));
      if (candidates.length < 2) continue;
      const rarest = candidates.sort((a, b) => inHeadlines.get(a) - inHeadlines.get(b) || (a < b ? -1 : 1)).slice(0, 2);
      const order = words(headline);
      const q = rarest.sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(' ');
      if (seen.has(q)) continue;
      seen.add(q);
      queries.push({ q, kind: 'headline', headline });
      break;
    }
  }
  // The words most articles use, in pairs: 1st + 2nd, 3rd + 4th, …
  const common = [...inArticles.entries()]
    .filter(([w]) => w.length >= 4 && !STOP.has(w))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  for (let i = 0; i < opts.common && 2 * i + 1 < common.length; i++) {
    queries.push({ q: `${common[2 * i]} ${common[2 * i + 1]}`, kind: 'common' });
  }
  return { queries, articles: records.length };
}

// ---------------------------------------------------------------------------
// A static HTTP server, as a plain host serves the output
// ---------------------------------------------------------------------------

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static server of `root`; with `gzip`, text files are sent gzipped to a client that takes it. */
function serve(root, gzip) {
  // file → [etag, gzipped bytes]; every text file of the search page made up front
  // (outside the timings), any other on first use.
  const gzipped = new Map();
  const compress = (file, etag, body) => {
    if (gzipped.get(file)?.[0] !== etag) gzipped.set(file, [etag, zlib.gzipSync(body, { level: 6 })]);
    return gzipped.get(file)[1];
  };
  const etagOf = (stat) => `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  if (gzip) {
    for (const dir of ['search', 'assets']) {
      for (const f of fs.readdirSync(path.join(root, dir), { recursive: true })) {
        const file = path.join(root, dir, f);
        const stat = fs.statSync(file);
        if (stat.isFile() && /\.(js|css|html)$/.test(f)) compress(file, etagOf(stat), fs.readFileSync(file));
      }
    }
  }
  const server = http.createServer((req, res) => {
    let file;
    try {
      const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      file = path.join(root, p);
      if (!file.startsWith(root)) throw new Error('outside');
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    } catch {
      file = '';
    }
    let stat;
    try {
      stat = file && fs.statSync(file);
    } catch {
      stat = undefined;
    }
    if (!stat || !stat.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    const etag = etagOf(stat);
    const headers = {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ETag: etag,
      'Last-Modified': stat.mtime.toUTCString(),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers.Vary = 'Accept-Encoding';
    let body = fs.readFileSync(file);
    if (gzip && /^(text\/|application\/(json|xml)|image\/svg)/.test(headers['Content-Type']) &&
        /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      body = compress(file, etag, body);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------------------------------------------------------------------------
// In the page
// ---------------------------------------------------------------------------

// Runs in every document before its own scripts: notes when a form is submitted
// (kept in sessionStorage, which outlives a navigation) and when a new result list
// with a result is in the document, then the next frame. `__benchArm()` starts
// watching afresh (for a search that stays in the page).
const INIT_SCRIPT = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  document.addEventListener('submit', () => {
    sessionStorage.setItem('bench-submit', String(now()));
  }, true);
  let observer;
  window.__benchArm = () => {
    const old = document.getElementById('search-results');
    const oldStatus = document.getElementById('search-status')?.textContent;
    window.__bench = undefined;
    observer?.disconnect();
    observer = new MutationObserver(() => {
      if (window.__bench) return;
      const list = document.getElementById('search-results');
      const status = document.getElementById('search-status');
      if (list && list !== old && list.querySelector('li')) {
        window.__bench = { first: now() };
      } else if (status && status.textContent !== oldStatus && /^(No articles|Search failed)/.test(status.textContent)) {
        window.__bench = { first: now(), error: status.textContent };
      } else {
        return;
      }
      observer.disconnect();
      requestAnimationFrame(() => { window.__bench.frame = now(); });
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  };
  window.__benchArm();
})();`;

/** What the page knows once its results are shown. */
function pageReport() {
  const submit = Number(sessionStorage.getItem('bench-submit'));
  const origin = performance.timeOrigin;
  const nav = performance.getEntriesByType('navigation')[0];
  // What this search asked for (in the page, the earlier searches' files are listed too).
  const since = performance.getEntriesByType('resource').filter((e) => origin + e.startTime >= submit);
  const index = since
    .filter((e) => e.name.includes('/search/index/'))
    .map((e) => ({ name: e.name, start: e.startTime, end: e.responseEnd }));
  const status = document.getElementById('search-status');
  return {
    submit,
    first: window.__bench.first,
    frame: window.__bench.frame,
    error: window.__bench.error,
    origin,
    dcl: nav ? nav.domContentLoadedEventStart : NaN,
    responseEnd: nav ? nav.responseEnd : NaN,
    index,
    status: status ? status.textContent : '',
    resources: since.map((e) => e.name),
  };
}

// ---------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------

const TIMEOUT = 20_000;

/** The file of the output a URL names (query and fragment dropped), or null. */
function fileOf(url, base) {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  let p;
  if (u.protocol === 'file:') p = fileURLToPath(u);
  else if (base && u.origin === base.origin) p = path.join(opts.site, decodeURIComponent(u.pathname));
  else return null;
  try {
    const st = fs.statSync(p);
    return st.isDirectory() ? path.join(p, 'index.html') : p;
  } catch {
    return null;
  }
}

const sizeCache = new Map();
function sizeOf(file) {
  if (!sizeCache.has(file)) sizeCache.set(file, fs.statSync(file).size);
  return sizeCache.get(file);
}

/** A tab with a record of its requests and of what they transferred (CDP). */
class Tab {
  static async open(context, base) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const tab = new Tab(page, cdp, base);
    await cdp.send('Network.enable');
    return tab;
  }

  constructor(page, cdp, base) {
    this.page = page;
    this.base = base;
    this.problems = [];
    this.urls = new Set();
    this.transfer = 0;
    this.byId = new Map();
    page.on('request', (r) => this.urls.add(r.url()));
    page.on('requestfailed', (r) => {
      const error = r.failure()?.errorText ?? 'failed';
      if (error === 'net::ERR_ABORTED' && r.isNavigationRequest()) return;
      this.problems.push(`failed request: ${r.url()} (${error})`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) this.problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('pageerror', (e) => this.problems.push(`uncaught exception: ${e.message}`));
    page.on('console', (m) => {
      // A failed load of the page's own is reported above; this line also comes for
      // the favicon Chromium asks the server for, which the site need not have.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        this.problems.push(`console error: ${m.text()}`);
      }
    });
    cdp.on('Network.requestWillBeSent', (e) => this.byId.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => {
      this.transfer += e.encodedDataLength;
    });
  }

  /** Start counting afresh (the requests and bytes of the next step). */
  reset() {
    this.urls = new Set();
    this.transfer = 0;
  }

  check(step) {
    const problems = this.problems.splice(0);
    if (problems.length) throw new Error(`${step}: ${problems.join('; ')}`);
  }

  /** The output's files requested since the last reset (with those the page's Resource Timing lists). */
  files(extra = []) {
    const files = new Set();
    for (const url of [...this.urls, ...extra]) {
      const f = fileOf(url, this.base);
      if (f) files.add(f);
    }
    return [...files];
  }
}

/** Open the search page (its first load); returns its files and bytes. */
async function firstLoad(tab, pageUrl) {
  tab.reset();
  await tab.page.goto(pageUrl, { waitUntil: 'load', timeout: TIMEOUT });
  await tab.page.evaluate(() => window.gazetteSearch && window.gazetteSearch.started);
  const rt = await tab.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  tab.check(`open ${pageUrl}`);
  const files = tab.files(rt);
  return { files, bytes: files.reduce((n, f) => n + sizeOf(f), 0), transfer: tab.transfer };
}

const isIndexFile = (f) => f.startsWith(INDEX + path.sep) && f !== path.join(INDEX, 'root.js');

/**
 * Open a filter of the results shown (a <details> that loads its facet file when
 * opened) by a click; the time until its values are shown with their counts, and
 * the index files that loaded. Null when the page has no such filter.
 */
async function openFilter(tab, name) {
  const { page } = tab;
  const summary = page.locator(`details[data-facet="${name}"] > summary`);
  if (!(await summary.count())) return null;
  tab.reset();
  await page.evaluate((facet) => {
    const details = document.querySelector(`details[data-facet="${facet}"]`);
    window.__benchFilter = undefined;
    details.addEventListener('click', () => {
      const start = performance.now();
      // Shown: a list or a note in the group, no longer aria-busy.
      const done = () => details.querySelector('ul, .search-facet-note') && !details.hasAttribute('aria-busy');
      const observer = new MutationObserver(() => {
        if (!done()) return;
        observer.disconnect();
        window.__benchFilter = performance.now() - start;
      });
      observer.observe(details, { childList: true, subtree: true, attributes: true });
    }, { once: true, capture: true });
  }, name);
  await summary.click();
  await page.waitForFunction(() => window.__benchFilter !== undefined, null, { timeout: TIMEOUT });
  const ms = await page.evaluate(() => window.__benchFilter);
  tab.check(`open the ${name} filter`);
  const index = tab.files().filter(isIndexFile);
  return { ms, indexBytes: index.reduce((n, f) => n + sizeOf(f), 0), transfer: tab.transfer };
}

/** Type the query into the search box, submit, wait for the first result; its figures. */
async function runQuery(tab, query) {
  const { page } = tab;
  // The page's search box: the search page's own, or the masthead's of another page.
  const box = page.locator('input[name="q"]').first();
  await box.fill(query.q);
  await page.evaluate(() => {
    sessionStorage.removeItem('bench-submit');
    window.__benchArm();
  });
  tab.reset();
  await box.press('Enter');
  // The results page of this query (the box's form is a GET to the search page).
  await page.waitForURL((u) => u.searchParams.get('q') === query.q, { waitUntil: 'commit', timeout: TIMEOUT });
  await page.waitForFunction(() => window.__bench && window.__bench.frame !== undefined, null, { timeout: TIMEOUT });
  // Every file the results needed has loaded (the page is drawn from them); the
  // script's promise settles once the filters' counts are drawn too.
  await page.evaluate(() => window.gazetteSearch.searched || window.gazetteSearch.started);
  const r = await page.evaluate(pageReport);
  if (r.error) throw new Error(`"${query.q}": ${r.error}`);
  if (!r.submit) throw new Error(`"${query.q}": the submit was not seen`);
  tab.check(`"${query.q}"`);
  const files = tab.files(r.resources);
  const index = files.filter(isIndexFile);
  const found = /^([\d,]+) articles? found/.exec(r.status);
  // The last index file in before the first result.
  const before = r.index.filter((e) => r.origin + e.end <= r.first);
  const lastIndex = before.length ? Math.max(...before.map((e) => e.end)) : NaN;
  const inPage = r.origin < r.submit;
  return {
    q: query.q,
    kind: query.kind,
    how: inPage ? 'in page' : 'navigation',
    results: found ? Number(found[1].replace(/,/g, '')) : NaN,
    ms: r.first - r.submit,
    frameMs: r.frame - r.submit,
    // Where the time went, from the submit: the new document starts, its HTML is in,
    // its DOMContentLoaded, the last index file is in.
    stages: {
      navStart: inPage ? NaN : r.origin - r.submit,
      html: inPage ? NaN : r.origin + r.responseEnd - r.submit,
      dcl: inPage ? NaN : r.origin + r.dcl - r.submit,
      lastIndexFile: r.origin + lastIndex - r.submit,
    },
    indexFiles: index.map((f) => path.relative(INDEX, f)).sort(),
    indexBytes: index.reduce((n, f) => n + sizeOf(f), 0),
    transfer: tab.transfer,
  };
}

async function measure(browser, transport, pageUrl, homeUrl, base, queries) {
  const out = { transport, first: [], next: [], other: [], filter: [], firstLoad: null };
  const newContext = () => browser.newContext({ viewport: { width: 1280, height: 900 } });

  // First query: a new context each, the page opened once, then the query.
  for (const query of queries) {
    const context = await newContext();
    await context.addInitScript(INIT_SCRIPT);
    const tab = await Tab.open(context, base);
    const load = await firstLoad(tab, pageUrl);
    out.firstLoad ??= load;
    out.first.push(await runQuery(tab, query));
    const opened = await openFilter(tab, 'tag');
    if (opened) out.filter.push(opened);
    await context.close();
    process.stderr.write('.');
  }
  // Next query: one context, every query in turn.
  const context = await newContext();
  await context.addInitScript(INIT_SCRIPT);
  const tab = await Tab.open(context, base);
  await firstLoad(tab, pageUrl);
  for (const query of queries) {
    out.next.push(await runQuery(tab, query));
    process.stderr.write('.');
  }
  await context.close();
  // From another page: a new context each, the search page opened once (so it is
  // cached), then the home page, and the query typed in its masthead box.
  for (const query of queries) {
    const context = await newContext();
    await context.addInitScript(INIT_SCRIPT);
    const tab = await Tab.open(context, base);
    await firstLoad(tab, pageUrl);
    await tab.page.goto(homeUrl, { waitUntil: 'load', timeout: TIMEOUT });
    tab.check(`open ${homeUrl}`);
    out.other.push(await runQuery(tab, query));
    await context.close();
    process.stderr.write('.');
  }
  return out;
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

function quantile(values, q) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
}
const median = (v) => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)}` : '–');
const kb = (x) => (Number.isFinite(x) ? `${Math.round(x / 1024).toLocaleString('en')}` : '–');

/** How the searches of a list ran: "navigation", "in page", or both. */
function how(list) {
  return [...new Set(list.map((x) => x.how))].sort().join(' + ');
}

const STATES = ['first', 'next', 'other'];
const STATE = { first: 'first query', next: 'next query', other: 'from another page' };

function summaryRows(results) {
  const rows = [];
  for (const r of results) {
    for (const state of STATES) {
      const list = r[state];
      const t = list.map((x) => x.ms);
      const b = list.map((x) => x.indexBytes);
      const w = list.map((x) => x.transfer);
      rows.push(
        `| ${LABEL[r.transport]} | ${STATE[state]}, ${how(list)} | ${ms(median(t))} | ${ms(quantile(t, 0.9))} | ` +
          `${ms(Math.max(...t))} | ${ms(median(list.map((x) => x.frameMs)))} | ${kb(median(b))} / ${kb(Math.max(...b))} | ` +
          `${r.transport !== 'file' ? `${kb(median(w))} / ${kb(Math.max(...w))}` : '–'} | ` +
          `${list.filter((x) => x.ms > 300).length} / ${list.filter((x) => (r.transport === 'file' ? x.indexBytes : x.transfer) > 1024 * 1024).length} |`,
      );
    }
  }
  return rows;
}

function stageRows(results) {
  const rows = [];
  for (const r of results) {
    for (const state of STATES) {
      const s = (k) => ms(median(r[state].map((x) => x.stages[k])));
      rows.push(
        `| ${LABEL[r.transport]} | ${STATE[state]}, ${how(r[state])} | ${s('navStart')} | ${s('html')} | ${s('dcl')} | ` +
          `${s('lastIndexFile')} | ${ms(median(r[state].map((x) => x.ms)))} |`,
      );
    }
  }
  return rows;
}

function kinds(files) {
  const n = {};
  for (const f of files) {
    const k = f.split(path.sep)[0];
    n[k] = (n[k] || 0) + 1;
  }
  return ['t', 'f', 'd', 'm'].map((k) => `${n[k] || 0} ${k}`).join(', ');
}

/** Percent of all cores busy over one second (other work on the machine skews timings). */
async function cpuBusy() {
  const read = () => fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const a = read();
  await new Promise((r) => setTimeout(r, 1000));
  const b = read();
  const d = b.map((v, i) => v - a[i]);
  const total = d.reduce((x, y) => x + y, 0);
  return total ? Math.round((100 * (total - d[3] - d[4])) / total) : 0;
}

/**
 * The CPU time other work takes while the benchmark runs: every process's time
 * is sampled (every 200 ms, so a process that lives less than that can be
 * missed), and the ones of this process group or of the browser's (Chromium
 * runs in its own group; its helpers outlive their parent there) are left out.
 */
class OtherWork {
  constructor() {
    this.seen = new Map(); // "pid start" → {first, last, ours}
    this.started = this.machine();
    this.initial = true;
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
  }

  machine() {
    const all = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return all.reduce((x, y) => x + y, 0);
  }

  sample() {
    const procs = [];
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // gone
      }
      // After "(comm) ": state ppid pgrp … utime stime (fields 14, 15) … starttime (22).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(pid), ppid: Number(f[1]), pgrp: Number(f[2]), cpu: Number(f[11]) + Number(f[12]), start: f[19] });
    }
    const ours = new Set([procs.find((p) => p.pid === process.pid)?.pgrp]);
    for (const p of procs) if (p.ppid === process.pid) ours.add(p.pgrp);
    for (const p of procs) {
      const key = `${p.pid} ${p.start}`;
      const was = this.seen.get(key);
      if (was) was.last = p.cpu;
      // A process born during the run counts from 0; one already there, from now.
      else this.seen.set(key, { first: this.initial ? p.cpu : 0, last: p.cpu, ours: ours.has(p.pgrp) });
      if (ours.has(p.pgrp)) this.seen.get(key).ours = true;
    }
    this.initial = false;
  }

  /** Stop sampling; the share of all the machine's CPU time that other work used, in percent. */
  stop() {
    this.sample();
    clearInterval(this.timer);
    let other = 0;
    for (const p of this.seen.values()) if (!p.ours) other += p.last - p.first;
    const total = this.machine() - this.started;
    return total ? Math.round((100 * other) / total) : 0;
  }
}

/** Whether the site's search.js is the work tree's (or another build's). */
function scriptOrigin() {
  const site = fs.readFileSync(path.join(opts.site, 'search', 'search.js'));
  const tree = fs.readFileSync(path.join(REPO, 'src', 'search', 'assets', 'search.js'));
  return site.equals(tree) ? "the work tree's" : "NOT the work tree's (another build)";
}

async function main() {
  const busyBefore = await cpuBusy();
  const started = Date.now();
  const otherWork = new OtherWork();
  const { queries, articles } = chooseQueries();
  process.stderr.write(`search-browser: ${queries.length} queries on ${articles.toLocaleString('en')} articles\n`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  const version = browser.version();
  const servers = [];
  const results = [];
  try {
    for (const transport of opts.transports) {
      process.stderr.write(`search-browser: ${transport} `);
      if (transport === 'file') {
        const home = pathToFileURL(path.join(opts.site, 'index.html')).href;
        results.push(await measure(browser, 'file', pathToFileURL(SEARCH_PAGE).href, home, null, queries));
      } else {
        const server = await serve(opts.site, transport === 'gzip');
        servers.push(server);
        const base = new URL(`http://127.0.0.1:${server.address().port}/`);
        const home = new URL('index.html', base).href;
        results.push(await measure(browser, transport, new URL('search/index.html', base).href, home, base, queries));
      }
      process.stderr.write('\n');
    }
  } finally {
    await browser.close();
    for (const server of servers) server.close();
  }

  const others = otherWork.stop();
  const busyAfter = await cpuBusy();
  const cmd =
    process.env.GAZETTE_BENCH_COMMAND ||
    ['node', path.relative(process.cwd(), fileURLToPath(import.meta.url)), ...process.argv.slice(2)].join(' ');
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || '?';
  console.log(`Command: \`${cmd}\``);
  console.log();
  console.log(
    `Site: ${opts.site} (${articles.toLocaleString('en')} articles). Chromium ${version} (headless), ` +
      `${(await import('node:os')).cpus().length} cores, ${cpu}; CPU busy with other work: ${busyBefore}% before, ` +
      `${others}% during, ${busyAfter}% after. search.js: ${scriptOrigin()}.`,
  );
  console.log(
    `Queries: ${queries.filter((q) => q.kind === 'headline').length} headline pairs, ` +
      `${queries.filter((q) => q.kind === 'common').length} common pairs (${queries
        .filter((q) => q.kind === 'common')
        .map((q) => `"${q.q}"`)
        .join(', ')}); ${Math.round((Date.now() - started) / 1000)} s in all.`,
  );
  console.log();
  console.log('Time from submit to the first result (ms); index files the query loaded (KB on disk);');
  console.log('HTTP transfer of the whole navigation (KB, headers included); queries over 300 ms / over 1 MB');
  console.log('(index files from `file://`, transfer over HTTP):');
  console.log();
  console.log('| transport | state | median ms | p90 ms | max ms | frame, median ms | index KB, median / max | transfer KB, median / max | over |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of summaryRows(results)) console.log(row);
  console.log();
  for (const r of results) {
    if (!r.filter.length) continue;
    const t = r.filter.map((x) => x.ms);
    const w = r.filter.map((x) => x.transfer);
    console.log(
      `Opening the tag filter after a first search, ${LABEL[r.transport]}: ${ms(median(t))} / ${ms(quantile(t, 0.9))} / ` +
        `${ms(Math.max(...t))} ms (median / p90 / max, click to counts shown), ${kb(median(r.filter.map((x) => x.indexBytes)))} KB ` +
        `of index files${r.transport !== 'file' ? `, ${kb(median(w))} KB transferred` : ''} (median).`,
    );
  }
  console.log();
  for (const r of results) {
    const l = r.firstLoad;
    console.log(
      `First load of the search page, ${LABEL[r.transport]}: ${l.files.length} files, ${kb(l.bytes)} KB on disk` +
        `${r.transport !== 'file' ? `, ${kb(l.transfer)} KB transferred` : ''} (${l.files
          .map((f) => `${path.relative(opts.site, f)} ${kb(sizeOf(f))} KB`)
          .join(', ')}).`,
    );
  }
  console.log();
  console.log('Where the time goes (medians, ms from the submit): the new document starts, its HTML is in,');
  console.log('DOMContentLoaded, the last index file is in, the first result:');
  console.log();
  console.log('| transport | state | document | HTML | DOMContentLoaded | last index file | first result |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const row of stageRows(results)) console.log(row);

  if (opts.details) {
    for (const r of results) {
      console.log();
      console.log(`Every query, ${LABEL[r.transport]}: first query; next query; from another page:`);
      console.log();
      console.log('| query | kind | results | ms | index KB | files | ms (next) | index KB (next) | ms (other page) |');
      console.log('|---|---|---:|---:|---:|---|---:|---:|---:|');
      r.first.forEach((x, i) => {
        const n = r.next[i];
        console.log(
          `| ${x.q} | ${x.kind} | ${x.results.toLocaleString('en')} | ${ms(x.ms)} | ${kb(x.indexBytes)} | ${kinds(x.indexFiles)} | ` +
            `${ms(n.ms)} | ${kb(n.indexBytes)} | ${ms(r.other[i].ms)} |`,
        );
      });
    }
    const all = results.flatMap((r) => r.first);
    const big = all.reduce((a, b) => (b.indexBytes > a.indexBytes ? b : a), all[0]);
    if (big) {
      const sizes = big.indexFiles.map((f) => [f, sizeOf(path.join(INDEX, f))]);
      const by = {};
      for (const [f, s] of sizes) by[f.split(path.sep)[0]] = (by[f.split(path.sep)[0]] || 0) + s;
      console.log();
      console.log(
        `The largest query, "${big.q}" (${kb(big.indexBytes)} KB): ` +
          Object.entries(by)
            .map(([k, s]) => `${k}/ ${kb(s)} KB`)
            .join(', ') +
          `; largest files: ${sizes
            .sort((a, b) => b[1] - a[1])
            .slice(0, 8)
            .map(([f, s]) => `${f} ${kb(s)} KB`)
            .join(', ')}.`,
      );
    }
  }
  if (opts.json) {
    fs.writeFileSync(opts.json, `${JSON.stringify({ site: opts.site, articles, chromium: version, queries, results }, null, 1)}\n`);
  }
}

main().catch((e) => {
  console.error(`\nsearch-browser: error: ${e.stack || e.message || e}`);
  process.exit(1);
});
