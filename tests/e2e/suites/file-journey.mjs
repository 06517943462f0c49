// Journey 1: output/index.html opened from disk, browsed by clicks only;
// then searched from its masthead box.

import { after, before, describe, test } from 'node:test';
import path from 'node:path';

import { WatchedPage, fileUrl } from '../lib/browser.mjs';
import { sites } from '../lib/config.mjs';
import { ARTICLE_URL, readerJourney } from '../lib/journey.mjs';
import { htmlFiles } from '../lib/kinds.mjs';
import { searchJourney } from '../lib/search-journey.mjs';
import { getBrowser } from '../lib/shared.mjs';

for (const { theme, out } of sites) {
  describe(`file:// journey under the ${theme} theme`, () => {
    let context;
    before(async () => {
      context = await (await getBrowser()).newContext({ viewport: { width: 1366, height: 900 } });
      // Nothing may leave the machine: every non-file request is refused
      // (and recorded as external by the page's watch).
      await context.route((url) => !url.protocol.startsWith('file'), (route) => route.abort('blockedbyclient'));
    });
    after(async () => context?.close());

    test('home → article → author → day → month → year → archive, and pagination', { timeout: 120_000 }, async (t) => {
      const inside = fileUrl(out);
      const articleCount = htmlFiles(out).filter((f) => ARTICLE_URL.test(f.split(path.sep).join('/'))).length;
      const wp = await WatchedPage.open(context, (url) => url.startsWith(inside));
      try {
        await readerJourney(wp, fileUrl(path.join(out, 'index.html')), {
          articleCount,
          log: (m) => t.diagnostic(m),
        });
      } finally {
        await wp.close();
      }
    });

    test('search: masthead box → results → article → back → page 2 → filter → sort → again in the page → back', { timeout: 120_000 }, async (t) => {
      const wp = await WatchedPage.open(context, (url) => url.startsWith(fileUrl(out)));
      try {
        await searchJourney(wp, fileUrl(path.join(out, 'index.html')), { log: (m) => t.diagnostic(m) });
      } finally {
        await wp.close();
      }
    });
  });
}
