// Every page kind under every bundled theme, opened from disk:
// - it loads cleanly and requests only files of the output folder;
// - every link on it leads to a file that exists, never to a folder (but
//   on 404.html, whose links are absolute under the base URL by design);
// - axe finds no violation of impact serious or critical (light, and the
//   dark colour scheme for contrast);
// - at 375×812 and 1366×900 the content does not touch the masthead or
//   footer and nothing scrolls sideways; a full-page
//   screenshot of each is written to target/e2e/<theme>/<kind>-<width>.png;
// - printed, an article leaves out the navigation, footer and skip link.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { axe } from '../lib/axe.mjs';
import { WatchedPage, fileUrl, fileUrlExists, isFolderUrl } from '../lib/browser.mjs';
import { artifacts, sites } from '../lib/config.mjs';
import { PAGE_KINDS, assertKindsExist } from '../lib/kinds.mjs';
import { baseUrlOf, getBrowser } from '../lib/shared.mjs';

const SIZES = [
  { width: 1366, height: 900 },
  { width: 375, height: 812 },
];

/** Elements that stick out past the right edge of the viewport, for the failure message. */
async function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scroll = document.documentElement.scrollWidth;
    const wide = [];
    if (scroll > width + 1) {
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && r.width > 0) {
          const classes = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean) : [];
          const name = [el.tagName.toLowerCase(), ...classes].join('.');
          wide.push(`${name} (right edge ${Math.round(r.right)}px)`);
          if (wide.length >= 8) break;
        }
      }
    }
    return { width, scroll, wide };
  });
}

/**
 * Room around the page's content, in pixels: from what comes before <main>
 * (the masthead or breadcrumbs) to its first visible element, and from its
 * last visible element to the footer. Text that touches a rule looks broken.
 */
async function breathingRoom(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const before = main?.previousElementSibling;
    const footer = document.querySelector('body > footer');
    const shown = [...(main?.children ?? [])].map((el) => el.getBoundingClientRect()).filter((r) => r.height > 0);
    if (!before || !footer || shown.length === 0) return null;
    return {
      above: Math.round(Math.min(...shown.map((r) => r.top)) - before.getBoundingClientRect().bottom),
      below: Math.round(footer.getBoundingClientRect().top - Math.max(...shown.map((r) => r.bottom))),
    };
  });
}

/** Every link of the page that leads to a missing file or a folder, and every external one. */
async function brokenLinks(page, out) {
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
  const inside = fileUrl(out);
  const broken = [];
  for (const href of hrefs) {
    if (href.startsWith('file:')) {
      if (!href.startsWith(inside)) broken.push(`${href} (outside the output folder)`);
      else if (isFolderUrl(href)) broken.push(`${href} (a folder: opened from disk it lists files; link its index.html)`);
      else if (!fileUrlExists(href)) broken.push(href);
    }
  }
  return { broken, count: hrefs.length };
}

for (const { theme, out } of sites) {
  describe(`page kinds under the ${theme} theme`, () => {
    let context;
    const base = baseUrlOf(out);
    const inside = fileUrl(out);
    const shots = path.join(artifacts, theme);

    before(async () => {
      assertKindsExist(out);
      fs.mkdirSync(shots, { recursive: true });
      context = await (await getBrowser()).newContext({ viewport: SIZES[0] });
      // Nothing leaves the machine. The 404 page links its stylesheet under
      // the base URL (hosts serve it at any depth): as a host would, answer
      // those from the output folder.
      await context.route(
        (url) => !url.protocol.startsWith('file'),
        async (route) => {
          const url = route.request().url();
          if (base && url.startsWith(base)) {
            let file = path.join(out, decodeURIComponent(new URL(url).pathname.slice(new URL(base).pathname.length)));
            if (url.endsWith('/')) file = path.join(file, 'index.html');
            if (fs.existsSync(file)) return route.fulfill({ path: file });
          }
          return route.abort('blockedbyclient');
        },
      );
    });
    after(async () => context?.close());

    for (const { kind, file } of PAGE_KINDS) {
      test(kind, { timeout: 60_000 }, async (t) => {
        const is404 = kind === '404';
        const isLocal = (url) => url.startsWith(inside) || (is404 && base !== '' && url.startsWith(base));
        const wp = await WatchedPage.open(context, isLocal);
        try {
          const { page } = wp;
          const url = fileUrl(path.join(out, file));
          await page.setViewportSize(SIZES[0]);
          await wp.goto(url);
          await wp.assertLanded(`open ${file}`);
          // The watch sees requests at all: the stylesheet was one of them.
          assert.ok(
            wp.requests.some((r) => r.endsWith('.css')),
            `no stylesheet request was seen on ${file}: ${wp.requests.join(', ')}`,
          );
          const outside = wp.requests.filter((r) => !isLocal(r));
          assert.deepEqual(outside, [], `${file} requested files outside the output folder`);

          if (!is404) {
            const { broken, count } = await brokenLinks(page, out);
            assert.deepEqual(broken, [], `${file}: links to missing files`);
            t.diagnostic(`${count} links, all to files that exist`);
          }

          const [blocking, minor] = await axe(page, { resultTypes: ['violations'] });
          if (minor.length) t.diagnostic(`axe, below serious: ${minor.join('; ')}`);
          assert.deepEqual(blocking, [], `axe: serious or critical violations on ${file}`);

          await page.emulateMedia({ colorScheme: 'dark' });
          const [darkBlocking] = await axe(page, { runOnly: ['color-contrast'], resultTypes: ['violations'] });
          assert.deepEqual(darkBlocking, [], `axe: contrast in the dark colour scheme on ${file}`);
          await page.emulateMedia({ colorScheme: 'light' });

          for (const size of SIZES) {
            await page.setViewportSize(size);
            const shot = path.join(shots, `${kind}-${size.width}.png`);
            await page.screenshot({ path: shot, fullPage: true });
            const room = await breathingRoom(page);
            assert.ok(room, `${file}: no <main> between a masthead and a footer`);
            assert.ok(
              room.above >= 8 && room.below >= 16,
              `${file} at ${size.width}px: content touches the masthead or footer ` +
                `(${room.above}px above, ${room.below}px below; see ${shot})`,
            );
            const o = await overflow(page);
            assert.ok(
              o.scroll <= o.width + 1,
              `${file} scrolls sideways at ${size.width}×${size.height}: ${o.scroll}px wide in a ${o.width}px window; ` +
                `sticking out: ${o.wide.join(', ')} (see ${shot})`,
            );
          }
          wp.assertClean(`checks of ${file}`);
        } finally {
          await wp.close();
        }
      });
    }

    test('a phone at 375 px downloads a small variant of the lead photo', { timeout: 60_000 }, async () => {
      const file = PAGE_KINDS.find((k) => k.kind === 'article-markdown').file;
      const wp = await WatchedPage.open(context, (url) => url.startsWith(inside));
      try {
        await wp.page.setViewportSize({ width: 375, height: 812 });
        await wp.goto(fileUrl(path.join(out, file)));
        await wp.assertLanded(`open ${file} at 375 px`);
        const lead = await wp.page.evaluate(() => {
          const img = document.querySelector('.lead-image img');
          const widths = [...(img?.srcset ?? '').matchAll(/ (\d+)w/g)].map((m) => Number(m[1]));
          return img && { src: img.currentSrc, natural: img.naturalWidth, widths };
        });
        assert.ok(lead, `${file} has a lead photo`);
        assert.ok(lead.widths.length >= 2, `the lead photo offers several widths: ${lead.widths}`);
        assert.ok(
          lead.natural < Math.max(...lead.widths),
          `at 375 px the browser chose ${lead.src} (${lead.natural} px), not the largest of ${lead.widths}`,
        );
        wp.assertClean(`the lead photo of ${file} at 375 px`);
      } finally {
        await wp.close();
      }
    });

    test('print', { timeout: 60_000 }, async () => {
      const file = PAGE_KINDS.find((k) => k.kind === 'article-markdown').file;
      const wp = await WatchedPage.open(context, (url) => url.startsWith(inside));
      try {
        await wp.goto(fileUrl(path.join(out, file)));
        await wp.assertLanded(`open ${file}`);
        const shown = (selector) =>
          wp.page.evaluate((css) => [...document.querySelectorAll(css)].filter((e) => e.getClientRects().length > 0).length, selector);
        assert.ok((await shown('nav')) > 0 && (await shown('body > footer')) === 1, 'on screen: navigation and footer');
        await wp.page.emulateMedia({ media: 'print' });
        for (const hidden of ['nav', 'body > footer', '.skip-link']) {
          assert.equal(await shown(hidden), 0, `printed, ${file} leaves out ${hidden}`);
        }
        for (const kept of ['main h1', '.story-body p']) {
          assert.ok((await shown(kept)) > 0, `printed, ${file} keeps ${kept}`);
        }
        await wp.page.pdf({ path: path.join(shots, 'article-markdown-print.pdf') });
        wp.assertClean(`printing ${file}`);
      } finally {
        await wp.close();
      }
    });
  });
}
