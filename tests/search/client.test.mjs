// The search script against an index the Rust side built from
// tests/search/fixture.json (run by tests/search.rs, which sets
// GAZETTE_SEARCH_SITE to the folder holding search/index/).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { openSearchPage, scriptSource } from './harness.mjs';

const SITE = process.env.GAZETTE_SEARCH_SITE;
if (!SITE) throw new Error('run by `cargo test --test search`, which builds the index (GAZETTE_SEARCH_SITE)');

/** The results shown: one {headline, href, about, excerpt, marks} per <li>. */
function results(page) {
  const list = page.find((e) => e.id === 'search-results')[0];
  if (!list) return [];
  return list.childNodes.map((li) => {
    const a = li.find((e) => e.tagName === 'A')[0];
    const [about, excerpt] = li.find((e) => e.tagName === 'P');
    return {
      headline: li.find((e) => e.tagName === 'H2')[0].textContent,
      href: a && a.getAttribute('href'),
      about: about.textContent,
      excerpt: excerpt.textContent,
      marks: li.find((e) => e.tagName === 'MARK').map((m) => m.textContent),
    };
  });
}

/** A filter's disclosure (<details>), by its title. */
function filter(page, title) {
  return page.find((e) => e.tagName === 'DETAILS' && e.childNodes[0].tagName === 'SUMMARY' && e.childNodes[0].textContent === title)[0];
}

/** Open a filter as the reader does (the browser sets `open`, then fires `toggle`); resolves once its counts are shown. */
async function openFilter(page, search, title) {
  const details = filter(page, title);
  assert.ok(details, `a filter titled ${title}`);
  details.setAttribute('open', '');
  details.dispatch('toggle');
  await search.searched;
}

/** The labels of a facet's values, in page order. */
function labels(page, title) {
  const details = filter(page, title);
  return details ? details.find((e) => e.tagName === 'A').map((a) => a.textContent) : [];
}

const status = (page) => page.find((e) => e.id === 'search-status')[0].textContent;
const headlines = (page) => results(page).map((r) => r.headline);

/** The filter links of a facet: label → {count, href, current}. */
function facet(page, title) {
  const details = filter(page, title);
  if (!details) return {};
  return Object.fromEntries(details.find((e) => e.tagName === 'LI').map((li) => {
    const a = li.childNodes[0];
    return [a.textContent, { count: Number(li.textContent.match(/\((\d+)\)$/)[1]), href: a.getAttribute('href'), current: a.getAttribute('aria-current') === 'true' }];
  }));
}

test('a query finds its article, with its link, date, byline, dateline and marked excerpt', async () => {
  const { page, input } = await openSearchPage(SITE, '?q=port+strike');
  assert.equal(input.getAttribute('value') ?? input.value, 'port strike', 'the search box shows the query');
  assert.deepEqual(results(page), [{
    headline: 'Port Strike Enters Second Week',
    href: '../2025/06/port-strike/index.html',
    about: 'June 3, 2025 · Ann Lee · Northport',
    excerpt: 'Dockworkers stay out as talks stall.',
    marks: ['Port', 'Strike'],
  }]);
  assert.equal(status(page), '1 article found for “port strike”.');
  const status_ = page.find((e) => e.id === 'search-status')[0];
  assert.equal(status_.getAttribute('role'), 'status', 'results are announced (role=status is aria-live polite)');
  const time = page.find((e) => e.tagName === 'TIME')[0];
  assert.equal(time.getAttribute('datetime'), '2025-06-03');
});

test('every word is required, in any form the index has seen', async () => {
  let { page } = await openSearchPage(SITE, '?q=port+lisbon');
  assert.deepEqual(headlines(page), []);
  assert.equal(status(page), 'No articles found for “port lisbon”.');
  ({ page } = await openSearchPage(SITE, '?q=ELECTIONS'));
  assert.deepEqual(headlines(page).sort(), ['Election Results Delayed in Lisbon', 'Mayor Elected After Recount']);
  ({ page } = await openSearchPage(SITE, '?q=elected+recount'));
  assert.deepEqual(headlines(page), ['Mayor Elected After Recount', 'Election Results Delayed in Lisbon']);
});

test('a word the index has not seen matches as the start of one', async () => {
  let { page } = await openSearchPage(SITE, '?q=harb');
  assert.deepEqual(headlines(page), ['<img src=x onerror="alert(1)"> Harbour Fire']);
  assert.deepEqual(results(page)[0].marks, ['Harbour', 'harbour'], 'the words found are marked');
  ({ page } = await openSearchPage(SITE, '?q=dockwork'));
  assert.deepEqual(headlines(page), ['Port Strike Enters Second Week']);
  // Too short to stand for the words it begins.
  ({ page } = await openSearchPage(SITE, '?q=ha'));
  assert.deepEqual(headlines(page), []);
});

test('accents, case and CJK text match as the index folded them', async () => {
  const folds = JSON.parse(fs.readFileSync(path.join(SITE, 'folds.json'), 'utf8'));
  const { search } = await openSearchPage(SITE, '');
  for (const [word, folded] of folds) assert.equal(search.fold(word), folded, `fold(${word})`);
  // The shard hash the Rust tests pin (src/search/code.rs).
  assert.equal(search.shardOf('election', 1 << 16), 4123);
  for (const q of ['zurich', 'ZÜRICH', 'Zürich']) {
    const { page } = await openSearchPage(SITE, '?q=' + encodeURIComponent(q));
    assert.deepEqual(headlines(page), ['Zürich Council Votes on Housing'], q);
  }
  let { page } = await openSearchPage(SITE, '?q=' + encodeURIComponent('odegaard'));
  assert.deepEqual(headlines(page), ['Zürich Council Votes on Housing']);
  ({ page } = await openSearchPage(SITE, '?q=' + encodeURIComponent('選挙')));
  assert.deepEqual(headlines(page), ['東京都の選挙']);
  assert.deepEqual(results(page)[0].marks, ['選挙', '選挙'], 'in the headline and the excerpt');
  ({ page } = await openSearchPage(SITE, '?q=' + encodeURIComponent('京都の')));
  assert.deepEqual(headlines(page), ['東京都の選挙']);
  ({ page } = await openSearchPage(SITE, '?q=' + encodeURIComponent('大阪')));
  assert.deepEqual(headlines(page), []);
});

test('filters narrow the results and show counts for the current query', async () => {
  let { page, search, loaded } = await openSearchPage(SITE, '?q=council');
  assert.deepEqual(headlines(page), ['Zürich Council Votes on Housing', 'Mayor Elected After Recount']);
  // The year is open, the other filters closed until the reader opens one.
  assert.deepEqual(['Year', 'Author', 'Place', 'Section', 'Tag'].map((t) => filter(page, t)?.hasAttribute('open')), [true, false, false, false, false]);
  assert.deepEqual(facet(page, 'Author'), {}, 'a closed filter shows no values');
  await openFilter(page, search, 'Author');
  assert.ok(loaded.includes('index/f/author.js'), `opening it loads its facet file: ${loaded}`);
  const authors = facet(page, 'Author');
  assert.deepEqual(Object.keys(authors).sort(), ['Ann Lee', 'Bo Chen', 'Dana Ødegaard']);
  assert.equal(authors['Ann Lee'].count, 1);
  assert.equal(authors['Ann Lee'].href, '?q=council&author=ann-lee');
  assert.deepEqual(labels(page, 'Year'), ['2023', '2022'], 'newest year first');
  await openFilter(page, search, 'Tag');
  assert.equal(facet(page, 'Tag').Council.count, 2);

  ({ page, search } = await openSearchPage(SITE, '?q=council&author=ann-lee'));
  assert.deepEqual(headlines(page), ['Mayor Elected After Recount']);
  assert.ok(filter(page, 'Author').hasAttribute('open'), 'a filter in use is open');
  const narrowed = facet(page, 'Author');
  assert.ok(narrowed['Ann Lee'].current, 'the filter in use is marked');
  assert.equal(narrowed['Ann Lee'].href, '?q=council', 'and its link takes it off');
  assert.equal(narrowed['Dana Ødegaard'].count, 1, 'other authors count under the other filters only');
  await openFilter(page, search, 'Tag');
  assert.equal(facet(page, 'Tag').Housing, undefined, 'a tag with no result left is not offered');
  assert.equal(filter(page, 'Tag').getAttribute('aria-busy'), null, 'and is not busy once counted');

  ({ page } = await openSearchPage(SITE, '?q=council&year=2022'));
  assert.deepEqual(headlines(page), ['Zürich Council Votes on Housing']);
  ({ page } = await openSearchPage(SITE, '?q=council&author=ann-lee&author=dana-odegaard'));
  assert.equal(headlines(page).length, 2, 'two values of one filter: either');
  ({ page } = await openSearchPage(SITE, '?q=fire&tag=fire-rescue&place=northport&section=local'));
  assert.equal(headlines(page).length, 1);
  ({ page } = await openSearchPage(SITE, '?author=bo-chen'));
  assert.deepEqual(headlines(page), ['Election Results Delayed in Lisbon', 'Mayor Elected After Recount'], 'a filter alone lists its articles, newest first');
});

test('results sort by relevance, newest or oldest, and come in pages', async () => {
  let { page } = await openSearchPage(SITE, '?q=rain');
  assert.equal(status(page), '25 articles found for “rain”, 1–10 shown.');
  const relevance = headlines(page);
  assert.equal(relevance.length, 10);
  // Relevance: the longest weather reports mention rain most often, but
  // are longer: ties (the same text) go newest first.
  const sortLinks = page.find((e) => e.tagName === 'P' && e.getAttribute('class') === 'search-sort')[0].find((e) => e.tagName === 'A');
  assert.deepEqual(sortLinks.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('aria-current')]), [
    ['relevance', '?q=rain', 'true'], ['newest first', '?q=rain&sort=newest', null], ['oldest first', '?q=rain&sort=oldest', null],
  ]);

  ({ page } = await openSearchPage(SITE, '?q=rain&sort=newest'));
  const dates = results(page).map((r) => Date.parse(r.about.split(' · ')[0]));
  assert.deepEqual(dates, [...dates].sort((a, b) => b - a));
  assert.equal(results(page)[0].about.split(' · ')[0], 'October 10, 2019');
  ({ page } = await openSearchPage(SITE, '?q=rain&sort=oldest'));
  assert.equal(results(page)[0].about.split(' · ')[0], 'January 1, 2010');

  ({ page } = await openSearchPage(SITE, '?q=rain&sort=newest&page=3'));
  assert.equal(headlines(page).length, 5);
  assert.equal(page.find((e) => e.id === 'search-results')[0].getAttribute('start'), '21');
  assert.equal(status(page), '25 articles found for “rain”, 21–25 shown.');
  const pages = page.find((e) => e.tagName === 'NAV' && e.getAttribute('class') === 'search-pages')[0];
  assert.deepEqual(pages.find((e) => e.tagName === 'A').map((a) => [a.textContent, a.getAttribute('href')]), [
    ['Previous', '?q=rain&sort=newest&page=2'], ['1', '?q=rain&sort=newest'], ['2', '?q=rain&sort=newest&page=2'], ['3', '?q=rain&sort=newest&page=3'],
  ]);
  // Relevance first: the headline outweighs the body.
  ({ page } = await openSearchPage(SITE, '?q=harbour'));
  assert.deepEqual(headlines(page), ['<img src=x onerror="alert(1)"> Harbour Fire']);
});

test('a hostile headline, byline or excerpt stays text', async () => {
  const { page } = await openSearchPage(SITE, '?q=harbour+fire');
  const [result] = results(page);
  assert.equal(result.headline, '<img src=x onerror="alert(1)"> Harbour Fire');
  assert.equal(result.about, 'January 20, 2025 · Cy </b>Doe · Northport');
  assert.equal(result.excerpt, '<script>alert(2)</script> Flames at the harbour.');
  const tags = new Set(page.all().map((e) => e.tagName));
  for (const tag of ['IMG', 'SCRIPT', 'B']) assert.ok(!tags.has(tag), `no <${tag.toLowerCase()}> from content`);
  assert.match(page.outerHTML, /&lt;img src=x onerror="alert\(1\)"&gt;/);
});

test('a query loads only the files it needs, with <script> elements', async () => {
  const src = scriptSource();
  for (const api of ['fetch(', 'XMLHttpRequest', 'WebAssembly', 'innerHTML', 'import(']) {
    assert.ok(!src.includes(api), `search.js does not use ${api}`);
  }
  const root = fs.readFileSync(path.join(SITE, 'search/index/root.js'), 'utf8');
  assert.match(root, /^gazetteSearch\.add\("root",/);
  const shards = fs.readdirSync(path.join(SITE, 'search/index/t'));
  const chunks = fs.readdirSync(path.join(SITE, 'search/index/m'));
  const { loaded } = await openSearchPage(SITE, '?q=mayor');
  const kinds = (k) => loaded.filter((f) => f.startsWith(`index/${k}/`));
  assert.equal(loaded[0], 'index/root.js');
  assert.equal(kinds('t').length, 1, `one shard of ${shards.length}: ${loaded}`);
  assert.equal(kinds('m').length, 1, `the metadata of the one result, of ${chunks.length} chunks: ${loaded}`);
  assert.equal(new Set(loaded).size, loaded.length, 'no file twice');
  // No facet file: a filter's counts are loaded when the reader opens it...
  assert.deepEqual(kinds('f'), [], `no facet file for a query: ${loaded}`);
  // ...or when it is in use (the results depend on it): that one only, before the results' metadata.
  const first = (k, list) => list.findIndex((f) => f.startsWith(`index/${k}/`));
  const filtered = (await openSearchPage(SITE, '?q=council&author=ann-lee')).loaded;
  assert.deepEqual(filtered.filter((f) => f.startsWith('index/f/')), ['index/f/author.js'], `the facet in use only: ${filtered}`);
  assert.ok(first('f', filtered) < first('m', filtered), `its facet file first: ${filtered}`);
  // From file://, no cache-busting query (a file URL has none to give).
  const local = await openSearchPage(SITE, '?q=mayor', { protocol: 'file:' });
  assert.equal(local.loaded.length, loaded.length);
});

test('no query: the page asks for one and loads nothing but the root', async () => {
  const { page, loaded } = await openSearchPage(SITE, '?q=');
  assert.equal(status(page), 'Type words to search the archive.');
  assert.deepEqual(loaded, ['index/root.js']);
});
