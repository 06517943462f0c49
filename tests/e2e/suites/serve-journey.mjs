// Journey 2: the same reader's journey over HTTP from `gazette serve` on a
// free port, under every bundled theme, and a search from the masthead; then a missing URL answers the
// theme's 404 page with status 404, editing an article reloads the open
// page by itself within 5 seconds, and editing the stylesheet restyles it
// in place.
//
// Then, once (it does not depend on the theme): a broken edit shows the
// error over the page and the fix clears it and reloads; a restarted
// server reloads the open page by itself.
//
// The site served is a copy of the example site in a temporary folder (the
// tests edit it). A `gazette serve` that fails to start or crashes fails
// the test; only a binary built without its `serve` feature (tests/e2e.rs
// says so) leaves these tests out, saying why.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { WatchedPage } from '../lib/browser.mjs';
import { gazetteBin, serveBuilt, siteSource, sites } from '../lib/config.mjs';
import { ARTICLE_URL, readerJourney } from '../lib/journey.mjs';
import { PAGE_KINDS, htmlFiles } from '../lib/kinds.mjs';
import { searchJourney } from '../lib/search-journey.mjs';
import { getBrowser } from '../lib/shared.mjs';

/** The wire story whose page is edited while open, and its source file. */
const EDITED_PAGE = PAGE_KINDS.find((k) => k.kind === 'article-wire').file;
const EDITED_SOURCE = 'content/2025/12/peace-talks-far-away.txt';
const RELOAD_WITHIN_MS = 5_000;

/** Copy the example site's sources (not its output) into a fresh folder, using `theme`. */
function copySite(theme) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gazette-e2e-serve-${theme}-`));
  for (const entry of ['content', 'site.yaml', 'themes', 'templates', 'static']) {
    const from = path.join(siteSource, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  const yaml = path.join(dir, 'site.yaml');
  const text = fs.existsSync(yaml) ? fs.readFileSync(yaml, 'utf8') : '';
  const themed = /^theme:.*$/m.test(text)
    ? text.replace(/^theme:.*$/m, `theme: ${theme}`)
    : `${text.trimEnd()}\ntheme: ${theme}\n`;
  fs.writeFileSync(yaml, themed);
  return dir;
}

/** Start `gazette serve` (on a free port unless `port` is given); resolve once it answers. */
async function startServe(root, log, port = 0) {
  assert.ok(gazetteBin, 'GAZETTE_BIN is not set: run the browser tests with `cargo test --test e2e`');
  const child = spawn(gazetteBin, ['serve', '--root', root, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, output: '' };
  const collect = (chunk) => (server.output += chunk);
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  server.exited = exited;

  const deadline = Date.now() + 90_000;
  let base = '';
  while (!base) {
    const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(server.output);
    if (m) base = `http://127.0.0.1:${m[1]}/`;
    else if (child.exitCode !== null) throw new Error(`gazette serve exited ${child.exitCode}:\n${server.output}`);
    else if (Date.now() > deadline) throw new Error(`gazette serve printed no http://127.0.0.1:PORT/ line in 90 s:\n${server.output}`);
    else await new Promise((r) => setTimeout(r, 100));
  }
  // The address may be printed before the first build is served.
  for (;;) {
    try {
      const response = await fetch(base);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`gazette serve exited ${child.exitCode}:\n${server.output}`);
    if (Date.now() > deadline) throw new Error(`${base} did not answer 200 in 90 s:\n${server.output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`gazette serve at ${base}`);
  server.base = base;
  server.port = Number(new URL(base).port);
  return server;
}

async function stopServe(server) {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  const timeout = new Promise((r) => setTimeout(() => r('timeout'), 10_000));
  if ((await Promise.race([server.exited, timeout])) === 'timeout') {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

const skip = serveBuilt ? false : 'SKIPPED: gazette was built without its `serve` feature';

/**
 * Runs in every page before its scripts: records the `hello` (the server's
 * instance) each live-reload event stream receives, as
 * `window.__gazetteHello`. Its listener is added first, so once the test
 * sees the value, the live-reload script has handled the same event.
 */
function observeHello() {
  const Native = window.EventSource;
  window.EventSource = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('hello', (e) => {
        window.__gazetteHello = e.data;
      });
    }
  };
}

/** Wait until the open page's live-reload stream has said hello; its instance. */
async function helloOf(wp, what) {
  await wp.page.waitForFunction(() => window.__gazetteHello, null, { timeout: RELOAD_WITHIN_MS, polling: 50 }).catch((e) => {
    throw new Error(`${what}: the page's live-reload stream got no hello within ${RELOAD_WITHIN_MS} ms (${e.message})`);
  });
  return wp.page.evaluate(() => window.__gazetteHello);
}

for (const { theme, out } of sites) {
  describe(`HTTP journey over gazette serve under the ${theme} theme`, () => {
    let context;
    let server;
    let root;

    before(async () => {
      context = await (await getBrowser()).newContext({ viewport: { width: 1366, height: 900 } });
      await context.addInitScript(observeHello);
    });
    after(async () => {
      await stopServe(server);
      await context?.close();
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    test('journey, 404 and live reload', { timeout: 240_000, skip }, async (t) => {
      const log = (m) => t.diagnostic(m);
      assert.ok(siteSource, 'GAZETTE_E2E_SOURCE is not set: run the browser tests with `cargo test --test e2e`');
      root = copySite(theme);
      // The site overrides the theme's stylesheet with an identical copy
      // (same content, same hashed name), edited below while a page is open.
      const stylesheetHref = /<link rel="stylesheet" href="([^"]+\.css)"/.exec(
        fs.readFileSync(path.join(out, 'index.html'), 'utf8'),
      )[1];
      const siteStylesheet = path.join(
        root,
        'static/assets',
        path.basename(stylesheetHref).replace(/\.[0-9a-f]{8}\.css$/, '.css'),
      );
      fs.mkdirSync(path.dirname(siteStylesheet), { recursive: true });
      fs.copyFileSync(path.join(out, stylesheetHref), siteStylesheet);
      server = await startServe(root, log);
      const { base } = server;
      const isLocal = (url) => url.startsWith(base);
      // Nothing but the preview server: anything else is refused (and
      // recorded as an external request by the page's watch).
      await context.route((url) => !url.href.startsWith(base), (route) => route.abort('blockedbyclient'));
      const wp = await WatchedPage.open(context, isLocal);
      try {
        const articleCount = htmlFiles(out).filter((f) => ARTICLE_URL.test(f.split(path.sep).join('/'))).length;
        await readerJourney(wp, base, { articleCount, log });
        await searchJourney(wp, base, { log });
        // The preview is of this theme: its pages ask for the theme's stylesheet.
        const stylesheet = /<link rel="stylesheet" href="[^"]*?([^"/]+\.css)"/.exec(
          fs.readFileSync(path.join(out, 'index.html'), 'utf8'),
        )[1];
        assert.ok(
          wp.requests.some((r) => r.endsWith(`/${stylesheet}`)),
          `the served pages use the ${theme} theme's ${stylesheet}`,
        );

        // A missing URL: the theme's 404 page, with status 404.
        const expected404 = /<h1[^>]*>([^<]+)<\/h1>/.exec(fs.readFileSync(path.join(out, '404.html'), 'utf8'))[1];
        wp.expectedStatus.add(404);
        const missingUrl = `${base}no/such/page/`;
        const response = await wp.goto(missingUrl);
        assert.equal(response.status(), 404, `${missingUrl} answers 404`);
        assert.equal(await wp.text('main h1'), expected404, "the 404 response is the theme's 404 page");
        assert.ok(wp.requests.some((r) => r.endsWith('.css')), 'the 404 page is styled');
        wp.assertClean('the 404 page');
        wp.expectedStatus.delete(404);
        log(`${missingUrl}: 404, "${expected404}"`);

        // Live reload: edit the article open in the browser.
        await wp.goto(base + EDITED_PAGE);
        await wp.assertLanded(`open ${EDITED_PAGE}`);
        // The page listens for reloads before the edit is made.
        await helloOf(wp, `open ${EDITED_PAGE}`);
        await wp.page.evaluate(() => {
          window.__gazetteE2eOldDocument = true;
        });
        const marker = `Edited by the browser test at ${Date.now()}.`;
        const source = path.join(root, EDITED_SOURCE);
        const started = Date.now();
        fs.appendFileSync(source, `\n${marker}\n`);
        await wp.page.waitForFunction(
          (text) => !window.__gazetteE2eOldDocument && document.querySelector('main')?.textContent.includes(text),
          marker,
          { timeout: RELOAD_WITHIN_MS, polling: 100 },
        ).catch((e) => {
          throw new Error(`the page did not reload with the edit within ${RELOAD_WITHIN_MS} ms (${e.message})\nserver said:\n${server.output}`);
        });
        log(`reloaded with the edit after ${Date.now() - started} ms`);
        wp.assertClean('live reload');

        // Live CSS: editing the site's stylesheet restyles the open page
        // without reloading it, though the edit gives the stylesheet a new
        // hashed name.
        await wp.page.evaluate(() => {
          window.__gazetteE2eSameDocument = true;
        });
        fs.appendFileSync(siteStylesheet, '\nmain { outline: 3px solid rgb(255, 0, 0); }\n');
        const restyled = Date.now();
        await wp.page.waitForFunction(
          () => window.__gazetteE2eSameDocument && getComputedStyle(document.querySelector('main')).outlineColor === 'rgb(255, 0, 0)',
          null,
          { timeout: RELOAD_WITHIN_MS, polling: 100 },
        ).catch((e) => {
          throw new Error(`the page was not restyled in place within ${RELOAD_WITHIN_MS} ms (${e.message})\nserver said:\n${server.output}`);
        });
        log(`restyled in place after ${Date.now() - restyled} ms`);
        wp.assertClean('live stylesheet');
      } catch (e) {
        e.message += `\n--- gazette serve output ---\n${server?.output ?? ''}`;
        throw e;
      } finally {
        await wp.close();
      }
    });
  });
}

/** The Markdown story broken and fixed by the live preview test, and its page. */
const BROKEN_SOURCE = 'content/2025/12/harbour-bridge-reopens.md';
const BROKEN_PAGE = PAGE_KINDS.find((k) => k.kind === 'article-markdown').file;
/** A restarted server builds before it answers; then the page's stream reconnects (every 3 s). */
const RESTART_WITHIN_MS = 60_000;

describe('live preview in the browser', () => {
  const { theme } = sites[0];
  let context;
  let server;
  let root;

  before(async () => {
    context = await (await getBrowser()).newContext({ viewport: { width: 1366, height: 900 } });
    await context.addInitScript(observeHello);
  });
  after(async () => {
    await stopServe(server);
    await context?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('a failed rebuild shows over the page, and a restarted server reloads it', { timeout: 240_000, skip }, async (t) => {
    const log = (m) => t.diagnostic(m);
    assert.ok(siteSource, 'GAZETTE_E2E_SOURCE is not set: run the browser tests with `cargo test --test e2e`');
    root = copySite(theme);
    server = await startServe(root, log);
    const { base, port } = server;
    await context.route((url) => !url.href.startsWith(base), (route) => route.abort('blockedbyclient'));
    const wp = await WatchedPage.open(context, (url) => url.startsWith(base));
    try {
      await wp.goto(base + BROKEN_PAGE);
      await wp.assertLanded(`open ${BROKEN_PAGE}`);
      const headline = await wp.text('main h1');
      await helloOf(wp, `open ${BROKEN_PAGE}`);
      await wp.page.evaluate(() => {
        window.__gazetteE2eOldDocument = true;
      });

      // A broken front matter: the error, with its file and line, over the
      // page, which stays as it was (the last good build).
      const source = path.join(root, BROKEN_SOURCE);
      const good = fs.readFileSync(source, 'utf8');
      fs.writeFileSync(source, good.replace(/^title: .*$/m, 'title: [Harbour Bridge Reopens'));
      const overlay = wp.page.getByRole('alert');
      await overlay.waitFor({ timeout: RELOAD_WITHIN_MS }).catch((e) => {
        throw new Error(`no error over the page within ${RELOAD_WITHIN_MS} ms (${e.message})\nserver said:\n${server.output}`);
      });
      const shown = (await overlay.textContent()).replace(/\s+/g, ' ');
      assert.match(shown, /the rebuild failed/i);
      assert.ok(shown.includes(`${BROKEN_SOURCE}:2:`), `the overlay names the file and line: ${shown}`);
      assert.ok(await wp.page.evaluate(() => window.__gazetteE2eOldDocument), 'the page was not reloaded');
      assert.equal(await wp.text('main h1'), headline, 'the last good build stays under the overlay');
      log(`overlay: ${shown.slice(0, 160)}`);

      // The fix clears it and reloads the page, with the new text.
      const marker = `Fixed by the browser test at ${Date.now()}.`;
      fs.writeFileSync(source, `${good.trimEnd()}\n\n${marker}\n`);
      await wp.page
        .waitForFunction(
          (text) => !window.__gazetteE2eOldDocument && document.querySelector('main')?.textContent.includes(text),
          marker,
          { timeout: RELOAD_WITHIN_MS, polling: 100 },
        )
        .catch((e) => {
          throw new Error(`the fix did not reload the page within ${RELOAD_WITHIN_MS} ms (${e.message})\nserver said:\n${server.output}`);
        });
      assert.equal(await overlay.count(), 0, 'the overlay is gone');
      wp.assertClean('fixed');

      // A restart (on the same port): the page reloads by itself once its
      // event stream reaches the new server.
      const before = await helloOf(wp, 'after the fix');
      await wp.page.evaluate(() => {
        window.__gazetteE2eOldDocument = true;
      });
      await stopServe(server);
      server = await startServe(root, log, port);
      const restarted = Date.now();
      await wp.page
        .waitForFunction(
          (old) => !window.__gazetteE2eOldDocument && window.__gazetteHello && window.__gazetteHello !== old,
          before,
          { timeout: RESTART_WITHIN_MS, polling: 100 },
        )
        .catch((e) => {
          throw new Error(`the page did not reload after the restart within ${RESTART_WITHIN_MS} ms (${e.message})`);
        });
      log(`reloaded ${Date.now() - restarted} ms after the restart`);
      assert.equal(await wp.text('main h1'), headline);
      // While the server was down, the stream's reconnections failed: that is expected.
      wp.problems = wp.problems.filter((p) => !p.includes('/__gazette/events'));
      wp.assertClean('restart');
    } catch (e) {
      e.message += `\n--- gazette serve output ---\n${server?.output ?? ''}`;
      throw e;
    } finally {
      await wp.close();
    }
  });
});
