// The search script against the index `gazette build` wrote for fixture
// sites (run by tests/search.rs, which builds tests/fixtures/basic into
// GAZETTE_SEARCH_SITE and tests/fixtures/hostile into GAZETTE_SEARCH_HOSTILE).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { openSearchPage } from './harness.mjs';

const SITE = process.env.GAZETTE_SEARCH_SITE;
const HOSTILE = process.env.GAZETTE_SEARCH_HOSTILE;
if (!SITE || !HOSTILE) throw new Error('run by `cargo test --test search`, which builds the sites');

/** The results shown: {headline, href, about} per <li>. */
function results(page) {
  const list = page.find((e) => e.id === 'search-results')[0];
  if (!list) return [];
  return list.childNodes.map((li) => ({
    headline: li.find((e) => e.tagName === 'H2')[0].textContent,
    href: li.find((e) => e.tagName === 'A')[0].getAttribute('href'),
    about: li.find((e) => e.tagName === 'P')[0].textContent,
  }));
}

test('a result links to its article page, from the search page', async () => {
  const { page } = await openSearchPage(SITE, '?q=bridge');
  const [result, ...rest] = results(page);
  assert.equal(result.headline, 'Bridge Reopens & Traffic Returns');
  assert.equal(result.about, 'December 3, 2025 · Bo Chen · Northport');
  assert.deepEqual(rest, []);
  const file = path.join(SITE, 'search', result.href);
  assert.ok(fs.existsSync(file), `${result.href} is not a page of the site`);
  assert.match(fs.readFileSync(file, 'utf8'), /<title>Bridge Reopens &amp; Traffic Returns/);
});

test('filters by author and sorting by date', async () => {
  // Ann Lee's stories, by their words in common with others.
  let { page } = await openSearchPage(SITE, '?q=&author=ann-lee&sort=oldest');
  const oldest = results(page).map((r) => r.headline);
  assert.deepEqual(oldest, ['Ferry Adds Early Sailing', 'Storm Cuts Power to Coast', 'Talks End Without a Deal']);
  ({ page } = await openSearchPage(SITE, '?author=ann-lee&sort=newest'));
  assert.deepEqual(results(page).map((r) => r.headline), [...oldest].reverse());
  ({ page } = await openSearchPage(SITE, '?author=ann-lee&author=cy-dee&year=2025&sort=newest'));
  assert.deepEqual(results(page).map((r) => r.headline), ['Talks End Without a Deal', 'Council Passes Budget']);
});

test('a hostile headline, byline and dateline stay text', async () => {
  const { page } = await openSearchPage(HOSTILE, '?q=headline');
  const [result] = results(page);
  assert.equal(result.headline, '<script>alert(1)</script> Headline');
  assert.match(result.about, /Eve <b>Mallory<\/b> · "Quoted" & <Place>/);
  assert.ok(!page.find((e) => e.tagName === 'SCRIPT' || e.tagName === 'B').length, 'no element came from the text');
  assert.match(page.outerHTML, /<a href="[^"]*">&lt;script&gt;alert\(1\)&lt;\/script&gt; <mark>Headline<\/mark><\/a>/);
});
