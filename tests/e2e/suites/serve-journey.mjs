// Journey 2: the same reader's journey over HTTP from `gazette serve` on a
// free port, under every bundled theme; then a missing URL answers the
// theme's 404 page with status 404, editing an article reloads the open
// page by itself within 5 seconds, and editing the stylesheet restyles it
// in place.
//
// The site served is a copy of the example site in a temporary folder (the
// test edits an article). Without a `serve` subcommand in the binary the
// test is skipped, saying why.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { WatchedPage } from '../lib/browser.mjs';
import { gazetteBin, siteSource, sites } from '../lib/config.mjs';
import { ARTICLE_URL, readerJourney } from '../lib/journey.mjs';
import { PAGE_KINDS, htmlFiles } from '../lib/kinds.mjs';
import { getBrowser } from '../lib/shared.mjs';

/** The wire story whose page is edited while open, and its source file. */
const EDITED_PAGE = PAGE_KINDS.find((k) => k.kind === 'article-wire').file;
const EDITED_SOURCE = 'content/2025/12/peace-talks-far-away.txt';
const RELOAD_WITHIN_MS = 5_000;

/** Why the HTTP journey cannot run here, or '' when it can. */
function serveMissing() {
  if (!gazetteBin) return 'GAZETTE_BIN is not set';
  if (!siteSource) return 'GAZETTE_E2E_SOURCE is not set';
  const help = spawnSync(gazetteBin, ['serve', '--help'], { encoding: 'utf8' });
  if (help.error) return `cannot run ${gazetteBin}: ${help.error.message}`;
  if (help.status !== 0) {
    const first = (help.stderr || help.stdout).trim().split('\n')[0];
    return `this gazette has no \`serve\` subcommand yet (${first})`;
  }
  return '';
}

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

/** Start `gazette serve --port 0`; resolve to its base URL once it answers. */
async function startServe(root, log) {
  const child = spawn(gazetteBin, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
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

const missing = serveMissing();

for (const { theme, out } of sites) {
  describe(`HTTP journey over gazette serve under the ${theme} theme`, () => {
    let context;
    let server;
    let root;

    before(async () => {
      context = await (await getBrowser()).newContext({ viewport: { width: 1366, height: 900 } });
    });
    after(async () => {
      await stopServe(server);
      await context?.close();
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    test('journey, 404 and live reload', { timeout: 240_000, skip: missing ? `SKIPPED: HTTP journey: ${missing}` : false }, async (t) => {
      const log = (m) => t.diagnostic(m);
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
        const streams = wp.eventStreams;
        await wp.goto(base + EDITED_PAGE);
        await wp.assertLanded(`open ${EDITED_PAGE}`);
        // The page listens for reloads before the edit is made.
        for (const until = Date.now() + 5_000; wp.eventStreams === streams && Date.now() < until; ) {
          await wp.page.waitForTimeout(50);
        }
        assert.ok(wp.eventStreams > streams, 'the served page opens a live-reload event stream');
        await wp.page.waitForTimeout(300);
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
