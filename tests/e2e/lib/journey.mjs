// The reader's journey through the archive, by clicks only, the same over
// file:// and over HTTP: home → first article → its byline → the author
// page lists it → back to the story → breadcrumb to its day → month (its
// calendar links the day) → year → archive overview; then pagination next
// and previous on the home page and on a paginated author.

import assert from 'node:assert/strict';

import { PAGINATED_AUTHOR } from './kinds.mjs';

/** An article page: `…/YYYY/MM/DD/slug/index.html` (the permalink setting of the example site). */
export const ARTICLE_URL = /\/\d{4}\/\d{2}\/\d{2}\/[^/]+\/(index\.html)?$/;

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The same page, whether named as a folder or as its index.html. */
export const samePage = (a, b) => a.replace(/index\.html$/, '') === b.replace(/index\.html$/, '');

/** Absolute `href`s of every link in `<main>`. */
async function mainLinks(page) {
  return page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.href));
}

/** The headlines a listing page links to (links to article pages, once each). */
async function listedHeadlines(page) {
  const links = await page
    .locator('main a[href]')
    // (The home page's "On this day" lists older stories again: not the listing.)
    .evaluateAll((as) =>
      as
        .filter((a) => !a.closest('.on-this-day'))
        .map((a) => ({ href: a.href, text: a.textContent.replace(/\s+/g, ' ').trim() })),
    );
  const seen = new Map();
  for (const { href, text } of links) if (ARTICLE_URL.test(href) && !seen.has(href)) seen.set(href, text);
  return [...seen.values()];
}

/**
 * Follow `rel=next` to the last page, collecting the headlines listed, then
 * `rel=prev` all the way back, checking each page is the one visited on
 * the way out.
 */
async function walkPagination(wp, what) {
  const { page } = wp;
  const pages = [page.url()];
  const headlines = [...(await listedHeadlines(page))];
  assert.equal(await page.locator('main a[rel="prev"]').count(), 0, `${what}: page 1 has no previous page`);
  for (let n = 2; n < 50; n++) {
    const next = page.locator('main a[rel="next"]');
    if ((await next.count()) === 0) break;
    await wp.follow(`${what}: next to page ${n}`, () => next.first().click());
    pages.push(page.url());
    headlines.push(...(await listedHeadlines(page)));
  }
  for (let i = pages.length - 2; i >= 0; i--) {
    await wp.follow(`${what}: previous to page ${i + 1}`, () => page.locator('main a[rel="prev"]').first().click());
    assert.ok(samePage(page.url(), pages[i]), `${what}: previous led to ${page.url()}, not ${pages[i]}`);
  }
  return { pages, headlines };
}

/**
 * Walk the journey from the home page at `homeUrl`. `articleCount` is how
 * many articles the site has (the home pages together must list each once).
 */
export async function readerJourney(wp, homeUrl, { articleCount, log = () => {} }) {
  const { page } = wp;
  await wp.goto(homeUrl);
  await wp.assertLanded('open the home page');

  // The first article: its page's <h1> is the headline that was clicked.
  const first = page.locator('main h2 a').first();
  const headline = squash(await first.textContent());
  const articleUrl = await wp.follow('click the first article', () => first.click());
  assert.match(articleUrl, ARTICLE_URL, 'the first link on the home page is an article');
  assert.equal(await wp.text('main h1'), headline, 'the article page is headed by the headline clicked');
  log(`article: ${headline}`);

  // Its byline leads to the author's page, which lists the story.
  const byline = page.locator('main a.author').first();
  const author = squash(await byline.textContent());
  await wp.follow('click the byline', () => byline.click());
  assert.equal(await wp.text('main h1'), author, "the author page is headed by the author's name");
  const listed = page.locator('main').getByRole('link', { name: headline, exact: true });
  assert.equal(await listed.count(), 1, `the page of ${author} lists "${headline}" once`);
  await wp.follow("click the story on the author's page", () => listed.click());
  assert.equal(page.url(), articleUrl, "the author's page links the same article page");
  log(`author: ${author}`);

  // Breadcrumbs: the day, then the month, whose calendar links the day.
  const crumb = () => page.locator('nav[aria-label="Breadcrumb"] a').last();
  const dayUrl = await wp.follow('breadcrumb to the day', () => crumb().click());
  assert.equal(dayUrl, new URL('../index.html', articleUrl).href, "the breadcrumb's last link is the article's day");
  assert.ok((await listedHeadlines(page)).includes(headline), 'the day page lists the article');

  const monthUrl = await wp.follow('breadcrumb to the month', () => crumb().click());
  assert.equal(monthUrl, new URL('../index.html', dayUrl).href, "the day's last breadcrumb is its month");
  const calendarDay = page.locator('table.calendar a[href]').filter({ has: page.locator('.day-number') });
  const calendarHrefs = await calendarDay.evaluateAll((as) => as.map((a) => a.href));
  const dayCell = calendarHrefs.indexOf(dayUrl);
  assert.ok(dayCell >= 0, `the month's calendar links the day ${dayUrl}; it links ${calendarHrefs.join(', ')}`);
  await wp.follow("click the day in the month's calendar", () => calendarDay.nth(dayCell).click());
  assert.equal(page.url(), dayUrl);
  await page.goBack({ waitUntil: 'load' });
  await wp.assertLanded('back to the month');
  assert.equal(page.url(), monthUrl);

  const yearUrl = await wp.follow('breadcrumb to the year', () => crumb().click());
  assert.equal(yearUrl, new URL('../index.html', monthUrl).href, "the month's last breadcrumb is its year");
  assert.ok((await mainLinks(page)).includes(monthUrl), 'the year page links the month');

  // The archive overview, from the site navigation, links the year.
  const archiveLink = page.locator('nav[aria-label="Site"] a[href$="archive/index.html"]');
  const archiveUrl = await wp.follow('site navigation to the archive', () => archiveLink.click());
  assert.match(archiveUrl, /\/archive\/index\.html$/);
  assert.ok((await mainLinks(page)).includes(yearUrl), 'the archive overview links the year');
  log(`archive: ${archiveUrl}`);

  // Home pagination: every article listed once across the pages.
  const homeLink = page.locator('nav[aria-label="Site"] a').first();
  await wp.follow('site navigation to the home page', () => homeLink.click());
  assert.ok(samePage(page.url(), homeUrl), `the first navigation link is the home page, not ${page.url()}`);
  const home = await walkPagination(wp, 'home');
  assert.ok(home.pages.length >= 2, 'the home page is paginated');
  assert.equal(new Set(home.headlines).size, home.headlines.length, `no article twice on the home pages: ${home.headlines}`);
  assert.equal(home.headlines.length, articleCount, 'the home pages list every article');
  log(`home: ${home.pages.length} pages, ${home.headlines.length} articles`);

  // A paginated author: every one of their articles listed once.
  const authorsLink = page.locator('nav[aria-label="Site"] a[href$="authors/index.html"]');
  await wp.follow('site navigation to the authors', () => authorsLink.click());
  const authorLink = page.locator('main').getByRole('link', { name: PAGINATED_AUTHOR, exact: true });
  const entry = squash(await authorLink.locator('xpath=..').textContent());
  const claimed = Number(/(\d+) articles?/.exec(entry)?.[1]);
  await wp.follow(`click ${PAGINATED_AUTHOR}`, () => authorLink.click());
  const byAuthor = await walkPagination(wp, PAGINATED_AUTHOR);
  assert.ok(byAuthor.pages.length >= 2, `the page of ${PAGINATED_AUTHOR} is paginated`);
  assert.equal(new Set(byAuthor.headlines).size, byAuthor.headlines.length, 'no article twice on the author pages');
  assert.equal(byAuthor.headlines.length, claimed, `the authors page says ${PAGINATED_AUTHOR} has ${claimed} articles`);
  log(`${PAGINATED_AUTHOR}: ${byAuthor.pages.length} pages, ${claimed} articles`);

  return { articleUrl, headline };
}
