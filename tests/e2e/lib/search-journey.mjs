// The reader's search, by the keyboard and clicks only, the same over
// file:// and over HTTP: type a query in the masthead box of the home
// page and press Enter → the search page lists results → open one, and
// Back returns to the same results → page 2 → open the author filter (a
// disclosure, which loads its facet file only then) → a filter → a sort →
// a new search from the page's own box, which stays in the page → Back.

import assert from 'node:assert/strict';

import { axe } from './axe.mjs';

/** The query: a word of most of the example site's stories (more than a page of results). */
export const SEARCH_QUERY = 'Northport';

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

/** A second query, searched from the search page's own box: a word of a few stories. */
export const SECOND_QUERY = 'harbour';

/**
 * Wait for the results (or the message that there are none) to be shown. A
 * search that stays in the page marks the results busy (aria-busy) until the
 * new ones are in.
 */
async function resultsShown(page) {
  await page.locator('#search-body:not([aria-busy]) #search-results li, #search-status:text-matches("No articles")').first().waitFor({ timeout: 10_000 });
}

/** The results on the page: headline, href, the line under it, its date. */
async function results(page) {
  return page.locator('#search-results > li').evaluateAll((items) =>
    items.map((li) => ({
      headline: li.querySelector('h2').textContent.replace(/\s+/g, ' ').trim(),
      about: li.querySelector('.search-about').textContent,
      date: li.querySelector('time').getAttribute('datetime'),
    })),
  );
}

/** The number of results the status line announces. */
async function announced(page) {
  const status = page.locator('#search-status');
  assert.equal(await status.getAttribute('role'), 'status', 'the result count is announced (role=status)');
  const text = squash(await status.textContent());
  const n = /^(\d+) articles? found/.exec(text);
  assert.ok(n, `the status line says how many were found: "${text}"`);
  return Number(n[1]);
}

/** Click, wait for the search page it leads to and for its results. */
async function follow(wp, step, action) {
  const url = await wp.follow(step, action);
  await resultsShown(wp.page);
  wp.assertClean(`${step}: results shown`);
  return url;
}

export async function searchJourney(wp, homeUrl, { log = () => {} } = {}) {
  const { page } = wp;
  await wp.goto(homeUrl);
  await wp.assertLanded('open the home page');

  // The masthead box, by the keyboard.
  const box = page.locator('header input[name="q"]');
  await box.fill(SEARCH_QUERY);
  const searchUrl = await follow(wp, 'search from the masthead', () => box.press('Enter'));
  assert.match(searchUrl, /\/search\/index\.html\?q=Northport$/, 'the box leads to the search page with q');
  assert.equal(await page.locator('main input[name="q"]').inputValue(), SEARCH_QUERY, 'the page shows the query');
  const total = await announced(page);
  const first = await results(page);
  assert.ok(total > first.length && first.length > 0, `more than a page of results (${total}, ${first.length} shown)`);
  assert.ok(first.every((r) => r.date && r.about.includes(' · ')), 'each result has its date and byline');
  assert.ok(await page.locator('#search-results mark').count(), 'the words found are marked');
  log(`${SEARCH_QUERY}: ${total} results`);

  // A result opens its article; Back shows the same results.
  const link = page.locator('#search-results h2 a').first();
  await wp.follow('open the first result', () => link.click());
  assert.equal(await wp.text('main h1'), first[0].headline, 'the article is the result clicked');
  await page.goBack({ waitUntil: 'load' });
  await resultsShown(page);
  await wp.assertLanded('back to the results');
  assert.deepEqual(await results(page), first, 'Back shows the same results');

  // Page 2: the next results, numbered on.
  await follow(wp, 'page 2 of the results', () => page.locator('nav.search-pages a', { hasText: /^2$/ }).click());
  const second = await results(page);
  assert.equal(await page.locator('#search-results').getAttribute('start'), String(first.length + 1));
  assert.ok(second.length > 0 && second.every((r) => !first.some((f) => f.headline === r.headline)), 'page 2 lists others');

  // The filters are disclosures: the years open (they cost nothing), the
  // others closed, their facet files not loaded until the reader opens one.
  const facetFiles = () => [...new Set(wp.requests.filter((r) => /\/search\/index\/f\//.test(r)).map((r) => r.replace(/\?.*$/, '')))];
  assert.deepEqual(facetFiles(), [], 'no facet file is loaded before a filter is opened');
  const authors = page.locator('details.search-facet[data-facet="author"]');
  assert.equal(await page.locator('details.search-facet[data-facet="year"]').getAttribute('open'), '', 'the year filter is open');
  assert.equal(await authors.getAttribute('open'), null, 'the author filter is closed');
  // Opened by the keyboard: its values and counts for these results appear.
  await authors.locator('summary').focus();
  await page.keyboard.press('Enter');
  const author = authors.locator('li').first();
  await author.waitFor({ timeout: 10_000 });
  assert.deepEqual(facetFiles().map((f) => f.replace(/^.*\/search\/index\//, '')), ['f/author.js'], 'opening it loaded its facet file only');
  assert.equal(await authors.getAttribute('aria-busy'), null, 'and it is not busy once counted');
  const [blocking, minor] = await axe(page, { resultTypes: ['violations'] });
  if (minor.length) log(`axe, below serious, on the results with a filter open: ${minor.join('; ')}`);
  assert.deepEqual(blocking, [], 'axe: serious or critical violations on the results with a filter open');
  wp.assertClean('open the author filter');

  // A filter: the first author, with as many results as its count said.
  const [, name, count] = /^(.*) \((\d+)\)$/.exec(squash(await author.textContent()));
  await follow(wp, `filter by ${name}`, () => author.locator('a').click());
  assert.match(page.url(), /[?&]author=[a-z0-9-]+/, 'the filter is in the URL');
  assert.equal(await announced(page), Number(count), `the filter leaves the ${count} results it said`);
  assert.ok((await results(page)).every((r) => r.about.includes(name)), `every result is by ${name}`);
  assert.equal(await authors.getAttribute('open'), '', 'the filter in use stays open');

  // Sorted oldest first: dates in order.
  await follow(wp, 'sort oldest first', () => page.locator('.search-sort a', { hasText: 'oldest' }).click());
  const dates = (await results(page)).map((r) => r.date);
  assert.deepEqual(dates, [...dates].sort(), 'oldest first');
  assert.match(page.url(), /[?&]sort=oldest/);
  log(`filtered by ${name} (${count}), sorted oldest first`);

  // A new search from the page's own box: the results change in the page (the
  // index files loaded stay loaded) and the URL with them; Back returns to the
  // results before.
  await page.evaluate(() => {
    window.samePage = true;
  });
  const box2 = page.locator('main input[name="q"]');
  await box2.fill(SECOND_QUERY);
  await follow(wp, 'search again from the search page', () => box2.press('Enter'));
  assert.match(page.url(), new RegExp(`/search/index\\.html\\?q=${SECOND_QUERY}$`), 'the URL is the new search');
  assert.equal(await page.evaluate(() => window.samePage), true, 'the page was not loaded again');
  const again = await results(page);
  assert.ok(again.some((r) => /harbour/i.test(r.headline)), `"${SECOND_QUERY}" finds its stories: ${again.map((r) => r.headline)}`);
  assert.equal(await box2.inputValue(), SECOND_QUERY);
  await page.goBack();
  await resultsShown(page);
  await wp.assertLanded('back to the sorted results');
  assert.match(page.url(), /[?&]sort=oldest/, 'Back goes to the search before');
  assert.deepEqual((await results(page)).map((r) => r.date), dates, 'with its results');
  assert.equal(await box2.inputValue(), SEARCH_QUERY, 'and its words in the box');
  log(`searched again in the page for "${SECOND_QUERY}" (${again.length} shown), and back`);
}
